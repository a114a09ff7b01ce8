"""Turn measured results into ranked Findings: one plain sentence, numbers, quotes.

Importance = effect x evidence x volume, each in [0, 1]:
- effect: a distance on a 0-1 scale (sense Jensen-Shannon distance, facet JSD,
  the share of documents that do NOT echo a claim, ...);
- evidence: how sure we are, 1 - q (or 1 - p where only one test was made);
- volume: how much text stands behind it, log-scaled so 100 usages count fully.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from drift.measure.concepts import MEANINGFUL_DRIFT, meaning_flag
from drift.measure.evidence import quote_at
from drift.measure.genre import INTERNAL
from drift.measure.trend import Shift
from drift.model import Finding, Interval, Quote
from drift.results import BuyerTheme, ConceptResult, FacetResult, PillarCoverage
from drift.store import SegmentTable

VOICE_NAMES = {"marketing": "marketing", "rep": "reps", "buyer": "buyers"}
# "marketing describes" but "reps describe": the verb agrees with the voice's name.
_SINGULAR = {"marketing"}


def _verb(voice: str, verb: str) -> str:
    return f"{VOICE_NAMES[voice]} {verb}s" if voice in _SINGULAR else f"{VOICE_NAMES[voice]} {verb}"
# "Marketing and reps name different company sizes for the customer".
FACET_PLURALS = {"company_size": "company sizes", "role": "roles", "industry": "industries"}
FACET_NAMES = {"company_size": "company size", "role": "roles", "industry": "industries", "region": "regions",
               "stack": "tools and stack"}
UNECHOED_COVERAGE = 0.1  # a pillar reps echo in fewer sales documents than this is a finding


# Sense and category distributions are compared by Jensen-Shannon distance, where
# 0.5 already means the two sides mostly use different senses: the full effect.
FULL_JSD = 0.5
# What "ICP" means first: who the company is (size), who buys (role), then the rest.
FACET_WEIGHT = {"company_size": 1.0, "role": 0.9, "industry": 0.8}
FINDING_FACETS = tuple(FACET_WEIGHT)
REPEAT_DISCOUNT = 0.8  # each further finding of the same kind weighs this much less in the ranking
# A finding whose every quote is from an internal document (a playbook, a process page, a
# handbook, a style guide) rests on how the company instructs itself, not on what customers read
# or hear: it keeps half its importance, so copy and conversations outrank it at equal effect.
INTERNAL_ONLY = 0.5


def scaled(effect: float, full: float) -> float:
    return max(0.0, min(1.0, effect / full))


def volume(n: int) -> float:
    """0 for no evidence, 1 from about 50 usages or mentions on the thinner side."""
    return min(1.0, math.log10(1 + n) / math.log10(51))


def evidence(q: float | None) -> float:
    return 0.0 if q is None else max(0.0, 1.0 - q)


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def concept_findings(results: list[ConceptResult], alpha: float) -> list[Finding]:
    out = []
    for result in results:
        for pair in result.pairs:
            if pair.insufficient or pair.q_value is None:
                continue
            a, b = pair.voices
            jsd = result.sense_jsd.get(f"{a}-{b}", 0.0)
            sense_a = _dominant_sense(result, a, b)
            sense_b = _dominant_sense(result, b, a)
            if sense_a is None or sense_b is None:
                continue
            mode_a, mode_b = _modal_sense(result, a), _modal_sense(result, b)
            same_mode = mode_a.sense_id == mode_b.sense_id
            shared_senses = sense_a.sense_id != sense_b.sense_id and (same_mode or _both_use_both(sense_a, sense_b, a, b))
            if sense_a.sense_id == sense_b.sense_id:
                summary = (f"“{result.name}”: {VOICE_NAMES[a]} and {VOICE_NAMES[b]} mostly use it in the same sense "
                           f"({sense_a.label}); drift {pair.score:.2f}.")
            elif same_mode:
                # Both mostly use the same sense; one side also uses another more often: emphasis, not vocabulary.
                summary = (f"“{result.name}”: {VOICE_NAMES[a]} and {VOICE_NAMES[b]} both mostly use it for "
                           f"“{mode_a.label}” ({_pct(mode_a.shares[a])} and {_pct(mode_a.shares.get(b, 0.0))}); "
                           f"{_verb(a, 'use')} it more often for “{sense_a.label}” "
                           f"({_pct(sense_a.shares[a])} against {_pct(sense_a.shares.get(b, 0.0))}).")
            elif shared_senses:
                # Both sides use both senses: the mix differs, the vocabulary does not.
                summary = (f"“{result.name}”: {VOICE_NAMES[a]} and {VOICE_NAMES[b]} both use it for "
                           f"“{sense_a.label}” and for “{sense_b.label}”; {VOICE_NAMES[a]} lean to the first "
                           f"({_pct(sense_a.shares[a])}), {VOICE_NAMES[b]} to the second ({_pct(sense_b.shares[b])}).")
            else:
                summary = (f"“{result.name}” means different things: {VOICE_NAMES[a]} mostly “{sense_a.label}” "
                           f"({_pct(sense_a.shares[a])} of its usages), {VOICE_NAMES[b]} mostly “{sense_b.label}” "
                           f"({_pct(sense_b.shares[b])}).")
            # Only a meaningful drift (its interval clears the minimum meaningful drift) counts in
            # full: at real corpus sizes nearly every pair is "significant" (DWUG: 46 of 46 words).
            flag = meaning_flag(pair, alpha)
            significant = flag == "meaningful"
            pair_name = f"{VOICE_NAMES[a].capitalize()} and {VOICE_NAMES[b]}"
            out.append(Finding(
                kind="concept_drift",
                title=(f"{pair_name} use “{result.name}” in the same sense" if sense_a.sense_id == sense_b.sense_id
                       else f"{pair_name} weigh the senses of “{result.name}” differently" if shared_senses
                       else f"{pair_name} mean different things by “{result.name}”"),
                summary=summary + {"meaningful": "", "none": " Not significant after correction.",
                                   "detectable": f" Detectable, but below the minimum meaningful drift "
                                                 f"({MEANINGFUL_DRIFT:.2f})."}[flag],
                voices=(a, b),
                effect=pair.score,
                interval=pair.interval,
                p_value=pair.p_value,
                q_value=pair.q_value,
                sample_sizes=dict(pair.n),
                quotes={a: sense_a.quotes.get(a, [])[:2] or result.quotes.get(a, [])[:2],
                        b: sense_b.quotes.get(b, [])[:2] or result.quotes.get(b, [])[:2]},
                importance=(scaled(jsd, FULL_JSD) * evidence(pair.q_value) * volume(min(pair.n.values()))
                            * (1.0 if significant else 0.3) * (SHARED_SENSES_WEIGHT if shared_senses else 1.0)),
                subject=result.name,
                details={"sense_jsd": jsd, "sense_a": sense_a.label, "sense_b": sense_b.label, "flag": flag},
            ))
    return out


# A sense "belongs" to one side only when the other side gives it less than this share of its
# usages; above it, both sides use both senses and a different mix is a matter of emphasis.
EXCLUSIVE_SHARE = 0.15
SHARED_SENSES_WEIGHT = 0.3


def _both_use_both(sense_a, sense_b, a: str, b: str) -> bool:
    """Each voice's leading sense is also used by the other voice, at more than a passing share."""
    return sense_a.shares.get(b, 0.0) >= EXCLUSIVE_SHARE and sense_b.shares.get(a, 0.0) >= EXCLUSIVE_SHARE


