"""Nearest-match search behind buyer-theme coverage: exact answers on small vectors, any chunking."""

import numpy as np
import pytest

from drift.measure.claims import best_matches


def unit(*rows):
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_best_match_per_query_and_per_pool_row(chunk):
    queries = unit([1, 0, 0], [0, 1, 0])
    pool = unit([1, 1, 0], [0.9, 0.1, 0], [0, 0, 1])
    best, where, pool_best = best_matches(queries, pool, chunk=chunk)
    assert where.tolist() == [1, 0]
    assert best == pytest.approx([0.9 / np.hypot(0.9, 0.1), 1 / np.sqrt(2)], abs=1e-6)
    assert pool_best == pytest.approx([1 / np.sqrt(2), 0.9 / np.hypot(0.9, 0.1), 0.0], abs=1e-6)


def test_pool_rows_of_the_same_conversation_do_not_count():
    queries = unit([1, 0, 0])
    pool = unit([1, 0, 0], [1, 1, 0])
    best, where, _ = best_matches(queries, pool, np.array([7]), np.array([7, 8]), chunk=1)
    assert where.tolist() == [1] and best[0] == pytest.approx(1 / np.sqrt(2), abs=1e-6)


def test_empty_pool_means_no_match():
    best, where, pool_best = best_matches(unit([1, 0]), np.zeros((0, 2), np.float32))
    assert best.tolist() == [-1.0] and where.tolist() == [-1] and pool_best.shape == (0,)
