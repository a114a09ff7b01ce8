"""The embedded store: one DuckDB file holding files, documents, segments and embeddings.

Why DuckDB: a single file, no server, transactions that survive a killed
process (write-ahead log), and columnar scans over millions of segments for the
measures. Embeddings are keyed by (text hash, model) so a sentence said twice,
or ingested again next month, is encoded once; they are stored as float16
bytes (768 bytes for 384 dimensions), half of float32, with no measurable loss
for cosine similarities.

Every file is written in one transaction with its documents, segments and new
embeddings: a crash leaves the file either fully in the store or not at all.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import duckdb
import numpy as np

from drift.model import Document, Segment

SCHEMA_VERSION = 1
_INSERT_CHUNK = 400  # rows per multi-row INSERT: far faster than executemany in DuckDB
_READ_CHUNK = 50_000  # rows per fetch when reading the segment table

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS files (
    path VARCHAR PRIMARY KEY,
    content_hash VARCHAR,
    status VARCHAR,            -- ok | failed | unassigned | skipped (empty, unsupported type)
    reason VARCHAR,
    format VARCHAR,
    documents INTEGER,
    segments INTEGER,
    ingested_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,
    path VARCHAR,
    part VARCHAR,
    format VARCHAR,
    side VARCHAR,
    channel VARCHAR,
    date DATE,
    month VARCHAR,
    title VARCHAR,
    thread_id VARCHAR,
    outcome VARCHAR,
    participants VARCHAR,      -- JSON list of {name, email, title, affiliation}
    turns INTEGER,
    unknown_turns INTEGER
);
CREATE TABLE IF NOT EXISTS segments (
    doc_id VARCHAR,
    position INTEGER,
    path VARCHAR,
    text VARCHAR,
    text_hash VARCHAR,
    voice VARCHAR,
    channel VARCHAR,
    month VARCHAR,
    locator VARCHAR,
    speaker VARCHAR,
    context VARCHAR,
    block VARCHAR,             -- heading | item | row | text (copy layout), NULL for speech
    section VARCHAR,           -- the heading a copy sentence sits under, NULL for speech
    PRIMARY KEY (doc_id, position)
);
CREATE TABLE IF NOT EXISTS embeddings (
    text_hash VARCHAR,
    model VARCHAR,
    vector BLOB,               -- float16, little-endian
    PRIMARY KEY (text_hash, model)
);
CREATE TABLE IF NOT EXISTS analysis (
    text_hash VARCHAR,
    kind VARCHAR,              -- what was computed, with its code version and settings (drift.measure.per_text)
    value VARCHAR,             -- JSON
    PRIMARY KEY (text_hash, kind)
);
"""


@dataclass(frozen=True)
class FileRecord:
    path: str
    content_hash: str
    status: str
    reason: str | None
    format: str | None
    documents: int
    segments: int


class CompactVectors:
    """Row vectors kept in memory as float16, as the store holds them, and read as float32.

    Half the memory of a float32 matrix (1,000,000 x 384: 768 MB instead of 1.5 GB) with the
    same values the measures would get from a float32 copy: indexing returns float32 rows and
    `@` runs chunk by chunk, so no step holds the whole matrix in float32.
    """

    CHUNK = 65_536

    def __init__(self, half: np.ndarray):
        self.half = half

    @property
    def shape(self) -> tuple[int, ...]:
        return self.half.shape

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(np.float32)

    def __len__(self) -> int:
        return len(self.half)

    def __getitem__(self, index) -> np.ndarray:
        return self.half[index].astype(np.float32)

    def __matmul__(self, other: np.ndarray) -> np.ndarray:
        other = np.asarray(other, dtype=np.float32)
        out = np.empty((len(self.half), *other.shape[1:]), dtype=np.float32)
        for start in range(0, len(self.half), self.CHUNK):
            out[start : start + self.CHUNK] = self.half[start : start + self.CHUNK].astype(np.float32) @ other
        return out

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self.half.astype(dtype or np.float32)


