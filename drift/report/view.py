"""Presentation helpers for the report templates: formatting, anchors, caps.

Everything here turns values the measures produced into text a reader sees
(numbers with fixed decimals, voice names in words, truncated quotes) or
decides how much of them to show. No statistic is computed; the one derived
figure is a within-voice percentage of given counts, drawn as bar lengths.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from markupsafe import Markup, escape

from drift.model import VOICES, Interval, Quote
from drift.measure.concepts import MEANINGFUL_DRIFT  # noqa: F401  (the method section quotes it)
from drift.results import Analysis

# Caps that keep a report over 10,000 documents a few MB; the JSON output has everything.
QUOTES_PER_VOICE = 3
QUOTE_CHARS = 400
EXAMPLE_CHARS = 220
FINDINGS_TOP = 10
FINDINGS_MORE = 40
FINDING_QUOTES = 2
SENSES_MAX = 8
SENSE_WORDS = 8
CATEGORIES_MAX = 12
PILLARS_MAX = 25
THEMES_MAX = 15
ADDRESSED_THEMES_MAX = 25
TRENDS_MAX = 40
DISTINCTIVE_MAX = 12
TOPICS_MAX = 25
FILES_MAX = 50
MONTHS_MAX = 60
WORDS_MAX = 12

VOICE_LABELS = {"marketing": "Marketing", "rep": "Reps", "buyer": "Buyers", "unknown": "Unresolved"}
KIND_LABELS = {
    "concept_drift": "Concept drift",
    "icp": "ICP",
    "unechoed_claim": "Claim not echoed",
    "unaddressed_theme": "Unaddressed buyer theme",
    "trend_shift": "Trend shift",
    "distinctive_language": "Distinctive language",
    "contradiction": "Contradiction",
    "change": "Change",
}
EFFECT_LABELS = {
    "concept_drift": "drift",
    "icp": "JS distance",
    "unechoed_claim": "share not echoed",
    "unaddressed_theme": "similarity gap",
    "trend_shift": "drift from earlier months",
    "distinctive_language": "z",
    "definition": "share of criteria that differ",
    "contradiction": "signal strength",
    "change": "changes",
}
def effect_label(finding: Any) -> str:
    """What a finding's effect number is: the finding's own name for it, else its kind's."""
    return finding.details.get("effect_name") or EFFECT_LABELS.get(finding.kind, "effect")


SECTION_OF_KIND = {
    "concept_drift": "concepts",
    "icp": "icp",
    "unechoed_claim": "value",
    "unaddressed_theme": "value",
    "trend_shift": "trend",
    "distinctive_language": "language",
    "definition": "definitions",
    "contradiction": "contradictions",
    "change": "timeline",
}

_MINUS = "\u2212"
_WS = re.compile(r"\s+")


# --- numbers ------------------------------------------------------------------------


def _finite(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def num(value: Any, digits: int = 2) -> str:
    """0.4123 -> '0.41'; None or NaN -> 'n/a'."""
    if not _finite(value):
        return "n/a"
    text = f"{float(value):.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", _MINUS)


def signed(value: Any, digits: int = 2) -> str:
    """0.04 -> '+0.04', -0.06 -> '−0.06' (a true minus sign), 0 -> '±0.00'."""
    if not _finite(value):
        return "n/a"
    text = f"{abs(float(value)):.{digits}f}"
    if float(text) == 0:
        return "\u00b1" + text
    return ("+" if float(value) > 0 else _MINUS) + text


def pct(value: Any, digits: int = 0) -> str:
    """0.723 -> '72%'; tiny non-zero shares -> '<1%'."""
    if not _finite(value):
        return "n/a"
    v = float(value) * 100
    if digits == 0 and 0 < abs(v) < 0.5:
        return "<1%"
    return f"{v:.{digits}f}%".replace("-", _MINUS)


def pval(value: Any) -> str:
    """p and q values: '< 0.001', '0.004', '0.03', '0.41'."""
    if not _finite(value):
        return "n/a"
    v = float(value)
    if v < 0.001:
        return "< 0.001"
    if v < 0.01:
        return f"{v:.3f}"
    return f"{v:.2f}"


def count(value: Any) -> str:
    """1234 -> '1,234'."""
    if value is None:
        return "n/a"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


