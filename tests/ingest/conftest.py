"""Shared helpers for the ingest tests: fixture paths and a Kestrel Labs config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drift.config import Config, parse_config
from drift.ingest import parse_file
from drift.model import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"

BRIGHTWATER_ZOOM = (
    "calls/zoom/2026-07-21 10.58.02 Kestrel x Brightwater Supply - Discovery/"
    "GMT20260721-145802_Recording.transcript.vtt"
)

KESTREL: dict[str, Any] = {
    "company": {"name": "Kestrel Labs", "domains": ["kestrelhq.com"]},
    "voices": {
        "marketing": ["Owen Tsai", "Rhea Malhotra"],
        "rep": [
            "Dana Whitfield",
            "Tomás Reyes",
            "Marcus Oyelaran",
            "Jill Kowalczyk",
            "Priya Raman",
            "Ben Adair",
        ],
    },
}


def make_config(root: Path, **sections: Any) -> Config:
    """The Kestrel config as if drift.toml sat in `root`, with sections replaced."""
    return parse_config({**KESTREL, **sections}, source=str(root / "drift.toml"))


@pytest.fixture
def config() -> Config:
    return make_config(FIXTURES)


def parse_all(relative: str, config: Config, side: str | None = None) -> list[Document]:
    return list(parse_file(FIXTURES / relative, config, side))


def parse_one(relative: str, config: Config, side: str | None = None) -> Document:
    docs = parse_all(relative, config, side)
    assert len(docs) == 1, [d.part for d in docs]
    return docs[0]


def speakers_and_voices(doc: Document) -> dict[str, str]:
    return {t.speaker: t.voice for t in doc.turns if t.speaker}