def _modal_sense(result: ConceptResult, voice: str):
    """The sense a voice uses most."""
    return max(result.senses, key=lambda s: (s.shares.get(voice, 0.0), -s.sense_id))


def _dominant_sense(result: ConceptResult, voice: str, other: str):
    """The sense `voice` uses most over `other` (largest share difference), else its mode."""
    if not result.senses:
        return None
    return max(result.senses, key=lambda s: (s.shares.get(voice, 0) - s.shares.get(other, 0), s.shares.get(voice, 0)))


def facet_findings(results: list[FacetResult]) -> list[Finding]:
    """One finding per core ICP facet (size, role, industry): marketing against whichever
    field voice differs most. Region and stack stay in the report's ICP section."""
    out = []
    for facet in results:
        if facet.facet not in FINDING_FACETS:
            continue
        candidates = []
        for pair in facet.pairs:
            if pair.insufficient or pair.q_value is None or "marketing" not in pair.voices:
                continue
            a, b = pair.voices
            if a not in facet.top or b not in facet.top:
                continue
            (mode_a, share_a), (mode_b, share_b) = facet.top[a], facet.top[b]
            name = FACET_NAMES.get(facet.facet, facet.facet)
            summary = (f"On {name}, {_verb(a, 'talk')} mostly about “{mode_a}” ({_pct(share_a)} of {pair.n[a]} mentions); "
                       f"{VOICE_NAMES[b]} mostly about “{mode_b}” ({_pct(share_b)} of {pair.n[b]}).")
            pair_name = f"{VOICE_NAMES[a].capitalize()} and {VOICE_NAMES[b]}"
            candidates.append(Finding(
                kind="icp",
                title=(f"{pair_name} name different {FACET_PLURALS.get(facet.facet, name)} for the customer" if mode_a != mode_b
                       else f"{pair_name} weigh the customer's {name} differently"),
                summary=summary,
                voices=(a, b),
                effect=pair.score,
                interval=pair.interval,
                p_value=pair.p_value,
                q_value=pair.q_value,
                sample_sizes=dict(pair.n),
                quotes={a: facet.quotes.get(a, [])[:2], b: facet.quotes.get(b, [])[:2]},
                importance=FACET_WEIGHT[facet.facet] * scaled(pair.score or 0, FULL_JSD) * evidence(pair.q_value) * volume(min(pair.n.values())) * (1.0 if mode_a != mode_b else 0.5),
                subject=facet.facet,
                details={"mode": {a: mode_a, b: mode_b}},
            ))
        if candidates:
            out.append(max(candidates, key=lambda f: f.importance))
        # Where the sides draw their size bands is a finding of its own, beside who talks about which band.
        if facet.facet == "company_size" and facet.differences and facet.band_distance:
            out.append(_band_finding(facet))
    return out


