"""Numeric helpers shared by the numerics modules (private): one meaning for each.

* :func:`confidence_interval` -- mean over seeds and its Student-t interval as a ``(low, high)`` pair
  (the meaning of ``ci`` everywhere in the toolkit);
* :func:`seed_tuple` -- the meaning of ``seeds`` everywhere in numerics and models: a sequence of
  distinct integer seeds, one independent run each;
* :func:`check_times`, :func:`check_ridge` -- the arrays of times (finite, >= 0) and of ridges (> 0)
  every solver takes;
* :func:`blas_threads` -- a context limiting BLAS threads (many small dense solves run up to 100x
  slower with a second busy-waiting OpenBLAS thread on a loaded 2-core machine).

>>> mean, (low, high) = confidence_interval([[1.0], [2.0], [3.0]])
>>> float(mean[0]), round(float(low[0]), 4), round(float(high[0]), 4)
(2.0, -0.4841, 4.4841)
>>> seed_tuple(range(3))
(0, 1, 2)
"""

from __future__ import annotations

import numpy as np


def confidence_interval(samples, level: float = 0.95, axis: int = 0):
    """``(mean, (low, high))`` of the Student-t ``level`` interval of the mean along ``axis``
    (NaN bounds for a single sample). The quantile is :func:`scipy.special.stdtrit`, what
    ``scipy.stats.t.ppf`` evaluates (equal to the last bit), without importing scipy.stats (0.5 s)."""
    from scipy.special import stdtrit

    x = np.asarray(samples, dtype=float)
    n = x.shape[axis]
    mean = x.mean(axis=axis)
    if n < 2:
        nan = np.full_like(mean, np.nan)
        return mean, (nan, nan)
    half = stdtrit(n - 1, 0.5 + level / 2) * x.std(axis=axis, ddof=1) / np.sqrt(n)
    return mean, (mean - half, mean + half)


#: seeds are integers in [0, MAX_SEED) (numpy's SeedSequence takes any such integer)
MAX_SEED = 2**32


def seed_tuple(seeds) -> tuple:
    """``seeds`` as a tuple of ints: a sequence of distinct integer seeds in ``[0, 2^32)``, at least one.

    Run ``i`` of a numeric route draws from ``numpy.random.default_rng(seeds[i])``, so a result is
    reproduced by its seeds and a longer sequence extends a shorter one. A count is not a sequence:
    ``seeds=8`` is refused (write ``range(8)``), so one argument never has two meanings.

    >>> seed_tuple(8)
    Traceback (most recent call last):
    ...
    TypeError: seeds is a sequence of integer seeds (e.g. range(8)), got the int 8
    """
    if isinstance(seeds, (int, np.integer)):
        raise TypeError(f"seeds is a sequence of integer seeds (e.g. range({seeds})), got the int {seeds}")
    try:
        out = tuple(seeds)
    except TypeError:
        raise TypeError(f"seeds is a sequence of integer seeds, got {seeds!r}") from None
    if not out or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or not 0 <= s < MAX_SEED
                      for s in out) or len(set(out)) != len(out):
        raise ValueError(f"seeds must be distinct integers in [0, 2^32), at least one; got {seeds!r}")
    return tuple(int(s) for s in out)


def check_times(values, name: str = "times") -> np.ndarray:
    """``values`` as a 1-d float array of finite values >= 0, else ``ValueError`` naming ``name``."""
    arr = np.atleast_1d(np.asarray(values, dtype=float))
    if arr.ndim != 1 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0, got {values!r}")
    return arr


def check_ridge(ridge) -> np.ndarray:
    """The ridges ``z > 0`` (finite) as a 1-d float array, else ``ValueError``."""
    z = np.atleast_1d(np.asarray(ridge, dtype=float))
    if np.any(~np.isfinite(z)) or np.any(z <= 0):
        raise ValueError(f"ridge must be > 0, got {ridge!r}")
    return z


def blas_threads(n: int = 1):
    """Context manager running its block with ``n`` BLAS threads (threadpoolctl), restored afterwards.

    threadpoolctl limits the libraries loaded already; SciPy brings its own OpenBLAS (NumPy's is another
    copy), which a block calling SciPy would load after the limit, at one thread per core. So SciPy's
    BLAS is loaded first (``scipy.linalg``, 0.2 s the first time) and limited with NumPy's."""
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=int(n), user_api="blas")


__all__ = ["confidence_interval", "seed_tuple", "MAX_SEED", "check_times", "check_ridge", "blas_threads"]
