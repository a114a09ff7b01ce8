"""Ingest orchestration: files -> documents -> segments -> embeddings -> store.

Files are processed in batches: parse and segment each file, encode the texts
the store has not seen for this model, then write the whole batch in one
transaction. A bad file is recorded and skipped; it never stops the batch.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from drift.config import CONFIG_NAME, Config
from drift.embed import Encoder
from drift.ingest import FileSkipped, IngestFailure, discover, parse_file
from drift.ingest.history import file_versions, read_blobs, repository_root
from drift.ingest.textio import file_problem
from drift.model import Document, IngestError, Segment, file_digest
from drift.segment import SegmentStats, segment_documents
from drift.store import Store
from drift.textsafe import path_text

BATCH_SEGMENTS = 8192  # encode and commit once this many segments are pending
#: Token-identical texts embedded in this run, remembered so a variant in a later batch
#: ("Let me share my screen." then "let me share my screen.") is not encoded again.
#: Bounded: only short texts (where variants recur), at most this many.
NEAR_CACHE_ITEMS = 50_000
NEAR_CACHE_CHARS = 80


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
    # Empty files and files of types drift does not read: recorded, never a failure.
    skipped: list[IngestError] = field(default_factory=list)
    # New texts that got the embedding of a token-identical text instead of being encoded
    # (differences of case or spacing only); included in neither `encoded` nor the model calls.
    near_duplicates: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def store_key(path: Path, config: Config) -> str:
    """How a file is named in the store and the report: relative to the config's folder
    when inside it (stable across machines), else absolute. A name that is not valid UTF-8
    keeps its odd bytes as \\xNN (textsafe.path_text), so the store can hold it."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: name the link itself
        resolved = Path(os.path.abspath(path))
    if config.root is not None:
        try:
            return path_text(resolved.relative_to(config.root).as_posix())
        except ValueError:
            pass
    return path_text(resolved.as_posix())


def _unexpected(err: Exception) -> str:
    """A one-line reason for an error no parser foresaw (a library bug, a value the store rejects)."""
    detail = " ".join(str(err).split())[:200]
    return f"could not be read ({type(err).__name__}{': ' + detail if detail else ''})"


def is_store_file(path: Path, store_path: Path) -> bool:
    """The store's own database, write-ahead log or sidecar folder (`<store>.field/`), which an
    ingest must never read as input."""
    try:
        target = path.resolve()
        store = store_path.resolve()
    except (OSError, RuntimeError):
        return False
    sidecar = store.with_name(store.name + ".field")
    return target in (store, store.with_name(store.name + ".wal")) or sidecar in target.parents


def _parse(path: Path, key: str, config: Config, side: str | None) -> list[Document]:
    # An empty result is legitimate: a Gong metadata file is read by the transcripts beside it.
    return [replace(d, source=key) for d in parse_file(path, config, side=side)]


def _iter_parse(path: Path, key: str, config: Config, side: str | None) -> Iterator[Document]:
    """Documents one at a time (a mailbox is streamed, never held whole)."""
    for document in parse_file(path, config, side=side):
        yield replace(document, source=key)


@dataclass
class _Pending:
    key: str
    digest: str
    format: str | None
    parsed: list[tuple[Document, list[Segment]]]


class _Embedder:
    """Finds which texts need the model, encodes each distinct one once, and shares vectors
    between texts the model cannot tell apart (same token ids)."""

    def __init__(self, store: Store, encoder: Encoder, summary: IngestSummary,
                 progress: Callable[[str, int], None] | None):
        self.store, self.encoder, self.summary, self.progress = store, encoder, summary, progress
        self.keys = getattr(encoder, "dedup_keys", None)
        self.near: dict[str, np.ndarray] = {}

    def vectors_for(self, parsed: Iterable[tuple[Document, list[Segment]]]) -> dict[str, np.ndarray]:
        """Embeddings for the texts in `parsed` that the store lacks, keyed by text hash."""
        texts = {s.text_hash: s.text for _, segs in parsed for s in segs}
        missing = sorted(self.store.missing_embeddings(texts, self.encoder.info.key))
        if not missing:
            return {}
        keys = self.keys([texts[h] for h in missing]) if self.keys else missing
        groups: dict[str, list[str]] = {}
        for h, k in zip(missing, keys):
            groups.setdefault(k, []).append(h)
        known = {k: self.near[k] for k in groups if k in self.near}
        todo = [k for k in groups if k not in known]
        report = (lambda n: self.progress("encoded", n)) if self.progress else None
        fresh = self.encoder.encode([texts[groups[k][0]] for k in todo], progress=report)
        self.summary.encoded += len(todo)
        self.summary.near_duplicates += len(missing) - len(todo)
        out: dict[str, np.ndarray] = {}
        for k, vector in zip(todo, fresh):
            for h in groups[k]:
                out[h] = vector
            if self.keys and len(texts[groups[k][0]]) <= NEAR_CACHE_CHARS:
                if len(self.near) >= NEAR_CACHE_ITEMS:
                    self.near.clear()
                self.near[k] = vector.astype(np.float16)
        for k, vector in known.items():
            for h in groups[k]:
                out[h] = vector.astype(np.float32)
        _release_memory()
        return out


