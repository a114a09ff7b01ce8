"""Contradictions: where one side says the opposite of another about the same thing.

Nobody has to list these in drift.toml. The measure reads every statement-like sentence of
each voice and looks for cross-side pairs (marketing against reps, marketing against buyers,
reps against buyers) that are about the same subject and disagree in one of four ways:

- prohibition: one side rules out a word or a practice in so many words ("Don't use the term
  'integrated'") and the other side uses it;
- polarity: one side negates what the other affirms ("we never discount" against "I can
  discount it to forty-two"), read from spaCy's dependency parse: what the "not" or "never"
  governs, and whether the other sentence says the same word without one;
- quantity: the same measure with values that disagree ("volume pricing for 250+ seats"
  against "at fifty seats and up you're at the volume price"), from `measure.quantities`;
- scope: one side says "any size" or "everyone", the other restricts it ("only", "at least").

Candidates come from three blocked searches, each linear in the corpus or bounded: nearest
neighbours in embedding space (a chunked matrix product keeping the top k per row and per
column, over at most MAX_STATEMENTS sentences per voice, sampled and said so beyond that); an
inverted index of the words a negation governs; and quantities grouped by measure. Only the
sentences of candidate pairs are parsed (at most MAX_PARSE).

Near-misses are not contradictions: questions, headings and boilerplate are not statements;
"no more than 5" is a comparator, not a negation; a negation inside "if", "unless" or "what
if" is a hypothetical; a sentence that reports someone else's claim ("competitors say they
never charge for setup") is not the speaker's stance.

Pairs are grouped into subjects (one signal and key, connected through shared sentences),
each side's sentences per stance are counted, and the subject is ranked like every other
finding: effect x evidence x volume. A lone sentence on each side counts only when the signal
is explicit: a quantity or a rule stated in so many words.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from drift.measure import quantities as Q
from drift.measure.evidence import quote_at
from drift.measure.findings import VOICE_NAMES, volume
from drift.model import VOICE_PAIRS, Finding, Quote
from drift.results import Contradiction
from drift.store import SegmentTable

MAX_STATEMENTS = 15_000  # per voice for the nearest-neighbour search; a seeded sample beyond
MAX_PARSE = 3_000  # sentences parsed per report (the parser runs at a few hundred a second)
NEIGHBOURS = 5  # nearest cross-side sentences kept per sentence, both ways
NEAR = 0.55  # cosine above which two sentences are about the same thing (all-MiniLM-L6-v2 scale)
POLARITY_NEAR = 0.45  # a negation against an affirmation: the same subject, and more than a word
RELATED = 0.35  # looser: a lexical or quantity match needs at least this much shared topic
MAX_PER_KEY = 40  # pairs kept per subject key (the most similar)
MAX_CONTRADICTIONS = 30
COMMON_SHARE = 0.01  # see _common_terms
CROWDED_OVERLAP = 0.5  # rarity-weighted share of words two figures' table rows must have in common
BOILERPLATE_DOCS = 3  # a sentence repeated in this many documents is navigation or boilerplate
# Signal strength: saying the opposite is the full effect; a scope clash can be a nuance.
SIGNAL_EFFECT = {"prohibition": 1.0, "quantity": 1.0, "polarity": 1.0, "scope": 0.8}
EXPLICIT = ("prohibition", "quantity")

STANCES = {
    "prohibition": ("rules out", "uses"),
    "polarity": ("negates", "affirms"),
    "scope": ("says it applies to everyone", "restricts it"),
}

# --------------------------------------------------------------------------- statements

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_QUESTION_START = re.compile(r"^\W*(?:do|does|did|is|are|was|were|can|could|would|will|should|have|has|how|what|why|"
                             r"when|where|which|who|isn't|aren't|don't|doesn't|didn't|won't|can't)\b", re.IGNORECASE)


def is_statement(text: str, block: str | None) -> bool:
    """A sentence that states something: not a heading, a question or a fragment of navigation."""
    if block == "heading":
        return False
    stripped = text.strip()
    if is_question(stripped):
        return False
    words = _WORD.findall(stripped)
    if not 4 <= len(words) <= 80:
        return False
    letters = sum(c.isalpha() for c in stripped)
    return letters >= 0.5 * len(stripped.replace(" ", ""))


def statement_rows(table: SegmentTable) -> dict[str, np.ndarray]:
    """Per voice, the rows that are statements, one per distinct text (its latest version),
    without boilerplate (the same sentence in BOILERPLATE_DOCS or more documents)."""
    docs_of: dict[str, set] = defaultdict(set)
    for text, doc in zip(table.text, table.doc_id):
        bucket = docs_of[text]
        if len(bucket) < BOILERPLATE_DOCS:
            bucket.add(doc)
    blocks = table.block or [None] * len(table)
    latest: dict[tuple[str, str], int] = {}
    for row, (text, voice, month) in enumerate(zip(table.text, table.voice, table.month)):
        if voice not in VOICE_NAMES or len(docs_of[text]) >= BOILERPLATE_DOCS or not is_statement(text, blocks[row]):
            continue
        key = (voice, text)
        if key not in latest or (month or "") >= (table.month[latest[key]] or ""):
            latest[key] = row
    out: dict[str, list[int]] = defaultdict(list)
    for (voice, _), row in latest.items():
        out[voice].append(row)
    return {voice: np.array(sorted(rows), dtype=np.int64) for voice, rows in out.items()}


# --------------------------------------------------------------------------- nearest neighbours


def nearest_pairs(a: np.ndarray, b: np.ndarray, k: int, threshold: float, chunk: int = 2048) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine) where j is among row i's k nearest rows of `b` or i among column
    j's k nearest rows of `a`, with cosine >= threshold. Rows are L2-normalised.

    One chunked pass over a @ b.T: memory is chunk x len(b), time len(a) x len(b) x d, and the
    callers bound both sides (MAX_STATEMENTS)."""
    if len(a) == 0 or len(b) == 0:
        return []
    kb, ka = min(k, len(b)), min(k, len(a))
    col_val = np.full((ka, len(b)), -np.inf, dtype=np.float32)
    col_idx = np.full((ka, len(b)), -1, dtype=np.int64)
    found: dict[tuple[int, int], float] = {}
    cols = np.arange(len(b))
    for start in range(0, len(a), chunk):
        sims = np.asarray(a[start : start + chunk], dtype=np.float32) @ np.asarray(b, dtype=np.float32).T
        rows = np.argpartition(-sims, kb - 1, axis=1)[:, :kb]
        for r, js in enumerate(rows):
            for j in js:
                if sims[r, j] >= threshold:
                    found[(start + r, int(j))] = float(sims[r, j])
        kk = min(ka, len(sims))
        top = np.argpartition(-sims, kk - 1, axis=0)[:kk]
        merged_val = np.concatenate([col_val, sims[top, cols]], axis=0)
        merged_idx = np.concatenate([col_idx, top + start], axis=0)
        keep = np.argpartition(-merged_val, ka - 1, axis=0)[:ka]
        col_val = np.take_along_axis(merged_val, keep, axis=0)
        col_idx = np.take_along_axis(merged_idx, keep, axis=0)
    for r in range(ka):
        for j in np.nonzero(col_val[r] >= threshold)[0]:
            found.setdefault((int(col_idx[r, j]), int(j)), float(col_val[r, j]))
    return [(i, j, s) for (i, j), s in found.items()]


