"""Untrusted text made safe: valid Unicode for the store, inert on a terminal or in a CI log.

Everything drift shows or stores comes from files other tools wrote and people typed, file
names included. Two guarantees live here, so every stage uses the same ones:

- `valid_unicode`: text any encoder and the database accept. Python hands undecodable
  bytes over as lone surrogates (the email parser for 8-bit headers, `os.fsdecode` for file
  names, `json` for a stray "\\ud800"); UTF-8 cannot encode them, so DuckDB and spaCy reject
  the whole batch. Raw bytes smuggled that way are decoded (UTF-8, else Windows-1252, the
  usual 8-bit header charset); any other lone surrogate becomes U+FFFD.
- `printable`: one line that cannot drive a terminal. Control characters (C0, DEL, C1,
  which carries the 8-bit forms of ESC sequences), bidirectional overrides and isolates
  (which reorder what a reader sees, "Trojan source") and line breaks are written as visible
  escapes, so a file name cannot forge a summary line, set a window title or hide a link.
"""

from __future__ import annotations

import os
import re

# A high surrogate followed by a low one is a valid pair written in two halves.
_SURROGATES = re.compile("[\ud800-\udfff]+")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]+")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
# C0 (but tab), DEL, C1, bidi embeddings/overrides/isolates and marks, line and paragraph
# separators, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def _bytes_of(run: str) -> str:
    raw = bytes(ord(ch) - 0xDC00 for ch in run)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _repair(match: re.Match[str]) -> str:
    run = match.group()
    out, index = [], 0
    while index < len(run):
        pair = _PAIR.match(run, index)
        if pair:
            out.append(pair.group().encode("utf-16", "surrogatepass").decode("utf-16"))
            index += 2
            continue
        escaped = _ESCAPED_BYTE.match(run, index)
        if escaped:
            out.append(_bytes_of(escaped.group()))
            index = escaped.end()
            continue
        out.append("\ufffd")
        index += 1
    return "".join(out)


def valid_unicode(text: str) -> str:
    """`text` with lone surrogates repaired (escaped bytes decoded) or replaced, and NULs dropped."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not _SURROGATES.search(text):
        return text
    return _SURROGATES.sub(_repair, text)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """One terminal-safe line: control, bidi and line-break characters shown as escapes."""
    return _UNSAFE.sub(_escape, str(text))


def path_text(path: str | os.PathLike[str]) -> str:
    """A file name as stable, valid text: undecodable bytes (non-UTF-8 names) written as \\xNN.

    Used as the file's key in the store and in messages (the store and the terminal both
    reject the lone surrogates Python uses for such bytes).
    """
    name = os.fspath(path)
    if not _SURROGATES.search(name):
        return name
    # os.fsdecode maps undecodable bytes to U+DC80..U+DCFF; show those bytes, keep the rest.
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") if not re.search(
        "[\ud800-\udc7f\udd00-\udfff]", name
    ) else name.encode("utf-8", "surrogatepass").decode("utf-8", "backslashreplace")
