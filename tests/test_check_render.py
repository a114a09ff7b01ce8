"""check's renderers show file-borne text as text: no terminal escapes, no Markdown links,
no forged workflow commands."""

from __future__ import annotations

from drift.check import Alert, CheckResult, FileResult
from drift.check_render import render_github, render_markdown, render_text
from drift.model import Quote

HOSTILE_QUOTE = "we use it daily \x1b]0;owned\x07 \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \u202egnp.exe"
HOSTILE_PATH = "[launch](https://evil.example)/![pixel](https://evil.example/p.png)\n::error::forged.md"


def result() -> CheckResult:
    quote = Quote(HOSTILE_QUOTE, "buyer", "calls/\x1b[31mred.vtt", "00:01:02", "2026-07", None, 0.41)
    alert = Alert(HOSTILE_PATH, 3, 1, 9, "error", "drift.ConceptSense", "used \x1b[2J in a new sense", (quote,))
    return CheckResult([FileResult(HOSTILE_PATH, 4, 1, 1, [alert])], False, {})


def test_text_output_has_no_control_characters() -> None:
    out = render_text(result())
    assert not any(ch in out for ch in "\x1b\x07\u202e")
    assert out.count("\n") == 3  # one alert line, one evidence line, the verdict: nothing forged


def test_github_annotations_cannot_start_a_command() -> None:
    out = render_github(result())
    assert out.count("\n") == 1 and out.startswith("::error file=") and "\x1b" not in out
    assert "%3A%3Aerror%3A%3Aforged.md" in out


def test_markdown_escapes_links_and_images() -> None:
    out = render_markdown(result())
    assert "](" not in out.replace("\\](", "") and "![" not in out.replace("\\!\\[", "")
    assert "\\[launch\\]" in out and "\x1b" not in out
