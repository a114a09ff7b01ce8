"""Which device the model runs on, decided without importing torch where the answer is certain."""

from __future__ import annotations

import glob
import os


def gpu_impossible() -> bool:
    """True when no NVIDIA device can exist here (so CPU is certain without importing torch, ~200 MB)."""
    return not glob.glob("/dev/nvidia[0-9]*") and not os.environ.get("CUDA_VISIBLE_DEVICES")


def pick_device(requested: str | None = None) -> str:
    """`requested` if given, else CUDA when available, else CPU."""
    if requested:
        return requested
    if gpu_impossible():
        return "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"
