"""Contradictions: each signal on realistic sentence pairs, with the near-misses that are not
contradictions (a negated question, "no more than", a hypothetical, a competitor's claim); the
blocked nearest-neighbour search against brute force; grouping into stances on a small table."""

from __future__ import annotations

import numpy as np
import pytest

from drift.measure.contradictions import (
    contradiction_findings,
    find_contradictions,
    is_statement,
    nearest_pairs,
    polarity_signal,
    prohibition_signal,
    quantity_signal,
    scope_signal,
)
from drift.nlp import load_parser
from drift.store import SegmentTable

nlp = load_parser()
needs_parser = pytest.mark.skipif(nlp is None, reason="the trained spaCy pipeline (with its parser) is not installed")


def parsed(a: str, b: str):
    return nlp(a), nlp(b)


# --------------------------------------------------------------------------- polarity


@needs_parser
@pytest.mark.parametrize("negating, affirming, key", [
    ("We never discount: the price on our site is the price every customer pays.",
     "If you sign a two-year term, I can discount it to forty-two a seat.", "discount"),
    ("We don't offer discounts for multi-year terms.", "I can offer a discount if you sign for two years.", "discount"),
    ("We no longer support the on-premise edition.", "The on-premise edition is supported for our larger accounts.",
     "support"),
    ("Onboarding is not included in the Team plan.", "Onboarding is included in every plan we sell.", "onboarding"),
])
def test_polarity_one_side_negates_what_the_other_affirms(negating, affirming, key):
    signal = polarity_signal(*parsed(negating, affirming))
    assert signal is not None and signal.kind == "polarity" and signal.key == key
    assert signal.stances == ("negates", "affirms")
    assert key[:4] in affirming[signal.second[0] : signal.second[1]].lower()
    # Either order: the stances follow the sentences.
    flipped = polarity_signal(*parsed(affirming, negating))
    assert flipped is not None and flipped.stances == ("affirms", "negates")


@needs_parser
@pytest.mark.parametrize("first, second", [
    ("Don't you discount for two-year terms?", "I can discount it to forty-two."),  # a negated question
    ("If we didn't discount, nobody would sign this quarter.", "We discount for two-year terms."),  # hypothetical
    ("Competitors say they never charge for onboarding.", "We charge for onboarding on the Team plan."),  # their claim
    ("You need no more than five seats to start.", "You need five seats to start."),  # a comparator
    ("Don't hesitate to reach out to our support team.", "Reach out to our support team from the app."),  # an idiom
    ("Don't discount the platform fee.", "Never discount the platform fee."),  # both negate
    ("We don't offer discounts on the Team plan.", "We offer onboarding on the Team plan."),  # a different object
    ("If they click the link, they will not get the next email.", "The next email goes out two days later."),  # scoped
])
def test_polarity_near_misses(first, second):
    assert polarity_signal(*parsed(first, second)) is None


# --------------------------------------------------------------------------- prohibition


def test_a_rule_against_a_word_against_a_sentence_using_it():
    rule = 'Don\'t use the term "integrated". Yes, we are an integrated product, but every rival can claim the same.'
    use = "Deeply integrated, making developers happier and more efficient"
    signal = prohibition_signal(rule, use)
    assert signal is not None and signal.kind == "prohibition" and signal.key == "integrated"
    assert use[signal.second[0] : signal.second[1]] == "integrated"
    assert signal.stances == ("rules out", "uses")
    assert prohibition_signal('Avoid the word "seamless" in customer copy.', "Setup is seamless and takes an hour.")


@pytest.mark.parametrize("rule, other", [
    ('Avoid the word "seamless" in customer copy.', 'They told us "seamless" was a stretch.'),  # a mention, quoted
    ('Avoid the word "seamless" in customer copy.', "It is never seamless on day one."),  # negated
    ('We don\'t have the "trial" source split out yet.', "Prospects who start a trial get a call."),  # not a rule
    ('Don\'t use terms like "first" and "only".', "Our handbook comes first."),  # too common (given as such)
])
def test_prohibition_near_misses(rule, other):
    assert prohibition_signal(rule, other, common={"first"}) is None


