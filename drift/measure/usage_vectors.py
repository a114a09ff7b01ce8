"""Usage vectors for concept matches: the one method the product and the DWUG benchmark share.

A usage is one place a term is used. Its vector is made in two steps, each a
named constant here so that `benchmarks/dwug.py --product` runs exactly this:

1. `embed_usages`: the model's hidden states averaged over every token of a
   ±`WINDOW`-character window around the term and over the middle-to-last
   layers `LAYERS` (`usage_embed.encode_usages(method=METHOD)`).
2. `prepare`: centred on the corpus's own mean usage vector (`stats.center`),
   estimated from a seeded sample of the corpus's segments (`corpus_reference`).

Why (benchmarks/README.md, DWUG EN, 46 words, Spearman against human-graded
change): the last layer's sentence vector scores 0.46-0.55, token pooling at
the term 0.35-0.45; mean pooling of layers 3-6 centred on the corpus mean
scores ~0.66. Centring is what makes the middle layers usable (0.42 without):
they share a large direction that drowns the differences; it has to be *this*
corpus's mean (another corpus's mean gives 0.43). The score is then
`stats.drift_score` (unbiased centroid cosine distance).

Senses are clustered on a second vector per usage (`sense_vectors`): the last layer's hidden
states mean-pooled over the same window with the term in double quotes, *not* normalised
(its length carries sense information), centred on the corpus's mean of the same. On DWUG
it matches the human sense clusters better than the layer mix, while scoring change worse
(benchmarks/README.md): the last layer separates the senses of one word, the middle layers
rank which words changed.

Raw vectors (step 1, and the sense vectors) are cached in the store's
embeddings table under `CACHE_TAG` / `SENSE_CACHE_TAG`, keyed by window and
span, so a monthly run encodes only the usages it has not seen.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from drift.measure import stats
from drift.measure.usage_embed import DEFAULT_WINDOW, encode_usages, usage_text
from drift.model import content_hash
from drift.store import SegmentTable, Store

Span = tuple[int, int] | None

#: Pooling: every token of the window ("context"), not only the term's tokens.
METHOD = "context"
#: Characters of context kept either side of the term.
WINDOW = DEFAULT_WINDOW
#: Transformer layers averaged (0 = embeddings; all-MiniLM-L6-v2 has 6).
LAYERS = (3, 4, 5, 6)
#: Segments sampled to estimate the corpus mean usage vector (DWUG: 1,000 reach the
#: full-sample score, 256 lose up to 0.05 Spearman).
REFERENCE_SAMPLE = 1000
REFERENCE_SEED = 0
#: Bump when the pooling changes, so a store never mixes vectors made two ways (v2: [CLS]/[SEP] pooled).
VECTOR_VERSION = 2
CACHE_TAG = f"#usage:{METHOD}:{WINDOW}:L{''.join(str(k) for k in LAYERS)}:v{VECTOR_VERSION}"
#: The sense vector: last layer, every token of the window with the term in double quotes, unnormalised.
SENSE_LAYERS = (-1,)
SENSE_CACHE_TAG = f"#usage:marked-unnormalised:{WINDOW}:L{''.join(str(k) for k in SENSE_LAYERS)}:v{VECTOR_VERSION}"


def embed_usages(encoder, texts: Sequence[str], spans: Sequence[Span]) -> np.ndarray:
    """Step 1: raw (uncentred) usage vectors, one unit row per (text, span)."""
    return encode_usages(encoder, list(texts), list(spans), method=METHOD, window=WINDOW, layers=LAYERS)


def embed_sense_usages(encoder, texts: Sequence[str], spans: Sequence[Span]) -> np.ndarray:
    """Raw (uncentred, unnormalised) sense vectors, one row per (text, span)."""
    marked = [usage_text(text, span, window=WINDOW) for text, span in zip(texts, spans)]
    return encode_usages(encoder, marked, [None] * len(marked), method="context", window=None,
                         layers=SENSE_LAYERS, normalise=False)


def reference_of(raw: np.ndarray) -> np.ndarray:
    """The corpus reference: the mean of raw usage vectors sampled from the corpus."""
    return np.asarray(raw, dtype=np.float64).mean(axis=0)


def prepare(raw: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Step 2: what the drift score, senses and trends read (float32 unit rows)."""
    return stats.center(raw, reference).astype(np.float32)


