r"""Capacity ``alpha`` and source ``beta`` from the empirical kernel spectrum of a data set.

The toolkit's convention (:mod:`scalingtheory.spectra`, Bordelon, Atanasov & Pehlevan 2025,
Eq. 6): :math:`\lambda_k\sim k^{-\alpha}` and :math:`\sum_{k>n}\lambda_k w_k^2\sim n^{-\alpha\beta}`,
i.e. a per-mode target power :math:`p_k=\lambda_k w_k^2\sim k^{-(\alpha\beta+1)}`.

**Estimator.** With :math:`K u_k=\mu_k u_k` (``u_k`` unit eigenvectors of the ``n x n``
Gram matrix), the empirical eigenvalues are :math:`\hat\lambda_k=\mu_k/n` and, since the
eigenfunctions evaluated on the sample are :math:`\phi_k(x_i)\approx\sqrt n\,u_{k,i}`, the
target power per mode is :math:`\hat p_k=(u_k^\top y)^2/n` (for several outputs, e.g.
one-hot classes, the mean over outputs) of the **centred** target :math:`y-\bar y` (the mean
over the samples subtracted, per output), so that :math:`\sum_k\hat p_k` is the target
variance. Centring makes ``beta`` a property of how the target varies, not of its offset:
the learning curves (:mod:`~scalingtheory.spectrum.learning_curves`) fit the mean separately,
so their exponents do not move when a constant is added to ``y``, and neither does ``beta``
now (uncentred, breast-cancer's 0/1 labels gave 0.235 and ``y + 5`` gave 0.575).
``alpha`` is minus the log-log slope of :math:`\hat\lambda_k`,
and ``alpha beta + 1`` minus the slope of :math:`\hat p_k`, both fitted by least
squares to averages over logarithmic bins (8 per decade; averaging tames the chi-square
scatter of single :math:`\hat p_k`), each bin weighted by its number of modes.

**Fitting range (the rule, fixed before looking at any data set).** Empirical
eigenpairs follow the population ones only for :math:`k\ll n`, so the top of the range
is :math:`k_{hi}=n/10`; the bottom is :math:`k_{lo}=\max(2, k_{hi}/30)` (skip the first
modes, which carry the data's coarse structure, and keep 1.5 decades). For ``beta``
the top is also cut at half the mode :math:`k_{flat}` where the binned power first
falls below 3 times the noise floor (below). The per-mode power is fitted rather than
the empirical tail sum: on ``n`` samples the tail is truncated at ``n``, which biases its
slope by a factor :math:`1-(k/n)^{\alpha\beta}` (large when :math:`\alpha\beta` is small).

**Noise floor.** Label noise of variance :math:`\sigma^2` adds :math:`\sigma^2/n` to every
:math:`\hat p_k`: the power flattens. :math:`\hat\sigma^2=n\,\mathrm{median}\{\hat p_k: k>n/2\}`;
without label noise this is an upper bound set by the signal's own tail.

**Intervals.** Three sources, united: (1) the fitting range -- nine ranges, each end moved
by a factor 1/2, 1, 2; (2) the sample -- a seeded bootstrap of ``B`` subsamples of
``0.8 n`` points drawn without replacement (a resample with repeats would put duplicated
rows, hence spurious zero modes, into the Gram matrix; the rule is applied to each
subsample's ``n``); (3) the scatter of the binned powers about the power law -- the 95%
regression box of ``(alpha, alpha beta + 1)`` of each fit. For every range the bootstrap
2.5--97.5% percentiles and the box's corners are taken; the interval is the union over
ranges (:func:`propagate`). The same function carries the intervals into the models'
predictions (:mod:`scalingtheory.spectrum.predict`). Source (3) matters: one target's
power per mode scatters like a chi-square variable about the law, which re-sampling the
inputs does not show.

>>> import numpy as np
>>> lam, p = np.arange(1, 401.) ** -2.0, np.arange(1, 401.) ** -1.5
>>> [round(v, 2) for v in binned_slope(lam, 5, 40) + binned_slope(p, 5, 40)]  # bias < 0.1%
[-2.0, 0.0, -1.5, 0.0]
>>> fitting_ranges(1797)[0]
(6, 179)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

#: eigenvalues below this fraction of the largest count as zero (numerical rank)
RANK_TOL = 1e-10
#: the fit uses modes k <= n / RANGE_TOP
RANGE_TOP = 10
#: and k >= k_hi / RANGE_SPAN (1.5 decades)
RANGE_SPAN = 30
BINS_PER_DECADE = 8
#: beta's range stops at half the mode where the binned power is this many times the floor
NOISE_FACTOR = 3.0
SUBSAMPLE = 0.8
#: the note's head when alpha's interval reaches 0 (``beta`` is then None)
NOT_IDENTIFIED = "beta not identified"
LEVEL = 0.95
#: smallest data set accepted: the range rule needs k_hi = n/10 >= 4 k_lo = 8 on subsamples of 0.8 n
MIN_SAMPLES = 100
#: largest n (dense eigendecomposition: memory 8 n^2 bytes, time ~ n^3)
MAX_SAMPLES = 6000
RANGE_FACTORS = (0.5, 1.0, 2.0)
#: (bottom, top) factors, the nominal range first
FACTOR_PAIRS = sorted(((a, b) for a in RANGE_FACTORS for b in RANGE_FACTORS), key=lambda f: f != (1.0, 1.0))


def binned_slope(values: np.ndarray, k_lo: int, k_hi: int) -> tuple[float, float]:
    """``(slope, standard error)`` of the log-log line through the averages of ``values[k-1]``
    over logarithmic bins of ``k_lo <= k <= k_hi`` (:data:`BINS_PER_DECADE` per decade),
    weighted by the number of modes per bin (the inverse variance of a bin's log-average when
    single modes scatter independently about the law); the error is the weighted-regression
    one from the residual scatter about the line."""
    k, v, m = binned(values, k_lo, k_hi)
    if k.size < 3:
        raise ValueError(f"fitting range [{k_lo}, {k_hi}] holds fewer than three bins")
    if np.any(v <= 0):
        raise ValueError(f"non-positive eigenvalue or power in the fitting range [{k_lo}, {k_hi}]: "
                         "is the kernel positive definite?")
    x, z = np.log(k), np.log(v)
    slope, icpt = np.polyfit(x, z, 1, w=np.sqrt(m))
    resid = z - (slope * x + icpt)
    xbar = np.average(x, weights=m)
    se = np.sqrt((m * resid ** 2).sum() / (x.size - 2) / (m * (x - xbar) ** 2).sum())
    return float(slope), float(se)


def binned(values: np.ndarray, k_lo: int, k_hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geometric-centre modes, mean values and mode counts of logarithmic bins covering ``[k_lo, k_hi]``."""
    decades = np.log10(k_hi / k_lo)
    edges = np.unique(np.round(k_lo * 10 ** np.linspace(0, decades, max(2, int(np.ceil(decades * BINS_PER_DECADE)) + 1))))
    edges[-1] = k_hi + 1
    ks, vs, ms = [], [], []
    for a, b in zip(edges[:-1].astype(int), edges[1:].astype(int)):
        if b > a:
            ks.append(np.sqrt(a * (b - 1)))
            vs.append(values[a - 1:b - 1].mean())
            ms.append(b - a)
    return np.array(ks), np.array(vs), np.array(ms, dtype=float)


