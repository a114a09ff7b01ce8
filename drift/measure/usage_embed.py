"""Embeddings of a *usage*: what a term means at one place in a text.

A plain sentence embedding describes what the whole sentence is about, so two
sentences that use "lead" in the same sense but talk about different things
look far apart. For word-sense work the literature (and our DWUG benchmark, see
benchmarks/README.md) shows it is better to read the model's contextual token
vectors *at the term* and average only those: the vector of "lead" in "a lead
who booked a demo" is shaped by its context, but is about the term.

`encode_usages` does that with the same offline model as `drift.embed.Encoder`:
it cuts a character window around the term, runs the transformer once, and
mean-pools the hidden states of the tokens that overlap the term's character
span. A usage without a span (a sentence that matched by meaning only) gets the
mean over all its tokens, which is the model's ordinary sentence embedding.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

Span = tuple[int, int] | None

#: Characters of context kept on each side of the term (DWUG: ±150 performs best
#: among the windows tried and keeps every usage well inside 256 tokens).
DEFAULT_WINDOW = 150


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


def _target_mask(offsets: np.ndarray, attention: np.ndarray, span: Span) -> np.ndarray:
    """Boolean mask of tokens to pool: those overlapping `span`, else all real tokens."""
    real = attention.astype(bool) & (offsets[:, 1] > offsets[:, 0])  # drops [CLS]/[SEP]/pad
    if span is not None:
        start, end = span
        hit = real & (offsets[:, 0] < end) & (offsets[:, 1] > start)
        if hit.any():
            return hit
    return real if real.any() else attention.astype(bool)


def encode_usages(
    encoder,
    texts: Sequence[str],
    spans: Sequence[Span],
    *,
    window: int | None = DEFAULT_WINDOW,
    layers: Sequence[int] = (-1,),
    replacements: Sequence[str | None] | str | None = None,
    batch_size: int = 32,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """L2-normalised float32 (n, d) usage vectors: hidden states pooled over the term.

    `encoder` is a `drift.embed.Encoder` (anything with `.model`, a loaded
    SentenceTransformer whose first module is a Hugging Face transformer).
    `spans[i]` is the (start, end) character span of the term in `texts[i]`,
    or None to pool over the whole text. `layers` are hidden-state indices
    averaged together (-1 = the last layer, which the sentence model was tuned on).
    """
    import torch

    if len(texts) != len(spans):
        raise ValueError("texts and spans must have the same length")
    model = encoder.model
    dim = int(model.get_embedding_dimension())
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    transformer = model[0].auto_model
    tokenizer = model.tokenizer
    max_len = int(getattr(model, "max_seq_length", 256) or 256)
    device = next(transformer.parameters()).device
    want_hidden = tuple(layers) != (-1,)

    if replacements is None or isinstance(replacements, str):
        replacements = [replacements] * len(texts)
    if len(replacements) != len(texts):
        raise ValueError("replacements must be one string or one per text")
    cut: list[tuple[str, Span]] = []
    for text, span, new in zip(texts, spans, replacements):
        if span is None:
            cut.append((text, None))
            continue
        span = (int(span[0]), int(span[1]))
        if new is not None:
            text, span = replace_span(text, span, new)
        cut.append(window_around(text, span, window))

    order = np.argsort([len(t) for t, _ in cut], kind="stable")
    out = np.empty((len(texts), dim), dtype=np.float32)
    transformer.eval()
    for begin in range(0, len(order), batch_size):
        chunk = order[begin : begin + batch_size]
        batch = [cut[i] for i in chunk]
        enc = tokenizer(
            [t for t, _ in batch],
            return_offsets_mapping=True,
            padding=True,
            truncation=True,
            max_length=max_len,
            return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping").numpy()
        attention = enc["attention_mask"].numpy()
        with torch.inference_mode():
            result = transformer(**{k: v.to(device) for k, v in enc.items()}, output_hidden_states=want_hidden)
            if want_hidden:
                hidden = torch.stack([result.hidden_states[k] for k in layers]).mean(0)
            else:
                hidden = result.last_hidden_state
            hidden = hidden.float().cpu().numpy()
        for row, (index, (_, span)) in enumerate(zip(chunk, batch)):
            mask = _target_mask(offsets[row], attention[row], span)
            vector = hidden[row][mask].mean(axis=0)
            out[index] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        if hasattr(encoder, "calls"):
            encoder.calls += len(chunk)
        if progress:
            progress(len(chunk))
    return out
