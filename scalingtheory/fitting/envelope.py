r"""Approach 1 (Hoffmann et al. 2022, Sec. 3.1): the lower envelope of training curves.

The data hold *curves* when runs share the value of one resource (the model size
:math:`N`) and each such run has at least four values of the other (tokens :math:`D`
seen along training). Along each curve the log loss is interpolated linearly in
:math:`\log C`. On a grid of 60 budgets the curve with the lowest loss among those reaching
that budget wins; its :math:`N` and its :math:`D` at that budget are
:math:`N^*(C), D^*(C)`. Budgets reached by fewer than three curves, or won by the
smallest or largest curve reaching them, are left out (the optimum there is censored
by the sweep). The allocation exponents are the OLS slopes of :math:`\log X^*` on
:math:`\log C`; their intervals come from a seeded bootstrap over curves (the grid
points are not independent, so no OLS interval is given).

>>> import numpy as np
>>> N, D = (a.ravel() for a in np.meshgrid(np.logspace(7, 10, 11), np.logspace(8, 13, 40)))
>>> L = 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28
>>> res = envelope({"N": N, "D": D}, L, 6 * N * D, n_boot=50)
>>> round(res.allocation["N"].value, 2), round(0.28 / 0.62, 2)
(0.45, 0.45)
"""

from __future__ import annotations

import numpy as np

from .approach import ApproachResult
from .optimum import Estimate

MIN_CURVE_POINTS = 4
MIN_CURVES = 3
GRID = 60


def curve_resource(X: dict):
    """``(resource, other, n)``: the resource whose shared values mark the most training curves.

    A curve is the set of rows sharing a value of ``resource`` with at least
    :data:`MIN_CURVE_POINTS` distinct values of ``other``; ``None`` unless there are two
    resources and at least :data:`MIN_CURVES` such curves.

    >>> curve_resource({"N": np.repeat([1e7, 1e8, 1e9], 4), "D": np.tile([1e9, 2e9, 4e9, 8e9], 3)})
    ('N', 'D', 3)
    """
    if len(X) != 2:
        return None
    best = None
    for k, other in (tuple(X), tuple(X)[::-1]):
        pairs = np.unique(np.column_stack([X[k], X[other]]), axis=0)      # distinct (k, other) rows
        distinct = np.unique(pairs[:, 0], return_counts=True)[1]          # distinct others per value of k
        n = int(np.sum(distinct >= MIN_CURVE_POINTS))
        if n >= MIN_CURVES and (best is None or n > best[2]):
            best = (k, other, n)
    return best


def training_curves(X: dict, y, C):
    """``(resource, other, curves)``: the grouping resource and its curves ``(value, log C, log L, log other)``.

    ``None`` unless :func:`curve_resource` finds curves.
    """
    found = curve_resource(X)
    if found is None:
        return None
    k, other, _ = found
    curves = []
    for v in np.unique(X[k]):
        g = X[k] == v
        if np.unique(X[other][g]).size >= MIN_CURVE_POINTS:
            o = np.argsort(C[g])
            curves.append((float(v), np.log(C[g][o]), np.log(y[g][o]), np.log(X[other][g][o])))
    return k, other, curves


def envelope_slopes(curves, grid):
    """Slopes of ``log N*`` and ``log D*`` on ``log C`` along the envelope; ``None`` if < 3 winners."""
    pts = []
    for c in grid:
        cands = [(np.interp(c, lc, ll), i) for i, (v, lc, ll, lo) in enumerate(curves) if lc[0] <= c <= lc[-1]]
        if len(cands) < 3:
            continue
        i = min(cands)[1]
        v, lc, _, lo = curves[i]
        ids = [curves[j][0] for _, j in cands]
        if min(ids) < v < max(ids):
            pts.append((c, np.log(v), np.interp(c, lc, lo)))
    if len({p[1] for p in pts}) < 3:
        return None
    p = np.array(pts)
    return np.polyfit(p[:, 0], p[:, 1], 1)[0], np.polyfit(p[:, 0], p[:, 2], 1)[0]


def envelope(X: dict, y, C, level: float = 0.95, seed: int = 0, n_boot: int = 200) -> ApproachResult | None:
    """Approach 1 exponents with bootstrap-over-curves intervals, or ``None`` when the data hold no curves."""
    found = training_curves(X, y, C)
    if found is None:
        return None
    k, other, curves = found
    lcs = np.concatenate([c[1] for c in curves])
    grid = np.linspace(lcs.min(), lcs.max(), GRID)
    est = envelope_slopes(curves, grid)
    if est is None:
        return None
    rng = np.random.default_rng(seed)
    reps = []
    for _ in range(n_boot):
        pick = np.unique(rng.integers(0, len(curves), len(curves)))
        s = envelope_slopes([curves[i] for i in pick], grid) if pick.size >= MIN_CURVES else None
        reps.append(s if s is not None else (np.nan, np.nan))
    reps = np.array(reps)
    alloc = {k: Estimate.from_samples(est[0], reps[:, 0], level), other: Estimate.from_samples(est[1], reps[:, 1], level)}
    return ApproachResult("envelope", "Approach 1: envelope of training curves", alloc,
                          f"{len(curves)} curves grouped by {k}", "bootstrap over curves")


__all__ = ["envelope", "training_curves", "curve_resource", "envelope_slopes"]