def fitting_ranges(n: int, k_flat: float | None = None, rank: int | None = None) -> tuple[tuple, tuple]:
    """The nominal ranges ``((k_lo, k_hi) for alpha, (k_lo, k_hi) for beta)`` on ``n`` samples
    (a Gram matrix of numerical rank ``rank < n``, e.g. the linear kernel on few features,
    caps the top at ``rank / 2``)."""
    k_hi = n // RANGE_TOP if rank is None else min(n // RANGE_TOP, rank // 2)
    k_lo = max(2, int(np.ceil(k_hi / RANGE_SPAN)))
    b_hi = k_hi if k_flat is None else int(max(min(k_hi, k_flat / 2), 4 * k_lo))
    return (k_lo, k_hi), (k_lo, min(b_hi, n // 4))


def range_variants(k_lo: int, k_hi: int, cap: int) -> list:
    """The nominal range first, then each end moved by the factors 1/2, 1, 2, in a fixed order
    (``None`` where the span would fall below a factor 4; the top stays <= ``cap``)."""
    out = []
    for f_lo, f_hi in FACTOR_PAIRS:
        lo, hi = max(1, int(round(k_lo * f_lo))), min(cap, int(round(k_hi * f_hi)))
        out.append((lo, hi) if hi >= 4 * lo else None)
    return out


def eigensystem(K: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``(lambda_hat, p_hat)``: eigenvalues of the centred :math:`HKH/n` (descending) and the target
    power per mode, :math:`\hat p_k=\overline{(u_k^\top (y-\bar y))^2}/n` (mean over the outputs;
    the powers sum to the target variance); :math:`H=I-\mathbf 1\mathbf 1^\top/n`."""
    from scipy.linalg import eigh
    n = len(K)
    row = K.mean(axis=0)
    Kc = K - row[None, :] - row[:, None] + row.mean()          # H K H (K symmetric)
    mu, U = eigh(Kc, overwrite_a=True, check_finite=False)
    mu, U = mu[::-1], U[:, ::-1]
    return mu / n, ((U.T @ (Y - Y.mean(axis=0))) ** 2).mean(axis=1) / n


def noise_floor(p: np.ndarray) -> float:
    """Per-mode noise floor: the median of ``p_k`` over ``k > n/2``."""
    return float(np.median(p[len(p) // 2:]))


def flattening_mode(p: np.ndarray, k_lo: int) -> float:
    """First binned mode ``k >= k_lo`` whose power is below NOISE_FACTOR times the floor (n/2 if none)."""
    n = len(p)
    k, v, _ = binned(p, k_lo, n // 2)
    below = np.nonzero(v < NOISE_FACTOR * noise_floor(p))[0]
    return float(k[below[0]]) if below.size else n / 2


def _exponents(lam, p, n) -> tuple[np.ndarray, tuple, tuple, float]:
    """``(alpha, beta, se_alpha, se_s)`` per range variant (rows in FACTOR_PAIRS order, NaN where
    dropped; ``se_s``: standard error of the slope ``s = alpha beta + 1`` of the target power),
    the nominal ranges and ``k_flat``."""
    rank = int(np.sum(lam > RANK_TOL * lam[0]))
    ra, _ = fitting_ranges(n, rank=rank)
    k_flat = flattening_mode(p, ra[0])
    ra, rb = fitting_ranges(n, k_flat, rank)
    out = np.full((len(FACTOR_PAIRS), 4), np.nan)
    for i, (a_range, b_range) in enumerate(zip(range_variants(*ra, min(n // 4, rank // 2)),
                                                   range_variants(*rb, min(n // 4, rank // 2)))):
        if a_range is not None and b_range is not None:
            a_slope, a_se = binned_slope(lam, *a_range)
            b_slope, b_se = binned_slope(p, *b_range)
            out[i] = -a_slope, (-b_slope - 1) / -a_slope, a_se, b_se
    if np.isnan(out[0, 0]):
        raise ValueError(f"{n} samples (Gram rank {rank}) leave no fitting range spanning a factor 4 of modes")
    return out, ra, rb, k_flat


def propagate(f, fits: np.ndarray, samples: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Interval of ``f(alpha, beta)`` (vectorised; NaN outside its domain): the union over fitting
    ranges of the bootstrap percentile interval, the corners of the regression box
    ``(alpha +- z se_alpha) x (s +- z se_s)`` with ``s = alpha beta + 1``, and the point value.
    Corners bound ``f`` over the box when ``f`` is monotone in each of ``alpha`` and ``s``
    (true of the exponents here and of the models' predictions)."""
    import warnings
    q = 100 * (1 - level) / 2
    z = NormalDist().inv_cdf(1 - q / 100)
    lo, hi = np.inf, -np.inf
    for (a, b, se_a, se_s), boot in zip(fits, samples):
        ca = a + z * se_a * np.array([-1, -1, 1, 1])
        cs = a * b + 1 + z * se_s * np.array([-1, 1, -1, 1])
        with warnings.catch_warnings():                 # all-NaN: f undefined on this range's pairs
            warnings.simplefilter("ignore", RuntimeWarning)
            vals = np.asarray(f(boot[:, 0], boot[:, 1]), float)
            corners = np.append(np.asarray(f(ca, (cs - 1) / ca), float), f(np.array([a]), np.array([b])))
            lo = np.nanmin([lo, np.nanpercentile(vals, q), np.nanmin(corners)])
            hi = np.nanmax([hi, np.nanpercentile(vals, 100 - q), np.nanmax(corners)])
    return float(lo), float(hi)


@dataclass
class Exponent:
    """One estimated exponent with its interval (``ci``), fitting range and method."""
    name: str
    value: float
    ci: tuple
    range: tuple
    method: str

    def to_json(self) -> dict:
        return {"value": _finite(self.value), "lo": _finite(self.ci[0]), "hi": _finite(self.ci[1]),
                "range": [int(self.range[0]), int(self.range[1])], "method": self.method}

    def __repr__(self) -> str:
        return f"Exponent({self.name} = {self.value:.4g} [{self.ci[0]:.4g}, {self.ci[1]:.4g}], modes {self.range[0]}..{self.range[1]})"

    def __float__(self) -> float:
        return float(self.value)


def _finite(x):
    return float(x) if x is not None and np.isfinite(x) else None


@dataclass
class SpectrumEstimate:
    """The empirical spectrum of a data set and the capacity/source exponents read off it.

    ``fits``: ``(alpha, beta, se_alpha, se_s)`` per fitting range (the nominal one first);
    ``samples``: bootstrap ``(alpha, beta)`` pairs, shape ``(range, replicate, 2)``.
    ``beta`` is None when alpha's interval reaches 0 (no decay shown: a note says so)."""
    n: int
    kernel: str
    bandwidth: float | None
    eigenvalues: np.ndarray
    target_power: np.ndarray
    alpha: Exponent
    beta: Exponent | None
    noise: dict
    fits: np.ndarray = field(repr=False)
    samples: np.ndarray = field(repr=False)
    outputs: int = 1
    notes: list = field(default_factory=list)

    # -- rendering ------------------------------------------------------------------

    def to_json(self) -> dict:
        """Strict-JSON dict (no NaN/Infinity)."""
        return {"n": self.n, "kernel": self.kernel, "bandwidth": _finite(self.bandwidth),
                "outputs": self.outputs, "alpha": self.alpha.to_json(),
                "beta": None if self.beta is None else self.beta.to_json(),
                "noise": {k: _finite(v) for k, v in self.noise.items()}, "notes": list(self.notes)}

    def _rows(self) -> list[tuple[str, str]]:
        rows = [(e.name, f"{e.value:.3f}  [{e.ci[0]:.3f}, {e.ci[1]:.3f}]  modes {e.range[0]}..{e.range[1]}")
                for e in (self.alpha, self.beta) if e is not None]
        if self.beta is None:
            rows.append(("beta", "not identified (alpha's interval reaches 0)"))
        rows.append(("noise", f"sigma^2 <= {self.noise['sigma2']:.3g} ({self.noise['fraction']:.1%} of the "
                              f"target variance), power flattens near mode {self.noise['k_flat']:.0f}"))
        return rows

    def __repr__(self) -> str:
        head = f"SpectrumEstimate(n={self.n}, kernel={self.kernel}" + (
            f", bandwidth={self.bandwidth:.4g})" if self.bandwidth else ")")
        return "\n".join([head] + [f"  {k:<6} {v}" for k, v in self._rows()])

    def _repr_html_(self) -> str:
        import html
        body = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in self._rows())
        notes = "".join(f"<li>{html.escape(x)}</li>" for x in self.notes)
        return (f"<b>{html.escape(self.kernel)} kernel spectrum, n = {self.n}</b><table>{body}</table>"
                + (f"<ul>{notes}</ul>" if notes else ""))

    def report(self) -> str:
        """Plain-text report: the exponents, their ranges and methods, the notes."""
        lines = [repr(self), f"  interval: {self.alpha.method}"]
        lines += [f"  note: {x}" for x in self.notes]
        return "\n".join(lines)

    def plot(self, ax=None):
        """Eigenvalues and per-mode target power (log-log markers) with the fitted laws over their
        ranges (lines), in the toolkit's figure style (:mod:`scalingtheory.figure_style`)."""
        from .. import figure_style as style

        if ax is None:
            ax = style.figure(width=5.5, height=4.0)[1]
        k = np.arange(1, self.n + 1)
        pos = self.eigenvalues > 0
        slope_p = None if self.beta is None else -(self.alpha.value * self.beta.value + 1)
        series = ((self.alpha, self.eigenvalues, -self.alpha.value, "eigenvalues of $K/n$", r"\alpha"),
                  (self.beta, self.target_power, slope_p, "target power per mode", r"\beta"))
        for i, (e, vals, slope, what, name) in enumerate(series):
            keep = pos if i == 0 else slice(None)
            ax.loglog(k[keep], vals[keep], ".", ms=2, color=style.color(i), alpha=1 if i == 0 else 0.5, label=what)
            if e is None:                                  # beta not identified: no law to draw
                continue
            kk = np.geomspace(*e.range, 20)
            anchor = binned(vals, *e.range)[:2]
            c = np.exp(np.mean(np.log(anchor[1]) - slope * np.log(anchor[0])))
            ax.loglog(kk, c * kk ** slope, "-", color=style.PALETTE[0] if i == 0 else style.color(3), lw=1.5,
                      label=f"${name}$ = {e.value:.2f} [{e.ci[0]:.2f}, {e.ci[1]:.2f}]"
                            f" (modes {e.range[0]}-{e.range[1]})")
        ax.axhline(self.noise["sigma2"] / self.n, color="0.5", ls=":", lw=1, label=r"noise floor $\sigma^2/n$")
        ax.set(xlabel="mode $k$", ylabel="power", title=f"{self.kernel} kernel, $n = {self.n}$")
        style.log_ticks(ax)
        style.legend(ax)
        return ax

    def interval(self, f) -> tuple[float, float]:
        """The interval of ``f(alpha, beta)`` propagated from this estimate (:func:`propagate`)."""
        return propagate(f, self.fits, self.samples)

    def power_law(self):
        """The fitted :class:`scalingtheory.spectra.PowerLawSpectrum` (3 significant digits)."""
        import sympy as sp
        from ..spectra import PowerLawSpectrum
        if self.beta is None:
            raise ValueError(f"{NOT_IDENTIFIED}: alpha's interval reaches 0 (see the notes)")
        return PowerLawSpectrum(sp.nsimplify(float(f"{self.alpha.value:.3g}")),
                                sp.nsimplify(float(f"{self.beta.value:.3g}")))


def validate_inputs(X, Y, gram, n_max):
    """Checked ``(X, Y as n x m, gram)``; bad input raises ``ValueError`` with one line."""
    if gram is None and X is None:
        raise ValueError("give the inputs X or a Gram matrix")
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2:
        raise ValueError(f"targets must be a vector or an n x m matrix, got shape {Y.shape}")
    n = len(Y)
    if n < MIN_SAMPLES:
        raise ValueError(f"need at least {MIN_SAMPLES} samples to estimate a spectrum, got {n}")
    if not np.all(np.isfinite(Y)):
        raise ValueError("targets contain NaN or infinite values")
    if np.all(Y.std(axis=0) == 0):
        raise ValueError("targets are constant: there is no target power to estimate beta from")
    if not (isinstance(n_max, (int, np.integer)) and MIN_SAMPLES <= n_max <= MAX_SAMPLES):
        raise ValueError(f"n_max must be an integer in [{MIN_SAMPLES}, {MAX_SAMPLES}] (dense eigendecomposition: "
                         f"memory ~8 n^2 bytes, time ~n^3), got {n_max!r}")
    if X is not None:
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X[:, None]
        if X.ndim != 2 or len(X) != n:
            raise ValueError(f"X must be an n x d matrix with n = {n} rows (one per target), got shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("inputs X contain NaN or infinite values")
    if gram is not None:
        gram = np.asarray(gram, dtype=float)
        if gram.shape != (n, n) or not np.all(np.isfinite(gram)):
            raise ValueError(f"gram must be a finite {n} x {n} matrix")
        if not np.allclose(gram, gram.T, rtol=1e-8, atol=1e-12 * np.abs(gram).max()):
            raise ValueError("gram must be symmetric")
    return X, Y, gram


def subsample(n: int, n_max: int, seed: int) -> np.ndarray | None:
    """Seeded indices of ``n_max`` of ``n`` samples (None when ``n <= n_max``)."""
    return None if n <= n_max else np.sort(np.random.default_rng(seed).choice(n, n_max, replace=False))


def prepare(X, y, kernel="rbf", gram=None, bandwidth="median", n_max: int = 2000, seed: int = 0):
    """Checked and subsampled data: ``(K, Y, kernel name, bandwidth used, notes)``."""
    X, Y, K = validate_inputs(X, y, gram, n_max)
    notes = []
    keep = subsample(len(Y), n_max, seed)
    if keep is not None:
        notes.append(f"subsampled {n_max} of {len(Y)} samples (seed {seed}); raise n_max for more")
        Y, X = Y[keep], (None if X is None else X[keep])
        K = None if K is None else K[np.ix_(keep, keep)]
    bw = None
    if K is None:
        from .kernels import gram as make_gram, resolve_bandwidth
        bw = resolve_bandwidth(X, kernel, bandwidth)
        K = make_gram(X, kernel, bw if bw is not None else bandwidth)
    if not np.all(Y.std(axis=0) > 0):
        notes.append(f"{int(np.sum(Y.std(axis=0) == 0))} constant target column(s) ignored")
        Y = Y[:, Y.std(axis=0) > 0]
    name = getattr(kernel, "__name__", "callable") if callable(kernel) else str(kernel)
    return K, Y, name, bw, notes


def spectrum(X=None, y=None, kernel="rbf", *, gram=None, bandwidth="median", n_max: int = 2000,
             bootstrap: int = 20, seed: int = 0, progress: bool = False) -> SpectrumEstimate:
    """Estimate capacity ``alpha`` and source ``beta`` of ``(X, y)`` under a kernel (module docstring).

    ``y``: targets, a vector or an ``n x m`` matrix (one-hot classes: per-output powers are
    averaged). ``kernel``: ``rbf``, ``laplace``, ``ntk_relu``, ``linear`` or a callable
    ``(A, B) -> K`` (:mod:`scalingtheory.spectrum.kernels`); ``bandwidth``: ``"median"`` or a
    number. ``gram``: a precomputed ``n x n`` Gram matrix (then ``X`` may be omitted and
    ``kernel`` only names it). Data sets larger than ``n_max`` are subsampled (seeded).
    ``bootstrap``: number of subsamples for the intervals.

    >>> import numpy as np
    >>> X = np.random.default_rng(0).standard_normal((10, 2))
    >>> spectrum(X, X[:, 0])
    Traceback (most recent call last):
    ...
    ValueError: need at least 100 samples to estimate a spectrum, got 10
    """
    K, Y, name, bw, notes = prepare(X, y, kernel, gram, bandwidth, n_max, seed)
    return estimate_from_gram(K, Y, name, bw, bootstrap, seed, progress, notes)


def estimate_from_gram(K, Y, kernel, bw=None, bootstrap=20, seed=0, progress=False, notes=()) -> SpectrumEstimate:
    """The estimate from a checked Gram matrix ``K`` and targets ``Y`` (``n x m``); see :func:`spectrum`."""
    notes = list(notes)
    from ..limits import check_count
    from .progress import step, steps
    bootstrap = check_count("subsamples", bootstrap, "bootstrap")
    n = len(K)
    with step(progress, "eigensystem"):
        lam, p = eigensystem(K, Y)
    point, ra, rb, k_flat = _exponents(lam, p, n)
    rng = np.random.default_rng(seed)
    m = int(round(SUBSAMPLE * n))
    reps = []
    for _ in steps(range(bootstrap), progress, "bootstrap"):
        idx = np.sort(rng.choice(n, m, replace=False))
        reps.append(_exponents(*eigensystem(K[np.ix_(idx, idx)], Y[idx]), m)[0])
    samples = np.stack(reps, axis=1)                       # (range variant, replicate, 4)
    valid = ~np.isnan(point[:, 0]) & ~np.isnan(samples[:, :, 0]).any(axis=1)
    fits, samples, rows = point[valid], samples[valid, :, :2], int(valid.sum())
    method = (f"union over {rows} fitting ranges (ends x 1/2, 1, 2) of seeded bootstrap {LEVEL:.0%} percentile "
              f"intervals ({bootstrap} subsamples of {m} of {n} points, seed {seed}) and of the {LEVEL:.0%} "
              f"regression boxes of (alpha, alpha beta + 1) (scatter of the binned powers about the power law)")
    floor = noise_floor(p)
    total = float(p.sum())                 # the target variance (p is the centred target's power)
    noise = {"sigma2": n * floor, "fraction": n * floor / total, "k_flat": k_flat}
    if rb[1] < ra[1]:
        notes.append(f"beta's range stops at mode {rb[1]}: the target power flattens into the noise floor "
                     f"near mode {k_flat:.0f}")
    if point[0, 0] <= 1 or not np.isfinite(point[0, 0]):
        notes.append(f"alpha = {point[0, 0]:.3g} <= 1: outside the models' domain (alpha > 1)")
    a = Exponent("alpha", float(point[0, 0]), propagate(lambda al, be: al, fits, samples), ra, method)
    b = None
    if not a.ci[0] > 0:                  # beta = (s - 1) / alpha needs a spectrum shown to decay
        notes.append(f"{NOT_IDENTIFIED}: alpha's interval [{a.ci[0]:.3g}, {a.ci[1]:.3g}] reaches 0, so the "
                     "spectrum is not shown to decay as a power law and beta = (slope - 1) / alpha has no value")
    else:
        if point[0, 1] <= 0:
            notes.append(f"beta = {point[0, 1]:.3g} <= 0: the target power decays no faster than 1/k")
        b = Exponent("beta", float(point[0, 1]), propagate(lambda al, be: be, fits, samples), rb, method)
    return SpectrumEstimate(n, kernel, bw, lam, p, a, b, noise, fits, samples, Y.shape[1], notes)


__all__ = ["spectrum", "SpectrumEstimate", "Exponent", "fitting_ranges", "binned_slope", "eigensystem",
           "propagate"]
