"""Sentence embeddings: one Encoder, several ways of running the model behind one interface.

    model.py          which model, where, what kind (no loading)      device.py   CPU or CUDA
    tokens.py         the fast tokenizer, batching one chunk ahead    backend.py  the Backend interface
    numpy_backend.py  onnx_backend.py  torch_backend.py               encoder.py  Encoder picks one

Modules import only to their left in that list; nothing outside the package needs more than
the names below.
"""

from drift.embed.device import pick_device
from drift.embed.encoder import BACKENDS, CPU_BATCH, GPU_BATCH, Encoder
from drift.embed.model import DEFAULT_MODEL, DEFAULT_MODEL_SHA256, ModelError, ModelInfo, requested_model, resolve_model
from drift.embed.tokens import TokenBatch

__all__ = ["BACKENDS", "CPU_BATCH", "DEFAULT_MODEL", "DEFAULT_MODEL_SHA256", "GPU_BATCH", "Encoder", "ModelError",
           "ModelInfo", "TokenBatch", "pick_device", "requested_model", "resolve_model"]
