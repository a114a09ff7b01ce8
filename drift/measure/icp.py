"""Who each voice says the customer is: facet distributions compared between voices."""

from __future__ import annotations

import json
from typing import Sequence

import numpy as np

from drift.config import Config
from drift.measure import stats
from drift.measure.evidence import quote_at
import re

from drift.measure import quantities as Q
from drift.measure.facets import FACETS, FacetMention, extract_facets, roles, size_quantities, title_role
from drift.model import VOICE_PAIRS, VOICES, Interval, Quote
from drift.results import FacetResult, FacetStatement, PairScore
from drift.store import SegmentTable

QUOTES_PER_VOICE = 3
STATEMENTS_PER_VOICE = 6
SIDES = ("marketing", "rep")
SIDE_NAMES = {"marketing": "marketing", "rep": "sales"}
# A size statement is about the customer when it names a company, account, segment or the like
# ("a test group of 1,000 people" is not a company size).
_COMPANY_CUE = re.compile(r"\b(?:compan\w*|organi[sz]ations?|orgs?|accounts?|customers?|segments?|business\w*|"
                          r"enterprises?|mid-?market|SMBs?|ICP|prospects?|firms?|teams?|total employees|number of|"
                          r"employee count|headcount|deployments?|fleets?|licen[cs]es?|seats?|hosts?|devices?)\b", re.I)
# Words that make a sentence about roles a statement of who the customer is, not a passing mention.
_PERSONA_CUE = re.compile(r"\b(?:personas?|buyers?|target\w*|decision[- ]makers?|purchas\w*|audiences?|champions?|"
                          r"ideal customer|ICP|sell(?:s|ing)? to|built for|designed for|who (?:buys|we sell))\b", re.I)


def facet_mentions(table: SegmentTable, config: Config, per_row: Sequence[list[FacetMention]] | None = None
                   ) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """facet -> voice -> [(category, row)] for every sentence that states a facet.

    `per_row` gives each row's mentions already read (drift.measure.per_text keeps them per sentence)."""
    out: dict[str, dict[str, list[tuple[str, int]]]] = {f: {v: [] for v in VOICES} for f in FACETS}
    for row, text in enumerate(table.text):
        voice = table.voice[row]
        if voice not in VOICES:
            continue
        found = per_row[row] if per_row is not None else extract_facets(text, config.size_bands, config.size_words)
        for mention in found:
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


def compare_facets(table: SegmentTable, config: Config, documents: list[dict], rng: np.random.Generator,
                   per_row: Sequence[list[FacetMention]] | None = None) -> list[FacetResult]:
    mentions = facet_mentions(table, config, per_row)
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
        result = FacetResult(facet, counts, pairs, top, quotes)
        if facet == "company_size":
            result.statements = size_statements(table)
            result.differences, result.band_distance = band_differences(result.statements)
        elif facet == "role":
            result.statements = role_statements(table, mentions[facet])
        results.append(result)
    return results


def describe(q: Q.Quantity) -> str:
    """A size statement in words: "101-2,000 employees", "more than 500 hosts"."""
    unit = q.unit.replace("_", " ")
    number = lambda x: f"{int(x):,}" if float(x).is_integer() else f"{x:g}"  # noqa: E731
    if q.comparator == "range":
        return f"{number(q.low)}-{number(q.high)} {unit}"
    sign = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most", "~": "about"}.get(q.comparator, "")
    return " ".join(x for x in (sign, number(q.value), unit) if x)


def _boundary(value: float) -> float:
    """Where a band's edge lies: "101-2,000" and "2,001+" both draw a line at 100 and 2,000."""
    return value - 1 if value > 1 and value % 10 == 1 else value


MIN_BAND_EDGE = 10  # "1-2 seats per team" draws no company-size line


def boundaries(q: Q.Quantity) -> set[float]:
    """The lines a size statement draws: both ends of a range, the bound of a comparator; none for a plain count."""
    if q.comparator == "range":
        edges = {b for b in (_boundary(q.low) if q.low else None, q.high) if b}
    elif q.comparator in (">", ">=") and q.low:
        edges = {_boundary(q.low) if q.comparator == ">=" else q.low}
    elif q.comparator in ("<", "<=") and q.high:
        edges = {q.high}
    else:
        edges = set()
    return {e for e in edges if e >= MIN_BAND_EDGE}


