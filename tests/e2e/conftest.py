"""The demo corpus run end to end once per test session, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "corpora" / "demo"


def run_cli(*args: str, cwd: Path = REPO, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "drift", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """Store, HTML and JSON reports of the demo corpus, made by `drift report`."""
    out = tmp_path_factory.mktemp("demo")
    store = out / "demo.duckdb"
    html = run_cli("report", str(DEMO), "--store", str(store), "-o", str(out / "demo.html"), "-q")
    assert html.returncode == 0, html.stderr
    as_json = run_cli("report", "--config", str(DEMO / "drift.toml"), "--store", str(store),
                      "--format", "json", "-o", str(out / "demo.json"), "-q")
    assert as_json.returncode == 0, as_json.stderr
    return {"dir": out, "store": store, "html": out / "demo.html", "json": out / "demo.json",
            "analysis": json.loads((out / "demo.json").read_text(encoding="utf-8")), "stderr": html.stderr}