# --------------------------------------------------------------------------- signals


@dataclass(frozen=True)
class Signal:
    """Why two sentences disagree: the kind, the subject key, and the evidence span in each."""

    kind: str  # prohibition | polarity | quantity | scope
    key: str  # the word, term or measure the two disagree about
    first: tuple[int, int]  # evidence span in the first sentence
    second: tuple[int, int]  # in the second
    stances: tuple[str, str]  # what each sentence does: ("negates", "affirms"), ("states 250+ seats", ...)
    strength: float = 1.0  # 0..1: quantity signals scale with the size of the disagreement


_NEGATION_CUE = re.compile(r"\b(?:not|never|no|nor|neither|without|avoid\w*|stop(?:ped)?|refrain|cannot)\b|n[’']t\b",
                           re.IGNORECASE)
# "no more than 5", "not only", "no matter": comparators and idioms, not negations.
_NOT_NEGATION = re.compile(
    r"\b(?:no|not) (?:more|less|fewer|later|earlier|longer than|greater|higher|lower) than\b|\bnot limited to\b|\bnot (?:only|just|merely|"
    r"necessarily|sure|yet)\b|\bno matter\b|\bno doubt\b|\bnothing but\b|\bnot to mention\b|\bno exception\b|\bnever (?:been )?"
    r"(?:easier|better|faster|simpler)\b|\b(?:don[’']t|do not|never) (?:hesitate|forget|miss|wait|worry)\b|\bno-?code\b",
    re.IGNORECASE)
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|whether|suppose|supposing|imagine|what if|as if|even if|let's say|say you)\b",
                           re.IGNORECASE)
_REPORTING = {"say", "claim", "tell", "promise", "argue", "insist", "boast", "advertise", "pitch", "suggest", "assert",
              "allege", "market", "position"}
_FIRST_PERSON = {"i", "we", "us", "our", "my", "me", "you"}
# Verbs too general to carry a stance by themselves: their object does.
_GENERIC = {"be", "have", "do", "get", "make", "go", "need", "want", "know", "think", "see", "let", "take", "give", "come",
            "say", "tell", "forget", "hesitate", "miss", "wait", "worry", "mean", "matter", "seem", "bother", "feel", "use",
            "can", "will", "would", "should", "could", "may", "might", "must", "work", "try", "look", "find", "put", "keep",
            "thing", "way", "one", "lot", "time", "people", "anything", "something", "everything", "nothing", "able",
            "sure", "much", "many", "more", "good", "great", "new", "other", "same", "such", "well", "just", "also",
            "really", "there", "here", "it", "that", "this", "what", "which", "all", "any", "some", "every", "each",
            "long", "yet", "even", "still", "only", "always", "ever", "too", "very", "so", "because", "like", "start",
            "happen", "include", "apply", "allow", "require", "ask", "help", "call", "add", "set", "show", "run",
            "able", "available", "possible", "necessary", "enough", "own", "part", "case", "kind", "sort", "point"}
_STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "from", "as", "is", "are", "was",
         "were", "be", "been", "it", "its", "that", "this", "these", "those", "we", "you", "they", "i", "our", "your",
         "their", "he", "she", "them", "us", "not", "no", "never", "don't", "do", "does", "did", "can", "will", "would",
         "should", "could", "may", "might", "must", "have", "has", "had", "so", "but", "if", "then", "than", "there",
         "here", "what", "which", "who", "when", "where", "how", "all", "any", "some", "just", "also", "very", "more",
         "most", "up", "out", "about", "into", "over", "under", "per", "each", "every", "one", "get", "got", "yes", "okay"}

_TERM_RULE = re.compile(
    r"\b(?:don[’']?t|do not|never|stop|no longer|refrain from)\s+(?:(?:ever|again)\s+)?"
    r"(?:using|use|saying|say|calling|call|writing|write|referring to|refer to|describing|describe|mentioning|mention)"
    r"\s+(?:\w+\s+){0,3}?(?:as\s+)?(?:the\s+)?(?:(?:terms?|words?|phrases?|expressions?|names?|label)\s+(?:like\s+)?)?"
    r"[\"“‘'`]{1,2}(?P<term>[^\"”’'`]{2,40}?)[\"”’'`]{1,2}"
    r"|\bavoid\s+(?:using\s+|saying\s+)?(?:the\s+)?(?:(?:terms?|words?|phrases?|expressions?)\s+(?:like\s+)?)?"
    r"[\"“‘'`]{1,2}(?P<term3>[^\"”’'`]{2,40}?)[\"”’'`]{1,2}"
    r"|\binstead of\s+(?:the\s+)?(?:terms?\s+|words?\s+|phrases?\s+)?[\"“‘'`](?P<term2>[^\"”’'`]{2,40}?)[\"”’'`]",
    re.IGNORECASE)
_UNIVERSAL = re.compile(
    r"\b(?:(?:of|for|at)\s+(?:any|every|all)\s+sizes?|any\s+size|all\s+sizes|no\s+minimums?|no\s+matter\s+(?:how\s+"
    r"(?:big|small|large)|the\s+size|your\s+size)|whatever\s+(?:your|the)\s+size|everyone|every\s+(?:team|company|"
    r"customer|business)|all\s+(?:teams|companies|customers|businesses)|any\s+(?:team|company|customer|business)|"
    r"unlimited\s+(?:users|seats|hosts|devices))\b", re.IGNORECASE)
_RESTRICTION = re.compile(
    r"\bonly\s+(?:for|if|when|available|with|to|if|after|above|over)\b|\bat\s+least\b|\bminimum\b|\bmust\s+have\b|"
    r"\brequires?\s+(?:at\s+least|a\s+minimum)\b|\bnot\s+(?:a\s+fit|available)\s+(?:for|to)\b|\btoo\s+small\b|"
    r"\b(?:over|more\s+than|above)\s+\d", re.IGNORECASE)


