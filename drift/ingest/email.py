"""Emails: .eml files, .mbox mailboxes (streamed) and CSV exports.

A message becomes one Document with one Turn: what the sender wrote in this
message, without the quoted thread below it and without the signature, so
each reply counts once. The thread id is the root of References (or
In-Reply-To, or the message's own Message-ID). Bulk mail (List-Unsubscribe
or Precedence: bulk/list) is a campaign email; other mail is a sales email.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from functools import lru_cache
from pathlib import Path

from drift.config import Config
from drift.ingest.copy import html_blocks, parse_html_tree
from drift.ingest.dates import date_from_path, parse_date
from drift.ingest.errors import IngestFailure
from drift.ingest.textio import csv_rows, decode_text, read_bytes
from drift.model import Document, Participant, Turn


class _ReusedHeaders(HeaderRegistry):
    """policy.default's header factory, remembering what it built.

    policy.default parses a header afresh on every access, and the parser and
    get_body() read Content-Type about nine times per message; header objects
    are immutable, so equal raw headers can share one. About 3x faster on mbox.
    """

    @lru_cache(maxsize=4096)  # noqa: B019 - one registry lives as long as the module
    def __call__(self, name: str, value: str) -> BaseHeader:
        return super().__call__(name, value)


_PARSER = BytesParser(policy=policy.default.clone(header_factory=_ReusedHeaders()))
_MBOX_FROM_ESCAPE = re.compile(rb"^>(>*From )", re.M)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")

# ---------------------------------------------------------------- quoted replies

# Gmail/Apple: "On Tue, Jul 14, 2026 at 8:05 AM Priya Raman <priya@...> wrote:",
# which clients wrap over up to three lines.
_REPLY_ATTRIBUTION = re.compile(r"^[ \t>]*On\b[^\n]{0,200}(?:\n[^\n]{0,200}){0,2}?\bwrote:[ \t]*$", re.M)
_ORIGINAL_MESSAGE = re.compile(
    r"^[ \t]*-{2,}[ \t]*(?:Original Message|Forwarded message)[ \t]*-{2,}", re.M | re.I
)
_FORWARDED = re.compile(r"^[ \t]*Begin forwarded message:", re.M | re.I)
# Outlook: a "From:" line followed within a few lines by "Sent:" or "Date:", often
# after a line of underscores; bold markers appear when the HTML part is converted.
_OUTLOOK_HEADER = re.compile(
    r"^(?:[ \t]*_{8,}[ \t]*\n)?[ \t]*\*{0,2}From:\*{0,2}[ \t].*\n(?:.*\n){0,3}?[ \t]*\*{0,2}(?:Sent|Date):",
    re.M,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>")

# ---------------------------------------------------------------- signatures

_SIGNATURE_DASHES = re.compile(r"^--[ \t]?$", re.M)
_MOBILE_SIGNATURE = re.compile(
    r"^[ \t]*(?:Sent from my \w[^\n]*|Sent from (?:Outlook|Mail|Yahoo Mail|Gmail)\b[^\n]*"
    r"|Get Outlook for \w[^\n]*)$",
    re.M | re.I,
)
_DISCLAIMER = re.compile(
    r"^[ \t]*(?:CONFIDENTIALITY NOTICE|CONFIDENTIAL(?:ITY)?:|DISCLAIMER\b"
    r"|This (?:e-?mail|message|communication)\b[^\n]{0,120}"
    r"\b(?:confidential|privileged|intended (?:solely|only))"
    r"|The information (?:contained )?in this (?:e-?mail|message)[^\n]{0,80}\bconfidential)",
    re.M | re.I,
)
_VALEDICTION = re.compile(
    r"^[ \t]*(?:best|best regards|kind regards|warm regards|warmest regards|regards|thanks|thanks again|"
    r"thank you|many thanks|cheers|sincerely|all the best|talk soon|take care|warmly|br)[ \t]*[,.!]?[ \t]*$",
    re.I,
)
# Bulk-mail footers sit under a rule line and carry the unsubscribe link.
_FOOTER_RULE = re.compile(r"^[ \t]*(?:-{2,}|={3,}|_{3,}|\*{3,})[ \t]*$", re.M)
_FOOTER_WORDS = re.compile(r"unsubscribe|you (?:are )?receiv(?:ed|ing) this|all rights reserved|©", re.I)
_PHONE_OR_CONTACT = re.compile(r"(?:\+?\d[\d ().-]{7,}\d|@|https?://|www\.|\|)")
_PROSE_LINE = re.compile(r"[.?!]\s*$")
_SIGNATURE_MAX_LINES = 6
_SIGNATURE_MAX_WIDTH = 80


def strip_quoted(text: str) -> str:
    """The new part of a reply: cut at the first quote header, drop "> " lines."""
    cut = len(text)
    for marker in (_REPLY_ATTRIBUTION, _ORIGINAL_MESSAGE, _FORWARDED, _OUTLOOK_HEADER):
        match = marker.search(text)
        if match:
            cut = min(cut, match.start())
    return "\n".join(line for line in text[:cut].split("\n") if not _QUOTED_LINE.match(line))


def _is_signature_block(lines: list[str], sender_names: set[str]) -> bool:
    """Short trailing lines: the sender's name first, or contact details and no prose."""
    if (
        not lines
        or len(lines) > _SIGNATURE_MAX_LINES
        or any(len(line) > _SIGNATURE_MAX_WIDTH for line in lines)
    ):
        return False
    if lines[0].strip().casefold().rstrip(",.") in sender_names:
        return True
    # A short sign-off with the sender's name or initial on a line of its own:
    # "Gracias,\nLorena", "K", "See you there,\nClaire Donnelly\nVP Marketing".
    if len(lines) <= 4 and any(line.strip().casefold().rstrip(",.") in sender_names for line in lines):
        return True
    contact = any(_PHONE_OR_CONTACT.search(line) for line in lines)
    prose = any(_PROSE_LINE.search(line) and len(line.split()) > 4 for line in lines)
    return contact and not prose and (len(lines) >= 2 or "|" in lines[0])


