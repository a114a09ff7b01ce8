"""Company-size bands compared by where each side draws its lines, with known answers."""

from __future__ import annotations

from drift.measure.icp import band_differences, boundaries, describe
from drift.measure.quantities import find_quantities
from drift.model import Quote
from drift.results import FacetStatement


def statement(text: str, voice: str) -> FacetStatement:
    q = find_quantities(text)[0]
    return FacetStatement(describe(q), q.unit, Quote(text, voice, f"{voice}/page.md", "line 1"))


def test_boundaries_of_ranges_and_comparators():
    assert boundaries(find_quantities("Mid-Market = 101-2000 total employees")[0]) == {100, 2000}
    assert boundaries(find_quantities("Large = 2,001+ total employees")[0]) == {2000}
    assert boundaries(find_quantities("Number of employees | >500")[0]) == {500}
    assert boundaries(find_quantities("companies under 100 devices")[0]) == {100}
    assert boundaries(find_quantities("we are about 300 people")[0]) == set()  # a count, not a line


def test_bands_that_do_not_line_up_are_a_difference():
    statements = {
        "marketing": [statement("Number of employees | >500", "marketing"), statement("Number of employees | <500", "marketing")],
        "rep": [statement("SMB = 0-100 total employees", "rep"), statement("Mid-Market = 101-2000 total employees", "rep"),
                statement("Large = 2,001+ total employees", "rep")],
    }
    differences, distance = band_differences(statements)
    assert distance == 1.0  # no line shared: {500} against {100, 2000}
    assert "marketing draws the lines at 500; sales at 100, 2,000" in differences[0]


def test_the_same_lines_are_no_difference_and_a_unit_one_side_uses_is_named():
    statements = {
        "marketing": [statement("Mid-market is 101-1,000 employees", "marketing"), statement("accounts with 500+ developers", "marketing")],
        "rep": [statement("Mid-market accounts: 101-1000 employees", "rep")],
    }
    differences, distance = band_differences(statements)
    assert distance == 0.0
    assert differences == ["Marketing sizes companies by developers (500); sales never does."]