def interval(iv: Interval | None, digits: int = 2, percent: bool = False) -> str:
    """Interval(0.3, 0.52) -> '0.30–0.52'; percent=True -> '30–52%'."""
    if iv is None or not (_finite(iv.low) and _finite(iv.high)):
        return "n/a"
    if percent:
        return f"{pct(iv.low)}\u2013{pct(iv.high)}"
    return f"{num(iv.low, digits)}\u2013{num(iv.high, digits)}"


def level(iv: Interval | None) -> str:
    """'95% CI' for an interval's confidence level."""
    if iv is None or not _finite(iv.level):
        return "CI"
    return f"{float(iv.level) * 100:g}% CI"


# --- text ---------------------------------------------------------------------------


def clip(text: Any, limit: int = QUOTE_CHARS) -> str:
    """Whitespace collapsed, cut at a word boundary near `limit` characters, with an ellipsis.

    Runs before escaping (the template escapes the result), so an entity is never cut.
    """
    if text is None:
        return ""
    flat = _WS.sub(" ", str(text)).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "\u2026"


def inert_urls(text: Any) -> Markup:
    """Escape corpus text, then put an invisible line-break opportunity (<wbr>) after each
    "://": a URL someone said or wrote stays plain text that no mail client or scanner takes
    for a link, and it wraps instead of widening the page. Copying the text is unchanged."""
    return escape("" if text is None else str(text)).replace("://", Markup(":<wbr>//"))


def voice_label(voice: Any) -> str:
    return VOICE_LABELS.get(str(voice), str(voice).replace("_", " ").capitalize())


def pair_voices(pair: Any) -> tuple[str, ...]:
    """'marketing-rep' or ('marketing', 'rep') -> ('marketing', 'rep')."""
    if isinstance(pair, (tuple, list)):
        return tuple(str(v) for v in pair)
    return tuple(str(pair).split("-"))


def pair_label(pair: Any) -> str:
    """'marketing-rep' -> 'Marketing ↔ Reps'."""
    return " \u2194 ".join(voice_label(v) for v in pair_voices(pair))


def trend_measure(series: Any) -> str:
    """What a trend's values are: the series' own words, else what its shape implies."""
    if getattr(series, "measure", None):
        return str(series.measure)
    return "drift between the voices" if len(series.voices) > 1 else "drift from earlier months"


def trend_domain(trends: Iterable[Any], measure: str | None) -> tuple[float, float] | None:
    """Smallest and largest value over the trend series that state this `measure` (None: the
    default drift), so their charts share one y axis and a wobble is not drawn as large as a
    real shift."""
    values = [float(v) for t in trends if getattr(t, "measure", None) == measure for v in t.values if _finite(v)]
    return (min(values), max(values)) if values else None


def insufficient_pairs(pairs: Iterable[Any]) -> set[str]:
    """'marketing-buyer' keys of the pairs measured as insufficient evidence."""
    return {"-".join(p.voices) for p in pairs if p.insufficient or p.score is None}


def voices_label(voices: Sequence[str]) -> str:
    return pair_label(tuple(voices)) if voices else "All voices"


def humanize(name: Any) -> str:
    """'company_size' -> 'Company size'."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def source_line(q: Quote) -> str:
    """'sales/calls/gong/2026-07-14_bellmont.json · 00:12:31 · 2026-07 · call', and for a page the
    genre of its document: '... · web · internal document'."""
    parts = [q.source, q.locator, q.month, q.channel, GENRE_CAPTIONS.get(getattr(q, "genre", None) or "")]
    return " \u00b7 ".join(str(p) for p in parts if p not in (None, ""))


# How a quote's document genre reads in its caption; conversations need no word (the channel says it).
GENRE_CAPTIONS = {"customer": "customer-facing copy", "internal": "internal document"}


def plain(value: Any) -> str:
    """A parameter value as short text: scalars as-is, lists and dicts as compact JSON."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (int, str)):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def ordered_voices(keys: Iterable[str]) -> list[str]:
    """Marketing, rep, buyer first (reading order of the columns), then any others as given."""
    keys = list(keys)
    return [v for v in VOICES if v in keys] + [k for k in keys if k not in VOICES]


def column_voices(*mappings: Mapping[str, Any] | None) -> list[str]:
    """The three voices always, plus any other voice a mapping mentions."""
    extra: list[str] = []
    for m in mappings:
        for k in (m or {}):
            if k not in VOICES and k not in extra:
                extra.append(k)
    return list(VOICES) + extra


