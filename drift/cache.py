"""Where drift keeps what it can make again (the ONNX export, check's field sidecars).

`DRIFT_CACHE_DIR` wins, then `$XDG_CACHE_HOME/drift`, then `~/.cache/drift`. Nothing here is
needed for correctness: a missing or unwritable cache only costs time.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache folder in force (not created here)."""
    configured = os.environ.get("DRIFT_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drift"