def _cut_at_valediction(lines: list[str]) -> list[str]:
    """Cut at a closing "Thanks," or "Best," when only a short block follows it."""
    last_lines = range(len(lines) - 1, max(len(lines) - _SIGNATURE_MAX_LINES - 3, -1), -1)
    for index in last_lines:
        if _VALEDICTION.match(lines[index]):
            rest = [line for line in lines[index + 1 :] if line.strip()]
            if len(rest) <= _SIGNATURE_MAX_LINES and all(len(line) <= _SIGNATURE_MAX_WIDTH for line in rest):
                return lines[:index]
            break
    return lines


def _peel_signature_blocks(lines: list[str], sender_names: set[str]) -> list[str]:
    """Drop trailing blocks like "Dana" or "Dana Whitfield | AE | (614) 555-0142", never the first."""
    while lines:
        end = len(lines)
        while end and not lines[end - 1].strip():
            end -= 1
        start = end
        while start and lines[start - 1].strip():
            start -= 1
        if start == 0 or not _is_signature_block(lines[start:end], sender_names):
            break
        lines = lines[:start]
    return lines


def strip_signature(text: str, sender_name: str | None = None) -> str:
    """Drop "-- " signatures, mobile footers, disclaimers, the sign-off and the name/title/phone block."""
    for marker in (_SIGNATURE_DASHES, _MOBILE_SIGNATURE, _DISCLAIMER):
        match = marker.search(text)
        if match:
            text = text[: match.start()]
    for rule in _FOOTER_RULE.finditer(text):
        if _FOOTER_WORDS.search(text, rule.end()):
            text = text[: rule.start()]
            break
    full = " ".join((sender_name or "").split())
    first = full.split()[0] if full else ""
    names = {n.casefold() for n in (full, first, first[:1]) if n}
    lines = _peel_signature_blocks(_cut_at_valediction(text.rstrip().split("\n")), names)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean_body(text: str, sender_name: str | None) -> str:
    return strip_signature(strip_quoted(text), sender_name)


# ---------------------------------------------------------------- messages


class Headers:
    """A message's headers as written, decoded on demand.

    Reading the raw values skips policy.default's structured parsing (which
    costs more than the body for the headers we only need as text) and
    tolerates headers it would reject.
    """

    def __init__(self, message: EmailMessage) -> None:
        self._raw: dict[str, str] = {}
        for name, value in message.raw_items():
            self._raw.setdefault(name.lower(), str(value))

    def text(self, name: str) -> str | None:
        raw = self._raw.get(name.lower())
        if raw is None:
            return None
        text = " ".join(_decode_words(raw).split())
        return text or None

    def addresses(self, *names: str) -> list[tuple[str, str]]:
        """(display name, address) pairs from address headers like From, To and Cc."""
        values = [self._raw[n.lower()] for n in names if n.lower() in self._raw]
        return [(_decode_words(name).strip(), addr) for name, addr in getaddresses(values) if name or addr]


