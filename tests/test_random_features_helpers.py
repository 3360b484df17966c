"""Shared helpers of the random-feature tests (no tests here).

``single_blas_thread``: the exact solver does many small dense products; on a
loaded 2-core machine multi-threaded OpenBLAS busy-waits and runs them up to 100x
slower, so the random-feature tests pin BLAS to one thread (restored afterwards).
"""
import numpy as np
from threadpoolctl import threadpool_limits


def single_blas_thread():
    """Context manager pinning BLAS to one thread (restored afterwards)."""
    return threadpool_limits(limits=1, user_api="blas")


def power_law_task(M, a=2.0, b=1.5):
    """``lambda_k = k^-b`` and ``w_k`` with ``lambda_k w_k^2 = k^-a`` (digest notation)."""
    k = np.arange(1, M + 1, dtype=float)
    lam = k ** -b
    return lam, np.sqrt(k ** -a / lam)
