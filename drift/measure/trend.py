"""Concept usage over months: per-pair drift by month, and shifts within one voice.

A month is flagged when a voice's usage of a concept in that month differs from
its usage in the reference window (all earlier months) by more than the
reference's own variability: a permutation test of the month against the
reference, corrected for the number of months tested. A fixed threshold would
flag noisy small months and miss large, steady ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drift.config import MeasureSettings
from drift.measure import senses as sense_fns
from drift.measure import stats
from drift.measure.labels import label_clusters
from drift.measure.usages import ConceptUsages
from drift.model import VOICE_PAIRS, VOICES
from drift.results import TrendSeries
from drift.store import SegmentTable

MIN_REFERENCE = 8  # usages in the reference window before a month can be tested


@dataclass(frozen=True)
class Shift:
    concept: str
    voice: str
    month: str
    score: float
    p_value: float
    q_value: float
    n_before: int
    n_after: int
    before_rows: np.ndarray  # usages before the shift that differ most from after
    after_rows: np.ndarray
    sense_jsd: float  # Jensen-Shannon distance of sense shares, before vs after
    before_sense: str  # label of the sense most over-used before
    after_sense: str


def months_of(table: SegmentTable) -> list[str]:
    return sorted({m for m in table.month if m})


def pair_series(usages: ConceptUsages, vectors: np.ndarray, table: SegmentTable, months: list[str], settings: MeasureSettings) -> list[TrendSeries]:
    """Drift between each pair of voices, month by month (None below minimum support)."""
    out = []
    voices = table.voice[usages.rows]
    usage_months = table.month[usages.rows]
    small = max(3, settings.min_support // 2)  # a month holds fewer usages than the whole run
    for a, b in VOICE_PAIRS:
        values, counts = [], []
        for month in months:
            in_month = usage_months == month
            va, vb = vectors[in_month & (voices == a)], vectors[in_month & (voices == b)]
            counts.append(int(min(len(va), len(vb))))
            values.append(float(stats.drift_score(va, vb)) if min(len(va), len(vb)) >= small else None)
        if any(v is not None for v in values):
            out.append(TrendSeries(usages.concept.name, (a, b), months, values, counts, alerts=[]))
    return out


def voice_shifts(usages: ConceptUsages, vectors: np.ndarray, table: SegmentTable, months: list[str], settings: MeasureSettings,
                 rng: np.random.Generator) -> tuple[list[TrendSeries], list[Shift]]:
    """For each voice: each month against all earlier months; significant moves are shifts."""
    series, shifts = [], []
    voices = table.voice[usages.rows]
    usage_months = table.month[usages.rows]
    small = max(3, settings.min_support // 2)
    for voice in VOICES:
        mine = voices == voice
        values, counts, tests = [], [], []
        for index, month in enumerate(months):
            current = mine & (usage_months == month)
            reference = mine & np.isin(usage_months, months[:index])
            counts.append(int(current.sum()))
            if current.sum() < small or reference.sum() < MIN_REFERENCE:
                values.append(None)
                continue
            # Capped like the concept scores: the permutation test's pairwise matrix is quadratic.
            a = vectors[stats.sample_rows(np.flatnonzero(reference), settings.max_usages, rng)]
            b = vectors[stats.sample_rows(np.flatnonzero(current), settings.max_usages, rng)]
            score = float(stats.drift_score(a, b))
            p = stats.permutation_test(a, b, stats.drift_score, settings.permutations, rng)
            values.append(score)
            tests.append((month, score, p, reference, current))
        if not tests:
            continue
        q = stats.benjamini_hochberg(np.array([t[2] for t in tests]))
        alerts = []
        for (month, score, p, reference, current), q_value in zip(tests, q):
            if q_value < settings.alpha:
                alerts.append(month)
        # Report the earliest significant month as the shift: later months compare
        # against a reference that already mixes both regimes.
        if alerts:
            month, score, p, reference, current = next(t for t in tests if t[0] == alerts[0])
            later = mine & np.isin(usage_months, months[months.index(month):])
            before_rows = _most_distinct(vectors, reference, later)
            after_rows = _most_distinct(vectors, later, reference)
            jsd, before_sense, after_sense = _sense_change(vectors, reference, later, table, usages)
            shifts.append(Shift(usages.concept.name, voice, month, score, float(p),
                                float(q[[t[0] for t in tests].index(month)]),
                                int(reference.sum()), int(later.sum()),
                                usages.rows[before_rows], usages.rows[after_rows],
                                jsd, before_sense, after_sense))
        series.append(TrendSeries(usages.concept.name, (voice,), months, values, counts, alerts))
    return series, shifts


def _most_distinct(vectors: np.ndarray, mine: np.ndarray, other: np.ndarray, k: int = 3) -> np.ndarray:
    """Indices of `mine` closest to its own centroid and farthest from `other`'s."""
    idx = np.flatnonzero(mine)
    own = vectors[mine].mean(axis=0)
    away = vectors[other].mean(axis=0)
    score = vectors[idx] @ own - vectors[idx] @ away
    return idx[np.argsort(-score, kind="stable")[:k]]


def _sense_change(vectors: np.ndarray, before: np.ndarray, after: np.ndarray, table: SegmentTable,
                  usages: ConceptUsages) -> tuple[float, str, str]:
    """Senses of the voice's usages around a shift: JS distance of shares and the labels
    of the senses most over-used before and after."""
    rows = np.flatnonzero(before | after)
    labels = sense_fns.cluster_senses(vectors[rows])
    period = np.where(before[rows], "before", "after")
    shares = sense_fns.sense_shares(labels, period)
    named = label_clusters([table.text[usages.rows[i]] for i in rows], labels, np.asarray(vectors[rows]),
                           exclude=usages.concept.terms)
    gap = shares["after"] - shares["before"]
    label = lambda k: named[int(k)].label if int(k) in named else ""  # noqa: E731
    return (float(stats.jensen_shannon_distance(shares["before"], shares["after"])),
            label(np.argmin(gap)), label(np.argmax(gap)))
