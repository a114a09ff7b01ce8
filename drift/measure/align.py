"""Align the sentences of two versions of a page, and tell edits that change what it says
from edits that do not.

Two passes, as a reviewer reads a diff:
1. identical statements, after formatting is taken away (case, emphasis, link targets,
   HTML tags, list markers, spacing, quotes and dashes), wherever they moved to: a
   reordered paragraph is no change;
2. the rest by meaning: the most similar remaining pairs (cosine of sentence embeddings,
   greedily, best first), a small bonus for staying under the same heading and a
   smaller one for staying at the same place in the page.

A matched pair is "reworded" (same statement) when it is close in meaning and nothing
that carries a commitment differs: numbers, names (acronyms and capitalised names),
negation, and words that bound or scope a statement (only, every, free, must, up to...).
Otherwise it is "changed". What is left over is "removed" or "added".

Every function here is pure: texts and vectors in, indices out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

# Cosine of MiniLM sentence embeddings: paraphrases of one statement score about 0.8-0.95,
# sentences on the same subject that say different things 0.5-0.75.
MATCH = 0.6  # below this, two sentences are not versions of one statement
SAME = 0.8  # at or above this, with no hard difference, a pair says the same thing
SECTION_BONUS = 0.05  # still under the same heading
SECTION_PENALTY = 0.1  # moved under another heading (e.g. another plan's limits)
PLACE_WEIGHT = 0.05  # per unit of relative position moved (0 = same place, 1 = other end)

_TAG = re.compile(r"<[^>]{0,200}>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_MARKUP = re.compile(r"[*_`~#>|]+")
_BULLET = re.compile(r"^\s*(?:[-+•·]|\d{1,3}[.)])\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"^[\s\"'.,;:!?()\[\]-]+|[\s\"'.,;:!?()\[\]-]+$")

_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,.]*(?:\s?%|[kKmM]\b)?")
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100",
    "thousand": "1000", "million": "1000000", "dozen": "12", "half": "0.5", "single": "1", "once": "1",
    "twice": "2", "unlimited": "inf",
}
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# An acronym or a word with inner capitals: MQL, SAOs, PoV, MEDDPICC, SOC, iOS.
_ACRONYM = re.compile(r"\b(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[a-z]+[A-Z][A-Za-z]*)\b")
# A capitalised name of two or more words, possibly joined by "of", "and", "&", "for" or "-".
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:(?:of|for|the|&)\s)?[A-Z][a-z]+)+\b")
NEGATION = {"no", "not", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "n't"}
# Words that bound or scope a statement; a change among them changes what is promised or required.
SCOPE = {
    "only", "just", "solely", "exclusively", "except", "unless", "every", "always", "unlimited", "free", "paid",
    "included", "optional", "required", "mandatory", "must", "minimum", "maximum",
}
_BOUND = re.compile(r"\b(?:at least|at most|up to|more than|less than|fewer than|over|under|above|below)\b")
_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:[.,]\d{3})+$")


def normalise(text: str) -> str:
    """The statement with formatting taken away: what two formatting-only edits share."""
    text = _LINK.sub(r"\1", text.translate(_QUOTES))
    text = _URL.sub(" ", _TAG.sub(" ", text))
    text = _BULLET.sub("", text)
    text = _MARKUP.sub(" ", text)
    return _EDGE.sub("", _SPACE.sub(" ", text)).lower()


def numbers(text: str) -> list[str]:
    """Figures in a sentence, written as digits ("one business day" -> "1"), in order."""
    plain = normalise(text)
    found = [_canonical(m.group()) for m in _NUMBER.finditer(plain)]
    found += [_NUMBER_WORDS[w] for w in _WORDS.findall(plain) if w in _NUMBER_WORDS]
    return found


def _canonical(figure: str) -> str:
    """"$7.00" -> "$7", "10,000" and "10.000" -> "10000": one way to write each figure."""
    figure = figure.replace(" ", "").rstrip(".,")
    sign = figure[0] if figure[0] in "$€£" else ""
    body = figure[len(sign):]
    suffix = body[-1] if body and body[-1] in "%kKmM" else ""
    body = body[: len(body) - len(suffix)]
    if _THOUSANDS.match(body):
        body = re.sub(r"[.,]", "", body)
    else:
        body = body.replace(",", "")
        if "." in body:
            body = body.rstrip("0").rstrip(".") or "0"
    return f"{sign}{body}{suffix.lower()}"


def names(text: str) -> set[str]:
    """Acronyms and capitalised multiword names, lower-cased (the sentence's first word may be
    capitalised for grammar alone, so a single capitalised word is not a name)."""
    clean = _LINK.sub(r"\1", _TAG.sub(" ", text))
    found = {m.group() for m in _ACRONYM.finditer(clean)}
    found |= {m.group() for m in _NAME.finditer(clean)}
    return {n.lower() for n in found if len(n) > 1}


def _words(text: str) -> set[str]:
    return {w.lower().replace("’", "'") for w in _WORDS.findall(text)}


def _bounds(plain: str) -> set[str]:
    return {m.group() for m in _BOUND.finditer(plain)}


def _negated(words: set[str], text: str) -> bool:
    return bool(words & NEGATION) or "n't" in text.lower() or "n’t" in text.lower()


@dataclass(frozen=True)
class Difference:
    """What differs between two versions of one statement, beyond wording."""

    numbers_before: tuple[str, ...] = ()
    numbers_after: tuple[str, ...] = ()
    names_gone: tuple[str, ...] = ()
    names_new: tuple[str, ...] = ()
    negation: bool = False  # one version negates, the other does not
    negated_after: bool = False  # which one: the new version negates (the old did not)
    scope_gone: tuple[str, ...] = ()
    scope_new: tuple[str, ...] = ()

    @property
    def numbers_changed(self) -> bool:
        return sorted(self.numbers_before) != sorted(self.numbers_after)

    @property
    def hard(self) -> bool:
        """Whether the edit changes a commitment: a figure, a name, a negation or a bound."""
        return bool(self.numbers_changed or self.names_gone or self.names_new or self.negation
                    or self.scope_gone or self.scope_new)


def difference(before: str, after: str) -> Difference:
    """The hard differences between two versions of a statement.

    A name counts as gone only when the other version does not contain it in any case, so
    "Free Plan" -> "free plan" is formatting; figures are compared as written in digits.
    """
    a_plain, b_plain = normalise(before), normalise(after)
    a_words, b_words = _words(a_plain), _words(b_plain)
    a_names, b_names = names(before), names(after)
    gone = tuple(sorted(n for n in a_names if n not in b_plain))
    new = tuple(sorted(n for n in b_names if n not in a_plain))
    return Difference(
        numbers_before=tuple(numbers(before)),
        numbers_after=tuple(numbers(after)),
        names_gone=gone,
        names_new=new,
        negation=_negated(a_words, a_plain) != _negated(b_words, b_plain),
        negated_after=_negated(b_words, b_plain) and not _negated(a_words, a_plain),
        scope_gone=tuple(sorted(((a_words - b_words) & SCOPE) | (_bounds(a_plain) - _bounds(b_plain)))),
        scope_new=tuple(sorted(((b_words - a_words) & SCOPE) | (_bounds(b_plain) - _bounds(a_plain)))),
    )


@dataclass(frozen=True)
class Pair:
    old: int
    new: int
    similarity: float  # cosine of the two sentences (1.0 for identical statements)
    kind: str  # "same" (identical after formatting), "reworded" (same meaning), "changed"
    difference: Difference = field(default_factory=Difference)


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[Pair, ...]
    removed: tuple[int, ...]  # old sentences with no counterpart
    added: tuple[int, ...]  # new sentences with no counterpart

    @property
    def changed(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.kind == "changed")

    @property
    def unchanged(self) -> bool:
        return not self.removed and not self.added and not self.changed


def _relative(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.float32) / max(1, n - 1)


def align(
    old: Sequence[str],
    new: Sequence[str],
    old_vectors: np.ndarray,
    new_vectors: np.ndarray,
    old_sections: Sequence[str | None] | None = None,
    new_sections: Sequence[str | None] | None = None,
    match: float = MATCH,
    same: float = SAME,
) -> Alignment:
    """Pair each sentence of the old version with at most one of the new version.

    Vectors are L2-normalised rows (one per sentence); sections are the headings the
    sentences sit under (None where unknown).
    """
    old_sections = list(old_sections) if old_sections is not None else [None] * len(old)
    new_sections = list(new_sections) if new_sections is not None else [None] * len(new)
    old_sec = [normalise(s) if s else None for s in old_sections]
    new_sec = [normalise(s) if s else None for s in new_sections]
    pairs: list[Pair] = []
    free_old, free_new = set(range(len(old))), set(range(len(new)))

    # 1. Identical statements under the same heading (or where headings are unknown), nearest
    # place first. One moved under another heading waits for step 2: the same line under two
    # plans ("App runs - 5000") must go to the plan it belongs to.
    old_rel, new_rel = _relative(len(old)), _relative(len(new))
    old_norm, new_norm = [normalise(t) for t in old], [normalise(t) for t in new]
    by_text: dict[str, list[int]] = {}
    for j, text in enumerate(new_norm):
        by_text.setdefault(text, []).append(j)
    for i, text in enumerate(old_norm):
        candidates = [j for j in by_text.get(text, []) if j in free_new
                      and (old_sec[i] is None or new_sec[j] is None or old_sec[i] == new_sec[j])]
        if candidates:
            j = min(candidates, key=lambda c: abs(float(old_rel[i] - new_rel[c])))
            pairs.append(Pair(i, j, 1.0, "same"))
            free_old.discard(i)
            free_new.discard(j)

    # 2. The rest by meaning, best pairs first.
    rest_old, rest_new = sorted(free_old), sorted(free_new)
    if rest_old and rest_new and len(old_vectors) and len(new_vectors):
        sims = np.asarray(old_vectors[rest_old] @ np.asarray(new_vectors[rest_new]).T, dtype=np.float32)
        score = sims - PLACE_WEIGHT * np.abs(old_rel[rest_old][:, None] - new_rel[rest_new][None, :])
        for a, i in enumerate(rest_old):
            for b, j in enumerate(rest_new):
                if old_sec[i] and new_sec[j]:
                    score[a, b] += SECTION_BONUS if old_sec[i] == new_sec[j] else -SECTION_PENALTY
        order = np.argsort(-score, axis=None, kind="stable")
        used_a, used_b = set(), set()
        for flat in order:
            a, b = divmod(int(flat), len(rest_new))
            if score[a, b] < match:
                break
            if a in used_a or b in used_b:
                continue
            used_a.add(a)
            used_b.add(b)
            i, j = rest_old[a], rest_new[b]
            diff = difference(old[i], new[j])
            if old_norm[i] == new_norm[j]:
                kind = "same"
            else:
                kind = "reworded" if float(sims[a, b]) >= same and not diff.hard else "changed"
            pairs.append(Pair(i, j, round(float(sims[a, b]), 4), kind, diff))
            free_old.discard(i)
            free_new.discard(j)
    pairs.sort(key=lambda p: (p.new, p.old))
    return Alignment(tuple(pairs), tuple(sorted(free_old)), tuple(sorted(free_new)))
