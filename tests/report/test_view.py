"""Formatting and anchors: what a reader sees for each kind of number."""

from __future__ import annotations

from drift.model import Finding, Interval, Quote
from drift.report import view


def test_numbers():
    assert view.num(0.4149) == "0.41" and view.num(-0.06) == "−0.06" and view.num(-0.001) == "0.00"
    assert view.num(None) == view.num(float("nan")) == "n/a"
    assert view.signed(0.04) == "+0.04" and view.signed(-0.06) == "−0.06" and view.signed(0.001) == "±0.00"
    assert view.pct(0.723) == "72%" and view.pct(0.004) == "<1%" and view.pct(0) == "0%" and view.pct(0.0123, 1) == "1.2%"
    assert view.pval(0.0004) == "< 0.001" and view.pval(0.004) == "0.004" and view.pval(0.031) == "0.03"
    assert view.count(12345) == "12,345" and view.count(None) == "n/a"
    assert view.interval(Interval(0.3, 0.52)) == "0.30–0.52"
    assert view.interval(Interval(0.56, 0.83), percent=True) == "56%–83%"
    assert view.level(Interval(0, 1, 0.9)) == "90% CI" and view.level(None) == "CI"


def test_clip_collapses_whitespace_and_cuts_at_a_word():
    assert view.clip("  a\n\n b\tc ") == "a b c"
    text = "budget " * 100
    out = view.clip(text, 50)
    assert out.endswith("…") and len(out) <= 51 and not out[:-1].endswith(" ")
    assert view.clip(None) == ""


def test_labels():
    assert view.pair_label("marketing-rep") == "Marketing ↔ Reps"
    assert view.pair_label(("rep", "buyer")) == "Reps ↔ Buyers"
    assert view.voice_label("before") == "Before"
    assert view.humanize("company_size") == "Company size"
    q = Quote("x", "rep", "sales/calls/gong/2026-07-14_bellmont.json", "00:12:31", "2026-07", "call")
    assert view.source_line(q) == "sales/calls/gong/2026-07-14_bellmont.json · 00:12:31 · 2026-07 · call"
    assert view.source_line(Quote("x", "rep", "a.eml")) == "a.eml"
    assert view.ordered_voices(["unknown", "buyer", "marketing"]) == ["marketing", "buyer", "unknown"]
    assert view.sizes({"marketing": 1240, "rep": 88}) == "Marketing 1,240 · Reps 88"


def test_slugs_and_anchors_are_safe_and_unique(make_analysis):
    assert view.slug('lead"><script>') == "lead-script"
    assert view.slug("???") == "item"
    a = make_analysis()
    a.concepts[1].name = a.concepts[0].name  # two concepts with one name still get two ids
    anchors = view.Anchors.build(a)
    assert anchors.concepts[0] != anchors.concepts[1]
    every = anchors.concepts + anchors.facets + anchors.pillars + anchors.themes + anchors.trends + anchors.findings
    assert len(every) == len(set(every))


def test_finding_targets(make_analysis):
    a = make_analysis()
    anchors = view.Anchors.build(a)
    targets = [view.finding_target(a, anchors, f) for f in a.findings]
    assert targets[0] == ("concept-qualified-lead", "qualified lead")
    assert targets[1] == ("icp-company-size", "Company size")
    orphan = Finding(kind="icp", title="t", summary="s", voices=("marketing",), effect=None, interval=None,
                     p_value=None, q_value=None, sample_sizes={}, quotes={}, subject="no such facet")
    assert view.finding_target(a, anchors, orphan) == ("icp", "Ideal customer profile")
    odd = Finding(kind="new_kind", title="t", summary="s", voices=(), effect=None, interval=None,
                  p_value=None, q_value=None, sample_sizes={}, quotes={})
    assert view.finding_target(a, anchors, odd) == ("summary", "Summary")


def test_trend_helpers(make_analysis):
    a = make_analysis()
    assert view.trend_measure(a.trends[0]) == "drift from the reference months"
    a.trends[1].measure = None
    assert view.trend_measure(a.trends[1]) == "drift between the voices"
    assert view.trend_domain(a.trends, None) == (0.55, 0.6)
    assert view.insufficient_pairs(a.concepts[0].pairs) == {"marketing-buyer"}
