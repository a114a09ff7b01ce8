"""Call transcripts: Gong, Zoom and Teams VTT, SRT, Otter, text transcripts, CSV."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from drift.config import Config
from drift.ingest import IngestFailure, parse_file

from .conftest import BRIGHTWATER_ZOOM, FIXTURES, make_config, parse_all, parse_one, speakers_and_voices


def test_gong_file_with_metadata_and_transcript(config: Config) -> None:
    doc = parse_one("calls/gong_pallas_discovery.json", config)
    assert (doc.format, doc.side, doc.channel) == ("gong_json", "sales", "call")
    assert doc.part == doc.thread_id == "5520938817461102934"
    assert doc.title == "Pallas Distribution <> Kestrel | Discovery"
    assert doc.date == date(2026, 8, 18)
    assert doc.outcome == "won"
    titles = {p.name: p.title for p in doc.participants}
    assert titles["Wendy Kosky"] == "Director of Operations"
    assert titles["Ben Adair"] == "Sales Manager"  # invited, never spoke, still a participant
    assert speakers_and_voices(doc) == {
        "Dana Whitfield": "rep",
        "Wendy Kosky": "buyer",
        "Raj Batra": "buyer",
        # Gong says "Unknown"; on a call with a known rep the rest are the buyer's side.
        "Lou": "buyer",
    }


def test_gong_consecutive_items_by_one_speaker_merge_with_times(config: Config) -> None:
    doc = parse_one("calls/gong_pallas_discovery.json", config)
    wendy = doc.turns[1]
    assert wendy.speaker == "Wendy Kosky"
    assert wendy.text.startswith("Morning! Yes, loud and clear. Raj is here")
    assert wendy.text.endswith("Long story.")
    assert (wendy.start_ms, wendy.locator) == (4900, "00:00:04")
    assert doc.turns[-1].locator == "00:12:31"
    assert len(doc.turns) == 9


def test_gong_transcripts_join_metadata_from_a_sibling_file(config: Config) -> None:
    docs = parse_all("calls/gong_split/transcripts-2026-09.json", config)
    by_id = {d.part: d for d in docs}
    pricing = by_id["8830041276119934201"]
    assert pricing.title == "Orchard Lane Foods - pricing walkthrough"
    assert pricing.outcome == "lost"
    assert pricing.date == date(2026, 9, 8)
    assert speakers_and_voices(pricing) == {"Marcus Oyelaran": "rep", "Janine Fenn": "buyer"}
    internal = by_id["8830041276119934777"]
    # Internal affiliation, refined by the roster: Owen is marketing.
    assert speakers_and_voices(internal) == {"Owen Tsai": "marketing", "Marcus Oyelaran": "rep"}


def test_gong_metadata_only_file_yields_nothing(config: Config) -> None:
    assert parse_all("calls/gong_split/calls-extensive-2026-09.json", config) == []


def test_gong_transcript_without_metadata_anywhere(tmp_path: Path, config: Config) -> None:
    shutil.copy(FIXTURES / "calls/gong_split/transcripts-2026-09.json", tmp_path / "t.json")
    docs = list(parse_file(tmp_path / "t.json", make_config(tmp_path)))
    assert [d.title for d in docs] == [None, None]
    assert {t.voice for d in docs for t in d.turns} == {"unknown"}
    assert docs[0].turns[0].speaker == "Gong speaker 41"


def test_zoom_vtt_names_dates_and_merged_cues(config: Config) -> None:
    doc = parse_one(BRIGHTWATER_ZOOM, config)
    assert (doc.format, doc.channel, doc.side) == ("vtt", "call", "sales")
    assert doc.date == date(2026, 7, 21)
    assert doc.title == "Kestrel x Brightwater Supply - Discovery"
    first = doc.turns[0]
    assert first.text == "Hi, can everyone hear me? I think my headset just decided to update itself."
    assert (first.speaker, first.locator, first.start_ms) == ("Priya Raman", "00:00:02", 2310)
    voices = speakers_and_voices(doc)
    assert voices["Priya Raman"] == "rep"
    assert voices["Tomás Reyes (Kestrel)"] == "rep"  # roster match ignores the "(Kestrel)" suffix
    assert voices["Colleen Marsh"] == voices["Andre Whitlock"] == "buyer"
    assert voices["+1 614-555-0173"] == "buyer"  # dial-in caller labelled by number
    # "So the thing is:" is speech, not a speaker label.
    andre = next(t for t in doc.turns if t.speaker == "Andre Whitlock")
    assert andre.text.endswith("So the thing is: nobody owns the spreadsheet.")
    unnamed = [t for t in doc.turns if t.speaker is None]
    assert [t.voice for t in unnamed] == ["unknown"]


def test_teams_vtt_voice_spans(config: Config) -> None:
    doc = parse_one("calls/teams_ops_review.vtt", config)
    assert [t.speaker for t in doc.turns] == [
        "Marcus Oyelaran",
        "Jim O'Halloran",
        "Marcus Oyelaran",
        "Sasha Petrenko",
    ]
    assert doc.turns[0].text.endswith("I know Mondays are rough in receiving.")
    assert "six emails & a phone call" in doc.turns[1].text  # entities decoded
    assert speakers_and_voices(doc)["Sasha Petrenko"] == "buyer"


def test_txt_that_is_really_vtt(config: Config) -> None:
    doc = parse_one("calls/meeting_really_vtt.txt", config)
    assert doc.format == "vtt"
    assert speakers_and_voices(doc) == {"Ben Adair": "rep", "Dana Whitfield": "rep"}


def test_srt_with_names(config: Config) -> None:
    doc = parse_one("calls/webinar_qna_named.srt", config)
    assert doc.format == "srt"
    assert [(t.speaker, t.locator) for t in doc.turns] == [
        ("Owen Tsai", "00:00:01"),
        ("Hannah Greer", "00:00:09"),
        ("Owen Tsai", "00:00:15"),
    ]
    assert (
        doc.turns[0].text == "Welcome back, everyone, we've got about ten minutes for questions. "
        "The first one is from the chat."
    )
    assert speakers_and_voices(doc) == {"Owen Tsai": "marketing", "Hannah Greer": "buyer"}


def test_srt_without_names_merges_cues_into_sentences(config: Config) -> None:
    doc = parse_one("calls/site_walkthrough_unnamed.srt", config)
    assert [t.text for t in doc.turns] == [
        "So this is receiving, this is where every return comes back in.",
        "The cage on the left is anything waiting on a credit decision, "
        "and right now that's about forty pallets.",
        "Some of those have been here since June.",
    ]
    assert {t.voice for t in doc.turns} == {"unknown"}
    assert doc.turns[1].start_ms == 3800


def test_otter_export(config: Config) -> None:
    doc = parse_one("calls/otter_kickoff_notes.txt", config)
    assert doc.format == "otter"
    assert doc.turns[3].text == (
        "Works for me. The November date is the whole reason we signed, so. "
        "Honestly if we miss it I'm the one who hears about it."
    )
    tomas = doc.turns[4]
    assert (tomas.speaker, tomas.locator, tomas.start_ms, tomas.voice) == (
        "Tomas Reyes",
        "01:02:07",
        3727000,
        "rep",
    )
    assert all("otter.ai" not in t.text for t in doc.turns)
    assert speakers_and_voices(doc)["Sam Lindgren"] == "buyer"


def test_markdown_transcript_with_participant_list(config: Config) -> None:
    doc = parse_one("calls/northbay_demo_notes.md", config)
    assert (doc.format, doc.channel) == ("text_transcript", "call")
    assert doc.title == "Northbay Cold Chain / Kestrel demo"
    assert doc.date == date(2026, 9, 29)
    people = {p.name: (p.title, p.affiliation) for p in doc.participants}
    assert people["Victor Lum"] == ("Northbay Cold Chain, Controller", "external")
    assert people["Tomás Reyes"] == ("Kestrel Labs, Solutions Engineer", "internal")
    erin = doc.turns[4]
    assert erin.speaker == "Erin Castellano"
    assert erin.text.endswith("whether to reject the load.")  # continuation lines joined
    assert erin.locator == "line 21"
    assert "Pricing" not in {t.text for t in doc.turns}  # a heading is not speech
    assert speakers_and_voices(doc) == {
        "Jill Kowalczyk": "rep",
        "Victor Lum": "buyer",
        "Erin Castellano": "buyer",
        "Tomás Reyes": "rep",
    }


def test_plain_transcript_with_inline_header_and_first_names(config: Config) -> None:
    doc = parse_one("calls/ridgeline_call_notes.txt", config)
    assert doc.title == "Ridgeline Hardware - second call"
    assert doc.date == date(2026, 7, 30)
    # "Marcus:" is matched to "Marcus Oyelaran" from the header, "Devon:" to Devon Rusk.
    assert speakers_and_voices(doc) == {
        "Marcus Oyelaran": "rep",
        "Devon Rusk": "buyer",
        "Paula Nguyen": "buyer",
    }
    assert doc.turns[4].text.endswith("It doesn't silently drop.")


def test_csv_utterances_grouped_by_call_with_roles(config: Config) -> None:
    docs = parse_all("calls/crm_call_utterances.csv", config)
    assert [d.part for d in docs] == ["GC-1042", "GC-1077"]
    first = docs[0]
    assert first.format == "csv_calls" and first.date == date(2026, 8, 5)
    assert first.turns[1].text == (
        "She's two minutes out, she's on the floor. "
        "Start without her, she knows the returns side better than me though."
    )
    assert first.turns[3].locator == "00:01:52"
    assert speakers_and_voices(first) == {
        "Dana Whitfield": "rep",
        "Mark Delaney": "buyer",
        "Trish Albers": "buyer",
    }
    assert {p.name: p.affiliation for p in docs[1].participants} == {
        "Marcus Oyelaran": "internal",
        "Keisha Grant": "external",
    }


def test_csv_columns_mapped_in_config() -> None:
    mapped = make_config(
        FIXTURES,
        csv={
            "call_id": "Conversation",
            "timestamp": "Said at",
            "speaker": "Who",
            "role": "Side",
            "text": "Utterance",
        },
    )
    doc = parse_one("calls/gong_export_custom_columns.csv", mapped)
    assert doc.part == "HX-77" and doc.date == date(2026, 9, 14)
    assert [t.locator for t in doc.turns] == ["00:00:00", "00:00:06", "00:02:35", "00:02:53"]
    assert speakers_and_voices(doc) == {"Jill Kowalczyk": "rep", "Carlos Ybarra": "buyer"}


def test_csv_without_mapped_columns_names_what_it_found(config: Config) -> None:
    with pytest.raises(IngestFailure, match=r"'Conversation', 'Said at', 'Who'.*\[csv\]"):
        parse_all("calls/gong_export_custom_columns.csv", config)
