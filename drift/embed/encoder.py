"""The Encoder: texts in, L2-normalised float32 vectors out, on whichever backend suits the job.

Which backend runs (see backend.py), unless one is named:
  - a handful of texts on a CPU-only machine, nothing loaded yet: ONNX Runtime when its export is
    cached already, else NumPy (no start-up cost);
  - a GPU and a mean-pooled model: the direct PyTorch path;
  - CPU: ONNX Runtime when the model can be exported and checked (DRIFT_ONNX=0 turns it off);
  - otherwise sentence-transformers on PyTorch.
`DRIFT_LIGHT_ENCODER=0` turns the NumPy path off.
"""

from __future__ import annotations

import hashlib
import os
from typing import Callable, Iterator, Sequence

import numpy as np

from drift.embed import numpy_backend, onnx_backend, torch_backend
from drift.embed.backend import Backend
from drift.embed.device import gpu_impossible, pick_device
from drift.embed.model import hidden_size, plain_bert, pooled_mean_model, resolve_model
from drift.embed.tokens import TokenBatch, load_tokenizer

#: Sentences per forward pass. On CPU the batch size barely matters once texts are sorted by
#: length (PyTorch on the 2-core dev VM: 183-199 sentences/s at 32, 172-183/s at 128); the
#: token budget is what bounds memory. On a GPU much larger batches keep it busy.
CPU_BATCH = 128
GPU_BATCH = 1024
BACKENDS = ("numpy", "onnx", "direct", "torch")


class Encoder:
    """Turns texts into L2-normalised float32 vectors, in length-sorted batches.

    The model is loaded on first use, so constructing an Encoder is cheap. `backend` names one
    of BACKENDS to use always (tests and benchmarks); by default it is chosen per call.
    `calls` counts encoded texts, which tests use to prove caching works.
    `batch_size` defaults to CPU_BATCH on CPU and GPU_BATCH on CUDA.
    """

    def __init__(self, model: str | None = None, device: str | None = None, batch_size: int | None = None,
                 backend: str | None = None):
        if backend not in (None, *BACKENDS):
            raise ValueError(f"unknown embedding backend {backend!r}; one of {', '.join(BACKENDS)}")
        self.info = resolve_model(model)
        self.requested_device = device
        self.requested_backend = backend
        self._batch_size = batch_size
        self.calls = 0

    @property
    def device(self) -> str:
        return pick_device(self.requested_device)

    @property
    def batch_size(self) -> int:
        if self._batch_size:
            return self._batch_size
        return GPU_BATCH if self.device.startswith("cuda") else CPU_BATCH

    @batch_size.setter
    def batch_size(self, value: int | None) -> None:
        self._batch_size = value

    @property
    def dimension(self) -> int:
        if pooled_mean_model(self.info.path) and (size := hidden_size(self.info.path)):
            return size  # without loading the model
        return int(self.model.get_embedding_dimension())

    @property
    def model(self):
        """The sentence-transformers model (PyTorch): the reference every other backend is tested against."""
        return torch_backend.load_model(self.info.path, self.device)

    def backend_name(self, n: int) -> str:
        """The backend that would encode `n` texts now."""
        if self.requested_backend:
            return self.requested_backend
        path = self.info.path
        cpu_certain = self.requested_device == "cpu" or (self.requested_device is None and gpu_impossible())
        if (cpu_certain and n <= numpy_backend.MAX_TEXTS and os.environ.get("DRIFT_LIGHT_ENCODER") != "0"
                and not torch_backend.loaded() and plain_bert(path)):
            # ONNX Runtime once its export is cached (a page: ~0.3 s less CPU than NumPy on the dev VM,
            # benchmarks/README.md "check"); NumPy where making the export would cost minutes.
            exported = self.info.sha256 and onnx_backend.enabled() and onnx_backend.export_path(self.info.sha256).is_file()
            return "onnx" if exported else "numpy"
        device = self.device
        if device.startswith("cuda") and pooled_mean_model(path):
            return "direct"
        if device == "cpu" and self.info.sha256 and onnx_backend.enabled() and plain_bert(path):
            if onnx_backend.load(path, self.info.sha256) is not None:
                return "onnx"
        return "torch"

    def backend(self, name: str) -> Backend:
        """The named backend for this model; falls back to PyTorch when that one cannot run here."""
        path = self.info.path
        found: Backend | None = None
        if name == "numpy":
            found = numpy_backend.load(path)
        elif name == "onnx" and self.info.sha256 and self.device == "cpu" and onnx_backend.enabled():
            found = onnx_backend.load(path, self.info.sha256)
        elif name == "direct" and pooled_mean_model(path):
            found = torch_backend.DirectBackend(path, self.device, load_tokenizer(path))
        return found or torch_backend.SentenceTransformersBackend(path, self.device)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.backend(self.backend_name(len(texts))).encode(texts, self.batch_size, progress)
        self.calls += len(texts)
        return vectors

    def token_batches(self, texts: Sequence[str], batch_size: int = 32, layers: Sequence[int] = (-1,)
                      ) -> Iterator[TokenBatch]:
        """Hidden states averaged over `layers` (0 = embeddings, -1 = last) with token offsets, in batches.

        For usage vectors pooled over a term's own tokens (drift.measure.usage_embed).
        """
        texts = list(texts)
        backend = self.backend(self.backend_name(len(texts)))
        for batch in backend.token_batches(texts, batch_size, tuple(layers)):
            self.calls += len(batch.rows)
            yield batch

    def dedup_keys(self, texts: Sequence[str]) -> list[str]:
        """A key per text such that texts with equal keys get identical embeddings.

        The key is a digest of the model's token ids (after its own lower-casing,
        whitespace and punctuation splitting, and truncation), so "Let me share my
        screen." and "let me  share my screen." share one; "...screen" without the
        full stop does not (punctuation changes the embedding: cosine 0.83-0.95 on
        short sentences). Without a fast tokenizer file the key is the text itself.
        """
        tokenizer = load_tokenizer(self.info.path)
        if tokenizer is None:
            return list(texts)
        out = []
        for encoding in tokenizer.encode_batch(list(texts), add_special_tokens=False):
            ids = np.asarray(encoding.ids, dtype=np.int32)
            out.append(hashlib.blake2b(ids.tobytes(), digest_size=16).hexdigest())
        return out
