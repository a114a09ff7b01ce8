"""Distinctive words per voice and a topic map of the whole corpus.

Distinctive language uses the log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008): each voice against the other two, with the
whole corpus as the prior, so rare words do not dominate. The topic map clusters
all segments jointly and labels each topic with class-based TF-IDF.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from drift.measure import senses as sense_fns
from drift.measure import stats
from drift.measure.evidence import quote_at
from drift.measure.labels import label_clusters
from drift.measure.partition import default_k, partition
from drift.measure.words import STOP
from drift.model import VOICES
from drift.results import DistinctiveTerm, Topic
from drift.store import SegmentTable

TERMS_PER_VOICE = 15
MAX_DOCS = 200_000  # segments used for word counts; sampled above this (noted in the report)


def _vectorizer() -> CountVectorizer:
    return CountVectorizer(ngram_range=(1, 2), stop_words=STOP, min_df=3, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9'-]+\b")


def distinctive_terms(table: SegmentTable, rng: np.random.Generator) -> dict[str, list[DistinctiveTerm]]:
    rows = np.arange(len(table))
    if len(rows) > MAX_DOCS:
        rows = np.sort(rng.choice(rows, MAX_DOCS, replace=False))
    voices = table.voice[rows]
    present = [v for v in VOICES if np.any(voices == v)]
    if len(present) < 2:
        return {}
    vectorizer = _vectorizer()
    try:
        counts = vectorizer.fit_transform([table.text[i] for i in rows])
    except ValueError:  # vocabulary empty after stop words
        return {}
    vocab = vectorizer.get_feature_names_out()
    per_voice = {v: np.asarray(counts[voices == v].sum(axis=0)).ravel() for v in present}
    prior = np.asarray(counts.sum(axis=0)).ravel().astype(float)
    out = {}
    for voice in present:
        others = sum(per_voice[o] for o in present if o != voice)
        z = stats.log_odds_dirichlet(per_voice[voice], others, prior)
        top = [i for i in np.argsort(-z) if per_voice[voice][i] >= 3][:TERMS_PER_VOICE]
        voice_rows = rows[voices == voice]
        out[voice] = []
        for i in top:
            other_counts = {o: int(per_voice[o][i]) for o in present if o != voice}
            out[voice].append(DistinctiveTerm(str(vocab[i]), round(float(z[i]), 3), int(per_voice[voice][i]),
                                              _example(table, voice_rows, str(vocab[i])), other_counts,
                                              never_used_note(str(vocab[i]), voice, int(per_voice[voice][i]), other_counts)))
    return out


NAMES = {"marketing": "marketing", "rep": "reps", "buyer": "buyers"}


def never_used_note(term: str, voice: str, count: int, other_counts: dict[str, int]) -> str:
    """A plain sentence when the other side (marketing against reps, or reps against marketing) never uses a term."""
    other = {"marketing": "rep", "rep": "marketing"}.get(voice)
    if other is None or other not in other_counts or other_counts[other] > 0:
        return ""
    name = NAMES[other].capitalize()
    verb = "uses" if other == "marketing" else "use"
    return f"{name} never {verb} “{term}”; {NAMES[voice]} {'use' if voice != 'marketing' else 'uses'} it {count} times."


def _example(table: SegmentTable, rows: np.ndarray, term: str):
    needle = term.lower()
    for r in rows:
        if needle in table.text[r].lower():
            return quote_at(table, int(r))
    return None


def topic_map(table: SegmentTable, rng: np.random.Generator, seed: int, max_rows: int = 6000) -> list[Topic]:
    """Joint clusters of all segments (sampled to `max_rows`) with each voice's share."""
    rows = np.arange(len(table))
    if len(rows) < 20:
        return []
    if len(rows) > max_rows:
        rows = np.sort(rng.choice(rows, max_rows, replace=False))
    labels = partition(table.vectors[rows], default_k(len(rows), 6, 14, per_group=20), seed)
    named = label_clusters([table.text[i] for i in rows], labels, np.asarray(table.vectors[rows]))
    central = sense_fns.central_quote_indices(table.vectors[rows], labels, k=1)
    voices = table.voice[rows]
    totals = {v: max(1, int(np.sum(voices == v))) for v in VOICES}
    topics = []
    for topic_id in sorted(set(labels.tolist())):
        members = labels == topic_id
        topics.append(
            Topic(
                topic_id=int(topic_id),
                label=named[topic_id].label,
                words=named[topic_id].phrases,
                size=int(members.sum()),
                shares={v: float(np.sum(members & (voices == v)) / totals[v]) for v in VOICES},
                quote=quote_at(table, int(rows[central[topic_id][0]])) if central[topic_id] else None,
            )
        )
    topics.sort(key=lambda t: -t.size)
    return topics