def size_statements(table: SegmentTable) -> dict[str, list[FacetStatement]]:
    """Each voice's distinct size statements with their numbers: band edges first, then plain counts."""
    found: dict[str, list[tuple[Q.Quantity, int]]] = {v: [] for v in VOICES}
    for row, text in enumerate(table.text):
        voice = table.voice[row]
        if voice in VOICES and any(ch.isdigit() for ch in text) and _COMPANY_CUE.search(text):
            found[voice].extend((q, row) for q in size_quantities(text))
    out: dict[str, list[FacetStatement]] = {}
    for voice, items in found.items():
        items.sort(key=lambda item: (not boundaries(item[0]), len(table.text[item[1]])))
        statements, seen = [], set()
        for q, row in items:
            label = describe(q)
            if label in seen:
                continue
            seen.add(label)
            statements.append(FacetStatement(label, q.unit, quote_at(table, row)))
        if statements:
            out[voice] = statements[: STATEMENTS_PER_VOICE * 2]
    return out


def band_differences(statements: dict[str, list[FacetStatement]]) -> tuple[list[str], float | None]:
    """Where marketing and sales draw company-size lines, unit by unit, and how far apart they are.

    Returns plain sentences and the Jaccard distance between the two sides' band edges in the
    unit both use (0 = the same lines, 1 = none shared), or None when they share no unit.
    """
    edges: dict[str, dict[str, set[float]]] = {v: {} for v in SIDES}
    for voice in SIDES:
        for statement in statements.get(voice, []):
            quantity = next((q for q in size_quantities(statement.quote.text) if describe(q) == statement.label), None)
            if quantity is not None:
                edges[voice].setdefault(statement.category, set()).update(boundaries(quantity))
    marketing = {u: e for u, e in edges["marketing"].items() if e}
    sales = {u: e for u, e in edges["rep"].items() if e}
    out, distance = [], None
    fmt = lambda values: ", ".join(f"{int(v):,}" for v in sorted(values))  # noqa: E731
    for unit in sorted(set(marketing) & set(sales)):
        if marketing[unit] != sales[unit]:
            shared = marketing[unit] & sales[unit]
            d = 1 - len(shared) / len(marketing[unit] | sales[unit])
            distance = d if distance is None else max(distance, d)
            out.append(f"Company-size bands in {unit} don't line up: marketing draws the lines at {fmt(marketing[unit])}; "
                       f"sales at {fmt(sales[unit])}.")
        elif distance is None:
            distance = 0.0
    if marketing and sales:
        for voice, mine, theirs in (("marketing", marketing, sales), ("rep", sales, marketing)):
            for unit in sorted(set(mine) - set(theirs)):
                out.append(f"{SIDE_NAMES[voice].capitalize()} sizes companies by {unit} ({fmt(mine[unit])}); "
                           f"{SIDE_NAMES['rep' if voice == 'marketing' else 'marketing']} never does.")
    return out, distance


def role_statements(table: SegmentTable, mentions: dict[str, list[tuple[str, int]]]) -> dict[str, list[FacetStatement]]:
    """Sentences naming roles, those that say who the buyer or persona is first (one per category first)."""
    out: dict[str, list[FacetStatement]] = {}
    for voice, items in mentions.items():
        rows = sorted(dict.fromkeys(row for _, row in items),
                      key=lambda r: (not _PERSONA_CUE.search(table.text[r]), -len(roles(table.text[r])), len(table.text[r])))
        statements, categories = [], set()
        for row in rows:
            found = roles(table.text[row])
            new = [m for m in found if m.category not in categories] or found
            if not new:
                continue
            categories.update(m.category for m in found)
            statements.append(FacetStatement(", ".join(m.matched for m in found[:4]), new[0].category, quote_at(table, row)))
            if len(statements) >= STATEMENTS_PER_VOICE:
                break
        if statements:
            out[voice] = statements
    return out


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
