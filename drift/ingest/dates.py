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
