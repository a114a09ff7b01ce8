"""Won against lost conversations, on a table whose answer is known."""

from __future__ import annotations

import numpy as np

from drift.measure.winloss import compare_outcomes
from drift.model import Quote
from drift.results import PillarCoverage
from drift.store import SegmentTable

CLAIM = "Approvals that used to take a week now clear the same day."
ECHO = "Your approvals clear the same day instead of taking a week."
OTHER = "Let's look at the invoice fields you map today."


def table(rows):
    """rows: (text, voice, doc_id, vector); copy first, then conversations."""
    n = len(rows)
    return SegmentTable(
        text=[r[0] for r in rows], voice=np.array([r[1] for r in rows], dtype=object),
        channel=np.array(["web" if r[1] == "marketing" else "call" for r in rows], dtype=object),
        month=np.array(["2026-09"] * n, dtype=object), source=[f"{r[2]}.json" for r in rows],
        locator=[None] * n, doc_id=[r[2] for r in rows], context=[r[0] for r in rows],
        vectors=np.array([r[3] for r in rows], dtype=np.float32),
    )


def test_a_claim_echoed_in_won_calls_and_not_in_lost_ones():
    near, far = [1.0, 0.0], [0.0, 1.0]
    rows = [(CLAIM, "marketing", "page", near)]
    rows += [(ECHO, "rep", f"won{i}", near) for i in range(6)] + [(OTHER, "rep", f"won{i}", far) for i in range(6, 8)]
    rows += [(OTHER, "rep", f"lost{i}", far) for i in range(7)] + [(ECHO, "rep", "lost7", near)]
    documents = [{"doc_id": f"won{i}", "outcome": "won"} for i in range(8)] + \
                [{"doc_id": f"lost{i}", "outcome": "lost"} for i in range(8)] + [{"doc_id": "page", "outcome": None}]
    pillar = PillarCoverage(0, "same-day approvals", [], [Quote(CLAIM, "marketing", "page.json")], {}, {}, {}, {})
    result = compare_outcomes(table(rows), documents, [pillar], [], min_support=8)
    assert result.status == "compared" and (result.won_documents, result.lost_documents) == (8, 8)
    (row,) = result.rows
    assert (row.counts, row.totals) == ({"won": 6, "lost": 1}, {"won": 8, "lost": 8})
    assert row.difference == 0.625
    assert row.intervals["won"].low < 0.75 < row.intervals["won"].high
    assert row.quotes["won"][0].text == ECHO


def test_no_outcomes_and_too_few_say_so():
    rows = [(CLAIM, "marketing", "page", [1.0, 0.0]), (ECHO, "rep", "call1", [1.0, 0.0])]
    pillar = PillarCoverage(0, "same-day approvals", [], [Quote(CLAIM, "marketing", "page.json")], {}, {}, {}, {})
    none = compare_outcomes(table(rows), [{"doc_id": "call1", "outcome": None}], [pillar], [], 8)
    assert none.status == "no outcomes in this corpus" and none.rows == []
    few = compare_outcomes(table(rows), [{"doc_id": "call1", "outcome": "won"}], [pillar], [], 8)
    assert few.status.startswith("too few outcomes to compare (1 won and 0 lost")
    assert all(r.insufficient and r.difference is None for r in few.rows)