def _decode_words(value: str) -> str:
    """Decode RFC 2047 words ("=?utf-8?q?Casta=C3=B1eda?="); keep the raw text if they are broken."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return value


def thread_root(headers: Headers) -> str | None:
    """The first id in References (the thread's first message), else In-Reply-To, else our own id."""
    for header in ("References", "In-Reply-To", "Message-ID"):
        first_id = _MESSAGE_ID.search(headers.text(header) or "")
        if first_id:
            return first_id.group(1)
    return None


def _part_text(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError, UnicodeError):
        # Unknown or lying charset: decode the raw bytes our own way.
        payload = part.get_payload(decode=True)
        content = decode_text(payload) if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def message_body(message: EmailMessage) -> str:
    """The text/plain body, or the HTML body as text (quoted <blockquote>s removed)."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError, IndexError, TypeError):
        body = None
    if body is None:
        return ""
    text = _part_text(body)
    if body.get_content_subtype() == "html":
        tree = parse_html_tree(text)
        for quote in tree.css("blockquote"):
            quote.decompose()
        root = tree.body or tree.root
        text = "\n".join(b.text for b in html_blocks(root, keep_lines=True)) if root is not None else ""
    return text.replace("\r\n", "\n").replace("\xa0", " ")


def is_bulk(headers: Headers) -> bool:
    precedence = (headers.text("Precedence") or "").lower()
    return headers.text("List-Unsubscribe") is not None or precedence in ("bulk", "list")


def natural_name(display_name: str) -> str:
    """Outlook's directory style "Oduya, Grace" as "Grace Oduya"; other names unchanged."""
    last, comma, first = display_name.partition(",")
    two_short_parts = "," not in first and 0 < len(first.split()) <= 2 and 0 < len(last.split()) <= 2
    if comma and two_short_parts and not any(ch.isdigit() for ch in display_name):
        return f"{first.strip()} {last.strip()}"
    return display_name.strip()


def message_document(
    message: EmailMessage, path: Path, fmt: str, part: str, locator: str | None
) -> Document | None:
    """The message as a Document, or None when nothing new was written in it."""
    headers = Headers(message)
    senders = headers.addresses("From")
    sender_name, sender_email = senders[0] if senders else ("", "")
    sender_name = natural_name(sender_name)
    speaker = sender_name or sender_email or None
    text = clean_body(message_body(message), sender_name or None)
    if not text:
        return None
    subject = headers.text("Subject")
    people = [Participant(name=speaker, email=sender_email or None)] if speaker else []
    for name, address in headers.addresses("To", "Cc"):
        if address and address != sender_email:
            people.append(Participant(name=natural_name(name) or address, email=address))
    return Document(
        source=str(path),
        format=fmt,
        side=None,
        channel="campaign_email" if is_bulk(headers) else "sales_email",
        turns=(Turn(text=text, speaker=speaker, locator=locator or subject),),
        date=parse_date(headers.text("Date")) or date_from_path(path),
        title=subject,
        thread_id=thread_root(headers),
        part=part,
        participants=tuple(people),
    )


def parse_eml(path: Path, config: Config) -> Iterator[Document]:
    message = _PARSER.parsebytes(read_bytes(path))
    doc = message_document(message, path, "eml", "", None)
    if doc is None:
        raise IngestFailure("no message text found (only quoted replies, a signature or attachments)")
    yield doc


def parse_mbox(path: Path, config: Config) -> Iterator[Document]:
    """Messages one at a time: mailbox indexes offsets, never the whole file in memory.

    Messages with nothing new in them (a bare forward, an attachment) are
    skipped; the file fails only if no message has text.
    """
    try:
        box = mailbox.mbox(path, factory=None, create=False)
    except (OSError, mailbox.Error) as err:
        raise IngestFailure(f"cannot open the mailbox ({err})") from None
    try:
        for index, key in enumerate(box.iterkeys(), start=1):
            # mbox escapes body lines starting "From " as ">From "; undo it
            # so they are not mistaken for quoted reply lines.
            message = _PARSER.parsebytes(_MBOX_FROM_ESCAPE.sub(rb"\1", box.get_bytes(key)))
            doc = message_document(message, path, "mbox", str(index), f"message {index}")
            if doc is not None:
                yield doc
    finally:
        box.close()


def parse_csv_emails(path: Path, config: Config, text: str) -> Iterator[Document]:
    """One email per row, columns from `[csv]` in drift.toml (from, to, subject, body, date)."""
    columns = config.csv
    _, rows = csv_rows(text)
    for line, row in rows:
        sender_name, sender_email = parseaddr(row.get(columns.sender.lower(), ""))
        sender_name = natural_name(sender_name)
        speaker = sender_name or sender_email or None
        body = clean_body(row.get(columns.body.lower(), ""), sender_name or None)
        if not body:
            continue
        people = [Participant(name=speaker, email=sender_email or None)] if speaker else []
        people += [
            Participant(name=natural_name(name) or address, email=address)
            for name, address in getaddresses([row.get(columns.recipients.lower(), "")])
            if address
        ]
        subject = row.get(columns.subject.lower(), "").strip() or None
        yield Document(
            source=str(path),
            format="csv_emails",
            side=None,
            channel="sales_email",
            turns=(Turn(text=body, speaker=speaker, locator=f"row {line}"),),
            date=parse_date(row.get(columns.date.lower())) or date_from_path(path),
            title=subject,
            part=f"row {line}",
            participants=tuple(people),
        )
