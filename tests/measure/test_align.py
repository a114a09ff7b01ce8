"""Sentence alignment across versions of a page: moves and rewordings are not changes,
changed figures, names, negations and bounds are."""

from __future__ import annotations

import numpy as np
import pytest

from drift.measure.align import align, difference, normalise, numbers

OLD = [
    "Kestrel Cloud keeps your workflow history for twelve months.",
    "Support answers every ticket within one business day.",
    "Every plan includes single sign-on through Okta or Azure AD.",
    "Teams of up to 25 users pay $30 per user per month.",
    "Our onboarding team sets up your first three workflows with you.",
]


@pytest.fixture(scope="module")
def embed(encoder):
    return lambda texts: np.asarray(encoder.encode(list(texts)), dtype=np.float32)


def run(embed, old, new, **kwargs):
    return align(old, new, embed(old), embed(new), **kwargs)


def test_reordered_paragraphs_and_formatting_are_not_changes(embed):
    new = [
        "**Every plan** includes single sign-on through [Okta](https://okta.com) or Azure AD.",
        "Our onboarding team sets up your first three workflows with you.",
        "Kestrel Cloud keeps your workflow history for twelve months.",
        "- Support answers every ticket within one business day",
        "Teams of up to 25 users pay $30 per user per month.",
    ]
    result = run(embed, OLD, new)
    assert result.unchanged
    assert {(p.old, p.new) for p in result.pairs} == {(0, 2), (1, 3), (2, 0), (3, 4), (4, 1)}
    assert all(p.kind == "same" for p in result.pairs)


def test_a_rewording_with_the_same_meaning_is_not_a_change(embed):
    new = list(OLD)
    new[1] = "Every ticket gets an answer from support within one business day."
    result = run(embed, OLD, new)
    pair = next(p for p in result.pairs if p.old == 1)
    assert pair.new == 1 and pair.kind == "reworded"
    assert result.unchanged


def test_a_changed_number_is_a_change_with_both_figures(embed):
    new = list(OLD)
    new[3] = "Teams of up to 25 users pay $36 per user per month."
    new[0] = "Kestrel Cloud keeps your workflow history for six months."
    result = run(embed, OLD, new)
    changed = {p.old: p for p in result.changed}
    assert set(changed) == {0, 3}
    assert changed[3].new == 3 and changed[3].difference.numbers_before == ("25", "$30")
    assert changed[3].difference.numbers_after == ("25", "$36")
    assert changed[0].difference.numbers_before == ("12",) and changed[0].difference.numbers_after == ("6",)


def test_negation_scope_and_a_replaced_name_are_changes(embed):
    old = ["Single sign-on is included on every plan.",
           "Reps qualify each lead with BANT before booking a demo.",
           "We offer a paid pilot for enterprise prospects."]
    new = ["Single sign-on is not included on the Team plan.",
           "Reps qualify each lead with MEDDIC before booking a demo.",
           "We offer a free pilot for enterprise prospects."]
    result = run(embed, old, new)
    changed = {p.old: p.difference for p in result.changed}
    assert set(changed) == {0, 1, 2}
    assert changed[0].negation
    assert changed[1].names_gone == ("bant",) and changed[1].names_new == ("meddic",)
    assert changed[2].scope_gone == ("paid",) and changed[2].scope_new == ("free",)


def test_unrelated_sentences_are_added_and_removed(embed):
    old = OLD[:3]
    new = [OLD[0], OLD[2], "Invoices can be paid by bank transfer in euros or dollars."]
    result = run(embed, old, new)
    assert result.removed == (1,) and result.added == (2,)


def test_the_heading_decides_between_identical_lines(embed):
    # Two plans list the same line; each keeps its own after the free plan's limit rises.
    old = ["App runs - 1000", "App runs - 5000", "App runs - 150,000"]
    new = ["App runs - 5000", "App runs - Minimum 150,000"]
    result = run(embed, old, new, old_sections=["Free plan", "Team plan", "Enterprise plan"],
                 new_sections=["Free plan", "Enterprise plan"])
    by_old = {p.old: p.new for p in result.pairs}
    assert by_old == {0: 0, 2: 1} and result.removed == (1,)
    assert next(p for p in result.pairs if p.old == 0).difference.numbers_after == ("5000",)


def test_figures_are_compared_as_written_in_digits():
    assert numbers("within one day, 10,000 runs, 10.000 runs, $7.00, $0.006") == ["10000", "10000", "$7", "$0.006", "1"]
    assert not difference("Up to 10,000 runs.", "Up to 10.000 runs.").hard
    assert normalise("  - **Free Plan**: [see](https://x.io) ") == "free plan : see"
