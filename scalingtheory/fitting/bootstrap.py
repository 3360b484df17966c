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
                   progress: bool = False, groups=None) -> np.ndarray:
    """``(n_boot, p)`` replicate estimates (rows of NaN where a refit failed).

    ``groups``: each row's group label in ``0..G-1`` (whole groups are resampled), or
    ``None`` to resample rows.
    """
    from tqdm.auto import tqdm

    rng = np.random.default_rng(seed)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    out = np.full((n_boot, len(theta)), np.nan)
    for b in tqdm(range(n_boot), disable=not progress, desc="bootstrap"):
        idx = resample(rng, groups)
        sol = refine(model, theta, tuple(x[idx] for x in X), y[idx], loss, delta, max_nfev=400)
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
    """Equal-tailed percentile interval ``(lo, hi)`` of ``samples`` (NaN replicates ignored)."""
    level = check_level(level)
    q = np.nanpercentile(np.asarray(samples, float), [50 * (1 - level), 50 * (1 + level)], axis=axis)
    return (float(q[0]), float(q[1])) if np.ndim(q[0]) == 0 else (q[0], q[1])


__all__ = ["bootstrap_runs", "check_level", "percentile_interval", "resample"]
