"""Shared fixtures: the real model is loaded once per session (it is a real part, not a stub)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Caches made during the tests (the ONNX export) go to a folder of this run, never ~/.cache;
# subprocesses (the CLI tests) inherit it.
os.environ.setdefault("DRIFT_CACHE_DIR", tempfile.mkdtemp(prefix="drift-test-cache-"))

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def encoder():
    from drift.embed import Encoder

    return Encoder()


class CountingEncoder:
    """Wraps the real encoder and counts the texts it is asked to encode."""

    def __init__(self, inner):
        self.inner = inner
        self.info = inner.info
        self.texts: list[str] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts, progress=None):
        self.texts.extend(texts)
        return self.inner.encode(texts, progress=progress)


@pytest.fixture
def counting_encoder(encoder):
    return CountingEncoder(encoder)
