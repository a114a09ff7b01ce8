"""The scale levers keep results the same: a streamed mailbox equals one written whole,
a stream that fails leaves nothing behind, token-identical texts share one encoding, and
the NumPy light encoder gives the torch model's vectors."""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from drift.embed import Encoder, resolve_model
from drift.pipeline import ingest
from drift.store import Store

REPO = Path(__file__).resolve().parents[2]


def _load_benchmark(name: str):
    """The benchmark script as a module (its corpus generator), without touching sys.path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"drift_bench_{name}", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


scale = _load_benchmark("scale")


class FakeEncoder:
    """Deterministic vectors from a text's token key, so tests need no model; counts calls."""

    def __init__(self, keys=None):
        self.info = resolve_model(None)
        self.texts: list[str] = []
        self._keys = keys
        if keys is not None:
            self.dedup_keys = keys

    dimension = 8

    def encode(self, texts, progress=None):
        self.texts.extend(texts)
        out = np.empty((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            key = " ".join(t.lower().split())
            seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "little")
            v = np.random.default_rng(seed).standard_normal(8).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


def write_mbox(path: Path, n: int, seed: int = 3) -> None:
    cast = scale.Cast.make(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rng = random.Random(f"mbox-{seed}-{i}")
            when = scale.datetime(2026, 3, 1 + i % 28, 10)
            _, text = scale.email_message(rng, cast, when, i, mbox=True)
            fh.write(f"From sender@example.com {when:%a %b %d %H:%M:%S %Y}\n{text}\n")


def snapshot(store: Store) -> dict:
    con = store.con
    return {
        "files": con.execute("SELECT path, content_hash, status, documents, segments FROM files ORDER BY path").fetchall(),
        "documents": con.execute("SELECT doc_id, path, part, side, month FROM documents ORDER BY doc_id").fetchall(),
        "segments": con.execute("SELECT doc_id, position, text, voice FROM segments ORDER BY doc_id, position").fetchall(),
        "embeddings": con.execute("SELECT text_hash, md5(vector) FROM embeddings ORDER BY text_hash").fetchall(),
    }


@pytest.fixture
def mailbox_corpus(tmp_path):
    root = tmp_path / "corpus"
    (root / "sales").mkdir(parents=True)
    cast = scale.Cast.make(3)
    (root / "drift.toml").write_text(scale.config_text(cast))
    write_mbox(root / "sales" / "inbox.mbox", 60)
    (root / "sales" / "note.md").write_text("# Notes\n\nOur buyers ask about pricing for small teams every week.\n")
    return root


def _config(root: Path):
    from drift.config import load_config

    return load_config(root / "drift.toml")


def test_streamed_mailbox_equals_whole(mailbox_corpus, tmp_path):
    config = _config(mailbox_corpus)
    with Store(tmp_path / "whole.duckdb") as whole, Store(tmp_path / "streamed.duckdb") as streamed:
        a = ingest([mailbox_corpus], whole, config, FakeEncoder(), batch_segments=100_000)
        b = ingest([mailbox_corpus], streamed, config, FakeEncoder(), batch_segments=25)
        assert a.segments == b.segments > 100 and a.documents == b.documents
        assert snapshot(whole) == snapshot(streamed)
        # and a rerun of the streamed store is a no-op
        again = ingest([mailbox_corpus], streamed, config, FakeEncoder(), batch_segments=25)
        assert again.unchanged == 2 and again.encoded == 0


def test_failing_stream_leaves_no_part_behind(mailbox_corpus, tmp_path, monkeypatch):
    config = _config(mailbox_corpus)
    from drift import pipeline
    from drift.ingest import IngestFailure

    real = pipeline.parse_file

    def broken(path, config, side=None):
        for i, doc in enumerate(real(path, config, side=side)):
            if i == 40:
                raise IngestFailure("truncated mailbox")
            yield doc

    monkeypatch.setattr(pipeline, "parse_file", broken)
    with Store(tmp_path / "s.duckdb") as store:
        summary = ingest([mailbox_corpus], store, config, FakeEncoder(), batch_segments=25)
        assert [e.source for e in summary.failed] == ["sales/inbox.mbox"]
        assert store.con.execute("SELECT count(*) FROM segments WHERE path = 'sales/inbox.mbox'").fetchone()[0] == 0
        assert store.file_hash("sales/inbox.mbox")[1] == "failed"
        assert store.file_hash("sales/note.md")[1] == "ok"


def test_token_identical_texts_are_encoded_once(tmp_path):
    encoder = Encoder()
    keys = encoder.dedup_keys(["Let me share my screen.", "let me  share MY screen.", "Let me share my screen"])
    assert keys[0] == keys[1] != keys[2]  # case and spacing do not change the tokens; a full stop does

    root = tmp_path / "corpus"
    (root / "sales").mkdir(parents=True)
    (root / "drift.toml").write_text('[sides]\nsales = ["sales/**"]\n')
    (root / "sales" / "a.md").write_text("Let me share my screen with the team.\n")
    (root / "sales" / "b.md").write_text("let me share  my SCREEN with the team.\n")
    fake = FakeEncoder(keys=encoder.dedup_keys)
    with Store(tmp_path / "s.duckdb") as store:
        summary = ingest([root], store, _config(root), fake, batch_segments=1)  # two batches: the run cache works
        assert summary.segments == 2 and summary.encoded == 1 and summary.near_duplicates == 1
        assert len(fake.texts) == 1
        rows = store.con.execute("SELECT vector FROM embeddings").fetchall()
        assert len(rows) == 2 and rows[0][0] == rows[1][0]


def test_light_encoder_matches_the_torch_model(encoder):
    texts = ["Let me share my screen.", "The prospect confirmed budget and a Q4 timeline.",
             "Honestly, our team, you know, spends 5 hours a week chasing approvals and nobody owns it.",
             "word " * 300]
    from drift.embed import numpy_backend

    light = numpy_backend.load(encoder.info.path)
    assert light is not None
    fast = light.encode(texts)
    reference = encoder.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.abs(fast - reference).max() < 1e-4


def test_generator_is_reproducible(tmp_path):
    a = scale.generate(tmp_path / "a", scale.Sizes(2, 5, 1), seed=11)
    b = scale.generate(tmp_path / "b", scale.Sizes(2, 5, 1), seed=11)
    files_a = sorted(p.relative_to(a.root) for p in a.root.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b.root) for p in b.root.rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) == 2 + 5 + 1 + 1  # + drift.toml
    assert all((a.root / f).read_bytes() == (b.root / f).read_bytes() for f in files_a)
    assert a.extra_files >= 1


def test_segment_table_reads_in_chunks_and_samples(mailbox_corpus, tmp_path, monkeypatch):
    from drift import store as store_module

    config = _config(mailbox_corpus)
    with Store(tmp_path / "s.duckdb") as store:
        ingest([mailbox_corpus], store, config, FakeEncoder())
        model = FakeEncoder().info.key
        rows = store.con.execute(
            "SELECT s.text, s.voice, s.path, s.doc_id, e.vector FROM segments s JOIN embeddings e "
            "ON e.text_hash = s.text_hash WHERE e.model = ? ORDER BY s.path, s.doc_id, s.position", [model]).fetchall()
        monkeypatch.setattr(store_module, "_READ_CHUNK", 7)  # many chunks
        table = store.segment_table(model)
        assert table.text == [r[0] for r in rows] and list(table.voice) == [r[1] for r in rows]
        assert table.source == [r[2] for r in rows] and table.doc_id == [r[3] for r in rows]
        expected = np.frombuffer(b"".join(r[4] for r in rows), dtype="<f2").reshape(len(rows), -1).astype(np.float32)
        assert table.vectors.dtype == np.float32 and np.array_equal(table.vectors, expected)
        half = store.segment_table(model, dtype=np.float16)
        assert half.vectors.dtype == np.float16 and np.array_equal(half.vectors.astype(np.float32), expected)
        compact = store.segment_table(model, compact=True).vectors
        assert compact.half.dtype == np.float16 and compact.shape == expected.shape and len(compact) == len(expected)
        assert compact[[0, 2]].dtype == np.float32 and np.array_equal(compact[[0, 2]], expected[[0, 2]])
        monkeypatch.setattr(compact, "CHUNK", 3)  # several chunks
        query = expected[:2].T
        assert np.allclose(compact @ query, expected @ query, atol=1e-6) and np.array_equal(np.asarray(compact), expected)
        sample = store.segment_table(model, sample=20, seed=3)
        assert len(sample) == 20 and sample.text == store.segment_table(model, sample=20, seed=3).text
        assert set(sample.text) <= set(table.text)
        assert len(store.segment_table("no-such-model")) == 0
