"""The demo's planted loop (ANSWERS.md, [[loop]]): the report states when buyers first raised
the theme, when marketing copy began to answer it, and the lag between them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

pytestmark = pytest.mark.slow

ANSWERS = Path(__file__).resolve().parents[2] / "corpora" / "demo" / "ANSWERS.md"
LOOPS = tomllib.loads(re.search(r"```toml\n(.*?)```", ANSWERS.read_text(encoding="utf-8"), re.S).group(1)).get("loop", [])


@pytest.mark.parametrize("planted", LOOPS, ids=[p["id"] for p in LOOPS])
def test_the_report_states_the_lag(demo_run, planted):
    analysis = demo_run["analysis"]
    words = [w.lower() for w in planted["theme_words"]]
    themes = [t for t in analysis["themes"]
              if any(w in (t["label"] + " " + " ".join(q["text"] for q in t["quotes"])).lower() for w in words)]
    assert themes, "no buyer theme about " + ", ".join(words)
    lag = planted["lag_months"]
    sentence = (f"First raised in {planted['first_month']}; marketing copy began to answer it in "
                f"{planted['answered_month']}, {lag} months later.")
    assert any(t["loop"] == sentence for t in themes), [t["loop"] for t in themes]
    answered = [c for c in analysis["changes"] if c["kind"] == "answered" and c["details"]["lag_months"] == lag]
    assert answered, [c["title"] for c in analysis["changes"]]
    change = answered[0]
    assert change["page"].endswith(planted["page"]) and change["date_to"] == planted["answered_month"]
    assert change["quotes_before"] and all(q["voice"] == "buyer" for q in change["quotes_before"])
    assert change["quotes_after"][0]["source"].endswith("pricing.html")
    html = demo_run["html"].read_text(encoding="utf-8")
    assert sentence in html and 'id="timeline"' in html
