"""Website and docs sources as they sit in a repository: page templates and Markdown dialects.

Template tags and dialect syntax are dropped, the words a reader sees are kept, and every
quote cites the line of the source file it starts on.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from drift.config import Config
from drift.ingest import detect_format, parse_file
from drift.ingest.markup import normalise_markdown, strip_template_tags
from drift.model import Document

from .conftest import FIXTURES, parse_one

SITE = FIXTURES / "site"
TEMPLATES = sorted(str(p.relative_to(FIXTURES)) for p in (SITE / "views").rglob("*.*"))
DOCS = sorted(str(p.relative_to(FIXTURES)) for p in (SITE / "docs").rglob("*.*"))
TEMPLATE_SYNTAX = re.compile(r"<%|%>|\{\{|\}\}|\{%|%\}|\{#|\{:|:::|!!!|^import |^export |<[A-Z]\w*[ >/]")


def by_text(doc: Document) -> dict[str, str | None]:
    return {turn.text: turn.locator for turn in doc.turns}


def source_line(relative: str, number: int) -> str:
    return (FIXTURES / relative).read_text(encoding="utf-8").split("\n")[number - 1]


@pytest.mark.parametrize("relative", TEMPLATES + DOCS)
def test_no_template_or_dialect_syntax_survives(relative: str, config: Config) -> None:
    doc = parse_one(relative, config, side="marketing")
    assert doc.turns
    for turn in doc.turns:
        assert not TEMPLATE_SYNTAX.search(turn.text.replace("<PlanPicker>", "")), turn.text


@pytest.mark.parametrize("relative", TEMPLATES + DOCS)
def test_every_quote_cites_the_source_line_it_starts_on(relative: str, config: Config) -> None:
    doc = parse_one(relative, config, side="marketing")
    for turn in doc.turns:
        match = re.fullmatch(r"line (\d+)", turn.locator or "")
        assert match, (turn.text, turn.locator)
        first_word = re.findall(r"\w+", turn.text)[0]
        assert first_word in source_line(relative, int(match.group(1))), (turn.text, turn.locator)


def test_templates_are_detected_by_extension() -> None:
    for relative in TEMPLATES:
        path = FIXTURES / relative
        assert detect_format(path, path.read_bytes()[:4096]) == "html", relative


def test_ejs_pricing_cards_keep_their_prices(config: Config) -> None:
    doc = parse_one("site/views/pages/pricing.ejs", config, side="marketing")
    assert doc.format == "html_template" and doc.channel == "web"
    assert doc.title == "Returns automation that pays for itself"
    turns = by_text(doc)
    # Each card's name, price, unit and fine print are tiny sibling blocks; read as one statement.
    assert turns["Starter · $19 /seat/month · (billed annually at $228)"] == "line 18"
    assert turns["Growth · $49 /seat/month · (billed annually, 10-seat minimum)"] == "line 38"
    assert turns["Enterprise · Custom · Volume pricing from 200 seats"] == "line 54"
    # Blocks that stand on their own stay apart: complete list items, FAQ answers, buttons.
    assert turns["Approvals in Slack or Microsoft Teams"] == "line 45"
    assert "NetSuite and Acumatica connectors" in turns
    assert turns["Start a trial"] == "line 26"  # a link between two cards is not part of either
    assert any(t.startswith("Is there a setup fee? No. Onboarding is included") for t in turns)
    # Text printed by template code is not in the file; the words around it are.
    assert "Prices in USD." in turns
    assert not any("plans.comparison" in t or "feature.name" in t for t in turns)


def test_erb_nunjucks_liquid_and_handlebars(config: Config) -> None:
    erb = by_text(parse_one("site/views/pages/security.html.erb", config, side="marketing"))
    assert erb["99.95% · uptime"] == "line 14"
    assert erb["SOC 2 · Type II"] == "line 18"
    assert "Need our data processing agreement? and we will send it the same day." in erb

    njk = parse_one("site/views/pages/case-study.njk", config, side="marketing")
    assert njk.title == "How Harbor Supply cut credit time in half"  # front matter
    assert njk.date == date(2026, 6, 18)
    assert {t.speaker for t in njk.turns} == {"Claire Donnelly"}
    assert by_text(njk)["Credit time down from 9 days to 4"] == "line 18"

    liquid = parse_one("site/views/pages/about.liquid", config, side="marketing")
    assert liquid.title == "About Kestrel"
    assert not any("careers feed" in t.text for t in liquid.turns)  # {% comment %} block dropped

    hbs = by_text(parse_one("site/views/pages/integrations.hbs", config, side="marketing"))
    assert hbs["Connects to the ERP you already run"] == "line 3"
    assert "Don't see yours? We build a connector with you in the first month." in hbs


def test_mdx_drops_imports_and_components_keeps_their_text(config: Config) -> None:
    doc = parse_one("site/docs/pricing.mdx", config, side="marketing")
    assert doc.format == "markdown"
    assert (doc.title, doc.date) == ("Plans and billing", date(2026, 8, 11))
    turns = by_text(doc)
    assert turns["Plans and billing"] == "line 15"
    assert turns["Every plan includes onboarding, unlimited warehouses on Growth, and a 14-day trial."] == "line 17"
    # Children of <TabItem>, indented or not, are prose (MDX has no indented code blocks).
    assert turns["Starter is $19 per seat each month, and you can cancel any time."] == "line 22"
    assert turns["Paying yearly saves two months on either plan."] == "line 26"
    assert turns[
        "Anyone who approves or inspects a return needs a seat. Dock staff who only scan labels do not."
    ] == "line 37"
    # Admonitions: the title is a heading of its own, the body is text.
    assert turns["Moving from spreadsheets"] == "line 40"
    assert turns["Annual plans are billed up front and are not refunded for unused months."] == "line 45"
    assert not any("track(" in t or "seatPrices" in t or "PlanTable" in t for t in turns)


def test_kramdown_liquid_and_admonitions_in_a_handbook_page(config: Config) -> None:
    doc = parse_one("site/docs/onboarding.md", config, side="sales")
    turns = by_text(doc)
    assert turns["The first two weeks"] == "line 15"
    assert (
        turns["Onboarding starts the day the order form is signed, not the day the kickoff call happens."]
        == "line 18"
    )
    assert turns["Why one warehouse first"] == "line 26"
    # The admonition body is indented four spaces: read as text, not as a code block.
    assert turns[
        "A single site shakes out reason codes and approvers before the others join. "
        "Customers who go live everywhere at once take longer, not shorter."
    ] == "line 27"
    assert turns["Never promise a go-live date before the ERP sandbox is confirmed."] == "line 31"
    assert turns["The connector team needs sandbox credentials before day three."] == "line 34"


def test_hugo_toml_front_matter_and_shortcodes(config: Config) -> None:
    doc = parse_one("site/docs/faq.md", config, side="marketing")
    assert (doc.title, doc.date) == ("Returns FAQ", date(2026, 7, 2))
    turns = by_text(doc)
    assert turns["Returns FAQ"] == "line 7"
    assert turns["Most questions about credit timing are answered by the exceptions board."] == "line 12"
    # Text between an opening and a closing shortcode on one line is kept.
    assert any(t.startswith("Approvers get a message with the photos") for t in turns)


def test_blanking_keeps_every_line() -> None:
    template = '<p>Plans from <%= price %>\n<%\n  // a comment\n%> per seat</p>\n{{!-- a }} tricky --}}\n{% if x %}ok{% endif %}'
    stripped = strip_template_tags(template)
    assert stripped.count("\n") == template.count("\n")
    assert "price" not in stripped and "tricky" not in stripped and "ok" in stripped
    mdx = "import A from 'a'\nexport const b = {\n  c: 1,\n}\n\n<A x={{y: 1}}>\n  Hello {name} there\n</A>\n"
    normal = normalise_markdown(mdx, mdx=True)
    assert normal.count("\n") == mdx.count("\n")
    assert normal.split("\n")[6].split() == ["Hello", "there"]
    assert "import" not in normal and "const" not in normal


def test_a_plain_html_page_keeps_its_braces_in_code(tmp_path: Path, config: Config) -> None:
    """Front matter in an HTML page (Jekyll) is metadata, not text."""
    page = tmp_path / "pricing.html"
    page.write_text(
        "---\ntitle: Pricing\ndate: 2026-05-01\n---\n<h1>Simple pricing</h1>\n"
        "<p>One price per approver, whatever the number of warehouses you run.</p>\n",
        encoding="utf-8",
    )
    doc = next(iter(parse_file(page, config, side="marketing")))
    assert (doc.title, doc.date) == ("Pricing", date(2026, 5, 1))
    assert by_text(doc) == {
        "Simple pricing": "line 5",
        "One price per approver, whatever the number of warehouses you run.": "line 6",
    }
