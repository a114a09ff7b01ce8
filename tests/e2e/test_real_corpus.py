"""The real-corpus benchmark on its smallest shared corpus: truths found, no must-not said.

Runs only where ../shared/corpora is present (it is not part of the repository) and skips
cleanly elsewhere. The floor is what the report finds today; a change that loses a truth or
says something the answer key forbids fails here before it reaches the monthly review.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpora" / "shuffle-docs-2020-2024"
FLOOR = 3  # truths the report finds on this corpus (benchmarks/README.md, "Real corpora")


def benchmark():
    spec = importlib.util.spec_from_file_location("real_corpora", REPO / "benchmarks" / "real_corpora.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (CORPUS / "ANSWERS.md").exists(), reason="../shared/corpora is not present")
def test_smallest_shared_corpus_keeps_its_truths_and_says_nothing_forbidden(tmp_path):
    bench = benchmark()
    key = bench.load_answer_key(CORPUS / "ANSWERS.md")
    report = bench.run_report(CORPUS, tmp_path, fresh=True)
    score = bench.score(report, key, CORPUS.name)
    assert len(score.found) >= FLOOR, (score.found, score.missed)
    assert not score.violations, score.violations
    assert len(score.top) == min(10, len(report["findings"]))