@lru_cache(maxsize=1)
def _libc():
    """glibc, for its allocator controls; None where it is not the C library."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def _release_memory() -> None:
    """Hand freed heap pages back to the OS after a batch (glibc keeps them otherwise, and
    the resident size of a long ingest creeps up by the encoder's largest batch each time)."""
    if _libc():
        _libc().malloc_trim(0)


def _limit_malloc_arenas(arenas: int = 2, mmap_threshold: int = 1 << 20) -> None:
    """Keep glibc from holding on to freed memory during a long ingest.

    Fewer arenas (one per encoder and tokenizer thread otherwise), and a fixed mmap
    threshold, so multi-megabyte batch buffers are mapped and unmapped instead of carved
    out of the heap, where small long-lived objects allocated in between pin them. Its
    effect alone was not measured: the 1 GB mailbox figures in benchmarks/README.md ("mbox")
    were both taken with it in place.
    """
    if _libc():
        _libc().mallopt(-8, arenas)  # M_ARENA_MAX
        _libc().mallopt(-3, mmap_threshold)  # M_MMAP_THRESHOLD (also stops its dynamic growth)


def changed_files(
    paths: Sequence[str | Path],
    store: Store,
    config: Config,
    summary: IngestSummary,
    progress: Callable[[str, int], None] | None = None,
) -> Iterator[tuple[Path, str, str]]:
    """(path, store key, content hash) of each file that is new or changed since the store
    last ingested it. Unreadable files are added to `summary.failed`, unchanged ones counted."""
    for path in discover(paths, config):
        if is_store_file(path, store.path):
            continue
        summary.seen += 1
        key = store_key(path, config)
        problem = file_problem(path)  # FIFOs, devices, symlink loops: never opened
        if problem:
            summary.failed.append(IngestError(key, problem))
            if progress:
                progress("files", 1)
            continue
        try:
            digest = file_digest(path)
        except OSError as err:
            summary.failed.append(IngestError(key, f"cannot read file: {err.strerror or err}"))
            continue
        if store.file_hash(key) == (digest, "ok"):
            summary.unchanged += 1
            if progress:
                progress("files", 1)
            continue
        yield path, key, digest


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
    version; only texts without an embedding for this model are encoded, and
    texts that differ only in case or spacing are encoded once.
    `progress(stage, n)` is called as files are processed.

    Files are parsed, segmented and written in batches of about `batch_segments`
    segments, each batch in one transaction. A file larger than a batch (a
    mailbox) is streamed: written in parts inside one transaction of its own, so
    memory stays bounded and a crash still leaves it wholly in or wholly out.
    """
    _limit_malloc_arenas()
    summary = IngestSummary()
    seg_stats = SegmentStats()
    embedder = _Embedder(store, encoder, summary, progress)
    pending: list[_Pending] = []
    pending_segments = 0

    def flush() -> None:
        nonlocal pending, pending_segments
        if not pending:
            return
        vectors = embedder.vectors_for(pair for p in pending for pair in p.parsed)
        try:
            store.write_files([(p.key, p.digest, p.format, p.parsed) for p in pending], vectors, encoder.info.key)
        except Exception:
            # The batch was rolled back whole; write its files one by one so a value the
            # database rejects costs only the file that holds it.
            for p in pending:
                own = {s.text_hash for _, segments in p.parsed for s in segments}
                try:
                    store.write_files([(p.key, p.digest, p.format, p.parsed)],
                                      {h: v for h, v in vectors.items() if h in own}, encoder.info.key)
                except Exception as err:
                    reason = f"the store rejected it: {_unexpected(err)}"
                    summary.failed.append(IngestError(p.key, reason))
                    store.record_failure(p.key, p.digest, reason)
                    summary.ingested -= 1
                    summary.documents -= len(p.parsed)
                    summary.segments -= sum(len(segments) for _, segments in p.parsed)
        pending, pending_segments = [], 0

    for path, key, digest in changed_files(paths, store, config, summary, progress):

        file_stats = SegmentStats()
        parsed: list[tuple[Document, list[Segment]]] = []
        n_documents = n_segments = 0
        fmt: str | None = None
        streaming = unassigned = False
        try:
            for document in _iter_parse(path, key, config, side):
                if document.side is None:
                    unassigned = True
                    break
                fmt = fmt or document.format
                for pair in segment_documents([document], file_stats):
                    parsed.append(pair)
                    n_documents += 1
                    n_segments += len(pair[1])
                if n_segments - (0 if not streaming else streamed) >= batch_segments:
                    if not streaming:
                        flush()  # earlier files are committed first; this one gets its own transaction
                        store.begin_file(key)
                        streaming, streamed = True, 0
                    store.append_parts(key, parsed, embedder.vectors_for(parsed), encoder.info.key)
                    streamed, parsed = n_segments, []
        except Exception as err:
            # Any error while reading, segmenting or writing this file is this file's failure;
            # only interrupts (Ctrl-C, a kill) stop the run.
            if streaming:
                store.abort_file()
            reason = err.reason if isinstance(err, IngestFailure) else _unexpected(err)
            if isinstance(err, FileSkipped):
                summary.skipped.append(IngestError(key, reason))
                store.record_failure(key, digest, reason, status="skipped")
            else:
                summary.failed.append(IngestError(key, reason))
                store.record_failure(key, digest, reason)
            if progress:
                progress("files", 1)
            continue
        except BaseException:
            if streaming:
                store.abort_file()
            raise
        if unassigned:
            if streaming:
                store.abort_file()
            summary.unassigned.append(key)
            store.record_failure(
                key, digest, "no side: not under a marketing/ or sales/ folder, no [sides] glob matches, "
                "and its format does not say", status="unassigned",
            )
            continue
        seg_stats.sentences += file_stats.sentences
        seg_stats.fillers += file_stats.fillers
        if streaming:
            try:
                if parsed:
                    store.append_parts(key, parsed, embedder.vectors_for(parsed), encoder.info.key)
                store.finish_file(key, digest, fmt, n_documents, n_segments)
            except BaseException:
                store.abort_file()
                raise
        else:
            pending.append(_Pending(key, digest, fmt, parsed))
            pending_segments += n_segments
        summary.ingested += 1
        summary.documents += n_documents
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


def _add_summary(total: IngestSummary, part: IngestSummary) -> None:
    for name, value in vars(part).items():
        if isinstance(value, int):
            setattr(total, name, getattr(total, name) + value)
        elif isinstance(value, list):
            getattr(total, name).extend(value)


def ingest_history(
    folder: str | Path,
    store: Store,
    config: Config,
    encoder: Encoder,
    side: str | None = None,
    progress: Callable[[str, int], None] | None = None,
    every_commit: bool = False,
    batch_segments: int = BATCH_SEGMENTS,
    chunk: int = 500,
) -> IngestSummary:
    """Add the committed versions of every file under `folder` (in a git checkout) to the store.

    Each version is a document of its own, dated by its commit and named as a version of
    its file (`pricing-2022-08-26-58e316915e.md` beside `pricing.md`, see
    drift.ingest.history): one per month a file changed in, or every commit with
    `every_commit`. A version in the store is never read again (its text cannot change),
    so a rerun adds nothing. Versions are written to a temporary copy of the folder's layout
    and ingested from there like any file, so side globs, excludes and formats apply as
    they do to the checkout; keys are relative to the config's folder when the checkout is
    inside it, else to the checkout's root (absolute without a config).
    """
    root, under = repository_root(Path(folder))
    prefix = root.as_posix().lstrip("/")
    if config.root is not None:
        try:
            prefix = root.relative_to(config.root).as_posix()
        except ValueError:
            prefix = ""
    prefix = "" if prefix == "." else prefix
    total = IngestSummary()
    todo = []
    for version in file_versions(root, under, every_commit):
        if Path(version.path).name == CONFIG_NAME:
            continue  # drift's own settings, never input (as in a plain ingest)
        key = f"{prefix}/{version.key_path}" if prefix else version.key_path
        if store.file_hash(key) is not None:
            total.seen += 1
            total.unchanged += 1
            if progress:
                progress("files", 1)
            continue
        todo.append(version)
    for start in range(0, len(todo), chunk):
        with tempfile.TemporaryDirectory(prefix="drift-history-") as tmp:
            mirror = Path(tmp)
            for version, data in read_blobs(root, todo[start : start + chunk]):
                target = mirror / prefix / version.key_path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            shadow = replace(config, source=str(mirror / CONFIG_NAME))
            part = ingest([mirror], store, shadow, encoder, side=side, progress=progress, batch_segments=batch_segments)
            _add_summary(total, part)
            store.redate({(f"{prefix}/{v.key_path}" if prefix else v.key_path): v.when for v in todo[start : start + chunk]})
    return total
