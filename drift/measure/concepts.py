"""Per concept: how each voice uses it, how far apart the voices are, and the senses.

For every tracked concept this finds its usages, scores drift for each pair of
voices (with permutation p-value and bootstrap interval), clusters the usages
into senses shared across voices, and picks the quotes that show the difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drift.config import Concept, MeasureSettings
from drift.measure import senses as sense_fns
from drift.measure import stats
from drift.measure.evidence import quote_at
from drift.measure.labels import label_clusters
from drift.measure.usages import ConceptUsages
from drift.model import VOICE_PAIRS, VOICES, Interval, Quote
from drift.results import ConceptResult, PairScore, Sense
from drift.store import SegmentTable

QUOTES_PER_VOICE = 3


@dataclass(frozen=True)
class ConceptData:
    """The usages of one concept, per voice, ready for the statistics."""

    usages: ConceptUsages
    vectors: np.ndarray  # usage embeddings, rows aligned with usages.rows
    voices: np.ndarray  # voice per usage


#: Minimum meaningful drift: the smallest `stats.drift_score` that people would call a change
#: of meaning. Calibrated on DWUG EN's binary human labels (`change_binary`) as the threshold
#: with the best balanced accuracy, cross-validated by word (benchmarks/README.md). A pair is
#: *meaningful* when its whole 95% interval clears it, *detectable* when only q < alpha does.
MEANINGFUL_DRIFT = 0.33


def score_pair(va: np.ndarray, vb: np.ndarray, settings: MeasureSettings,
               rng: np.random.Generator) -> tuple[float, Interval, float]:
    """Drift score, 95% bootstrap interval and permutation p of two voices' prepared usage vectors."""
    va = va[stats.sample_rows(np.arange(len(va)), settings.max_usages, rng)]
    vb = vb[stats.sample_rows(np.arange(len(vb)), settings.max_usages, rng)]
    score = stats.drift_score(va, vb)
    p = stats.permutation_test(va, vb, stats.drift_score, settings.permutations, rng)
    low, high = stats.bootstrap_ci(va, vb, stats.drift_score, settings.bootstrap, 0.95, rng)
    return float(score), Interval(float(low), float(high)), float(p)


def meaning_flag(pair: PairScore, alpha: float) -> str:
    """"meaningful", "detectable" or "none" for a scored pair (see MEANINGFUL_DRIFT)."""
    if pair.insufficient or pair.interval is None or pair.q_value is None:
        return "none"
    return stats.effect_flag(pair.interval.low, pair.q_value, MEANINGFUL_DRIFT, alpha)


def pair_scores(data: ConceptData, settings: MeasureSettings, rng: np.random.Generator) -> list[PairScore]:
    """Drift score, interval and p-value for each voice pair (q-values filled in later)."""
    out = []
    for a, b in VOICE_PAIRS:
        va, vb = data.vectors[data.voices == a], data.vectors[data.voices == b]
        n = {a: len(va), b: len(vb)}
        if min(len(va), len(vb)) < settings.min_support:
            out.append(PairScore((a, b), None, None, None, None, n, insufficient=True))
            continue
        score, interval, p = score_pair(va, vb, settings, rng)
        out.append(PairScore((a, b), score, interval, p, None, n))
    return out


#: Smallest sense, as a share of a concept's usages (DWUG EN: 0.05 matches the human clusters
#: better than 0.10 on the sense vectors, ARI 0.27 against 0.24; benchmarks/README.md).
SENSE_MIN_SHARE = 0.05


def concept_senses(
    data: ConceptData, table: SegmentTable, seed: int, sense_vectors: np.ndarray | None = None
) -> tuple[list[Sense], dict[str, float]]:
    """Cluster usages across voices into senses (on `sense_vectors` when given, else the usage
    vectors); each voice's share of each sense."""
    if len(data.vectors) < 4:
        return [], {}
    labels = sense_fns.cluster_senses(data.vectors if sense_vectors is None else sense_vectors,
                                      seed=seed, min_share=SENSE_MIN_SHARE)
    # Label from the context window: "I need three things." is followed by "Budget, ...".
    texts = [table.context[r] or table.text[r] for r in data.usages.rows]
    named = label_clusters(texts, labels, np.asarray(data.vectors), exclude=data.usages.concept.terms)
    shares = sense_fns.sense_shares(labels, data.voices)
    central = sense_fns.central_quote_indices(data.vectors if sense_vectors is None else sense_vectors, labels,
                                              k=len(labels))
    result = []
    for sense_id in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == sense_id)
        counts = {v: int(np.sum(data.voices[members] == v)) for v in VOICES}
        quotes = {}
        for voice in VOICES:
            ordered = [i for i in central[sense_id] if data.voices[i] == voice][:QUOTES_PER_VOICE]
            quotes[voice] = [quote_at(table, int(data.usages.rows[i])) for i in ordered]
        result.append(
            Sense(
                sense_id=int(sense_id),
                label=named[sense_id].label,
                words=named[sense_id].phrases,
                counts=counts,
                shares={v: float(shares[v][sense_id]) for v in VOICES if v in shares},
                quotes=quotes,
            )
        )
    jsd = {}
    for a, b in VOICE_PAIRS:
        if a in shares and b in shares:
            ids = sorted(set(labels.tolist()))
            jsd[f"{a}-{b}"] = float(stats.jensen_shannon_distance(
                np.array([shares[a][i] for i in ids]), np.array([shares[b][i] for i in ids])
            ))
    return result, jsd


