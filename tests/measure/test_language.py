"""Distinctive language: the plain note when one side never uses a word the other leans on."""

from drift.measure.language import never_used_note


def test_note_when_marketing_never_uses_a_sales_word():
    assert never_used_note("outbound", "rep", 14, {"marketing": 0, "buyer": 2}) == \
        "Marketing never uses “outbound”; reps use it 14 times."


def test_no_note_when_the_other_side_uses_it_or_for_buyers():
    assert never_used_note("pipeline", "rep", 30, {"marketing": 4}) == ""
    assert never_used_note("netsuite", "buyer", 12, {"marketing": 0, "rep": 0}) == ""
    assert never_used_note("predict", "marketing", 64, {"rep": 0}) == "Reps never use “predict”; marketing uses it 64 times."
