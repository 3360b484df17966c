r"""Sweeps of numeric routes over parameter grids on dask.distributed, with measured exponents.

``st.sweep(spec, out)`` (this package is callable: ``scalingtheory.sweep(...)`` is
:func:`sweep`) runs every (grid point, varied resource value, seed) of a spec
(:mod:`~scalingtheory.sweep.spec`) as one Dask task on a local cluster or on an existing
scheduler (:mod:`~scalingtheory.sweep.run`), writes ``out/results.parquet`` incrementally
(:mod:`~scalingtheory.sweep.store`), then measures the exponents with bootstrap intervals
against the model's closed forms (:mod:`~scalingtheory.sweep.analysis`):
``out/exponents.json`` and ``out/exponents.png``. Dask, pyarrow and matplotlib are
imported only when a sweep runs.
"""

from __future__ import annotations

import sys
import types

from .spec import MAX_TASKS, Spec, load_spec


def sweep(spec, out, scheduler=None, workers: int | None = None, resume: bool = False,
          allow_large: bool = False, progress: bool | None = None):
    """Run a sweep and analyse it; returns a :class:`~scalingtheory.sweep.result.SweepResult`.

    Parameters
    ----------
    spec : dict, Spec or path of a JSON file (see :mod:`scalingtheory.sweep.spec`).
    out : directory for the results (new, empty, or an earlier run of the same spec with ``resume``).
    scheduler : address of a running dask scheduler (``tcp://host:8786``) or a ``distributed.Client`` (used and
        left open); None starts a LocalCluster.
    workers : local worker processes (default: one per core; not with ``scheduler``).
    resume : continue an earlier run of the same spec in ``out``, skipping its finished rows.
    allow_large : lift the bounds on the number of tasks and the size of one task.
    progress : show a tqdm bar (default: in a terminal or a Jupyter kernel).
    """
    from .analysis import analyze
    from .result import SweepResult, write_outputs
    from .run import run_sweep

    spec = load_spec(spec, allow_large)
    out, table = run_sweep(spec, out, scheduler, workers, resume, progress)
    exponents = analyze(spec, table)
    notes = write_outputs(out, exponents)
    return SweepResult(out, exponents, table, notes)


class _CallableModule(types.ModuleType):
    """Lets ``scalingtheory.sweep(...)`` call :func:`sweep` although the name is also this package."""

    def __call__(self, *args, **kwargs):
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["sweep", "load_spec", "Spec", "MAX_TASKS"]