def _spans_overlap(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return span[0] < other[1] and other[0] < span[1]


def attributed(doc) -> bool:
    """A sentence that reports someone else's claim ("Competitors say they never ..."): the
    root is a reporting verb whose subject is not the speaker or the reader."""
    for token in doc:
        if token.dep_ == "ROOT" and token.lemma_.lower() in _REPORTING:
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects and all(s.lower_ not in _FIRST_PERSON for s in subjects):
                return True
    return False


@dataclass(frozen=True)
class Negation:
    cue: tuple[int, int]  # character span of the negating word
    head: tuple[int, int]  # character span of what it negates
    verb: str | None  # the negated head's lemma when it carries the stance itself
    objects: frozenset[str]  # its objects or complements' lemmas


def _in_quotes(text: str, start: int) -> bool:
    before = text[:start]
    return sum(before.count(q) for q in ('"', "“", "”")) % 2 == 1


def negations(doc) -> list[Negation]:
    """What each negation in a parsed sentence governs, skipping comparators ("no more than"),
    idioms ("don't hesitate"), hypotheticals ("if we didn't") and quoted speech."""
    text = doc.text
    skip = [m.span() for m in _NOT_NEGATION.finditer(text)]
    out = []
    for token in doc:
        lower = token.lower_
        is_cue = token.dep_ == "neg" or lower in ("never", "without") or (lower == "no" and token.dep_ == "det") \
            or token.lemma_.lower() in ("avoid", "stop", "refrain")
        if not is_cue:
            continue
        span = (token.idx, token.idx + len(token.text))
        if any(_spans_overlap(span, s) or s[0] <= span[0] < s[1] for s in skip) or _in_quotes(text, token.idx):
            continue
        no_longer = lower == "no" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "longer"
        if no_longer:  # "we no longer offer X": the verb
            head = token.head.head if token.head.lower_ == "longer" else token.head
        elif lower == "no":
            continue  # "no" on a noun ("a lead with no value") is a description, not a stance
        elif token.lemma_.lower() in ("avoid", "stop", "refrain"):
            # "avoid discounting", "refrain from discounting": the practice ruled out is a verb.
            # "stop the email from sending" is mechanics, not a stance.
            head = next((c for c in token.children if c.dep_ in ("xcomp", "pcomp") and c.pos_ == "VERB"), None)
            if head is None:
                prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "from"), None)
                head = next((c for c in prep.children if c.dep_ == "pcomp" and c.pos_ == "VERB"), None) if prep else None
            if head is None or any(c.dep_ == "dobj" for c in token.children):
                continue
        elif lower == "no":
            head = token.head  # "no discounts": the noun
        else:
            head = token.head
            if head.pos_ not in ("VERB", "AUX", "ADJ"):
                continue  # "runs, not seats": a contrast between two nouns, not a stance on one
        if _hypothetical(head):
            continue
        if not _has_subject(head):
            continue  # an instruction ("try not to schedule meetings on Fridays") scopes a task, it takes no stance
        verb, objects = _targets(head)
        if not verb and head.lemma_.lower() not in _LIGHT:
            continue  # a general verb ("not knowing GitLab") carries no stance to oppose
        if verb or objects:
            out.append(Negation(span, (head.idx, head.idx + len(head.text)), verb, objects))
    return out


_OFFER_PREDICATES = {"include", "support", "offer", "charge", "require", "available", "free", "provide", "sell"}


def _has_subject(token) -> bool:
    """A stance the speaker's side holds: a declarative whose subject is the speaker or the
    reader ("we never discount", "you don't need IT"), a named product or company, or an
    offer ("onboarding is not included"). An imperative ("try not to schedule meetings on
    Fridays") scopes a task, and a third party's behaviour ("the email will not send") is
    a fact about it: neither is a side's position."""
    for node in (token, token.head):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")]
        for subject in subjects:
            if subject.lower_ in ("we", "you", "i") or subject.pos_ == "PROPN":
                return True
            if node.lemma_.lower() in _OFFER_PREDICATES or any(c.lemma_.lower() in _OFFER_PREDICATES
                                                                 for c in node.children if c.dep_ in ("acomp", "attr")):
                return True
        if node.head is node:
            break
    return False


def _hypothetical(token) -> bool:
    """The token sits in an if/unless clause, or under "imagine"/"suppose", or is a rule with
    a condition of its own ("if they click, they will not get the next email"): a scoped rule
    says nothing against an unconditional statement."""
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless", "when", "once", "until")
                                     for m in c.children) for c in token.children):
        return True
    node = token
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children):
            return True
        if node.lemma_.lower() in ("imagine", "suppose", "pretend"):
            return True
        if node.head is node:
            break
        node = node.head
    return False


def _content(token) -> bool:
    return token.pos_ in ("VERB", "NOUN", "PROPN", "ADJ") and token.lemma_.lower() not in _GENERIC and len(token.text) > 2


# Verbs whose object carries the stance: "we don't offer discounts" is about discounts.
_LIGHT = {"offer", "give", "provide", "have", "include", "allow", "use", "do", "make", "get", "take", "accept", "need",
          "require", "want", "see", "be"}


def _targets(head) -> tuple[str | None, frozenset[str]]:
    """What a negation bears on: the head when it says something ("we never discount":
    discount) and its objects or complements ("don't offer discounts": discount; "is not
    free": free; "onboarding is not included": onboarding). A light verb (offer, include,
    support ...) leaves the stance to its object."""
    lemma = head.lemma_.lower()
    light = lemma in _LIGHT
    # A purpose clause ("never discount to win a deal") is not what is negated; after a light
    # verb the complement is ("we don't want to discount": discount).
    deps = ("dobj", "attr", "acomp", "oprd", "nsubjpass") + (("xcomp",) if light else ())
    # A name as the object ("not to use Fleet") is the product itself, not a claim about it.
    objects = frozenset(child.lemma_.lower() for child in head.children
                        if child.dep_ in deps and _content(child) and child.pos_ != "PROPN")
    return (lemma if _content(head) and not light else None), objects


def affirms(doc, lemma: str) -> tuple[int, int] | None:
    """The span where a sentence says `lemma` without negating it, or None."""
    for token in doc:
        if token.lemma_.lower() != lemma or not _content(token):
            continue
        window = doc[max(0, token.i - 3) : token.i]
        if any(c.dep_ == "neg" for c in token.children) or any(
                t.lower_ in ("not", "never", "no", "n't", "without") or t.dep_ == "neg"
                or t.lemma_.lower() in ("avoid", "stop", "refrain", "prevent") for t in window):
            continue
        if token.head is not token and any(c.dep_ == "neg" for c in token.head.children) and token.dep_ in ("dobj", "xcomp", "attr", "acomp"):
            continue
        if _in_quotes(doc.text, token.idx):
            continue
        return token.idx, token.idx + len(token.text)
    return None


def is_question(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped) and "?" in stripped)


def polarity_signal(doc_a, doc_b) -> Signal | None:
    """One sentence negates a word the other affirms (either way round)."""
    if is_question(doc_a.text) or is_question(doc_b.text):
        return None  # "Don't you discount?" asks; it does not say
    for first, second, flip in ((doc_a, doc_b, False), (doc_b, doc_a, True)):
        if attributed(first) or attributed(second):
            return None
        lemmas = {t.lemma_.lower() for t in second}
        for neg in negations(first):
            # The other sentence must say the negated verb with one of its objects ("no longer
            # support the on-premise edition" against "the on-premise edition is supported"),
            # or, after a light verb, the object itself ("don't offer discounts").
            if neg.verb:
                if neg.objects and not neg.objects & lemmas:
                    continue
                options = [neg.verb]
            else:
                light = first.text[neg.head[0] : neg.head[1]]
                light_lemma = next((t.lemma_.lower() for t in first if t.idx == neg.head[0]), light.lower())
                # "don't offer discounts" against "I can offer a discount" (the same verb and
                # object) or "I can discount it" (the object as the verb).
                options = [o for o in sorted(neg.objects)
                           if any(t.lemma_.lower() == light_lemma and any(c.lemma_.lower() == o for c in t.children)
                                  for t in second)
                           or any(t.lemma_.lower() == o and t.pos_ == "VERB" for t in second)]
            for lemma in options:
                span = affirms(second, lemma)
                if span is None:
                    continue
                evidence = (min(neg.cue[0], neg.head[0]), max(neg.cue[1], neg.head[1]))
                if flip:
                    return Signal("polarity", lemma, span, evidence, ("affirms", "negates"))
                return Signal("polarity", lemma, evidence, span, ("negates", "affirms"))
    return None


