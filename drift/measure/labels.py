"""Readable labels for clusters of sentences: "lead scores and webinar attendance", not "lead, score, webinar, attended".

One labeller for every cluster the report names (senses of a term, value pillars, buyer
themes, topics, the senses around a trend shift). A label is one to three *key phrases*
joined the way a person writes a list ("budget, a decision maker and a date"):

1. candidates are noun phrases and verb-object phrases read from the part-of-speech tags of
   the cluster's most central sentences (a tag pattern, as textacy's and KeyBERT's
   candidate chunkers do: adjectives and nouns ending in a noun; a verb followed by such a
   phrase), with stop words, pronouns and determiners trimmed from their edges;
2. each is scored by how distinctive it is of its cluster against the others (class-based
   TF-IDF over the sentences that hold it, as BERTopic does) and how central it is (the cosine
   of the mean vector of the sentences holding it with the cluster's centroid);
3. Maximal Marginal Relevance picks the phrases: each next one relevant but unlike the ones
   already chosen (in vector and in words), so a label does not say the same thing twice.

Where no phrase qualifies (too few sentences, or only the blank spaCy pipeline), the label is
the cluster's most central sentence trimmed to its first clause.

`keybert` (PyPI) does steps 1 and 3 with its own sentence-transformers model; it was weighed
and not taken: the report already holds a vector for every sentence, and a phrase's vector
from the sentences that use it needs no second model (or torch) at report time. No word of
any corpus is used: the stop list is spaCy's English list plus generic nouns below.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from drift.nlp import load_pipeline  # first: it imports spaCy without torch (see drift.nlp)
from drift.measure.words import STOP

SAMPLE = 40  # central sentences per cluster read for phrases
MAX_PHRASES = 3
MAX_CHARS = 60  # a label longer than this stops taking phrases
KEEP = 8  # ranked phrases kept beside the label (the `words` of a result)
MMR_LAMBDA = 0.7  # weight of relevance against redundancy in Maximal Marginal Relevance
# A further phrase joins the label only if it is at least this relevant relative to the first.
NEXT_PHRASE = 0.45
# Nouns too general to name a cluster on their own ("the way", "a lot of things").
GENERIC = frozenset("""
way ways thing things lot lots kind kinds type types sort part parts number numbers example examples case cases
time times day days year years week weeks month months use uses information info item items point points
question questions answer answers one ones bit end fact place places reason reasons someone something anything
everything nothing people person folks guy guys team teams company companies page pages section sections
link links note notes list lists detail details step steps option options area areas level levels
everybody everyone anybody anyone somebody nobody morning afternoon evening today tomorrow yesterday tonight weekend
""".split())
_NOUN = ("NN", "NNS", "NNP", "NNPS")
_MODIFIER = ("JJ", "JJR", "JJS", "VBN", "VBG", "NN", "NNS", "NNP", "NNPS", "HYPH", "CD")
_VERB = ("VB", "VBP", "VBZ", "VBD")  # not VBG: "existing account", "closing date" are noun phrases
_AUX_LEMMAS = frozenset({"be", "have", "do", "get", "go", "say", "tell", "know", "think", "want", "need", "see", "look",
                         "come", "make", "take", "let", "use", "try", "give", "keep", "put", "mean", "seem", "feel"})
_CLEAN = re.compile(r"^[A-Za-z][A-Za-z0-9'&/+.-]*$")
_BAD = re.compile(r"https?|www\.|[{}<>|_=@#\\]|\.\w+$")
_STOP = frozenset(STOP)
# Named entities that never name what a cluster is about: people (a rep's or a buyer's first
# name), dates, times and bare numbers.
_NOT_LABELS = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
# A phrase held by at least this share of the clusters (of four or more) is what they all share
# (the company's or the product's name), not what sets one apart.
UBIQUITOUS = 0.5


@dataclass(frozen=True)
class Phrase:
    key: tuple[str, ...]  # lower-case lemmas: "lead scores" and "lead score" are one phrase
    text: str  # as written, with its case kept only for names and acronyms
    kind: str  # "noun" or "verb"


@dataclass
class ClusterLabel:
    label: str
    phrases: list[str] = field(default_factory=list)  # ranked key phrases, the label's first


def _display(token) -> str:
    """Names and acronyms keep their case ("GitHub", "CRM"); a capital that only opens a sentence does not."""
    text = token.text
    if (any(c.isupper() for c in text[1:]) and text.isalnum()) or (text.isupper() and len(text) > 1):
        return text
    if token.tag_ in ("NNP", "NNPS") and not token.is_sent_start and token.i > 0:
        return text
    return text.lower()


def _usable(token) -> bool:
    return bool(_CLEAN.match(token.text)) and not _BAD.search(token.text) and token.ent_type_ not in _NOT_LABELS


def _content(token) -> bool:
    return token.is_alpha and len(token.text) > 1 and token.lower_ not in _STOP and token.lemma_.lower() not in _STOP


def phrases_of(doc, exclude: frozenset[str] = frozenset()) -> list[Phrase]:
    """Noun phrases and verb-object phrases of one tagged sentence (a tag pattern; no parser).

    A noun phrase is a run of adjectives, participles and nouns that ends in a noun, cut to its
    last four words; a verb phrase is a content verb followed (past a determiner or possessive)
    by a noun phrase. Edges that are stop words, and phrases made only of the `exclude` words
    (the term a sense belongs to) or of generic nouns, are dropped.
    """
    tokens = [t for t in doc if not t.is_space]
    out: list[Phrase] = []
    nouns: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if tokens[i].tag_ in _MODIFIER and _usable(tokens[i]):
            j = i
            while j + 1 < len(tokens) and tokens[j + 1].tag_ in _MODIFIER and _usable(tokens[j + 1]):
                j += 1
            # End on the last noun of the run; trim stop words and numbers from the left.
            end = j
            while end >= i and tokens[end].tag_ not in _NOUN:
                end -= 1
            start = i
            # Superlatives and comparatives praise rather than name ("biggest potential bottleneck").
            while start <= end and (not _content(tokens[start]) or tokens[start].tag_ in ("HYPH", "CD", "VBG", "JJS", "JJR")):
                start += 1
            if start <= end and _content(tokens[end]):
                start = max(start, end - 3)
                while start <= end and tokens[start].tag_ == "HYPH":
                    start += 1
                nouns.append((start, end))
            i = j + 1
        else:
            i += 1
    for start, end in nouns:
        span = tokens[start : end + 1]
        key = tuple(t.lemma_.lower() if t.tag_ in _NOUN else t.lower_ for t in span if t.tag_ != "HYPH")
        content = [k for k in key if k not in _STOP]
        if not content or all(k in GENERIC or k in exclude for k in content):
            continue
        if len(span) == 1 and len(span[0].text) < 4 and not span[0].text.isupper():
            continue  # "sub", "ops": a clipped word, unless an acronym ("AI", "ERP")
        if len(span) == 1 and span[0].tag_ in ("NNP", "NNPS") and span[0].text.istitle():
            continue  # a bare name ("Lydia", the company's own name) says who, not what

        out.append(Phrase(key, _join(span), "noun"))
    starts = {s: e for s, e in nouns}
    for k, t in enumerate(tokens):
        if t.tag_ not in _VERB or not _content(t) or t.lemma_.lower() in _AUX_LEMMAS or not _usable(t):
            continue
        nxt = k + 1
        while nxt < len(tokens) and tokens[nxt].tag_ in ("DT", "PRP$", "RP") and tokens[nxt].lower_ not in ("no", "every"):
            nxt += 1
        if nxt in starts and starts[nxt] - nxt <= 2:
            obj = tokens[nxt : starts[nxt] + 1]
            obj_key = tuple(x.lemma_.lower() if x.tag_ in _NOUN else x.lower_ for x in obj if x.tag_ != "HYPH")
            if all(x in GENERIC or x in _STOP or x in exclude for x in obj_key):
                continue
            out.append(Phrase((t.lemma_.lower(), *obj_key), f"{t.lemma_.lower()} {_join(obj)}", "verb"))
    return out


def _join(span) -> str:
    text = ""
    # A title-case name keeps its first word's capital too ("Marketing Qualified Opportunities").
    titled = len(span) > 1 and all(t.text[:1].isupper() for t in span if t.tag_ != "HYPH")
    for t in span:
        piece = t.text if titled else _display(t)
        text += piece if (t.tag_ == "HYPH" or text.endswith("-") or not text) else " " + piece
    return text


def join_phrases(phrases: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C': how a person lists things."""
    phrases = [p for p in phrases if p]
    if len(phrases) <= 1:
        return phrases[0] if phrases else ""
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def is_word_list(label: str) -> bool:
    """A bag of words rather than a phrase: three or more bare words between commas ("use, images,
    size"), or short items between commas without the "and" a person writes before the last one
    ("post, blog post"). Clauses between commas ("marketing says X, reps say Y") are a sentence."""
    parts = [p for p in re.split(r",\s*|\s+and\s+", label) if p.strip()]
    if len(parts) >= 3 and all(len(p.split()) == 1 for p in parts):
        return True
    return "," in label and " and " not in label and all(len(p.split()) <= 2 for p in parts)


