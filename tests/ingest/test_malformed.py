"""Bad input fails with IngestFailure and a reason a user can act on, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.config import Config
from drift.ingest import FileSkipped, IngestFailure, parse_file

from .conftest import FIXTURES, make_config


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("malformed/truncated_gong_call.json", "invalid JSON: the file ends early"),
        ("malformed/broken_timestamps.vtt", "broken cue timestamp on line 8: '00:00:4.9 --> 00:00:0x.100'"),
        ("malformed/timestamps_out_of_range.vtt", "Invalid timestamp '00:00:75.000'"),
        ("malformed/missing_header.vtt", "without the WEBVTT header"),
        ("malformed/undecodable.txt", "unknown encoding"),
        ("malformed/corrupt_proposal.docx", "not a readable Word document"),
        ("malformed/damaged_datasheet.pdf", "not a readable PDF"),
        ("malformed/pipeline_export.csv", "a CSV without the columns drift reads"),
        ("malformed/bad_front_matter.md", "front matter is not valid YAML"),
        ("malformed/attachment_only.eml", "no message text found"),
    ],
)
def test_malformed_fixture_has_a_clear_reason(relative: str, reason: str, config: Config) -> None:
    """A broken file of a type drift reads is a failure (empty or unsupported files are
    skipped instead: test_skipped.py)."""
    with pytest.raises(IngestFailure) as failure:
        list(parse_file(FIXTURES / relative, config))
    assert reason in failure.value.reason
    assert not failure.value.unexpected
    assert not isinstance(failure.value, FileSkipped)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("call.json", '{"callTranscripts": {"callId": "1"}}', "'callTranscripts' should be a list"),
        (
            "call.json",
            '{"callTranscripts": [{"callId": "1", "transcript": [{"sentences": "hi"}]}]}',
            "'sentences' should be a list",
        ),
        ("call.json", '{"calls": [{"metaData": {"id": 1}}], "callTranscripts": [7]}', "should be an object"),
        ("call.json", '{"callTranscripts": [{"callId": "1", "transcript": []}]}', "no text found"),
        ("call.json", '{"metaData": {"id": 1}, "parties": [} ', "invalid JSON"),
        ("notes.srt", "1\n00:00:01,000 --> 00:00:02;000\nhi\n", "broken cue timestamp on line 2"),
        ("thread.mbox", "From nobody Mon Jan  1 00:00:00 2026\n\n", "no text found"),
        (
            "page.html",
            "<html><body><nav><a>Home</a></nav><script>x()</script></body></html>",
            "no text found",
        ),
    ],
)
def test_malformed_content(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IngestFailure) as failure:
        list(parse_file(path, make_config(tmp_path)))
    assert reason in failure.value.reason
    assert not failure.value.unexpected


def test_missing_file_and_folder(tmp_path: Path, config: Config) -> None:
    with pytest.raises(IngestFailure, match="file not found"):
        list(parse_file(tmp_path / "gone.vtt", config))
    with pytest.raises(IngestFailure, match="folder"):
        list(parse_file(tmp_path, config))


def test_ingest_failure_is_a_value_error() -> None:
    assert issubclass(IngestFailure, ValueError)
