"""Versions of files read straight from a git checkout's history.

Company handbooks and websites live in git, so every earlier version of a page is there to
read. This module asks the `git` command (no library, no server) for the first-parent
history of a folder, picks the versions to read (by default the last one of each month a
file changed in), and writes each one out under the name drift gives versions:

    docs/pricing.md at commit 58e316915e... of 2022-08-26  ->  docs/pricing-2022-08-26-58e316915e.md

That name is the store key of the version (and what the report quotes), the date in it is
the commit date, and `drift.measure.versions` reads the page and the date back from it. A
reader can open the exact text with `git show 58e316915e:docs/pricing.md`.

First parent: the history of the main line as it was published, one step per merge, not
the work-in-progress commits of every branch.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Iterator, Sequence

HASH_CHARS = 10  # the commit in a version's name, as `git log --abbrev=10` shows it


class HistoryError(Exception):
    """The folder is not in a git checkout, or git cannot be run: a one-line reason."""


@dataclass(frozen=True)
class FileVersion:
    path: str  # the file's path in the repository (POSIX, from the repository root)
    commit: str  # full commit id
    when: date  # the commit's date (committer date, in the committer's time zone)

    @property
    def name(self) -> str:
        """The version's file name: stem, commit date and short commit, then the extension."""
        posix = PurePosixPath(self.path)
        return f"{posix.stem}-{self.when.isoformat()}-{self.commit[:HASH_CHARS]}{posix.suffix}"

    @property
    def key_path(self) -> str:
        """The version's path in the repository, named as a version."""
        parent = PurePosixPath(self.path).parent
        return self.name if str(parent) in ("", ".") else f"{parent.as_posix()}/{self.name}"


def _git(repo: Path, *args: str) -> bytes:
    if shutil.which("git") is None:
        raise HistoryError("the git command is not installed (needed to read history)")
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except OSError as err:
        raise HistoryError(f"cannot run git: {err}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(f"{repo}: {reason[-1] if reason else 'git failed'}")
    return done.stdout


def repository_root(folder: Path) -> tuple[Path, str]:
    """(root of the checkout, `folder` relative to it as a POSIX path, "" for the root)."""
    if not folder.is_dir():
        raise HistoryError(f"{folder}: not a folder")
    top = _git(folder, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip()
    root = Path(top).resolve()
    inside = folder.resolve().relative_to(root).as_posix()
    return root, "" if inside == "." else inside


def parse_log(raw: bytes) -> Iterator[tuple[str, date, list[tuple[str, str]]]]:
    """(commit, date, [(status, path)]) from `git log -z --name-status --format=%x1e%H %cI`."""
    for record in raw.split(b"\x1e"):
        if not record.strip():
            continue
        header, _, body = record.partition(b"\x00")
        commit, _, stamp = header.decode("ascii", "replace").strip().partition(" ")
        when = datetime.fromisoformat(stamp.strip()).date()
        fields = body.lstrip(b"\n").split(b"\x00")
        changes = []
        for status, path in zip(fields[0::2], fields[1::2]):
            if status:
                changes.append((status.decode("ascii", "replace"), path.decode("utf-8", "surrogateescape")))
        yield commit, when, changes


def file_versions(root: Path, under: str = "", every_commit: bool = False) -> list[FileVersion]:
    """The versions to read of every file under `under`, oldest first per file.

    One per month by default (the last commit of the month that changed the file): a page
    edited ten times in a week is one published version, not ten. A file deleted in a
    commit has no version there; its earlier ones stay.
    """
    raw = _git(root, "-c", "core.quotepath=false", "log", "--first-parent", "-m", "--no-renames",
               "--name-status", "-z", "--format=%x1e%H %cI", "--", under or ".")
    chosen: dict[tuple[str, str], FileVersion] = {}
    for commit, when, changes in parse_log(raw):  # newest first
        for status, path in changes:
            if status.startswith("D"):
                continue
            slot = (path, commit if every_commit else when.strftime("%Y-%m"))
            chosen.setdefault(slot, FileVersion(path, commit, when))  # the newest in its month wins
    return sorted(chosen.values(), key=lambda v: (v.path, v.when, v.commit))


def read_blobs(root: Path, versions: Sequence[FileVersion]) -> Iterator[tuple[FileVersion, bytes]]:
    """Each version's bytes, through one `git cat-file --batch` process."""
    if not versions:
        return
    process = subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    try:
        for version in versions:
            process.stdin.write(f"{version.commit}:{version.path}\n".encode("utf-8", "surrogateescape"))
            process.stdin.flush()
            header = process.stdout.readline().decode("utf-8", "replace").split()
            if len(header) != 3 or header[1] != "blob":  # "missing", or a submodule
                continue
            data = process.stdout.read(int(header[2]))
            process.stdout.read(1)  # the newline after the content
            yield version, data
    finally:
        process.stdin.close()
        process.stdout.close()
        process.wait()
