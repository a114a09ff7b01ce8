"""Small statistics over arrays: drift scores, permutation tests, bootstrap, FDR.

Everything here is a pure function of numpy arrays (plus an explicit
`numpy.random.Generator` where randomness is involved), so each one can be
tested on inputs whose answer is known.

Usage embeddings are rows of unit length (L2-normalised). A two-sample
statistic that depends on the data only through a pairwise matrix (all the
embedding drift scores here) is a `PairwiseStatistic`: the permutation test and
the bootstrap then compute that matrix once and reuse it for every resample,
so 999 permutations of 2 x 200 usages take a few tens of milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

Statistic = Callable[[np.ndarray, np.ndarray], float]

# --------------------------------------------------------------------------- pairwise statistics


@dataclass(frozen=True)
class Blocks:
    """Sums of a pairwise matrix over the blocks of a two-group split.

    Every field is an array with one entry per split (resample), so a whole
    batch of permutations is reduced at once. `aa` sums M[i, j] over i, j both
    in group A (diagonal included), `ab` over i in A and j in B, `bb` over B;
    `tr_a`/`tr_b` are the diagonal parts of `aa`/`bb`; `n_a`/`n_b` group sizes.
    """

    aa: np.ndarray
    ab: np.ndarray
    bb: np.ndarray
    tr_a: np.ndarray
    tr_b: np.ndarray
    n_a: np.ndarray
    n_b: np.ndarray

    def within_a(self) -> np.ndarray:
        """Mean of M over distinct pairs inside A."""
        return (self.aa - self.tr_a) / np.maximum(self.n_a * (self.n_a - 1), 1)

    def within_b(self) -> np.ndarray:
        return (self.bb - self.tr_b) / np.maximum(self.n_b * (self.n_b - 1), 1)

    def between(self) -> np.ndarray:
        """Mean of M over all (A, B) pairs."""
        return self.ab / np.maximum(self.n_a * self.n_b, 1)


@dataclass(frozen=True)
class PairwiseStatistic:
    """A two-sample statistic computed from a pairwise matrix of the pooled rows.

    `matrix(x)` builds the (N, N) matrix of the pooled sample `x`; `reduce`
    turns `Blocks` into one value per split. Calling the object on (a, b)
    gives the statistic of that one split.
    """

    name: str
    matrix: Callable[[np.ndarray], np.ndarray]
    reduce: Callable[[Blocks], np.ndarray]

    def __call__(self, a: np.ndarray, b: np.ndarray) -> float:
        a, b = _as_2d(a), _as_2d(b)
        if self.matrix is gram_matrix:  # block sums of a Gram matrix follow from the group sums: O(N d)
            return float(self.reduce(gram_blocks(a, b))[0])
        pooled = np.vstack([a, b])
        member = np.zeros((1, len(pooled)))
        member[0, : len(a)] = 1.0
        return float(self.reduce(block_sums(self.matrix(pooled), member, 1.0 - member))[0])


def _as_2d(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D array of row vectors, got shape {x.shape}")
    return x


def gram_blocks(a: np.ndarray, b: np.ndarray) -> Blocks:
    """The Blocks of one (A, B) split of the Gram matrix, without building it."""
    sum_a, sum_b = a.sum(axis=0), b.sum(axis=0)
    one = lambda value: np.array([float(value)])  # noqa: E731
    return Blocks(aa=one(sum_a @ sum_a), ab=one(sum_a @ sum_b), bb=one(sum_b @ sum_b),
                  tr_a=one(np.einsum("ij,ij->", a, a)), tr_b=one(np.einsum("ij,ij->", b, b)),
                  n_a=one(len(a)), n_b=one(len(b)))


def block_sums(matrix: np.ndarray, weights_a: np.ndarray, weights_b: np.ndarray, chunk: int | None = None) -> Blocks:
    """Block sums of `matrix` for a batch of weighted splits.

    `weights_a[p, i]` is how many times pooled row i is in group A in split p
    (0/1 for a permutation, a count for a bootstrap resample); likewise B.
    Counting a row twice is the same as having two copies of it. Splits are
    processed `chunk` at a time (default: as many as fit in ~160 MB).
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    weights_a = np.atleast_2d(np.asarray(weights_a, dtype=np.float64))
    weights_b = np.atleast_2d(np.asarray(weights_b, dtype=np.float64))
    diag = np.diag(matrix)
    row_sums = matrix.sum(axis=1)
    chunk = chunk or max(64, int(2e7 // max(matrix.shape[0], 1)))
    # For a permutation every row is in exactly one group: sum(B, B) follows from
    # the total and saves a product.
    complementary = np.array_equal(weights_a + weights_b, np.ones_like(weights_a))
    parts = {k: [] for k in ("aa", "ab", "bb")}
    for start in range(0, len(weights_a), chunk):
        wa, wb = weights_a[start : start + chunk], weights_b[start : start + chunk]
        wa_m = wa @ matrix
        aa = np.einsum("pn,pn->p", wa_m, wa)
        ab = np.einsum("pn,pn->p", wa_m, wb)
        parts["aa"].append(aa)
        parts["ab"].append(ab)
        if complementary:
            parts["bb"].append(row_sums.sum() - aa - 2.0 * ab)
        else:
            parts["bb"].append(np.einsum("pn,pn->p", wb @ matrix, wb))
    return Blocks(
        aa=np.concatenate(parts["aa"]),
        ab=np.concatenate(parts["ab"]),
        bb=np.concatenate(parts["bb"]),
        tr_a=weights_a @ diag,
        tr_b=weights_b @ diag,
        n_a=weights_a.sum(axis=1),
        n_b=weights_b.sum(axis=1),
    )


def cosine_matrix(x: np.ndarray) -> np.ndarray:
    """Cosine similarity of every pair of rows (rows need not be normalised)."""
    x = _as_2d(x)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = x / np.maximum(norms, 1e-12)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def gram_matrix(x: np.ndarray) -> np.ndarray:
    """Inner product of every pair of rows (the cosine matrix for unit rows)."""
    x = _as_2d(x)
    return x @ x.T


def euclidean_matrix(x: np.ndarray) -> np.ndarray:
    """Euclidean distance between every pair of rows."""
    x = _as_2d(x)
    sq = np.einsum("ij,ij->i", x, x)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (x @ x.T)
    np.fill_diagonal(d2, 0.0)
    return np.sqrt(np.maximum(d2, 0.0))


def _centroid_cosine_distance(s: Blocks) -> np.ndarray:
    # cos(mean A, mean B) = <sum A, sum B> / (|sum A| |sum B|) for a Gram matrix.
    return 1.0 - s.ab / np.sqrt(np.maximum(s.aa * s.bb, 1e-300))


def _centroid_cosine_distance_unbiased(s: Blocks) -> np.ndarray:
    # |mean A|^2 estimated from distinct pairs only, so sampling noise does not
    # inflate the norms: ~0 under the null instead of ~spread/n.
    norm_a = (s.aa - s.tr_a) / np.maximum(s.n_a * (s.n_a - 1), 1)
    norm_b = (s.bb - s.tr_b) / np.maximum(s.n_b * (s.n_b - 1), 1)
    # A set with no common direction (centroid ~0) can make the estimate <= 0:
    # fall back to the plain (biased) norm there rather than divide by ~0.
    norm_a = np.where(norm_a > 1e-9, norm_a, s.aa / np.maximum(s.n_a**2, 1))
    norm_b = np.where(norm_b > 1e-9, norm_b, s.bb / np.maximum(s.n_b**2, 1))
    return 1.0 - s.between() / np.sqrt(np.maximum(norm_a * norm_b, 1e-18))


def _apd(s: Blocks) -> np.ndarray:
    return 1.0 - s.between()


def _apd_minus_within(s: Blocks) -> np.ndarray:
    between = 1.0 - s.between()
    within = ((1.0 - s.within_a()) + (1.0 - s.within_b())) / 2.0
    return between - within


def _energy(s: Blocks) -> np.ndarray:
    return 2.0 * s.between() - s.within_a() - s.within_b()


def _energy_coefficient(s: Blocks) -> np.ndarray:
    between = s.between()
    return (2.0 * between - s.within_a() - s.within_b()) / np.maximum(2.0 * between, 1e-12)


#: PRT: cosine distance between the two centroids. 0 for equal centroids; 1 for
#: orthogonal senses; biased upwards for small samples (noise moves centroids).
centroid_distance = PairwiseStatistic("centroid cosine distance (PRT)", cosine_matrix, _centroid_cosine_distance)

#: PRT with the centroid norms estimated from distinct pairs (U-statistics), so
#: that sampling noise does not inflate the distance: about 0 for two samples
#: of one distribution at any sample size (so it dips below 0 half the time).
centroid_distance_unbiased = PairwiseStatistic(
    "centroid cosine distance, unbiased", gram_matrix, _centroid_cosine_distance_unbiased
)

#: APD: mean cosine distance over all cross pairs. Mixes drift with how varied
#: each set is on its own, so identical but diverse sets score high.
average_pairwise_distance = PairwiseStatistic("average pairwise distance (APD)", cosine_matrix, _apd)

#: APD between the sets minus the mean APD within each set (distinct pairs).
#: Unbiased: ~0 for two samples of one distribution. Equals half the squared
#: distance between the (unnormalised) centroids, i.e. a linear-kernel MMD.
apd_minus_within = PairwiseStatistic("APD minus within-set APD", cosine_matrix, _apd_minus_within)

#: Energy distance 2E|a-b| - E|a-a'| - E|b-b'| (Székely) with Euclidean distance,
#: U-statistic form: ~0 under the null, > 0 for any difference in distribution.
energy_distance = PairwiseStatistic("energy distance", euclidean_matrix, _energy)

#: Energy distance divided by 2E|a-b|: a scale-free drift in [0, 1] (up to
#: sampling noise around 0), 1 when each set is tight and the two are apart.
energy_coefficient = PairwiseStatistic("energy coefficient", euclidean_matrix, _energy_coefficient)


#: The product's drift score between two sets of usage vectors: the unbiased
#: centroid cosine distance, applied to usages `center`ed on the corpus mean.
#: Chosen by the DWUG benchmark (benchmarks/README.md): of everything tried it
#: tracked human-graded change best, and unlike plain PRT it does not grow
#: when a voice has few usages. Reading it: ~0 when both voices use the term
#: the same way (it can dip a hair below 0 by chance), 1 when their usages
#: point in unrelated directions (disjoint senses), up to 2 only when they sit
#: on opposite sides of the corpus average. A `PairwiseStatistic`, so the
#: permutation test and bootstrap reuse one Gram matrix.
drift_score = centroid_distance_unbiased


def center(x: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
    """Subtract `reference` (the corpus's mean embedding) from each row and re-normalise.

    Sentence embeddings share a large common direction, which squeezes all
    cosines towards 1; removing the corpus mean lets the term-specific
    differences show (DWUG: +0.09 Spearman for PRT). Use the mean of *all*
    segments of the corpus (or of all concepts' usages), never the mean of the
    two sets being compared: that would make their centroids point in exactly
    opposite directions. `reference=None` returns the rows unchanged.
    """
    x = _as_2d(x)
    if reference is None:
        return x
    shifted = x - np.asarray(reference, dtype=np.float64).ravel()[None, :]
    return shifted / np.maximum(np.linalg.norm(shifted, axis=1, keepdims=True), 1e-12)


def effect_flag(low: float, q: float, threshold: float, alpha: float) -> str:
    """"meaningful" when the interval's lower end clears `threshold` (and q < alpha),
    "detectable" when only q < alpha does, else "none"."""
    if q >= alpha:
        return "none"
    return "meaningful" if low > threshold else "detectable"


def best_balanced_threshold(scores: Sequence[float] | np.ndarray, labels: Sequence[int] | np.ndarray) -> float:
    """The cut t maximising balanced accuracy of `score > t` against 0/1 `labels`.

    Candidates are midpoints between consecutive distinct scores (and just below
    the smallest / above the largest); ties go to the smallest t (higher recall).
    """
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels).astype(bool)
    if y.all() or not y.any():
        raise ValueError("labels need both classes")
    values = np.unique(s)
    cuts = np.concatenate([[values[0] - 1e-9], (values[:-1] + values[1:]) / 2.0, [values[-1] + 1e-9]])
    predicted = s[None, :] > cuts[:, None]
    balanced = (predicted[:, y].mean(axis=1) + (~predicted[:, ~y]).mean(axis=1)) / 2.0
    return float(cuts[int(np.argmax(balanced))])


# --------------------------------------------------------------------------- resampling


def _rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _permutation_members(n_a: int, n: int, n_permutations: int, rng: np.random.Generator) -> np.ndarray:
    """(P, n) 0/1 matrix: row p marks which pooled rows form group A in permutation p."""
    base = np.zeros((n_permutations, n))
    base[:, :n_a] = 1.0
    return rng.permuted(base, axis=1)


def sample_rows(rows: np.ndarray, limit: int, rng: np.random.Generator) -> np.ndarray:
    """`rows`, or a sorted random `limit` of them: caps the pairwise tests' quadratic cost."""
    return rows if len(rows) <= limit else np.sort(rng.choice(rows, size=limit, replace=False))


def permutation_test(
    a: np.ndarray,
    b: np.ndarray,
    statistic: Statistic | PairwiseStatistic = drift_score,
    n_permutations: int = 999,
    rng: np.random.Generator | int | None = None,
) -> float:
    """One-sided permutation p-value that `statistic(a, b)` is this large by chance.

    Group labels are shuffled over the pooled rows; p = (1 + #{T* >= T}) / (1 + P),
    the +1 counting the observed split, so p is never 0 and is exact (valid)
    under exchangeability. A `PairwiseStatistic` (including `drift_score`)
    reuses one pairwise matrix for all permutations; any other callable is
    simply called on each shuffled split.
    """
    a, b = _as_2d(a), _as_2d(b)
    rng = _rng(rng)
    pooled = np.vstack([a, b])
    n, n_a = len(pooled), len(a)
    member = _permutation_members(n_a, n, n_permutations, rng)
    if isinstance(statistic, PairwiseStatistic):
        matrix = statistic.matrix(pooled)
        observed_member = np.zeros((1, n))
        observed_member[0, :n_a] = 1.0
        observed = float(statistic.reduce(block_sums(matrix, observed_member, 1.0 - observed_member))[0])
        null = statistic.reduce(block_sums(matrix, member, 1.0 - member))
    else:
        observed = float(statistic(a, b))
        null = np.array([statistic(pooled[m > 0], pooled[m == 0]) for m in member])
    tolerance = 1e-12 * max(1.0, abs(observed))
    return float((1 + np.count_nonzero(null >= observed - tolerance)) / (1 + n_permutations))


def bootstrap_ci(
    a: np.ndarray,
    b: np.ndarray,
    statistic: Statistic | PairwiseStatistic = drift_score,
    n_boot: int = 500,
    level: float = 0.95,
    rng: np.random.Generator | int | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic(a, b)`, resampling rows within each group."""
    a, b = _as_2d(a), _as_2d(b)
    rng = _rng(rng)
    n_a, n_b = len(a), len(b)
    idx_a = rng.integers(0, n_a, size=(n_boot, n_a))
    idx_b = rng.integers(0, n_b, size=(n_boot, n_b))
    if isinstance(statistic, PairwiseStatistic):
        pooled = np.vstack([a, b])
        rows = np.arange(n_boot)[:, None]
        wa = np.zeros((n_boot, n_a + n_b))
        wb = np.zeros((n_boot, n_a + n_b))
        np.add.at(wa, (rows, idx_a), 1.0)
        np.add.at(wb, (rows, n_a + idx_b), 1.0)
        values = statistic.reduce(block_sums(statistic.matrix(pooled), wa, wb))
    else:
        values = np.array([statistic(a[ia], b[ib]) for ia, ib in zip(idx_a, idx_b)])
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high)


# --------------------------------------------------------------------------- multiple testing


def benjamini_hochberg(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order.

    q_(i) = min_{j >= i} min(1, p_(j) * m / j) over the ascending p-values,
    the same as statsmodels' `multipletests(method="fdr_bh")`. NaNs stay NaN
    and do not count towards m.
    """
    p = np.asarray(pvalues, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    values = p[ok]
    order = np.argsort(values, kind="stable")
    scaled = values[order] * m / np.arange(1, m + 1)
    monotone = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(monotone, 1.0)
    q[ok] = adjusted
    return q


# --------------------------------------------------------------------------- distributions and counts


def _distribution(x: Sequence[float] | np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if np.any(x < 0):
        raise ValueError("counts/probabilities must be non-negative")
    total = x.sum()
    if total <= 0:
        raise ValueError("distribution has zero mass")
    return x / total


def jensen_shannon_distance(p: Sequence[float] | np.ndarray, q: Sequence[float] | np.ndarray) -> float:
    """Square root of the base-2 Jensen-Shannon divergence: 0 identical, 1 disjoint.

    Inputs are counts or probabilities over the same categories; each is normalised.
    """
    p, q = _distribution(p), _distribution(q)
    mid = (p + q) / 2.0

    def kl(x: np.ndarray) -> float:
        nz = x > 0
        return float(np.sum(x[nz] * np.log2(x[nz] / mid[nz])))

    return float(math.sqrt(max(0.0, (kl(p) + kl(q)) / 2.0)))


def _jsd_rows(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Row-wise Jensen-Shannon distance for (R, K) count matrices."""
    p = p / np.maximum(p.sum(axis=1, keepdims=True), 1e-300)
    q = q / np.maximum(q.sum(axis=1, keepdims=True), 1e-300)
    mid = (p + q) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        kp = np.where(p > 0, p * np.log2(p / mid), 0.0).sum(axis=1)
        kq = np.where(q > 0, q * np.log2(q / mid), 0.0).sum(axis=1)
    return np.sqrt(np.maximum(0.0, (kp + kq) / 2.0))


def count_permutation_test(
    counts_a: Sequence[int] | np.ndarray,
    counts_b: Sequence[int] | np.ndarray,
    n_permutations: int = 999,
    rng: np.random.Generator | int | None = None,
) -> float:
    """Permutation p-value for the Jensen-Shannon distance of two count vectors.

    Shuffling which items belong to A is the same as drawing A's counts from a
    multivariate hypergeometric of the pooled counts, which is what is done.
    """
    ca = np.asarray(counts_a, dtype=np.int64)
    cb = np.asarray(counts_b, dtype=np.int64)
    rng = _rng(rng)
    observed = jensen_shannon_distance(ca, cb)
    pooled = ca + cb
    drawn = rng.multivariate_hypergeometric(pooled, int(ca.sum()), size=n_permutations)
    null = _jsd_rows(drawn.astype(np.float64), (pooled - drawn).astype(np.float64))
    return float((1 + np.count_nonzero(null >= observed - 1e-12)) / (1 + n_permutations))


def chi_square_test(counts_a: Sequence[int] | np.ndarray, counts_b: Sequence[int] | np.ndarray) -> float:
    """Chi-square test of homogeneity p-value for two count vectors (empty categories dropped)."""
    from scipy.stats import chi2_contingency

    table = np.vstack([np.asarray(counts_a, float), np.asarray(counts_b, float)])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 1.0
    return float(chi2_contingency(table, correction=False)[1])


def log_odds_dirichlet(
    counts_a: Sequence[float] | np.ndarray,
    counts_b: Sequence[float] | np.ndarray,
    prior: Sequence[float] | np.ndarray | float | None = None,
) -> np.ndarray:
    """Z-scores of the log-odds ratio with an informative Dirichlet prior.

    Monroe, Colaresi & Quinn (2008), "Fightin' Words", eq. 16-22: for word w,
    delta_w = log((y_aw + a_w) / (n_a + a_0 - y_aw - a_w))
            - log((y_bw + a_w) / (n_b + a_0 - y_bw - a_w)),
    var(delta_w) ~= 1 / (y_aw + a_w) + 1 / (y_bw + a_w), z_w = delta_w / sqrt(var).
    Positive z: w is distinctive of A. `prior` gives the pseudo-counts a_w: an
    array (usually a background corpus's counts), a scalar for a flat prior, or
    None for the pooled counts of A and B (the common default).
    """
    ya = np.asarray(counts_a, dtype=np.float64)
    yb = np.asarray(counts_b, dtype=np.float64)
    if ya.shape != yb.shape:
        raise ValueError("count vectors must have the same shape")
    if prior is None:
        alpha = ya + yb
    else:
        alpha = np.broadcast_to(np.asarray(prior, dtype=np.float64), ya.shape)
    if np.any(alpha <= 0):
        raise ValueError("prior pseudo-counts must be positive")
    n_a, n_b, a0 = ya.sum(), yb.sum(), alpha.sum()
    delta = np.log((ya + alpha) / (n_a + a0 - ya - alpha)) - np.log((yb + alpha) / (n_b + a0 - yb - alpha))
    variance = 1.0 / (ya + alpha) + 1.0 / (yb + alpha)
    return delta / np.sqrt(variance)


# --------------------------------------------------------------------------- a concept-drift finding


@dataclass(frozen=True)
class DriftResult:
    """Drift between two voices' usages of one concept, with its uncertainty."""

    score: float
    low: float
    high: float
    p_value: float
    n_a: int
    n_b: int
    level: float = 0.95


def compare_usages(
    a: np.ndarray,
    b: np.ndarray,
    *,
    min_support: int = 8,
    n_permutations: int = 999,
    n_boot: int = 500,
    level: float = 0.95,
    rng: np.random.Generator | int | None = None,
    reference: np.ndarray | None = None,
    statistic: PairwiseStatistic = drift_score,
) -> DriftResult | None:
    """Score, bootstrap CI and permutation p-value, or None below `min_support`.

    None means "insufficient evidence": either side has fewer than
    `min_support` usages, and no number should be shown. `reference` is the
    corpus mean embedding both sets are `center`ed on (None: not centred).
    """
    a, b = _as_2d(a), _as_2d(b)
    if min(len(a), len(b)) < max(min_support, 2):
        return None
    rng = _rng(rng)
    a, b = center(a, reference), center(b, reference)
    score = statistic(a, b)
    p = permutation_test(a, b, statistic, n_permutations, rng)
    low, high = bootstrap_ci(a, b, statistic, n_boot, level, rng)
    return DriftResult(score=score, low=low, high=high, p_value=p, n_a=len(a), n_b=len(b), level=level)


def reference_distance(usages: np.ndarray, reference: np.ndarray) -> float:
    """Cosine distance between the centroid of `usages` and a reference vector
    (e.g. the embedded canonical definition). 0 = same direction."""
    usages = _as_2d(usages)
    centroid = usages.mean(axis=0)
    ref = np.asarray(reference, dtype=np.float64).ravel()
    denom = max(float(np.linalg.norm(centroid) * np.linalg.norm(ref)), 1e-12)
    return float(1.0 - centroid @ ref / denom)


def cap_indices(n: int, limit: int, rng: np.random.Generator | int | None = None) -> np.ndarray:
    """Sorted indices of a uniform sample of at most `limit` of `n` items (all if n <= limit)."""
    if n <= limit:
        return np.arange(n)
    return np.sort(_rng(rng).choice(n, size=limit, replace=False))


# --------------------------------------------------------------------------- intervals for counts


def count_bootstrap_ci(
    counts_a: Sequence[int] | np.ndarray,
    counts_b: Sequence[int] | np.ndarray,
    n_boot: int = 500,
    level: float = 0.95,
    rng: np.random.Generator | int | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the Jensen-Shannon distance of two count vectors,
    redrawing each side's mentions from its own observed distribution (multinomial)."""
    ca = np.asarray(counts_a, dtype=np.float64)
    cb = np.asarray(counts_b, dtype=np.float64)
    rng = _rng(rng)
    draws_a = rng.multinomial(int(ca.sum()), ca / ca.sum(), size=n_boot).astype(np.float64)
    draws_b = rng.multinomial(int(cb.sum()), cb / cb.sum(), size=n_boot).astype(np.float64)
    values = _jsd_rows(draws_a, draws_b)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high)


def wilson_interval(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + level / 2.0))
    p = successes / trials
    denom = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
