"""Flat partitions of many sentences (claims, buyer utterances, the whole corpus).

Senses of one term are few and uneven, which suits average-link clustering
(senses.py). Pillars, themes and topics are many and roughly even, and their
inputs are larger: k-means suits them and stays linear in the number of rows.
k grows with the square root of the rows. Silhouette was tried to choose k and
rejected: on sentence embeddings it is nearly flat and always picks the
smallest k, which merged unrelated claims (AI and pricing) into one pillar.
"""

from __future__ import annotations

import math

import numpy as np


def default_k(n: int, low: int, high: int, per_group: int = 4) -> int:
    """sqrt(n / per_group), clamped to [low, high] and to at most n // 2."""
    return max(1, min(high, max(low, round(math.sqrt(n / per_group))), n // 2))


def partition(vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k-means labels on unit vectors, renumbered so 0 is the largest group. Deterministic."""
    n = len(vectors)
    if n < 2 or k < 2:
        return np.zeros(n, dtype=np.int64)
    from sklearn.cluster import KMeans  # here, not at the top: `drift check` never clusters (2 s of import)

    labels = KMeans(n_clusters=min(k, n), n_init=4, random_state=seed).fit_predict(vectors)
    sizes = np.bincount(labels)
    rank = np.empty_like(sizes)
    rank[np.lexsort((np.arange(len(sizes)), -sizes))] = np.arange(len(sizes))
    return rank[labels].astype(np.int64)
