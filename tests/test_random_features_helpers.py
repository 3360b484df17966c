"""Shared helpers of the random-feature tests (no tests here).

``single_blas_thread``: the exact solver does many small dense products; on a
loaded 2-core machine multi-threaded OpenBLAS busy-waits and runs them up to 100x
slower, so the random-feature tests pin BLAS to one thread (restored afterwards).
"""
import ctypes
import glob
import os
from contextlib import contextmanager

import numpy as np


def _openblas():
    here = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(here, "*openblas*")):
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    return get, put
    return None


@contextmanager
def single_blas_thread():
    funcs = _openblas()
    if funcs is None:
        yield
        return
    get, put = funcs
    before = get()
    put(1)
    try:
        yield
    finally:
        put(before)


def power_law_task(M, a=2.0, b=1.5):
    """``lambda_k = k^-b`` and ``w_k`` with ``lambda_k w_k^2 = k^-a`` (digest notation)."""
    k = np.arange(1, M + 1, dtype=float)
    lam = k ** -b
    return lam, np.sqrt(k ** -a / lam)
