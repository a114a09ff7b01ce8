"""The shared quantity normaliser, on sentences written the way handbooks, pricing pages and
calls write them, with their known readings; and the near-misses that are not quantities."""

from __future__ import annotations

import pytest

from drift.measure.quantities import Quantity, conflicts, find_quantities, overlap, same_measure


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def reading(q: Quantity) -> tuple:
    return (q.unit, q.low, q.high, q.comparator, q.per)


@pytest.mark.parametrize("text, expected", [
    ("Enterprise means 1,000+ employees on the org chart.", ("employees", 1000, None, ">=", ())),
    ("Route it to the strategic team when it is >= 5,000 employees.", ("employees", 5000, None, ">=", ())),
    ("Filter: employee count > 100", ("employees", 100, None, ">", ())),
    ("We mostly sell into a 10-250 employee range.", ("employees", 10, 250, "range", ())),
    ("- Mid-Market = 101-2000 total employees", ("employees", 101, 2000, "range", ())),
    ("Their platform group alone has 300 engineers.", ("developers", 300, 300, "=", ())),
    ("Only accounts with > 40 developers get a named AE.", ("developers", 40, None, ">", ())),
    ("The account has more than 75 engineers.", ("developers", 75, None, ">", ())),
    ("Anything at 300+ seats needs deal desk approval.", ("seats", 300, None, ">=", ())),
    ("AND at least 1,500 employees", ("employees", 1500, None, ">=", ())),
    ("Companies purchasing under 100 device licenses should sign up online.", ("devices", None, 100, "<", ())),
    ("The top plan is for fleets of over 500 hosts.", ("hosts", 500, None, ">", ())),
    ("Premium covers up to 500 hosts*", ("hosts", None, 500, "<=", ())),
    ("Managed hosting is only for customers with 700+ hosts.", ("hosts", 700, None, ">=", ())),
    ("Team plan: $4 /host/month", ("usd", 4, 4, "=", ("host", "month"))),
    ("A flat $3500/month for the whole fleet.", ("usd", 3500, 3500, "=", ("month",))),
    ("Starting at $7.00 / host / month", ("usd", 7, 7, "=", ("host", "month"))),
    ("(USD, billed annually at $48)", ("usd", 48, 48, "=", ("year",))),
    ("Overage is $0.0009/app execution.", ("usd", 0.0009, 0.0009, "=", ("execution",))),
    ("Self-hosted overage is $120 per CPU core.", ("usd", 120, 120, "=", ("cpu_core",))),
    ("Reps can offer 20% off to close this quarter.", ("percent", 20, 20, "=", ())),
    ("Roughly a third of our deals close without a demo.", ("percent", 100 / 3, 100 / 3, "=", ())),
    ("Tell them to plan for six weeks of onboarding.", ("weeks", 6, 6, "=", ())),
    ("Most customers go live in a day.", ("days", None, 1, "<=", ())),
    ("A lead becomes an MQL at 100 points.", ("points", 100, 100, "=", ())),
    ("Routing happens when a record has no less than 30 points", ("points", 30, None, ">=", ())),
    ("Behavior score > 10 pts.", ("points", 10, None, ">", ())),
    ("We cap pilots at two weeks.", ("weeks", 2, 2, "=", ())),
    ("Bundles start at a dozen seats.", ("seats", 12, 12, "=", ())),
    ("They run fifty hosts in two regions.", ("hosts", 50, 50, "=", ())),
    ("Only count opportunities at stage 3 or later.", ("stage", 3, None, ">=", ())),
    ("Renewals drop by twenty-five percent without a QBR.", ("percent", 25, 25, "=", ())),
    ("No more than 3 integrations are included.", ("integrations", None, 3, "<=", ())),
])
def test_reads_quantities(text, expected):
    q = only(text)
    unit, low, high, comparator, per = expected
    assert q.unit == unit and q.comparator == comparator and q.per == per
    assert (q.low is None) == (low is None) and (q.high is None) == (high is None)
    if low is not None:
        assert q.low == pytest.approx(low)
    if high is not None:
        assert q.high == pytest.approx(high)
    assert text[q.span[0] : q.span[1]] == q.text


def test_european_thousands_in_counted_cells_and_money_not_in_small_decimals():
    assert reading(only("- **App Executions** - 10.000")) == ("executions", 10000, 10000, "=", ())
    assert reading(only("The enterprise tier includes 150.000 executions a month.")) == ("executions", 150000, 150000, "=", ("month",))
    exec_limit, cores = find_quantities("- **App Executions** - Minimum 300.000 or 8 CPU cores")
    assert reading(exec_limit) == ("executions", 300000, None, ">=", ())
    assert reading(cores) == ("cpu_cores", 8, 8, "=", ())
    assert only("by default $0.006/app execution above the limit").value == pytest.approx(0.006)
    assert only("Average license cost is $15.000/year").value == 15000
    # Bare in prose, "1.250" stays a decimal: nothing says it counts anything.
    assert only("The model scored 1.250 on the benchmark.").value == pytest.approx(1.25)


