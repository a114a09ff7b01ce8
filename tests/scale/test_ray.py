"""`drift ingest --executor ray` on a local Ray instance gives the single-process store."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'drift[ray]' to run the Ray executor test")
pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install 'ray[data]'")

from drift.config import load_config  # noqa: E402
from drift.executors import get_executor  # noqa: E402
from drift.pipeline import ingest  # noqa: E402
from drift.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _scale():
    spec = importlib.util.spec_from_file_location("drift_bench_scale", REPO / "benchmarks" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def rows(store: Store) -> dict:
    con = store.con
    return {
        "files": con.execute("SELECT path, content_hash, status, format, documents, segments FROM files ORDER BY path").fetchall(),
        "documents": con.execute("SELECT doc_id, path, part, format, side, channel, month, title, participants "
                                 "FROM documents ORDER BY doc_id").fetchall(),
        "segments": con.execute("SELECT doc_id, position, path, text, text_hash, voice, channel, month, locator, "
                                "speaker, context FROM segments ORDER BY doc_id, position").fetchall(),
    }


def vectors(store: Store) -> dict[str, np.ndarray]:
    return {h: np.frombuffer(v, dtype="<f2").astype(np.float32)
            for h, v in store.con.execute("SELECT text_hash, vector FROM embeddings").fetchall()}


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.slow
def test_ray_executor_equals_single_process(tmp_path, encoder, local_ray):
    scale = _scale()
    generated = scale.generate(tmp_path / "gen", scale.Sizes(calls=2, emails=12, pages=2), seed=5)
    corpus = generated.root
    (corpus / "sales" / "broken.vtt").write_text("WEBVTT\n\n1\n00:00:0 --> nonsense\nDana: hi\n")
    config = load_config(corpus / "drift.toml")

    with Store(tmp_path / "local.duckdb") as store:
        local = ingest([corpus], store, config, encoder)
        expected, expected_vectors = rows(store), vectors(store)
    with Store(tmp_path / "ray.duckdb") as store:
        summary = get_executor("ray")([corpus], store, config, encoder)
        got, got_vectors = rows(store), vectors(store)
        failed = store.files("failed")

    assert local.segments > 300
    assert (summary.ingested, summary.documents, summary.segments, summary.fillers) == \
        (local.ingested, local.documents, local.segments, local.fillers)
    assert [e.source for e in summary.failed] == [e.source for e in local.failed] == ["sales/broken.vtt"]
    assert [f.path for f in failed] == ["sales/broken.vtt"]
    assert got == expected
    assert got_vectors.keys() == expected_vectors.keys()
    worst = max(float(np.abs(got_vectors[h] - expected_vectors[h]).max()) for h in expected_vectors)
    assert worst < 2e-3, f"embeddings differ by {worst} (more than float16 rounding)"

    # A second run is a no-op on Ray too.
    with Store(tmp_path / "ray.duckdb") as store:
        again = get_executor("ray")([corpus], store, config, encoder)
    assert again.ingested == 0 and again.unchanged == local.ingested
