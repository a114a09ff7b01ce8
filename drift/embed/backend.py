"""The one interface every way of running the model offers the Encoder.

A backend turns texts into L2-normalised float32 sentence vectors (`encode`) and, for
usage vectors pooled over a term's own tokens, yields batches of last hidden states with
each token's character offsets (`token_batches`). Backends live one per module, each with a
`load(...)` that returns one or None when it cannot run here:

    numpy_backend   the transformer in NumPy: no start-up cost, for a handful of texts (`drift check`)
    onnx_backend    ONNX Runtime on CPU: the bulk path of ingest and report, no torch in the process
    torch_backend   PyTorch: the direct CUDA path (tokenised ahead, pooled on the device) and
                    sentence-transformers itself for models the others do not reproduce

`TransformerBackend` is the shared part of the backends that run the transformer on token ids
and pool themselves; they only supply `hidden`.
"""

from __future__ import annotations

from typing import Callable, Iterator, Protocol, Sequence

import numpy as np

from drift.embed.tokens import TokenBatch, offsets_of, padded, prepared_chunks

Progress = Callable[[int], None] | None
Layers = tuple[int, ...]

#: Tokens per forward pass at most on CPU, estimated per batch: batches of long sentences shrink
#: so peak memory does not grow with sentence length (128 sentences of 48 tokens).
CPU_TOKEN_BUDGET = 128 * 48


class Backend(Protocol):
    """What the Encoder needs from a way of running the model."""

    name: str

    def encode(self, texts: Sequence[str], batch_size: int, progress: Progress = None) -> np.ndarray:
        """(n, dim) float32 L2-normalised sentence vectors, in the order given."""
        ...

    def token_batches(self, texts: Sequence[str], batch_size: int, layers: Layers = (-1,)) -> Iterator[TokenBatch]:
        """The texts' hidden states in batches, averaged over `layers` (0 = embeddings, -1 = last, as in
        Hugging Face's hidden_states), with token offsets (for pooling over a span)."""
        ...


class TransformerBackend:
    """A mean-pooled model run on token ids: subclasses give `hidden`, this does the rest."""

    name = "transformer"

    def __init__(self, tokenizer, dimension: int, token_budget: int = CPU_TOKEN_BUDGET):
        self.tokenizer = tokenizer
        self.dimension = dimension
        self.token_budget = token_budget

    def hidden(self, ids: np.ndarray, lengths: np.ndarray, layers: Layers = (-1,)) -> np.ndarray:
        """Hidden states (batch, tokens, dim) of a padded batch of int ids with `lengths` real tokens,
        averaged over `layers` (0 = the embedding layer's output, -1 = the last layer)."""
        raise NotImplementedError

    def pooled(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors of a padded batch."""
        hidden = self.hidden(ids, lengths)
        mask = (np.arange(ids.shape[1])[None, :] < np.asarray(lengths)[:, None]).astype(hidden.dtype)
        pooled = np.einsum("btd,bt->bd", hidden, mask) / np.maximum(np.asarray(lengths), 1)[:, None].astype(np.float32)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str], batch_size: int, progress: Progress = None) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for chunk in prepared_chunks(self.tokenizer, texts, batch_size, self.token_budget):
            for rows, ids, lengths in chunk:
                out[rows] = self.pooled(ids, lengths)
                if progress:
                    progress(len(rows))
        return out

    def token_batches(self, texts: Sequence[str], batch_size: int, layers: Layers = (-1,)) -> Iterator[TokenBatch]:
        layers = tuple(layers)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for begin in range(0, len(order), batch_size):
            rows = order[begin : begin + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids, lengths = padded(encodings)
            attention = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.int64)
            yield TokenBatch(rows, self.hidden(ids, lengths, layers), offsets_of(encodings, ids.shape[1]), attention)
