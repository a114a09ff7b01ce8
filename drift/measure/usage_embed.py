"""Embeddings of a *usage*: what a term means at one place in a text.

`encode_usages(encoder, texts, spans)` is what the concept measure calls. Its
default, chosen on the DWUG EN benchmark (benchmarks/README.md), is the
sentence embedding of a ±150-character window around the term with the term
in double quotes: `... the "qualified lead" booked a demo ...`. The quotes tell
the model which word the window is about. Usages found by meaning only (no
span) are the plain text, which lives in the same vector space.

Two alternatives stay available because the benchmark reports them:
`method="sentence"` (the same window, no quotes: the obvious baseline) and
`method="token"`, which mean-pools the transformer's hidden states over the
term's own tokens. Token pooling is the usual winner with large BERT-style
models; with all-MiniLM-L6-v2 (a 6-layer model trained for mean pooling) it
lost clearly on DWUG, so it is not the default.

For the drift score, centre the vectors on the corpus mean first
(`drift.measure.stats.center`).
"""

from __future__ import annotations

from typing import Callable, Literal, Sequence

import numpy as np

Span = tuple[int, int] | None
Method = Literal["marked", "sentence", "token", "context"]

#: Characters of context kept on each side of the term.
DEFAULT_WINDOW = 150
#: What goes around the term for method="marked".
DEFAULT_MARKS = ('"', '"')


def window_around(text: str, span: tuple[int, int], width: int | None) -> tuple[str, tuple[int, int]]:
    """Cut `text` to `width` characters either side of `span`, snapped to whitespace.

    Returns the cut text and the span re-expressed in it. `width=None` keeps all.
    """
    start, end = span
    if not (0 <= start <= end <= len(text)):
        raise ValueError(f"span {span} outside text of length {len(text)}")
    if width is None:
        return text, span
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    # Do not start or end in the middle of a word.
    if lo > 0:
        cut = text.find(" ", lo, start)
        lo = cut + 1 if cut != -1 else lo
    if hi < len(text):
        cut = text.rfind(" ", end, hi)
        hi = cut if cut != -1 else hi
    return text[lo:hi], (start - lo, end - lo)


def replace_span(text: str, span: tuple[int, int], new: str) -> tuple[str, tuple[int, int]]:
    """`text` with `text[span]` replaced by `new`, and the span of `new` in the result."""
    start, end = span
    return text[:start] + new + text[end:], (start, start + len(new))


def mark_span(text: str, span: tuple[int, int], marks: tuple[str, str] = DEFAULT_MARKS) -> str:
    """`text` with `marks[0]` before and `marks[1]` after the span."""
    start, end = span
    return text[:start] + marks[0] + text[start:end] + marks[1] + text[end:]


def usage_text(
    text: str,
    span: Span,
    *,
    window: int | None = DEFAULT_WINDOW,
    marks: tuple[str, str] | None = DEFAULT_MARKS,
    replacement: str | None = None,
) -> str:
    """The string that represents one usage: windowed, optionally marked.

    With no span the text is returned unchanged (a usage matched by meaning).
    `replacement` is put in place of the term first (e.g. a lemma).
    """
    if span is None:
        return text
    span = (int(span[0]), int(span[1]))
    if replacement is not None:
        text, span = replace_span(text, span, replacement)
    cut, inner = window_around(text, span, window)
    return mark_span(cut, inner, marks) if marks else cut


def _target_mask(offsets: np.ndarray, attention: np.ndarray, span: Span) -> np.ndarray:
    """Boolean mask of tokens to pool: those overlapping `span`, else every token of the text
    ([CLS] and [SEP] included, as sentence-transformers' mean pooling; DWUG: sense ARI 0.27
    with them against 0.22 without, for the sense vectors)."""
    if span is not None:
        real = attention.astype(bool) & (offsets[:, 1] > offsets[:, 0])  # drops [CLS]/[SEP]/pad
        start, end = span
        hit = real & (offsets[:, 0] < end) & (offsets[:, 1] > start)
        if hit.any():
            return hit
    return attention.astype(bool)


def encode_usages(
    encoder,
    texts: Sequence[str],
    spans: Sequence[Span],
    *,
    method: Method = "marked",
    window: int | None = DEFAULT_WINDOW,
    marks: tuple[str, str] = DEFAULT_MARKS,
    replacements: Sequence[str | None] | str | None = None,
    layers: Sequence[int] = (-1,),
    batch_size: int = 32,
    progress: Callable[[int], None] | None = None,
    normalise: bool = True,
) -> np.ndarray:
    """L2-normalised float32 (n, d) vectors, one per usage (for "token" and "context",
    `normalise=False` keeps the pooled vectors' lengths).

    `encoder` is a `drift.embed.Encoder`. `spans[i]` is the (start, end)
    character span of the term in `texts[i]`, or None for a usage without one.
    `method`: "marked" (default; window with the term in `marks`), "sentence"
    (window, no marks), "token" (hidden states pooled over the term's tokens,
    averaged over `layers`; -1 is the last, 0 the embedding layer) or "context"
    (hidden states pooled over every token of the window, averaged over
    `layers`). `replacements` (one string for all, or one per usage, None =
    keep) is put in place of the term first.
    """
    if len(texts) != len(spans):
        raise ValueError("texts and spans must have the same length")
    if replacements is None or isinstance(replacements, str):
        replacements = [replacements] * len(texts)
    if len(replacements) != len(texts):
        raise ValueError("replacements must be one string or one per text")
    if method in ("marked", "sentence"):
        strings = [
            usage_text(t, s, window=window, marks=marks if method == "marked" else None, replacement=r)
            for t, s, r in zip(texts, spans, replacements)
        ]
        return np.asarray(encoder.encode(strings, progress=progress), dtype=np.float32)
    if method not in ("token", "context"):
        raise ValueError(f"unknown method {method!r}")
    cut: list[tuple[str, Span]] = []
    for text, span, new in zip(texts, spans, replacements):
        if span is None:
            cut.append((text, None))
            continue
        span = (int(span[0]), int(span[1]))
        if new is not None:
            text, span = replace_span(text, span, new)
        cut.append(window_around(text, span, window))
    if method == "context":  # pool the whole window: no span to restrict the tokens to
        cut = [(text, None) for text, _ in cut]
    return _token_pooled(encoder, cut, tuple(layers), batch_size, progress, normalise)


def _token_pooled(
    encoder,
    cut: list[tuple[str, Span]],
    layers: Sequence[int],
    batch_size: int,
    progress: Callable[[int], None] | None,
    normalise: bool = True,
) -> np.ndarray:
    """Each usage's hidden states mean-pooled over the term's own tokens (all tokens without a span)."""
    out = np.empty((len(cut), encoder.dimension), dtype=np.float32)
    for batch in encoder.token_batches([t for t, _ in cut], batch_size=batch_size, layers=layers):
        for row, index in enumerate(batch.rows):
            vector = batch.hidden[row][_target_mask(batch.offsets[row], batch.attention[row], cut[index][1])].mean(axis=0)
            out[index] = vector / max(float(np.linalg.norm(vector)), 1e-12) if normalise else vector
        if progress:
            progress(len(batch.rows))
    return out
