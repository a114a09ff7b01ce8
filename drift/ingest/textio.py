"""Reading files as text: encodings, binary detection, CSV tables.

Exports come from many tools, so text is decoded in a fixed order: a UTF-8 or
UTF-16 byte-order mark if there is one, then UTF-8, then Windows-1252 (cp1252)
as the documented fallback, because that is what Outlook and Excel on Windows
write when they do not write UTF-8. Anything else is reported, not guessed.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from drift.ingest.errors import IngestFailure

HEAD_BYTES = 64 * 1024
# Share of control characters above which decoded "text" is really binary data.
MAX_CONTROL_SHARE = 0.02
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
CSV_DELIMITERS = ",;\t|"


# One document read whole (everything but a mailbox, which is streamed) is at most this big.
MAX_FILE_BYTES = 256 * 1024 * 1024


def file_problem(path: Path, max_bytes: int | None = None) -> str | None:
    """Why `path` is not a regular file drift can read without blocking, or None.

    With `max_bytes`, a larger file is refused too (read whole, it would not fit).

    Checked before a file is opened: opening a named pipe waits for a writer forever, a
    device may never end, and a symlink loop raises from deep inside pathlib.
    """
    try:
        info = os.stat(path)  # follows symlinks: a link to a good file is a good file
    except FileNotFoundError:
        return "a broken symbolic link (its target does not exist)" if os.path.islink(path) else "file not found"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "a symbolic link loop (the link points back to itself)"
        return f"cannot read the file ({err.strerror or err})"
    mode = info.st_mode
    if stat.S_ISREG(mode):
        if max_bytes is not None and info.st_size > max_bytes:
            return (f"{info.st_size / 2**20:,.0f} MB, over the {max_bytes // 2**20} MB limit on one "
                    "document (max file size); split it")
        return None
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as err:
            return f"a folder drift cannot read ({err.strerror or err}): the files in it were not ingested"
        return "this is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file: not read, so the run cannot wait on it forever"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    return "not a regular file"


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes of a file, with a clear failure if it cannot be opened."""
    problem = file_problem(path)
    if problem:
        raise IngestFailure(problem)
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise IngestFailure("file not found") from None
    except IsADirectoryError:
        raise IngestFailure("this is a folder, not a file") from None
    except OSError as err:
        raise IngestFailure(f"cannot read the file ({err.strerror or err})") from None


def read_bytes(path: Path) -> bytes:
    """A whole file, refused (with the limit named) when it is over MAX_FILE_BYTES."""
    problem = file_problem(path, MAX_FILE_BYTES)
    if problem:
        raise IngestFailure(problem)
    try:
        return path.read_bytes()
    except OSError as err:
        raise IngestFailure(f"cannot read the file ({err.strerror or err})") from None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if (ch < " " and ch not in _ALLOWED_CONTROLS) or "\x7f" <= ch <= "\x9f")
    return controls / len(text)


def looks_binary(text: str) -> bool:
    return "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE


def decode_text(data: bytes) -> str:
    """Decode a whole file; raise IngestFailure for binary data or unknown encodings."""
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif b"\x00" in data:
        raise IngestFailure("binary data, not a text document")
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_binary(text):
            raise IngestFailure("binary data, not a text document")
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise IngestFailure(f"text in an unknown encoding (not {', '.join(encodings)})")


def sniff_text(head: bytes) -> str | None:
    """Best-effort text of a file's first bytes for format detection; None if binary.

    The head may end in the middle of a character, so errors are replaced
    rather than raised; the full decode happens in `decode_text`.
    """
    if head.startswith(codecs.BOM_UTF8):
        text = head[3:].decode("utf-8", errors="replace")
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="replace")
    elif b"\x00" in head:
        return None
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as err:
            # A cut multi-byte character at the very end is still UTF-8.
            if err.start >= len(head) - 3 and err.reason == "unexpected end of data":
                text = head[: err.start].decode("utf-8", errors="replace")
            else:
                text = head.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return None if looks_binary(text) else text


def read_text(path: Path) -> str:
    return decode_text(read_bytes(path))


def csv_rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs of a CSV/TSV export, delimiter sniffed.

    Column names are matched case-insensitively by the callers, so the header
    is returned as written and rows are keyed by lower-cased, stripped names.
    """
    first_line = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first_line, CSV_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise IngestFailure("empty CSV file") from None
    except csv.Error as err:
        raise IngestFailure(f"not a readable CSV file ({err})") from None
    keys = [name.strip().lower() for name in header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        """Rows with the line they start on (a quoted cell may span lines)."""
        start = reader.line_num + 1
        try:
            for values in reader:
                if any(value.strip() for value in values):
                    yield start, dict(zip(keys, values, strict=False))  # short rows: missing cells
                start = reader.line_num + 1
        except csv.Error as err:
            raise IngestFailure(f"CSV broken near line {reader.line_num} ({err})") from None

    return header, rows()
