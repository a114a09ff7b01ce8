"""Columns of strings as two flat arrays: one UTF-8 buffer and the offsets into it.

A list of 1,000,000 Python strings costs ~50 bytes each on top of the text (object headers,
the list's pointers), and it cannot be memory-mapped. A `StringColumn` holds the same texts
as bytes plus an int64 offset per row (and a flag per row for a missing value), reads one
row when asked, and saves to and loads from `.npy` files, memory-mapped, so a process that
needs ten quotes out of a million rows reads ten rows from disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Sequence, overload

import numpy as np


class StringColumn(Sequence):
    """An immutable sequence of `str | None`, stored as UTF-8 bytes and offsets."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray, missing: np.ndarray | None = None):
        if len(offsets) < 1:
            raise ValueError("offsets must hold one more entry than there are rows")
        self.data = data  # uint8, all rows' bytes one after another
        self.offsets = offsets  # int64, row i is data[offsets[i]:offsets[i + 1]]
        self.missing = missing  # bool per row (None for "no row is missing")

    @classmethod
    def from_strings(cls, values: Iterable[str | None]) -> "StringColumn":
        encoded: list[bytes] = []
        missing: list[bool] = []
        for value in values:
            missing.append(value is None)
            encoded.append(b"" if value is None else value.encode("utf-8", "surrogatepass"))
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, np.uint8)
        return cls(data, offsets, np.array(missing, dtype=bool) if any(missing) else None)

    @classmethod
    def from_chunks(cls, chunks: Iterable[Sequence[str | None]]) -> "StringColumn":
        """One column from consecutive chunks of values, never holding them all as Python strings."""
        builder = StringColumnBuilder()
        for chunk in chunks:
            builder.add(chunk)
        return builder.build()

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _row(self, i: int) -> str | None:
        if self.missing is not None and self.missing[i]:
            return None
        return self.data[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8", "surrogatepass")

    @overload
    def __getitem__(self, index: int) -> str | None: ...

    @overload
    def __getitem__(self, index: slice) -> list[str | None]: ...

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            i = int(index)
            if i < 0:
                i += len(self)
            if not 0 <= i < len(self):
                raise IndexError(index)
            return self._row(i)
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        return [self[int(i)] for i in np.asarray(index).ravel()]

    def __iter__(self) -> Iterator[str | None]:
        for i in range(len(self)):
            yield self._row(i)

    def view(self, start: int, stop: int) -> "StringColumn":
        """Rows start..stop-1 sharing this column's buffers (no copy: offsets are absolute)."""
        start, stop, _ = slice(start, stop).indices(len(self))
        stop = max(start, stop)
        missing = None if self.missing is None else self.missing[start:stop]
        return StringColumn(self.data, self.offsets[start : stop + 1], missing)

    def take(self, rows: Sequence[int] | np.ndarray) -> "StringColumn":
        """A new column of the given rows (copied, not mapped)."""
        return StringColumn.from_strings(self[np.asarray(rows, dtype=np.int64)] if len(rows) else [])

    def save(self, folder: Path, name: str) -> None:
        """Write `<name>.data.npy`, `<name>.offsets.npy` and, when a value is missing, `<name>.missing.npy`."""
        np.save(folder / f"{name}.data.npy", np.asarray(self.data, dtype=np.uint8))
        np.save(folder / f"{name}.offsets.npy", np.asarray(self.offsets, dtype=np.int64))
        if self.missing is not None:
            np.save(folder / f"{name}.missing.npy", np.asarray(self.missing, dtype=bool))

    @classmethod
    def load(cls, folder: Path, name: str, mmap: bool = True) -> "StringColumn":
        mode = "r" if mmap else None
        missing = folder / f"{name}.missing.npy"
        return cls(np.load(folder / f"{name}.data.npy", mmap_mode=mode),
                   np.load(folder / f"{name}.offsets.npy", mmap_mode=mode),
                   np.load(missing, mmap_mode=mode) if missing.is_file() else None)


class StringColumnBuilder:
    """Builds a StringColumn chunk by chunk: each chunk is encoded as it comes, so the Python strings
    of only one chunk are alive at a time."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.lengths: list[np.ndarray] = []
        self.missing: list[np.ndarray] = []

    def add(self, chunk: Sequence[str | None]) -> None:
        encoded = [b"" if v is None else v.encode("utf-8", "surrogatepass") for v in chunk]
        self.parts.append(b"".join(encoded))
        self.lengths.append(np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded)))
        self.missing.append(np.fromiter((v is None for v in chunk), dtype=bool, count=len(encoded)))

    def build(self, rows: int | None = None) -> StringColumn:
        """The column (its first `rows` values, when given)."""
        sizes = np.concatenate(self.lengths) if self.lengths else np.zeros(0, np.int64)
        offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        data = np.frombuffer(b"".join(self.parts), dtype=np.uint8) if self.parts else np.zeros(0, np.uint8)
        self.parts = []
        flags = np.concatenate(self.missing) if self.missing else np.zeros(0, bool)
        column = StringColumn(data, offsets, flags if flags.any() else None)
        return column.view(0, rows) if rows is not None else column
