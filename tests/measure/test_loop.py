"""The loop: when copy published by each month first answers a buyer theme, and the lag."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from drift.measure.loop import copy_periods, first_answered, followed_by_reps, loop_sentence
from drift.model import Quote
from drift.results import Change
from drift.results import BuyerTheme
from drift.store import SegmentTable


def unit(*rows):
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


MONTHS = ["2026-07", "2026-08", "2026-09", "2026-10"]


def test_copy_answers_from_the_month_it_was_published():
    queries = unit([1, 0, 0], [1, 0.1, 0], [0, 0, 1])  # two utterances about one thing, one about another
    copy = unit([0, 1, 0], [1, 0.05, 0])  # an unrelated page, then a page that answers the first two
    since = np.array(["", "2026-09"], dtype=object)
    until = np.array(["", ""], dtype=object)
    assert first_answered(queries, copy, since, until, MONTHS, threshold=0.9, needed=0.5) == "2026-09"
    assert first_answered(queries, copy, since, until, MONTHS, threshold=0.9, needed=0.9) is None
    # A version replaced in September answers only until then.
    until = np.array(["", "2026-09"], dtype=object)
    since = np.array(["", "2026-07"], dtype=object)
    assert first_answered(queries, copy, since, until, MONTHS[2:], threshold=0.9, needed=0.5) is None
    assert first_answered(queries, copy, since, until, MONTHS, threshold=0.9, needed=0.5) == "2026-07"


def theme(first, answered):
    return BuyerTheme(theme_id=1, label="paying for seats nobody uses", words=[], utterances=20, documents=8, share=0.3,
                      addressed=answered is not None, nearest_marketing=None, copy_coverage=0.4, quotes=[],
                      first_month=first, first_addressed_month=answered)


@pytest.mark.parametrize("first, answered, expected", [
    ("2026-07", "2026-09", "First raised in 2026-07; marketing copy began to answer it in 2026-09, 2 months later."),
    ("2026-07", None, "First raised in 2026-07; still unaddressed by marketing copy after 3 months (to 2026-10)."),
    ("2026-07", "2026-06", "First raised in 2026-07; marketing copy already answered it then."),
])
def test_loop_sentence_states_the_lag(first, answered, expected):
    assert loop_sentence(theme(first, answered), "2026-10") == expected


def test_copy_periods_follow_versions_and_dates():
    docs = [
        {"doc_id": "a", "path": "web/pricing-2026-06-02.html", "date": date(2026, 6, 2), "month": "2026-06", "channel": "web", "side": "marketing"},
        {"doc_id": "b", "path": "web/pricing.html", "date": None, "month": None, "channel": "web", "side": "marketing"},
        {"doc_id": "c", "path": "web/about.html", "date": None, "month": None, "channel": "web", "side": "marketing"},
        {"doc_id": "d", "path": "calls/x.json", "date": date(2026, 7, 1), "month": "2026-07", "channel": "call", "side": "sales"},
    ]
    ids = ["a", "b", "c", "d"]
    table = SegmentTable(text=["x"] * 4, voice=np.array(["marketing"] * 3 + ["buyer"], dtype=object),
                         channel=np.array(["web", "web", "web", "call"], dtype=object),
                         month=np.array(["2026-06", None, None, "2026-07"], dtype=object), source=[""] * 4,
                         locator=[None] * 4, doc_id=ids, context=[""] * 4, vectors=np.zeros((4, 3), np.float32))
    since, until = copy_periods(table, docs)
    assert list(since) == ["2026-06", "2026-07", "", ""]  # the undated current version: from the month after
    assert list(until) == ["2026-07", "", "", ""]  # the snapshot until the current version replaced it


def test_whether_reps_followed_a_change_in_marketing_copy():
    texts = ["Starter is $29 a seat.", "Starter is $39 a seat.", "Starter is thirty-nine dollars a seat now.", "See you Monday."]
    vectors = unit([1, 0, 0], [0, 1, 0], [0, 0.95, 0.1], [0, 0, 1])
    table = SegmentTable(text=texts, voice=np.array(["marketing", "marketing", "rep", "rep"], dtype=object),
                         channel=np.array(["web", "web", "call", "call"], dtype=object),
                         month=np.array(["2026-06", "2026-09", "2026-10", "2026-08"], dtype=object), source=["p"] * 4,
                         locator=[None] * 4, doc_id=["a", "b", "c", "d"], context=[""] * 4, vectors=vectors)

    def change(after):
        return Change(page="web/pricing", side="marketing", voice="marketing", kind="value", title="t", summary="s.",
                      date_from="2026-06-01", date_to="2026-09-14", quotes_before=[],
                      quotes_after=[Quote(after, "marketing", "p")])

    followed, ignored = change(texts[1]), change(texts[0])
    followed_by_reps([followed, ignored], table)
    assert followed.details["reps_followed"] == "2026-10" and "followed from 2026-10" in followed.summary
    assert ignored.details["reps_followed"] is None and "No rep sentence from 2026-09 to 2026-10" in ignored.summary
