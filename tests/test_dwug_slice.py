"""A small, fast slice of the DWUG EN benchmark through the product's code path.

Runs when ../shared/benchmarks/dwug_en exists (next to the repository), and is
skipped with the reason otherwise. Six words, 40 usages each (20 per corpus):
three the annotators graded as strongly changed, three as not changed at all.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
DWUG = REPO.parent / "shared" / "benchmarks" / "dwug_en"
CHANGED = ["plane_nn", "graft_nn", "prop_nn"]  # change_graded 0.89, 0.63, 0.67
STABLE = ["tree_nn", "afternoon_nn", "contemplation_nn"]  # change_graded 0.0

pytestmark = pytest.mark.skipif(
    not (DWUG / "data").is_dir(),
    reason=f"DWUG EN benchmark data not found at {DWUG} (it lives in ../shared, outside the repository)",
)


@pytest.fixture(scope="module")
def dwug():
    spec = importlib.util.spec_from_file_location("benchmarks_dwug", REPO / "benchmarks" / "dwug.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def words(dwug):
    return dwug.load_words(DWUG, names=CHANGED + STABLE, max_usages=40)


@pytest.fixture(scope="module")
def vectors(dwug, words, encoder):
    return dwug.embed_variant(words, dwug.PRODUCT_EMBEDDING, encoder, cache=False)


def test_slice_is_loaded_balanced(words):
    assert sorted(w.name for w in words) == sorted(CHANGED + STABLE)
    for w in words:
        assert len(w) == 40 and np.sum(w.groups == 1) == 20
        assert all(t[a:b].lower().startswith(w.lemma[:3]) for t, (a, b) in zip(w.texts, w.spans))


def test_changed_words_drift_more_than_stable_ones(dwug, words, encoder):
    scores = dict(zip((w.name for w in words), dwug.product_scores(words, encoder, cache=False)))
    assert min(scores[w] for w in CHANGED) > max(scores[w] for w in STABLE), scores
    assert max(scores[w] for w in STABLE) < 0.25


def test_senses_recover_human_clusters_on_clear_words(dwug, words, vectors):
    from drift.measure import stats

    reference = np.vstack(vectors).mean(axis=0)
    centred = [stats.center(x, reference) for x in vectors]
    ari = dict(zip((w.name for w in words), dwug.sense_ari(words, centred)))
    # plane (geometry / aircraft) and graft (horticulture / corruption) split cleanly.
    assert ari["plane_nn"] > 0.3 and ari["graft_nn"] > 0.3, ari
