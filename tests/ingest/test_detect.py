"""Format detection looks at content first, the extension only as a tie-break."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.ingest import detect_format
from drift.ingest.detect import describe_unknown

from .conftest import FIXTURES


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("calls/gong_pallas_discovery.json", "gong_json"),
        ("calls/gong_split/calls-extensive-2026-09.json", "gong_json"),
        ("calls/gong_split/transcripts-2026-09.json", "gong_json"),
        ("calls/teams_ops_review.vtt", "vtt"),
        ("calls/meeting_really_vtt.txt", "vtt"),
        ("calls/webinar_qna_named.srt", "srt"),
        ("calls/site_walkthrough_unnamed.srt", "srt"),
        ("calls/otter_kickoff_notes.txt", "otter"),
        ("calls/northbay_demo_notes.md", "text_transcript"),
        ("calls/ridgeline_call_notes.txt", "text_transcript"),
        ("calls/crm_call_utterances.csv", "csv"),
        ("email/gmail_buyer_reply.eml", "eml"),
        ("email/outlook_reply_html.eml", "eml"),
        ("email/harborline_thread.mbox", "mbox"),
        ("email/crm_email_export.csv", "csv"),
        ("copy/solutions_returns.html", "html"),
        ("copy/blog_time_to_value.md", "markdown"),
        ("copy/partner_faq.txt", "text"),
        ("copy/brochure_cp1252.txt", "text"),
        ("copy/notes_utf16.txt", "text"),
        ("copy/security_datasheet.pdf", "pdf"),
        ("copy/proposal_granite_peak.docx", "docx"),
        ("malformed/truncated_gong_call.json", "gong_json"),
        ("malformed/broken_timestamps.vtt", "vtt"),
        ("malformed/hubspot_contacts.json", None),
        ("malformed/recording_audio.bin", None),
        ("malformed/missing_header.vtt", None),
    ],
)
def test_detects_fixture_formats(relative: str, expected: str | None) -> None:
    path = FIXTURES / relative
    assert detect_format(path, path.read_bytes()[:65536]) == expected


def test_content_beats_extension() -> None:
    vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDana Whitfield: hi\n"
    email = b"From: Dana Whitfield <dana@kestrelhq.com>\nTo: x@y.com\nSubject: hi\n\nbody\n"
    assert detect_format(Path("notes.md"), vtt) == "vtt"
    assert detect_format(Path("export.json"), email) == "eml"
    assert detect_format(Path("page.txt"), b"<!DOCTYPE html><html><body><p>Hi</p></body></html>") == "html"


def test_marketing_bold_labels_are_not_a_transcript() -> None:
    feature_list = (
        b"# Why Kestrel\n\n**No-code builder:** drag and drop.\n\n**Approvals:** in Slack or Teams.\n\n"
        b"**Operations board:** live.\n\n**Audit trail:** every step.\n"
    )
    assert detect_format(Path("why.md"), feature_list) == "markdown"


def test_plain_prose_with_unknown_extension_is_unknown() -> None:
    assert detect_format(Path("server.log"), b"2026-07-01 12:00:01 INFO started\n") is None


@pytest.mark.parametrize(
    ("name", "head", "words"),
    [
        ("contacts.json", b'{"results": []}', "not a Gong export"),
        ("audio.m4a", bytes(range(256)) * 4, "binary"),
        ("archive.zip", b"PK\x03\x04\x14\x00\x00\x00junk", "ZIP"),
        ("notes.vtt", b"just words\n", "WEBVTT header"),
        ("diagram.xyz", b"plain words in an odd file\n", "unrecognised format"),
    ],
)
def test_unknown_formats_are_explained(name: str, head: bytes, words: str) -> None:
    path = Path(name)
    assert detect_format(path, head) is None
    assert words in describe_unknown(path, head)
