"""Empty files and files of types drift does not read are skipped, never failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.ingest import FileSkipped, IngestFailure, parse_file

from .conftest import FIXTURES, make_config


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("malformed/empty_page.md", "empty"),
        ("malformed/blank_notes.txt", "empty"),  # only spaces, tabs and newlines
        ("malformed/hubspot_contacts.json", "not a supported type (JSON that is not a Gong export)"),
        ("malformed/recording_audio.bin", "not a supported type (binary .bin file)"),
    ],
)
def test_fixture_is_skipped_with_a_reason(relative: str, reason: str) -> None:
    with pytest.raises(FileSkipped) as skipped:
        list(parse_file(FIXTURES / relative, make_config(FIXTURES)))
    assert skipped.value.reason == reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("calls.csv", b"", "empty"),
        ("notes.md", b"\r\n  \r\n\t\r\n", "empty"),
        ("utf16.txt", "\ufeff  \n".encode("utf-16"), "empty"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "not a supported type (image)"),
        ("pricing-table.yml", b"- industryName: Retail\n  pricing: per seat\n  owner: Dana\n", "not a supported type (YAML data)"),
        ("rituals.yaml", b"- task: Weekly update\n  startedOn: 2023-01-02\n", "not a supported type (YAML data)"),
        ("brand.woff2", b"wOF2\x00\x01\x00\x00" + bytes(40), "not a supported type (font)"),
        ("export.zip", b"PK\x03\x04\x14\x00\x00\x00junk", "not a supported type (archive)"),
        ("styles.css", b"body { color: #222; }\n", "not a supported type (.css file)"),
        ("package.json", b'{"name": "website", "version": "1.0.0"}', "not a supported type (JSON that is not a Gong export)"),
        ("_index.md", b"---\ntitle: Sales handbook\nweight: 10\n---\n", "empty (no text outside"),
        ("layout.ejs", b"<%- include('partials/head') %>\n<%- body %>\n", "empty (no text outside"),
    ],
)
def test_content_is_skipped(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileSkipped) as skipped:
        list(parse_file(path, make_config(tmp_path)))
    assert skipped.value.reason.startswith(reason)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        # A file whose extension promises a format drift reads, but broken, still fails.
        ("call.vtt", b"this is not a caption file\n", "without the WEBVTT header"),
        ("proposal.pdf", b"%PDF-1.7\n1 0 obj <<", "not a readable PDF"),
        ("notes.txt", bytes(range(256)) * 4, "binary data"),
        ("page.html", b"<html><body><nav><a>Home</a></nav></body></html>", "no text found"),
    ],
)
def test_broken_supported_file_still_fails(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestFailure) as failure:
        list(parse_file(path, make_config(tmp_path)))
    assert not isinstance(failure.value, FileSkipped)
    assert reason in failure.value.reason