BAND_STATEMENTS_FULL = 3  # size statements on the thinner side for full weight: they are direct, definitional text


def _band_finding(facet: FacetResult) -> Finding:
    """Marketing and sales draw company-size lines in different places: both sides' numbers, quoted."""
    quotes = {v: [s.quote for s in facet.statements.get(v, [])][:3] for v in ("marketing", "rep")}
    n = {v: len(facet.statements.get(v, [])) for v in ("marketing", "rep")}
    weight = min(1.0, min(n.values()) / BAND_STATEMENTS_FULL)
    return Finding(
        kind="icp",
        title="Marketing and sales draw company-size bands at different lines",
        summary=" ".join(facet.differences[:3]),
        voices=("marketing", "rep"),
        effect=facet.band_distance,
        interval=None, p_value=None, q_value=None,
        sample_sizes=n,
        quotes=quotes,
        importance=FACET_WEIGHT["company_size"] * facet.band_distance * weight,
        subject=facet.facet,
        details={"differences": facet.differences, "effect_name": "share of band edges not shared"},
    )


def pillar_findings(pillars: list[PillarCoverage]) -> list[Finding]:
    out = []
    total_claims = sum(p.size for p in pillars) or 1
    for pillar in pillars:
        rep = pillar.coverage.get("rep")
        if rep is None or rep >= UNECHOED_COVERAGE:
            continue
        n_docs = pillar.documents.get("rep", 0)
        buyer = pillar.coverage.get("buyer")
        summary = (f"Marketing's claims about {pillar.label} ({pillar.size} sentences) are echoed by reps in "
                   f"{_pct(rep)} of {n_docs} sales documents"
                   + (f" and raised by buyers in {_pct(buyer)}." if buyer is not None else "."))
        out.append(Finding(
            kind="unechoed_claim",
            title=f"Reps rarely repeat marketing's claims about {pillar.label}",
            summary=summary,
            voices=("marketing", "rep"),
            effect=1.0 - rep,
            # The effect is the share NOT echoed, so its interval is the coverage interval flipped.
            interval=Interval(1.0 - pillar.interval["rep"].high, 1.0 - pillar.interval["rep"].low) if "rep" in pillar.interval else None,
            p_value=None,
            q_value=None,
            sample_sizes={"marketing": pillar.size, "rep": n_docs},
            quotes={"marketing": pillar.claims[:2], "rep": pillar.echoes.get("rep", [])[:2]},
            # A pillar holding a quarter or more of all claims is a headline: full weight.
            importance=(1.0 - rep) * volume(n_docs) * min(1.0, 4 * pillar.size / total_claims),
            subject=pillar.label,
            details={"coverage": pillar.coverage},
        ))
    return out


def theme_findings(themes: list[BuyerTheme]) -> list[Finding]:
    out = []
    for theme in themes:
        if theme.addressed:
            continue
        copy_cover = theme.copy_coverage or 0.0
        rep_cover = theme.rep_coverage or 0.0
        gap = max(0.0, rep_cover - copy_cover)
        summary = (f"Buyers raise {theme.label} in {theme.documents} conversations ({_pct(theme.share)} of buyer "
                   f"documents); reps answer {_pct(rep_cover)} of these questions elsewhere, marketing copy {_pct(copy_cover)}.")
        if theme.loop:
            summary += " " + theme.loop
        quotes: dict[str, list[Quote]] = {"buyer": theme.quotes[:2]}
        if theme.nearest_marketing:
            quotes["marketing"] = [theme.nearest_marketing]
        out.append(Finding(
            kind="unaddressed_theme",
            title=f"Marketing copy does not answer what buyers raise about {theme.label}",
            summary=summary,
            voices=("buyer", "marketing"),
            effect=round(gap, 4),
            interval=None,
            p_value=None,
            q_value=None,
            sample_sizes={"buyer": theme.utterances, "documents": theme.documents},
            quotes=quotes,
            importance=gap * min(1.0, 3 * theme.share) * volume(theme.utterances),
            subject=theme.label,
            details={"first_month": theme.first_month, "first_addressed_month": theme.first_addressed_month,
                     "copy_coverage": copy_cover, "rep_coverage": rep_cover},
        ))
    return out


