"""The field's memory-mapped sidecar: strings as flat columns, written beside the store per store state."""

from __future__ import annotations

import os
from datetime import date

import numpy as np
import pytest

from drift.columns import StringColumn
from drift.model import Document, Segment, Turn
from drift.store import Store


def test_string_column_keeps_every_value_and_maps_from_disk(tmp_path):
    values = ["Per-seat pricing is what procurement keeps pushing back on.", None, "", "Ünïcode — “quotes” ✓",
              "\ud800 a lone surrogate from a damaged export"]
    column = StringColumn.from_strings(values)
    assert list(column) == values and len(column) == 5 and column[-1] == values[-1]
    column.save(tmp_path, "text")
    mapped = StringColumn.load(tmp_path, "text")
    assert isinstance(mapped.data, np.memmap) and list(mapped) == values
    assert mapped[1:3] == [None, ""] and mapped[np.array([3, 0])] == [values[3], values[0]]
    view = mapped.view(2, 5)
    assert list(view) == values[2:] and view.data is mapped.data  # no copy
    assert list(mapped.take([4, 0])) == [values[4], values[0]]
    with pytest.raises(IndexError):
        mapped[5]
    assert list(StringColumn.from_strings([])) == []


def _store(path, calls: int = 3) -> Store:
    store = Store(path)
    rng = np.random.default_rng(0)
    batch, vectors = [], {}
    lines = [("rep", "Our per-seat price covers the audit log and SSO."),
             ("buyer", "Procurement wants a quote for the 1,200 people in operations."),
             ("rep", "The renewal is in March, so budget talks start in January.")]
    for i in range(calls):
        doc = Document(source=f"sales/calls/call-{i}.vtt", format="vtt", side="sales", channel="call",
                       turns=tuple(Turn(text, voice=voice, speaker=voice) for voice, text in lines), date=date(2026, 1 + i, 5))
        segments = [Segment(f"{text} (call {i})", voice, doc.doc_id, doc.source, "call", doc.month, k,
                            f"00:0{k}:00" if k else None) for k, (voice, text) in enumerate(lines)]
        batch.append((doc.source, f"hash-{i}", "vtt", [(doc, segments)]))
        for s in segments:
            v = rng.standard_normal(8).astype(np.float32)
            vectors[s.text_hash] = v / np.linalg.norm(v)
    page = Document(source="marketing/web/pricing.md", format="markdown", side="marketing", channel="web",
                    turns=(Turn("Pricing that grows with your team, billed per seat.", voice="marketing"),))
    segment = Segment(page.turns[0].text, "marketing", page.doc_id, page.source, "web", None, 0, "line 3")
    batch.append((page.source, "hash-page", "markdown", [(page, [segment])]))
    vectors[segment.text_hash] = np.ones(8, np.float32) / np.sqrt(8)
    store.write_files(batch, vectors, "test-model")
    return store


def test_sidecar_holds_the_field_then_marketing_and_is_keyed_by_the_store_state(tmp_path, monkeypatch):
    from drift import sidecar

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path / "cache"))
    with _store(tmp_path / "s.duckdb") as store:
        assert sidecar.read_field(store, "test-model") is None
        table = store.segment_table("test-model", compact=True)
        written = sidecar.write_field(store, "test-model", sidecar.from_table(table))
        assert written is not None and written.parent == tmp_path / "s.duckdb.field"
        columns = sidecar.read_field(store, "test-model")
        assert columns.n_field == 9 and len(columns) == 10
        assert list(columns.voice[:9]) == ["rep", "buyer", "rep"] * 3 and columns.voice[9] == "marketing"
        assert columns.text[9].startswith("Pricing that grows") and columns.locator[9] == "line 3"
        assert columns.locator[0] is None and columns.month[0] == "2026-01"
        first = table.text.index(columns.text[0])
        assert np.allclose(columns.vectors[0], table.vectors[first], atol=1e-3)
        assert sidecar.read_field(store, "another-model") is None  # keyed by model too
        store.record_failure("sales/calls/new.vtt", "abc", "truncated")  # the store changes
        assert sidecar.read_field(store, "test-model") is None
        again = sidecar.write_field(store, "test-model", sidecar.from_table(store.segment_table("test-model")))
        assert not written.exists() and again.exists()  # the old state's sidecar is removed


def test_a_damaged_sidecar_is_ignored_and_a_read_only_folder_falls_back_to_the_cache(tmp_path, monkeypatch):
    from drift import sidecar

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "ro"
    folder.mkdir()
    with _store(folder / "s.duckdb") as store:
        columns = sidecar.from_table(store.segment_table("test-model"))
        written = sidecar.write_field(store, "test-model", columns)
        (written / "vectors.npy").write_bytes(b"not an array")
        assert sidecar.read_field(store, "test-model") is None
        assert sidecar.write_field(store, "test-model", columns) == written  # made again
        assert sidecar.read_field(store, "test-model").n_field == 9
    if os.geteuid() == 0:
        return  # root writes anywhere: the read-only case cannot be staged
    import shutil

    shutil.rmtree(folder / "s.duckdb.field")
    folder.chmod(0o555)
    try:
        with Store(folder / "s.duckdb", read_only=True) as store:
            written = sidecar.write_field(store, "test-model", columns)
            assert written is not None and (tmp_path / "cache") in written.parents
            assert sidecar.read_field(store, "test-model").n_field == 9
    finally:
        folder.chmod(0o755)


def test_a_columnar_segment_table_reads_the_same_texts(tmp_path, monkeypatch):
    monkeypatch.setattr("drift.store._READ_CHUNK", 4)  # several chunks
    with _store(tmp_path / "s.duckdb", calls=3) as store:
        plain = store.segment_table("test-model", compact=True)
        columnar = store.segment_table("test-model", compact=True, columnar=True)
        assert isinstance(columnar.text, StringColumn) and isinstance(columnar.context, StringColumn)
        assert list(columnar.text) == plain.text and list(columnar.context) == plain.context
        assert columnar.text[3] == plain.text[3] and len(columnar.text) == 10
