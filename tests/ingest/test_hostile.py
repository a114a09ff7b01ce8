"""Hostile input, generated here (never committed as bombs): each case is one bad file with a
one-line reason, and no input makes a parser take unbounded work."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import zipfile
from pathlib import Path

import pytest

from drift.config import Config
from drift.ingest import IngestFailure, discover, parse_file
from drift.ingest import limits
from drift.ingest.textio import file_problem
from drift.model import Document, Turn
from drift.pipeline import store_key
from drift.segment import MAX_SPACY_CHARS, filler_cover, is_filler, segment_documents, spacy_pieces, tokenizable
from drift.textsafe import path_text, printable, valid_unicode

from .conftest import make_config

PAGE = "# Pricing\n\nEvery plan includes unlimited projects and a named success manager.\n"


def failure(path: Path, config: Config) -> IngestFailure:
    with pytest.raises(IngestFailure) as caught:
        list(parse_file(path, config))
    assert "\n" not in caught.value.reason and not caught.value.unexpected, caught.value.reason
    return caught.value


def finishes(target, seconds: float = 60.0) -> None:
    """Run `target` on a thread and require it to return: a guard against hangs, not a timing."""
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "did not return: it blocked"


# ---------------------------------------------------------------- 1. a bad file is one bad file


def test_eight_bit_header_bytes_become_text(tmp_path: Path) -> None:
    path = tmp_path / "reply.eml"
    path.write_bytes(
        b"From: Jos\xe9 Garc\xeda <jose@lumenfreight.example>\nTo: dana@kestrelhq.com\n"
        b"Subject: Re: pricing for the warehouse team\nDate: Tue, 14 Jul 2026 08:05:00 -0400\n\n"
        b"We compared the team plan with what we pay today and it looks expensive for six seats.\n"
    )
    (doc,) = parse_file(path, make_config(tmp_path), side="sales")
    assert doc.turns[0].speaker == "José García"
    assert all(valid_unicode(field) == field for field in (doc.turns[0].text, doc.title or "", doc.turns[0].speaker))


def test_lone_surrogate_in_gong_json_is_replaced(tmp_path: Path) -> None:
    call = {"callTranscripts": [{"callId": "77", "transcript": [{"speakerId": "1", "sentences": [
        {"start": 0, "end": 900, "text": "We need weekly reports \ud800 for the regional managers."}]}]}]}
    path = tmp_path / "call.json"
    path.write_text(json.dumps(call), encoding="utf-8")  # json writes the "\ud800" escape
    (doc,) = parse_file(path, make_config(tmp_path), side="sales")
    assert "\ufffd" in doc.turns[0].text
    doc.turns[0].text.encode("utf-8")  # strict: would raise on a surrogate


def test_valid_unicode_repairs_escaped_bytes_pairs_and_strays() -> None:
    assert valid_unicode("Jos\udce9") == "José"  # cp1252 byte smuggled as a surrogate escape
    assert valid_unicode("caf\udcc3\udca9") == "café"  # UTF-8 bytes smuggled the same way
    assert valid_unicode("\ud83d\ude00") == "😀"  # a pair written in two halves
    assert valid_unicode("a\ud800b\x00c") == "a\ufffdbc"


def test_non_utf8_file_name_is_a_safe_key(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 notes.md"
    with open(raw, "wb") as handle:
        handle.write(PAGE.encode())
    (path,) = [p for p in discover([tmp_path], make_config(tmp_path)) if p.suffix == ".md"]
    key = store_key(path, make_config(tmp_path))
    assert key == "caf\\xe9 notes.md"
    key.encode("utf-8")
    (doc,) = parse_file(path, make_config(tmp_path), side="marketing")
    assert doc.turns


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: os.mkfifo(p), "named pipe"),
        (lambda p: os.symlink(p.name, p), "symbolic link loop"),
        (lambda p: os.symlink("nowhere.md", p), "broken symbolic link"),
    ],
)
def test_special_files_are_named_never_opened(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "odd.md"
    make(path)
    assert reason in (file_problem(path) or "")
    finishes(lambda: failure(path, make_config(tmp_path)))


def test_socket_is_named(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
    except OSError:
        pytest.skip("no unix sockets here")
    with server:
        assert "socket" in failure(path, make_config(tmp_path)).reason


def test_unreadable_folder_is_reported_not_skipped(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "ok.md").write_text(PAGE)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.md").write_text(PAGE)
    real_scandir, real_listdir = os.scandir, os.listdir

    def deny(fn):
        def call(path=".", *args):
            if Path(os.fsdecode(path)) == locked:
                raise PermissionError(13, "Permission denied", os.fsdecode(path))
            return fn(path, *args)
        return call

    monkeypatch.setattr(os, "scandir", deny(real_scandir))  # root reads everything: simulate the refusal
    monkeypatch.setattr(os, "listdir", deny(real_listdir))
    found = list(discover([tmp_path], make_config(tmp_path)))
    assert locked in found and tmp_path / "ok.md" in found
    assert "folder drift cannot read" in (file_problem(locked) or "")


@pytest.mark.parametrize("opening", ["[Book a demo](https://example.com/demo)\n\n", "{% include hero.html %}\n\n"])
def test_markdown_opening_with_bracket_is_markdown(tmp_path: Path, opening: str) -> None:
    path = tmp_path / "landing.md"
    path.write_text(opening + PAGE)
    (doc,) = parse_file(path, make_config(tmp_path), side="marketing")
    assert doc.format == "markdown"


# ---------------------------------------------------------------- 2. bounded work


def test_filler_matching_is_linear_in_words() -> None:
    # The cue that never finished: "mmhmm" thirty times and one real word.
    for repeats in (30, 300, 3000):
        text = "Buyer Person: " + "mmhmm " * repeats + "x"
        filler, steps = filler_cover(text)
        assert not filler
        assert steps <= 6 * (repeats + 3)
        filler, steps = filler_cover("mm-hmm, yeah, okay. " * repeats)
        assert filler and steps <= 6 * 4 * repeats


def test_filler_verdicts() -> None:
    for text in ["Yeah.", "Um, yeah, right.", "Can you hear me?", "Mm-hmm. Mm-hmm. Mm-hmm.", "You’re on mute, sorry."]:
        assert is_filler(text), text
    for text in ["Mm-hmm, we moved the whole warehouse team onto it.", "Okay, the budget is approved for Q4."]:
        assert not is_filler(text), text


def test_punctuation_runs_are_shortened_before_tokenising() -> None:
    assert tokenizable("Wait!!!!!! (((((((((x)))))))))") == "Wait!!! (((x)))"
    assert len(tokenizable("(" * 16_000)) == 3
    assert tokenizable("Costs $4... per host—really?!") == "Costs $4... per host—really?!"


def test_long_paragraph_is_cut_before_spacy() -> None:
    text = "We rolled the planner out to every depot last spring. " * 20_000  # 1.1 MB, over max_length
    pieces = spacy_pieces(text)
    assert "".join(pieces) == text and max(map(len, pieces)) <= MAX_SPACY_CHARS
    doc = Document(source="notes.txt", format="text", side="sales", channel="doc",
                   turns=(Turn(text, "Dana Whitfield", "rep"), Turn("(" * 16_000 + " ok then", "Dana Whitfield", "rep")))
    (_, segments) = next(segment_documents([doc]))
    assert len(segments) >= 19_000


def alias_bomb(levels: int = 9) -> str:
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join([*lines, f"title: *a{levels - 1}", "---", "", PAGE])


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.md"
    path.write_text(alias_bomb())
    assert len(path.read_bytes()) < 1000
    assert "max YAML aliases" in failure(path, make_config(tmp_path)).reason


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("---\nauthor: &me Owen Tsai\nreviewer: *me\ntitle: Pricing\n---\n" + PAGE)
    (doc,) = parse_file(path, make_config(tmp_path), side="marketing")
    assert doc.title == "Pricing"


def test_front_matter_size_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "tags.md"
    path.write_text("---\ntags: [" + ", ".join(["pricing"] * 12_000) + "]\n---\n" + PAGE)
    assert "max front matter size" in failure(path, make_config(tmp_path)).reason


def _docx(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_UNPACKED_BYTES", 4 * 2**20)  # the same check, a small bomb
    path = tmp_path / "proposal.docx"
    path.write_bytes(_docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (8 * 2**20)}))
    assert path.stat().st_size < 64 * 1024
    assert "max .docx unpacked size" in failure(path, make_config(tmp_path)).reason


def test_docx_entry_count_and_dtd_are_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_ENTRIES", 50)
    many = tmp_path / "many.docx"
    many.write_bytes(_docx({f"word/media/image{i}.png": b"x" for i in range(60)}))
    assert "max .docx entries" in failure(many, make_config(tmp_path)).reason
    entities = tmp_path / "entities.docx"
    xml = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><w:document/>'
    entities.write_bytes(_docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml}))
    assert "declares a DTD" in failure(entities, make_config(tmp_path)).reason


def test_html_depth_is_capped_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>x" * 200_000 + "</div>" * 200_000 + "</body></html>")
    assert "max HTML depth" in failure(path, make_config(tmp_path)).reason
    # Unclosed paragraphs and list items do not nest, nor do void elements.
    flat = "<ul>" + "<li><p>item<br><img src=x>" * 5_000 + "</ul>"
    assert limits.html_depth(flat) == 1


# ---------------------------------------------------------------- 5. escaping


def test_printable_shows_controls_bidi_and_breaks() -> None:
    name = "ok.md\n  skipped ok.md: all good\x1b]0;owned\x07\u202egnp.exe\x9b31m"
    shown = printable(name)
    assert "\n" not in shown and "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert shown.startswith("ok.md\\n  skipped")
    assert printable(path_text("caf\udce9.md")) == "caf\\xe9.md"
