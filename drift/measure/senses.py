"""Senses: cluster the usages of a term across voices, share them out, label them.

Pure functions over arrays and strings; no I/O. A *sense* is a cluster of
usage embeddings (see `drift.measure.usage_embed`); the same clustering is run
over the pooled usages of every voice so that the senses are shared and each
voice's share of each sense can be compared.
"""

from __future__ import annotations

import re
from typing import Hashable, Sequence

import numpy as np


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 0..k-1 from largest to smallest (ties by first appearance); -1 kept."""
    labels = np.asarray(labels)
    out = np.full(labels.shape, -1, dtype=np.int64)
    valid = labels[labels >= 0]
    if valid.size == 0:
        return out
    ids, first, counts = np.unique(valid, return_index=True, return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], first[i]))
    for new, i in enumerate(order):
        out[labels == ids[i]] = new
    return out


def cluster_senses(
    embeddings: np.ndarray,
    *,
    max_senses: int = 8,
    min_share: float = 0.10,
    min_size: int = 3,
    min_silhouette: float = 0.05,
    seed: int = 13,
    max_points: int = 2000,
) -> np.ndarray:
    """Cluster usages into senses; returns a label per row, 0 = the largest sense.

    Average-link agglomerative clustering on cosine distance. For each k in
    2..`max_senses` the tree is cut into k clusters, clusters holding fewer
    than max(`min_size`, `min_share` of the usages) are folded into the most
    similar remaining sense, and the k with the best silhouette wins; if no k
    reaches `min_silhouette` the usages are one sense. Folding (rather than
    discarding) keeps every usage in a sense, and a sense the report shows
    always covers a real share of the talk. Defaults chosen on DWUG EN
    (benchmarks/README.md). Pass the same (corpus-centred) usage vectors as
    the drift score. Deterministic for a given `seed`.

    Above `max_points` usages the tree is built on a random sample of that many
    (`seed`) and every usage joins the sense whose centroid is nearest: the
    distance matrix is quadratic, so this keeps time and memory flat as a
    corpus grows (2,000 usages: a 32 MB matrix, about a second).
    """
    x = _unit(np.asarray(embeddings))
    if len(x) > max_points:
        sampled = x[np.sort(np.random.default_rng(seed).choice(len(x), max_points, replace=False))]
        labels = cluster_senses(sampled, max_senses=max_senses, min_share=min_share, min_size=min_size,
                                min_silhouette=min_silhouette, seed=seed, max_points=max_points)
        ids = np.unique(labels)
        centroids = _unit(np.stack([sampled[labels == c].mean(axis=0) for c in ids]))
        return _relabel_by_size(ids[np.argmax(x @ centroids.T, axis=1)])
    n = len(x)
    smallest = max(min_size, int(np.ceil(min_share * n)))
    if n < 2 * smallest or n < 3:
        return np.zeros(n, dtype=np.int64)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.metrics import silhouette_score

    dist = np.clip(1.0 - x @ x.T, 0.0, 2.0)
    dist = (dist + dist.T) / 2.0
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    best, best_score = np.zeros(n, dtype=np.int64), -np.inf
    seen: set[bytes] = set()
    for k in range(2, max_senses + 1):
        labels = _fold_small(x, fcluster(tree, k, criterion="maxclust") - 1, smallest)
        key = _relabel_by_size(labels).tobytes()
        if len(np.unique(labels)) < 2 or key in seen:
            continue
        seen.add(key)
        score = silhouette_score(dist, labels, metric="precomputed")
        if score > best_score + 1e-9:
            best, best_score = labels, score
    if best_score < min_silhouette:
        return np.zeros(n, dtype=np.int64)
    return _relabel_by_size(best)


def _fold_small(x: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Merge clusters with fewer than `min_size` members into the most similar big one."""
    labels = labels.copy()
    ids, counts = np.unique(labels, return_counts=True)
    big = ids[counts >= min_size]
    if len(big) == 0:
        return np.zeros_like(labels)
    centroids = _unit(np.stack([x[labels == c].mean(axis=0) for c in big]))
    for c in ids[counts < min_size]:
        rows = labels == c
        labels[rows] = big[np.argmax(x[rows] @ centroids.T, axis=1)]
    return labels


