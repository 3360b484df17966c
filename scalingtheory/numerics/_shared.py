"""Numeric helpers shared by the numerics modules (private): one meaning for each.

* :func:`confidence_interval` -- mean over seeds and its Student-t interval as a ``(low, high)`` pair
  (the meaning of ``ci`` everywhere in the toolkit);
* :func:`blas_threads` -- a context limiting BLAS threads (many small dense solves run up to 100x
  slower with a second busy-waiting OpenBLAS thread on a loaded 2-core machine).

>>> mean, (low, high) = confidence_interval([[1.0], [2.0], [3.0]])
>>> float(mean[0]), round(float(low[0]), 4), round(float(high[0]), 4)
(2.0, -0.4841, 4.4841)
"""

from __future__ import annotations

import numpy as np


def confidence_interval(samples, level: float = 0.95, axis: int = 0):
    """``(mean, (low, high))`` of the Student-t ``level`` interval of the mean along ``axis``
    (NaN bounds for a single sample)."""
    from scipy import stats

    x = np.asarray(samples, dtype=float)
    n = x.shape[axis]
    mean = x.mean(axis=axis)
    if n < 2:
        nan = np.full_like(mean, np.nan)
        return mean, (nan, nan)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * x.std(axis=axis, ddof=1) / np.sqrt(n)
    return mean, (mean - half, mean + half)


def blas_threads(n: int = 1):
    """Context manager running its block with ``n`` BLAS threads (threadpoolctl), restored afterwards."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=int(n), user_api="blas")


__all__ = ["confidence_interval", "blas_threads"]
