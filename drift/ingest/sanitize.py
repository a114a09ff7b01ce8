"""Every Document leaves ingest as valid Unicode, whatever its parser was handed.

One pass at parse_file's boundary instead of a rule in every parser: an 8-bit email header,
a JSON "\\ud800" escape or a non-UTF-8 file name would otherwise reach spaCy or DuckDB as a
lone surrogate, and either rejects the whole batch (drift.textsafe says how they are fixed).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from drift.model import Document
from drift.textsafe import valid_unicode

T = TypeVar("T")


def _valid(value: T) -> T:
    if isinstance(value, str):
        return valid_unicode(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        cleaned = tuple(_valid(item) for item in value)
        return cleaned if any(a is not b for a, b in zip(cleaned, value)) else value  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for spec in fields(value):
            old = getattr(value, spec.name)
            new = _valid(old)
            if new is not old and new != old:
                changes[spec.name] = new
        return replace(value, **changes) if changes else value
    return value


def valid_document(doc: Document) -> Document:
    """The document with every text field (turns, speakers, locators, title, participants,
    ids) made valid Unicode; the same object when nothing needed fixing."""
    return _valid(doc)
