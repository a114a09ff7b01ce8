"""The CPU embedding backend: the model's transformer exported once to ONNX, run by ONNX Runtime.

On CPU, ONNX Runtime runs all-MiniLM-L6-v2 1.3-1.7x faster than PyTorch with the same
vectors (max |difference| ~1e-6, benchmarks/README.md "CPU"), and a process that
only ingests then never imports torch or sentence-transformers (~450 MB less memory).

The ONNX file is made from the local weights on first use (PyTorch's exporter; nothing is
downloaded), checked on a padded batch against the reference forward pass, and cached under
`DRIFT_CACHE_DIR` (default `~/.cache/drift`) keyed by the weights' SHA-256. If export or the
check fails, or onnxruntime is not installed, drift uses PyTorch. `DRIFT_ONNX=0` turns it off.
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: Bump when the exported graph changes, so old cache files are not reused.
EXPORT_VERSION = 1
#: Largest |difference| from the reference forward pass's vectors accepted at export.
TOLERANCE = 1e-4
_PROBES = [
    "Yeah.",
    "So what does a qualified lead mean for your team, in practice?",
    "We'd need SSO and an audit log before security signs off, and procurement wants a per-seat quote "
    "for the 1,200 people in operations, honestly probably by the end of the quarter.",
    "Pipeline health",
]


def cache_dir() -> Path:
    configured = os.environ.get("DRIFT_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drift"


def enabled() -> bool:
    if os.environ.get("DRIFT_ONNX", "1") == "0":
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class OnnxTransformer:
    """An ONNX Runtime session over the exported transformer: ids and mask in, hidden states out."""

    def __init__(self, path: Path):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def hidden(self, ids: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Last hidden states (batch, tokens, dim) of a padded batch, and its attention mask."""
        mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.int64)
        return self.session.run(None, dict(zip(self.inputs, (ids.astype(np.int64), mask))))[0], mask

    def pooled(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors of a padded batch."""
        hidden, mask = self.hidden(ids, lengths)
        summed = np.einsum("btd,bt->bd", hidden, mask.astype(hidden.dtype))
        pooled = summed / np.maximum(lengths, 1)[:, None].astype(np.float32)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=4)
def transformer_for(model_path: str, weights_sha256: str) -> OnnxTransformer | None:
    """The cached, verified ONNX transformer for a model, exported now if need be; None if unusable."""
    target = cache_dir() / "onnx" / f"{weights_sha256[:24]}-v{EXPORT_VERSION}.onnx"
    try:
        if target.is_file():
            try:
                return OnnxTransformer(target)
            except Exception as err:  # a damaged cache file: made again below
                log.warning("cached ONNX model %s is unreadable (%s); exporting it again", target, err)
                target.unlink(missing_ok=True)
        _export(model_path, target)
        return OnnxTransformer(target)
    except Exception as err:  # any failure means "use PyTorch", never a failed run
        log.warning("ONNX backend unavailable for %s (%s); using PyTorch", model_path, err)
        return None


def _export(model_path: str, target: Path) -> None:
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    # Eager attention: the SDPA path has shape-dependent branches a trace would freeze.
    model = AutoModel.from_pretrained(model_path, attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # Trace with padding in the batch, so the mask's path is the one recorded.
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
    mask = (ids != 0).long()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".onnx.part", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Hidden(model), (ids, mask), str(partial), input_names=["input_ids", "attention_mask"],
                output_names=["hidden"], opset_version=17, dynamo=False,
                dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                              "hidden": {0: "batch", 1: "tokens"}},
            )
        _verify(OnnxTransformer(partial), model_path)
        partial.replace(target)  # atomic: a concurrent run sees the whole file or none
    finally:
        partial.unlink(missing_ok=True)


def _verify(transformer: OnnxTransformer, model_path: str) -> None:
    """The exported graph gives the reference forward pass's vectors on a padded batch, or it is refused."""
    from drift.embed import _light, _tokenizer, padded

    reference = _light(model_path)  # the NumPy forward pass, itself tested against sentence-transformers
    if reference is None:
        raise RuntimeError("no reference forward pass for this model")
    got = transformer.pooled(*padded(_tokenizer(model_path).encode_batch(_PROBES)))
    difference = float(np.abs(got - reference.encode(_PROBES)).max())
    if difference > TOLERANCE:
        raise RuntimeError(f"exported graph differs from the model by {difference:.2e}")
