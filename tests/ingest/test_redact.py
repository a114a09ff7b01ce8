"""PII redaction: emails, phone numbers and Luhn-valid card numbers."""

from __future__ import annotations

import pytest

from drift.config import parse_config
from drift.ingest.redact import luhn_valid, redact_text

from .conftest import BRIGHTWATER_ZOOM, FIXTURES, KESTREL, parse_all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reach me at dana.whitfield@kestrelhq.com today.", "Reach me at [email] today."),
        ("Cell (614) 555-0142, desk 614.555.0199", "Cell [phone], desk [phone]"),
        ("From the UK: +44 20 7946 0958.", "From the UK: [phone]."),
        ("Card on file 4111 1111 1111 1111, exp 09/28", "Card on file [card], exp 09/28"),
        ("Amex 3782-822463-10005 works too", "Amex [card] works too"),
    ],
)
def test_redacts(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "PO 4111 1111 1111 1112 is not a card (fails Luhn).",
        "$1,200/month, 10,000 runs, $0.03 per run, 2026-09-01, 72 hours, 3.4x",
        "We're 450 people across 3 sites, order RC-26-1187.",
    ],
)
def test_leaves_numbers_that_are_not_pii(text: str) -> None:
    assert redact_text(text) == text


def test_luhn() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")


def test_parse_file_redacts_when_configured() -> None:
    config = parse_config({**KESTREL, "ingest": {"redact_pii": True}}, source=str(FIXTURES / "drift.toml"))
    (reply,) = parse_all("email/gmail_buyer_reply.eml", config)
    assert "Call me at [phone] if easier." in reply.turns[0].text
    assert all(p.email is None for p in reply.participants)
    assert reply.turns[0].voice == "buyer"  # voices are resolved before addresses are dropped
    (call,) = parse_all(BRIGHTWATER_ZOOM, config)
    assert "[phone]" in {t.speaker for t in call.turns}
    assert "+1 614-555-0173" not in {p.name for p in call.participants}
