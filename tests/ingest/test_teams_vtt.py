"""Teams VTT as Teams writes it: "H:M:S.f" times, "n-m" or GUID cue ids, <v Name> spans, overlaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.config import Config
from drift.ingest import IngestFailure, parse_file

from .conftest import parse_one


def test_stream_export_with_short_timestamps(config: Config) -> None:
    doc = parse_one("calls/teams_stream_export.vtt", config)
    assert (doc.format, doc.channel, doc.side) == ("vtt", "call", "sales")
    turns = [(t.locator, t.speaker, t.voice) for t in doc.turns]
    assert turns[0] == ("00:00:00", "Priya Raman", "rep")  # "0:0:0.0 --> 0:0:3.570"
    assert turns[1] == ("00:00:03", "Nora Lindqvist", "buyer")
    assert turns[-2] == ("00:01:02", "Nora Lindqvist", "buyer")  # "0:1:2.5"
    # Nora's two cues ("4-0", "4-1") are one turn; Ahmed's cue that overlaps the second
    # one starts after it, and follows it.
    nora = doc.turns[3]
    assert nora.text.endswith("So a pallet can sit in the cage for nine or ten days.")
    assert doc.turns[4].speaker == "Ahmed Saleh" and doc.turns[4].start_ms == 26_050


def test_overlapping_cues_are_read_in_order_of_start(tmp_path: Path, config: Config) -> None:
    vtt = tmp_path / "overlap.vtt"
    vtt.write_text(
        "WEBVTT\n\n"
        "6a1f0c2e-4b1d-4d0a-8f5e-2c9b7a3d1e40/11-0\n0:0:10.0 --> 0:0:16.500\n"
        "<v Dana Whitfield>So the pilot would start with the Reno warehouse only.</v>\n\n"
        "6a1f0c2e-4b1d-4d0a-8f5e-2c9b7a3d1e40/9-0\n0:0:8.250 --> 0:0:10.400\n"
        "<v Karen Lutz>Before you go on, one question about the cost.</v>\n\n"
        "6a1f0c2e-4b1d-4d0a-8f5e-2c9b7a3d1e40/12-0\n0:0:15.900 --> 0:0:19.0\n"
        "<v Karen Lutz>Only Reno is fine with us, honestly.\n",
        encoding="utf-8",
    )
    doc = next(iter(parse_file(vtt, config, side="sales")))
    assert [(t.speaker, t.locator) for t in doc.turns] == [
        ("Karen Lutz", "00:00:08"),
        ("Dana Whitfield", "00:00:10"),
        ("Karen Lutz", "00:00:15"),  # a voice span without </v> still ends at the cue's end
    ]
    assert [t.voice for t in doc.turns] == ["buyer", "rep", "buyer"]


@pytest.mark.parametrize(
    ("timing", "reason"),
    [
        ("0:0:4.9 --> 0:0:0x.100", "broken cue timestamp on line 4"),
        ("0:0:75.0 --> 0:0:79.0", "Invalid timestamp '0:0:75.0'"),
    ],
)
def test_broken_teams_timings_still_fail(tmp_path: Path, config: Config, timing: str, reason: str) -> None:
    vtt = tmp_path / "broken.vtt"
    vtt.write_text(f"WEBVTT\n\n1-0\n{timing}\n<v Dana Whitfield>Hello there, everyone.</v>\n", encoding="utf-8")
    with pytest.raises(IngestFailure) as failure:
        list(parse_file(vtt, config, side="sales"))
    assert reason in failure.value.reason
