"""Known-answer tests for drift.measure.stats."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy import stats as sps

from drift.measure import stats


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def blob(rng: np.random.Generator, center: np.ndarray, n: int, spread: float) -> np.ndarray:
    return unit(center + spread * rng.standard_normal((n, len(center))))


def basis(d: int, i: int) -> np.ndarray:
    e = np.zeros(d)
    e[i] = 1.0
    return e


NULL_CENTRED = [stats.centroid_distance_unbiased, stats.apd_minus_within, stats.energy_distance, stats.energy_coefficient]


# --------------------------------------------------------------------------- drift scores


def test_identical_sets_give_zero_drift():
    rng = np.random.default_rng(0)
    a = blob(rng, basis(16, 0), 50, 0.2)
    assert stats.centroid_distance(a, a) == pytest.approx(0.0, abs=1e-12)
    # Same rows on both sides: ~0, a hair below (the unbiased norms leave out
    # each row paired with itself, the cross term cannot).
    assert stats.drift_score(a, a) == pytest.approx(0.0, abs=0.02)
    assert stats.drift_score(a, a) <= 1e-12


@pytest.mark.parametrize("statistic", NULL_CENTRED, ids=lambda s: s.name)
def test_two_samples_of_one_distribution_give_about_zero(statistic):
    rng = np.random.default_rng(1)
    center = basis(32, 0) + basis(32, 1)
    scores = [statistic(blob(rng, center, 30, 0.6), blob(rng, center, 30, 0.6)) for _ in range(40)]
    spread = np.std(scores) / np.sqrt(len(scores))
    assert abs(np.mean(scores)) < 3 * spread + 1e-3  # unbiased: centred on 0 even at n = 30


def test_plain_prt_is_biased_upwards_for_small_samples():
    rng = np.random.default_rng(14)
    center = basis(32, 0)
    small = [(blob(rng, center, 10, 0.4), blob(rng, center, 10, 0.4)) for _ in range(40)]
    plain = np.mean([stats.centroid_distance(a, b) for a, b in small])
    unbiased = np.mean([stats.drift_score(a, b) for a, b in small])
    assert plain > 0.2  # pure sampling noise reads as drift
    assert abs(unbiased) < plain / 3


def test_disjoint_senses_give_maximal_drift():
    rng = np.random.default_rng(2)
    a = blob(rng, basis(16, 0), 40, 0.3)
    b = blob(rng, basis(16, 1), 40, 0.3)
    # Disjoint senses score 1 (unrelated directions) however spread each sense is.
    assert stats.drift_score(a, b) == pytest.approx(1.0, abs=0.05)
    a, b = blob(rng, basis(16, 0), 40, 0.01), blob(rng, basis(16, 1), 40, 0.01)
    assert stats.drift_score(a, b) == pytest.approx(1.0, abs=0.01)
    assert stats.centroid_distance(a, b) == pytest.approx(1.0, abs=0.01)  # orthogonal centroids
    assert stats.energy_coefficient(a, b) == pytest.approx(1.0, abs=0.05)
    assert stats.average_pairwise_distance(a, b) == pytest.approx(1.0, abs=0.01)
    # Exactly one point per sense: the energy coefficient is exactly 1.
    a1 = np.tile(basis(4, 0), (5, 1))
    b1 = np.tile(basis(4, 1), (7, 1))
    assert stats.energy_coefficient(a1, b1) == pytest.approx(1.0, abs=1e-12)
    assert stats.energy_distance(a1, b1) == pytest.approx(2 * math.sqrt(2), abs=1e-12)


def test_drift_grows_with_the_share_of_a_new_sense():
    rng = np.random.default_rng(3)
    old, new = basis(16, 0), basis(16, 1)
    a = blob(rng, old, 100, 0.3)
    values = []
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        k = int(100 * share)
        b = np.vstack([blob(rng, old, 100 - k, 0.3), blob(rng, new, k, 0.3)]) if k else blob(rng, old, 100, 0.3)
        values.append(stats.drift_score(a, b))
    assert values == sorted(values)
    assert abs(values[0]) < 0.02 and values[-1] == pytest.approx(1.0, abs=0.1)


def test_pairwise_statistics_match_direct_formulas():
    rng = np.random.default_rng(4)
    a, b = blob(rng, basis(8, 0), 7, 0.8), blob(rng, basis(8, 2), 9, 0.8)
    ca, cb = a.mean(0), b.mean(0)
    assert stats.centroid_distance(a, b) == pytest.approx(1 - ca @ cb / np.linalg.norm(ca) / np.linalg.norm(cb))
    norm2_a = ((a.sum(0) @ a.sum(0)) - 7) / (7 * 6)  # mean a_i.a_j over i != j
    norm2_b = ((b.sum(0) @ b.sum(0)) - 9) / (9 * 8)
    assert stats.centroid_distance_unbiased(a, b) == pytest.approx(1 - ca @ cb / math.sqrt(norm2_a * norm2_b))
    assert stats.average_pairwise_distance(a, b) == pytest.approx(np.mean(1 - a @ b.T))
    within_a = np.mean([1 - a[i] @ a[j] for i in range(7) for j in range(7) if i != j])
    within_b = np.mean([1 - b[i] @ b[j] for i in range(9) for j in range(9) if i != j])
    assert stats.apd_minus_within(a, b) == pytest.approx(np.mean(1 - a @ b.T) - (within_a + within_b) / 2)
    dist = lambda x, y: np.linalg.norm(x[:, None] - y[None], axis=2)  # noqa: E731
    e_ab = dist(a, b).mean()
    e_aa = dist(a, a).sum() / (7 * 6)
    e_bb = dist(b, b).sum() / (9 * 8)
    assert stats.energy_distance(a, b) == pytest.approx(2 * e_ab - e_aa - e_bb)
    assert stats.energy_coefficient(a, b) == pytest.approx((2 * e_ab - e_aa - e_bb) / (2 * e_ab))


# --------------------------------------------------------------------------- permutation test


def test_permutation_pvalues_are_uniform_under_the_null():
    rng = np.random.default_rng(5)
    center = basis(12, 0)
    pvalues = [
        stats.permutation_test(blob(rng, center, 25, 0.7), blob(rng, center, 30, 0.7), stats.drift_score, 199, rng)
        for _ in range(200)
    ]
    assert sps.kstest(pvalues, "uniform").pvalue > 0.01
    assert 0.03 < np.mean(np.array(pvalues) < 0.1) < 0.2


def test_permutation_test_has_power_and_the_plus_one_floor():
    rng = np.random.default_rng(6)
    a = blob(rng, basis(12, 0), 40, 0.5)
    b = blob(rng, basis(12, 1), 40, 0.5)
    p = stats.permutation_test(a, b, stats.drift_score, 999, rng)
    assert p < 0.01
    assert p == pytest.approx(1 / 1000)  # never 0: the observed split counts


def test_permutation_test_generic_callable_agrees_with_vectorised():
    rng = np.random.default_rng(7)
    a, b = blob(rng, basis(6, 0), 12, 0.9), blob(rng, basis(6, 0) + 0.5 * basis(6, 1), 12, 0.9)
    fast = stats.permutation_test(a, b, stats.energy_coefficient, 300, np.random.default_rng(11))
    slow = stats.permutation_test(a, b, lambda x, y: stats.energy_coefficient(x, y), 300, np.random.default_rng(11))
    assert fast == pytest.approx(slow)


def test_999_permutations_of_two_by_200_are_fast():
    rng = np.random.default_rng(8)
    a, b = blob(rng, basis(384, 0), 200, 0.05), blob(rng, basis(384, 0), 200, 0.05)
    start = time.perf_counter()
    stats.permutation_test(a, b, stats.drift_score, 999, rng)
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_ci_brackets_the_estimate_and_shrinks_with_n():
    rng = np.random.default_rng(9)
    old, new = basis(16, 0), basis(16, 1)

    def sample(n):
        a = blob(rng, old, n, 0.4)
        b = np.vstack([blob(rng, old, n // 2, 0.4), blob(rng, new, n - n // 2, 0.4)])
        return a, b

    a, b = sample(40)
    low, high = stats.bootstrap_ci(a, b, stats.drift_score, 400, 0.95, rng)
    assert low < stats.drift_score(a, b) < high
    big_low, big_high = stats.bootstrap_ci(*sample(160), stats.drift_score, 400, 0.95, rng)
    assert big_high - big_low < high - low


def test_bootstrap_vectorised_matches_literal_resampling():
    a = unit(np.random.default_rng(10).standard_normal((9, 5)))
    b = unit(np.random.default_rng(11).standard_normal((6, 5)))
    fast = stats.bootstrap_ci(a, b, stats.energy_coefficient, 200, 0.9, np.random.default_rng(3))
    slow = stats.bootstrap_ci(a, b, lambda x, y: stats.energy_coefficient(x, y), 200, 0.9, np.random.default_rng(3))
    assert fast == pytest.approx(slow)


# --------------------------------------------------------------------------- multiple testing


def test_benjamini_hochberg_known_values():
    # Values from statsmodels.stats.multitest.multipletests(p, method="fdr_bh"),
    # checked by hand: sorted p * m / rank, then running minimum from the top.
    p = [0.01, 0.04, 0.03, 0.005, 0.20, 0.50]
    expected = [0.03, 0.06, 0.06, 0.03, 0.24, 0.50]
    assert stats.benjamini_hochberg(p) == pytest.approx(expected)
    # By hand: p*m/rank = .001 .002 .00633 .02375 .0402 .04633 .04257 .043 .051 .324;
    # the running minimum from the top lowers rank 6 to rank 7's .042571.
    p2 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240]
    q2 = stats.benjamini_hochberg(p2)
    assert q2 == pytest.approx(
        [0.001, 0.002, 0.0063333333, 0.02375, 0.0402, 0.0425714286, 0.0425714286, 0.043, 0.051, 0.324], rel=1e-8
    )
    assert np.all(np.diff(q2) >= 0)


def test_benjamini_hochberg_edge_cases():
    assert stats.benjamini_hochberg([]).shape == (0,)
    assert stats.benjamini_hochberg([0.9, 0.95]) == pytest.approx([0.95, 0.95])
    q = stats.benjamini_hochberg([0.01, float("nan"), 0.04])
    assert np.isnan(q[1]) and q[0] == pytest.approx(0.02) and q[2] == pytest.approx(0.04)


# --------------------------------------------------------------------------- counts


def test_jensen_shannon_distance_known_values():
    assert stats.jensen_shannon_distance([3, 1, 0], [3, 1, 0]) == pytest.approx(0.0)
    assert stats.jensen_shannon_distance([5, 0], [0, 2]) == pytest.approx(1.0)
    # p = (1/2, 1/2), q = (1, 0): JSD = 1.5 - 0.75*log2(3) bits.
    assert stats.jensen_shannon_distance([1, 1], [1, 0]) == pytest.approx(math.sqrt(1.5 - 0.75 * math.log2(3)))
    from scipy.spatial.distance import jensenshannon

    p, q = [0.1, 0.6, 0.3], [0.5, 0.25, 0.25]
    assert stats.jensen_shannon_distance(p, q) == pytest.approx(jensenshannon(p, q, base=2))


def test_count_tests_detect_a_shift_and_not_noise():
    rng = np.random.default_rng(12)
    assert stats.count_permutation_test([40, 10, 0], [5, 10, 35], 999, rng) < 0.01
    assert stats.count_permutation_test([20, 20, 10], [21, 19, 10], 999, rng) > 0.5
    assert stats.chi_square_test([40, 10, 0], [5, 10, 35]) < 1e-6
    assert stats.chi_square_test([20, 20, 10], [20, 20, 10]) == pytest.approx(1.0)


def test_count_bootstrap_ci_and_wilson_interval():
    rng = np.random.default_rng(16)
    low, high = stats.count_bootstrap_ci([40, 10, 0], [5, 10, 35], 400, 0.95, rng)
    assert low < stats.jensen_shannon_distance([40, 10, 0], [5, 10, 35]) < high
    assert 0.0 <= low and high <= 1.0
    # Wilson 95% for 8/10 by hand: centre (0.8 + z²/20) / (1 + z²/10), half-width
    # z * sqrt(0.016 + z²/400) / (1 + z²/10) with z = 1.96: (0.4902, 0.9433).
    assert stats.wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert stats.wilson_interval(0, 0) == (0.0, 1.0)
    low, high = stats.wilson_interval(0, 20)
    assert low == 0.0 and 0.1 < high < 0.2


def test_log_odds_dirichlet_known_answer():
    # counts_a = (10, 0), counts_b = (0, 10), flat prior 1: for word 0
    # delta = log(11 / 1) - log(1 / 11) = 2 log 11, var = 1/11 + 1/1, z = delta / sqrt(var).
    z = stats.log_odds_dirichlet([10, 0], [0, 10], 1.0)
    assert z[0] == pytest.approx(2 * math.log(11) / math.sqrt(1 / 11 + 1), rel=1e-12)
    assert z[0] == pytest.approx(4.59162, abs=1e-5)
    assert z[1] == pytest.approx(-z[0])


def test_log_odds_dirichlet_signs_and_shrinkage():
    a = np.array([50, 5, 20, 1])
    b = np.array([5, 50, 20, 1])
    z = stats.log_odds_dirichlet(a, b)  # pooled-count prior
    assert z[0] > 3 and z[1] < -3  # distinctive of A, of B
    assert abs(z[2]) < 0.5 and abs(z[3]) < 0.5  # shared words, rare words: near 0
    # More evidence, same proportions: larger |z|.
    assert stats.log_odds_dirichlet(a * 10, b * 10)[0] > z[0]


# --------------------------------------------------------------------------- finding helpers


def test_center_removes_the_reference_and_renormalises():
    x = np.array([[1.0, 1.0], [1.0, -1.0]]) / math.sqrt(2)
    out = stats.center(x, np.array([1.0, 0.0]) / math.sqrt(2))
    assert out == pytest.approx(np.array([[0.0, 1.0], [0.0, -1.0]]))
    assert stats.center(x, None) is not None and stats.center(x, None) == pytest.approx(x)
    # Centring on the corpus mean, not on the pair: drift stays ~0 for one sense.
    rng = np.random.default_rng(15)
    corpus_mean = unit(np.ones((1, 8)))[0] * 0.8
    a, b = blob(rng, basis(8, 0) + 1, 60, 0.3), blob(rng, basis(8, 0) + 1, 60, 0.3)
    assert abs(stats.drift_score(stats.center(a, corpus_mean), stats.center(b, corpus_mean))) < 0.05


def test_compare_usages_insufficient_support_is_none():
    rng = np.random.default_rng(13)
    a, b = blob(rng, basis(8, 0), 5, 0.3), blob(rng, basis(8, 1), 30, 0.3)
    assert stats.compare_usages(a, b, min_support=8) is None
    result = stats.compare_usages(a, b, min_support=5, n_permutations=199, n_boot=100, rng=rng)
    assert result is not None and result.n_a == 5 and result.n_b == 30
    assert result.low <= result.score <= result.high and result.p_value < 0.05


def test_reference_distance_and_cap():
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert stats.reference_distance(a, np.array([1.0, 1.0])) == pytest.approx(0.0)
    assert stats.reference_distance(a, np.array([1.0, -1.0])) == pytest.approx(1.0)
    idx = stats.cap_indices(10, 4, 0)
    assert len(idx) == 4 and np.all(np.diff(idx) > 0)
    assert stats.cap_indices(3, 4).tolist() == [0, 1, 2]


def test_drift_score_direct_path_equals_the_pairwise_matrix():
    """drift_score on one split skips the N x N Gram matrix; the value is the same."""
    from drift.measure.stats import block_sums, drift_score, gram_matrix

    rng = np.random.default_rng(4)
    a = rng.standard_normal((37, 16)) + 0.3
    b = rng.standard_normal((23, 16))
    pooled = np.vstack([a, b])
    member = np.zeros((1, len(pooled)))
    member[0, : len(a)] = 1.0
    via_matrix = float(drift_score.reduce(block_sums(gram_matrix(pooled), member, 1.0 - member))[0])
    assert drift_score(a, b) == pytest.approx(via_matrix, rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------- meaningful vs detectable


def test_best_balanced_threshold_separates_known_classes():
    # Stable words score 0.01-0.08, changed ones 0.15-0.4: any cut between 0.08 and 0.15 is perfect,
    # and the midpoint of the gap is the one returned.
    scores = [0.01, 0.03, 0.08, 0.15, 0.2, 0.4]
    labels = [0, 0, 0, 1, 1, 1]
    assert stats.best_balanced_threshold(scores, labels) == pytest.approx(0.115)


def test_best_balanced_threshold_weighs_classes_equally():
    # Five stable words and one changed one: a cut above everything would be 83% accurate but
    # only 50% balanced-accurate; the cut below the changed word gets 100%.
    scores = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    labels = [0, 0, 0, 0, 0, 1]
    assert 0.4 < stats.best_balanced_threshold(scores, labels) < 0.5
    with pytest.raises(ValueError):
        stats.best_balanced_threshold([0.1, 0.2], [1, 1])


def test_effect_flag_needs_the_interval_to_clear_the_threshold():
    assert stats.effect_flag(low=0.12, q=0.001, threshold=0.1, alpha=0.05) == "meaningful"
    # Significant, but the interval reaches below the minimum meaningful effect.
    assert stats.effect_flag(low=0.04, q=0.001, threshold=0.1, alpha=0.05) == "detectable"
    # A large interval without significance is nothing.
    assert stats.effect_flag(low=0.3, q=0.2, threshold=0.1, alpha=0.05) == "none"
