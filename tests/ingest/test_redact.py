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


# The leaks found by trying drift as a hostile user would: each must now be masked.
@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("Please wire the deposit to DE89 3704 0044 0532 0130 00 by Friday.", "[iban]"),
        ("IBAN DE89370400440532013000 for the deposit.", "[iban]"),
        ("Our account is GB29 NWBK 6016 1331 9268 19.", "[iban]"),
        ("My SSN is 123-45-6789 if the form needs it.", "[ssn]"),
        ("ssn: 123456789 for the background check", "[ssn]"),
        ("Social security number 536221234 was on the form", "[ssn]"),
        ("Call the Leeds office on 020 7946 0958 after two.", "[phone]"),
        ("Meine Nummer: 030 12345678, bitte.", "[phone]"),
        ("Appelez-moi au 01 23 45 67 89 demain.", "[phone]"),
        ("Reach me on 98765 43210 any time.", "[phone]"),
        ("The Tokyo office is on 03-1234-5678.", "[phone]"),
        ("Card 4111.1111.1111.1111 expires soon.", "[card]"),
        ("Card 4111/1111/1111/1111 expires soon.", "[card]"),
        ("write to dana at kestrelhq dot com today", "[email]"),
        ("dana [at] kestrelhq [dot] com", "[email]"),
        ("dana(at)kestrelhq(dot)co(dot)uk", "[email]"),
        ("Steuer-ID 65929970489 liegt vor.", "[national id]"),
        ("NIR 2 95 10 99 126 111 93 sur la fiche", "[national id]"),
        ("DNI 12345678Z en el contrato", "[national id]"),
        ("codice fiscale RSSMRA85T10A562S", "[national id]"),
        ("Aadhaar 2345 6789 0124 attached", "[national id]"),
        ("NI number AB 12 34 56 C on file", "[national id]"),
        ("SIN 130 692 544 on the form", "[national id]"),
    ],
)
def test_redacts_ids_national_phones_and_obfuscated_emails(text: str, placeholder: str) -> None:
    redacted = redact_text(text)
    assert placeholder in redacted, redacted
    assert sum(ch.isdigit() for ch in redacted) <= 1, redacted  # no digits of the number survive


@pytest.mark.parametrize(
    "text",
    [
        "Version 3.14159265358979 of the curve, 2026.07.21, 09/28, 10:30-11:45",
        "We met at the office at noon and looked at the dashboard.",
        "Invoice 20260721 covers 1,250,000 events; ticket 123456789 is closed.",
        "Revenue grew 12.5% to 4,500,000 in Q3 2026; 0.5 FTE; call at 3 pm.",
        "Order 0012 3456 shipped; room 0402; line 00:12:31 to 00:13:05.",
    ],
)
def test_leaves_figures_dates_and_ids_that_are_not_pii(text: str) -> None:
    assert redact_text(text) == text


def test_every_text_field_is_redacted() -> None:
    from drift.ingest.redact import redact_document
    from drift.model import Document, Participant, Turn

    doc = Document(
        source="mail/thread.mbox", format="mbox", side="sales", channel="sales_email",
        turns=(Turn("Call 020 7946 0958.", "dana at kestrelhq dot com", "rep", "Re: card 4111 1111 1111 1111"),),
        title="Re: card 4111 1111 1111 1111", thread_id="CAF=abc123@mail.example.com",
        participants=(Participant("+44 20 7946 0958", "x@y.com", "Buyer, SSN 123-45-6789"),),
    )
    red = redact_document(doc)
    turn = red.turns[0]
    assert (turn.text, turn.speaker, turn.locator) == ("Call [phone].", "[email]", "Re: card [card]")
    assert red.title == "Re: card [card]"
    assert red.thread_id.startswith("id-") and "@" not in red.thread_id
    assert red.thread_id == redact_document(doc).thread_id  # a thread still groups
    (person,) = red.participants
    assert (person.name, person.email, person.title) == ("[phone]", None, "Buyer, SSN [ssn]")