@dataclass(frozen=True)
class SegmentTable:
    """Segments with their embeddings, as columns (what the measures read)."""

    text: list[str]
    voice: np.ndarray  # object array of voice names
    channel: np.ndarray
    month: np.ndarray
    source: list[str]
    locator: list[str | None]
    doc_id: list[str]
    context: list[str]
    vectors: np.ndarray | CompactVectors  # (n, d) float32 rows, L2-normalised
    block: list[str | None] | None = None  # layout of each row's block (heading, item, row, text)
    position: np.ndarray | None = None  # order within the document
    section: list[str | None] | None = None  # the heading each copy row sits under
    genre: list[str | None] | None = None  # each row's document genre, set by the measures (drift.measure.genre)

    def __len__(self) -> int:
        return len(self.text)


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple]) -> None:
    if not rows:
        return
    width = len(rows[0])
    placeholder = "(" + ",".join("?" * width) + ")"
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        con.execute(
            f"INSERT OR REPLACE INTO {table} VALUES " + ",".join([placeholder] * len(chunk)),
            [value for row in chunk for value in row],
        )


class StoreError(RuntimeError):
    """A store that cannot be used as asked; the message is a sentence saying why and what to do."""


class StoreBusy(StoreError):
    """Another process holds the store's lock (DuckDB allows one writer, or readers only)."""


class StoreDamaged(StoreError):
    """The file is not a readable DuckDB store (truncated, overwritten, not a store at all)."""


class StoreReadOnly(StoreError):
    """The store cannot be opened for writing (file or folder permissions, read-only disk)."""


_LOCK = re.compile(r"Could not set lock|Conflicting lock")
_LOCK_PID = re.compile(r"\(PID (\d+)\)")
_NO_WRITE = re.compile(r"Permission denied|Read-only file system|read-only mode", re.I)
_COMMANDS = ("ingest", "report", "check", "doctor")
BUSY_POLL_SECONDS = 0.25


def lock_holder(message: str) -> str:
    """Who holds the lock, from the PID DuckDB names: "another drift process (ingest, pid 4242)"."""
    found = _LOCK_PID.search(message)
    if not found:
        return "another process"
    pid = found.group(1)
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            args = [a.decode("utf-8", "replace") for a in handle.read().split(b"\0")]
    except OSError:
        return f"another process (pid {pid})"
    drift = [i for i, a in enumerate(args) if Path(a).name == "drift" or a in ("drift", "drift.cli")]
    command = next((a for a in args[drift[0] + 1 :] if a in _COMMANDS), None) if drift else None
    if command:
        return f"another drift process ({command}, pid {pid})"
    return f"another {'drift ' if drift else ''}process (pid {pid})"


def damaged(path: Path, detail: str) -> StoreDamaged:
    """The StoreDamaged error for `path`, naming the file, what DuckDB said and how to rebuild."""
    detail = " ".join(detail.split())[:200]
    return StoreDamaged(
        f"store damaged: {path} cannot be read ({detail}). Rebuild it from your exports: move it aside "
        f"(mv '{path}' '{path}.damaged') and run `drift ingest` on them again"
    )


def _connect(path: Path, read_only: bool, wait: float, on_wait: Callable[[str], None] | None):
    """A DuckDB connection, waiting up to `wait` seconds while another process holds the lock."""
    deadline = time.monotonic() + max(wait, 0.0)
    told = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as err:
            message = str(err)
            if _LOCK.search(message):
                holder = lock_holder(message)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise StoreBusy(
                        f"store busy: {holder} holds {path}; run again when it has finished, "
                        "or wait for it with --wait SECONDS"
                    ) from None
                if on_wait and not told:
                    on_wait(f"store busy: {holder} holds {path}; waiting up to {wait:g} s for it")
                    told = True
                time.sleep(min(BUSY_POLL_SECONDS, left))
                continue
            if _NO_WRITE.search(message) and not read_only:
                raise StoreReadOnly(
                    f"store is read-only: {path} cannot be written ({' '.join(message.split())[:160]})"
                ) from None
            raise damaged(path, message) from None


