"""Changes between versions of pages, on a small store-shaped table with real embeddings:
figures followed across versions, acronyms replaced, a term scoped differently after a
rewrite, and rewordings or formatting that change nothing."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from drift.measure.changes import change_findings, page_changes
from drift.store import SegmentTable

PRICING = {
    "web/pricing-2024-01-10.md": (date(2024, 1, 10), [
        ("Plans", "heading", None),
        ("Starter · $19 /user/month", "text", "Plans"),
        ("Every plan includes unlimited workflows and email support.", "text", "Plans"),
        ("Our support team answers every ticket within one business day.", "text", "Plans"),
    ]),
    "web/pricing-2024-05-02.md": (date(2024, 5, 2), [
        ("Plans", "heading", None),
        ("Starter · $24 /user/month", "text", "Plans"),
        ("Every plan includes unlimited workflows and email support.", "text", "Plans"),
        ("Every ticket gets an answer from our support team within one business day.", "text", "Plans"),
    ]),
    "web/pricing-2024-08-20.md": (date(2024, 8, 20), [
        ("Plans", "heading", None),
        ("**Starter** · $24 /user/month", "text", "Plans"),  # formatting only: not a version of its own
        ("Every plan includes unlimited workflows and email support.", "text", "Plans"),
        ("Every ticket gets an answer from our support team within one business day.", "text", "Plans"),
    ]),
    "web/pricing.md": (None, [
        ("Plans", "heading", None),
        ("Starter · $29 /user/month", "text", "Plans"),
        ("Every plan includes unlimited workflows and email support.", "text", "Plans"),
        ("Every ticket gets an answer from our support team within one business day.", "text", "Plans"),
    ]),
}
PLAYBOOK = {
    "playbook/discovery-2023-03-01.md": (date(2023, 3, 1), [
        ("Leads reach us from inbound marketing and from outbound outreach by the SDR team.", "text", None),
        ("Qualify every opportunity with BANT before you book a demo.", "text", None),
        ("A BANT gap means the deal stays in discovery.", "text", None),
        ("Send the recap email within a day of the call.", "text", None),
    ]),
    "playbook/discovery-2024-02-12.md": (date(2024, 2, 12), [
        ("We are just doing inbound sales this year, so every lead has asked to talk to us.", "text", None),
        ("Review each opportunity against MEDDIC every week with your manager.", "text", None),
        ("Send the recap email within a day of the call.", "text", None),
    ]),
}


@pytest.fixture(scope="module")
def corpus(encoder):
    texts, voices, channels, months, sources, locators, doc_ids, blocks, sections, positions = ([] for _ in range(10))
    documents = []
    for side, channel, voice, pages in (("marketing", "web", "marketing", PRICING), ("sales", "doc", "rep", PLAYBOOK)):
        for path, (when, rows) in pages.items():
            doc = f"doc-{len(documents)}"
            documents.append({"doc_id": doc, "path": path, "date": when, "month": when.strftime("%Y-%m") if when else None,
                              "side": side, "channel": channel})
            for position, (text, block, section) in enumerate(rows):
                texts.append(text)
                voices.append(voice)
                channels.append(channel)
                months.append(when.strftime("%Y-%m") if when else None)
                sources.append(path)
                locators.append(f"line {position + 3}")
                doc_ids.append(doc)
                blocks.append(block)
                sections.append(section)
                positions.append(position)
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    table = SegmentTable(text=texts, voice=np.array(voices, dtype=object), channel=np.array(channels, dtype=object),
                         month=np.array(months, dtype=object), source=sources, locator=locators, doc_id=doc_ids,
                         context=[""] * len(texts), vectors=vectors, block=blocks, position=np.array(positions),
                         section=sections)
    return table, documents


def test_a_price_is_followed_across_versions_and_the_other_side_is_checked(corpus):
    table, documents = corpus
    changes = page_changes(table, documents)
    values = [c for c in changes if c.kind == "value"]
    assert len(values) == 1
    price = values[0]
    assert price.page == "web/pricing" and price.voice == "marketing"
    assert [p["value"] for p in price.series] == ["$19 /user/month", "$24 /user/month", "$29 /user/month"]
    assert [p["date"] for p in price.series] == ["2024-01-10", "2024-05-02", None]  # 2024-08-20 was formatting
    assert price.details["changes"] == 2 and price.date_from == "2024-01-10" and price.date_to is None
    assert price.quotes_before[0].source == "web/pricing-2024-01-10.md" and price.quotes_before[0].locator == "line 4"
    assert price.quotes_after[0].source == "web/pricing.md"
    assert "No sales page, call or email states a price." in price.summary


def test_a_rewording_with_the_same_meaning_is_no_change(corpus):
    table, documents = corpus
    changes = page_changes(table, documents)
    assert not [c for c in changes if c.page == "web/pricing" and c.kind != "value"]


def test_a_replaced_framework_and_a_narrowed_practice_are_changes(corpus):
    table, documents = corpus
    changes = {c.kind: c for c in page_changes(table, documents) if c.page == "playbook/discovery"}
    practice = changes["practice"]
    assert practice.details["gone"][:2] == ["BANT", "SDR"] and practice.details["new"] == ["MEDDIC"]
    assert practice.date_from == "2023-03-01" and practice.date_to == "2024-02-12"
    statement = changes["statement"]
    assert statement.details["subject"] == "inbound" and "“just” added" in statement.title
    assert "outbound outreach" in statement.quotes_before[0].text and "just doing inbound" in statement.quotes_after[0].text


def test_changes_become_findings_with_both_versions_quoted(corpus):
    table, documents = corpus
    findings = change_findings(page_changes(table, documents))
    assert findings and all(f.kind == "change" and f.quotes["before"] and f.quotes["after"] for f in findings)
    assert findings[0].subject == "web/pricing"
