"""ICP facet extraction on known sentences."""

import pytest

from drift.config import DEFAULT_SIZE_BANDS, DEFAULT_SIZE_WORDS
from drift.measure.facets import company_sizes, extract_facets, parse_number, revenue_band, size_band, title_role


def sizes(text):
    return [m.category for m in company_sizes(text, DEFAULT_SIZE_BANDS, DEFAULT_SIZE_WORDS)]


@pytest.mark.parametrize(
    "digits, scale, expected",
    [("1,200", None, 1200), ("5", "k", 5000), ("2.5", "thousand", 2500), ("300", None, 300)],
)
def test_parse_number(digits, scale, expected):
    assert parse_number(digits, scale) == expected


@pytest.mark.parametrize(
    "count, band", [(1, "small business"), (99, "small business"), (100, "mid-market"), (999, "mid-market"), (1000, "enterprise"), (250000, "enterprise")]
)
def test_size_band_edges(count, band):
    assert size_band(count, DEFAULT_SIZE_BANDS) == band


@pytest.mark.parametrize(
    "text, expected",
    [
        ("So we're about 300 people, two DCs.", ["mid-market"]),
        ("Built for enterprises with 5,000+ employees.", ["enterprise"]),
        ("Companies with 1,000-5,000 employees", ["enterprise"]),
        ("We have 200+ engineers in three offices", ["mid-market"]),
        ("a 40 person shop, honestly", ["small business"]),
        ("Trusted by Fortune 1000 operations teams", ["enterprise"]),
        ("we're mid-market, I'd say", ["mid-market"]),
        ("around 2k employees across the group", ["enterprise"]),
        ("We moved the meeting to 3 pm.", []),
        ("We shipped 4,000 orders last week.", []),
    ],
)
def test_company_sizes(text, expected):
    assert sizes(text) == expected


def test_range_is_one_mention_at_its_midpoint():
    assert sizes("somewhere between 50 and 120 employees") == ["small business"]  # midpoint 85
    assert sizes("80-150 employees") == ["mid-market"]


def test_revenue_bands():
    assert [m.category for m in revenue_band("We are at $40M ARR")] == ["under $50M"]
    assert [m.category for m in revenue_band("a $2.5B manufacturer")] == ["over $1B"]


def test_roles_keep_acronym_case():
    found = {(m.facet, m.category) for m in extract_facets("Our IT director and the CIO signed off", {}, {})}
    assert ("role", "IT leaders") in found
    assert extract_facets("it is fine, it works", {}, {}) == []


@pytest.mark.parametrize(
    "title, role",
    [("VP, Operations", "operations leaders"), ("Director of Operations", "operations leaders"),
     ("Head of Fulfillment", "operations leaders"), ("Warehouse Manager", "operations practitioners"),
     ("Controller", "finance practitioners"), ("Chief Information Officer", "IT leaders"), ("Intern", None)],
)
def test_title_role(title, role):
    assert title_role(title) == role


def test_stack_and_industry():
    found = {(m.facet, m.category) for m in extract_facets("We're a 3PL on NetSuite with a shared inbox for returns", {}, {})}
    assert {("industry", "logistics & transportation"), ("stack", "NetSuite"), ("stack", "spreadsheets / email")} <= found


def test_product_and_plan_names_are_not_company_sizes():
    assert sizes("We're on QuickBooks Enterprise and it's fine") == []
    assert sizes("The Enterprise plan adds SSO") == []
    assert sizes("Built for the enterprise") == ["enterprise"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Target buyer personas include CIO, CTO, VP of Application Development, and App Developer/DevOps Engineer.",
         {"IT leaders", "engineering leaders", "engineering practitioners", "platform & DevOps practitioners"}),
        ("We sell to data engineers and growth marketers.", {"data & analytics practitioners", "marketing practitioners"}),
        ("RevOps leaders own the forecast.", {"sales & revenue leaders"}),
        ("IT and security teams love it.", {"security practitioners"}),
        # Near-misses: "owner", "lead" or "principal" alone is not a role.
        ("Once you've been added as an owner, you can edit the page.", set()),
        ("The principal lead will send the agenda.", set()),
        ("Leads are routed within the hour.", set()),
    ],
)
def test_roles_need_a_role_like_noun(text, expected):
    assert {m.category for m in extract_facets(text, {}, {}) if m.facet == "role"} == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Teams in a 10-250 employee range get the self-serve plan.", ["mid-market"]),  # midpoint 130
        ("Accounts with employee count > 100 go to the field team.", ["mid-market"]),
        ("Enterprise means 1,000+ employees, full stop.", ["enterprise"]),
        (">= 5,000 employees", ["enterprise"]),
        ("Account has more than 75 engineers", ["small business"]),
    ],
)
def test_sizes_with_comparators_and_ranges(text, expected):
    assert sizes(text) == expected


def test_size_quantities_keep_units_other_than_headcount():
    from drift.measure.facets import size_quantities

    units = {q.unit for q in size_quantities("300+ seats, over 500 hosts and > 40 developers")}
    assert units == {"seats", "hosts", "developers"}
