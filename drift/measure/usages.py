"""Find where each tracked concept is used: by name (lemma-aware) and by meaning.

Named usages come from spaCy's PhraseMatcher on lemmas, so "qualified leads",
"MQLs" and "qualifying" match their base forms. Segments are first filtered with
a cheap regex on term stems so only candidates are lemmatised. Unnamed usages
are sentences whose embedding is close to the concept's prototype (the mean of
its named usages and examples) without naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.matcher import PhraseMatcher

from drift.config import Concept
from drift.nlp import load_pipeline


@dataclass(frozen=True)
class ConceptUsages:
    concept: Concept
    rows: np.ndarray  # indices into the segment table
    named: np.ndarray  # bool per row: the segment names a term
    spans: list[tuple[int, int] | None]  # character span of the term, where named


def _stem_pattern(terms: tuple[str, ...]) -> re.Pattern:
    # First four letters of each word of each term: catches inflections cheaply.
    stems = sorted({re.escape(w[:4].lower()) for t in terms for w in t.split() if w})
    return re.compile(r"\b(?:" + "|".join(stems) + r")", re.IGNORECASE)


@lru_cache(maxsize=64)
def _matcher(terms: tuple[str, ...]) -> tuple[PhraseMatcher, PhraseMatcher]:
    nlp, _ = load_pipeline()
    by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
    by_text = PhraseMatcher(nlp.vocab, attr="ORTH")
    lower_terms = [t for t in terms if not t.isupper()]
    # Acronyms match as written ("SQL" the lead stage, not "sql" the language).
    acronyms = [t for t in terms if t.isupper()]
    by_lemma.add("TERM", list(nlp.pipe([t.lower() for t in lower_terms])))
    by_text.add("ACRONYM", [nlp.make_doc(a) for a in acronyms] + [nlp.make_doc(a + "s") for a in acronyms])
    return by_lemma, by_text


def find_named(texts: list[str], terms: tuple[str, ...]) -> dict[int, tuple[int, int]]:
    """Index -> character span of the first term found, for texts that name a term."""
    nlp, _ = load_pipeline()
    stems = _stem_pattern(terms)
    candidates = [i for i, t in enumerate(texts) if stems.search(t)]
    by_lemma, by_text = _matcher(terms)
    found: dict[int, tuple[int, int]] = {}
    disable = [p for p in ("ner", "senter") if p in nlp.pipe_names]
    # Lower-casing lets the lemmatiser treat "Qualified Leads" in a heading like prose.
    docs = nlp.pipe([texts[i].lower() for i in candidates], disable=disable, batch_size=256)
    originals = nlp.pipe([texts[i] for i in candidates], disable=list(nlp.pipe_names))
    for i, doc, original in zip(candidates, docs, originals):
        lemma_matches = by_lemma(doc)
        source, matches = (doc, lemma_matches) if lemma_matches else (original, by_text(original))
        if matches:
            _, start, end = min(matches, key=lambda m: m[1])
            span = source[start:end]
            found[i] = (span.start_char, span.end_char)
    return found


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
) -> ConceptUsages:
    """Named usages plus segments within `threshold` cosine of the concept prototype."""
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
