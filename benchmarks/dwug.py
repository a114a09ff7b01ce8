"""DWUG EN: does drift's score track human-graded change in meaning?

DWUG EN (Schlechtweg et al. 2021) has 46 English words with ~200 usages each
from two corpora (1810-1860 and 1960-2010), human graded change scores, and
human sense clusters of the usages. We treat the two corpora as two voices and
score each word with the functions the product uses on a concept: usage
vectors from `drift.measure.usage_vectors` (`embed_usages`, then `prepare` on
the corpus mean), scores, intervals and p-values from
`drift.measure.concepts.score_pair`, flags from `concepts.meaning_flag`'s rule
and senses from `drift.measure.senses.cluster_senses`.

    python benchmarks/dwug.py               # all 46 words, every variant
    python benchmarks/dwug.py --words 6     # a quick slice (first 6 words)
    python benchmarks/dwug.py --product     # only the product's method, flags and senses

Prints, per variant, Spearman between the drift score and `change_graded` with
a bootstrap 95% CI over words; per embedding, the adjusted Rand index of
`cluster_senses` against the human clusters (unclustered -1 usages ignored);
and for the product's method, how its flags compare with the human
`change_binary`: the minimum meaningful drift calibrated by balanced accuracy,
cross-validated by word, and the held-out precision and recall of "meaningful"
(interval clears it) and of "detectable" (q < 0.05). Embeddings are cached
under ~/.cache/drift/dwug/ (DRIFT_CACHE_DIR): the first full run encodes
~9,000 usages per embedding variant (2-10 minutes each on 2 CPU cores), later
runs take seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from drift.cache import cache_dir  # noqa: E402
from drift.measure import concepts, senses, stats, usage_vectors  # noqa: E402
from drift.measure.usage_embed import encode_usages  # noqa: E402

DATA = REPO.parent / "shared" / "benchmarks" / "dwug_en"
OUT = cache_dir() / "dwug"
csv.field_size_limit(1 << 30)

#: The product's method: `usage_vectors.embed_usages` ("product" below), `usage_vectors.prepare`
#: on the mean of all usages ("centred" here is `stats.center` on that mean, the same function),
#: then `stats.drift_score` (= the score of `concepts.score_pair`).
PRODUCT_EMBEDDING = "product"
PRODUCT_VARIANT = "product | centred | PRT unbiased"


@dataclass(frozen=True)
class Word:
    """One target word: its usages from both corpora and the human answers."""

    name: str
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    sentence_spans: tuple[tuple[int, int], ...]
    groups: np.ndarray  # 1 or 2 per usage
    change_graded: float
    change_binary: int
    clusters: np.ndarray  # human sense id per usage, -1 = unclustered

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def lemma(self) -> str:
        """The target's dictionary form: "plane" for plane_nn."""
        return self.name.rsplit("_", 1)[0]