def prohibited_terms(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Words a sentence rules out in so many words: 'Don't use the term "integrated"'."""
    out = []
    for m in _TERM_RULE.finditer(text):
        term = (m.group("term") or m.group("term2") or m.group("term3") or "").strip()
        if term and len(term.split()) <= 4 and not _hypothetical_text(text[: m.start()]):
            out.append((term, m.span()))
    return out


def _hypothetical_text(prefix: str) -> bool:
    return bool(re.search(r"\b(?:if|unless|imagine|suppose)\b[^.;:]*$", prefix, re.IGNORECASE))


def term_use(text: str, term: str) -> tuple[int, int] | None:
    """Where a sentence uses `term` as its own word: not negated, not in quotes (a mention)."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE):
        if _in_quotes(text, m.start()) or text[max(0, m.start() - 1) : m.start()] in ("'", "‘", "`"):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if _NEGATION_CUE.search(before) and not _NOT_NEGATION.search(before):
            continue
        return m.span()
    return None


def prohibition_signal(text_a: str, text_b: str, common: set[str] | None = None) -> Signal | None:
    """One sentence rules out a word in so many words, the other uses it. `common`: words so
    frequent in the corpus ("first", "only") that using them says nothing about the rule."""
    for first, second, flip in ((text_a, text_b, False), (text_b, text_a, True)):
        for term, span in prohibited_terms(first):
            if prohibited_terms(second) or (common and term.lower() in common):
                continue
            used = term_use(second, term)
            if used:
                if flip:
                    return Signal("prohibition", term.lower(), used, span, ("uses", "rules out"))
                return Signal("prohibition", term.lower(), span, used, ("rules out", "uses"))
    return None


_DURATIONS = {"minutes", "hours", "days", "weeks", "months", "quarters", "years"}
_WEAK_UNITS = {"percent", "usd", "eur", "gbp", "times", "minutes", "hours", "days", "weeks", "months", "quarters", "years"}


def _context(text: str, span: tuple[int, int], width: int = 6) -> set[str]:
    """Content words within `width` words either side of a span, singular and lowercase."""
    left = _WORD.findall(text[: span[0]])[-width:]
    right = _WORD.findall(text[span[1] :])[:width]
    return {_singular(w.lower()) for w in left + right if w.lower() not in _STOP and len(w) > 2}


_ROW_BREAK = re.compile(r"\|\s*\||\n|;")


def _chunk(text: str, span: tuple[int, int]) -> str:
    """The table row or clause of a flattened table that holds a span."""
    starts = [0] + [m.end() for m in _ROW_BREAK.finditer(text) if m.end() <= span[0]]
    ends = [m.start() for m in _ROW_BREAK.finditer(text) if m.start() >= span[1]] + [len(text)]
    return text[starts[-1] : ends[0]]


def _chunk_overlap(text_a: str, span_a: tuple[int, int], text_b: str, span_b: tuple[int, int],
                   rarity: dict[str, float] | None = None) -> float:
    """Share of content words two quantities' rows have in common (of the smaller row),
    weighted by rarity: in a flattened table of case studies, a figure is compared only with
    the same case's (its name is rare; "GitLab" and "faster" are not)."""
    wa = _context(_chunk(text_a, span_a), (0, 0), 10_000)
    wb = _context(_chunk(text_b, span_b), (0, 0), 10_000)
    weight = (lambda w: rarity.get(w, max(rarity.values(), default=1.0))) if rarity else (lambda w: 1.0)  # noqa: E731
    smaller = min(sum(map(weight, wa)), sum(map(weight, wb)))
    return sum(map(weight, wa & wb)) / smaller if smaller > 0 else 0.0


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


_HEDGED = re.compile(r"\b(?:would|could|might|imagine|suppose|for example|e\.g\.|say you|let's say|hypothetically)\b",
                     re.IGNORECASE)


def quantity_signal(text_a: str, text_b: str, qa: Sequence[Q.Quantity] | None = None,
                    qb: Sequence[Q.Quantity] | None = None, rarity: dict[str, float] | None = None,
                    bounds_only: bool = False) -> Signal | None:
    """The same measure with values that disagree.

    A counted unit (seats, hosts, points ...) names its measure; a percentage, a price or a
    duration needs a shared word beside it ("a 20% discount" against "a 10% discount", not
    "43% faster" against "61% fewer"), and the caller asks more topical similarity of it. A value both
    sentences state is not a disagreement: "from over 40 minutes to 6 minutes" on both sides
    agrees, whichever pair of the four numbers is taken. In a long sentence or a flattened
    table the two figures' rows must share their rarer words (`rarity`: word -> inverse
    document frequency), so one customer's figure is not set against another's."""
    if _HEDGED.search(text_a) or _HEDGED.search(text_b):
        return None
    qa = find_quantities_cached(text_a) if qa is None else qa
    qb = find_quantities_cached(text_b) if qb is None else qb
    qa = [q for q in qa if q.canonical and q.unit]
    qb = [q for q in qb if q.canonical and q.unit]
    # A table row of figures or a long sentence: pair only figures about the same rare words.
    crowded = len(qa) > 3 or len(qb) > 3 or len(_WORD.findall(text_a)) > 40 or len(_WORD.findall(text_b)) > 40
    stories = _story_measures(qa) & _story_measures(qb)
    best: Signal | None = None
    for x in qa:
        for y in qb:
            # Two thresholds, two rates or two durations ("live in a day" against "plan six
            # weeks") are claims; two counts of particular things ("sixty seats", "eight
            # people") describe two customers.
            claims = (_threshold(text_a, x) and _threshold(text_b, y)) or (x.per and y.per) or \
                (x.unit in _DURATIONS and y.unit in _DURATIONS)
            if bounds_only:  # a buyer's figures describe the buyer: only two stated bounds clash
                claims = x.comparator in (">", ">=", "<", "<=") and y.comparator in (">", ">=", "<", "<=")
            if not claims or not Q.conflicts(x, y):
                continue
            if any(Q.same_measure(x, z) and not Q.conflicts(x, z) for z in qb) or \
                    any(Q.same_measure(y, z) and not Q.conflicts(y, z) for z in qa):
                continue  # each side also states the other's value
            if _story_key(x) in stories and not _shared_endpoint(qa, qb, x):
                # Both tell a before-and-after ("from 6 hours to 20 minutes"): it is the same story
                # told with other numbers only when one end matches; otherwise two customers.
                continue
            shared = _context(text_a, x.span, 4) & _context(text_b, y.span, 4)
            weak = x.unit in _WEAK_UNITS or bool(x.per)
            if (weak and not shared) or (crowded and _chunk_overlap(text_a, x.span, text_b, y.span, rarity) < CROWDED_OVERLAP):
                continue
            vx, vy = Q.in_base_units(x), Q.in_base_units(y)
            # Half the larger value apart is a full disagreement; a near miss still counts half.
            strength = max(0.5, min(1.0, abs(vx - vy) / (0.5 * (max(abs(vx), abs(vy)) or 1.0))))
            signal = Signal("quantity", measure_name(x), x.span, y.span, (x.text, y.text), strength)
            if best is None or signal.strength > best.strength:
                best = signal
    return best


def _story_key(q: Q.Quantity) -> tuple:
    """What a figure measures, with durations and rates taken as one family each ("6 hours" ~ "20 minutes")."""
    return ("time",) if q.unit in _DURATIONS else (q.unit, q.per)


def _story_measures(quantities: Sequence[Q.Quantity]) -> set[tuple]:
    """Measures a sentence states twice or more: a before and an after."""
    keys = [_story_key(q) for q in quantities]
    return {k for k in keys if keys.count(k) >= 2}


def _shared_endpoint(qa: Sequence[Q.Quantity], qb: Sequence[Q.Quantity], x: Q.Quantity) -> bool:
    key = _story_key(x)
    return any(_story_key(y) == key and _story_key(z) == key and Q.same_measure(y, z) and not Q.conflicts(y, z)
               for y in qa for z in qb)


_THRESHOLD_CUE = re.compile(r"\b(?:at|reach(?:es|ed)?|threshold(?: of)?|minimum(?: of)?|starts? at|from|break at|limit(?: of)?|"
                            r"cap(?: of)?|requires?)\s*$", re.IGNORECASE)


def _threshold(text: str, q: Q.Quantity) -> bool:
    """A bound ("250+ seats", "no less than 30 points") or a value stated as a threshold
    ("a volume break at 50 seats", "reach 100 points"), not a count of particular things."""
    return q.comparator in (">", ">=", "<", "<=") or bool(_THRESHOLD_CUE.search(text[max(0, q.span[0] - 30) : q.span[0]]))


def measure_name(q: Q.Quantity) -> str:
    """A readable name for what a quantity measures: "seats", "price per host per month"."""
    unit = {"usd": "price", "eur": "price", "gbp": "price", "percent": "percentage", "cpu_cores": "CPU cores"}.get(q.unit, q.unit)
    if q.unit in ("minutes", "hours", "days", "weeks", "months", "quarters", "years"):
        unit = "time"
    per = [p.replace("_", " ") for p in q.per]
    return unit + "".join(f" per {p}" for p in per)


def scope_signal(text_a: str, text_b: str) -> Signal | None:
    """One sentence says everyone (any size, all teams, no minimum), the other restricts."""
    for first, second, flip in ((text_a, text_b, False), (text_b, text_a, True)):
        universal = _UNIVERSAL.search(first)
        restriction = _RESTRICTION.search(second)
        if not universal or not restriction or _RESTRICTION.search(first) or _UNIVERSAL.search(second):
            continue
        if _hypothetical_text(second[: restriction.start()]) or _hypothetical_text(first[: universal.start()]):
            continue
        shared = _context(first, (0, 0), 200) & _context(second, (0, 0), 200)
        if not shared:
            continue
        key = universal.group(0).lower()
        if flip:
            return Signal("scope", key, restriction.span(), universal.span(), ("restricts it", "says it applies to everyone"))
        return Signal("scope", key, universal.span(), restriction.span(), ("says it applies to everyone", "restricts it"))
    return None


_QUANTITY_CACHE: dict[str, list[Q.Quantity]] = {}


def find_quantities_cached(text: str) -> list[Q.Quantity]:
    found = _QUANTITY_CACHE.get(text)
    if found is None:
        if len(_QUANTITY_CACHE) > 200_000:
            _QUANTITY_CACHE.clear()
        found = _QUANTITY_CACHE[text] = Q.find_quantities(text)
    return found


# --------------------------------------------------------------------------- the search


@dataclass
class _Pair:
    row_a: int  # row of the first voice of the voice pair
    row_b: int
    similarity: float
    signal: Signal


@dataclass
class ContradictionSearch:
    """What `find_contradictions` looked at, for the report's notes."""

    statements: dict[str, int] = field(default_factory=dict)
    sampled: dict[str, int] = field(default_factory=dict)  # voice -> statements kept when sampled
    candidates: int = 0
    parsed: int = 0
    parse_capped: bool = False


def _vectors(table: SegmentTable, rows: np.ndarray) -> np.ndarray:
    return np.asarray(table.vectors[rows], dtype=np.float32) if len(rows) else np.zeros((0, 0), np.float32)


def _word_index(table: SegmentTable, rows: np.ndarray) -> dict[str, list[int]]:
    """Lowercased word -> rows (positions in `rows`) that contain it: one pass over the texts."""
    index: dict[str, list[int]] = defaultdict(list)
    for pos, row in enumerate(rows):
        for word in set(w.lower() for w in _WORD.findall(table.text[row])):
            index[word].append(pos)
    return index


def _forms(lemma: str) -> set[str]:
    """Surface forms to look up for a lemma: discount -> discounts, discounted, discounting."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


_NEGATED_WORD = re.compile(
    r"\b(?:not|never|no|n[’']t|no longer|without|avoid|stop)\s+(?:(?:be|been|being|ever|always|really|actually|to|"
    r"the|a|an|any|our|your|their|we|you|offer|offering|give|giving|do|does|use|using|have|has|need|require|allow|"
    r"support|include)\s+){0,3}(?P<w>[A-Za-z][A-Za-z-]{3,})", re.IGNORECASE)


def _lexical_candidates(table: SegmentTable, rows_a: np.ndarray, rows_b: np.ndarray, vec_a: np.ndarray,
                        vec_b: np.ndarray, index_b: dict[str, list[int]], limit: int) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine): sentence i of a negates or rules out a word that sentence j of b uses,
    with at least RELATED cosine (for a rule about a quoted term, any cosine)."""
    out: list[tuple[int, int, float]] = []
    for i, row in enumerate(rows_a):
        text = table.text[row]
        if not _NEGATION_CUE.search(text):
            continue
        words: set[str] = set()
        quoted = False
        for term, _ in prohibited_terms(text):
            words.add(term.lower().split()[0])
            quoted = True
        for m in _NEGATED_WORD.finditer(text):
            words.add(m.group("w").lower())
        hits: set[int] = set()
        for word in words:
            if word in _STOP or word in _GENERIC:
                continue
            for form in _forms(_singular(word)) | {word}:
                hits.update(index_b.get(form, ()))
        if not hits:
            continue
        js = np.fromiter(hits, dtype=np.int64)
        sims = vec_b[js] @ vec_a[i]
        keep = np.argsort(-sims)[:limit]
        for j, s in zip(js[keep], sims[keep]):
            if quoted or s >= RELATED:
                out.append((i, int(j), float(s)))
    return out


_HAS_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|"
                         r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|half|third|quarter|a day|a week)\b",
                         re.IGNORECASE)


