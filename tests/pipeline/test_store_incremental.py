"""The store grows month by month: unchanged files are skipped, only new texts are encoded,
a changed file replaces its old version, and a bad file never stops the batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drift.config import parse_config
from drift.pipeline import ingest
from drift.store import Store

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "pipeline"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES, root)
    (root / "drift.toml").write_text(
        '[company]\ndomains = ["kestrelhq.com"]\n[voices]\nrep = ["Dana Whitfield"]\n'
        '[sides]\nmarketing = ["marketing/**"]\nsales = ["sales/**"]\n'
    )
    return root


def config_for(root):
    from drift.config import load_config

    return load_config(root / "drift.toml")


def snapshot(store: Store) -> dict:
    con = store.con
    return {
        "files": con.execute("SELECT path, content_hash, status FROM files ORDER BY path").fetchall(),
        "documents": con.execute("SELECT doc_id, path, side, channel, month FROM documents ORDER BY doc_id").fetchall(),
        "segments": con.execute("SELECT doc_id, position, text, voice FROM segments ORDER BY doc_id, position").fetchall(),
        # Keys only: the same text encoded in a different batch can differ in the last float16 bit
        # (padding changes the arithmetic); vectors are compared with a tolerance where it matters.
        "embeddings": con.execute("SELECT text_hash, model FROM embeddings ORDER BY text_hash, model").fetchall(),
    }


def vectors(store: Store) -> dict:
    import numpy as np

    rows = store.con.execute("SELECT text_hash, model, vector FROM embeddings").fetchall()
    return {(h, m): np.frombuffer(v, dtype="<f2").astype(np.float32) for h, m, v in rows}


def test_second_run_is_a_no_op(corpus, tmp_path, counting_encoder):
    config = config_for(corpus)
    with Store(tmp_path / "s.duckdb") as store:
        first = ingest([corpus], store, config, counting_encoder)
        encoded_first = len(counting_encoder.texts)
        before = snapshot(store)
        second = ingest([corpus], store, config, counting_encoder)
        assert first.ingested == 3 and first.segments > 20 and encoded_first > 20
        assert second.ingested == 0 and second.unchanged == 3
        assert len(counting_encoder.texts) == encoded_first  # nothing re-encoded
        assert snapshot(store) == before


def test_new_month_encodes_only_new_sentences(corpus, tmp_path, counting_encoder):
    config = config_for(corpus)
    with Store(tmp_path / "s.duckdb") as store:
        ingest([corpus], store, config, counting_encoder)
        known = set(counting_encoder.texts)
        counting_encoder.texts.clear()
        new_call = corpus / "sales" / "2026-09-02 follow-up.vtt"
        new_call.write_text(
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:05.000\nDana Whitfield: Thanks for jumping back on, I know it's a busy week.\n\n"
            "2\n00:00:05.500 --> 00:00:11.000\nRenee Castillo: Yeah, so the NetSuite question is still the big one for our controller.\n\n"
            "3\n00:00:11.500 --> 00:00:16.000\nDana Whitfield: Thanks for jumping back on, I know it's a busy week.\n",
            encoding="utf-8",
        )
        summary = ingest([corpus], store, config, counting_encoder)
        assert summary.ingested == 1 and summary.unchanged == 3
        # The repeated sentence is encoded once; nothing from earlier files again.
        assert sorted(counting_encoder.texts) == sorted(set(counting_encoder.texts))
        assert not known & set(counting_encoder.texts)
        assert any("NetSuite" in t for t in counting_encoder.texts)


def test_changed_file_replaces_its_old_version(corpus, tmp_path, counting_encoder):
    config = config_for(corpus)
    page = corpus / "marketing" / "pricing.md"
    with Store(tmp_path / "s.duckdb") as store:
        ingest([corpus], store, config, counting_encoder)
        page.write_text(page.read_text().replace("$49 per user per month", "$59 per user per month"))
        ingest([corpus], store, config, counting_encoder)
        texts = [r[0] for r in store.con.execute("SELECT text FROM segments WHERE path = 'marketing/pricing.md'").fetchall()]
        assert any("$59" in t for t in texts) and not any("$49" in t for t in texts)
        assert store.con.execute("SELECT count(*) FROM documents WHERE path = 'marketing/pricing.md'").fetchone()[0] == 1


def test_bad_file_is_skipped_named_and_recorded(corpus, tmp_path, counting_encoder):
    config = config_for(corpus)
    (corpus / "sales" / "broken-call.json").write_text('{"callTranscripts": [{"callId": "1", "transcript": [')
    with Store(tmp_path / "s.duckdb") as store:
        summary = ingest([corpus], store, config, counting_encoder)
        assert summary.ingested == 3
        assert [e.source for e in summary.failed] == ["sales/broken-call.json"]
        assert summary.failed[0].reason
        assert [f.path for f in store.files("failed")] == ["sales/broken-call.json"]


def test_a_file_that_turns_bad_keeps_its_last_good_version(corpus, tmp_path, counting_encoder):
    config = config_for(corpus)
    call = corpus / "sales" / "2026-08-11 discovery.vtt"
    with Store(tmp_path / "s.duckdb") as store:
        ingest([corpus], store, config, counting_encoder)
        before = store.con.execute("SELECT count(*) FROM segments WHERE path LIKE 'sales/2026-08-11%'").fetchone()[0]
        call.write_bytes(b"\x00\x01binary junk\xff\xfe" * 50)
        summary = ingest([corpus], store, config, counting_encoder)
        assert not summary.ok
        after = store.con.execute("SELECT count(*) FROM segments WHERE path LIKE 'sales/2026-08-11%'").fetchone()[0]
        assert before == after > 0
