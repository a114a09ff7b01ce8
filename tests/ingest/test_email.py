"""Emails: .eml, .mbox and CSV exports, with quotes and signatures stripped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from drift.config import Config
from drift.ingest import IngestFailure, parse_file
from drift.ingest.email import natural_name, strip_quoted, strip_signature

from .conftest import make_config, parse_all, parse_one


def test_gmail_reply_loses_quote_and_mobile_signature(config: Config) -> None:
    doc = parse_one("email/gmail_buyer_reply.eml", config)
    assert (doc.format, doc.side, doc.channel) == ("eml", "sales", "sales_email")
    assert doc.title == "Re: Fernwood + Kestrel: recap"
    assert doc.date == date(2026, 8, 11)
    # The thread is keyed by the first message in References.
    assert doc.thread_id == "CAH7mR1a0Zz9+Root0Thread@mail.gmail.com"
    (turn,) = doc.turns
    assert turn.text.startswith("Dana,\n\nRecap is right except one thing: it's three yards")
    assert "Stockton got added in May." in turn.text  # quoted-printable soft breaks undone
    assert turn.text.endswith("Call me at (209) 555-0148 if easier.")
    for gone in ("Hollis", "iPhone", "wrote:", "Thanks for the time today"):
        assert gone not in turn.text
    assert (turn.speaker, turn.voice) == ("Hollis Ward", "buyer")
    assert {p.email for p in doc.participants} == {
        "hollis.ward@fernwoodsupply.com",
        "dana.whitfield@kestrelhq.com",
        "mreyes@fernwoodsupply.com",
    }


def test_outlook_html_reply_falls_back_to_html_and_strips_everything_quoted(config: Config) -> None:
    doc = parse_one("email/outlook_reply_html.eml", config)
    (turn,) = doc.turns
    assert turn.speaker == "Grace Oduya"  # "Oduya, Grace" in the From header
    assert turn.voice == "buyer"
    assert turn.text.splitlines()[0] == "Marcus,"
    assert turn.text.endswith("Also, can your team do a session with our IT contractor before the 1st?")
    for gone in (
        "Controller | Summit",
        "559-555-0102",
        "CONFIDENTIALITY",
        "From:",
        "attached is the proposal",
    ):
        assert gone not in turn.text
    assert "can’t get past is the ERP side" in turn.text


def test_original_message_block_and_dash_signature(config: Config) -> None:
    doc = parse_one("email/original_message_forward.eml", config)
    (turn,) = doc.turns
    assert turn.text.endswith("I can join Thursday if they want to see it live.")
    assert "Solutions Engineer" not in turn.text and "Original Message" not in turn.text
    assert "Their IT guy is nervous" not in turn.text
    # "Tomas Reyes" in the header matches "Tomás Reyes" on the roster.
    assert turn.voice == "rep"
    assert doc.thread_id == "CAH7mR1t7Gp+granite@mail.gmail.com"  # In-Reply-To when no References


def test_campaign_email_is_marketing_even_outside_a_marketing_folder(config: Config) -> None:
    doc = parse_one("email/campaign_webinar_recap.eml", config)
    assert (doc.side, doc.channel) == ("marketing", "campaign_email")
    assert doc.turns[0].voice == "marketing"
    assert doc.turns[0].text.endswith("The Kestrel team")
    assert "Unsubscribe" not in doc.turns[0].text and "Suite 900" not in doc.turns[0].text


def test_mbox_messages_stream_in_order_and_skip_empty_forwards(config: Config) -> None:
    docs = parse_all("email/harborline_thread.mbox", config)
    assert [d.part for d in docs] == ["1", "2", "4", "5"]  # 3 only quoted a reply
    assert [d.turns[0].locator for d in docs] == ["message 1", "message 2", "message 4", "message 5"]
    assert {d.thread_id for d in docs[:3]} == {"CAH7mR1root+lakeview@mail.gmail.com"}
    assert [d.turns[0].voice for d in docs] == ["rep", "buyer", "rep", "rep"]
    # Nora's reply ends before Gmail's two-line "On ... wrote:" header.
    assert docs[1].turns[0].text.endswith("we got burned by a tool that double-posted credits.")
    # mbox's ">From" escaping is undone, so the line is kept as Dana's words.
    assert "\nFrom what you describe, the double-posting" in docs[2].turns[0].text
    assert not docs[2].turns[0].text.endswith("Dana")
    # An unlisted sender on the company domain is a rep.
    assert docs[3].turns[0].speaker == "billing@kestrelhq.com"


def test_csv_email_export(config: Config) -> None:
    docs = parse_all("email/crm_email_export.csv", config)
    assert [(d.format, d.part, d.date) for d in docs] == [
        ("csv_emails", "row 2", date(2026, 8, 3)),
        ("csv_emails", "row 8", date(2026, 8, 4)),
    ]
    reply = docs[1].turns[0]
    assert (
        reply.text == "Three to five weeks, honestly. COIs are the worst part.\n\n"
        "Does your thing talk to Acumatica? That's a dealbreaker if not."
    )
    assert (reply.speaker, reply.voice) == ("Tess Morrow", "buyer")
    assert docs[0].turns[0].text.endswith("how long does the paperwork take today?")


def test_email_columns_mapped_in_config(tmp_path: Path) -> None:
    export = tmp_path / "outreach.csv"
    export.write_text(
        "Sender,Recipient,Sent On,Topic,Message\n"
        '"Jill Kowalczyk <jill.kowalczyk@kestrelhq.com>",ops@tallgrass.com,2026-09-10,Next steps,'
        '"Denise, I\'ll send the order form today.\n\nJill"\n',
        encoding="utf-8",
    )
    config = make_config(
        tmp_path,
        csv={
            "sender": "Sender",
            "recipients": "Recipient",
            "date": "Sent On",
            "subject": "Topic",
            "body": "Message",
        },
    )
    (doc,) = parse_file(export, config)
    assert doc.title == "Next steps" and doc.date == date(2026, 9, 10)
    assert doc.turns[0].text == "Denise, I'll send the order form today."
    assert doc.turns[0].voice == "rep"


def test_attachment_only_message_is_reported(config: Config) -> None:
    with pytest.raises(IngestFailure, match="no message text"):
        parse_all("malformed/attachment_only.eml", config)


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        (
            "Sounds good, Tuesday works.\n\n"
            "On Mon, Sep 14, 2026 at 9:12 AM Dana Whitfield <dana@kestrelhq.com> wrote:\n"
            "> Does Tuesday work?",
            "Sounds good, Tuesday works.",
            "Does Tuesday work",
        ),
        (
            "Approved on our side.\n\n________________________________\n"
            "From: Ben Adair <ben.adair@kestrelhq.com>\nSent: Friday, October 2, 2026 4:10 PM\n"
            "To: Jill\nSubject: discount",
            "Approved on our side.",
            "discount",
        ),
        (
            "See below, thoughts?\n\n---------- Forwarded message ---------\n"
            "From: Phil\nDate: Wed\n\nIs it 1 run or 4?",
            "See below, thoughts?",
            "1 run or 4",
        ),
        (
            "My answers inline.\n> How many seats?\n40, maybe 45.\n> Annual or monthly?\nAnnual.",
            "40, maybe 45.\nAnnual.",
            "How many seats",
        ),
    ],
)
def test_strip_quoted(text: str, kept: str, dropped: str) -> None:
    stripped = strip_quoted(text)
    assert kept in stripped and dropped not in stripped


@pytest.mark.parametrize(
    ("text", "sender", "expected"),
    [
        (
            "Signed this morning.\n\nThanks,\nKaren\n\n"
            "Karen Lindqvist\nDirector of Operations | Bellmont Foods\n(937) 555-0110",
            "Karen Lindqvist",
            "Signed this morning.",
        ),
        ("Works for me.\n\nG", "Gary Pellman", "Works for me."),
        ("Two installments is fine.\n\nGracias,\nLorena", "Lorena Castañeda", "Two installments is fine."),
        ("Send the one pager.\n\nSent from my iPhone", "Gary Pellman", "Send the one pager."),
        (
            "See attached.\n\n"
            "This email and any attachments are confidential and intended solely for the addressee.",
            "Maureen Achterberg",
            "See attached.",
        ),
        ("Noted.\n-- \nTom Albright\nCrestview Building Supply", "Tom Albright", "Noted."),
        (
            "Loop in ap@bellmontfoods.com for the invoice, please.",
            "Karen Lindqvist",
            "Loop in ap@bellmontfoods.com for the invoice, please.",
        ),
        (
            "Thanks, that helps. We reviewed the proposal with the owner yesterday and he is on board with\n"
            "the Starter tier as long as onboarding is included.",
            "Tom Albright",
            "Thanks, that helps. We reviewed the proposal with the owner yesterday and he is on board with\n"
            "the Starter tier as long as onboarding is included.",
        ),
    ],
)
def test_strip_signature(text: str, sender: str, expected: str) -> None:
    assert strip_signature(text, sender) == expected


def test_natural_name() -> None:
    assert natural_name("Oduya, Grace") == "Grace Oduya"
    assert natural_name("Dana Whitfield") == "Dana Whitfield"
    assert natural_name("Kestrel Labs, Inc., Billing") == "Kestrel Labs, Inc., Billing"
