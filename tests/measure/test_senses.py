"""drift.measure.senses on synthetic usages whose senses are known."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from drift.measure import senses


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def blobs(sizes: list[int], dim: int = 32, spread: float = 0.15, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for k, n in enumerate(sizes):
        center = np.zeros(dim)
        center[k] = 1.0
        rows.append(unit(center + spread * rng.standard_normal((n, dim))))
        truth += [k] * n
    return np.vstack(rows), np.array(truth)


@pytest.mark.parametrize("sizes", [[40, 40], [60, 25, 15], [30, 30, 30, 30]])
def test_well_separated_blobs_are_recovered(sizes):
    x, truth = blobs(sizes)
    labels = senses.cluster_senses(x)
    assert adjusted_rand_score(truth, labels) == pytest.approx(1.0)


def test_one_diffuse_cloud_is_one_sense():
    rng = np.random.default_rng(1)
    x = unit(np.ones(32) + 0.5 * rng.standard_normal((120, 32)))
    assert set(senses.cluster_senses(x).tolist()) == {0}


def test_labels_are_ordered_by_size_and_deterministic():
    x, _ = blobs([10, 50, 25], seed=2)
    labels = senses.cluster_senses(x)
    counts = np.bincount(labels)
    assert counts.tolist() == sorted(counts.tolist(), reverse=True)
    assert np.array_equal(labels, senses.cluster_senses(x))
    # Row order does not change which usages go together.
    perm = np.random.default_rng(3).permutation(len(x))
    assert adjusted_rand_score(labels[perm], senses.cluster_senses(x[perm])) == pytest.approx(1.0)


def test_tiny_inputs_do_not_fail():
    assert senses.cluster_senses(np.zeros((0, 4))).shape == (0,)
    assert senses.cluster_senses(unit(np.eye(3))).tolist() == [0, 0, 0]


def test_sense_shares_and_counts():
    labels = np.array([0, 0, 1, 1, 1, 0, -1, 2])
    groups = np.array(["marketing", "marketing", "marketing", "rep", "rep", "rep", "rep", "rep"])
    counts = senses.sense_counts(labels, groups)
    assert counts["marketing"].tolist() == [2, 1, 0]
    assert counts["rep"].tolist() == [1, 2, 1]  # the -1 usage is not counted
    shares = senses.sense_shares(labels, groups)
    assert shares["marketing"] == pytest.approx([2 / 3, 1 / 3, 0])
    assert shares["rep"] == pytest.approx([0.25, 0.5, 0.25])


def test_label_senses_finds_each_senses_own_words():
    texts = [
        "the lead downloaded the ebook from our webinar page",
        "a qualified lead downloaded two whitepapers and the ebook",
        "lead scored high after the webinar and the ebook download",
        "the lead confirmed budget and timeline on the discovery call",
        "qualified lead: budget approved, timeline this quarter, decision maker on call",
        "the lead has budget, a timeline and a champion",
    ]
    labels = np.array([0, 0, 0, 1, 1, 1])
    words = senses.label_senses(texts, labels, top_n=3, exclude=["qualified lead"])
    assert "ebook" in words[0] and "webinar" in words[0]
    assert "budget" in words[1] and "timeline" in words[1]
    for terms in words.values():
        assert not {"the", "and", "lead", "qualified"} & set(terms)


def test_central_quote_is_the_usage_nearest_the_centroid():
    x = unit(np.array([[1.0, 0.1], [1.0, 0.0], [1.0, -0.1], [0.0, 1.0], [0.1, 1.0], [0.4, 1.0]]))
    labels = np.array([0, 0, 0, 1, 1, 1])
    central = senses.central_quote_indices(x, labels, k=2)
    assert central[0][0] == 1
    assert central[1][0] == 4 and len(central[1]) == 2


def test_many_usages_are_clustered_on_a_sample_and_all_assigned():
    x, truth = blobs([3000, 1500, 700])
    labels = senses.cluster_senses(x, max_points=600)
    assert len(labels) == len(x)
    assert adjusted_rand_score(truth, labels) == pytest.approx(1.0)
    assert np.array_equal(labels, senses.cluster_senses(x, max_points=600))  # seeded: same answer
    assert np.bincount(labels).tolist() == [3000, 1500, 700]
