"""Ingest orchestration: files -> documents -> segments -> embeddings -> store.

Files are processed in batches: parse and segment each file, encode the texts
the store has not seen for this model, then write the whole batch in one
transaction. A bad file is recorded and skipped; it never stops the batch.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from drift.config import Config
from drift.embed import Encoder
from drift.ingest import IngestFailure, discover, parse_file
from drift.model import Document, IngestError, Segment
from drift.segment import SegmentStats, segment_documents
from drift.store import Store

BATCH_SEGMENTS = 2048  # encode and commit once this many segments are pending


@dataclass
class IngestSummary:
    seen: int = 0
    unchanged: int = 0
    ingested: int = 0
    documents: int = 0
    segments: int = 0
    encoded: int = 0  # texts sent to the model in this run
    fillers: int = 0
    failed: list[IngestError] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in blocks so a large mbox never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store_key(path: Path, config: Config) -> str:
    """How a file is named in the store and the report: relative to the config's folder
    when inside it (stable across machines), else absolute."""
    resolved = path.resolve()
    if config.root is not None:
        try:
            return resolved.relative_to(config.root).as_posix()
        except ValueError:
            pass
    return resolved.as_posix()


def _parse(path: Path, key: str, config: Config, side: str | None) -> list[Document]:
    # An empty result is legitimate: a Gong metadata file is read by the transcripts beside it.
    return [replace(d, source=key) for d in parse_file(path, config, side=side)]


@dataclass
class _Pending:
    key: str
    digest: str
    format: str | None
    parsed: list[tuple[Document, list[Segment]]]


def ingest(
    paths: Sequence[str | Path],
    store: Store,
    config: Config,
    encoder: Encoder,
    side: str | None = None,
    progress: Callable[[str, int], None] | None = None,
    batch_segments: int = BATCH_SEGMENTS,
) -> IngestSummary:
    """Bring the store up to date with the files under `paths`.

    Unchanged files are skipped by content hash; changed ones replace their old
    version; only texts without an embedding for this model are encoded.
    `progress(stage, n)` is called as files are processed.
    """
    summary = IngestSummary()
    seg_stats = SegmentStats()
    pending: list[_Pending] = []
    pending_segments = 0

    def flush() -> None:
        nonlocal pending, pending_segments
        if not pending:
            return
        hashes = {s.text_hash: s.text for p in pending for _, segs in p.parsed for s in segs}
        missing = sorted(store.missing_embeddings(hashes, encoder.info.name))
        vectors = encoder.encode([hashes[h] for h in missing], progress=(lambda n: progress("encoded", n)) if progress else None)
        summary.encoded += len(missing)
        store.write_files(
            [(p.key, p.digest, p.format, p.parsed) for p in pending],
            dict(zip(missing, vectors)),
            encoder.info.name,
        )
        pending, pending_segments = [], 0

    for path in discover(paths, config):
        summary.seen += 1
        key = store_key(path, config)
        try:
            digest = file_digest(path)
        except OSError as err:
            summary.failed.append(IngestError(key, f"cannot read file: {err.strerror or err}"))
            continue
        known = store.file_hash(key)
        if known is not None and known == (digest, "ok"):
            summary.unchanged += 1
            if progress:
                progress("files", 1)
            continue
        try:
            documents = _parse(path, key, config, side)
        except IngestFailure as err:
            summary.failed.append(IngestError(key, str(err)))
            store.record_failure(key, digest, str(err))
            if progress:
                progress("files", 1)
            continue
        if any(d.side is None for d in documents):
            summary.unassigned.append(key)
            store.record_failure(
                key, digest, "no side: not under a marketing/ or sales/ folder, no [sides] glob matches, "
                "and its format does not say", status="unassigned",
            )
            continue
        parsed = list(segment_documents(documents, seg_stats))
        n_segments = sum(len(s) for _, s in parsed)
        pending.append(_Pending(key, digest, documents[0].format if documents else None, parsed))
        pending_segments += n_segments
        summary.ingested += 1
        summary.documents += len(documents)
        summary.segments += n_segments
        if progress:
            progress("files", 1)
        if pending_segments >= batch_segments:
            flush()
    flush()
    summary.fillers = seg_stats.fillers
    return summary


def default_store_path(config: Config) -> Path:
    """`.drift/store.duckdb` beside the config file, else in the current folder."""
    env = os.environ.get("DRIFT_STORE")
    if env:
        return Path(env)
    return (config.root or Path.cwd()) / ".drift" / "store.duckdb"