def representative_quotes(data: ConceptData, table: SegmentTable) -> dict[str, list[Quote]]:
    """Per voice: named usages closest to that voice's centroid (the typical way it talks)."""
    quotes: dict[str, list[Quote]] = {}
    for voice in VOICES:
        mask = data.voices == voice
        if not mask.any():
            quotes[voice] = []
            continue
        centroid = data.vectors[mask].mean(axis=0)
        # Prefer usages that name the concept: a reader can see the term in them.
        preference = np.where(data.usages.named[mask], 1.0, 0.0)
        scores = data.vectors[mask] @ centroid + preference
        order = np.argsort(-scores, kind="stable")[:QUOTES_PER_VOICE]
        rows = data.usages.rows[mask][order]
        quotes[voice] = [quote_at(table, int(r), score=float(scores[o] - preference[o])) for r, o in zip(rows, order)]
    return quotes


def definition_distance(data: ConceptData, definition_vector: np.ndarray | None) -> dict[str, float]:
    if definition_vector is None:
        return {}
    out = {}
    for voice in VOICES:
        mask = data.voices == voice
        if mask.any():
            out[voice] = float(1.0 - np.mean(data.vectors[mask] @ definition_vector))
    return out


def channel_baselines(data: ConceptData, channels: np.ndarray, settings: MeasureSettings) -> dict[str, float]:
    """Drift between channels within one voice: how much register alone moves the score.

    Web copy and emails, calls and emails, differ by register even when the
    meaning is the same. A cross-voice drift no larger than these is not evidence
    that the voices mean different things.
    """
    out = {}
    for voice, (first, second) in (("marketing", ("web", "campaign_email")), ("rep", ("call", "sales_email")),
                                   ("buyer", ("call", "sales_email"))):
        mine = data.voices == voice
        a, b = data.vectors[mine & (channels == first)], data.vectors[mine & (channels == second)]
        if min(len(a), len(b)) >= settings.min_support:
            out[f"{voice}: {first} vs {second}"] = float(stats.drift_score(a, b))
    return out


def measure_concept(
    concept: Concept,
    usages: ConceptUsages,
    vectors: np.ndarray,
    table: SegmentTable,
    settings: MeasureSettings,
    definition_vector: np.ndarray | None,
    rng: np.random.Generator,
    sense_vectors: np.ndarray | None = None,
) -> ConceptResult:
    voices = table.voice[usages.rows] if len(usages.rows) else np.array([], dtype=object)
    data = ConceptData(usages, vectors, voices)
    senses, sense_jsd = concept_senses(data, table, settings.seed, sense_vectors)
    counts = {v: int(np.sum(voices == v)) for v in VOICES}
    named = {v: int(np.sum(usages.named & (voices == v))) for v in VOICES}
    sampled = {v: settings.max_usages for v, c in counts.items() if c > settings.max_usages}
    return ConceptResult(
        name=concept.name,
        terms=list(concept.terms),
        definition=concept.definition,
        usages=counts,
        named_usages=named,
        pairs=pair_scores(data, settings, rng),
        senses=senses,
        sense_jsd=sense_jsd,
        definition_distance=definition_distance(data, definition_vector),
        quotes=representative_quotes(data, table),
        sampled=sampled,
        channel_baseline=channel_baselines(data, table.channel[usages.rows] if len(usages.rows) else np.array([]), settings),
    )


def apply_fdr(pairs: list[PairScore]) -> None:
    """Benjamini-Hochberg across a family of tests, written into each PairScore's q_value."""
    tested = [pair for pair in pairs if pair.p_value is not None]
    if not tested:
        return
    q = stats.benjamini_hochberg(np.array([p.p_value for p in tested]))
    for pair, value in zip(tested, q):
        pair.q_value = float(value)
