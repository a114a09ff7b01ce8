"""The CPU bulk backend: the model's transformer exported once to ONNX, run by ONNX Runtime.

On CPU, ONNX Runtime runs all-MiniLM-L6-v2 1.3-1.7x faster than PyTorch with the same
vectors (max |difference| ~1e-6, benchmarks/README.md "CPU"), and a process that
only ingests then never imports torch or sentence-transformers (~450 MB less memory).

The ONNX file is made from the local weights on first use (PyTorch's exporter; nothing is
downloaded), checked on a padded batch against the NumPy forward pass, and cached under
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

from drift.cache import cache_dir
from drift.embed import numpy_backend
from drift.embed.backend import Layers, TransformerBackend
from drift.embed.model import hidden_size, plain_bert
from drift.embed.tokens import load_tokenizer, padded

log = logging.getLogger(__name__)

#: Bump when the exported graph changes, so old cache files are not reused.
#: v2: a second output, "layers", with every layer's hidden states (usage vectors mix layers).
EXPORT_VERSION = 2
#: Largest |difference| from the reference forward pass's vectors accepted at export.
TOLERANCE = 1e-4
PROBES = (
    "Yeah.",
    "So what does a qualified lead mean for your team, in practice?",
    "We'd need SSO and an audit log before security signs off, and procurement wants a per-seat quote "
    "for the 1,200 people in operations, honestly probably by the end of the quarter.",
    "Pipeline health",
)


def enabled() -> bool:
    """ONNX Runtime is installed and not turned off with DRIFT_ONNX=0."""
    if os.environ.get("DRIFT_ONNX", "1") == "0":
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class OnnxBackend(TransformerBackend):
    """An ONNX Runtime session over the exported transformer: ids and mask in, hidden states out."""

    name = "onnx"

    def __init__(self, file: Path, tokenizer, dimension: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        super().__init__(tokenizer, dimension)

    def hidden(self, ids: np.ndarray, lengths: np.ndarray, layers: Layers = (-1,)) -> np.ndarray:
        mask = (np.arange(ids.shape[1])[None, :] < np.asarray(lengths)[:, None]).astype(np.int64)
        feed = dict(zip(self.inputs, (np.asarray(ids, dtype=np.int64), mask)))
        if tuple(layers) == (-1,):
            return self.session.run(["hidden"], feed)[0]
        stacked = self.session.run(["layers"], feed)[0]  # (batch, layers + 1, tokens, dim)
        return stacked[:, list(layers)].mean(axis=1)


def export_path(weights_sha256: str) -> Path:
    """Where the exported graph of these weights is cached."""
    return cache_dir() / "onnx" / f"{weights_sha256[:24]}-v{EXPORT_VERSION}.onnx"


@lru_cache(maxsize=4)
def load(model_path: str, weights_sha256: str) -> OnnxBackend | None:
    """The cached, verified ONNX backend for a model, exported now if need be; None if unusable here.

    Whether ONNX Runtime is wanted at all (`enabled`) is the caller's to ask: it can change
    between calls, this answer is kept."""
    if not plain_bert(model_path):
        return None
    target = export_path(weights_sha256)
    make = lambda file: OnnxBackend(file, load_tokenizer(model_path), hidden_size(model_path))  # noqa: E731
    try:
        if target.is_file():
            try:
                return make(target)
            except Exception as err:  # a damaged cache file: made again below
                log.warning("cached ONNX model %s is unreadable (%s); exporting it again", target, err)
                target.unlink(missing_ok=True)
        export(model_path, target, make)
        return make(target)
    except Exception as err:  # any failure means "use PyTorch", never a failed run
        log.warning("ONNX backend unavailable for %s (%s); using PyTorch", model_path, err)
        return None


def export(model_path: str, target: Path, make) -> None:
    """Export the transformer to `target` with PyTorch's exporter, refusing a graph that gives other vectors."""
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
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
            return out.last_hidden_state, torch.stack(out.hidden_states, dim=1)

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
                output_names=["hidden", "layers"], opset_version=17, dynamo=False,
                dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                              "hidden": {0: "batch", 1: "tokens"}, "layers": {0: "batch", 2: "tokens"}},
            )
        verify(make(partial), model_path)
        partial.replace(target)  # atomic: a concurrent run sees the whole file or none
    finally:
        partial.unlink(missing_ok=True)


def verify(backend: OnnxBackend, model_path: str) -> None:
    """The exported graph gives the reference forward pass's vectors on a padded batch, or it is refused."""
    reference = numpy_backend.load(model_path)  # itself tested against sentence-transformers
    if reference is None:
        raise RuntimeError("no reference forward pass for this model")
    ids, lengths = padded(load_tokenizer(model_path).encode_batch(list(PROBES)))
    difference = float(np.abs(backend.pooled(ids, lengths) - reference.pooled(ids, lengths)).max())
    if difference > TOLERANCE:
        raise RuntimeError(f"exported graph differs from the model by {difference:.2e}")