def _quantity_candidates(table: SegmentTable, rows_a: np.ndarray, rows_b: np.ndarray, vec_a: np.ndarray,
                         vec_b: np.ndarray, rng: np.random.Generator, bucket_cap: int = 2000) -> list[tuple[int, int, float]]:
    """Pairs whose sentences state the same measure (blocked by measure), RELATED or closer."""
    buckets: list[dict[tuple, list[int]]] = [defaultdict(list), defaultdict(list)]
    for side, rows in enumerate((rows_a, rows_b)):
        for pos, row in enumerate(rows):
            text = table.text[row]
            if not _HAS_NUMBER.search(text):
                continue
            for q in find_quantities_cached(text):
                if q.canonical and q.unit:
                    key = (q.unit if q.unit not in _WEAK_UNITS or q.unit == "percent" else
                           ("money" if q.unit in ("usd", "eur", "gbp") else "time"), q.per)
                    if not buckets[side][key] or buckets[side][key][-1] != pos:
                        buckets[side][key].append(pos)
    out: list[tuple[int, int, float]] = []
    for key, left in buckets[0].items():
        right = buckets[1].get(key)
        if not right:
            continue
        left_ = np.array(left if len(left) <= bucket_cap else sorted(rng.choice(left, bucket_cap, replace=False)))
        right_ = np.array(right if len(right) <= bucket_cap else sorted(rng.choice(right, bucket_cap, replace=False)))
        sims = vec_a[left_] @ vec_b[right_].T
        ii, jj = np.nonzero(sims >= RELATED)
        for i, j in zip(ii, jj):
            out.append((int(left_[i]), int(right_[j]), float(sims[i, j])))
    return out