# --------------------------------------------------------------------------- quantities


@pytest.mark.parametrize("a, b", [
    ("Volume pricing starts at 250 seats on the Enterprise plan.", "At fifty seats and up you're at the volume price."),
    ("Routing happens when a record has no less than 30 points.", "A lead becomes an MQL at 100 points."),
    ("Most customers go live in a day with the setup wizard.", "Tell them to plan six weeks before they go live."),
    ("Reps may offer up to a 10% discount on the first year.", "I can go up to a 25% discount on the first year."),
    ("Improved 2 builds/day to 1000+/day", "Improved from 1 build every two weeks to over a 1000/day"),  # rates
])
def test_quantities_that_disagree(a, b):
    signal = quantity_signal(a, b)
    assert signal is not None and signal.kind == "quantity"
    assert a[signal.first[0] : signal.first[1]] == signal.stances[0]
    assert b[signal.second[0] : signal.second[1]] == signal.stances[1]


@pytest.mark.parametrize("a, b", [
    ("Onboarding takes no more than two weeks.", "Onboarding takes two weeks."),  # the same bound, read right
    ("Teams reported a 43% cut in exception handling time.", "Purchase approvals were 61% faster."),  # different shares
    ("Improved from over 40 minutes to 6 minutes per release.", "Release time went from over 40 minutes to 6 minutes."),
    ("Imagine you had 500 hosts to patch.", "Our customers run 50 hosts on average."),  # hypothetical
    ("We have 1,000+ employees across three regions.", "We have more than 1,000 employees across three regions."),
    ("Premium is a flat rate for up to 500 hosts.", "I've added an additional three hosts to your license."),  # a count
    ("Nine of them were companies under fifty people.", "We're about eight people in the office."),  # no rule either
])
def test_quantity_near_misses(a, b):
    assert quantity_signal(a, b) is None


# --------------------------------------------------------------------------- scope


def test_scope_everyone_against_a_restriction():
    signal = scope_signal("Kestrel works for operations teams of any size.",
                          "We only work with operations teams that have at least 25 seats.")
    assert signal is not None and signal.kind == "scope"
    assert scope_signal("Kestrel works for operations teams of any size.", "Operations teams love the board.") is None


# --------------------------------------------------------------------------- statements and search


@pytest.mark.parametrize("text, block, expected", [
    ("We never discount: the published price is the price.", "text", True),
    ("Pricing", "heading", False),
    ("Do you discount for two-year terms?", None, False),
    ("Home | Pricing | Blog", "text", False),
    ("Sure.", None, False),
])
def test_is_statement(text, block, expected):
    assert is_statement(text, block) is expected


