"""No title or label in the demo report is a bag of words: a VP reads each as a phrase."""

from __future__ import annotations

import pytest

from drift.measure.labels import is_word_list

pytestmark = pytest.mark.slow


def labels_of(analysis: dict) -> list[tuple[str, str]]:
    """(where, text) for every label and title a reader sees."""
    out = [(f"finding {i} title", f["title"]) for i, f in enumerate(analysis["findings"])]
    out += [(f"finding {i} subject", f["subject"]) for i, f in enumerate(analysis["findings"])
            if f["kind"] in ("unechoed_claim", "unaddressed_theme")]
    for c in analysis["concepts"]:
        out += [(f"sense of {c['name']}", s["label"]) for s in c["senses"]]
    out += [("pillar", p["label"]) for p in analysis["pillars"]]
    out += [("theme", t["label"]) for t in analysis["themes"]]
    out += [("topic", t["label"]) for t in analysis["topics"]]
    for f in analysis["findings"]:
        if f["kind"] == "trend_shift":
            out += [("shift sense", f["details"]["before_sense"]), ("shift sense", f["details"]["after_sense"])]
    return out


def test_no_title_or_label_is_a_word_list(demo_run):
    seen = labels_of(demo_run["analysis"])
    assert any(where == "pillar" for where, _ in seen) and any(where == "topic" for where, _ in seen)
    bags = [(where, text) for where, text in seen if is_word_list(text.split(": ", 1)[-1])]
    assert not bags, bags


def test_every_finding_says_the_genre_of_its_evidence(demo_run):
    for finding in demo_run["analysis"]["findings"]:
        assert "genre" in finding["details"], finding["title"]
    quotes = [q for f in demo_run["analysis"]["findings"] for qs in f["quotes"].values() for q in qs]
    assert quotes and all(q["genre"] in ("customer", "internal", "conversation") for q in quotes if q["source"] != "drift.toml")