def _span(value: str) -> tuple[int, int]:
    start, end = value.split(":")
    return int(start), int(end)


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_words(
    root: Path = DATA, limit: int | None = None, max_usages: int | None = None, names: list[str] | None = None
) -> list[Word]:
    """Read DWUG EN. `names` picks words, `limit` keeps the first N (alphabetical),
    `max_usages` keeps at most that many usages per word, half from each group."""
    stats_rows = {r["lemma"]: r for r in _read_tsv(root / "stats" / "opt" / "stats_groupings.csv")}
    available = sorted(p.name for p in (root / "data").iterdir() if p.is_dir())
    chosen = [w for w in available if w in names] if names else available
    if limit:
        chosen = chosen[:limit]
    out = []
    for name in chosen:
        cluster_of = {r["identifier"]: int(r["cluster"]) for r in _read_tsv(root / "clusters" / "opt" / f"{name}.csv")}
        rows = _read_tsv(root / "data" / name / "uses.csv")
        if max_usages:
            rows = [r for g in ("1", "2") for r in [r for r in rows if r["grouping"] == g][: max_usages // 2]]
        out.append(
            Word(
                name=name,
                ids=tuple(r["identifier"] for r in rows),
                texts=tuple(r["context"] for r in rows),
                spans=tuple(_span(r["indexes_target_token"]) for r in rows),
                sentence_spans=tuple(_span(r["indexes_target_sentence"]) for r in rows),
                groups=np.array([int(r["grouping"]) for r in rows]),
                change_graded=float(stats_rows[name]["change_graded"]),
                change_binary=int(stats_rows[name]["change_binary"]),
                clusters=np.array([cluster_of.get(r["identifier"], -1) for r in rows]),
            )
        )
    return out


# --------------------------------------------------------------------------- embeddings


def _usages(words: list[Word], encoder, lemma: bool = False, mask: bool = False, **kwargs) -> np.ndarray:
    texts = [t for w in words for t in w.texts]
    spans = [s for w in words for s in w.spans]
    new = [w.lemma for w in words for _ in w.texts] if lemma else None
    if mask:
        new = encoder.model.tokenizer.mask_token
    return encode_usages(encoder, texts, spans, replacements=new, **kwargs)


def _target_sentences(words: list[Word], encoder) -> np.ndarray:
    return encoder.encode([t[a:b] for w in words for t, (a, b) in zip(w.texts, w.sentence_spans)])


# name -> (description, function(words, encoder) -> (N, d) rows for all usages of all words, in order)
EMBEDDINGS: dict[str, tuple[str, Callable[[list[Word], object], np.ndarray]]] = {
    "product": (f"the product's usage_vectors.embed_usages: {usage_vectors.METHOD} pooling, layers "
                f"{usage_vectors.LAYERS}, ±{usage_vectors.WINDOW} chars",
                lambda ws, e: usage_vectors.embed_usages(e, [t for w in ws for t in w.texts], [s for w in ws for s in w.spans])),
    "product-sense": ("the product's usage_vectors.embed_sense_usages: last layer over the window, term in quotes, unnormalised",
                      lambda ws, e: usage_vectors.embed_sense_usages(e, [t for w in ws for t in w.texts],
                                                                     [s for w in ws for s in w.spans])),
    "sent-window": ("sentence embedding of the ±150-char window (the obvious baseline)",
                    lambda ws, e: _usages(ws, e, method="sentence")),
    "sent-marked": ('same window, target in "double quotes" (product)',
                    lambda ws, e: _usages(ws, e, method="marked")),
    "sent-bracket": ("same window, target in [brackets]",
                     lambda ws, e: _usages(ws, e, method="marked", marks=("[", "]"))),
    "sent-lemma": ("same window, target replaced by its lemma",
                   lambda ws, e: _usages(ws, e, method="sentence", lemma=True)),
    "sent-marked-lemma": ('same window, lemma in "quotes"',
                          lambda ws, e: _usages(ws, e, method="marked", lemma=True)),
    "sent-w40": ("sentence embedding of a ±40-char window", lambda ws, e: _usages(ws, e, method="sentence", window=40)),
    "sent-w80": ("sentence embedding of a ±80-char window", lambda ws, e: _usages(ws, e, method="sentence", window=80)),
    "sent-sentence": ("sentence embedding of the target sentence only", _target_sentences),
    "token": ("target's tokens mean-pooled, last layer, ±150 chars", lambda ws, e: _usages(ws, e, method="token")),
    "token-full": ("target's tokens, last layer, whole context", lambda ws, e: _usages(ws, e, method="token", window=None)),
    "token-w40": ("target's tokens, last layer, ±40 chars", lambda ws, e: _usages(ws, e, method="token", window=40)),
    "token-w80": ("target's tokens, last layer, ±80 chars", lambda ws, e: _usages(ws, e, method="token", window=80)),
    "token-L3-6": ("target's tokens, mean of layers 3-6", lambda ws, e: _usages(ws, e, method="token", layers=(3, 4, 5, 6))),
    "token-L1-6": ("target's tokens, mean of layers 1-6",
                   lambda ws, e: _usages(ws, e, method="token", layers=(1, 2, 3, 4, 5, 6))),
    "token-lemma": ("target's tokens, target replaced by its lemma", lambda ws, e: _usages(ws, e, method="token", lemma=True)),
    "token-mask": ("[MASK] in place of the target, its vector", lambda ws, e: _usages(ws, e, method="token", mask=True)),
}


def _model_tag() -> str:
    from drift.embed import requested_model

    return re.sub(r"[^A-Za-z0-9_.-]+", "_", requested_model())[-60:]


_MEMORY: dict[str, dict[str, np.ndarray]] = {}


def embed_variant(words: list[Word], name: str, encoder=None, cache: bool = True) -> list[np.ndarray]:
    """Per-word (n_i, d) float32 arrays for embedding variant `name`, cached by usage id
    in memory for the process and, with `cache`, in benchmarks/out/."""
    if "+" in name:  # concatenation of two variants, each unit length: cosine = mean of cosines
        parts = [embed_variant(words, part, encoder, cache) for part in name.split("+")]
        return [_unit(np.hstack(p)) for p in zip(*parts)]
    keys = [f"{w.name}/{i}" for w in words for i in w.ids]
    path = OUT / f"dwug-{_model_tag()}-{name}.npz"
    stored = _MEMORY.setdefault(f"{_model_tag()}/{name}", {})
    if cache and path.is_file() and not all(k in stored for k in keys):
        with np.load(path, allow_pickle=False) as data:
            stored.update(zip(data["keys"].tolist(), data["vectors"]))
    missing = [w for w in words if not all(f"{w.name}/{i}" in stored for i in w.ids)]
    if missing:
        if encoder is None:
            from drift.embed import Encoder

            encoder = Encoder()
        started = time.perf_counter()
        vectors = EMBEDDINGS[name][1](missing, encoder)
        print(f"  encoded {len(vectors)} usages for {name} in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        stored.update(zip([f"{w.name}/{i}" for w in missing for i in w.ids], vectors))
        if cache:
            OUT.mkdir(parents=True, exist_ok=True)
            np.savez(path, keys=np.array(list(stored)), vectors=np.stack(list(stored.values())))
    return [np.stack([stored[f"{w.name}/{i}"] for i in w.ids]).astype(np.float32) for w in words]


# --------------------------------------------------------------------------- transforms and scorers


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def transform(vectors: list[np.ndarray], how: str) -> list[np.ndarray]:
    """Corpus-level post-processing, fitted on all usages of all scored words.

    "none"; "centred" (subtract the mean usage vector: `stats.center`, what the
    product does with its corpus mean); "abttD" (centre, then remove the top D
    principal directions: "all-but-the-top", Mu & Viswanath 2018); "whitenK"
    (centre, PCA-whiten to K dimensions).
    """
    if how == "none":
        return vectors
    pooled = np.vstack(vectors).astype(np.float64)
    mean = pooled.mean(axis=0)
    if how == "centred":
        return [stats.center(x, mean) for x in vectors]
    if how == "product":  # usage_vectors.prepare on the corpus reference (the mean of all usages)
        reference = usage_vectors.reference_of(pooled)
        return [usage_vectors.prepare(x, reference) for x in vectors]
    _, sing, vt = np.linalg.svd(pooled - mean, full_matrices=False)
    if how.startswith("abtt"):
        top = vt[: int(how[4:])]
        return [_unit((x - mean) - (x - mean) @ top.T @ top) for x in vectors]
    if how.startswith("whiten"):
        k = int(how[6:])
        project = vt[:k].T / sing[:k] * np.sqrt(len(pooled))
        return [_unit((x - mean) @ project) for x in vectors]
    raise ValueError(how)


def _split(word: Word, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x[word.groups == 1], x[word.groups == 2]


def sense_jsd(word: Word, x: np.ndarray) -> float:
    """Jensen-Shannon distance of the two groups' shares of `cluster_senses` senses."""
    counts = senses.sense_counts(senses.cluster_senses(x), word.groups)
    return stats.jensen_shannon_distance(counts[1], counts[2])


def knn_mixing(word: Word, x: np.ndarray, k: int = 10) -> float:
    """Benchmark-only: how much more often a usage's k nearest neighbours come from its
    own group than chance would give (Schilling 1986's nearest-neighbour statistic)."""
    groups = word.groups
    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argsort(-sims, axis=1)[:, :k]
    same = (groups[nearest] == groups[:, None]).mean(axis=1)
    n, n1 = len(groups), int(np.sum(groups == 1))
    expected = np.where(groups == 1, (n1 - 1) / (n - 1), (n - n1 - 1) / (n - 1))
    return float(np.mean(same - expected))


def _pairwise(statistic: stats.PairwiseStatistic) -> Callable[[Word, np.ndarray], float]:
    return lambda word, x: float(statistic(*_split(word, x)))


SCORERS: dict[str, Callable[[Word, np.ndarray], float]] = {
    "PRT": _pairwise(stats.centroid_distance),
    "PRT unbiased": _pairwise(stats.centroid_distance_unbiased),
    "APD": _pairwise(stats.average_pairwise_distance),
    "APD - within": _pairwise(stats.apd_minus_within),
    "energy distance": _pairwise(stats.energy_distance),
    "energy coefficient": _pairwise(stats.energy_coefficient),
    "sense JSD": sense_jsd,
    "kNN mixing*": knn_mixing,
}

# (embedding, transform, scorer); "A & B" rows are ensembles (mean of the two scores).
VARIANTS: list[tuple[str, str, str]] = [
    ("product", "none", "PRT unbiased"),
    ("product", "centred", "PRT unbiased"),
    ("product", "centred", "PRT"),
    ("product", "centred", "APD"),
    ("product", "centred", "APD - within"),
    ("product", "centred", "energy coefficient"),
    ("product", "centred", "sense JSD"),
    ("product", "whiten64", "PRT"),
    ("product", "abtt1", "PRT unbiased"),
    ("product-sense", "centred", "PRT unbiased"),
    ("product-sense", "centred", "sense JSD"),
    ("product & product", "centred", "PRT unbiased & sense JSD"),
    ("product & product-sense", "centred", "PRT unbiased & sense JSD"),
    ("sent-window", "none", "PRT"),
    ("sent-window", "none", "PRT unbiased"),
    ("sent-window", "none", "APD"),
    ("sent-window", "none", "APD - within"),
    ("sent-window", "none", "energy distance"),
    ("sent-window", "none", "energy coefficient"),
    ("sent-window", "none", "sense JSD"),
    ("sent-window", "none", "kNN mixing*"),
    ("sent-window", "centred", "PRT"),
    ("sent-window", "centred", "PRT unbiased"),
    ("sent-window", "centred", "energy coefficient"),
    ("sent-window", "abtt3", "PRT"),
    ("sent-window", "whiten32", "PRT"),
    ("sent-marked", "none", "PRT"),
    ("sent-marked", "none", "energy coefficient"),
    ("sent-marked", "centred", "PRT"),
    ("sent-marked", "centred", "PRT unbiased"),
    ("sent-marked", "centred", "APD - within"),
    ("sent-marked", "centred", "sense JSD"),
    ("sent-marked", "abtt1", "PRT"),
    ("sent-marked", "whiten32", "PRT"),
    ("sent-bracket", "centred", "PRT unbiased"),
    ("sent-lemma", "centred", "PRT unbiased"),
    ("sent-marked-lemma", "centred", "PRT unbiased"),
    ("sent-w40", "none", "PRT"),
    ("sent-w40", "centred", "PRT unbiased"),
    ("sent-w40", "none", "kNN mixing*"),
    ("sent-w80", "centred", "PRT unbiased"),
    ("sent-sentence", "centred", "PRT unbiased"),
    ("token", "none", "PRT"),
    ("token", "none", "APD"),
    ("token", "none", "APD - within"),
    ("token", "none", "energy coefficient"),
    ("token", "none", "sense JSD"),
    ("token", "centred", "PRT unbiased"),
    ("token", "abtt1", "PRT"),
    ("token", "whiten32", "PRT"),
    ("token-full", "none", "PRT"),
    ("token-w40", "none", "PRT"),
    ("token-w80", "none", "PRT"),
    ("token-L3-6", "none", "PRT"),
    ("token-L3-6", "whiten32", "PRT"),
    ("token-L1-6", "none", "PRT"),
    ("token-lemma", "none", "PRT"),
    ("token-lemma", "none", "kNN mixing*"),
    ("token-mask", "centred", "PRT unbiased"),
    ("sent-w40+token", "none", "PRT"),
    ("sent-w40+token", "none", "kNN mixing*"),
    ("sent-window+token-L3-6", "centred", "PRT unbiased"),
    ("sent-marked & sent-marked", "centred", "PRT unbiased & sense JSD"),
    ("sent-marked & sent-window", "centred & none", "PRT unbiased & PRT"),
]

#: Embeddings whose `cluster_senses` ARI is reported (raw and centred).
ARI_EMBEDDINGS = ["product", "sent-window", "sent-marked", "sent-w40", "token", "token-L3-6", "sent-w40+token"]


def variant_name(embedding: str, how: str, scorer: str) -> str:
    return f"{embedding} | {how} | {scorer}"


def score_variant(words: list[Word], embedding: str, how: str, scorer: str, encoder=None, cache: bool = True) -> np.ndarray:
    """One drift score per word for a variant (ensembles: the mean of their parts)."""
    if " & " in embedding:
        parts = zip(embedding.split(" & "), how.split(" & ") if " & " in how else [how, how], scorer.split(" & "))
        return np.mean([score_variant(words, e, h, s, encoder, cache) for e, h, s in parts], axis=0)
    vectors = transform(embed_variant(words, embedding, encoder, cache), how)
    return np.array([SCORERS[scorer](w, x) for w, x in zip(words, vectors)])


def product_vectors(words: list[Word], encoder=None, cache: bool = True) -> list[np.ndarray]:
    """Per word, the product's prepared usage vectors: `usage_vectors.embed_usages`, then
    `usage_vectors.prepare` on the corpus reference (here the mean of every usage of every word:
    DWUG has no other text of the two corpora)."""
    raw = embed_variant(words, PRODUCT_EMBEDDING, encoder, cache)
    reference = usage_vectors.reference_of(np.vstack(raw))
    return [usage_vectors.prepare(x, reference) for x in raw]


def product_sense_vectors(words: list[Word], encoder=None, cache: bool = True) -> list[np.ndarray]:
    """Per word, the product's prepared sense vectors (`usage_vectors.embed_sense_usages`, then
    `prepare` on the mean of every usage's sense vector: DWUG has no other text to take it from)."""
    raw = embed_variant(words, "product-sense", encoder, cache)
    reference = usage_vectors.reference_of(np.vstack(raw))
    return [usage_vectors.prepare(x, reference) for x in raw]


def product_scores(words: list[Word], encoder=None, cache: bool = True) -> np.ndarray:
    """The product's drift score per word (`stats.drift_score`, what `concepts.score_pair` returns)."""
    return np.array([float(stats.drift_score(*_split(w, x))) for w, x in zip(words, product_vectors(words, encoder, cache))])


def product_pairs(words: list[Word], encoder=None, cache: bool = True, settings=None) -> list[dict]:
    """Per word, `concepts.score_pair` on the two corpora (score, 95% interval, p) and the
    Benjamini-Hochberg q across words, with the product's settings."""
    from drift.config import MeasureSettings

    settings = settings or MeasureSettings()
    rng = np.random.default_rng(settings.seed)
    out = []
    for w, x in zip(words, product_vectors(words, encoder, cache)):
        score, interval, p = concepts.score_pair(*_split(w, x), settings, rng)
        out.append({"word": w.name, "score": score, "low": interval.low, "high": interval.high, "p": p})
    for row, q in zip(out, stats.benjamini_hochberg([r["p"] for r in out])):
        row["q"] = float(q)
    return out


def word_folds(n: int, k: int = 5, seed: int = 0) -> list[np.ndarray]:
    """k word-disjoint folds (indices into the word list), seeded."""
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(order[i::k]) for i in range(k)]


def _precision_recall(flagged: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    hits = int(np.sum(flagged & truth))
    return hits / max(int(flagged.sum()), 1), hits / max(int(truth.sum()), 1)


def calibrate_meaningful(words: list[Word], pairs: list[dict], alpha: float = 0.05, k: int = 5,
                         seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict:
    """The minimum meaningful drift: `stats.best_balanced_threshold` of the score against
    change_binary on all words (what the product ships), and, cross-validated by word (k folds,
    each threshold fitted on the other folds), the held-out precision and recall of the flags."""
    score = np.array([r["score"] for r in pairs])
    low = np.array([r["low"] for r in pairs])
    q = np.array([r["q"] for r in pairs])
    truth = np.array([w.change_binary for w in words]) == 1
    held: dict[str, list[tuple[float, float]]] = {"meaningful": [], "score above": [], "detectable (q only)": [],
                                                  "interval above a cut fitted on interval ends": []}
    thresholds = []
    for seed in seeds:
        flags = {name: np.zeros(len(words), bool) for name in held}
        for fold in word_folds(len(words), k, seed):
            train = np.setdiff1d(np.arange(len(words)), fold)
            t = stats.best_balanced_threshold(score[train], truth[train])
            thresholds.append(t)
            for i in fold:
                flags["meaningful"][i] = stats.effect_flag(low[i], q[i], t, alpha) == "meaningful"
                flags["score above"][i] = score[i] > t
                flags["detectable (q only)"][i] = q[i] < alpha
            t_low = stats.best_balanced_threshold(low[train], truth[train])
            for i in fold:
                flags["interval above a cut fitted on interval ends"][i] = stats.effect_flag(low[i], q[i], t_low, alpha) == "meaningful"
        for name in held:
            held[name].append(_precision_recall(flags[name], truth))
    return {
        "threshold": stats.best_balanced_threshold(score, truth),
        "fold_thresholds": (float(np.min(thresholds)), float(np.median(thresholds)), float(np.max(thresholds))),
        "held_out": {name: tuple(np.mean(v, axis=0).round(3).tolist()) for name, v in held.items()},
        "shipped_meaningful": int(sum(stats.effect_flag(l_, q_, concepts.MEANINGFUL_DRIFT, alpha) == "meaningful"
                                      for l_, q_ in zip(low, q))),
        "changed": int(truth.sum()),
        "words": len(words),
    }


def sense_ari(words: list[Word], vectors: list[np.ndarray], with_counts: bool = False, min_share: float = 0.10):
    """Per word, ARI of `cluster_senses` against the human clusters (their -1 usages left out);
    with `with_counts`, also the number of senses found per word."""
    from sklearn.metrics import adjusted_rand_score

    aris, counts = [], []
    for w, x in zip(words, vectors):
        keep = w.clusters >= 0
        labels = senses.cluster_senses(x, min_share=min_share)
        aris.append(adjusted_rand_score(w.clusters[keep], labels[keep]))
        counts.append(len(np.unique(labels)))
    return (np.array(aris), np.array(counts)) if with_counts else np.array(aris)


# --------------------------------------------------------------------------- reporting


def spearman_ci(scores: np.ndarray, gold: np.ndarray, n_boot: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Spearman rho and a percentile bootstrap 95% CI over words (resampled with replacement)."""
    from scipy.stats import spearmanr

    rho = float(spearmanr(scores, gold)[0])
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(gold), size=(n_boot, len(gold)))
    boots = [spearmanr(scores[i], gold[i])[0] for i in idx]
    low, high = np.nanquantile(boots, [0.025, 0.975])
    return rho, float(low), float(high)


def mean_ci(values: np.ndarray, n_boot: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n_boot, len(values)))].mean(axis=1)
    return float(values.mean()), float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def run(words: list[Word], product_only: bool = False, cache: bool = True, out=sys.stdout) -> dict:
    gold = np.array([w.change_graded for w in words])
    variants = [v for v in VARIANTS if variant_name(*v) == PRODUCT_VARIANT] if product_only else VARIANTS
    encoder = None
    results: dict = {"words": len(words), "usages": int(sum(len(w) for w in words)), "variants": [], "ari": []}
    print(f"DWUG EN: {len(words)} words, {results['usages']} usages\n", file=out)
    print("| embedding | post-processing | score | Spearman | 95% CI |", file=out)
    print("|---|---|---|---:|---|", file=out)
    for embedding, how, scorer in variants:
        scores = score_variant(words, embedding, how, scorer, encoder, cache)
        rho, low, high = spearman_ci(scores, gold)
        star = " **(chosen)**" if variant_name(embedding, how, scorer) == PRODUCT_VARIANT else ""
        print(f"| {embedding} | {how} | {scorer}{star} | {rho:.3f} | [{low:.2f}, {high:.2f}] |", file=out, flush=True)
        results["variants"].append(dict(embedding=embedding, transform=how, scorer=scorer, spearman=rho, low=low, high=high))
    print("\n| embedding | post-processing | senses per word | ARI vs human clusters | 95% CI |", file=out)
    print("|---|---|---:|---:|---|", file=out)
    for embedding in [PRODUCT_EMBEDDING] if product_only else ARI_EMBEDDINGS:
        for how in ("none", "centred"):
            vectors = transform(embed_variant(words, embedding, encoder, cache), how)
            aris, counts = sense_ari(words, vectors, with_counts=True)
            k = float(counts.mean())
            mean, low, high = mean_ci(aris)
            star = ""
            print(f"| {embedding} | {how}{star} | {k:.2f} | {mean:.3f} | [{low:.3f}, {high:.3f}] |", file=out, flush=True)
            results["ari"].append(dict(embedding=embedding, transform=how, senses=k, ari=mean, low=low, high=high))
    aris, counts = sense_ari(words, product_sense_vectors(words, encoder, cache), with_counts=True,
                             min_share=concepts.SENSE_MIN_SHARE)
    mean, low, high = mean_ci(aris)
    print(f"| product-sense (what concepts.concept_senses clusters, min share {concepts.SENSE_MIN_SHARE}) | product "
          f"**(chosen)** | {counts.mean():.2f} | {mean:.3f} | [{low:.3f}, {high:.3f}] |", file=out, flush=True)
    results["ari"].append(dict(embedding="product-sense", transform="product", senses=float(counts.mean()), ari=mean,
                               low=low, high=high))
    one = mean_ci(np.array([1.0 if len(np.unique(w.clusters[w.clusters >= 0])) == 1 else 0.0 for w in words]))
    print(f"| (everything one sense) | - | 1.00 | {one[0]:.3f} | [{one[1]:.3f}, {one[2]:.3f}] |", file=out)
    pairs = product_pairs(words, encoder, cache)
    results["pairs"] = pairs
    if len({w.change_binary for w in words}) == 2:
        cal = calibrate_meaningful(words, pairs)
        results["calibration"] = cal
        lo, med, hi = cal["fold_thresholds"]
        print(f"\nMinimum meaningful drift (best balanced accuracy vs change_binary, all {cal['words']} words): "
              f"{cal['threshold']:.3f}; product ships concepts.MEANINGFUL_DRIFT = {concepts.MEANINGFUL_DRIFT} "
              f"(per-fold thresholds {lo:.3f} / {med:.3f} / {hi:.3f} min / median / max).", file=out)
        print(f"{cal['changed']} words have change_binary = 1. Held-out folds (5-fold by word, 5 seeds), "
              "precision / recall against change_binary:", file=out)
        for name, (precision, recall) in cal["held_out"].items():
            print(f"- {name}: {precision:.2f} / {recall:.2f}", file=out)
        print(f"With the shipped threshold: {cal['shipped_meaningful']} words meaningful, "
              f"{sum(r['q'] < 0.05 for r in pairs)} detectable (q < 0.05).", file=out)
    print(f"Mean 95% interval width {np.mean([r['high'] - r['low'] for r in pairs]):.3f}.", file=out)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="the dwug_en folder")
    parser.add_argument("--words", type=int, default=None, help="only the first N words (a quick slice)")
    parser.add_argument("--max-usages", type=int, default=None, help="at most N usages per word")
    parser.add_argument("--product", action="store_true", help="only the chosen method")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write benchmarks/out/")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if not (args.data / "data").is_dir():
        print(f"DWUG EN not found at {args.data} (see ../shared/benchmarks/SOURCE.md)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    words = load_words(args.data, limit=args.words, max_usages=args.max_usages)
    results = run(words, product_only=args.product, cache=not args.no_cache)
    print(f"\n{time.perf_counter() - started:.0f}s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
