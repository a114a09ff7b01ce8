"""The lead definition test on realistic snippets: each layout a definition comes in, and near-misses."""

from __future__ import annotations

import numpy as np
import pytest

from drift.config import Concept
from drift.measure.definitions import compare_definitions, find_expansions
from drift.store import SegmentTable

QUALIFIED_LEAD = Concept("qualified lead", ("qualified lead", "MQL", "SQL", "SAO", "qualified opportunity", "qualified"))
IDEAL = Concept("ideal customer", ("ideal customer", "ICP", "ideal customer profile", "persona"))


def table_of(documents: list[tuple[str, str, str | None, list[tuple[str, str, int]]]]) -> SegmentTable:
    """Documents as (source, voice, month, [(sentence, block kind, line)]); sentences of one block share a line."""
    text, voice, month, source, locator, doc_id, block, position = [], [], [], [], [], [], [], []
    for d, (path, who, when, sentences) in enumerate(documents):
        for p, (sentence, kind, line) in enumerate(sentences):
            text.append(sentence)
            voice.append(who)
            month.append(when)
            source.append(path)
            locator.append(f"line {line}" if kind != "speech" else f"00:{line:02d}:00")
            doc_id.append(f"doc{d}")
            block.append(None if kind == "speech" else kind)
            position.append(p)
    n = len(text)
    return SegmentTable(
        text=text, voice=np.array(voice, dtype=object), channel=np.array(["web"] * n, dtype=object),
        month=np.array(month, dtype=object), source=source, locator=locator, doc_id=doc_id,
        context=list(text), vectors=np.zeros((n, 0), np.float32), block=block, position=np.array(position),
    )


def by_name(results, name):
    return next(r for r in results if r.name == name)


def test_colon_list_definition_is_quoted_whole_with_its_items():
    table = table_of([
        ("marketing/lead-scoring.md", "marketing", "2025-03", [
            ("How we score inbound interest", "heading", 3),
            ("An MQL is any lead that meets one of the following:", "text", 5),
            ("Downloaded two or more gated assets in the last 30 days", "item", 6),
            ("Attended a live webinar and reached a lead score of at least 65 points", "item", 7),
            ("Requested a demo from the pricing page", "item", 8),
            ("Everything else stays in nurture until it qualifies.", "text", 10),
        ]),
        ("sales/qualification.md", "rep", "2025-04", [
            ("We consider a lead qualified when the rep has confirmed budget, a decision maker and a project this quarter.", "text", 12),
        ]),
    ])
    result = by_name(compare_definitions(table, [QUALIFIED_LEAD]), "qualified lead")
    marketing = result.definitions["marketing"][0]
    assert marketing.pattern == "colon-list"
    assert "Requested a demo from the pricing page" in marketing.quote.text
    assert "Everything else" not in marketing.quote.text  # the list ends where the prose resumes
    assert marketing.quote.locator == "line 5"
    kinds = {c.kind for c in marketing.criteria}
    assert {"behaviour", "threshold"} <= kinds
    rep_kinds = {c.kind for d in result.definitions["rep"] for c in d.criteria}
    assert {"budget", "authority", "timing"} <= rep_kinds
    assert result.status == "disagree"
    assert any("engagement" in d and "budget" in d for d in result.disagreements)


def test_table_rows_and_a_heading_with_its_paragraph():
    table = table_of([
        ("marketing/glossary.md", "marketing", None, [
            ("Term | Meaning", "row", 20),
            ("MQL | Marketing Qualified Lead - a contact whose engagement score passed 100 points", "row", 21),
        ]),
        ("sales/segments.md", "rep", None, [
            ("MQL definition", "heading", 40),
            ("For us an MQL only counts once the account has more than 75 engineers and a named champion.", "text", 42),
        ]),
    ])
    result = by_name(compare_definitions(table, [QUALIFIED_LEAD]), "qualified lead")
    assert result.definitions["marketing"][0].pattern == "glossary"
    heading = result.definitions["rep"][0]
    assert heading.pattern == "heading" and "75 engineers" in heading.quote.text
    units = {c.unit for d in result.definitions["rep"] for c in d.criteria if c.kind == "threshold"}
    assert "developers" in units
    assert any("Only sales sets a threshold in developers" in d for d in result.disagreements)


def test_spoken_definition_on_a_call():
    table = table_of([
        ("sales/calls/renewal.vtt", "rep", "2025-05", [
            ("So for this to be a qualified opportunity on our side, I need to know there's budget and that you sign off.", "speech", 4),
        ]),
    ])
    result = by_name(compare_definitions(table, [QUALIFIED_LEAD]), "qualified lead")
    spoken = result.definitions["rep"][0]
    assert spoken.pattern == "spoken"
    assert {"budget", "authority"} <= {c.kind for c in spoken.criteria}