def shares(counts: Mapping[str, Any]) -> dict[str, float]:
    """Category counts of one voice -> each category's fraction of that voice's mentions."""
    total = sum(float(v) for v in counts.values() if _finite(v))
    if total <= 0:
        return {k: 0.0 for k in counts}
    return {k: (float(v) / total if _finite(v) else 0.0) for k, v in counts.items()}


def categories(counts: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Categories across voices in order of first appearance (voices in reading order)."""
    out: list[str] = []
    for voice in ordered_voices(counts.keys()):
        for category in counts[voice]:
            if category not in out:
                out.append(category)
    return out


def facet_shares(counts: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """voice -> category -> fraction of that voice's mentions, for bar lengths and labels."""
    return {voice: shares(cats) for voice, cats in counts.items()}


def ci_name(intervals: Iterable[Interval | None]) -> str:
    """Column header for a set of intervals: '95% CI' from the first one given."""
    for iv in intervals:
        if iv is not None:
            return level(iv)
    return "95% CI"


def sizes(n: Mapping[str, Any]) -> str:
    """{'marketing': 124, 'rep': 88} -> 'Marketing 124 · Reps 88'."""
    return " \u00b7 ".join(f"{voice_label(v)} {count(c)}" for v, c in n.items())


def flat_values(mappings: Iterable[Mapping[str, Any]]) -> list[Any]:
    """All values of a sequence of dicts, in order."""
    return [v for m in mappings for v in m.values()]


def max_value(values: Iterable[Any]) -> float:
    finite_values = [float(v) for v in values if _finite(v)]
    return max(finite_values) if finite_values else 0.0


# --- anchors ------------------------------------------------------------------------


def slug(text: Any) -> str:
    """'Qualified lead (MQL)' -> 'qualified-lead-mql'; only [a-z0-9-], never empty."""
    out = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return out[:48].strip("-") or "item"


@dataclass
class Anchors:
    """Element ids for every block a finding can link to, unique within the page."""

    concepts: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    trends: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    contradictions: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)

    def make(self, prefix: str, text: Any) -> str:
        base = f"{prefix}-{slug(text)}"
        candidate, n = base, 2
        while candidate in self._used:
            candidate, n = f"{base}-{n}", n + 1
        self._used.add(candidate)
        return candidate

    @classmethod
    def build(cls, analysis: Analysis) -> "Anchors":
        a = cls()
        a._used.update(["summary", "definitions", "winloss", "concepts", "icp", "value", "trend", "language", "method",
                        "topics", "themes", "pillars", "findings", "contents", "contradictions", "timeline"])
        a._used.update(f"distinctive-{slug(v)}" for v in analysis.distinctive)
        a.concepts = [a.make("concept", c.name) for c in analysis.concepts]
        a.facets = [a.make("icp", f.facet) for f in analysis.icp]
        a.pillars = [a.make("pillar", p.label) for p in analysis.pillars]
        a.themes = [a.make("theme", t.label) for t in analysis.themes]
        a.trends = [a.make("trend", f"{t.concept} {' '.join(t.voices)}") for t in analysis.trends]
        a.findings = [a.make("finding", str(i + 1)) for i in range(len(analysis.findings))]
        a.definitions = [a.make("definition", d.name) for d in analysis.definitions]
        a.contradictions = [a.make("contradiction", c.title) for c in analysis.contradictions]
        a.changes = [a.make("change", f"{c.page.rsplit('/', 1)[-1]} {c.kind} {c.date_to or 'current'}")
                     for c in getattr(analysis, "changes", [])]
        return a


def _same(a: Any, b: Any) -> bool:
    return str(a).strip().casefold() == str(b).strip().casefold()