def _sample(rows: np.ndarray, cap: int, rng: np.random.Generator) -> np.ndarray:
    return rows if len(rows) <= cap else np.sort(rng.choice(rows, cap, replace=False))


def find_contradictions(table: SegmentTable, rng: np.random.Generator,
                        search: ContradictionSearch | None = None) -> list[Contradiction]:
    """Cross-side contradictions in the table, most important first (at most MAX_CONTRADICTIONS)."""
    search = search if search is not None else ContradictionSearch()
    statements = statement_rows(table)
    search.statements = {v: len(r) for v, r in statements.items()}
    for voice, rows in list(statements.items()):
        if len(rows) > MAX_STATEMENTS:
            statements[voice] = _sample(rows, MAX_STATEMENTS, rng)
            search.sampled[voice] = MAX_STATEMENTS
    vectors = {v: _vectors(table, r) for v, r in statements.items()}
    indexes = {v: _word_index(table, r) for v, r in statements.items()}

    # Candidate pairs per voice pair, from the three blocked searches, most similar first.
    candidates: dict[tuple[str, str], dict[tuple[int, int], float]] = {}
    lexical: set[tuple[int, int]] = set()  # pairs joined by a negated word the other sentence uses
    for a, b in VOICE_PAIRS:
        if a not in statements or b not in statements:
            continue
        ra, rb, va, vb = statements[a], statements[b], vectors[a], vectors[b]
        found: dict[tuple[int, int], float] = {}
        for i, j, s in nearest_pairs(va, vb, NEIGHBOURS, NEAR):
            found[(int(ra[i]), int(rb[j]))] = s
        for i, j, s in _lexical_candidates(table, ra, rb, va, vb, indexes[b], 20):
            found[(int(ra[i]), int(rb[j]))] = s
            lexical.add((int(ra[i]), int(rb[j])))
        for j, i, s in _lexical_candidates(table, rb, ra, vb, va, indexes[a], 20):
            found[(int(ra[i]), int(rb[j]))] = s
            lexical.add((int(ra[i]), int(rb[j])))
        for i, j, s in _quantity_candidates(table, ra, rb, va, vb, rng):
            found[(int(ra[i]), int(rb[j]))] = s
        same_doc = {key for key in found if table.doc_id[key[0]] == table.doc_id[key[1]]}
        for key in same_doc:  # a reply in the same conversation is dialogue, not a divergence
            del found[key]
        candidates[(a, b)] = found
        search.candidates += len(found)

    # A ruled-out word that a tenth of a percent of all statements use is an ordinary word
    # ("first", "only"): using it says nothing about the rule.
    all_rows = np.concatenate([r for r in statements.values()]) if statements else np.zeros(0, np.int64)
    common = _common_terms(table, all_rows, statements, indexes)
    rarity = _rarity(indexes, len(all_rows))

    # Cheap signals first (text only); the parse only for pairs where a negation may oppose.
    pairs: dict[tuple[str, str], list[_Pair]] = defaultdict(list)
    to_parse: dict[tuple[str, str], list[tuple[int, int, float]]] = defaultdict(list)
    for voices, found in candidates.items():
        for (ra, rb), sim in sorted(found.items(), key=lambda kv: -kv[1]):
            ta, tb = table.text[ra], table.text[rb]
            signal = prohibition_signal(ta, tb, common)
            if signal is None and sim >= RELATED:
                signal = quantity_signal(ta, tb, rarity=rarity, bounds_only="buyer" in voices)
                if signal is not None and sim < NEAR and signal.key.split()[0] in ("time", "price", "percentage"):
                    signal = None  # a duration, price or share needs the same topic, not just a word
            if signal is None and sim >= NEAR and "marketing" in voices:
                signal = scope_signal(ta, tb)
            if signal is not None:
                pairs[voices].append(_Pair(ra, rb, sim, signal))
            elif "marketing" in voices and (sim >= POLARITY_NEAR or (ra, rb) in lexical) \
                    and (_NEGATION_CUE.search(ta) or _NEGATION_CUE.search(tb)):
                # Between reps and buyers, "not" and "no" are conversation about one customer
                # ("budget's not the issue"); a stance against a stance needs a written side.
                to_parse[voices].append((ra, rb, sim))
    texts: list[str] = []
    queue = sorted(((sim, voices, ra, rb) for voices, items in to_parse.items() for ra, rb, sim in items), reverse=True)
    wanted: dict[str, None] = {}
    chosen = []
    for sim, voices, ra, rb in queue:
        new = [t for t in (table.text[ra], table.text[rb]) if t not in wanted]
        if len(wanted) + len(new) > MAX_PARSE:
            search.parse_capped = True
            break
        for t in new:
            wanted[t] = None
        chosen.append((voices, ra, rb, sim))
    from drift.nlp import load_parser  # the parser only when a negation may oppose (check imports this module)

    nlp = load_parser() if chosen else None
    if nlp is not None:
        texts = list(wanted)
        docs = dict(zip(texts, nlp.pipe(texts, batch_size=128)))
        search.parsed = len(docs)
        for voices, ra, rb, sim in chosen:
            buyer_text = table.text[rb] if voices[1] == "buyer" else None
            if buyer_text is not None and not _ADDRESSED.search(buyer_text):
                continue  # a buyer's "not" is about the buyer's own business unless it is said to the seller
            signal = polarity_signal(docs[table.text[ra]], docs[table.text[rb]])
            if signal is not None:
                pairs[voices].append(_Pair(ra, rb, sim, signal))

    out: list[Contradiction] = []
    for voices, found_pairs in pairs.items():
        out.extend(_group(table, voices, found_pairs, _StanceCounter(table, statements, vectors, indexes)))
    out.sort(key=lambda c: (-c.importance, c.title))
    return out[:MAX_CONTRADICTIONS]


def _rarity(indexes: dict[str, dict[str, list[int]]], total: int) -> dict[str, float]:
    """Word (singular, lowercase) -> inverse document frequency over all statements."""
    df: dict[str, int] = defaultdict(int)
    for index in indexes.values():
        for word, rows in index.items():
            df[_singular(word)] += len(rows)
    return {w: math.log((1 + total) / (1 + n)) for w, n in df.items()}