def test_a_table_row_takes_its_unit_from_the_label_cell():
    assert reading(only("| **Core criteria (must haves)** | Number of employees | >500 |")) == ("employees", 500, None, ">", ())
    assert reading(only("| SMB | 0-100 |")) == ("", 0, 100, "range", ())


def test_a_bare_number_joined_by_to_takes_its_partners_unit():
    before, after = find_quantities("Improved 2 builds/day to 1000+/day")
    assert reading(before) == ("builds", 2, 2, "=", ("day",))
    assert reading(after) == ("builds", 1000, None, ">=", ("day",))
    slow, fast, _ = find_quantities("Improved from 1 build every two weeks to over a 1000/day, or 6 times per day per developer")
    assert slow.unit == "builds" and slow.per == ("week",) and slow.value == pytest.approx(0.5)
    assert fast.unit == "builds" and fast.comparator == ">"


def test_comparators_are_read_the_right_way_round():
    assert only("no more than 5 seats").comparator == "<="
    assert only("not less than 5 seats").comparator == ">="
    assert only("500 or more employees").comparator == ">="
    assert only("10 or fewer seats").comparator == "<="
    assert only("300 seats or more").comparator == ">="
    assert only("about 40 engineers").comparator == "~"
    assert [q.comparator for q in find_quantities("> 40 developers or more than 75 engineers")] == [">", ">"]


@pytest.mark.parametrize("text", [
    "In 2023 we rebuilt the onboarding flow.",
    "Upgrade to v2.1 before the call.",
    "Release 2.4.1 shipped on 2023-03-02.",
    "The FY22 plan and the Q3 numbers are in the deck.",
    "Support is 24/7 for enterprise.",
    "Top 10 reasons teams switch",
    "Call me on 555-123-4567 tomorrow.",
    "1. Open the account record",
    "See ticket #4821 and SKU-12 for details.",
    "We met on March 3, 2023 at 10:30 am.",
    "Read [the guide](/handbook/sales/3) or https://example.com/pricing/2",
    "Step 2 is where most trials stall.",
])
def test_near_misses_are_not_quantities(text):
    assert find_quantities(text) == []


def test_same_measure_needs_the_same_unit_and_denominators():
    per_host_month = only("$4 /host/month")
    assert same_measure(per_host_month, only("$48 per host per year"))  # same measure, other period
    assert not same_measure(per_host_month, only("$3500/month"))
    assert same_measure(only("six weeks"), only("live in a day"))  # both durations
    assert not same_measure(only("300 seats"), only("300 hosts"))
    assert not same_measure(only("| SMB | 0-100 |"), only("| SMB | 0-100 |"))  # bare numbers: unknown measure


def test_conflicts_beyond_rounding():
    assert conflicts(only("no less than 30 points"), only("at 100 points"))
    assert conflicts(only("> 10 pts"), only("at 100 points"))
    assert not conflicts(only("at 100 points"), only("a threshold of 100 points"))
    assert conflicts(only("six weeks"), only("live in a day"))
    assert not conflicts(only("six weeks"), only("42 days"))
    assert conflicts(only("2 builds/day"), only("1 build every two weeks"))
    assert not conflicts(only("1,000+ employees"), only("more than 1,000 employees"))
    assert not conflicts(only("$4 /host/month"), only("$48 per host per year"))  # the same price, yearly
    assert conflicts(only("$4 /host/month"), only("$7.00 / host / month"))
    assert conflicts(only("under 100 device licenses"), only("more than 100 devices"))
    assert not conflicts(only("about 40 engineers"), only("50 engineers"))
    assert not conflicts(only("1,000 employees"), only("1,040 employees"))  # rounding
    assert conflicts(only("a 10-250 employee range"), only("101-2000 total employees"))
    assert not conflicts(only("101-2000 total employees"), only("1,500 employees"))
    assert not conflicts(only("20% off"), only("300 seats"))


def test_overlap_of_size_bands():
    mid = only("101-2000 total employees")
    assert overlap(mid, mid) == pytest.approx(1.0)
    assert overlap(mid, only("0-100 employees")) == 0.0
    assert 0 < overlap(mid, only(">500 employees")) < 1
    assert overlap(mid, only(">500 employees")) > overlap(only("a 10-250 employee range"), only(">500 employees"))
    assert overlap(only("300 seats"), only("300 seats")) == 1.0
    assert overlap(only("300 seats"), only("300 hosts")) == 0.0


def test_value_is_the_bound_or_the_midpoint():
    assert only("at least 1,500 employees").value == 1500
    assert only("up to 500 hosts").value == 500
    assert only("a 10-250 employee range").value == 130


@pytest.mark.parametrize("text, value", [
    ("We're about a hundred and sixty people, full time.", 160),
    ("about three hundred eighty employees total", 380),
    ("All in we're about three hundred and ten people", 310),
    ("with a hundred twenty people on the floor", 120),
])
def test_spoken_numbers_with_hundreds_are_one_number(text, value):
    (q,) = find_quantities(text)
    assert q.value == value and q.unit == "employees"
