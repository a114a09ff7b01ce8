"""Won against lost: which marketing claims the reps echoed and which buyer themes came up.

Where the exports carry a deal outcome (Gong's CRM stage, a CSV column, a call-notes header),
each conversation is won, lost or open. For every value pillar the share of won and of lost
conversations in which a rep echoes one of its central claims, and for every buyer theme the
share in which a buyer raises it, each with a Wilson interval; a row is compared only when both
groups hold at least `min_support` conversations. With no outcomes the result says so.
"""

from __future__ import annotations

import numpy as np

from drift.measure import stats
from drift.measure.claims import ECHO_THRESHOLD, SALES_CHANNELS
from drift.measure.evidence import quote_at
from drift.model import Interval
from drift.results import BuyerTheme, PillarCoverage, WinLoss, WinLossRow
from drift.store import SegmentTable

OUTCOMES = ("won", "lost")


def outcome_by_document(documents: list[dict]) -> dict[str, str]:
    """doc_id -> "won" or "lost" for conversations whose export says how the deal ended."""
    return {d["doc_id"]: d["outcome"] for d in documents if d.get("outcome") in OUTCOMES}


def _anchors(table: SegmentTable, texts: list[str]) -> np.ndarray:
    """Rows of the table whose text is one of `texts` (a pillar's central claims, a theme's quotes)."""
    wanted = set(texts)
    return np.array([i for i, t in enumerate(table.text) if t in wanted], dtype=int)


def _row(table: SegmentTable, subject: str, kind: str, voice: str, anchors: np.ndarray,
         outcome_docs: dict[str, np.ndarray], doc_ids: np.ndarray, min_support: int) -> WinLossRow | None:
    rows = np.flatnonzero((table.voice == voice) & np.isin(table.channel, SALES_CHANNELS) & np.isin(doc_ids, np.concatenate(list(outcome_docs.values()))))
    if not len(anchors) or not len(rows):
        return None
    similarity = (table.vectors[rows] @ np.asarray(table.vectors[anchors]).T).max(axis=1)
    hits = similarity >= ECHO_THRESHOLD
    counts, totals, intervals, quotes = {}, {}, {}, {}
    for outcome, docs in outcome_docs.items():
        in_group = np.isin(doc_ids[rows], docs)
        counts[outcome] = int(len(np.unique(doc_ids[rows][in_group & hits])))
        totals[outcome] = int(len(docs))
        low, high = stats.wilson_interval(counts[outcome], totals[outcome])
        intervals[outcome] = Interval(low, high)
        best = [j for j in np.argsort(-similarity) if in_group[j] and hits[j]][:2]
        quotes[outcome] = [quote_at(table, int(rows[j]), float(similarity[j])) for j in best]
    shares = {o: counts[o] / totals[o] if totals[o] else 0.0 for o in OUTCOMES}
    enough = min(totals.values()) >= min_support
    return WinLossRow(subject=subject, kind=kind, voice=voice, counts=counts, totals=totals, shares=shares,
                      intervals=intervals, difference=round(shares["won"] - shares["lost"], 4) if enough else None,
                      insufficient=not enough, quotes=quotes)


def compare_outcomes(table: SegmentTable, documents: list[dict], pillars: list[PillarCoverage],
                     themes: list[BuyerTheme], min_support: int) -> WinLoss:
    """Pillars echoed by reps and themes raised by buyers, in won against lost conversations."""
    outcomes = outcome_by_document(documents)
    won = sorted(d for d, o in outcomes.items() if o == "won")
    lost = sorted(d for d, o in outcomes.items() if o == "lost")
    if not outcomes:
        return WinLoss("no outcomes in this corpus", 0, 0, [])
    doc_ids = np.array(table.doc_id, dtype=object)
    outcome_docs = {"won": np.array(won, dtype=object), "lost": np.array(lost, dtype=object)}
    rows = []
    for pillar in pillars:
        row = _row(table, pillar.label, "claim reps echo", "rep", _anchors(table, [q.text for q in pillar.claims]),
                   outcome_docs, doc_ids, min_support)
        if row is not None:
            rows.append(row)
    for theme in themes:
        row = _row(table, theme.label, "theme buyers raise", "buyer", _anchors(table, [q.text for q in theme.quotes]),
                   outcome_docs, doc_ids, min_support)
        if row is not None:
            rows.append(row)
    rows.sort(key=lambda r: (r.insufficient, -abs(r.difference or 0.0), r.subject))
    enough = min(len(won), len(lost)) >= min_support
    status = ("compared" if enough else
              f"too few outcomes to compare ({len(won)} won and {len(lost)} lost conversations; "
              f"at least {min_support} of each are needed)")
    return WinLoss(status, len(won), len(lost), rows)
