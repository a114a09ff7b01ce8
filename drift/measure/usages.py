"""Find where each tracked concept is used: by name (lemma-aware) and by meaning.

Named usages come from spaCy's PhraseMatcher on lemmas, so "qualified leads",
"MQLs" and "qualifying" match their base forms. Segments are first filtered with
a cheap test on term stems so only candidates are lemmatised, each once for all
concepts. Unnamed usages are sentences whose embedding is close to the concept's
prototype (the mean of its named usages and examples) without naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
# spaCy (through drift.nlp, which imports it without torch) is imported where it is used: the
# candidate scan below needs none, and `drift check` on a page naming no concept never loads it.

from drift.config import Concept


@dataclass(frozen=True)
class ConceptUsages:
    concept: Concept
    rows: np.ndarray  # indices into the segment table
    named: np.ndarray  # bool per row: the segment names a term
    spans: list[tuple[int, int] | None]  # character span of the term, where named


_WORD = re.compile(r"\w+")


def _stems(term: str) -> tuple[str, ...]:
    # First four letters of each word: inflections share them ("qualif-ied", "lead-s").
    return tuple(w[:4].lower() for w in _WORD.findall(term))


def _candidates(texts: Sequence[str], term_sets: Sequence[tuple[str, ...]]) -> dict[int, list[int]]:
    """Text index -> the term sets it may name: every word of some term has its stem there.

    Requiring all of a term's words, not any, keeps common words such as "lead" or
    "health" from making half the corpus a candidate for lemmatising. One word scan per
    text serves every term set.
    """
    groups = [[_stems(term) for term in terms] for terms in term_sets]
    lengths = sorted({len(stem) for sets in groups for group in sets for stem in group})
    wanted: dict[int, list[int]] = {}
    for i, text in enumerate(texts):
        words = _WORD.findall(text.lower())
        present = {word[:n] for word in words for n in lengths}
        for k, sets in enumerate(groups):
            if any(group and all(stem in present for stem in group) for group in sets):
                wanted.setdefault(i, []).append(k)
    return wanted


@lru_cache(maxsize=64)
def _matcher(terms: tuple[str, ...]) -> tuple["PhraseMatcher", "PhraseMatcher"]:
    from drift.nlp import load_pipeline  # first: it imports spaCy without torch
    from spacy.matcher import PhraseMatcher  # noqa: I001

    nlp, _ = load_pipeline()
    by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
    by_text = PhraseMatcher(nlp.vocab, attr="ORTH")
    lower_terms = [t for t in terms if not t.isupper()]
    # Acronyms match as written ("SQL" the lead stage, not "sql" the language).
    acronyms = [t for t in terms if t.isupper()]
    by_lemma.add("TERM", list(nlp.pipe([t.lower() for t in lower_terms])))
    by_text.add("ACRONYM", [nlp.make_doc(a) for a in acronyms] + [nlp.make_doc(a + "s") for a in acronyms])
    return by_lemma, by_text


def find_named_all(texts: Sequence[str], term_sets: Sequence[tuple[str, ...]]) -> list[dict[int, tuple[int, int]]]:
    """For each term set, index -> character span of the first term found in the texts naming one.

    Each candidate text is lemmatised once, however many term sets it may name (spaCy's tagger
    is most of a report's time otherwise), and nothing is kept per text but the spans.
    """
    wanted = _candidates(texts, term_sets)
    found: list[dict[int, tuple[int, int]]] = [{} for _ in term_sets]
    if not wanted:
        return found
    from drift.nlp import load_pipeline

    nlp, _ = load_pipeline()
    matchers = [_matcher(tuple(terms)) for terms in term_sets]
    candidates = list(wanted)
    disable = [p for p in ("ner", "senter") if p in nlp.pipe_names]
    # Lower-casing lets the lemmatiser treat "Qualified Leads" in a heading like prose.
    docs = nlp.pipe((texts[i].lower() for i in candidates), disable=disable, batch_size=256)
    for i, doc in zip(candidates, docs):
        original = None
        for k in wanted[i]:
            by_lemma, by_text = matchers[k]
            source, matches = doc, by_lemma(doc)
            if not matches:
                if original is None:
                    original = nlp.make_doc(texts[i])
                source, matches = original, by_text(original)
            if matches:
                _, start, end = min(matches, key=lambda m: m[1])
                span = source[start:end]
                found[k][i] = (span.start_char, span.end_char)
    return found


def find_named(texts: Sequence[str], terms: tuple[str, ...]) -> dict[int, tuple[int, int]]:
    """Index -> character span of the first term found, for texts that name a term."""
    return find_named_all(texts, [terms])[0]


def prototype(vectors: np.ndarray) -> np.ndarray | None:
    if len(vectors) == 0:
        return None
    mean = vectors.mean(axis=0)
    norm = np.linalg.norm(mean)
    return mean / norm if norm > 0 else None


def find_usages(
    concept: Concept,
    texts: list[str],
    vectors: np.ndarray,
    example_vectors: np.ndarray,
    threshold: float,
    named: dict[int, tuple[int, int]] | None = None,
) -> ConceptUsages:
    """Named usages plus segments within `threshold` cosine of the concept prototype.

    `named` is find_named's answer for this concept when the caller found all concepts at once.
    """
    if named is None:
        named = find_named(texts, concept.terms)
    named_rows = np.array(sorted(named), dtype=int)
    anchor = prototype(np.vstack([vectors[named_rows], example_vectors]) if len(named_rows) else example_vectors)
    semantic_rows = np.array([], dtype=int)
    if anchor is not None and len(vectors):
        similarity = vectors @ anchor
        semantic_rows = np.flatnonzero(similarity >= threshold)
        semantic_rows = np.setdiff1d(semantic_rows, named_rows)
    rows = np.concatenate([named_rows, semantic_rows]).astype(int)
    order = np.argsort(rows, kind="stable")
    rows = rows[order]
    is_named = np.array([r in named for r in rows], dtype=bool)
    spans = [named.get(int(r)) for r in rows]
    return ConceptUsages(concept, rows, is_named, spans)
