"""Marketing copy: HTML, markdown, text in several encodings, PDF and Word."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from drift.config import Config
from drift.ingest import parse_file
from drift.ingest.copy import pdf_paragraphs

from .conftest import make_config, parse_one


def texts(relative: str, config: Config) -> list[str]:
    return [t.text for t in parse_one(relative, config).turns]


def test_html_keeps_headings_and_paragraphs_drops_site_chrome(config: Config) -> None:
    doc = parse_one("copy/solutions_returns.html", config)
    assert (doc.format, doc.channel) == ("html", "web")
    assert doc.title == "Returns and RMA automation | Kestrel"
    assert doc.date == date(2026, 8, 20)  # <time datetime>
    body = [t.text for t in doc.turns]
    assert "Every return, from dock to credit, on one board" in body  # h1 inside the hero <header>
    assert "Why returns stall" in body and "Approvals buried in a shared inbox" in body
    assert "72 hrs earlier warning on exceptions, from Kestrel Predict" in body  # text in a plain <div>
    assert "Before | After" in body and "11 days to credit | 2 days to credit" in body
    assert "“The cage is empty on Fridays now.”" in body
    joined = " ".join(body)
    for chrome in (
        "Log in",
        "Pricing",
        "cookies",
        "Work email",
        "JavaScript",
        "Privacy",
        "dataLayer",
        "Kestrel logo",
        "#0f1f3d",
    ):
        assert chrome not in joined
    credit = next(t for t in doc.turns if t.text.startswith("Kestrel turns the RMA spreadsheet"))
    assert "credit approval in Slack or Microsoft Teams, and a live board" in credit.text
    # Quotes cite the line of the source the block starts on.
    assert credit.locator == "line 20"
    stall = next(t for t in doc.turns if t.text.startswith("Most returns"))
    assert stall.locator == "line 26"
    assert next(t for t in doc.turns if t.text.startswith("Before")).locator == "line 34"


def test_markdown_front_matter_and_markup_removed(config: Config) -> None:
    doc = parse_one("copy/blog_time_to_value.md", config)
    assert doc.title == "Live in two weeks: what actually happens in those ten business days"
    assert doc.date == date(2026, 8, 4)
    body = [t.text for t in doc.turns]
    assert body[0] == "Live in two weeks"
    assert body[1] == (
        "Every vendor says fast implementation. Here is what ours looks like, day by day, "
        "based on the last forty customer launches."
    )
    assert "We rebuild your current approval path in the drag-and-drop editor." in body
    assert "5 | First workflow live in a sandbox" in body
    assert "Most teams publish their first workflow in an afternoon." in body  # raw HTML block
    assert "The enterprise rollout is the same, just with more approvers." in body
    joined = " ".join(body)
    for markup in ("title:", "](", "**", "![", "workflow: rma-intake", "<div", "---"):
        assert markup not in joined
    assert doc.turns[0].locator == "line 8"  # counted in the file, front matter included
    assert {t.speaker for t in doc.turns} == {"Owen Tsai"}


def test_plain_text_paragraphs_join_wrapped_lines(config: Config) -> None:
    doc = parse_one("copy/partner_faq.txt", config)
    assert [t.locator for t in doc.turns] == ["line 1", "line 3", "line 7", "line 10"]
    assert doc.turns[1].text == (
        "Kestrel gives third-party logistics teams one place to run the exceptions their clients care about: "
        "damaged freight, short shipments and returns waiting on a credit decision."
    )


def test_cp1252_text_falls_back_from_utf8(config: Config) -> None:
    body = texts("copy/brochure_cp1252.txt", config)
    assert body[0] == "Café-grade cold chain, without the spreadsheets"
    assert "Kestrel’s receiving workflow flags a reefer that arrives out of range — before" in body[1]
    assert body[2].startswith("“We stopped losing claims to paperwork,”")


def test_utf16_text_with_bom(config: Config) -> None:
    assert texts("copy/notes_utf16.txt", config)[0] == "Launch notes for the sales team"


def test_pdf_pages_headings_and_metadata(config: Config) -> None:
    doc = parse_one("copy/security_datasheet.pdf", config)
    assert doc.title == "Kestrel security datasheet"
    assert doc.date == date(2026, 9, 2)
    assert [(t.locator, t.text) for t in doc.turns] == [
        ("page 1", "Security at Kestrel"),
        # pypdf loses the gap between these two paragraphs; the heading stays separate.
        (
            "page 1",
            "Kestrel is SOC 2 Type II audited every year. Data is encrypted at rest with AES-256 and in "
            "transit with TLS 1.2 or later. Customer data is hosted in AWS us-east-2, with EU residency "
            "available on the Enterprise plan.",
        ),
        ("page 2", "Access control"),
        ("page 2", "SSO with Microsoft Entra ID, Okta or Google, and SCIM provisioning."),
    ]


def test_pdf_paragraphs() -> None:
    assert pdf_paragraphs("Our onboard-\ning team is two people.") == ["Our onboarding team is two people."]
    assert pdf_paragraphs("Pricing\nPer seat, billed annually.\n\nEnterprise: contact us.") == [
        "Pricing",
        "Per seat, billed annually.",
        "Enterprise: contact us.",
    ]


def test_docx_headings_tables_and_author(config: Config) -> None:
    doc = parse_one("copy/proposal_granite_peak.docx", config)
    assert doc.title == "Granite Peak Supply - Kestrel proposal"
    assert doc.date == date(2026, 9, 21)
    assert [t.text for t in doc.turns][-2:] == [
        "Starter | $1,200 per month, 10,000 runs",
        "Growth | $2,500 per month, 50,000 runs",
    ]
    assert doc.turns[3].locator == "Pricing"
    assert {t.speaker for t in doc.turns} == {"Dana Whitfield"}


def test_sales_side_document_is_a_doc_attributed_by_its_author(tmp_path: Path, config: Config) -> None:
    doc = parse_one("copy/proposal_granite_peak.docx", config, side="sales")
    assert (doc.side, doc.channel) == ("sales", "doc")
    assert {t.voice for t in doc.turns} == {"rep"}  # author Dana Whitfield is on the roster
    # No author: a sales-side page is still the sales team's writing (voices.py rule 4c).
    unattributed = parse_one("copy/partner_faq.txt", config, side="sales")
    assert {t.voice for t in unattributed.turns} == {"rep"}


def test_copy_outside_any_side_stays_unassigned(tmp_path: Path) -> None:
    page = tmp_path / "pages" / "about.md"
    page.parent.mkdir()
    page.write_text("# About us\n\nWe build operations software in Columbus, Ohio.\n", encoding="utf-8")
    (doc,) = parse_file(page, make_config(tmp_path))
    assert (doc.side, doc.channel) == (None, "web")
    assert {t.voice for t in doc.turns} == {"unknown"}


def test_field_records_are_a_page_not_a_transcript(config: Config) -> None:
    # "Problem: ... Solution: ..." repeats labels like speakers do, but in a fixed order.
    doc = parse_one("copy/customer-proof-points.md", config, side="sales")
    assert doc.format == "markdown" and doc.channel == "doc"