def sense_counts(labels: Sequence[int] | np.ndarray, groups: Sequence[Hashable] | np.ndarray) -> dict[Hashable, np.ndarray]:
    """Per group, the number of its usages in each sense (index = sense label; -1 ignored)."""
    labels = np.asarray(labels)
    groups = np.asarray(groups, dtype=object)
    k = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
    out: dict[Hashable, np.ndarray] = {}
    for g in dict.fromkeys(groups.tolist()):
        mine = labels[(groups == g) & (labels >= 0)]
        out[g] = np.bincount(mine, minlength=k).astype(np.int64)
    return out


def sense_shares(labels: Sequence[int] | np.ndarray, groups: Sequence[Hashable] | np.ndarray) -> dict[Hashable, np.ndarray]:
    """Per group, the share of its usages in each sense (sums to 1; -1 usages ignored)."""
    shares = {}
    for g, counts in sense_counts(labels, groups).items():
        total = counts.sum()
        shares[g] = counts / total if total else counts.astype(np.float64)
    return shares


_TOKEN = re.compile(r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b|\b[^\W\d_]\b")


def label_senses(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    *,
    top_n: int = 5,
    exclude: Sequence[str] = (),
    stop_words: Sequence[str] | None = None,
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 2,
) -> dict[int, list[str]]:
    """Distinctive words of each sense by class-based TF-IDF (c-TF-IDF).

    All usages of a sense are one "document"; a term's weight in sense c is
    tf(t, c) * log(1 + A / f(t)) with tf the term's relative frequency in c,
    f(t) its count over all senses and A the average number of words per
    sense (Grootendorst 2022). English stop words and the words of `exclude`
    (the concept's own terms, present in every sense) are removed; terms seen
    fewer than `min_count` times are ignored unless nothing else is left.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    labels = np.asarray(labels)
    senses = sorted(int(c) for c in np.unique(labels) if c >= 0)
    if not senses:
        return {}
    stop = set(ENGLISH_STOP_WORDS if stop_words is None else stop_words)
    banned = {w.lower() for term in exclude for w in _TOKEN.findall(term)}

    def terms(text: str) -> list[str]:
        words = [w.lower() for w in _TOKEN.findall(text)]
        keep = [w if (w not in stop and w not in banned and len(w) > 1) else None for w in words]
        out = [w for w in keep if w]
        for n in range(2, ngram_range[1] + 1):
            out += [" ".join(keep[i : i + n]) for i in range(len(keep) - n + 1) if all(keep[i : i + n])]
        return out if ngram_range[0] == 1 else [t for t in out if " " in t]

    vocab: dict[str, int] = {}
    rows: list[dict[int, int]] = []
    for c in senses:
        row: dict[int, int] = {}
        for i in np.flatnonzero(labels == c):
            for t in terms(texts[i]):
                j = vocab.setdefault(t, len(vocab))
                row[j] = row.get(j, 0) + 1
        rows.append(row)
    if not vocab:
        return {c: [] for c in senses}
    counts = np.zeros((len(senses), len(vocab)))
    for r, row in enumerate(rows):
        for j, v in row.items():
            counts[r, j] = v
    words = np.array(list(vocab))
    total = counts.sum(axis=0)
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg = counts.sum() / len(senses)
    weight = tf * np.log1p(avg / np.maximum(total, 1))
    out: dict[int, list[str]] = {}
    for r, c in enumerate(senses):
        order = np.lexsort((words, -weight[r]))  # ties broken alphabetically: deterministic
        frequent = [j for j in order if counts[r, j] > 0 and total[j] >= min_count]
        rare = [j for j in order if counts[r, j] > 0 and total[j] < min_count]
        out[c] = [str(words[j]) for j in (frequent + rare)[:top_n]]
    return out


def central_quote_indices(
    embeddings: np.ndarray, labels: Sequence[int] | np.ndarray, k: int = 1
) -> dict[int, list[int]]:
    """For each sense, the row indices of its `k` usages closest to the sense centroid."""
    x = _unit(np.asarray(embeddings))
    labels = np.asarray(labels)
    out: dict[int, list[int]] = {}
    for c in sorted(int(c) for c in np.unique(labels) if c >= 0):
        rows = np.flatnonzero(labels == c)
        centroid = x[rows].mean(axis=0)
        sims = x[rows] @ (centroid / max(float(np.linalg.norm(centroid)), 1e-12))
        order = np.lexsort((rows, -sims))
        out[c] = [int(rows[i]) for i in order[:k]]
    return out
