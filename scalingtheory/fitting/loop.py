r"""The simulated campaign: fit -> plan -> "train" -> refit, under a law with known parameters.

Each round fits the runs so far (:func:`~scalingtheory.fitting.law.fit_law`), records the delta-method
interval of :math:`X^*(C_0)` (:mod:`scalingtheory.fitting.plan`), asks :func:`~scalingtheory.fitting.plan.plan`
for the next runs and "trains" them by evaluating the true law there times :math:`1 + \epsilon`,
:math:`\epsilon \sim \mathcal N(0, \text{noise}^2)` (seeded). It sits above both the fit and the plan (the
plan takes a fitted law; the loop refits), so neither imports the other's caller.

>>> from scalingtheory.fitting.synthetic import HOFFMANN, LAW, chinchilla_runs
>>> runs = chinchilla_runs(30, seed=0, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
>>> rounds = simulate_loop(HOFFMANN, LAW, "6*N*D", 1e23, runs, rounds=1)
>>> [r.runs for r in rounds], rounds[0].spent < rounds[1].spent
([30, 38], True)
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .law import fit_law
from .optimum import Estimate
from .plan import _cost_function, _intervals, _inverse, gradients, information, log_targets, plan


@dataclass
class LoopRound:
    """One round of :func:`simulate_loop`: compute spent so far, the estimate of ``X*(C)`` and its interval."""

    spent: float
    runs: int
    estimate: Estimate
    truth: float

    @property
    def error(self) -> float:
        """``log`` of estimate over truth."""
        return float(np.log(self.estimate.value / self.truth))


def simulate_loop(truth: dict, law: str, cost: str, budget: float, first_runs: dict, rounds: int = 3,
                  runs_per_round: int = 8, max_run_compute: float = 1e20, noise: float = 0.02,
                  seed: int = 0, target: str = "N", cap_growth: float = 1.0) -> list[LoopRound]:
    """fit -> plan -> "train" -> refit, ``rounds`` times, under a hypothetical law with known parameters.

    ``truth`` gives the law's parameter values; "training" a run evaluates the law there times
    ``1 + noise * standard normal`` (seeded). ``first_runs`` is the initial table (mapping of columns,
    including the loss). Each round records the compute spent on all runs so far and the delta-method
    interval of ``target*(budget)`` from the refit, beside the true value from the same law's exact rule.
    The per-run cap is multiplied by ``cap_growth`` after each round (a ladder of ever larger runs).
    """
    rng = np.random.default_rng(seed)
    data = {k: np.asarray(v, float) for k, v in first_runs.items()}
    out = []
    for r in range(rounds + 1):
        fit = fit_law(data, law, cost=cost, bootstrap=0)
        rule = fit.rule(cost)
        names = [x.name for x in fit.model.resources]
        theta = np.array([truth[p.name] for p in fit.model.params], float)
        true = float(np.exp(log_targets(rule, theta, budget)[target][0]))
        spent = float(np.sum(_cost_function(rule, fit.model.resources)(np.column_stack([data[n] for n in names]))))
        z = NormalDist().inv_cdf(0.975)
        logs = log_targets(rule, fit.theta, budget)
        est = _intervals({target: float(logs[target][0])}, gradients(rule, fit.theta, budget),
                         _inverse(information(fit)), z)[target]
        out.append(LoopRound(spent, len(data[names[0]]), est, true))
        if r == rounds:
            return out
        p = plan(fit, budget, runs_per_round, max_run_compute * cap_growth**r, cost=cost, target=target)
        new = np.array([[run[n] for n in names] for run in p.runs])
        y = fit.model.predict(theta, tuple(new.T)) * (1 + noise * rng.standard_normal(len(new)))
        data = {**{n: np.r_[data[n], new[:, i]] for i, n in enumerate(names)}, fit.y_name: np.r_[data[fit.y_name], y]}


__all__ = ["LoopRound", "simulate_loop"]
