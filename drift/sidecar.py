"""A memory-mapped copy of the field beside the store, for `drift check`.

`drift check` compares one page with every rep, buyer and marketing sentence. Reading 100,000
rows through DuckDB into Python objects takes seconds; the same rows as flat arrays on disk
(texts as UTF-8 buffers with offsets, vectors as float16) open in milliseconds and are read
only where used: all vectors for the similarities, a few texts for the quotes.

The sidecar is a folder `<store>.field/<key>/` (or, when the store's folder is not writable,
under `DRIFT_CACHE_DIR/field/`), where the key is a digest of the store's fingerprint (which
changes whenever a file is added, replaced or removed), the model and this format's version.
`drift ingest` writes it; a check that finds none reads the store and writes it. Anything
unreadable is ignored and made again: the store is the source of truth.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from drift.cache import cache_dir
from drift.columns import StringColumn
from drift.store import CompactVectors, SegmentTable, Store

VERSION = 1
FIELD_VOICES = ("rep", "buyer")  # the field: what people who sell and buy say
COPY_VOICES = ("marketing",)


@dataclass(frozen=True)
class FieldColumns:
    """Field rows (rep, buyer) first, then marketing rows, each group in the store's order."""

    text: StringColumn
    voice: np.ndarray  # object array of voice names
    source: StringColumn
    locator: StringColumn
    month: StringColumn
    vectors: CompactVectors | np.ndarray  # float16 rows, read as float32
    n_field: int

    def __len__(self) -> int:
        return len(self.text)


def sidecar_key(store: Store, model: str) -> str:
    raw = json.dumps([VERSION, model, store.fingerprint()])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def folders(store: Store, key: str) -> list[Path]:
    """Where a sidecar for this store state may be, in the order they are tried."""
    return [Path(f"{store.path}.field") / key, cache_dir() / "field" / key]


def from_table(table: SegmentTable) -> FieldColumns:
    """The field's rows of a segment table (with vectors), grouped as the sidecar holds them."""
    voices = np.asarray(table.voice, dtype=object)
    rows = np.concatenate([np.flatnonzero(np.isin(voices, FIELD_VOICES)), np.flatnonzero(np.isin(voices, COPY_VOICES))])
    n_field = int(np.isin(voices, FIELD_VOICES).sum())
    vectors = table.vectors
    half = vectors.half if isinstance(vectors, CompactVectors) else np.asarray(vectors)
    return FieldColumns(
        text=StringColumn.from_strings(table.text[i] for i in rows),
        voice=voices[rows],
        source=StringColumn.from_strings(table.source[i] for i in rows),
        locator=StringColumn.from_strings(table.locator[i] for i in rows),
        month=StringColumn.from_strings(table.month[i] for i in rows),
        vectors=CompactVectors(np.ascontiguousarray(half[rows], dtype=np.float16)),
        n_field=n_field,
    )


def write_field(store: Store, model: str, columns: FieldColumns) -> Path | None:
    """Save `columns` as this store state's sidecar; returns its folder, or None when nowhere is writable."""
    key = sidecar_key(store, model)
    for folder in folders(store, key):
        if (folder / "meta.json").is_file():
            return folder
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            partial = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{key}-"))
            os.chmod(partial, 0o755)  # readable by whoever may read the store
        except OSError:
            continue  # a read-only folder: try the next place
        try:
            for name in ("text", "source", "locator", "month"):
                getattr(columns, name).save(partial, name)
            names = sorted({str(v) for v in columns.voice})
            codes = {name: i for i, name in enumerate(names)}
            np.save(partial / "voice.npy", np.array([codes[str(v)] for v in columns.voice], dtype=np.uint8))
            vectors = columns.vectors
            half = vectors.half if isinstance(vectors, CompactVectors) else np.asarray(vectors, dtype=np.float16)
            np.save(partial / "vectors.npy", np.asarray(half, dtype=np.float16))
            # meta.json last: a folder without it is incomplete and never read.
            (partial / "meta.json").write_text(json.dumps({"key": key, "version": VERSION, "model": model,
                                                           "rows": len(columns), "n_field": columns.n_field,
                                                           "voices": names}))
            try:
                os.rename(partial, folder)  # atomic: a concurrent check sees the whole folder or none
            except OSError:
                shutil.rmtree(partial, ignore_errors=True)  # another process wrote it first
                return folder if (folder / "meta.json").is_file() else None
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
            continue
        if folder.parent == Path(f"{store.path}.field"):  # the shared cache folder holds other stores' too
            _remove_stale(folder)
        return folder
    return None


def _remove_stale(current: Path) -> None:
    """Other store states' sidecars in the same folder: never read again (a process that has one
    mapped keeps reading it; unlinking does not pull it away)."""
    for other in current.parent.iterdir():
        if other != current and other.is_dir() and (other / "meta.json").is_file():
            shutil.rmtree(other, ignore_errors=True)


def read_field(store: Store, model: str) -> FieldColumns | None:
    """This store state's sidecar, memory-mapped, or None when there is none (or it is damaged)."""
    key = sidecar_key(store, model)
    for folder in folders(store, key):
        if not (folder / "meta.json").is_file():
            continue
        try:
            meta = json.loads((folder / "meta.json").read_text())
            if meta.get("key") != key or meta.get("version") != VERSION:
                continue
            names = np.array(meta["voices"], dtype=object)
            voice = names[np.load(folder / "voice.npy")]
            vectors = np.load(folder / "vectors.npy", mmap_mode="r")
            columns = FieldColumns(
                text=StringColumn.load(folder, "text"), voice=voice, source=StringColumn.load(folder, "source"),
                locator=StringColumn.load(folder, "locator"), month=StringColumn.load(folder, "month"),
                vectors=CompactVectors(vectors), n_field=int(meta["n_field"]),
            )
            if len(columns.text) == len(voice) == len(vectors) == int(meta["rows"]):
                return columns
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            pass
        shutil.rmtree(folder, ignore_errors=True)  # damaged: removed, so the next write makes it again
    return None
