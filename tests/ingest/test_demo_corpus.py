"""The demo corpus (corpora/demo) ingests cleanly: real export shapes written by other hands."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from drift.config import load_config
from drift.ingest import IngestFailure, discover, parse_file

DEMO = Path(__file__).resolve().parents[2] / "corpora" / "demo"

pytestmark = pytest.mark.skipif(not (DEMO / "drift.toml").is_file(), reason="demo corpus not present")


def test_every_demo_file_parses_with_a_side_and_voices() -> None:
    config = load_config(DEMO / "drift.toml")
    failures, voices, documents = {}, Counter(), 0
    for path in discover([DEMO], config):
        try:
            docs = list(parse_file(path, config))
        except IngestFailure as failure:
            failures[str(path.relative_to(DEMO))] = failure.reason
            continue
        for doc in docs:
            documents += 1
            assert doc.side in ("marketing", "sales"), doc.source
            voices.update((doc.side, turn.voice) for turn in doc.turns)
    assert failures == {}
    assert documents > 0
    assert set(v for side, v in voices if side == "marketing") == {"marketing"}
    sales_turns = sum(n for (side, _), n in voices.items() if side == "sales")
    # Unnamed cross-talk cues are the only turns nobody can be sure of.
    assert voices["sales", "unknown"] <= 0.03 * sales_turns
    assert voices["sales", "buyer"] > 0 and voices["sales", "rep"] > 0
