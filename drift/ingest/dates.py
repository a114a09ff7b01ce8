"""Dates from metadata values and from file and folder names."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

# Zoom cloud recordings: GMT20260714-150211_Recording.transcript.vtt (UTC start time).
ZOOM_NAME = re.compile(r"GMT(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})-\d{6}")
# A name that starts with an ISO date and optionally a clock time: "2026-07-09 10.02.33 Topic".
DATED_NAME = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[ _T]\d{2}[.:]\d{2}(?:[.:]\d{2})?)?(?P<rest>.*)\Z"
)
ISO_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_WRITTEN_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y", "%Y/%m/%d")


def _ymd(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """A calendar date from a metadata value (ISO, RFC 2822, "July 9, 2026"), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    match = ISO_DATE.search(text)
    if match:
        return _ymd(match)
    for written in _WRITTEN_FORMATS:
        try:
            return datetime.strptime(text, written).date()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def date_from_path(path: Path) -> date | None:
    """The date in a Zoom file name, or an ISO date in the file or nearest folder name."""
    zoom = ZOOM_NAME.search(path.name)
    if zoom:
        return _ymd(zoom)
    for name in (path.name, *(parent.name for parent in path.parents)):
        match = ISO_DATE.search(name)
        if match:
            return _ymd(match)
    return None


def parse_written_date(value: object) -> date | None:
    """A date as people write it in call notes ("Tue, March 3rd 2025 at 10:30 PT", "3/3/25").

    The formats parse_date knows come first; anything else goes to dateparser
    (a dependency; used only here, imported on first use because it is slow to
    import). A date without a year is not guessed: None.
    """
    found = parse_date(value)
    if found is not None or not isinstance(value, str) or not value.strip():
        return found
    # Times, time ranges and zone names say nothing about the day and confuse the parser.
    text = _CLOCK_TIME.sub(" ", value.strip()[:120])
    text = _ZONE.sub(" ", text)
    text = " ".join(re.sub(r"\s+(?:at|@|from)(?=\s|$)", " ", text).split()).strip(" ,;-–")
    if not text:
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        # English first: guessing the language of a short string is slow (seconds when it fails).
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
        if parsed is None and re.search(r"[^\x00-\x7f]", text):
            parsed = dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    return parsed.date() if parsed else None


_CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?::\d{2}(?:\s*[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
    r"(?:\s*[–-]\s*\d{1,2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?(?!\w)",
    re.I,
)
_ZONE = re.compile(r"\b(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?\b|\b[A-Z]{1,2}[SD]?T\b|\bCES?T\b")
