r"""Interval levels and percentile intervals, shared by every fit: the bootstrap of a law (:mod:`.bootstrap`) and
the residual bootstrap of a learning curve (:mod:`.curve_bands`).

>>> lo, hi = percentile_interval(np.arange(101.0)[:, None] * [1.0, 2.0], check_level(0.9))
>>> np.round(lo, 9).tolist(), np.round(hi, 9).tolist()  # per column
([5.0, 10.0], [95.0, 190.0])
"""

from __future__ import annotations

import numpy as np


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


__all__ = ["check_level", "percentile_interval"]
