"""The Markdown summary: short, link-free, numbers included, corpus text made inert."""

from __future__ import annotations

import re

from drift.report import render_markdown
from drift.report.markdown import md_escape


def test_markdown_summary_content(analysis):
    md = render_markdown(analysis)
    assert md.startswith("**Kestrel Labs: drift report**\n")
    assert "- Marketing ↔ Reps: 0.41 (−0.06 since the previous run)" in md
    assert "- Marketing ↔ Buyers: 0.38 (unchanged since the previous run)" in md
    assert "- Reps ↔ Buyers: insufficient evidence" in md
    assert "**Top 5 of 7 findings:**" in md
    items = re.findall(r"^(\d+)\. ", md, re.M)
    assert items == ["1", "2", "3", "4", "5"]
    first = next(line for line in md.splitlines() if line.startswith("1. "))
    assert "drift 0.58 (95% CI 0.47–0.66)" in first and "p 0.001" in first and "q 0.004" in first
    assert "n: Marketing 124, Reps 88" in first
    assert len(md) < 3000


def test_markdown_is_link_free_and_escaped(make_analysis):
    a = make_analysis()
    a.findings[0].summary = ("See [our page](javascript:alert(1)) or https://evil.example/x or www.evil.example, "
                             "ping @dana, <script>alert(1)</script> *bold* _it_ `code` | pipe ~~strike~~ $x$")
    a.findings[1].title = "# not a heading\nsecond line"
    md = render_markdown(a)
    assert "<script>" not in md and "\\<script\\>" in md
    assert not re.search(r"(?<!\\)\]\(", md) and not re.search(r"(?<!\\)\[our page", md)
    assert "https://" not in md and "www.evil" not in md
    assert "\\@dana" in md and "\\*bold\\*" in md and "\\_it\\_" in md and "\\`code\\`" in md
    assert "\\|" in md and "\\~\\~" in md and "\\$x\\$" in md
    assert not any(line.startswith("#") for line in md.splitlines())
    assert "not a heading second line" in md  # newlines in corpus text never start a new block


def test_md_escape_leaves_plain_words_alone():
    assert md_escape("Qualified lead: budget, timing (this quarter) - 60 points.") == \
        "Qualified lead: budget, timing (this quarter) - 60 points."


def test_markdown_without_previous_run_or_findings(make_analysis):
    a = make_analysis()
    a.previous_alignment = None
    a.findings = []
    md = render_markdown(a)
    assert "since the previous run" not in md
    assert "**Findings:** none" in md
