"""Value claims and buyer themes: does the field repeat what marketing says, and does
marketing answer what buyers raise?

Pillars: the claim-like sentences of marketing copy (web pages, campaign emails)
clustered into a few groups. Coverage: for each pillar, the share of sales
documents (calls, emails) in which a voice says something close in meaning to
one of its central claims. Buyer themes: clusters of substantive buyer
utterances, each checked against marketing copy and against the reps' answers.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from drift.measure import senses as sense_fns
from drift.measure import stats
from drift.measure.evidence import quote_at
from drift.measure.loop import first_answered
from drift.measure.genre import INTERNAL
from drift.measure.labels import label_clusters
from drift.measure.mood import Mood, read_moods
from drift.measure.partition import default_k, partition
from drift.measure.words import STOP
from drift.model import Interval
from drift.results import BuyerTheme, PillarCoverage
from drift.store import SegmentTable

COPY_CHANNELS = ("web", "campaign_email")
SALES_CHANNELS = ("call", "sales_email", "doc")  # a sales playbook page counts as the reps speaking
# Cosine similarity at which a rep or buyer sentence "echoes" a claim. Measured on
# the demo corpus with all-MiniLM-L6-v2: rep paraphrases of a claim score 0.6-0.9,
# sentences that only share the product name or the topic 0.45-0.6.
ECHO_THRESHOLD = 0.6
CENTRAL_CLAIMS = 10  # claims per pillar compared with sales sentences (keeps big pillars from winning by size)
# A buyer utterance is "answered" by a passage within this cosine similarity; a theme
# is addressed by marketing when copy answers at least half as many of its utterances
# as reps do in other conversations (reps answer buyers every day, so their coverage is
# the yardstick; same-call answers are excluded because they echo the question).
ANSWER_THRESHOLD = 0.5
ADDRESSED_RATIO = 0.5
# Utterances per theme whose coverage is computed (a seeded random sample above this): the
# coverages are shares, well estimated from a few hundred, and every sampled utterance is
# compared with every copy and rep sentence, so this keeps the step linear in the corpus.
THEME_SAMPLE = 300
# A claim is a sentence of this many words: shorter is a heading or a button, longer a paragraph
# the segmenter could not split.
CLAIM_WORDS = (6, 60)
_WORD = re.compile(r"[a-zA-Z][a-zA-Z'-]+")
_STOP = set(STOP)


def claim_strength(mood: Mood) -> int:
    """How many kinds of promise a sentence makes: benefit or capability verbs (up to two), a proof
    point, a comparison; one less when it names workplace process (forms, owners, meetings)."""
    return min(mood.outcome, 2) + int(mood.proof) + int(mood.comparison) - int(mood.process)


def is_claim_mood(mood: Mood, block: str | None = None, genre: str | None = None) -> bool:
    """A value claim: a sentence that asserts a benefit, an outcome, a capability, a comparison or
    a proof point to customers.

    Never a heading, a question, an obligation ("should", "make sure"), a first-person-singular
    aside, markup for staff (links, @mentions, file names) or a line of names. An imperative is a
    claim only in customer copy and only when it opens on a promise ("Automate ticketing with
    ..."), never in an internal document ("Clone this template"). In an internal document a
    sentence needs two kinds of promise ("Our platform offers a CI service that cuts build
    time in half"), since a handbook's declaratives are mostly process.
    """
    low, high = CLAIM_WORDS
    if block == "heading" or not low <= mood.words <= high:
        return False
    if mood.question or mood.obligation or mood.first_singular or mood.markup:
        return False
    if mood.proper_share > 0.5 and not mood.finite_verb:
        return False
    strength = claim_strength(mood)
    if mood.imperative:
        return genre != INTERNAL and mood.promise_opening and strength >= 1
    if not mood.finite_verb and not (mood.outcome or mood.proof or mood.comparison):
        return False
    return strength >= (2 if genre == INTERNAL else 1)


def claim_mask(texts: Sequence[str], blocks: Sequence[str | None] | None = None,
               genres: Sequence[str | None] | None = None, moods: Sequence[Mood] | None = None) -> np.ndarray:
    """Which of `texts` are value claims (see `is_claim_mood`); moods are read here unless given."""
    moods = read_moods(texts) if moods is None else moods
    blocks = blocks if blocks is not None else [None] * len(texts)
    genres = genres if genres is not None else [None] * len(texts)
    return np.array([is_claim_mood(m, b, g) for m, b, g in zip(moods, blocks, genres)], dtype=bool)


def is_claim(text: str) -> bool:
    """One sentence of customer copy (what `drift check` reads): is it a value claim?"""
    return bool(claim_mask([text])[0])


# What makes a buyer sentence feedback rather than scheduling or small talk.
_SIGNAL = re.compile(
    r"\?\s*$|\b(?:worr(?:y|ied)|concern(?:ed)?|problem|issue|pain|struggl\w*|manual(?:ly)?|spreadsheets?|"
    r"expensive|cost|price|pricing|budget|afford|need|needs|want|wants|require\w*|can't|cannot|won't|doesn't|don't|"
    r"what happens|how (?:does|do|would|long|much)|does it|do you|can it|can you|is there|we use|we're on|we run|"
    r"currently|right now|today we|instead|competitor|versus|vs\.?|cheaper|switch\w*|replace|risk|break[s]?|broke|"
    r"fail\w*|slow|backlog|hours?|days|errors?|duplicates?|mess|nightmare|killing us)\b",
    re.IGNORECASE,
)


def is_substantive(text: str, min_content_words: int = 4) -> bool:
    """Enough content words to carry a question, objection or pain (not small talk)."""
    return sum(1 for w in _WORD.findall(text.lower()) if w not in _STOP) >= min_content_words


def is_buyer_signal(text: str) -> bool:
    """A question, objection, pain or statement about the buyer's own set-up."""
    return is_substantive(text) and bool(_SIGNAL.search(text))



def claim_rows(table: SegmentTable, genres: Sequence[str | None] | None = None,
               moods: dict[int, Mood] | None = None) -> np.ndarray:
    """Rows of marketing copy (web pages, campaign emails) that are value claims."""
    rows = np.flatnonzero(np.isin(table.channel, COPY_CHANNELS))
    if not len(rows):
        return rows
    known = dict(moods or {})
    missing = [int(r) for r in rows if int(r) not in known]
    known.update(zip(missing, read_moods([table.text[r] for r in missing])))
    blocks = table.block if table.block is not None else [None] * len(table)
    keep = [is_claim_mood(known[int(r)], blocks[r], genres[r] if genres is not None else None) for r in rows]
    return rows[np.array(keep, dtype=bool)]


def value_pillars(table: SegmentTable, seed: int, pillar_names: dict[str, tuple[str, ...]] | None = None,
                  genres: Sequence[str | None] | None = None, moods: dict[int, Mood] | None = None) -> list[PillarCoverage]:
    """Marketing's value pillars: its claim sentences (and only those) clustered, each with its
    echo in the reps' and buyers' documents. `genres` (per row) makes claims in internal
    documents meet the stricter test of `is_claim_mood`; `moods` (row -> Mood) saves re-tagging."""
    claims = claim_rows(table, genres, moods)
    if len(claims) < 10:
        return []
    claim_vectors = table.vectors[claims]
    labels = partition(claim_vectors, default_k(len(claims), 5, 10), seed)
    named = label_clusters([table.text[i] for i in claims], labels, np.asarray(claim_vectors))
    central = sense_fns.central_quote_indices(claim_vectors, labels, k=CENTRAL_CLAIMS)
    doc_ids = np.array(table.doc_id, dtype=object)
    pillars = []
    for pillar_id in sorted(set(labels.tolist())):
        if np.sum(labels == pillar_id) < 3:
            continue  # a one-off sentence is not a pillar
        anchors = table.vectors[claims[central[pillar_id]]]
        coverage, documents, echoes, intervals = {}, {}, {}, {}
        for voice in ("rep", "buyer"):
            rows = np.flatnonzero((table.voice == voice) & np.isin(table.channel, SALES_CHANNELS))
            if not len(rows):
                continue
            similarity = (table.vectors[rows] @ anchors.T).max(axis=1)
            all_docs = np.unique(doc_ids[rows])
            hit_docs = np.unique(doc_ids[rows[similarity >= ECHO_THRESHOLD]])
            coverage[voice] = len(hit_docs) / len(all_docs)
            documents[voice] = len(all_docs)
            low, high = stats.wilson_interval(len(hit_docs), len(all_docs))
            intervals[voice] = Interval(low, high)
            # The closest sentences, echo or not: they show what the voice says instead.
            best = np.argsort(-similarity, kind="stable")[:3]
            echoes[voice] = [quote_at(table, int(rows[j]), score=float(similarity[j])) for j in best]
        label_words = named[pillar_id].phrases
        pillars.append(
            PillarCoverage(
                pillar_id=int(pillar_id),
                label=_named_pillar(label_words, pillar_names) or named[pillar_id].label,
                words=label_words,
                claims=[quote_at(table, int(claims[i])) for i in central[pillar_id][:3]],
                size=int(np.sum(labels == pillar_id)),
                coverage=coverage,
                documents=documents,
                echoes=echoes,
                interval=intervals,
            )
        )
    return pillars


def _named_pillar(phrases: list[str], names: dict[str, tuple[str, ...]] | None) -> str | None:
    """A configured pillar name whose keywords overlap the words of the cluster's key phrases."""
    if not names:
        return None
    words = {w.lower() for phrase in phrases for w in phrase.split()}
    overlap = {name: len({w.lower() for w in keys} & words) for name, keys in names.items()}
    best = max(overlap, key=overlap.get)
    return best if overlap[best] else None


def best_matches(queries: np.ndarray, pool: np.ndarray, query_groups: np.ndarray | None = None,
                 pool_groups: np.ndarray | None = None, chunk: int = 32_768) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per query: the best cosine over the pool and its pool index; per pool row: its best over the queries.

    Pool rows in the same group as the query (e.g. the same conversation) do not count. The
    pool is read in chunks, so memory is len(queries) x chunk whatever the pool's size.
    """
    best = np.full(len(queries), -1.0, dtype=np.float32)
    where = np.full(len(queries), -1, dtype=np.int64)
    pool_best = np.full(len(pool), -1.0, dtype=np.float32)
    for start in range(0, len(pool), chunk):
        sims = queries @ pool[start : start + chunk].T
        if query_groups is not None:
            sims[query_groups[:, None] == pool_groups[None, start : start + chunk]] = -1.0
        pool_best[start : start + chunk] = sims.max(axis=0, initial=-1.0)
        if sims.shape[1]:
            j = sims.argmax(axis=1)
            value = sims[np.arange(len(queries)), j]
            better = value > best
            best[better], where[better] = value[better], j[better] + start
    return best, where, pool_best


def buyer_themes(table: SegmentTable, seed: int,
                 copy_periods: tuple[np.ndarray, np.ndarray] | None = None) -> list[BuyerTheme]:
    """Buyer themes and how copy and reps answer them. `copy_periods` (loop.copy_periods) bounds
    each copy row's months, so a theme's first addressed month is when the copy published by
    then first answered it (without: copy counts from its own month)."""
    buyer = np.flatnonzero((table.voice == "buyer") & np.array([is_buyer_signal(t) for t in table.text], dtype=bool))
    copy = np.flatnonzero(np.isin(table.channel, COPY_CHANNELS))
    reps = np.flatnonzero(table.voice == "rep")
    if len(buyer) < 20:
        return []
    labels = partition(table.vectors[buyer], default_k(len(buyer), 6, 16), seed)
    named = label_clusters([table.text[i] for i in buyer], labels, np.asarray(table.vectors[buyer]))
    central = sense_fns.central_quote_indices(table.vectors[buyer], labels, k=10)
    doc_ids = np.array(table.doc_id, dtype=object)
    doc_codes = np.unique(doc_ids, return_inverse=True)[1] if len(doc_ids) else np.zeros(0, dtype=np.int64)
    all_buyer_docs = len(set(doc_ids[table.voice == "buyer"]))
    rng = np.random.default_rng(seed)
    copy_vectors, rep_vectors = table.vectors[copy], table.vectors[reps]
    corpus_months = sorted({m for m in table.month if m})
    themes = []
    for theme_id in sorted(set(labels.tolist())):
        members = buyer[labels == theme_id]
        docs = len(set(doc_ids[members]))
        if docs < 2:
            continue  # one conversation is an anecdote, not a theme
        sample = np.sort(rng.choice(members, THEME_SAMPLE, replace=False)) if len(members) > THEME_SAMPLE else members
        copy_best, copy_where, copy_answers = best_matches(table.vectors[sample], copy_vectors)
        rep_best, _, _ = best_matches(table.vectors[sample], rep_vectors, doc_codes[sample], doc_codes[reps])
        copy_cover = float((copy_best >= ANSWER_THRESHOLD).mean())
        rep_cover = float((rep_best >= ANSWER_THRESHOLD).mean())
        nearest = None
        if len(copy):
            i = int(np.argmax(copy_best))
            nearest = quote_at(table, int(copy[copy_where[i]]), score=float(copy_best[i]))
        since, until = copy_periods or (np.array([m or "" for m in table.month], dtype=object),
                                        np.full(len(table), "", dtype=object))
        addressed_in = first_answered(table.vectors[sample], copy_vectors, since[copy], until[copy], corpus_months,
                                      ANSWER_THRESHOLD, ADDRESSED_RATIO * rep_cover) if len(copy) else None
        months = sorted(m for m in table.month[members] if m)
        themes.append(
            BuyerTheme(
                theme_id=int(theme_id),
                label=named[theme_id].label,
                words=named[theme_id].phrases,
                utterances=len(members),
                documents=docs,
                share=docs / all_buyer_docs if all_buyer_docs else 0.0,
                addressed=copy_cover >= ADDRESSED_RATIO * rep_cover,
                nearest_marketing=nearest,
                copy_coverage=round(copy_cover, 4),
                quotes=[quote_at(table, int(buyer[i])) for i in central[theme_id][:4]],
                first_month=months[0] if months else None,
                first_addressed_month=addressed_in,
                rep_coverage=round(rep_cover, 4),
            )
        )
    themes.sort(key=lambda t: (-t.documents, t.theme_id))
    return themes
