"""What a file's path says: config globs, side folders, meeting folder titles.

Globs are matched against the path relative to the config's folder, with `/`
separators on every OS. `**` matches any number of folders, `*` and `?` stay
inside one folder. Like .gitignore, a pattern without a `/` (e.g. `README.md`)
matches a file or folder of that name at any depth, and a pattern that matches
a folder (e.g. `drafts` or `sales/old`) matches everything under it.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

from drift.ingest.dates import DATED_NAME
from drift.model import Side

SIDE_FOLDERS: dict[str, Side] = {"marketing": "marketing", "sales": "sales"}


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            parts.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(parts) + r"\Z")


def glob_matches(pattern: str, relative: PurePosixPath) -> bool:
    """Whether `relative` (or a folder it lies in) matches the glob `pattern`."""
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.strip("/")
    if not pattern:
        return False
    regex = _glob_regex(pattern)
    if "/" not in pattern:
        return any(regex.match(part) for part in relative.parts)
    parts = relative.parts
    return any(regex.match("/".join(parts[:end])) for end in range(len(parts), 0, -1))


def relative_to_root(path: Path, root: Path | None) -> PurePosixPath | None:
    """The path relative to the config folder, or None when it lies outside."""
    if root is None:
        return None
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: where the link itself sits
        resolved = Path(os.path.abspath(path))
    try:
        return PurePosixPath(resolved.relative_to(root).as_posix())
    except (ValueError, OSError):
        return None


def matches_any(patterns: tuple[str, ...], path: Path, root: Path | None) -> bool:
    relative = relative_to_root(path, root)
    return relative is not None and any(glob_matches(p, relative) for p in patterns)


def side_from_folders(path: Path, root: Path | None) -> Side | None:
    """The side named by the nearest `marketing/` or `sales/` folder above the file.

    Inside the config folder only the folders below it count, so a project
    that happens to live under a folder named "sales" is not all sales.
    """
    relative = relative_to_root(path, root)
    folders = (relative or PurePosixPath(path.as_posix())).parts[:-1]
    for folder in reversed(folders):
        side = SIDE_FOLDERS.get(folder.casefold())
        if side:
            return side
    return None


def meeting_title(path: Path) -> str | None:
    """Title from a dated recording folder, e.g. "2026-07-09 Kestrel x Bellmont - Discovery".

    Zoom names each cloud-recording folder by start time and meeting topic.
    """
    match = DATED_NAME.match(path.parent.name)
    if not match:
        return None
    title = match.group("rest").strip(" -_")
    return title or None
