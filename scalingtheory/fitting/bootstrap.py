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

from .intervals import check_level, percentile_interval  # noqa: F401 (re-exported: the laws' modules import them here)
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


__all__ = ["bootstrap_runs", "check_level", "percentile_interval", "resample"]
