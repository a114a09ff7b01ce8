"""`drift ingest` on a folder as a company's tools export it: docs-site pages in MDX, a Teams
recording, call notes, an empty file and files drift does not read. Exits 0 and reads every page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from .conftest import FIXTURES


def test_folder_with_mdx_teams_vtt_and_an_empty_file_exits_0(tmp_path: Path) -> None:
    export = tmp_path / "export"
    docs = export / "marketing" / "docs"
    docs.mkdir(parents=True)
    shutil.copy(FIXTURES / "site/docs/pricing.mdx", docs / "pricing.mdx")
    shutil.copy(FIXTURES / "site/docs/faq.md", docs / "faq.md")
    shutil.copy(FIXTURES / "site/views/pages/pricing.ejs", docs / "pricing-page.ejs")
    (docs / "_category_.yml").write_text("label: Pricing\nposition: 3\n", encoding="utf-8")
    (docs / "hero.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    calls = export / "sales" / "calls"
    calls.mkdir(parents=True)
    shutil.copy(FIXTURES / "calls/teams_stream_export.vtt", calls / "teams_stream_export.vtt")
    shutil.copy(FIXTURES / "callnotes/2025-03-03-northbeam-renewal.md", calls / "northbeam-renewal.md")
    (calls / "notes-to-self.txt").write_text("", encoding="utf-8")
    (calls / "blank.md").write_text("\n  \n", encoding="utf-8")
    store = tmp_path / "store.duckdb"

    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "drift", "ingest", str(export), "--store", str(store), "-q"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "0 failed, 4 skipped" in result.stderr
    assert "calls/notes-to-self.txt: empty" in result.stderr
    assert "_category_.yml: not a supported type (YAML data)" in result.stderr

    with duckdb.connect(str(store), read_only=True) as con:
        files = dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), status FROM files").fetchall())
        per_file = dict(con.execute(
            "SELECT regexp_extract(path, '[^/]+$'), count(*) FROM segments GROUP BY 1"
        ).fetchall())
        voices = dict(con.execute(
            "SELECT voice, count(*) FROM segments WHERE path LIKE '%northbeam%' GROUP BY 1"
        ).fetchall())
    assert files == {
        "pricing.mdx": "ok", "faq.md": "ok", "pricing-page.ejs": "ok", "teams_stream_export.vtt": "ok",
        "northbeam-renewal.md": "ok", "notes-to-self.txt": "skipped", "blank.md": "skipped",
        "_category_.yml": "skipped", "hero.png": "skipped",
    }
    for page in ("pricing.mdx", "faq.md", "pricing-page.ejs", "teams_stream_export.vtt", "northbeam-renewal.md"):
        assert per_file.get(page, 0) >= 3, (page, per_file)
    assert set(voices) == {"rep", "buyer"}  # header-block notes without a config: both sides