def test_named_as_definition_finds_the_term_after_considered():
    table = table_of([
        ("sales/sdr.md", "rep", None, [
            ("When people interact with us, we assign points to each lead.", "text", 377),
            ("Once a lead reaches 100 points, they are considered a Marketing Qualified Lead or MQL.", "text", 377),
        ]),
    ])
    result = by_name(compare_definitions(table, [QUALIFIED_LEAD]), "qualified lead")
    definition = result.definitions["rep"][0]
    assert definition.pattern == "named-as"
    assert definition.quote.text.startswith("Once a lead reaches 100 points")
    assert any(c.kind == "threshold" and c.unit == "points" and c.low == 100 for c in definition.criteria)


def test_acronym_expanded_differently_by_each_side():
    table = table_of([
        ("marketing/ops.md", "marketing", None, [("A Marketing Qualified Lead (MQL) is a lead that has reached 100 points.", "text", 1)]),
        ("sales/glossary.md", "rep", None, [("MQL | Marketo Qualified Lead - an inquiry qualified through scoring", "row", 2)]),
    ])
    result = by_name(compare_definitions(table, [QUALIFIED_LEAD]), "qualified lead")
    assert result.expansions["MQL"] == {"marketing": ["Marketing Qualified Lead"], "rep": ["Marketo Qualified Lead"]}
    assert any("MQL is expanded differently" in d for d in result.disagreements)


def test_a_term_one_side_uses_but_nobody_defines():
    table = table_of([
        ("marketing/demand.md", "marketing", None, [
            ("If a lead is out of ICP, close it in the CRM and move on.", "text", 4),
            ("Leads within ICP go to the account team the same day.", "text", 5),
        ]),
        ("sales/handbook.md", "rep", None, [("Reps track the employees and industry of every account.", "text", 9)]),
    ])
    result = by_name(compare_definitions(table, [IDEAL]), "ideal customer")
    assert result.status == "undefined" and result.only_voice == "marketing"
    assert "only by marketing and never defined" in result.title
    assert result.usage_quotes["marketing"][0].source == "marketing/demand.md"


def test_dated_versions_keep_the_newest_of_near_identical_definitions():
    sentence = "A qualified lead is a company that attended a demo and has more than {n} devices."
    table = table_of([
        ("marketing/growth-2022-05-09.md", "marketing", "2022-05", [(sentence.format(n=100), "text", 10)]),
        ("marketing/growth-2023-08-25.md", "marketing", "2023-08", [(sentence.format(n=100), "text", 12)]),
    ])
    result = by_name(compare_definitions(table, [QUALIFIED_LEAD]), "qualified lead")
    assert [d.quote.month for d in result.definitions["marketing"]] == ["2023-08"]


@pytest.mark.parametrize("sentence", [
    "This is a great time to revisit your pipeline.",
    "Our pipeline is healthier than it was last quarter.",
    "Below is an example of a workflow that runs every hour.",
    "Is an MQL someone who downloaded the report?",
    "There is a qualified lead waiting in the queue for you.",
])
def test_sentences_that_only_look_like_definitions(sentence):
    table = table_of([("marketing/blog.md", "marketing", None, [(sentence, "text", 1)])])
    results = compare_definitions(table, [QUALIFIED_LEAD])
    assert all(not r.definitions for r in results)


def test_find_expansions_reads_both_orders():
    assert find_expansions("A Sales Accepted Opportunity (SAO) is created by the rep.") == [("SAO", "Sales Accepted Opportunity")]
    assert find_expansions("ICP - Ideal Customer Profile") == [("ICP", "Ideal Customer Profile")]
    assert find_expansions("We met the CTO (who was late).") == []


def test_definition_conflicts_with_a_reference():
    from drift.measure.definitions import CriteriaSummary, definition_conflicts

    engagement_only = CriteriaSummary(("behaviour",), (("points", 60.0, None, "at least 60 points"),), "An MQL is ...")
    bant = CriteriaSummary(("authority", "budget", "timing"), (("points", 100.0, None, "at least 100 points"),), "...")
    reasons = definition_conflicts(engagement_only, bant)
    assert any("at least 60 points" in r and "at least 100 points" in r for r in reasons)
    assert any("engagement alone" in r for r in reasons)
    assert definition_conflicts(bant, bant) == []


def test_a_definition_that_changed_between_dated_versions_of_a_page():
    table = table_of([
        ("marketing/handbook/leads-2021-03-02.md", "marketing", "2021-03", [
            ("A qualified lead is a contact that downloaded a whitepaper or attended a webinar.", "text", 8)]),
        ("marketing/handbook/leads-2021-09-14.md", "marketing", "2021-09", [
            ("A qualified lead is a contact with a confirmed budget and a decision maker on the call.", "text", 8)]),
    ])
    result = by_name(compare_definitions(table, [QUALIFIED_LEAD]), "qualified lead")
    (change,) = result.changes
    assert (change.before_month, change.after_month) == ("2021-03", "2021-09")
    assert change.before.source.endswith("leads-2021-03-02.md") and change.after.source.endswith("leads-2021-09-14.md")
    assert "dropped engagement" in change.summary and "budget" in change.summary
