"""Bounds on every work knob of the toolkit, in one table (issue 28 item 3).

A work knob is a count that multiplies the work of a call: bootstrap replicates, multi-start starts,
BNSL breaks, backtest origins. Each has a :class:`Bound` in :data:`LIMITS`; :func:`check_count` refuses
a value outside it with ``ValueError`` naming the option and the range, before any work is done (the
CLI turns that into exit status 2 and one line). A count typed as text is read by
:func:`scalingtheory.number_text.ascii_int`: ASCII digits only (``int()`` alone takes ``1_000`` and ``١``).

The table imports nothing heavy, so a command's ``--help`` and its argument checks stay light.
Commands add their own rows here rather than keeping a bound of their own.

>>> check_count("bootstrap", 200)
200
>>> check_count("breaks", 10**9, "--breaks")
Traceback (most recent call last):
...
ValueError: --breaks must be an integer from 0 to 6 (BNSL breaks), got 1000000000
>>> check_count("bootstrap", 1)
Traceback (most recent call last):
...
ValueError: bootstrap must be 0 or an integer from 2 to 10,000 (bootstrap replicates), got 1
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    """An integer range ``low..high`` (and 0 when ``zero``: "none of this work"), what it counts, and why."""

    low: int
    high: int
    what: str
    why: str
    zero: bool = False

    def text(self) -> str:
        """``"0 or an integer from 2 to 10,000"`` / ``"an integer from 0 to 6"``."""
        return f"{'0 or ' if self.zero else ''}an integer from {self.low:,} to {self.high:,}"

    def holds(self, n: int) -> bool:
        return (self.zero and n == 0) or self.low <= n <= self.high


#: Every bound, by the keyword name of the Python API (``st.fit(breaks=, bootstrap=, n_starts=, origins=)``).
#: CPU times measured 2026-12-06 on the shared 2-core machine (``derivations/bnsl.py`` section 9).
LIMITS = {
    # replicates: the same bound as fit_law's MAX_BOOTSTRAP (scalingtheory/fitting/law.py); one BNSL replicate
    # took 2 ms (1 break, 60 points) to 0.2 s (3 breaks, 1,000 points), so the bound is 20 s to 35 min
    "bootstrap": Bound(2, 10_000, "bootstrap replicates", "each replicate is one refit", zero=True),
    # breaks: the start grid (forms.BNSL.candidates) has 6 break locations per break from 4 breaks on, so 7 or
    # more breaks have no start (RuntimeError); 6 breaks took 1.5 s CPU on 60 points, 141 MB peak
    "breaks": Bound(0, 6, "BNSL breaks", "the start grid places at most 6 ordered breaks"),
    "max_breaks": Bound(0, 6, "largest number of BNSL breaks tried", "the start grid places at most 6 ordered breaks"),
    # backtest origins (0: no backtest band): distinct prefixes are at most half the points (<= 1,000 bin means); one origin took
    # 3 ms (1 break, 60 points) to 62 ms (3 breaks, 1,000 points)
    "origins": Bound(1, 1_000, "backtest origins", "each origin is one refit", zero=True),
    # starts: each start is refined for up to 30 evaluations per parameter (fitting.least_squares.solve)
    "n_starts": Bound(0, 100, "multi-start starts", "each start is one bounded least-squares refinement"),
    # fit_law (scalingtheory/fitting/varpro.py): refined starts of a multi-resource law, points of its start grid
    # (one NNLS projection over the runs each), runs held out by the audit (scalingtheory/fitting/holdout.py;
    # the fit keeps at least one more run than parameters, checked against the data)
    "law_starts": Bound(1, 256, "refined starts of a law fit", "each start is one least-squares refinement"),
    "grid_points": Bound(100, 1_000_000, "start-grid points of a law fit", "each point is one projection over the runs"),
    "holdout": Bound(0, 10_000, "runs held out by the audit", "the audit refits the law without them"),
    # spectrum: one subsample is an eigendecomposition of 0.8 n x 0.8 n, 0.8 s CPU at the default n = 2000 (160 s
    # for 200), 23 s at n_max = 6000; a repeat is one learning curve of 8 sizes (kernel and random features)
    "subsamples": Bound(2, 200, "spectrum bootstrap subsamples", "each is one dense eigendecomposition"),
    "repeats": Bound(2, 100, "learning-curve repeats", "each repeat is one curve of 8 fits"),
    # sweep (scalingtheory/sweep/spec.py): seeds per grid point and value; tasks in all, also with --yes (which
    # lifts only the 10,000-task default, sweep.spec.MAX_TASKS): the driver keeps one label per task
    "seeds": Bound(1, 1_000, "seeds of a sweep", "each seed is one task per grid point and value"),
    "sweep_tasks": Bound(1, 1_000_000, "tasks of a sweep", "each task is one Dask future and one row"),
    # planned runs (fitting/plan.py): each pick is one rank-one update over every candidate (about 1 ms for 1,700)
    "plan_runs": Bound(1, 1_000, "runs to plan", "each run is one greedy pick over every candidate"),
}


#: most points (``x`` values or budgets) a prediction with a bootstrap interval is given at (fit --predict, metric
#: --at / --at-compute): the interval holds one row per replicate for each (10,000 replicates x 1,000 points = 80 MB;
#: fit --predict with 5,000 points and --bootstrap 10000 took 1.3 GB and 50 s)
MAX_POINTS = 1_000

#: the default ``seeds`` of every stochastic routine. ``seeds`` is always a sequence of integer seeds
#: (:func:`scalingtheory.numerics._shared.seed_tuple`; run ``i`` draws from ``default_rng(seeds[i])``): a result
#: records the seeds it used and a longer sequence extends a shorter one. Eight draws give a mean with a
#: t-interval of 7 degrees of freedom (the sweep's intervals cover 0.93-0.96 for 2-12 seeds).
SEEDS = tuple(range(8))

#: largest numerator or denominator of a rational model parameter that prefactors are evaluated with exactly; a
#: larger one enters them as a 30-digit float (SymPy extracts perfect roots of ``base**(p/q)`` with work growing
#: with ``q``: random_features' ``c_1**(alpha beta)`` at ``alpha = 123456789/98765432`` never returned)
MAX_EXACT_PARAMETER = 10**6


def check_count(name: str, value, option: str | None = None) -> int:
    """``value`` as an ``int`` when it is an integer within ``LIMITS[name]``; else ``ValueError`` with the range.

    ``option`` names the value in the message (default ``name``). Booleans and non-integral numbers are
    refused; an integral float (``3.0``) is taken as its integer.
    """
    bound = LIMITS[name]
    label = option or name
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if isinstance(value, float) and value.is_integer():
        value, ok = int(value), True
    if not ok or not bound.holds(int(value)):
        shown = repr(value) if not isinstance(value, str) else repr(value[:40])
        raise ValueError(f"{label} must be {bound.text()} ({bound.what}), got {shown[:60]}")
    return int(value)


__all__ = ["Bound", "LIMITS", "MAX_POINTS", "SEEDS", "check_count"]