def distinctiveness(counts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF over sentence counts: counts[c, p] = sentences of cluster c holding phrase p.

    weight = (counts / sizes) * log(1 + mean(sizes) / total(p)): the share of the cluster's
    sentences that use the phrase, discounted by how common it is across all clusters.
    """
    counts = np.asarray(counts, dtype=np.float64)
    sizes = np.maximum(np.asarray(sizes, dtype=np.float64), 1.0)
    if counts.size == 0:
        return counts
    total = np.maximum(counts.sum(axis=0), 1.0)
    return (counts / sizes[:, None]) * np.log1p(sizes.mean() / total)[None, :]


def mmr(relevance: np.ndarray, vectors: np.ndarray | None, k: int, lam: float = MMR_LAMBDA,
        clash: np.ndarray | None = None) -> list[int]:
    """Maximal Marginal Relevance: indices of up to k items, each maximising
    lam * relevance - (1 - lam) * (max cosine to the items already chosen).
    `clash[i, j]` True forbids choosing i and j together (phrases sharing a content word)."""
    relevance = np.asarray(relevance, dtype=np.float64)
    chosen: list[int] = []
    left = [i for i in np.argsort(-relevance, kind="stable") if relevance[i] > 0]
    while left and len(chosen) < k:
        def gain(i: int) -> float:
            if not chosen or vectors is None:
                return float(relevance[i])
            return lam * float(relevance[i]) - (1 - lam) * float(max(vectors[i] @ vectors[j] for j in chosen))
        best = max(left, key=lambda i: (gain(i), -i))
        chosen.append(best)
        left = [i for i in left if i != best and not (clash is not None and clash[i, best])]
    return chosen


def trim_sentence(text: str, max_words: int = 8) -> str:
    """A sentence cut to its first clause and at most `max_words` words: a phrase, not a paragraph."""
    text = re.sub(r"\([^)]*\)?|\[[^\]]*\]?", " ", text)  # asides in brackets are not the core
    text = re.sub(r"\s+", " ", re.sub(r"[*_`#>|\[\]]+", " ", text)).strip().lstrip(":;,.-–— ")
    clause = re.split(r"(?<=\w)[.;:!?](?:\s|$)| [-–—] |, ", text)[0]
    words = clause.split()
    core = " ".join(words[:max_words]).rstrip(",;:")
    return core + ("…" if len(words) > max_words else "")


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def label_clusters(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    vectors: np.ndarray | None = None,
    *,
    exclude: Sequence[str] = (),
    sample: int = SAMPLE,
    max_phrases: int = MAX_PHRASES,
) -> dict[int, ClusterLabel]:
    """A readable label for each cluster (label >= 0) of `texts`.

    `vectors` (one unit row per text) choose each cluster's central sentences and give the
    phrases their vectors; without them the first sentences are read and diversity is by words
    only. `exclude`: terms every cluster shares (the concept a sense belongs to), never a label.
    """
    labels = np.asarray(labels)
    clusters = sorted(int(c) for c in np.unique(labels) if c >= 0)
    if not clusters:
        return {}
    x = _unit(np.asarray(vectors, dtype=np.float64)) if vectors is not None and len(vectors) else None
    banned = frozenset(w.lower() for term in exclude for w in re.findall(r"[A-Za-z][A-Za-z'-]*", term))
    central: dict[int, np.ndarray] = {}
    centroids: dict[int, np.ndarray] = {}
    for c in clusters:
        rows = np.flatnonzero(labels == c)
        if x is not None:
            centroids[c] = _unit(x[rows].mean(axis=0))
            rows = rows[np.argsort(-(x[rows] @ centroids[c]), kind="stable")]
        central[c] = rows[:sample]
    read = sorted({int(r) for rows in central.values() for r in rows})
    nlp, info = load_pipeline()
    found: dict[int, list[Phrase]] = {}
    if info.trained:
        disable = [p for p in ("senter", "parser") if p in nlp.pipe_names]  # NER kept: names are not labels
        for r, doc in zip(read, nlp.pipe((texts[r] for r in read), disable=disable, batch_size=128)):
            found[r] = phrases_of(doc, banned)
    keys: dict[tuple[str, ...], int] = {}
    surfaces: dict[int, Counter] = defaultdict(Counter)
    holders: dict[tuple[int, int], list[int]] = defaultdict(list)  # (cluster, phrase) -> rows
    for c in clusters:
        for r in central[c]:
            for phrase in {p.key: p for p in found.get(int(r), [])}.values():
                j = keys.setdefault(phrase.key, len(keys))
                surfaces[j][phrase.text] += 1
                holders[(c, j)].append(int(r))
    counts = np.zeros((len(clusters), len(keys)))
    for (c, j), rows in holders.items():
        counts[clusters.index(c), j] = len(rows)
    sizes = np.array([len(central[c]) for c in clusters], dtype=np.float64)
    weight = distinctiveness(counts, sizes)
    if len(clusters) >= 4:
        weight[:, (counts > 0).sum(axis=0) >= UBIQUITOUS * len(clusters)] = 0.0
    key_list = list(keys)
    out: dict[int, ClusterLabel] = {}
    for ci, c in enumerate(clusters):
        n = len(central[c])
        support = 2 if n >= 6 else 1
        candidates = [j for j in np.flatnonzero((counts[ci] >= support) & (weight[ci] > 0))]
        if not candidates:
            out[c] = ClusterLabel(_fallback(texts, central[c]))
            continue
        length = np.array([min(len(key_list[j]), 3) for j in candidates], dtype=np.float64)
        relevance = weight[ci, candidates] * (1.0 + 0.25 * (length - 1.0))
        phrase_vectors = None
        if x is not None:
            phrase_vectors = _unit(np.stack([x[holders[(c, j)]].mean(axis=0) for j in candidates]))
            relevance = relevance * (0.5 + 0.5 * np.clip(phrase_vectors @ centroids[c], 0.0, 1.0))
        words = [set(key_list[j]) - _STOP for j in candidates]
        clash = np.array([[bool(a & b) for b in words] for a in words])
        order = mmr(relevance, phrase_vectors, KEEP, clash=clash)
        ranked = [surfaces[candidates[i]].most_common(1)[0][0] for i in order]
        chosen: list[str] = []
        singles = 0
        for rank, i in enumerate(order[:max_phrases]):
            text = ranked[rank]
            if rank and (relevance[i] < NEXT_PHRASE * relevance[order[0]]
                         or len(join_phrases(chosen + [text])) > MAX_CHARS):
                break
            single = len(text.split()) == 1
            if single and singles == len(chosen) == 2:
                break  # never three bare words: that is a word list, not a label
            singles += single
            chosen.append(text)
        out[c] = ClusterLabel(join_phrases(chosen), ranked)
    return out


def _fallback(texts: Sequence[str], rows: np.ndarray) -> str:
    """The first central statement whose core holds three content words (else the first one's core)."""
    for r in rows[:SAMPLE]:
        if texts[int(r)].rstrip().endswith("?"):
            continue  # a question does not say what the cluster is about
        core = trim_sentence(texts[int(r)])
        if sum(1 for w in re.findall(r"[A-Za-z][A-Za-z'-]+", core) if w.lower() not in _STOP) >= 3:
            return core
    return trim_sentence(texts[int(rows[0])]) if len(rows) else ""