def test_nearest_pairs_finds_each_rows_and_each_columns_best_match():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(300, 16)).astype(np.float32)
    b = rng.normal(size=(200, 16)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    found = {(i, j) for i, j, _ in nearest_pairs(a, b, k=2, threshold=-1.0, chunk=64)}
    sims = a @ b.T
    for i in range(len(a)):
        assert (i, int(np.argmax(sims[i]))) in found
    for j in range(len(b)):
        assert (int(np.argmax(sims[:, j])), j) in found
    assert len(found) <= 2 * (len(a) + len(b))


def _table(rows: list[tuple[str, str, str]]) -> SegmentTable:
    """(voice, doc, text) rows; vectors make sentences about one subject close together."""
    topics = {"discount": 0, "seat": 1, "other": 2}
    vectors = []
    for i, (_, _, text) in enumerate(rows):
        v = np.zeros(8, np.float32)
        v[next((t for w, t in topics.items() if w in text.lower()), 2)] = 1.0
        v[3 + i % 5] = 0.35
        vectors.append(v / np.linalg.norm(v))
    n = len(rows)
    return SegmentTable(
        text=[r[2] for r in rows], voice=np.array([r[0] for r in rows], dtype=object),
        channel=np.array(["web" if r[0] == "marketing" else "call" for r in rows], dtype=object),
        month=np.array(["2026-08"] * n, dtype=object), source=[f"{r[1]}.md" for r in rows],
        locator=[f"line {i + 1}" for i in range(n)], doc_id=[r[1] for r in rows], context=[""] * n,
        vectors=np.array(vectors), block=["text"] * n, position=np.arange(n, dtype=np.int32),
    )


@needs_parser
def test_find_contradictions_groups_stances_and_counts_each_side():
    table = _table([
        ("marketing", "pricing", "We never discount: the price on this page is the price every customer pays."),
        ("marketing", "why", "We never discount to win a deal, whoever is buying."),
        ("rep", "call-1", "If you sign a two-year term, I can discount it to forty-two a seat."),
        ("rep", "call-2", "We discounted them to forty-two for the two-year term."),
        ("rep", "call-3", "I can usually discount the first year if you sign this quarter."),
        ("marketing", "pricing", "Volume pricing starts at 250 seats on the Enterprise plan."),
        ("rep", "call-1", "Once you get over fifty seats there's a volume break on the seat price."),
        ("rep", "call-2", "The team loves the operations board and the approvals."),
    ])
    found = find_contradictions(table, np.random.default_rng(0))
    by_signal = {c.signal: c for c in found}
    discount = by_signal["polarity"]
    assert discount.voices == ("marketing", "rep")
    assert discount.counts["marketing"] == 2 and discount.counts["rep"] == 3
    assert "discount" in discount.subject.lower()
    assert discount.quotes["marketing"][0].source == "pricing.md" or discount.quotes["marketing"][0].source == "why.md"
    seats = by_signal["quantity"]
    assert "seat" in seats.subject and "250" in seats.title and "fifty" in seats.title
    findings = contradiction_findings(found)
    assert {f.kind for f in findings} == {"contradiction"}
    assert all(0 < f.importance <= 1 and f.quotes["marketing"] and f.quotes["rep"] for f in findings)


@needs_parser
def test_one_stray_sentence_each_way_is_not_a_polarity_contradiction():
    table = _table([
        ("marketing", "pricing", "We never discount: the price on this page is the price every customer pays."),
        ("rep", "call-1", "If you sign a two-year term, I can discount it to forty-two a seat."),
    ])
    assert [c for c in find_contradictions(table, np.random.default_rng(0)) if c.signal == "polarity"] == []


def test_before_and_after_stories_clash_only_when_one_end_matches():
    # Two customers' results: nothing in common but the shape of the sentence.
    assert quantity_signal("Acme: release process reduced from over 40 minutes to 6 minutes.",
                           "Globex: build time reduced from 6 hours to 20 minutes.") is None
    # The same story told with another starting point: a real disagreement.
    signal = quantity_signal("Initech improved from 2 builds/day to 1000+ builds/day.",
                             "Initech went from 1 build every two weeks to over 1000 builds/day.")
    assert signal is not None and signal.kind == "quantity"


def test_page_conflicts_finds_copy_that_contradicts_the_reps():
    from drift.measure.contradictions import page_conflicts

    page = ["Onboarding takes one week from contract to go-live.", "Our board shows every exception in one place."]
    field = ["Honestly, plan on six weeks from contract to go-live, the integrations take time.",
             "The board shows every exception in one place, that's the whole point.",
             "We never discount the annual plan."]
    voices = np.array(["rep", "rep", "buyer"], dtype=object)
    # Vectors that make each page sentence nearest to the rep sentence on its subject.
    page_vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    field_vectors = np.array([[0.9, 0.1], [0.1, 0.9], [0.7, 0.7]], dtype=np.float32)
    found = page_conflicts(page, page_vectors, field, field_vectors, voices)
    assert [(i, row, s.kind) for i, row, s in found] == [(0, 0, "quantity")]
