"""`drift ingest --history`: every committed version of a page is a document dated by its
commit, at most one per month, tied to its page; a rerun adds nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from drift.config import load_config
from drift.ingest.history import HistoryError, file_versions, repository_root
from drift.measure.versions import group_pages
from drift.pipeline import ingest_history
from drift.store import Store

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")

PRICING_V1 = """---
title: Pricing
date: 2023-11-02
---
# Pricing

Starter costs $19 per user per month, billed annually.
Every plan includes unlimited workflows and email support.
"""
PRICING_V2 = PRICING_V1.replace("$19", "$24")
PRICING_V3 = PRICING_V2 + "\nTeams of more than 50 users get volume pricing from our sales team.\n"
PLAYBOOK_V1 = """# Discovery calls

Qualify every opportunity with BANT before you book a demo.
Ask who signs off on purchases above ten thousand dollars.
"""
PLAYBOOK_V2 = PLAYBOOK_V1.replace("with BANT", "with MEDDIC")


def git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Writer", "GIT_AUTHOR_EMAIL": "writer@example.com",
           "GIT_COMMITTER_NAME": "Writer", "GIT_COMMITTER_EMAIL": "writer@example.com"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def commit(repo: Path, files: dict[str, str], when: str, message: str) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "drift.toml").write_text('[sides]\nmarketing = ["web/**"]\nsales = ["playbook/**"]\n')
    commit(root, {"web/pricing.md": PRICING_V1, "playbook/discovery.md": PLAYBOOK_V1, "web/logo.png": "\x89PNG"},
           "2024-01-10T09:00:00+00:00", "first pages")
    commit(root, {"web/pricing.md": PRICING_V1.replace("annually", "annually.")}, "2024-01-20T09:00:00+00:00",
           "typo (same month: only the month's last version is read)")
    commit(root, {"web/pricing.md": PRICING_V2}, "2024-03-05T09:00:00+00:00", "new price")
    # A change made on a branch and merged: first-parent history sees it on the merge's date.
    git(root, "checkout", "-q", "-b", "playbook")
    commit(root, {"playbook/discovery.md": PLAYBOOK_V2}, "2024-04-02T09:00:00+00:00", "new framework")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge playbook", "playbook", when="2024-04-15T09:00:00+00:00")
    commit(root, {"web/pricing.md": PRICING_V3}, "2024-06-30T22:00:00-04:00", "volume pricing")
    return root


def test_versions_are_read_from_first_parent_history(repo):
    root, under = repository_root(repo / "web")
    assert root == repo.resolve() and under == "web"
    versions = file_versions(root, under)
    assert [(v.path, v.when) for v in versions] == [
        ("web/logo.png", date(2024, 1, 10)),
        ("web/pricing.md", date(2024, 1, 20)),
        ("web/pricing.md", date(2024, 3, 5)),
        ("web/pricing.md", date(2024, 6, 30)),  # the committer's own date, not UTC's
    ]
    assert versions[1].key_path.startswith("web/pricing-2024-01-20-") and versions[1].key_path.endswith(".md")
    playbook = file_versions(root, "playbook")
    assert [v.when for v in playbook] == [date(2024, 1, 10), date(2024, 4, 15)]
    assert len(file_versions(root, "web", every_commit=True)) == 5


def test_each_version_is_a_dated_document_of_its_page_and_a_rerun_adds_nothing(repo, tmp_path, encoder):
    # The pricing page's front matter says when it was first published; each version is dated by its commit.
    config = load_config(repo / "drift.toml")
    with Store(tmp_path / "s.duckdb") as store:
        first = ingest_history(repo, store, config, encoder)
        assert first.ingested == 5 and not first.failed  # three pricing and two playbook versions; the image skipped
        documents = store.documents()
        got = sorted((d["path"][: len(d["path"]) - len("-0123456789.md")], d["date"], d["side"]) for d in documents)
        assert got == [
            ("playbook/discovery-2024-01-10", date(2024, 1, 10), "sales"),
            ("playbook/discovery-2024-04-15", date(2024, 4, 15), "sales"),
            ("web/pricing-2024-01-20", date(2024, 1, 20), "marketing"),
            ("web/pricing-2024-03-05", date(2024, 3, 5), "marketing"),
            ("web/pricing-2024-06-30", date(2024, 6, 30), "marketing"),
        ]
        months = {m for (m,) in store.con.execute("SELECT DISTINCT month FROM segments WHERE path LIKE 'web/%'").fetchall()}
        assert months == {"2024-01", "2024-03", "2024-06"}
        pages = {p.key: [v.date for v in p.versions] for p in group_pages(documents)}
        assert pages == {"playbook/discovery": [date(2024, 1, 10), date(2024, 4, 15)],
                         "web/pricing": [date(2024, 1, 20), date(2024, 3, 5), date(2024, 6, 30)]}
        counts = store.counts()
        again = ingest_history(repo, store, config, encoder)
        assert again.ingested == 0 and again.encoded == 0 and store.counts() == counts


def test_a_folder_outside_git_is_a_clear_error(tmp_path):
    with pytest.raises(HistoryError, match="not a git repository|not a folder"):
        repository_root(tmp_path)


def test_the_command_line_reads_history_and_names_a_folder_outside_git(repo, tmp_path):
    from click.testing import CliRunner

    from drift.cli import main

    store = tmp_path / "cli.duckdb"
    runner = CliRunner()
    done = runner.invoke(main, ["ingest", "--history", str(repo), "--store", str(store), "-q"])
    assert done.exit_code == 0, done.output
    assert "6 versions: 5 ingested" in done.output  # the image is a version too, skipped as no text
    again = runner.invoke(main, ["ingest", "--history", str(repo), "--store", str(store), "-q"])
    assert again.exit_code == 0 and "5 ingested" not in again.output and "0 ingested" in again.output
    outside = tmp_path / "plain"
    outside.mkdir()
    bad = runner.invoke(main, ["ingest", "--history", str(outside), "--store", str(store), "-q"])
    assert bad.exit_code == 2 and "plain" in bad.output