def shift_findings(shifts: list[Shift], table: SegmentTable) -> list[Finding]:
    out = []
    for shift in shifts:
        voice = VOICE_NAMES[shift.voice]
        out.append(Finding(
            kind="trend_shift",
            title=f"{voice.capitalize()} changed how they talk about “{shift.concept}” in {shift.month}",
            summary=(f"From {shift.month}, {_verb(shift.voice, 'describe')} “{shift.concept}” differently: before, mostly “{shift.before_sense}”; "
                     f"from then on, mostly “{shift.after_sense}” ({shift.n_before} usages before, {shift.n_after} after)."),
            voices=(shift.voice,),
            effect=shift.score,
            interval=None,
            p_value=shift.p_value,
            q_value=shift.q_value,
            sample_sizes={"before": shift.n_before, "after": shift.n_after},
            quotes={"before": [quote_at(table, int(r)) for r in shift.before_rows],
                    "after": [quote_at(table, int(r)) for r in shift.after_rows]},
            importance=scaled(shift.sense_jsd, FULL_JSD) * evidence(shift.q_value) * volume(min(shift.n_before, shift.n_after)),
            subject=shift.concept,
            details={"month": shift.month, "voice": shift.voice, "sense_jsd": shift.sense_jsd,
                     "before_sense": shift.before_sense, "after_sense": shift.after_sense},
        ))
    return out


def evidence_genres(finding: Finding) -> dict[str, list[str]]:
    """Per side of a finding, the genres of the documents its quotes come from."""
    return {side: sorted({q.genre for q in quotes if getattr(q, "genre", None)})
            for side, quotes in finding.quotes.items() if quotes}


def weigh_by_genre(finding: Finding, by_source: dict[str, str] | None = None) -> Finding:
    """Record the genre of the finding's evidence, and weigh down one resting only on internal
    documents (playbooks, process pages, handbooks): it tells how the company works, not what
    customers read or hear. Quotes made without a genre take their file's from `by_source`.
    Applied once per finding."""
    if "genre" in finding.details:
        return finding
    if by_source:
        finding.quotes = {side: [q if q.genre or q.source not in by_source else replace(q, genre=by_source[q.source])
                                 for q in quotes] for side, quotes in finding.quotes.items()}
    genres = evidence_genres(finding)
    finding.details["genre"] = genres
    seen = {g for values in genres.values() for g in values}
    if seen == {INTERNAL}:
        finding.importance *= INTERNAL_ONLY
        finding.details["genre_weight"] = INTERNAL_ONLY
        finding.summary = finding.summary.rstrip() + " All of its evidence is from internal documents, not customer-facing copy."
    return finding


def rank(findings: list[Finding], by_source: dict[str, str] | None = None) -> list[Finding]:
    """Most important first, with repeats of one kind discounted so the top of the list
    covers different questions (terms, ICP, claims, themes, trend) rather than ten themes.

    Each finding's `importance` is as computed, times INTERNAL_ONLY where all its evidence is
    from internal documents (`weigh_by_genre`); `details["rank_score"]` is what ordered it.
    """
    findings = [weigh_by_genre(f, by_source) for f in findings]
    ordered = sorted(findings, key=lambda f: (-round(f.importance, 9), f.kind, f.title))
    seen: dict[str, int] = {}
    for finding in ordered:
        finding.details["rank_score"] = round(finding.importance * REPEAT_DISCOUNT ** seen.get(finding.kind, 0), 6)
        seen[finding.kind] = seen.get(finding.kind, 0) + 1
    return sorted(ordered, key=lambda f: (-f.details["rank_score"], f.kind, f.title))


def alignment(results: list[ConceptResult], alpha: float = 0.05) -> dict[str, float | None]:
    """Per voice pair: 1 - mean sense Jensen-Shannon distance over concepts with enough usages,
    a concept counting as 0 unless its drift for that pair is meaningful (`meaning_flag`)."""
    out: dict[str, float | None] = {}
    for pair_key in ("marketing-rep", "marketing-buyer", "rep-buyer"):
        voices = tuple(pair_key.split("-"))
        values = [r.sense_jsd[pair_key] * any(meaning_flag(p, alpha) == "meaningful" for p in r.pairs if p.voices == voices)
                  for r in results if pair_key in r.sense_jsd
                  and any(p.voices == voices and not p.insufficient for p in r.pairs)]
        out[pair_key] = round(1.0 - float(np.mean(values)), 4) if values else None
    return out
