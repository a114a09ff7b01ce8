"""Plain data types at the boundaries between stages.

ingest -> Document -> segment -> Segment -> embed/store -> measure -> Finding -> report

Every type here is a frozen dataclass of plain values so that any stage can be
tested with hand-written instances, and results serialise to JSON without help.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Side = Literal["marketing", "sales"]
Voice = Literal["marketing", "rep", "buyer", "unknown"]
Channel = Literal["web", "campaign_email", "call", "sales_email", "doc"]

SIDES: tuple[str, ...] = ("marketing", "sales")
VOICES: tuple[str, ...] = ("marketing", "rep", "buyer")
VOICE_PAIRS: tuple[tuple[str, str], ...] = (
    ("marketing", "rep"),
    ("marketing", "buyer"),
    ("rep", "buyer"),
)


def file_digest(path: "Path") -> str:
    """SHA-256 of a file, read in blocks so a large mbox or model file never sits in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hash(data: bytes | str) -> str:
    """Stable hex digest used as the key for files, documents and texts."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Participant:
    """Someone who speaks or writes in a document (call party, email sender)."""

    name: str
    email: str | None = None
    title: str | None = None
    # What the export says about the person: "internal"/"external" (Gong
    # affiliation, CSV role column) or None when the export is silent.
    affiliation: str | None = None
    # The company a call header names for the person ("Northbeam Ltd"), when it does.
    company: str | None = None


@dataclass(frozen=True)
class Turn:
    """One contiguous stretch of text by one speaker.

    For marketing copy a document is usually a single turn per block
    (heading or paragraph). `voice` is resolved by ingest; `locator` says
    where the text is in the source ("00:12:31", "line 40", "message 3").
    """

    text: str
    speaker: str | None = None
    voice: Voice = "unknown"
    locator: str | None = None
    start_ms: int | None = None
    # Layout of the block in its source: "heading", "item" (list item), "row" (table
    # row) or "text"; None for speech. Definitions and lists are read from it.
    block: str | None = None


@dataclass(frozen=True)
class Document:
    """One source unit: a web page, a call, an email message."""

    source: str  # path of the file it came from
    format: str  # "gong_json", "vtt", "eml", "markdown", ...
    side: Side | None
    channel: Channel
    turns: tuple[Turn, ...]
    date: date | None = None
    title: str | None = None
    # Call id, email thread id (root Message-ID) or None for copy.
    thread_id: str | None = None
    # Identifies the document inside its file (mbox message index, Gong call id).
    part: str = ""
    participants: tuple[Participant, ...] = ()
    outcome: str | None = None  # "won" / "lost" where the export says

    @property
    def month(self) -> str | None:
        return self.date.strftime("%Y-%m") if self.date else None

    @property
    def doc_id(self) -> str:
        return content_hash(f"{self.source}\x00{self.part}")[:16]

    @property
    def text(self) -> str:
        return "\n".join(t.text for t in self.turns)


@dataclass(frozen=True)
class IngestError:
    """A file that could not be read, with the reason in words a user understands."""

    source: str
    reason: str


@dataclass(frozen=True)
class Segment:
    """One sentence (or short utterance) attributed to a voice."""

    text: str
    voice: Voice
    doc_id: str
    source: str
    channel: Channel
    month: str | None
    position: int  # order within the document
    locator: str | None = None
    speaker: str | None = None
    # Previous and next sentence of the same turn, kept for context windows.
    context: str = ""
    block: str | None = None  # the turn's layout: heading, item, row, text (None for speech)
    # The heading the sentence sits under (copy only): which plan a "Minimum 10 seats" belongs to.
    section: str | None = None

    @property
    def text_hash(self) -> str:
        return content_hash(self.text)[:32]


@dataclass(frozen=True)
class Quote:
    """Evidence shown to a reader: the text and where to find it."""

    text: str
    voice: Voice
    source: str
    locator: str | None = None
    month: str | None = None
    channel: str | None = None
    score: float | None = None  # similarity or centrality that selected it
    genre: str | None = None  # of its document: customer (copy), internal (playbook, handbook ...), conversation


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    level: float = 0.95


@dataclass
class Finding:
    """One thing the report says, with the numbers and quotes that back it.

    `kind` is one of: concept_drift, icp, unechoed_claim, unaddressed_theme,
    trend_shift, distinctive_language. `importance` orders findings in the
    summary (effect size x evidence x volume, see measure/rank.py).
    """

    kind: str
    title: str
    summary: str  # one plain sentence for the VP
    voices: tuple[str, ...]
    effect: float | None  # the headline number (drift, JSD, coverage gap ...)
    interval: Interval | None
    p_value: float | None
    q_value: float | None
    sample_sizes: dict[str, int]
    quotes: dict[str, list[Quote]]  # voice -> quotes
    importance: float = 0.0
    subject: str = ""  # concept name, facet, pillar or theme label
    details: dict = field(default_factory=dict)
    insufficient: bool = False