def finding_target(analysis: Analysis, anchors: Anchors, finding: Any) -> tuple[str, str]:
    """(anchor id, words for the link) of the section that backs a finding."""
    kind, subject = finding.kind, finding.subject
    if kind == "concept_drift":
        for i, c in enumerate(analysis.concepts):
            if _same(c.name, subject):
                return anchors.concepts[i], c.name
    elif kind == "icp":
        for i, f in enumerate(analysis.icp):
            if _same(f.facet, subject):
                return anchors.facets[i], humanize(f.facet)
    elif kind == "unechoed_claim":
        for i, p in enumerate(analysis.pillars):
            if _same(p.label, subject):
                return anchors.pillars[i], p.label
    elif kind == "unaddressed_theme":
        for i, t in enumerate(analysis.themes):
            if _same(t.label, subject):
                return anchors.themes[i], t.label
    elif kind == "trend_shift":
        fallback = None
        for i, t in enumerate(analysis.trends):
            if _same(t.concept, subject):
                if tuple(t.voices) == tuple(finding.voices):
                    return anchors.trends[i], t.concept
                fallback = fallback or (anchors.trends[i], t.concept)
        if fallback:
            return fallback
    elif kind == "definition":
        for i, d in enumerate(analysis.definitions):
            if _same(d.name, subject):
                return anchors.definitions[i], f"the definitions of {d.name}"
    elif kind == "contradiction":
        for i, c in enumerate(analysis.contradictions):
            if _same(c.title, finding.title):
                return anchors.contradictions[i], "both sides' sentences"
    elif kind == "change":
        for i, c in enumerate(getattr(analysis, "changes", [])):
            if _same(c.title, finding.title):
                return anchors.changes[i], "both versions"
    elif kind == "distinctive_language":
        for voice in finding.voices:
            if voice in analysis.distinctive:
                return f"distinctive-{slug(voice)}", f"{voice_label(voice)} language"
    section = SECTION_OF_KIND.get(kind, "summary")
    return section, SECTION_TITLES.get(section, "Summary")


STATEMENTS_SHOWN = 5  # facet statements shown per voice (the JSON has all)
TIMELINE_MAX = 30  # changes shown in the Timeline section (the JSON has all)
CHANGE_KIND_LABELS = {"value": "figure", "practice": "named practices", "meaning": "meaning of a term",
                      "statement": "statement", "answered": "buyer theme answered"}


def timeline(changes: list[Any], limit: int = TIMELINE_MAX) -> list[tuple[str, list[tuple[int, Any]]]]:
    """The most important changes, grouped by side (marketing first) and dated oldest first
    within each: [(voice, [(index in analysis.changes, change)])]."""
    chosen = sorted(range(len(changes)), key=lambda i: -changes[i].importance)[:limit]
    out = []
    for voice in ("marketing", "rep"):
        mine = [(i, changes[i]) for i in chosen if changes[i].voice == voice]
        mine.sort(key=lambda pair: (pair[1].date_to or "9999", pair[1].page, -pair[1].importance))
        if mine:
            out.append((voice, mine))
    return out


def change_dates(change: Any) -> str:
    """'2022-10-21 → 2023-11-06'; an undated end reads 'current', an undated start 'older copy'."""
    start = change.date_from or ("older copy" if change.kind != "answered" else "")
    return f"{start} → {change.date_to or 'current'}" if start else (change.date_to or "current")
DEFINITIONS_MAX = 12  # terms shown in the Definitions section (the JSON has all)
CRITERIA_ROWS_MAX = 12
DEFINITION_QUOTES = 4  # definitions quoted per voice
DEFINITION_CHANGES = 3  # changes between dated versions shown per term
WINLOSS_ROWS = 12  # claims and themes shown in the won-and-lost table


def definition_voices(comparison: Any) -> list[str]:
    """The columns of a definitions table: marketing and reps always, buyers when they define it."""
    return [v for v in ("marketing", "rep", "buyer") if v != "buyer" or comparison.definitions.get(v)]


def definition_quotes(comparison: Any) -> dict[str, list[Any]]:
    """Voice -> the quotes of its definitions, in the order the measure ranked them."""
    return {voice: [d.quote for d in defs] for voice, defs in comparison.definitions.items()}


CONTRADICTIONS_MAX = 15  # shown in the Contradictions section (the JSON has all)
SIGNAL_LABELS = {"prohibition": "a rule against a word", "polarity": "negation against affirmation",
                 "quantity": "numbers that disagree", "scope": "everyone against a restriction"}


SECTION_TITLES = {
    "summary": "Summary",
    "definitions": "Definitions",
    "contradictions": "Contradictions",
    "timeline": "Timeline",
    "concepts": "Concepts",
    "icp": "Ideal customer profile",
    "value": "Value claims",
    "trend": "Trend",
    "language": "Language and topics",
    "method": "Method and data",
}


FILTERS = {
    "num": num,
    "signed": signed,
    "pct": pct,
    "pval": pval,
    "thousands": count,
    "interval": interval,
    "level": level,
    "clip": clip,
    "inert": inert_urls,
    "voice_label": voice_label,
    "pair_label": pair_label,
    "voices_label": voices_label,
    "humanize": humanize,
    "source_line": source_line,
    "plain": plain,
    "slug": slug,
    "sizes": sizes,
    "change_dates": change_dates,
}
