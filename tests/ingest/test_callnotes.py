"""Call notes with a header block: recognised as calls, header lines never speakers, and the
participants' sides read from the header, even with no config and no roster."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from drift.config import Config
from drift.ingest import detect_format, parse_file
from drift.ingest.callnotes import outcome_of, parse_participant, read_header
from drift.ingest.dates import parse_written_date
from drift.model import Document

from .conftest import FIXTURES

CALLNOTES = FIXTURES / "callnotes"
FILES = sorted(CALLNOTES.iterdir())
HEADER_WORDS = {"call", "call id", "meeting id", "date", "duration", "participants", "attendees", "outcome",
                "result", "status", "company", "title", "account"}


def parse_bare(path: Path) -> Document:
    """No drift.toml, no roster, no company: only what the file says (side given, as a folder would)."""
    docs = list(parse_file(path, Config(), side="sales"))
    assert len(docs) == 1
    return docs[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_header_block_notes_are_calls_whatever_their_folder(path: Path) -> None:
    assert detect_format(path, path.read_bytes()) == "text_transcript"
    doc = parse_bare(path)
    assert doc.channel == "call" and doc.format == "text_transcript"
    speakers = {t.speaker for t in doc.turns}
    assert None not in speakers
    assert not {s.casefold() for s in speakers} & HEADER_WORDS  # header lines are metadata
    assert 2 <= len(speakers) <= 4


def test_with_no_config_nine_in_ten_turns_get_rep_or_buyer() -> None:
    voices = Counter(t.voice for path in FILES for t in parse_bare(path).turns)
    resolved = voices["rep"] + voices["buyer"]
    assert resolved / sum(voices.values()) >= 0.9, voices
    assert voices["rep"] > 40 and voices["buyer"] > 40


def test_each_speaker_lands_on_the_right_side() -> None:
    expected = {
        "2025-03-03-northbeam-renewal.md": {"Dev": "rep", "Rosa Lindqvist": "buyer", "Aaron Pike": "buyer"},
        "2025-04-14-halden-freight-discovery.txt": {
            "Maya Chen": "rep", "Tomasz Wierzbicki": "rep", "Helen Marsh": "buyer", "Gary Oduya": "buyer",
        },
        "ostrava-tools-pricing-call.md": {
            "Sam Okafor": "rep", "Irene Brandt": "rep", "Lucie Novakova": "buyer", "Petr Dvorak": "buyer",
        },
        "pembury-dental-demo.md": {
            "Priya Nair": "rep", "Ben Fischer": "rep", "Dr. Alice Moreau": "buyer", "Kwame Asante": "buyer",
        },
        # Jordan's entry names no company; Chloe's names the seller, the title names the buyer.
        "vireo-health-security-review.md": {
            "Jordan Blake": "rep", "Chloe Baptiste": "rep", "Nadia Rahman": "buyer", "Owen Gallagher": "buyer",
        },
        "marlow-finch-check-in.txt": {"Elena Russo": "rep", "Marcus Webb": "buyer", "Tess Holloway": "buyer"},
        # The buyer's Head of Sales is a buyer; the seller's Head of Partnerships is ours.
        "quayside-foods-closing-call.md": {
            "Hannah Cole": "rep", "Raj Patel": "rep", "Fiona MacLeod": "buyer", "Dmitri Volkov": "buyer",
        },
    }
    for name, voices in expected.items():
        doc = parse_bare(CALLNOTES / name)
        assert {t.speaker: t.voice for t in doc.turns} == voices, name


def test_header_fields_date_call_id_and_outcome() -> None:
    fields = {
        path.name: (doc.date, doc.thread_id, doc.outcome, doc.title)
        for path in FILES
        for doc in [parse_bare(path)]
    }
    assert fields["2025-03-03-northbeam-renewal.md"] == (
        date(2025, 3, 3), "RNW-2025-114", "won", "Call notes: Renewal review"
    )
    assert fields["2025-04-14-halden-freight-discovery.txt"][:3] == (date(2025, 4, 14), "DSC-2025-0417", "open")
    assert fields["ostrava-tools-pricing-call.md"][2:] == ("lost", "Ostrava Tools / Corvid - pricing and rollout")
    assert fields["marlow-finch-check-in.txt"][0] == date(2025, 7, 8)  # "Tue, July 8th 2025 at 2:30pm ET"
    assert fields["quayside-foods-closing-call.md"][2] == "won"
    assert fields["pembury-dental-demo.md"][:1] == (date(2025, 6, 10),)  # front matter


def test_header_names_are_matched_to_first_names_and_locators_are_real_lines() -> None:
    doc = parse_bare(CALLNOTES / "2025-03-03-northbeam-renewal.md")
    lines = (CALLNOTES / "2025-03-03-northbeam-renewal.md").read_text(encoding="utf-8").split("\n")
    rosa = next(t for t in doc.turns if t.speaker == "Rosa Lindqvist")  # written "**Rosa:**"
    assert lines[int(rosa.locator.split()[1]) - 1].startswith("**Rosa:** It is.")
    ostrava = parse_bare(CALLNOTES / "ostrava-tools-pricing-call.md")
    assert ostrava.turns[0].locator == "00:00:41"  # "**[00:00:41] Sam Okafor:**"


def test_the_issue_example_with_a_configured_company(tmp_path: Path) -> None:
    notes = tmp_path / "renewal.md"
    notes.write_text(
        "# Call notes: Renewal review\n**Call ID:** RNW-2025-114\n**Date:** March 3, 2025\n**Participants:**\n"
        "- Dev (Acme Account Executive)\n- Rosa Lindqvist (Head of Finance, Northbeam Ltd)\n"
        "**Outcome:** Renewed, 2-year term\n---\n"
        "**Dev:** Rosa, thanks for making the time, I know it's quarter end.\n"
        "**Rosa:** Happy to. Twenty minutes, so let's start with the price.\n"
        "**Dev:** Sure. The rate is the same, the seat count went up.\n",
        encoding="utf-8",
    )
    config = Config(company_name="Acme Inc")
    doc = next(iter(parse_file(notes, config)))  # no folder, no --side: a call is sales
    assert doc.side == "sales" and doc.month == "2025-03" and doc.outcome == "won"
    assert {t.speaker: t.voice for t in doc.turns} == {"Dev": "rep", "Rosa Lindqvist": "buyer"}


@pytest.mark.parametrize(
    ("entry", "name", "company"),
    [
        ("Rosa Lindqvist (Head of Finance, Northbeam Ltd)", "Rosa Lindqvist", "Northbeam Ltd"),
        ("Dev (Acme Account Executive)", "Dev", "Acme"),
        ("Maya Chen - Senior Account Executive at Corvid Systems", "Maya Chen", "Corvid Systems"),
        ("Sam Okafor, Account Executive", "Sam Okafor", None),
        ("Jill Kowalczyk (Kestrel Labs, Account Executive)", "Jill Kowalczyk", "Kestrel Labs"),
        ("Nadia Rahman, VP Clinical Operations, Vireo Health", "Nadia Rahman", "Vireo Health"),
        ("Elena Russo — Account Manager, Corvid Systems", "Elena Russo", "Corvid Systems"),
        ("Marcus Webb (Marlow & Finch)", "Marcus Webb", "Marlow & Finch"),
        ("Priya Raman <priya@kestrelhq.com>", "Priya Raman", None),
    ],
)
def test_participant_entries(entry: str, name: str, company: str | None) -> None:
    person = parse_participant(entry)
    assert (person.name, person.company) == (name, company)


def test_a_prose_page_with_labels_is_not_a_header() -> None:
    page = ["# Pricing FAQ", "", "**Customer:** any company that signs an order form.", "", "Some more prose here."]
    assert read_header(page) is None


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Renewed, 2-year term", "won"),
        ("Closed won", "won"),
        ("Closed lost - went with the incumbent", "lost"),
        ("Not renewing this year", "lost"),
        ("Second call booked, pilot under discussion", "open"),
        ("", None),
    ],
)
def test_outcomes(text: str, outcome: str | None) -> None:
    assert outcome_of(text) == outcome


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("March 3, 2025", date(2025, 3, 3)),
        ("14 April 2025, 10:00-10:45 BST", date(2025, 4, 14)),
        ("Tue, July 8th 2025 at 2:30pm ET", date(2025, 7, 8)),
        ("Thursday, 6 Nov 2025 · 3pm–3:45pm", date(2025, 11, 6)),
        ("March 3", None),  # no year: not guessed
    ],
)
def test_written_dates(text: str, day: date | None) -> None:
    assert parse_written_date(text) == day


def test_with_the_company_inferred_over_the_folder_the_sides_hold() -> None:
    """What `drift ingest` does without a config: infer the company first, then read the calls."""
    from drift.ingest.company import infer_company, with_company

    config = with_company(Config(), infer_company([CALLNOTES]))
    assert config.company_name == "Corvid Systems"
    for path in FILES:
        bare = {t.speaker: t.voice for t in parse_bare(path).turns}
        inferred = {t.speaker: t.voice for doc in parse_file(path, config, side="sales") for t in doc.turns}
        assert inferred == bare, path.name
