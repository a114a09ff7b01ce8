"""Render a CheckResult for a terminal, JSON, Markdown or GitHub workflow annotations."""

from __future__ import annotations

import json

from drift.check import Alert, CheckResult
from drift.results import to_jsonable
from drift.textsafe import printable

# Every field below that comes from a file (paths, quotes, locators, messages that quote the
# copy) goes through `printable` for the terminal and CI logs, and `md_escape` for Markdown:
# a transcript line holding an OSC title or hyperlink sequence, or a file named like a
# Markdown link, is shown as text.


def _evidence_lines(alert: Alert) -> list[str]:
    return [f"      {q.voice}: “{printable(q.text[:160])}” ({printable(q.source)}"
            f"{' · ' + printable(q.locator) if q.locator else ''}, sim {q.score})"
            for q in alert.evidence]


def render_text(result: CheckResult, verbose: bool = True) -> str:
    """`path:line:col: severity rule message` per alert (editor-friendly), then a verdict."""
    out = []
    for f in result.files:
        for a in f.alerts:
            out.append(f"{printable(a.path)}:{a.line}:{a.column}: {a.severity} {a.rule} {printable(a.message)}")
            if verbose:
                out.extend(_evidence_lines(a))
    counts = {s: sum(1 for a in result.alerts if a.severity == s) for s in ("error", "warning", "suggestion")}
    claims = sum(f.claims for f in result.files)
    unsupported = sum(f.unsupported for f in result.files)
    out.append(f"{'PASS' if result.passed else 'FAIL'}: {counts['error']} errors, {counts['warning']} warnings, "
               f"{counts['suggestion']} suggestions; {unsupported}/{claims} claims without rep or buyer support")
    return "\n".join(out) + "\n"


def render_json(result: CheckResult) -> str:
    """Alerts keyed by file, as Vale's JSON output is, plus the verdict."""
    return json.dumps({
        "passed": result.passed,
        "thresholds": result.thresholds,
        "files": {f.path: {"sentences": f.sentences, "claims": f.claims, "unsupported": f.unsupported,
                           "alerts": to_jsonable(f.alerts)} for f in result.files},
    }, indent=2, ensure_ascii=False) + "\n"


def _md_escape(text: str) -> str:
    """One table cell: control characters shown as escapes, then every Markdown special
    (links, images, emphasis, HTML, pipes) backslash-escaped."""
    # Imported here: drift.report's package imports the report's whole view (and spaCy with it),
    # which the other formats of a check never need.
    from drift.report.markdown import md_escape

    return md_escape(printable(text))


def render_markdown(result: CheckResult) -> str:
    lines = [f"### drift check: {'✅ pass' if result.passed else '❌ fail'}", "",
             "| file | line | severity | rule | message |", "|---|---|---|---|---|"]
    for a in result.alerts:
        lines.append(f"| {_md_escape(a.path)} | {a.line} | {a.severity} | {a.rule} | {_md_escape(a.message)} |")
    return "\n".join(lines) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    # Control characters first (a log viewer is a terminal too), then the workflow-command
    # escapes, so no value can end the annotation and start a command of its own.
    text = printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: one annotation per alert on its file and line."""
    level = {"error": "error", "warning": "warning", "suggestion": "notice"}
    out = [f"::{level[a.severity]} file={_gh_escape(a.path, True)},line={a.line},col={a.column},"
           f"endColumn={a.end_column},title={_gh_escape(a.rule, True)}::{_gh_escape(a.message)}" for a in result.alerts]
    return "\n".join(out) + ("\n" if out else "")


RENDERERS = {"text": render_text, "json": render_json, "md": render_markdown, "github": render_github}
