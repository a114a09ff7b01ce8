"""discover(): which files a run reads, in what order."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from drift.ingest import discover
from drift.ingest.paths import glob_matches

from .conftest import make_config


def touch(root: Path, *relatives: str) -> None:
    for relative in relatives:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def names(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def test_walks_sorted_and_skips_hidden_config_and_excluded(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "drift.toml",
        "README.md",
        ".DS_Store",
        ".git/config",
        "notes/.hidden.md",
        "sales/email/b.eml",
        "sales/email/a.eml",
        "sales/calls/zoom/GMT1.vtt",
        "marketing/web/index.html",
        "marketing/drafts/old.md",
        "marketing/web/README.md",
    )
    config = make_config(tmp_path, ingest={"exclude": ["README.md", "marketing/drafts"]})
    assert names(list(discover([tmp_path], config)), tmp_path) == [
        "marketing/web/index.html",
        "sales/calls/zoom/GMT1.vtt",
        "sales/email/a.eml",
        "sales/email/b.eml",
    ]


def test_explicit_files_keep_argument_order_and_appear_once(tmp_path: Path) -> None:
    touch(tmp_path, "sales/z.eml", "sales/a.eml", "marketing/p.md")
    config = make_config(tmp_path)
    found = list(
        discover(
            [
                tmp_path / "sales/z.eml",
                tmp_path / "marketing",
                tmp_path / "sales",
                str(tmp_path / "sales/z.eml"),
            ],
            config,
        )
    )
    assert names(found, tmp_path) == ["sales/z.eml", "marketing/p.md", "sales/a.eml"]


def test_missing_paths_are_passed_on_for_parse_file_to_report(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    assert list(discover([tmp_path / "nope.eml"], config)) == [tmp_path / "nope.eml"]


def test_explicit_config_file_is_skipped(tmp_path: Path) -> None:
    touch(tmp_path, "drift.toml")
    assert list(discover([tmp_path / "drift.toml"], make_config(tmp_path))) == []


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("marketing/**", "marketing/web/index.html", True),
        ("marketing/**", "sales/marketing/x.md", False),
        ("**/gong/*.json", "sales/calls/gong/c.json", True),
        ("**/gong/*.json", "gong/c.json", True),
        ("sales/*.eml", "sales/email/a.eml", False),
        ("README.md", "marketing/web/README.md", True),
        ("drafts", "marketing/drafts/old.md", True),
        ("./sales/email/", "sales/email/a.eml", True),
        ("GMT2026????-*.vtt", "zoom/x/GMT20260714-150211_Recording.transcript.vtt", True),
        ("[!a]*.md", "b.md", True),
        ("[!a]*.md", "a.md", False),
    ],
)
def test_glob_matches(pattern: str, path: str, matches: bool) -> None:
    assert glob_matches(pattern, PurePosixPath(path)) is matches
