r"""Seeded bootstrap over runs (or over groups of rows) for a fitted law, and percentile intervals.

Each replicate resamples with replacement and refits all parameters by the local
refinement of :mod:`scalingtheory.fitting.varpro`, started at the full-data estimate.
Without groups the rows are resampled as if independent. With groups (the rows of one
training curve, named by a run-id column) whole groups are drawn: :math:`G` draws from
the :math:`G` groups, each bringing all its rows (the cluster bootstrap; Davison &
Hinkley 1997, Sec. 3.8), so noise shared by the rows of a curve stays inside a
replicate instead of averaging out as if it were independent. Any derived quantity :math:`q(\theta)` (an allocation exponent
:math:`b/(a+b)`, :math:`N^*(C)`, :math:`L^*(C)`) is evaluated on every replicate, so
its interval is the percentile interval of :math:`q(\theta^*_1), \dots, q(\theta^*_B)`:
no linearisation, and monotone maps of one parameter keep their coverage exactly.

>>> percentile_interval([1.0, 2.0, 3.0, 4.0, 5.0], 0.5)
(2.0, 4.0)
"""

from __future__ import annotations

import numpy as np

from .varpro import refine

#: evaluations of the second try of a replicate's refit that reached its first limit (400)
RETRY_NFEV = 2000


def resample(rng, groups: np.ndarray) -> np.ndarray:
    """Row indices of one replicate: draw ``G`` of the ``G`` groups with replacement, keep all their rows.

    ``groups`` holds each row's group label in ``0..G-1``; labels ``0..m-1`` (one row per
    group) resample the rows.

    >>> resample(np.random.default_rng(0), np.array([0, 0, 1, 1, 2])).tolist()   # groups 2, 1, 1 drawn
    [2, 2, 3, 3, 4]
    """
    n_groups = int(groups.max()) + 1
    counts = np.bincount(rng.integers(0, n_groups, n_groups), minlength=n_groups)
    return np.repeat(np.arange(groups.size), counts[groups])


def bootstrap_runs(model, X, y, theta, loss: str, delta: float, n_boot: int, seed: int = 0,
                   progress: bool = False, groups=None, box=None) -> np.ndarray:
    """``(n_boot, p)`` replicate estimates (rows of NaN where a refit failed).

    ``groups``: each row's group label in ``0..G-1`` (whole groups are resampled), or
    ``None`` to resample rows. ``box``: the full fit's bounds (:func:`~scalingtheory.fitting.varpro.search_box`),
    kept for every replicate. A refit that stops at its evaluation limit is continued once
    (:data:`RETRY_NFEV`) before it counts as failed.
    """
    from tqdm.auto import tqdm

    rng = np.random.default_rng(seed)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    out = np.full((n_boot, len(theta)), np.nan)
    for b in tqdm(range(n_boot), disable=not progress, desc="bootstrap"):
        idx = resample(rng, groups)
        Xb = tuple(x[idx] for x in X)
        sol = refine(model, theta, Xb, y[idx], loss, delta, max_nfev=400, box=box)
        if sol.status == 0:
            sol = refine(model, sol.x, Xb, y[idx], loss, delta, max_nfev=RETRY_NFEV, box=box)
        if sol.status > 0 and np.all(np.isfinite(sol.x)):
            out[b] = sol.x
    return out


def check_level(level) -> float:
    """``level`` as a float if ``0 < level < 1`` (NaN fails), else ``ValueError``: the one check of every interval level here.

    >>> check_level(2)
    Traceback (most recent call last):
    ...
    ValueError: level must satisfy 0 < level < 1, got 2
    """
    if not 0 < level < 1:
        raise ValueError(f"level must satisfy 0 < level < 1, got {level}")
    return float(level)


def percentile_interval(samples, level: float = 0.95, axis: int = 0):
    r"""Equal-tailed percentile interval ``(lo, hi)`` of ``samples``; NaN replicates are failed refits.

    With :math:`f` of :math:`B` replicates failed, the interval holds wherever the failed ones would have
    fallen: each end is the percentile the full set would have had if all :math:`f` lay beyond that end,
    i.e. the quantiles :math:`(\alpha B/2 - f)/(B - f)` and :math:`1 -` that of the :math:`B - f` that
    succeeded (:math:`\alpha = 1 -` ``level``). When :math:`f \ge \alpha B/2` that end is unbounded:
    NaN (an open interval). Without failures it is the usual percentile interval.

    >>> percentile_interval([1.0, 2.0, 3.0, 4.0, np.nan], 0.5)   # 1 of 5 failed: (0.25*5 - 1)/4 = 1/16
    (1.1875, 3.8125)
    >>> percentile_interval([1.0, 2.0, np.nan, np.nan], 0.5)
    (nan, nan)
    """
    level = check_level(level)
    s = np.moveaxis(np.asarray(samples, float), axis, 0)
    n_all = s.shape[0]
    failed = np.sum(np.isnan(s), axis=0)
    lo, hi = np.full(s.shape[1:], np.nan), np.full(s.shape[1:], np.nan)
    for f in np.unique(failed):
        tail = 0.5 * (1 - level) * n_all - f
        if tail <= 0 or f >= n_all:
            continue
        sel = failed == f
        q = tail / (n_all - f)
        vals = np.nanquantile(s[:, sel] if s.ndim > 1 else s, [q, 1 - q], axis=0)
        lo[sel], hi[sel] = vals[0], vals[1]
    return (float(lo), float(hi)) if lo.ndim == 0 else (lo, hi)


__all__ = ["bootstrap_runs", "check_level", "percentile_interval", "resample"]
