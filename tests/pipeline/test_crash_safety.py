"""Kill `drift ingest` with SIGKILL mid-run, rerun, and the store equals an uninterrupted run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drift.store import Store

import numpy as np

from .test_store_incremental import snapshot, vectors

REPO = Path(__file__).resolve().parents[2]
EMAILS = REPO / "corpora" / "demo" / "sales" / "email"


def run_ingest(corpus: Path, store: Path, kill_after: float | None = None) -> int | None:
    cmd = [sys.executable, "-m", "drift", "ingest", str(corpus), "--store", str(store), "--quiet",
           "--batch-segments", "40", "--side", "sales"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if kill_after is None:
        return subprocess.run(cmd, env=env, capture_output=True, timeout=600).returncode
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Wait until the store file exists (model loaded, ingest under way), then kill.
    deadline = time.monotonic() + 120
    while not store.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(kill_after)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return proc.returncode


@pytest.mark.slow
@pytest.mark.skipif(not EMAILS.is_dir(), reason="demo corpus emails not present")
def test_sigkill_then_rerun_equals_uninterrupted(tmp_path):
    corpus = tmp_path / "email"
    shutil.copytree(EMAILS, corpus)
    reference = tmp_path / "reference.duckdb"
    assert run_ingest(corpus, reference) == 0
    with Store(reference, read_only=True) as store:
        expected = snapshot(store)
        expected_vectors = vectors(store)
    assert len(expected["segments"]) > 100

    killed = 0
    for delay in (0.3, 1.5, 3.0):
        target = tmp_path / f"killed-{delay}.duckdb"
        code = run_ingest(corpus, target, kill_after=delay)
        killed += code == -signal.SIGKILL
        assert run_ingest(corpus, target) == 0
        with Store(target, read_only=True) as store:
            assert snapshot(store) == expected, f"store differs after SIGKILL at +{delay}s"
            got = vectors(store)
            worst = max(float(np.abs(got[k] - v).max()) for k, v in expected_vectors.items())
            assert worst < 5e-3, f"embeddings differ by {worst} after SIGKILL at +{delay}s"
    assert killed >= 1, "no run was actually killed mid-ingest: make the corpus larger"