def _common_terms(table: SegmentTable, rows: np.ndarray, statements: dict[str, np.ndarray],
                  indexes: dict[str, dict[str, list[int]]]) -> set[str]:
    """Words ruled out somewhere that more than COMMON_SHARE of all statements use."""
    terms = {term.lower() for row in rows if _NEGATION_CUE.search(table.text[row])
             for term, _ in prohibited_terms(table.text[row])}
    total = max(1, len(rows))
    common = set()
    for term in terms:
        words = term.split()
        hits = sum(len(index.get(words[0], ())) for index in indexes.values())
        if hits > COMMON_SHARE * total:
            common.add(term)
    return common


# --------------------------------------------------------------------------- subjects


def _components(pairs: list[_Pair]) -> list[list[_Pair]]:
    """Pairs connected through a shared sentence on either side (union-find)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[find(("a", p.row_a))] = find(("b", p.row_b))
    groups: dict[tuple[str, int], list[_Pair]] = defaultdict(list)
    for p in pairs:
        groups[find(("a", p.row_a))].append(p)
    return list(groups.values())


class _StanceCounter:
    """How many statements of a voice hold a stance on a word: negate it (a negation cue just
    before it) or say it plainly, among those about the same topic (cosine >= RELATED to a
    quoted sentence). A word-level count, no parse: the quoted pairs are parsed, the count
    only says how widespread each side's stance is."""

    def __init__(self, table, statements, vectors, indexes):
        self.table, self.statements, self.vectors, self.indexes = table, statements, vectors, indexes

    def rows(self, voice: str, lemma: str, negated: bool, anchors: list[int]) -> set[int]:
        index = self.indexes.get(voice, {})
        positions = sorted({p for form in _forms(lemma) for p in index.get(form, ())})
        if not positions or not anchors:
            return set()
        anchor_vectors = np.asarray(self.table.vectors[np.array(anchors)], dtype=np.float32)
        sims = (self.vectors[voice][positions] @ anchor_vectors.T).max(axis=1)
        out = set()
        forms = "|".join(sorted(_forms(lemma), key=len, reverse=True))
        pattern = re.compile(rf"(?P<before>(?:\S+\s+){{0,3}})\b(?:{forms})\b", re.IGNORECASE)
        for pos, sim in zip(positions, sims):
            row = int(self.statements[voice][pos])
            text = self.table.text[row]
            if sim < RELATED or is_question(text) or _HYPOTHETICAL.search(text):
                continue
            m = pattern.search(text)
            if m and bool(_NEGATION_CUE.search(m.group("before"))) == negated:
                out.add(row)
        return out


def _group(table: SegmentTable, voices: tuple[str, str], pairs: list[_Pair],
           counter: "_StanceCounter | None" = None) -> list[Contradiction]:
    by_key: dict[tuple[str, str], list[_Pair]] = defaultdict(list)
    for p in pairs:
        by_key[(p.signal.kind, p.signal.key)].append(p)
    out = []
    for (kind, key), keyed in by_key.items():
        keyed = sorted(keyed, key=lambda p: -p.similarity)[:MAX_PER_KEY]
        for component in _components(keyed):
            made = _contradiction(table, voices, kind, key, component, counter)
            if made is not None:
                out.append(made)
    return out


def _contradiction(table: SegmentTable, voices: tuple[str, str], kind: str, key: str,
                   pairs: list[_Pair], counter: "_StanceCounter | None" = None) -> Contradiction | None:
    a, b = voices
    rows_a = sorted({p.row_a for p in pairs})
    rows_b = sorted({p.row_b for p in pairs})
    if kind == "polarity" and counter is not None:
        # Every statement of each side that holds the same stance on the word, not only the
        # paired ones: the weight of evidence on both sides.
        stance_a = pairs[0].signal.stances[0]
        anchors = rows_a[:3] + rows_b[:3]
        rows_a = sorted(set(rows_a) | counter.rows(a, key, stance_a == "negates", anchors))
        rows_b = sorted(set(rows_b) | counter.rows(b, key, stance_a != "negates", anchors))
    n_a, n_b = len(rows_a), len(rows_b)
    if kind not in EXPLICIT and min(n_a, n_b) < 2:
        return None  # one stray sentence is not a side's stance
    # The clearest pair: the strongest signal, then a quote that says it as a statement with a
    # speaker ("I can discount it") over a fragment ("the discount math"), then similarity.
    if kind == "prohibition":
        # The clearest use of a ruled-out word leads its statement ("Deeply integrated, making
        # developers happier") rather than trailing a long row where it is one word among many.
        best = max(pairs, key=lambda p: (p.signal.strength, -_lead_position(table.text[p.row_b], p.signal.second),
                                         p.similarity))
        rows_b = sorted(rows_b, key=lambda r: _lead_position(table.text[r], term_use(table.text[r], key) or (0, 0)))
    else:
        best = max(pairs, key=lambda p: (p.signal.strength, bool(_SPEAKER.search(table.text[p.row_a]))
                                         + bool(_SPEAKER.search(table.text[p.row_b])), p.similarity))
    # The two stances, named for each voice (quantities name their own values).
    stance_a, stance_b = best.signal.stances
    quotes_a = [quote_at(table, best.row_a, best.similarity)] + [quote_at(table, r) for r in rows_a if r != best.row_a][:1]
    quotes_b = [quote_at(table, best.row_b, best.similarity)] + [quote_at(table, r) for r in rows_b if r != best.row_b][:1]
    spans_a = [list(best.signal.first)] + [list(_span_for(p, "a")) for p in pairs if p.row_a in rows_a and p.row_a != best.row_a][:1]
    spans_b = [list(best.signal.second)] + [list(_span_for(p, "b")) for p in pairs if p.row_b in rows_b and p.row_b != best.row_b][:1]
    subject = _subject(table, kind, key, best)
    name_a, name_b = VOICE_NAMES[a], VOICE_NAMES[b]
    evidence_a = table.text[best.row_a][best.signal.first[0] : best.signal.first[1]]
    evidence_b = table.text[best.row_b][best.signal.second[0] : best.signal.second[1]]
    if kind == "quantity":
        title = f"{_upper_first(subject)}: {name_a} say {stance_a}, {name_b} say {stance_b}" if a != "marketing" else \
            f"{_upper_first(subject)}: marketing says {stance_a}, {name_b} say {stance_b}"
        summary = f"{name_a.capitalize()} states “{stance_a}” where {name_b} state “{stance_b}” ({subject}; {n_a} and {n_b} sentences)."
        stances = {a: f"states {stance_a}", b: f"states {stance_b}"}
    else:
        verb_a = _agree(a, stance_a)
        verb_b = _agree(b, stance_b)
        title = f"{name_a.capitalize()} {verb_a} {subject}; {name_b} {verb_b} it" if kind != "scope" else \
            f"{_upper_first(subject)}: {name_a} {verb_a}, {name_b} {verb_b}"
        summary = (f"{name_a.capitalize()} {verb_a} / {name_b} {verb_b}: {subject} "
                   f"(“{evidence_a}” against “{evidence_b}”; {n_a} and {n_b} sentences).")
        stances = {a: stance_a, b: stance_b}
    similarity = float(np.mean([p.similarity for p in pairs]))
    effect = SIGNAL_EFFECT[kind] * best.signal.strength
    # Evidence: how surely the two sentences are about the same thing (cosine from RELATED to
    # 0.8 maps to 0.75..1); a rule stated in so many words needs no topical match.
    clarity = 0.75 + 0.25 * min(1.0, max(0.0, (best.similarity - RELATED) / (0.8 - RELATED)))
    if kind == "prohibition":
        clarity = max(clarity, 0.9)
    # Volume: sentences holding each stance, both sides (geometric mean). A stance stated in ten
    # sentences is fully established: contradictions are stated, not sampled like usages.
    importance = effect * clarity * math.sqrt(stance_volume(n_a) * stance_volume(n_b))
    return Contradiction(
        subject=subject,
        title=title,
        summary=summary,
        signal=kind,
        voices=(a, b),
        stances=stances,
        counts={a: n_a, b: n_b},
        quotes={a: quotes_a, b: quotes_b},
        evidence={a: [[int(x) for x in s] for s in spans_a], b: [[int(x) for x in s] for s in spans_b]},
        evidence_text={a: evidence_a, b: evidence_b},
        similarity=round(similarity, 4),
        importance=round(float(importance), 6),
        pairs=len(pairs),
    )


