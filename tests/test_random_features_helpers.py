"""Shared helper of the random-feature tests (no tests here); BLAS limits come from
:func:`scalingtheory.numerics._shared.blas_threads`."""
import numpy as np


def power_law_task(M, a=2.0, b=1.5):
    """``lambda_k = k^-b`` and ``w_k`` with ``lambda_k w_k^2 = k^-a`` (digest notation)."""
    k = np.arange(1, M + 1, dtype=float)
    lam = k ** -b
    return lam, np.sqrt(k ** -a / lam)
