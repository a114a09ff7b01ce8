"""Finding where a tracked term is named: lemma-aware, acronyms as written, one lemmatising pass."""

from drift.measure.usages import _candidates, find_named, find_named_all

TEXTS = [
    "Honestly, our qualified leads this quarter were mostly people who grabbed the ROI ebook.",
    "So the lead time on the integration is, what, three weeks? Something like that.",
    "She qualified for the partner discount, but the lead never called back.",
    "Pipeline health looks fine on paper; half of stage two has no close date though.",
    "Marketing hands over MQLs on Monday and we triage them by Wednesday.",
    "We moved off MySQL last year, so the sql dump is the old schema.",
    "QUALIFIED LEAD REVIEW, Q3",
    "Is the pipeline healthy, in your view, or are we kidding ourselves?",
]


def test_terms_match_their_inflections_and_headings():
    found = find_named(TEXTS, ("qualified lead",))
    assert sorted(found) == [0, 6]
    start, end = found[0]
    assert TEXTS[0][start:end] == "qualified leads"
    start, end = found[6]
    assert TEXTS[6][start:end] == "QUALIFIED LEAD"


def test_words_of_a_term_apart_are_not_the_term():
    # "qualified" and "lead" both occur in text 2, but not as the phrase.
    assert 2 not in find_named(TEXTS, ("qualified lead",))


def test_acronyms_match_as_written_only():
    found = find_named(TEXTS, ("MQL", "SQL"))
    assert sorted(found) == [4]
    start, end = found[4]
    assert TEXTS[4][start:end] == "MQLs"


def test_candidates_need_every_word_of_some_term():
    texts = ["Two Qualified Leads came in", "the MQLs count", "the lead time on the integration",
             "she qualified for the discount", "pipeline, lead, health"]
    wanted = _candidates(texts, [("qualified lead", "MQL"), ("pipeline health",)])
    assert wanted == {0: [0], 1: [0], 4: [1]}


def test_all_term_sets_at_once_equal_one_at_a_time():
    term_sets = [("qualified lead",), ("pipeline health",), ("MQL", "SQL"), ("buying intent",)]
    together = find_named_all(TEXTS, term_sets)
    assert together == [find_named(TEXTS, terms) for terms in term_sets]
    assert sorted(together[1]) == [3]  # "pipeline healthy" is not the term "pipeline health"
    assert together[3] == {}
