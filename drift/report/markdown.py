"""A short Markdown summary of an Analysis, fit for a chat message or a pull request.

Link-free: no URLs, anchors or images are written, and corpus text is escaped so
that a quote can neither break the layout, start a link, ping a user nor inject HTML.
"""

from __future__ import annotations

import re

from drift.report import view
from drift.results import Analysis
from drift.textsafe import printable

TOP_FINDINGS = 5
SUMMARY_CHARS = 300

# Backslash-escape the ASCII punctuation that Markdown (CommonMark, GFM) gives meaning to
# inside a line: emphasis, code, links, images, HTML, tables, headings, strikethrough,
# entities, math and @-mentions. List markers only matter at a line's start, and every
# escaped text here follows other text on its line.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&@$])")
_WS = re.compile(r"\s+")


def md_escape(text: object, limit: int | None = None) -> str:
    """Corpus or config text -> one Markdown-inert line (whitespace collapsed, specials escaped)."""
    flat = view.clip(text, limit) if limit else _WS.sub(" ", str(text or "")).strip()
    # Control characters (ESC sequences, bidi overrides) shown as escapes first: a summary is
    # also read with `cat` in a terminal and pasted into CI logs.
    escaped = _SPECIAL.sub(r"\\\1", printable(flat))
    # GFM autolinks bare "www." and scheme URLs even without brackets: break the pattern.
    escaped = escaped.replace("://", ":\\/\\/")
    return re.sub(r"(?i)\bwww\.", lambda m: m.group(0)[:3] + "\\.", escaped)


def _numbers(f) -> str:
    if f.insufficient:
        parts = ["insufficient evidence"]
    else:
        label = view.effect_label(f)
        effect = f"{label} {view.num(f.effect)}"
        if f.interval is not None:
            effect += f" ({view.level(f.interval)} {view.interval(f.interval)})"
        parts = [effect]
        if f.p_value is not None:
            parts.append(f"p {view.pval(f.p_value)}")
        if f.q_value is not None:
            parts.append(f"q {view.pval(f.q_value)}")
    if f.sample_sizes:
        sizes = ", ".join(f"{view.voice_label(v)} {view.count(n)}" for v, n in f.sample_sizes.items())
        parts.append(f"n: {md_escape(sizes)}")
    return ", ".join(parts)


def render_markdown(analysis: Analysis) -> str:
    run = analysis.run
    company = f"{md_escape(run.company)}: " if run.company else ""
    lines = [f"**{company}drift report**", ""]
    facts = [f"generated {md_escape(run.generated_at)}",
             f"{view.count(analysis.corpus.documents)} documents",
             f"{view.count(analysis.corpus.files)} files"]
    if run.since or run.until:
        facts.append(f"period {md_escape(run.since or 'start')} to {md_escape(run.until or 'now')}")
    lines += ["_" + ", ".join(facts) + "_", ""]

    lines.append("**Alignment** (1 = the voices mean the same thing):")
    if not analysis.alignment:
        lines.append("- no voice pair had enough evidence")
    previous = analysis.previous_alignment or {}
    for pair, value in analysis.alignment.items():
        text = f"- {md_escape(view.pair_label(pair))}: "
        if value is None:
            text += "insufficient evidence"
        else:
            text += view.num(value)
            before = previous.get(pair)
            if analysis.previous_alignment is not None and before is not None:
                delta = value - before
                change = view.signed(delta) if round(delta, 2) != 0 else "unchanged"
                text += f" ({change} since the previous run)"
        lines.append(text)
    lines.append("")

    findings = analysis.findings[:TOP_FINDINGS]
    lines.append(f"**Top {len(findings)} of {len(analysis.findings)} findings:**" if findings
                 else "**Findings:** none")
    for i, f in enumerate(findings, 1):
        title = md_escape(f.title, 120)
        summary = md_escape(f.summary, SUMMARY_CHARS)
        lines.append(f"{i}. **{title}**: {summary} \u2014 {_numbers(f)}")
    lines.append("")
    lines += _definitions(analysis)
    lines += _contradictions(analysis)
    lines += _timeline(analysis)
    if analysis.corpus.failed_files:
        lines.append(f"{view.count(len(analysis.corpus.failed_files))} files could not be read; "
                     "see the HTML report's Method and data section.")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


DEFINITIONS_SHOWN = 3  # concepts whose definitions the summary sets side by side


def _definitions(analysis: Analysis) -> list[str]:
    """The lead definition test in a few lines: per concept, each side's first definition."""
    shown = [c for c in analysis.definitions if c.status in ("disagree", "agree")][:DEFINITIONS_SHOWN]
    if not shown:
        return []
    lines = ["**Definitions** (what each side says the term means):"]
    for c in shown:
        lines.append(f"- **{md_escape(c.title, 120)}**")
        for voice in view.definition_voices(c):
            defs = c.definitions.get(voice)
            if defs:
                q = defs[0].quote
                where = md_escape(view.source_line(q), 120)
                lines.append(f"  - {md_escape(view.voice_label(voice))}: “{md_escape(q.text, 240)}” ({where})")
        for disagreement in c.disagreements[:2]:
            lines.append(f"  - {md_escape(disagreement, 200)}")
    lines.append("")
    return lines


TIMELINE_SHOWN = 5  # dated changes the summary lists, most important first


def _timeline(analysis: Analysis) -> list[str]:
    """The most important dated changes between versions of pages, each version quoted once."""
    shown = sorted(getattr(analysis, "changes", []), key=lambda c: -c.importance)[:TIMELINE_SHOWN]
    if not shown:
        return []
    lines = ["**Timeline** (what changed between versions of a page):"]
    for c in shown:
        lines.append(f"- {md_escape(view.change_dates(c), 40)}: **{md_escape(c.title, 160)}**: {md_escape(c.summary, SUMMARY_CHARS)}")
        for label, quotes in (("before", c.quotes_before[-1:]), ("after", c.quotes_after[:1])):
            for q in quotes:
                where = md_escape(view.source_line(q), 120)
                lines.append(f"  - {label}: “{md_escape(q.text, 240)}” ({where})")
    lines.append("")
    return lines


CONTRADICTIONS_SHOWN = 3  # contradictions the summary quotes side by side


def _contradictions(analysis: Analysis) -> list[str]:
    """The clearest contradictions: what fired, and one sentence from each side with its place."""
    shown = analysis.contradictions[:CONTRADICTIONS_SHOWN]
    if not shown:
        return []
    lines = ["**Contradictions** (one side says the opposite of another):"]
    for c in shown:
        lines.append(f"- **{md_escape(c.title, 120)}**: {md_escape(c.summary, SUMMARY_CHARS)}")
        for voice in c.voices:
            for q in c.quotes.get(voice, [])[:1]:
                where = md_escape(view.source_line(q), 120)
                lines.append(f"  - {md_escape(view.voice_label(voice))}: “{md_escape(q.text, 240)}” ({where})")
    lines.append("")
    return lines
