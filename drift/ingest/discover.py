"""Which files an ingest run reads, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from drift.config import CONFIG_NAME, Config
from drift.ingest.paths import matches_any


def _skipped(path: Path, config: Config) -> bool:
    return path.name == CONFIG_NAME or matches_any(config.exclude_globs, path, config.root)


def discover(paths: Sequence[str | Path], config: Config) -> Iterator[Path]:
    """Files under `paths`, each folder walked in sorted order, each file once.

    Hidden files and folders (".git", ".DS_Store") found while walking are
    skipped, as are drift.toml and `[ingest] exclude` globs. A path that does
    not exist is yielded as given, so parse_file reports it with the batch
    instead of the run stopping.
    """
    seen: set[Path] = set()
    for given in paths:
        start = Path(given)
        if start.is_dir():
            candidates: Iterator[Path] = _walk(start, config)
        else:
            candidates = iter([start] if not _skipped(start, config) else [])
        for path in candidates:
            key = path.resolve() if path.exists() else path
            if key not in seen:
                seen.add(key)
                yield path


def _walk(folder: Path, config: Config) -> Iterator[Path]:
    # A sub-folder that cannot be listed is yielded itself, so the run reports it
    # (textio.file_problem says why) instead of skipping its files in silence.
    unreadable: list[OSError] = []
    for current, folders, files in os.walk(folder, onerror=unreadable.append):
        while unreadable:
            failed = unreadable.pop(0).filename
            if failed is not None:
                yield Path(failed)
        here = Path(current)
        folders[:] = sorted(
            name for name in folders if not name.startswith(".") and not _skipped(here / name, config)
        )
        for name in sorted(files):
            path = here / name
            if not name.startswith(".") and not _skipped(path, config):
                yield path
    for error in unreadable:
        if error.filename is not None:
            yield Path(error.filename)
