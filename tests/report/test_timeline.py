"""The Timeline: dated changes between versions of pages in HTML, Markdown and JSON, both
versions quoted, untrusted text escaped, the JSON valid against the schema."""

from __future__ import annotations

import json

import jsonschema

from drift.model import Finding, Quote
from drift.report import load_schema, render_html, render_json, render_markdown
from drift.results import Change


def page_quote(text: str, source: str, line: int, month: str) -> Quote:
    return Quote(text=text, voice="marketing", source=source, locator=f"line {line}", month=month, channel="web")


def with_changes(analysis):
    price = Change(
        page="marketing/web/pricing", side="marketing", voice="marketing", kind="value",
        title="Marketing page “pricing”: entry price changed twice ($29 /seat/month → $35 /seat/month → $39 /seat/month)",
        summary="Between 2025-02 and the current version, marketing's page “pricing” changed its entry price twice.",
        date_from="2025-02-03", date_to=None,
        quotes_before=[page_quote("Team · $29 /seat/month", "marketing/web/pricing-2025-02-03.html", 40, "2025-02")],
        quotes_after=[page_quote("Team · $39 /seat/month", "marketing/web/pricing.html", 42, None)],
        quantities_before=["$29 /seat/month", "$35 /seat/month"], quantities_after=["$39 /seat/month"],
        importance=0.65,
        series=[{"date": "2025-02-03", "version": "2025-02-03", "value": "$29 /seat/month", "number": 29.0,
                 "source": "marketing/web/pricing-2025-02-03.html", "locator": "line 40"},
                {"date": "2025-06-10", "version": "2025-06-10", "value": "$35 /seat/month", "number": 35.0,
                 "source": "marketing/web/pricing-2025-06-10.html", "locator": "line 40"},
                {"date": None, "version": "current", "value": "$39 /seat/month", "number": 39.0,
                 "source": "marketing/web/pricing.html", "locator": "line 42"}],
        details={"measure": "entry price", "unit": "usd", "per": ["seat", "month"], "changes": 2},
    )
    playbook = Change(
        page="sales/playbook", side="sales", voice="rep", kind="practice",
        title="Sales page “playbook”: stopped naming “BANT” and began naming “SPICED” <script>alert(1)</script>",
        summary="On 2024-03-01 the page names “BANT” (3 sentences); on 2025-01-15 none of these.",
        date_from="2024-03-01", date_to="2025-01-15",
        quotes_before=[Quote("Qualify with BANT before the demo.", "rep", "sales/playbook-2024-03-01.md", "line 9", "2024-03", "doc")],
        quotes_after=[Quote("Run SPICED on every discovery call.", "rep", "sales/playbook-2025-01-15.md", "line 7", "2025-01", "doc")],
        importance=0.5,
    )
    analysis.changes = [price, playbook]
    analysis.findings.append(Finding(
        kind="change", title=price.title, summary=price.summary, voices=("marketing",), effect=2.0, interval=None,
        p_value=None, q_value=None, sample_sizes={"versions": 3},
        quotes={"before": price.quotes_before, "after": price.quotes_after}, importance=0.65, subject=price.page,
    ))
    return analysis


def test_timeline_in_html_lists_both_sides_with_both_versions(analysis):
    html = render_html(with_changes(analysis))
    assert 'id="timeline"' in html and 'href="#timeline"' in html
    section = html[html.index('id="timeline"'):html.index('id="concepts"')]
    assert section.index("Marketing") < section.index("Sales")
    assert "2025-02-03 → current" in section and "2024-03-01 → 2025-01-15" in section
    assert "$35 /seat/month" in section and "pricing-2025-06-10.html" in section  # every version's figure
    assert "Qualify with BANT before the demo." in section and "Run SPICED on every discovery call." in section
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in section


def test_timeline_in_markdown_and_json(analysis):
    analysis = with_changes(analysis)
    markdown = render_markdown(analysis)
    assert "**Timeline**" in markdown and "2025-02-03 → current" in markdown
    document = json.loads(render_json(analysis))
    validator = jsonschema.Draft202012Validator(load_schema())
    errors = list(validator.iter_errors(document))
    assert not errors, [e.message for e in errors]
    assert [c["kind"] for c in document["changes"]] == ["value", "practice"]
    assert document["changes"][0]["series"][-1]["date"] is None
