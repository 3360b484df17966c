"""Progress of a spectrum run (tqdm) and its BLAS threads.

``progress`` arguments of the spectrum functions are ``False`` (silent), ``True`` (each loop shows a bar
of its own) or the run's bar from :func:`run_bar`, which every step of :func:`~.compare.theory_meets_data`
advances (Gram matrix, eigensystem, each bootstrap subsample, predictions, each learning-curve repeat), so
a run of minutes never looks stalled.

BLAS: :data:`BLAS_THREADS` threads for the whole run. Measured (benchmarks/bench_contention.py): a
1797-point ``eigh`` with 2 OpenBLAS threads beside other busy processes took 8.7-14.3 s CPU and 37-64 s
wall against 1.1 s CPU and 4.8-4.9 s wall with one thread (idle OpenBLAS threads spin-wait for a core
that another process holds), while a second thread saves at most half the time on an idle machine.

>>> list(steps(range(3), False, "x"))
[0, 1, 2]
"""

from __future__ import annotations

import contextlib

#: BLAS threads of a spectrum run (None: the library's default, one per core)
BLAS_THREADS = 1


def run_bar(total: int, desc: str, enabled: bool):
    """The bar of a whole run (``total`` steps), or False when progress is off."""
    if not enabled:
        return False
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="step", leave=False)


def steps(items, progress, desc: str):
    """Iterate ``items``, one step of ``progress`` each (see the module docstring)."""
    if isinstance(progress, bool):
        from tqdm.auto import tqdm

        yield from tqdm(items, desc=desc, disable=not progress, leave=False)
        return
    progress.set_postfix_str(desc)
    for item in items:
        yield item
        progress.update()


@contextlib.contextmanager
def step(progress, desc: str):
    """One step of the run's bar around a block (nothing when ``progress`` is a bool)."""
    if not isinstance(progress, bool):
        progress.set_postfix_str(desc)
    yield
    if not isinstance(progress, bool):
        progress.update()


def blas_limit():
    """The BLAS thread limit of a spectrum run (a context manager)."""
    from ..numerics._shared import blas_threads   # SciPy's own OpenBLAS limited too

    return blas_threads(BLAS_THREADS) if BLAS_THREADS is not None else contextlib.nullcontext()


__all__ = ["BLAS_THREADS", "run_bar", "steps", "step", "blas_limit"]