def usage_window(table: SegmentTable, row: int, span: Span) -> tuple[str, Span]:
    """The segment's context (previous, own and next sentence) with the span moved into it."""
    text, context = table.text[row], table.context[row] or table.text[row]
    offset = context.find(text)
    if offset < 0:
        return text, span
    return context, None if span is None else (span[0] + offset, span[1] + offset)


def _raw_vectors(store: Store | None, encoder, windows: list[tuple[str, Span]], sense: bool = False) -> np.ndarray:
    keys = [content_hash(f"{text}\x00{span}")[:32] for text, span in windows]
    model = encoder.info.key + (SENSE_CACHE_TAG if sense else CACHE_TAG)  # the weights identity, as for sentence vectors
    cached = store.embeddings_for(keys, model) if store is not None else {}
    missing = [i for i, k in enumerate(keys) if k not in cached]
    if missing:
        embed = embed_sense_usages if sense else embed_usages
        fresh = embed(encoder, [windows[i][0] for i in missing], [windows[i][1] for i in missing])
        new = {keys[i]: v for i, v in zip(missing, fresh)}
        if store is not None and not store.read_only:
            store.add_embeddings(new, model)
        cached.update(new)
    return np.stack([cached[k] for k in keys]).astype(np.float32)


# One reference per table and kind (a report builds one table and scores every concept on it).
_REFERENCES: dict[tuple[int, bool], tuple[SegmentTable, str, np.ndarray]] = {}


def corpus_reference(store: Store | None, encoder, table: SegmentTable, sense: bool = False) -> np.ndarray:
    """The mean raw usage (or, with `sense`, sense) vector of up to REFERENCE_SAMPLE seeded
    segments of `table`, each embedded as a usage of its whole sentence (same window and pooling)."""
    memo = _REFERENCES.get((id(table), sense))
    if memo is not None and memo[0] is table and memo[1] == encoder.info.name:
        return memo[2]
    rows = stats.cap_indices(len(table), REFERENCE_SAMPLE, REFERENCE_SEED)
    windows = [usage_window(table, int(r), (0, len(table.text[r]))) for r in rows]
    reference = reference_of(_raw_vectors(store, encoder, windows, sense=sense))
    for key in [k for k in _REFERENCES if k[0] != id(table)]:  # keep one table's: tables are large
        del _REFERENCES[key]
    _REFERENCES[(id(table), sense)] = (table, encoder.info.name, reference)
    return reference


def usage_vectors(store: Store | None, encoder, table: SegmentTable, rows: Sequence[int], spans: Sequence[Span]) -> np.ndarray:
    """Prepared usage vectors for `rows` (term at `spans`), centred on the corpus reference."""
    if not len(rows):
        return np.zeros((0, table.vectors.shape[1]), dtype=np.float32)
    raw = _raw_vectors(store, encoder, [usage_window(table, int(r), s) for r, s in zip(rows, spans)])
    return prepare(raw, corpus_reference(store, encoder, table))


def sense_vectors(store: Store | None, encoder, table: SegmentTable, rows: Sequence[int], spans: Sequence[Span]) -> np.ndarray:
    """Prepared sense vectors for `rows` (term at `spans`), centred on the corpus's sense reference."""
    if not len(rows):
        return np.zeros((0, table.vectors.shape[1]), dtype=np.float32)
    raw = _raw_vectors(store, encoder, [usage_window(table, int(r), s) for r, s in zip(rows, spans)], sense=True)
    return prepare(raw, corpus_reference(store, encoder, table, sense=True))
