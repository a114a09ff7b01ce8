"""parse_file: detect a file's format, parse it, then place and attribute each document."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

from drift.config import Config
from drift.ingest.calls import (
    parse_csv_calls,
    parse_gong,
    parse_otter,
    parse_srt,
    parse_text_transcript,
    parse_vtt,
)
from drift.ingest.copy import (
    parse_docx,
    parse_html,
    parse_markdown,
    parse_pdf,
    parse_text,
)
from drift.ingest.detect import (
    FORMAT_LABELS,
    TEMPLATE_SUFFIXES,
    describe_unknown,
    detect_format,
    is_blank,
    unsupported_kind,
)
from drift.ingest.email import parse_csv_emails, parse_eml, parse_mbox
from drift.ingest.errors import FileSkipped, IngestFailure
from drift.ingest.redact import redact_document
from drift.ingest.sanitize import valid_document
from drift.ingest.textio import HEAD_BYTES, csv_rows, read_head, read_text
from drift.ingest.voices import finish, path_side
from drift.model import Document, Side

Parser = Callable[[Path, Config], Iterator[Document]]


def parse_csv(path: Path, config: Config) -> Iterator[Document]:
    """A CSV is utterances if it has the speaker and text columns, emails if sender and body."""
    text = read_text(path)
    header, _ = csv_rows(text)
    names = {name.strip().lower() for name in header}
    columns = config.csv
    if {columns.speaker.lower(), columns.text.lower()} <= names:
        return parse_csv_calls(path, config, text)
    if {columns.sender.lower(), columns.body.lower()} <= names:
        return parse_csv_emails(path, config, text)
    raise IngestFailure(
        f"a CSV without the columns drift reads: expected '{columns.speaker}' and '{columns.text}' "
        f"(call utterances) or '{columns.sender}' and '{columns.body}' (emails), found "
        f"{', '.join(repr(h) for h in header[:8]) or 'no header'}; map them in [csv] in drift.toml"
    )


PARSERS: dict[str, Parser] = {
    "gong_json": parse_gong,
    "vtt": parse_vtt,
    "srt": parse_srt,
    "otter": parse_otter,
    "text_transcript": parse_text_transcript,
    "csv": parse_csv,
    "eml": parse_eml,
    "mbox": parse_mbox,
    "html": parse_html,
    "markdown": parse_markdown,
    "text": parse_text,
    "pdf": parse_pdf,
    "docx": parse_docx,
}


def parse_file(path: Path, config: Config, side: str | None = None) -> Iterator[Document]:
    """Documents in one file, with side, channel and voices resolved.

    Raises IngestFailure (with a reason for the summary) for anything that
    cannot be read; no other exception escapes for bad input. An empty file,
    or one of a type drift does not read, raises FileSkipped (an IngestFailure
    that is not a failure: "empty", "not a supported type (image)"). A Gong file
    holding only call metadata yields nothing: its sibling transcript files use it.
    """
    if side not in (None, "marketing", "sales"):
        raise ValueError(f"side must be 'marketing', 'sales' or None, not {side!r}")
    side = cast(Side | None, side)
    path = Path(path)
    head = read_head(path)
    if is_blank(head) and len(head) < HEAD_BYTES:
        raise FileSkipped("empty")
    fmt = detect_format(path, head)
    if fmt is None:
        kind = unsupported_kind(path, head)
        if kind is not None:
            raise FileSkipped(kind)
        raise IngestFailure(describe_unknown(path, head))
    side_of_path = path_side(path, config, side)
    count = 0
    try:
        for doc in PARSERS[fmt](path, config):
            if not any(turn.text.strip() for turn in doc.turns):
                continue
            doc = finish(valid_document(doc), side_of_path, config)
            count += 1
            yield redact_document(doc) if config.redact_pii else doc
    except IngestFailure:
        raise
    except Exception as err:
        # One bad file must never stop a batch, even through a parser bug; the
        # flag lets the fuzz tests catch such cases so they get a real message.
        label = FORMAT_LABELS[fmt]
        raise IngestFailure(
            f"could not read this {label} ({type(err).__name__}: {err})", unexpected=True
        ) from err
    if count == 0 and fmt != "gong_json":
        if fmt == "markdown" or path.suffix.lower() in TEMPLATE_SUFFIXES:
            # A docs page holding only front matter (a section index) or a template
            # holding only tags (a layout) has nothing to read, and is not broken.
            raise FileSkipped("empty (no text outside front matter, components or template tags)")
        raise IngestFailure(f"no text found in this {FORMAT_LABELS[fmt]}")
