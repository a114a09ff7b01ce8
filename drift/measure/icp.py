"""Who each voice says the customer is: facet distributions compared between voices."""

from __future__ import annotations

import json

import numpy as np

from drift.config import Config
from drift.measure import stats
from drift.measure.evidence import quote_at
from drift.measure.facets import FACETS, extract_facets, title_role
from drift.model import VOICE_PAIRS, VOICES, Interval, Quote
from drift.results import FacetResult, PairScore
from drift.store import SegmentTable

QUOTES_PER_VOICE = 3


def facet_mentions(table: SegmentTable, config: Config) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """facet -> voice -> [(category, row)] for every sentence that states a facet."""
    out: dict[str, dict[str, list[tuple[str, int]]]] = {f: {v: [] for v in VOICES} for f in FACETS}
    for row, text in enumerate(table.text):
        voice = table.voice[row]
        if voice not in VOICES:
            continue
        for mention in extract_facets(text, config.size_bands, config.size_words):
            out[mention.facet][voice].append((mention.category, row))
    return out


def buyer_titles(documents: list[dict]) -> list[tuple[str, Quote]]:
    """Role categories from the job titles of external call participants."""
    out = []
    for doc in documents:
        if doc.get("channel") != "call":
            continue
        for person in json.loads(doc.get("participants") or "[]"):
            if (person.get("affiliation") or "").lower() != "external" or not person.get("title"):
                continue
            role = title_role(person["title"])
            if role:
                quote = Quote(text=f"{person['name']}, {person['title']} (call participant)", voice="buyer",
                              source=doc["path"], locator="participants", month=doc.get("month"), channel="call")
                out.append((role, quote))
    return out


def compare_facets(table: SegmentTable, config: Config, documents: list[dict], rng: np.random.Generator) -> list[FacetResult]:
    mentions = facet_mentions(table, config)
    titles = buyer_titles(documents)
    results = []
    for facet in FACETS:
        counts = {v: _count([c for c, _ in mentions[facet][v]]) for v in VOICES}
        quotes = {v: _quotes_for_mode(table, mentions[facet][v], counts[v]) for v in VOICES}
        if facet == "role" and titles:
            for role, _ in titles:
                counts["buyer"][role] = counts["buyer"].get(role, 0) + 1
            quotes["buyer"] = (quotes["buyer"] + [q for _, q in titles])[:QUOTES_PER_VOICE]
        if sum(sum(c.values()) for c in counts.values()) == 0:
            continue
        categories = sorted({c for v in VOICES for c in counts[v]})
        pairs = []
        for a, b in VOICE_PAIRS:
            ca = np.array([counts[a].get(c, 0) for c in categories], dtype=float)
            cb = np.array([counts[b].get(c, 0) for c in categories], dtype=float)
            n = {a: int(ca.sum()), b: int(cb.sum())}
            if min(n.values()) < max(3, config.measure.min_support // 2):
                pairs.append(PairScore((a, b), None, None, None, None, n, insufficient=True))
                continue
            distance = float(stats.jensen_shannon_distance(ca / ca.sum(), cb / cb.sum()))
            p = float(stats.count_permutation_test(ca, cb, config.measure.permutations, rng))
            low, high = stats.count_bootstrap_ci(ca, cb, config.measure.bootstrap, 0.95, rng)
            pairs.append(PairScore((a, b), distance, Interval(float(low), float(high)), p, None, n))
        top = {}
        for voice in VOICES:
            total = sum(counts[voice].values())
            if total:
                mode = max(sorted(counts[voice]), key=counts[voice].get)
                top[voice] = (mode, counts[voice][mode] / total)
        results.append(FacetResult(facet, counts, pairs, top, quotes))
    return results


def _count(categories: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in categories:
        out[c] = out.get(c, 0) + 1
    return dict(sorted(out.items()))


def _quotes_for_mode(table: SegmentTable, mentions: list[tuple[str, int]], counts: dict[str, int]) -> list[Quote]:
    """Sentences stating the voice's most common category: the claim a reader should check."""
    if not counts:
        return []
    mode = max(sorted(counts), key=counts.get)
    rows = [row for category, row in mentions if category == mode]
    # Shorter statements read as quotes; keep the source order otherwise.
    rows = sorted(dict.fromkeys(rows), key=lambda r: len(table.text[r]))[:QUOTES_PER_VOICE]
    return [quote_at(table, r) for r in rows]
