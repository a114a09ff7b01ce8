"""The transformer in NumPy, for a handful of texts.

`drift check` encodes one page (tens of sentences). Importing sentence-transformers or
ONNX Runtime and building a session costs seconds on a small CPU; the arithmetic for 60
sentences costs milliseconds. For BERT-family sentence-transformers models with mean pooling
(the default model is one), a forward pass in NumPy over the same weights and the same
tokenizer gives the same vectors (max |difference| ~1e-6, tests/scale/test_pipeline_scale.py).
It is also the reference the ONNX export is checked against.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from drift.embed.backend import Layers, Progress, TransformerBackend
from drift.embed.model import plain_bert
from drift.embed.tokens import load_tokenizer

#: Above this many texts another backend is used: this one is quick to start, not to run.
MAX_TEXTS = 256


_ERF = tuple(np.float32(c) for c in (0.3275911, 1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def erf(x: np.ndarray) -> np.ndarray:
    """The error function in float32 NumPy (Abramowitz & Stegun 7.1.26: |error| < 7e-7 here, far inside the
    1e-4 the vectors are held to), for BERT's exact GELU. scipy.special would add a 0.4 s import to `drift check`."""
    p, a1, a2, a3, a4, a5 = _ERF
    a = np.abs(x)
    t = np.float32(1.0) / (np.float32(1.0) + p * a)
    poly = ((((a1 * t + a2) * t + a3) * t + a4) * t + a5) * t
    return np.copysign(np.float32(1.0) - poly * np.exp(-a * a), x)


class NumpyBackend(TransformerBackend):
    """all-MiniLM-style BERT + mean pooling + L2 normalisation, in NumPy (float32)."""

    name = "numpy"

    def __init__(self, path: str):
        from safetensors.numpy import load_file

        directory = Path(path)
        config = json.loads((directory / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load_file(str(directory / "model.safetensors"))
        prefix = "bert." if any(k.startswith("bert.") for k in weights) else ""
        self.w = {k[len(prefix):]: v.astype(np.float32) for k, v in weights.items() if k.startswith(prefix) and v.dtype.kind == "f"}
        super().__init__(load_tokenizer(path), int(config["hidden_size"]))

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def hidden(self, ids: np.ndarray, lengths: np.ndarray, layers: Layers = (-1,)) -> np.ndarray:
        wanted = {k % (self.layers + 1) for k in layers}  # as indices into Hugging Face's hidden_states
        kept = []
        ids = np.asarray(ids, dtype=np.int64)
        width = ids.shape[1]
        mask = (np.arange(width)[None, :] < np.asarray(lengths)[:, None]).astype(np.float32)
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        if 0 in wanted:
            kept.append(x)
        b, t, d = x.shape
        h = self.heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = self._dense(x, p + "attention.self.query").reshape(b, t, h, d // h).transpose(0, 2, 1, 3)
            k = self._dense(x, p + "attention.self.key").reshape(b, t, h, d // h).transpose(0, 2, 3, 1)
            v = self._dense(x, p + "attention.self.value").reshape(b, t, h, d // h).transpose(0, 2, 1, 3)
            scores = (q @ k) / np.float32(np.sqrt(d // h)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
            x = self._norm(self._dense(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = self._dense(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner / np.float32(np.sqrt(2.0))))
            x = self._norm(self._dense(inner.astype(np.float32), p + "output.dense") + x, p + "output.LayerNorm")
            if layer + 1 in wanted:
                kept.append(x)
        return kept[0] if len(kept) == 1 else np.mean(kept, axis=0)

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: Progress = None) -> np.ndarray:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - comes with scikit-learn
            return super().encode(texts, batch_size, progress)
        # One BLAS thread: OpenBLAS's spinning workers are many times slower, not faster,
        # on a busy 2-core machine, and these matrices are small.
        with threadpool_limits(limits=1, user_api="blas"):
            return super().encode(texts, min(batch_size, 32), progress)


@lru_cache(maxsize=2)
def load(path: str) -> NumpyBackend | None:
    """The NumPy forward pass for the model at `path`, or None when it is not a model this reproduces."""
    return NumpyBackend(path) if plain_bert(path) else None
