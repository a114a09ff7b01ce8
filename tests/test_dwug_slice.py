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
    return dwug.product_vectors(words, encoder, cache=False)


def test_slice_is_loaded_balanced(words):
    assert sorted(w.name for w in words) == sorted(CHANGED + STABLE)
    for w in words:
        assert len(w) == 40 and np.sum(w.groups == 1) == 20
        assert all(t[a:b].lower().startswith(w.lemma[:3]) for t, (a, b) in zip(w.texts, w.spans))


def test_benchmark_and_product_give_the_same_vectors_and_scores(dwug, words, vectors, encoder, monkeypatch):
    """The report's path (segments in a table -> usage_vectors -> concepts.pair_scores) and the
    benchmark's --product path agree, given the same corpus reference (the product samples it
    from the corpus's segments, the benchmark takes the mean of all DWUG usages)."""
    from drift.measure import concepts, usage_vectors
    from drift.config import MeasureSettings
    from drift.store import SegmentTable

    texts = [t for w in words for t in w.texts]
    n = len(texts)
    table = SegmentTable(
        text=texts, voice=np.array(["marketing"] * n, dtype=object), channel=np.array(["web"] * n, dtype=object),
        month=np.array([None] * n, dtype=object), source=["dwug"] * n, locator=[None] * n, doc_id=["d"] * n,
        context=list(texts), vectors=np.zeros((n, 384), dtype=np.float32),
    )
    raw = dwug.embed_variant(words, dwug.PRODUCT_EMBEDDING, encoder, cache=False)
    reference = usage_vectors.reference_of(np.vstack(raw))
    sense_raw = dwug.embed_variant(words, "product-sense", encoder, cache=False)
    sense_reference = usage_vectors.reference_of(np.vstack(sense_raw))
    monkeypatch.setattr(usage_vectors, "corpus_reference",
                        lambda store, enc, tab, sense=False: sense_reference if sense else reference)
    start = 0
    benchmark_pairs = dwug.product_pairs(words, encoder, cache=False)
    benchmark_senses = dwug.product_sense_vectors(words, encoder, cache=False)
    for word, expected, pair, sense_expected in zip(words, vectors, benchmark_pairs, benchmark_senses):
        rows = np.arange(start, start + len(word))
        start += len(word)
        got = usage_vectors.usage_vectors(None, encoder, table, rows, list(word.spans))
        assert np.abs(got - expected).max() < 1e-5, word.name
        got_senses = usage_vectors.sense_vectors(None, encoder, table, rows, list(word.spans))
        assert np.abs(got_senses - sense_expected).max() < 1e-4, word.name
        voices = np.where(word.groups == 1, "marketing", "rep").astype(object)
        data = concepts.ConceptData(usages=None, vectors=got, voices=voices)
        (scored,) = [p for p in concepts.pair_scores(data, MeasureSettings(), np.random.default_rng(0))
                     if p.voices == ("marketing", "rep")]
        assert scored.score == pytest.approx(pair["score"], abs=1e-5), word.name


def test_changed_words_drift_more_than_stable_ones(dwug, words, encoder):
    scores = dict(zip((w.name for w in words), dwug.product_scores(words, encoder, cache=False)))
    assert min(scores[w] for w in CHANGED) > max(scores[w] for w in STABLE), scores


def test_senses_recover_human_clusters_on_clear_words(dwug, words, encoder):
    from drift.measure import concepts

    sense_vectors = dwug.product_sense_vectors(words, encoder, cache=False)
    ari = dict(zip((w.name for w in words), dwug.sense_ari(words, sense_vectors, min_share=concepts.SENSE_MIN_SHARE)))
    # plane (geometry / aircraft) and graft (horticulture / corruption) split cleanly.
    assert ari["plane_nn"] > 0.3 and ari["graft_nn"] > 0.3, ari