_CELL_BREAK = re.compile(r"\||\s[-–—]\s|[.;:!?](?:\s|$)")


def _lead_position(text: str, span: tuple[int, int]) -> int:
    """How many words precede a span within its table cell, list item or sentence."""
    start = 0
    for match in _CELL_BREAK.finditer(text, 0, span[0]):
        start = match.end()
    return len(_WORD.findall(text[start : span[0]]))


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_ADDRESSED = re.compile(r"\b(?:you|your|you're|you've|you'd)\b", re.IGNORECASE)
_SPEAKER = re.compile(r"\b(?:I|we|you|our)\b", re.IGNORECASE)


def stance_volume(n: int) -> float:
    """0 for no sentence, about 0.29 for one, 1 from ten sentences holding a stance."""
    return min(1.0, math.log10(1 + n) / math.log10(11))


def _span_for(p: _Pair, side: str) -> tuple[int, int]:
    return p.signal.first if side == "a" else p.signal.second


def _agree(voice: str, stance: str) -> str:
    """'rules out' for marketing, 'rule out' for reps: the verb agrees with the voice's name."""
    if voice == "marketing":
        return stance
    first, _, rest = stance.partition(" ")
    plain = {"rules": "rule", "uses": "use", "negates": "negate", "affirms": "affirm", "says": "say",
             "restricts": "restrict"}.get(first, first)
    return f"{plain} {rest}".strip()


def _subject(table: SegmentTable, kind: str, key: str, best: _Pair) -> str:
    """A readable phrase for what the two disagree about."""
    if kind == "prohibition":
        return f"the word “{key}”"
    if kind == "quantity":
        chunk = _shared_chunk(table.text[best.row_a], table.text[best.row_b], exclude=set(key.split()))
        return f"{key} ({chunk})" if chunk else key
    if kind == "scope":
        chunk = _shared_chunk(table.text[best.row_a], table.text[best.row_b])
        return chunk or "who it is for"
    chunk = _shared_chunk(table.text[best.row_a], table.text[best.row_b], must=key)
    if chunk:
        return chunk
    return f"“{key}”"


def _shared_chunk(text_a: str, text_b: str, exclude: set[str] | None = None, must: str | None = None) -> str | None:
    """The longest noun chunk (tagger-free: runs of content words) both sentences contain."""
    # Runs break at punctuation: a label never spans two table cells or clauses.
    words_a, last = [], 0
    for m in _WORD.finditer(text_a):
        if words_a and re.search(r"[^\s-]", text_a[last : m.start()]):
            words_a.append("")
        words_a.append(m.group(0).lower())
        last = m.end()
    words_b = {_singular(w.lower()) for w in _WORD.findall(text_b)}
    exclude = {_singular(w) for w in (exclude or set())}
    original = {w.lower(): w for w in _WORD.findall(text_a)}
    best: list[str] = []
    best_score = 0.0
    run: list[str] = []
    for word in words_a + [""]:
        s = _singular(word)
        if word and word not in _STOP and s not in _GENERIC and s in words_b and len(word) > 2:
            run.append(word)
            continue
        run, rest = run[:4], []  # a label, not a clause
        if run and not set(map(_singular, run)) <= exclude:
            if must is None or any(_singular(w).startswith(must[:4]) for w in run):
                # A name ("Goldman Sachs") says more than common words; then the longer run.
                score = len(run) + 2 * sum(original.get(w, w)[:1].isupper() for w in run)
                if score > best_score:
                    best, best_score = run, score
        run = rest
    return " ".join(original.get(w, w) for w in best) if best else None


# --------------------------------------------------------------------------- findings


def contradiction_findings(contradictions: Iterable[Contradiction]) -> list[Finding]:
    """One finding per contradiction, on the same importance scale as the others."""
    out = []
    for c in contradictions:
        a, b = c.voices
        out.append(Finding(
            kind="contradiction",
            title=c.title,
            summary=c.summary,
            voices=c.voices,
            effect=round(SIGNAL_EFFECT[c.signal], 4),
            interval=None,
            p_value=None,
            q_value=None,
            sample_sizes=dict(c.counts),
            quotes={a: c.quotes[a], b: c.quotes[b]},
            importance=c.importance,
            subject=c.subject,
            details={"signal": c.signal, "stances": c.stances, "evidence": c.evidence, "similarity": c.similarity},
        ))
    return out


def search_notes(search: ContradictionSearch) -> list[str]:
    notes = []
    if search.sampled:
        notes.append("Contradictions: the nearest-neighbour search used a random sample of "
                      + ", ".join(f"{n:,} of {search.statements[v]:,} {VOICE_NAMES[v]} statements" for v, n in search.sampled.items())
                      + ".")
    if search.parse_capped:
        notes.append(f"Contradictions: only the {MAX_PARSE:,} most similar candidate sentences were parsed for negations.")
    return notes


def quote_pair(c: Contradiction) -> tuple[Quote, Quote]:
    a, b = c.voices
    return c.quotes[a][0], c.quotes[b][0]


PAGE_NEIGHBOURS = 5  # reps' sentences compared with each sentence of new copy


def page_conflicts(page_texts: Sequence[str], page_vectors: np.ndarray, field_texts: Sequence[str],
                   field_vectors: np.ndarray, field_voices: np.ndarray) -> list[tuple[int, int, Signal]]:
    """New copy against what reps say: a word one side rules out and the other uses, or figures
    on the same measure that disagree. (page sentence, field row, signal) for each page sentence
    that conflicts with one of its nearest rep sentences, the nearest first. Text signals only,
    so a check needs no parser."""
    rep_rows = np.flatnonzero(np.asarray(field_voices) == "rep")
    if not len(rep_rows) or not len(page_texts):
        return []
    similarity = np.asarray(page_vectors, dtype=np.float32) @ np.asarray(field_vectors[rep_rows], dtype=np.float32).T
    out = []
    for i, text in enumerate(page_texts):
        if is_question(text):
            continue
        for j in np.argsort(-similarity[i])[:PAGE_NEIGHBOURS]:
            if similarity[i, j] < RELATED:
                break
            rep_text = field_texts[rep_rows[j]]
            signal = prohibition_signal(text, rep_text) or quantity_signal(text, rep_text)
            if signal is not None:
                out.append((i, int(rep_rows[j]), signal))
                break
    return out
