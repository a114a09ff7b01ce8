"""The report: one self-contained HTML file, with JSON and Markdown twins.

All three render the same `drift.results.Analysis` and compute nothing:

    render_html(analysis) -> str      the monthly review report (inline CSS and SVG, no script)
    render_json(analysis) -> str      every field, validated by drift/report/schema.json
    render_markdown(analysis) -> str  a short summary for a chat message or a pull request
    write_report(analysis, path, format="html" | "json" | "md")

The same Analysis renders to the same bytes; the only time-varying text is
`analysis.run.generated_at`, which the Analysis carries.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from drift.model import VOICE_PAIRS, VOICES
from drift.report import svg, view
from drift.report.markdown import render_markdown
from drift.results import SCHEMA_VERSION, Analysis, to_jsonable

TEMPLATES = Path(__file__).parent / "templates"
SCHEMA_PATH = Path(__file__).parent / "schema.json"
FORMATS = ("html", "json", "md")

__all__ = [
    "FORMATS", "SCHEMA_PATH", "load_schema", "render_html", "render_json", "render_markdown",
    "write_report",
]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, every value: corpus text is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(view.FILTERS)
    env.globals.update(
        svg=svg,
        view=view,
        VOICES=VOICES,
        VOICE_PAIRS=VOICE_PAIRS,
        SCHEMA_VERSION=SCHEMA_VERSION,
    )
    return env


def render_html(analysis: Analysis) -> str:
    """The report as one HTML document (str). Same Analysis in, same string out."""
    anchors = view.Anchors.build(analysis)
    targets = [view.finding_target(analysis, anchors, f) for f in analysis.findings]
    template = _environment().get_template("report.html.j2")
    return template.render(a=analysis, ids=anchors, targets=targets)


def _finite_only(value: Any) -> Any:
    """NaN and infinities (numpy's included) become null: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite_only(v) for v in value]
    return value


def render_json(analysis: Analysis) -> str:
    """Every field of the Analysis as JSON, in the order the measures gave it."""
    data = _finite_only(to_jsonable(analysis))
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def load_schema() -> dict:
    """The JSON Schema (draft 2020-12) of `render_json`'s output."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


_RENDERERS = {"html": render_html, "json": render_json, "md": render_markdown}


def write_report(analysis: Analysis, path: str | Path, format: str = "html") -> Path:
    """Render in `format` ("html", "json" or "md") and write UTF-8 to `path`; returns the path."""
    fmt = format.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown report format {format!r}: use one of {', '.join(FORMATS)}")
    text = _RENDERERS[fmt](analysis)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return out
