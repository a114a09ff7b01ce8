"""A small learned head on the product's usage vectors, trained on DWUG EN's pair judgements.

DWUG EN has ~65,000 human judgements of how related two usages of a word are (1 = unrelated,
4 = identical). This script fits a linear head on frozen all-MiniLM-L6-v2 usage vectors so
that the cosine of two projected usages tracks the judgement, and asks whether the product's
score gets better. Honest evaluation: word-disjoint cross-validation. The head (and the mean it
centres on) is fitted on the pairs of the training words only, the held-out words are scored
with it, and only held-out numbers are printed.

The head: centre (on the training usages' mean), rotate into the top `--pca` principal
directions, and weight each direction by w_k >= 0, where w is the ridge regression of the
judgement on the per-direction products z_ik * z_jk of the judged pairs (a diagonal metric:
cos(head(x_i), head(x_j)) = sum_k w_k z_ik z_jk / norms). Closed form, seconds to fit.

    python benchmarks/dwug_head.py                  # product vectors, a few settings
    python benchmarks/dwug_head.py --embedding product-sense

A head is shipped only if it beats the unsupervised product method on the held-out folds; see
benchmarks/README.md for the result (it did not: none is shipped).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("benchmarks_dwug", HERE / "dwug.py")
dwug = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = dwug
spec.loader.exec_module(dwug)

from drift.measure import stats  # noqa: E402


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def judged_pairs(words: list) -> np.ndarray:
    """Rows (word index, usage i, usage j, mean judgement), usages indexed over all words;
    judgements of 0 ("cannot decide") dropped, repeated judgements of one pair averaged."""
    offsets = np.cumsum([0] + [len(w) for w in words])
    out = []
    for wi, w in enumerate(words):
        position = {u: k for k, u in enumerate(w.ids)}
        seen: dict[tuple[int, int], list[float]] = {}
        for row in dwug._read_tsv(dwug.DATA / "data" / w.name / "judgments.csv"):
            a, b, value = position.get(row["identifier1"]), position.get(row["identifier2"]), float(row["judgment"])
            if value == 0 or a is None or b is None or a == b:
                continue
            seen.setdefault((min(a, b), max(a, b)), []).append(value)
        out += [(wi, offsets[wi] + a, offsets[wi] + b, float(np.mean(v))) for (a, b), v in seen.items()]
    return np.array(out)


def fit_head(x: np.ndarray, owner: np.ndarray, pairs: np.ndarray, train: np.ndarray, pca: int, ridge: float):
    """(mean, projection) fitted on the usages and judged pairs of the `train` words only."""
    mine = np.isin(owner, train)
    mean = x[mine].mean(axis=0)
    centred = _unit(x - mean)
    basis = np.linalg.svd(centred[mine], full_matrices=False)[2][:pca].T
    z = centred @ basis
    use = np.isin(pairs[:, 0], train)
    i, j = pairs[use, 1].astype(int), pairs[use, 2].astype(int)
    design = np.hstack([z[i] * z[j], np.ones((len(i), 1))])
    w = np.linalg.solve(design.T @ design + ridge * np.eye(pca + 1), design.T @ pairs[use, 3])[:pca]
    return mean, basis * np.sqrt(np.maximum(w, 0.0))[None, :]


def held_out(words: list, vectors: list[np.ndarray], pairs: np.ndarray, pca: int | None, ridge: float,
             seeds=(0, 1, 2)) -> tuple[float, float]:
    """Mean over fold seeds of (held-out Spearman vs change_graded, held-out per-word pair Spearman).
    `pca=None`: no head, the product's centring on the training words' mean only."""
    from scipy.stats import spearmanr

    x = np.vstack(vectors)
    owner = np.concatenate([[i] * len(w) for i, w in enumerate(words)])
    gold = np.array([w.change_graded for w in words])
    rhos, pair_rhos = [], []
    for seed in seeds:
        scores = np.zeros(len(words))
        per_word = []
        for fold in dwug.word_folds(len(words), 5, seed):
            train = np.setdiff1d(np.arange(len(words)), fold)
            if pca is None:
                z = _unit(x - x[np.isin(owner, train)].mean(axis=0))
            else:
                mean, projection = fit_head(x, owner, pairs, train, pca, ridge)
                z = _unit(_unit(x - mean) @ projection)
            for wi in fold:
                w, rows = words[wi], owner == wi
                zw = z[rows]
                scores[wi] = float(stats.drift_score(zw[w.groups == 1], zw[w.groups == 2]))
                mine = pairs[:, 0] == wi
                cos = np.einsum("ij,ij->i", z[pairs[mine, 1].astype(int)], z[pairs[mine, 2].astype(int)])
                per_word.append(spearmanr(cos, pairs[mine, 3])[0])
        rhos.append(spearmanr(scores, gold)[0])
        pair_rhos.append(np.nanmean(per_word))
    return float(np.mean(rhos)), float(np.mean(pair_rhos))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedding", default=dwug.PRODUCT_EMBEDDING, help="a benchmarks/dwug.py embedding")
    args = parser.parse_args(argv)
    words = dwug.load_words()
    vectors = dwug.embed_variant(words, args.embedding)
    pairs = judged_pairs(words)
    print(f"{args.embedding}: {len(pairs)} judged pairs; 5-fold word-disjoint CV, 3 seeds, held-out numbers only\n")
    print("| head | Spearman vs change_graded | pair Spearman (cosine vs judgement) |")
    print("|---|---:|---:|")
    rho, pair = held_out(words, vectors, pairs, None, 0.0)
    print(f"| none (centred on the training words' mean) | {rho:.3f} | {pair:.3f} |", flush=True)
    for pca in (64, 128, 256):
        for ridge in (1.0, 100.0):
            rho, pair = held_out(words, vectors, pairs, pca, ridge)
            print(f"| diagonal metric, {pca} principal directions, ridge {ridge:g} | {rho:.3f} | {pair:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