class Store:
    """A drift store file. Use as a context manager, or call close().

    Opening never raises a DuckDB error for the file's state: a store another process holds
    raises StoreBusy (after waiting up to `wait` seconds, telling `on_wait` once), one that
    cannot be read StoreDamaged, one that cannot be written StoreReadOnly, each with a
    sentence saying what to do. With `fallback_read_only`, a store that cannot be written is
    opened for reading instead (`read_only` then says so).
    """

    def __init__(
        self,
        path: str | Path,
        read_only: bool = False,
        *,
        wait: float = 0.0,
        on_wait: Callable[[str], None] | None = None,
        fallback_read_only: bool = False,
    ):
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreReadOnly(f"store is read-only: cannot create {self.path.parent} ({err.strerror})") from None
        try:
            self.con = _connect(self.path, read_only, wait, on_wait)
        except StoreReadOnly:
            if not fallback_read_only or not self.path.exists():
                raise
            self.read_only = read_only = True
            self.con = _connect(self.path, True, wait, on_wait)
        try:
            self._prepare(read_only)
        except duckdb.Error as err:
            self.con.close()
            if _NO_WRITE.search(str(err)) and not read_only:
                raise StoreReadOnly(f"store is read-only: {self.path} cannot be written ({str(err)[:160]})") from None
            if isinstance(err, duckdb.CatalogException):
                raise StoreDamaged(
                    f"not a drift store: {self.path} is a DuckDB database without drift's tables "
                    f"({' '.join(str(err).split())[:120]}); give another --store path"
                ) from None
            raise damaged(self.path, str(err)) from None

    def _prepare(self, read_only: bool) -> None:
        """Create or upgrade the schema (writable), or check the file is a drift store (read-only)."""
        if read_only:
            self.con.execute("SELECT count(*) FROM files").fetchone()
        else:
            tables = {row[0] for row in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if tables and "files" not in tables:  # someone else's database: never add tables to it
                raise duckdb.CatalogException(f"it holds tables ({', '.join(sorted(tables)[:5])}) but no drift 'files' table")
        if not read_only:
            self.con.execute(SCHEMA)
            # Stores written before segments had a layout column gain it (NULL: unknown layout).
            self.con.execute("ALTER TABLE segments ADD COLUMN IF NOT EXISTS block VARCHAR")
            self.con.execute("ALTER TABLE segments ADD COLUMN IF NOT EXISTS section VARCHAR")
            self.con.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def verify(self) -> None:
        """Read every value of every table, raising StoreDamaged if any block is unreadable.

        Row counts come from the file's metadata and look normal on a truncated store;
        hashing every column makes DuckDB read (and checksum) every data block.
        """
        try:
            for (table,) in self.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall():
                columns = [row[0] for row in self.con.execute(f'DESCRIBE "{table}"').fetchall()]
                sums = ", ".join(f'bit_xor(hash("{column}"))' for column in columns)
                self.con.execute(f'SELECT count(*), {sums} FROM "{table}"').fetchall()
        except duckdb.Error as err:
            raise damaged(self.path, str(err)) from None

    # --- models: embeddings are keyed by the model's identity (embed.ModelInfo.key) -----

    def model_counts(self) -> dict[str, int]:
        """Embeddings held per model key (derived caches, whose keys hold "#", left out)."""
        rows = self.con.execute(
            "SELECT model, count(*) FROM embeddings WHERE model NOT LIKE '%#%' GROUP BY model ORDER BY 2 DESC"
        ).fetchall()
        return {model: int(n) for model, n in rows}

    def occurrences(self, needles: dict[str, str]) -> dict[str, int]:
        """How often each needle occurs in the stored sentences, titles and participants
        (doctor counts redaction placeholders with it: what the store holds, not a log)."""
        counts = {}
        for kind, needle in needles.items():
            width = max(len(needle), 1)
            row = self.con.execute(
                "SELECT (SELECT coalesce(sum((length(text) - length(replace(text, $n, ''))) // $w), 0) FROM segments)"
                " + (SELECT coalesce(sum((length(coalesce(title, '') || coalesce(participants, ''))"
                " - length(replace(coalesce(title, '') || coalesce(participants, ''), $n, ''))) // $w), 0)"
                " FROM documents)",
                {"n": needle, "w": width},
            ).fetchone()
            counts[kind] = int(row[0])
        return counts

    def has_embeddings(self, model: str) -> bool:
        return self.con.execute("SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", [model]).fetchone() is not None

    def rekey_model(self, old: str, new: str) -> int:
        """Move embeddings stored under `old` to `new` (stores keyed by a model's name before
        keys were weights hashes); returns how many moved."""
        moved = int(self.con.execute("SELECT count(*) FROM embeddings WHERE model = ?", [old]).fetchone()[0])
        if moved:
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(
                    "INSERT OR IGNORE INTO embeddings SELECT text_hash, ?, vector FROM embeddings WHERE model = ?",
                    [new, old],
                )
                self.con.execute("DELETE FROM embeddings WHERE model = ?", [old])
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        return moved

    # --- run metadata (e.g. the previous report's alignment) -------------------

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def fingerprint(self) -> str:
        """Changes whenever a file is added, replaced or removed (the files table's paths and hashes)."""
        count, digest = self.con.execute(
            "SELECT count(*), coalesce(bit_xor(hash(path || ':' || content_hash || ':' || status)), 0) FROM files"
        ).fetchone()
        return f"{count}-{digest:x}"

    # --- files -----------------------------------------------------------------

    def file_hash(self, path: str) -> tuple[str, str] | None:
        """(content hash, status) recorded for `path`, or None if never seen."""
        row = self.con.execute("SELECT content_hash, status FROM files WHERE path = ?", [path]).fetchone()
        return (row[0], row[1]) if row else None

    def files(self, status: str | None = None) -> list[FileRecord]:
        sql = "SELECT path, content_hash, status, reason, format, documents, segments FROM files"
        args: list = []
        if status:
            sql += " WHERE status = ?"
            args.append(status)
        return [FileRecord(*row) for row in self.con.execute(sql + " ORDER BY path", args).fetchall()]

    def record_failure(self, path: str, content_hash: str, reason: str, status: str = "failed") -> None:
        """Note a file that could not be ingested; its earlier good version, if any, stays."""
        self.con.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, NULL, "
            "COALESCE((SELECT documents FROM files WHERE path = ?), 0), "
            "COALESCE((SELECT segments FROM files WHERE path = ?), 0), ?)",
            [path, content_hash, status, reason, path, path, _now()],
        )

    # --- embeddings ------------------------------------------------------------

    def missing_embeddings(self, text_hashes: Iterable[str], model: str) -> set[str]:
        wanted = sorted(set(text_hashes))
        if not wanted:
            return set()
        have = self.con.execute(
            "SELECT text_hash FROM embeddings WHERE model = ? AND text_hash IN (SELECT unnest(?))",
            [model, wanted],
        ).fetchall()
        return set(wanted) - {row[0] for row in have}

    def embeddings_for(self, text_hashes: Sequence[str], model: str) -> dict[str, np.ndarray]:
        rows = self.con.execute(
            "SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN (SELECT unnest(?))",
            [model, list(set(text_hashes))],
        ).fetchall()
        return {h: np.frombuffer(v, dtype="<f2").astype(np.float32) for h, v in rows}

    def analysis_for(self, kind: str, text_hashes: Sequence[str]) -> dict[str, str]:
        """Per-sentence analysis results of `kind` kept for these texts (JSON strings by text hash)."""
        try:
            rows = self.con.execute(
                "SELECT text_hash, value FROM analysis WHERE kind = ? AND text_hash IN (SELECT unnest(?))",
                [kind, list(set(text_hashes))],
            ).fetchall()
        except duckdb.CatalogException:  # a read-only store made before the table existed
            return {}
        return dict(rows)

    def add_analysis(self, kind: str, values: dict[str, str]) -> None:
        """Keep per-sentence analysis results (JSON strings by text hash); other kinds are untouched."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            _insert_rows(self.con, "analysis", [(h, kind, v) for h, v in values.items()])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def drop_analysis(self, keep: Sequence[str]) -> int:
        """Remove analysis of kinds not in `keep` (results of older code or settings); returns rows removed."""
        try:
            gone = int(self.con.execute("SELECT count(*) FROM analysis WHERE kind NOT IN (SELECT unnest(?))",
                                        [list(keep)]).fetchone()[0])
            if gone:
                self.con.execute("DELETE FROM analysis WHERE kind NOT IN (SELECT unnest(?))", [list(keep)])
        except duckdb.CatalogException:
            return 0
        return gone

    def add_embeddings(self, vectors: dict[str, np.ndarray], model: str) -> None:
        """Store vectors computed outside ingest (e.g. usage embeddings of concept terms)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            _insert_rows(self.con, "embeddings", [(h, model, v.astype("<f2").tobytes()) for h, v in vectors.items()])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    # --- writing a batch of files --------------------------------------------------

    def write_files(
        self,
        batch: Sequence[tuple[str, str, str | None, list[tuple[Document, list[Segment]]]]],
        new_vectors: dict[str, np.ndarray],
        model: str,
    ) -> None:
        """Replace each file's documents and segments, and add new embeddings, atomically.

        `batch` holds (path, content hash, format, [(document, segments)]).
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            paths = [path for path, *_ in batch]
            self.con.execute("DELETE FROM segments WHERE path IN (SELECT unnest(?))", [paths])
            self.con.execute("DELETE FROM documents WHERE path IN (SELECT unnest(?))", [paths])
            file_rows = []
            for path, digest, fmt, parsed in batch:
                self._insert_parsed(path, parsed)
                file_rows.append(
                    (path, digest, "ok", None, fmt, len(parsed), sum(len(s) for _, s in parsed), _now())
                )
            self._insert_vectors(new_vectors, model)
            _insert_rows(self.con, "files", file_rows)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def _insert_parsed(self, path: str, parsed: list[tuple[Document, list[Segment]]]) -> None:
        _insert_rows(self.con, "documents", [_document_row(path, document) for document, _ in parsed])
        _insert_rows(self.con, "segments", [_segment_row(path, s) for _, segments in parsed for s in segments])

    def _insert_vectors(self, new_vectors: dict[str, np.ndarray], model: str) -> None:
        _insert_rows(
            self.con,
            "embeddings",
            [(h, model, np.asarray(v).astype("<f2").tobytes()) for h, v in new_vectors.items()],
        )

    # --- writing one large file in parts, still atomically -------------------------
    #
    # A mailbox of a gigabyte cannot be held in memory whole. Its messages are
    # written in parts inside one open transaction: begin_file, append_parts as
    # often as needed, then finish_file (COMMIT) or abort_file (ROLLBACK). A crash
    # in between leaves the store as it was before begin_file.

    def begin_file(self, path: str) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM segments WHERE path = ?", [path])
            self.con.execute("DELETE FROM documents WHERE path = ?", [path])
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def append_parts(
        self, path: str, parsed: list[tuple[Document, list[Segment]]], new_vectors: dict[str, np.ndarray], model: str
    ) -> None:
        """Add documents, segments and new embeddings inside the transaction begin_file opened.

        On an error the caller calls abort_file."""
        self._insert_parsed(path, parsed)
        self._insert_vectors(new_vectors, model)

    def finish_file(self, path: str, content_hash: str, fmt: str | None, documents: int, segments: int) -> None:
        """Record the file and commit everything since begin_file (on an error: abort_file)."""
        _insert_rows(self.con, "files", [(path, content_hash, "ok", None, fmt, documents, segments, _now())])
        self.con.execute("COMMIT")

    def abort_file(self) -> None:
        """Roll back everything since begin_file (a no-op if nothing is open)."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:
            pass

    def forget_missing(self, present: set[str], under: Sequence[str]) -> int:
        """Drop files under the given roots that no longer exist on disk."""
        gone = [f.path for f in self.files() if f.path not in present and any(f.path.startswith(u) for u in under)]
        if gone:
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute("DELETE FROM segments WHERE path IN (SELECT unnest(?))", [gone])
            self.con.execute("DELETE FROM documents WHERE path IN (SELECT unnest(?))", [gone])
            self.con.execute("DELETE FROM files WHERE path IN (SELECT unnest(?))", [gone])
            self.con.execute("COMMIT")
        return len(gone)

    # --- reading for the measures --------------------------------------------------

    def segment_table(
        self,
        model: str,
        since: str | None = None,
        until: str | None = None,
        *,
        sample: int | None = None,
        seed: int = 0,
        dtype: type = np.float32,
        compact: bool = False,
        with_vectors: bool = True,
        columnar: bool = False,
    ) -> SegmentTable:
        """All segments that have an embedding for `model`, in a stable order.

        Rows are read in chunks into preallocated arrays, and repeated strings (voices,
        channels, months, paths, document ids) are shared, so the peak is about the
        table itself (1,000,000 segments: 1.5 GB of float32 vectors plus the texts)
        rather than twice that. `sample=N` keeps a reproducible random sample of N
        segments (DuckDB reservoir sampling, `seed`), still in the stable order;
        `dtype=np.float16` halves the vectors' memory; `compact=True` does too and
        wraps them in CompactVectors, which the measures read as float32 (the report
        uses it). The defaults return a plain float32 matrix; `with_vectors=False`
        reads the same rows without them (an (n, 0) matrix). `columnar=True` holds texts and
        context windows as `drift.columns.StringColumn`s (UTF-8 buffers and offsets: about half
        the memory of Python strings, read row by row), which the measures index and iterate
        like lists.
        """
        where, args = ["e.model = ?"], [model]
        if since:
            where.append("s.month >= ?")
            args.append(since)
        if until:
            where.append("s.month <= ?")
            args.append(until)
        base = (
            f"SELECT s.text, s.voice, s.channel, s.month, s.path, s.locator, s.doc_id, s.context, "
            f"{'e.vector' if with_vectors else 'NULL AS vector'}, "
            "s.position, s.block, s.section FROM segments s JOIN embeddings e ON e.text_hash = s.text_hash "
            f"WHERE {' AND '.join(where)}"
        )
        if sample is not None:
            base = f"SELECT * FROM ({base}) USING SAMPLE reservoir({int(sample)} ROWS) REPEATABLE ({int(seed)})"
        total = int(self.con.execute(f"SELECT count(*) FROM ({base})", args).fetchone()[0])
        cursor = self.con.execute(
            f"SELECT text, voice, channel, month, path, locator, doc_id, context, vector, position, block, section FROM ({base}) "
            "ORDER BY path, doc_id, position",
            args,
        )
        shared: dict = {}
        share = lambda value: shared.setdefault(value, value)  # noqa: E731
        text, source, locator, doc_id, context, block, section = [], [], [], [], [], [], []
        if columnar:
            from drift.columns import StringColumnBuilder

            text_column, context_column = StringColumnBuilder(), StringColumnBuilder()
        position = np.empty(total, dtype=np.int32)
        voice, channel, month = (np.empty(total, dtype=object) for _ in range(3))
        vectors: np.ndarray | None = None
        dtype = np.float16 if compact else dtype
        filled = 0
        while True:
            rows = cursor.fetchmany(_READ_CHUNK)
            if not rows:
                break
            n = len(rows)
            if vectors is None:
                vectors = np.empty((total, len(rows[0][8]) // 2 if with_vectors else 0), dtype=dtype)
            if with_vectors:
                vectors[filled : filled + n] = np.frombuffer(b"".join(r[8] for r in rows), dtype="<f2").reshape(n, -1)
            voice[filled : filled + n] = [share(r[1]) for r in rows]
            channel[filled : filled + n] = [share(r[2]) for r in rows]
            month[filled : filled + n] = [share(r[3]) for r in rows]
            if columnar:
                text_column.add([r[0] for r in rows])
                context_column.add([r[7] for r in rows])
            else:
                text.extend(r[0] for r in rows)
                context.extend(r[7] for r in rows)
            source.extend(share(r[4]) for r in rows)
            locator.extend(r[5] for r in rows)
            doc_id.extend(share(r[6]) for r in rows)
            position[filled : filled + n] = [r[9] for r in rows]
            block.extend(share(r[10]) for r in rows)
            section.extend(share(r[11]) for r in rows)
            filled += n
            del rows
        if vectors is None:
            vectors = np.zeros((0, 0), dtype=dtype)
        if filled != total:  # rows added by another connection between the two queries
            vectors, voice, channel, month = vectors[:filled], voice[:filled], channel[:filled], month[:filled]
            position = position[:filled]
        if columnar:
            text, context = text_column.build(filled), context_column.build(filled)
        return SegmentTable(
            text=text, voice=voice, channel=channel, month=month, source=source,
            locator=locator, doc_id=doc_id, context=context, vectors=CompactVectors(vectors) if compact else vectors,
            block=block, position=position, section=section,
        )

    def redate(self, dates: dict[str, date]) -> None:
        """Date every document of each file path, and its segments' month, in one transaction:
        a version read from git is dated by its commit, whatever date its text carries (a post's
        front matter says when it was first published, not when this version was made)."""
        if not dates:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            for path, when in dates.items():
                month = when.strftime("%Y-%m")
                self.con.execute("UPDATE documents SET date = ?, month = ? WHERE path = ?", [when, month, path])
                self.con.execute("UPDATE segments SET month = ? WHERE path = ?", [month, path])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def documents(self) -> list[dict]:
        cursor = self.con.execute("SELECT * FROM documents ORDER BY path, part")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def counts(self) -> dict[str, int]:
        one = lambda sql: int(self.con.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "files": one("SELECT count(*) FROM files"),
            "files_failed": one("SELECT count(*) FROM files WHERE status = 'failed'"),
            "files_unassigned": one("SELECT count(*) FROM files WHERE status = 'unassigned'"),
            "files_skipped": one("SELECT count(*) FROM files WHERE status = 'skipped'"),
            "documents": one("SELECT count(*) FROM documents"),
            "segments": one("SELECT count(*) FROM segments"),
            "embeddings": one("SELECT count(*) FROM embeddings"),
        }


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _document_row(path: str, d: Document) -> tuple:
    participants = json.dumps([asdict(p) for p in d.participants], ensure_ascii=False)
    unknown = sum(1 for t in d.turns if t.voice == "unknown")
    return (d.doc_id, path, d.part, d.format, d.side, d.channel, d.date, d.month, d.title,
            d.thread_id, d.outcome, participants, len(d.turns), unknown)


def _segment_row(path: str, s: Segment) -> tuple:
    return (s.doc_id, s.position, path, s.text, s.text_hash, s.voice, s.channel, s.month,
            s.locator, s.speaker, s.context, s.block, s.section)
