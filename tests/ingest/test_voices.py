"""Side, channel and voice resolution, rule by rule and in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drift.config import Config, parse_config
from drift.ingest import parse_file
from drift.ingest.voices import (
    Roster,
    final_channel,
    name_key,
    path_side,
    resolve_voices,
    speaker_voice,
)
from drift.model import Document, Participant, Turn

from .conftest import FIXTURES, KESTREL, make_config

ZOOM_CALL = FIXTURES / "calls/meeting_really_vtt.txt"
PAGE = "# Pricing\n\nFrom $49 per user per month.\n"


def put(root: Path, relative: str, text: str | None = None, source: Path | None = None) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if source is not None:
        shutil.copy(source, path)
    else:
        path.write_text(text or PAGE, encoding="utf-8")
    return path


# ---------------------------------------------------------------- sides


def test_side_argument_beats_globs_and_folders(tmp_path: Path) -> None:
    config = make_config(tmp_path, sides={"sales": ["sales/**"]})
    call = put(tmp_path, "sales/calls/standup.vtt", source=ZOOM_CALL)
    (doc,) = parse_file(call, config, side="marketing")
    assert doc.side == "marketing"
    assert {t.voice for t in doc.turns} == {"marketing"}


def test_config_globs_beat_folder_names(tmp_path: Path) -> None:
    config = make_config(tmp_path, sides={"marketing": ["sales/enablement/*.md"]})
    page = put(tmp_path, "sales/enablement/pricing.md")
    assert path_side(page, config) == "marketing"
    (doc,) = parse_file(page, config)
    assert (doc.side, doc.channel) == ("marketing", "web")


def test_globs_support_double_star_and_are_relative_to_the_config(tmp_path: Path) -> None:
    config = make_config(tmp_path / "project", sides={"sales": ["exports/**/gong/*.json"]})
    inside = put(tmp_path, "project/exports/2026/q3/gong/call.json", "{}")
    outside = put(tmp_path, "elsewhere/exports/2026/gong/call.json", "{}")
    assert path_side(inside, config) == "sales"
    assert path_side(outside, config) is None


def test_folder_names_decide_when_no_glob_matches(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    assert path_side(put(tmp_path, "Marketing/site/home.md"), config) == "marketing"
    assert path_side(put(tmp_path, "team/sales/notes/call.md"), config) == "sales"
    # The nearest folder wins.
    assert path_side(put(tmp_path, "sales/marketing-review/marketing/deck.md"), config) == "marketing"
    # Folders above the config's own folder do not count.
    nested = make_config(tmp_path / "sales" / "project")
    assert path_side(put(tmp_path, "sales/project/pages/home.md"), nested) is None


def test_call_in_a_marketing_folder_is_all_marketing(tmp_path: Path) -> None:
    call = put(tmp_path, "marketing/webinars/qa.vtt", source=ZOOM_CALL)
    (doc,) = parse_file(call, make_config(tmp_path))
    assert (doc.side, doc.channel) == ("marketing", "call")
    assert {t.voice for t in doc.turns} == {"marketing"}


def test_format_decides_last(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    call = put(tmp_path, "inbox/standup.vtt", source=ZOOM_CALL)
    reply = put(tmp_path, "inbox/reply.eml", source=FIXTURES / "email/gmail_buyer_reply.eml")
    campaign = put(tmp_path, "inbox/recap.eml", source=FIXTURES / "email/campaign_webinar_recap.eml")
    page = put(tmp_path, "inbox/pricing.md")
    assert [d.side for path in (call, reply, campaign, page) for d in parse_file(path, config)] == [
        "sales",
        "sales",
        "marketing",
        None,
    ]


def test_sales_email_in_marketing_folder_is_campaign_email(tmp_path: Path) -> None:
    email = put(tmp_path, "marketing/sent/reply.eml", source=FIXTURES / "email/gmail_buyer_reply.eml")
    (doc,) = parse_file(email, make_config(tmp_path))
    assert (doc.side, doc.channel) == ("marketing", "campaign_email")


@pytest.mark.parametrize(
    ("channel", "side", "expected"),
    [
        ("call", "marketing", "call"),
        ("sales_email", "sales", "sales_email"),
        ("sales_email", "marketing", "campaign_email"),
        ("campaign_email", "sales", "campaign_email"),
        ("web", "sales", "doc"),
        ("web", "marketing", "web"),
        ("web", None, "web"),
    ],
)
def test_final_channel(channel: str, side: str | None, expected: str) -> None:
    assert final_channel(channel, side) == expected


# ---------------------------------------------------------------- voices


@pytest.fixture
def kestrel() -> Config:
    return parse_config(KESTREL)


def test_name_key_ignores_case_accents_and_spacing() -> None:
    assert name_key("Tomás  Reyes") == name_key("TOMAS REYES") == "tomas reyes"


@pytest.mark.parametrize(
    ("participant", "voice"),
    [
        # 1. explicit metadata
        (Participant("Wendy Kosky", affiliation="external"), "buyer"),
        (
            Participant("Dana Whitfield", affiliation="external"),
            "buyer",
        ),  # the export's word beats the roster
        (Participant("Sam Ortiz", affiliation="internal"), "rep"),
        (Participant("Owen Tsai", affiliation="internal"), "marketing"),  # internal, refined by the roster
        # 2. roster, by name or by a first.last address
        (Participant("tomas reyes"), "rep"),
        (Participant("RHEA MALHOTRA"), "marketing"),
        (Participant("Oyelaran, Marcus (Kestrel)"), "rep"),
        (Participant("Marcus Oyelaran (Kestrel Labs)"), "rep"),
        (Participant("owen.tsai@kestrelhq.com", email="owen.tsai@kestrelhq.com"), "marketing"),
        (Participant("Dana Whitfield", email="dana.w.personal@gmail.com"), "rep"),  # roster before domain
        # 3. company domain
        (Participant("Sam Ortiz", email="sam.ortiz@kestrelhq.com"), "rep"),
        (Participant("Kestrel Labs", email="news@em.kestrelhq.com"), "rep"),
        # 4a. another domain
        (Participant("Nora Quinlan", email="nquinlan@lakeviewlogistics.com"), "buyer"),
        # unresolved
        (Participant("Nora Quinlan"), None),
    ],
)
def test_speaker_voice_rules(participant: Participant, voice: str | None, kestrel: Config) -> None:
    assert speaker_voice(participant, Roster(kestrel), kestrel) == voice


def test_other_domains_are_not_buyers_without_company_domains() -> None:
    config = parse_config({"voices": {"rep": ["Dana Whitfield"]}})
    assert speaker_voice(Participant("Nora", email="nora@lakeview.com"), Roster(config), config) is None


def _doc(channel: str, speakers: list[str], participants: tuple[Participant, ...] = ()) -> Document:
    turns = tuple(Turn(text="Right, right.", speaker=s) for s in speakers)
    return Document(
        source="x", format="test", side=None, channel=channel, turns=turns, participants=participants
    )


def test_call_heuristic_makes_the_other_side_buyers(kestrel: Config) -> None:
    call = _doc("call", ["Dana Whitfield", "Gary Pellman", "Denise Harper", "Dana Whitfield"])
    assert [t.voice for t in resolve_voices(call, "sales", kestrel)] == ["rep", "buyer", "buyer", "rep"]


def test_call_heuristic_needs_a_known_employee(kestrel: Config) -> None:
    call = _doc("call", ["Gary Pellman", "Denise Harper"])
    assert {t.voice for t in resolve_voices(call, "sales", kestrel)} == {"unknown"}


def test_call_heuristic_does_not_apply_to_email(kestrel: Config) -> None:
    email = _doc("sales_email", ["Gary Pellman"], (Participant("Gary Pellman"),))
    assert [t.voice for t in resolve_voices(email, "sales", kestrel)] == ["unknown"]


def test_unnamed_turns_stay_unknown(kestrel: Config) -> None:
    call = _doc("call", ["Dana Whitfield"])
    call = Document(**{**call.__dict__, "turns": (*call.turns, Turn(text="Mom, can I have a popsicle?"))})
    assert [t.voice for t in resolve_voices(call, "sales", kestrel)] == ["rep", "unknown"]
