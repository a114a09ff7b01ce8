"""Turning rows of the segment table into quotes a reader can check."""

from __future__ import annotations

from drift.model import Quote
from drift.store import SegmentTable


def quote_at(table: SegmentTable, row: int, score: float | None = None) -> Quote:
    return Quote(
        text=table.text[row],
        voice=table.voice[row],
        source=table.source[row],
        locator=table.locator[row],
        month=table.month[row],
        channel=table.channel[row],
        score=None if score is None else round(float(score), 4),
        genre=table.genre[row] if table.genre is not None else None,
    )
