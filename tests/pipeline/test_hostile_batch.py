"""A hostile batch: every bad file is one named failure and the rest is stored; busy, damaged
and read-only stores are sentences, never DuckDB tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from drift.config import parse_config
from drift.pipeline import ingest
from drift.store import Store, StoreBusy, StoreDamaged, StoreReadOnly

PAGE = "# Scheduling\n\nThe planner books every depot's deliveries in one view.\n\nChanges reach drivers in seconds.\n"
REPLY = (
    b"From: Jos\xe9 Garc\xeda <jose@lumenfreight.example>\nTo: dana@kestrelhq.com\n"
    b"Subject: Re: rollout\nDate: Tue, 14 Jul 2026 08:05:00 -0400\n\n"
    b"The rollout plan works for us if the drivers get the new routes before Monday.\n"
)


def config_for(root: Path):
    return parse_config({"company": {"domains": ["kestrelhq.com"]},
                         "sides": {"marketing": ["marketing/**"], "sales": ["sales/**"]}},
                        source=str(root / "drift.toml"))


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    root = tmp_path / "exports"
    (root / "marketing").mkdir(parents=True)
    (root / "sales").mkdir()
    (root / "marketing" / "planner.md").write_text(PAGE)
    with open(os.fsencode(root / "marketing") + b"/caf\xe9 menu.md", "wb") as handle:
        handle.write(b"# Caf\xc3\xa9 menu\n\nThe depot cafe opens at six for early drivers and staff.\n")
    (root / "sales" / "reply.eml").write_bytes(REPLY)
    call = {"callTranscripts": [{"callId": "9", "transcript": [{"speakerId": "1", "sentences": [
        {"start": 0, "end": 1, "text": "Our dispatchers \ud800 still copy routes by hand every morning."}]}]}]}
    (root / "sales" / "call.json").write_text(json.dumps(call))
    os.mkfifo(root / "sales" / "pipe.vtt")
    os.symlink("loop.md", root / "marketing" / "loop.md")
    (root / "marketing" / "bomb.md").write_text(
        "---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n---\n" + PAGE)
    return root


def test_a_hostile_batch_keeps_every_good_file(batch: Path, encoder) -> None:
    store_path = batch / "sales" / "store.duckdb"  # a store inside the input folder
    with Store(store_path) as store:
        summary = ingest([batch], store, config_for(batch), encoder)
        stored = {f.path: f.status for f in store.files()}
    failed = {e.source: e.reason for e in summary.failed}
    assert {"marketing/planner.md", "marketing/caf\\xe9 menu.md", "sales/reply.eml", "sales/call.json"} <= {
        p for p, s in stored.items() if s == "ok"}
    assert "named pipe" in failed["sales/pipe.vtt"]
    assert "symbolic link loop" in failed["marketing/loop.md"]
    assert "max YAML aliases" in failed["marketing/bomb.md"]
    assert not any("store.duckdb" in path for path in [*stored, *failed])  # never its own input
    assert all("\n" not in reason for reason in failed.values())


def test_a_value_the_store_rejects_costs_one_file(batch: Path, encoder, monkeypatch) -> None:
    (batch / "sales" / "pipe.vtt").unlink()
    real = Store.write_files

    def picky(self, files, vectors, model):
        if any(path == "sales/reply.eml" for path, *_ in files):
            raise duckdb.ConversionException("Could not convert string to UTF-8")
        return real(self, files, vectors, model)

    monkeypatch.setattr(Store, "write_files", picky)
    with Store(batch.parent / "s.duckdb") as store:
        summary = ingest([batch], store, config_for(batch), encoder)
        stored = {f.path: f.status for f in store.files()}
    assert stored["sales/reply.eml"] == "failed"
    assert "store rejected it" in {e.source: e.reason for e in summary.failed}["sales/reply.eml"]
    assert stored["marketing/planner.md"] == stored["sales/call.json"] == "ok"


def test_busy_store_waits_then_says_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from drift.store import Store; import time; s = Store({str(path)!r}); "
         "print('held', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        told = []
        with pytest.raises(StoreBusy, match="store busy: another process .* holds .*--wait SECONDS"):
            Store(path, read_only=True, wait=0.5, on_wait=told.append)
        assert told and "waiting up to 0.5 s" in told[0]
    finally:
        holder.kill()
        holder.wait()
    with Store(path, read_only=True, wait=30) as store:  # released: opens
        assert store.counts()["files"] == 0


def test_damaged_stores_name_the_file_and_the_rebuild(tmp_path: Path, encoder) -> None:
    good = tmp_path / "good.duckdb"
    root = tmp_path / "exports"
    (root / "marketing").mkdir(parents=True)
    for n in range(40):
        (root / "marketing" / f"page{n}.md").write_text(PAGE.replace("depot", f"depot {n}"))
    with Store(good) as store:
        ingest([root], store, config_for(root), encoder)
    size = good.stat().st_size
    cases = {"garbage": os.urandom(50_000), "empty": b"", "truncated": good.read_bytes()[: size // 2]}
    for name, data in cases.items():
        path = tmp_path / f"{name}.duckdb"
        path.write_bytes(data)
        for read_only in (True, False):
            with pytest.raises(StoreDamaged) as caught:
                with Store(path, read_only=read_only) as store:
                    store.verify()  # what doctor runs: counts alone look normal on a truncated store
            assert str(path) in str(caught.value) and "drift ingest" in str(caught.value), name
    other = tmp_path / "analytics.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE visits (day DATE)").close()
    with pytest.raises(StoreDamaged, match="not a drift store"):
        Store(other)
    assert duckdb.connect(str(other)).execute("SELECT count(*) FROM information_schema.tables").fetchone()[0] == 1


def test_read_only_store_opens_for_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    real = duckdb.connect

    def no_write(database, read_only=False, **kwargs):  # as a read-only mount or file answers
        if not read_only:
            raise duckdb.IOException(f'IO Error: Cannot open file "{database}": Permission denied')
        return real(database, read_only=True, **kwargs)

    monkeypatch.setattr(duckdb, "connect", no_write)
    with pytest.raises(StoreReadOnly, match="store is read-only"):
        Store(path)
    with Store(path, fallback_read_only=True) as store:
        assert store.read_only and store.counts()["files"] == 0
