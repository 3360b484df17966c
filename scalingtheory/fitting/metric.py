r"""Downstream metrics: a bounded score (accuracy, pass rate) against the loss or the compute, and chained
with a fitted loss law to give the score at a budget with an interval.

A score :math:`m \in [c, h]` between its chance level :math:`c` and its ceiling :math:`h` follows a
logistic link in the loss (OLMo's ladder, Bhagia et al. 2024; Gadre et al. 2024 fit the same shape),

.. math::
    m(L) = c + (h - c)\,\sigma\big(k\,(L_0 - L)\big), \qquad \sigma(u) = \frac{1}{1 + e^{-u}}, \quad k > 0,

i.e. :math:`\operatorname{logit}\frac{m - c}{h - c} = k (L_0 - L)` is linear in the loss: the fit is done on
the probability scale, where the noise of a measured accuracy lives, with :math:`c` and :math:`h` either
given (a 4-way multiple choice has :math:`c = 1/4`) or fitted within :math:`[0, 1]`. Without a loss the
same link runs in :math:`\log C` with :math:`k (\log C - \log C_0)`. Intervals are bootstrap percentile
intervals over rows (seeded). :meth:`MetricFit.at_budget` chains the link with a
:class:`~scalingtheory.fitting.law.FittedLaw`'s compute-optimal :math:`L^*(C)`: replicate :math:`i` of the
score uses replicate :math:`i` of the law (both resampled independently), so the interval carries both
uncertainties.

>>> import numpy as np
>>> L = np.linspace(2.0, 3.5, 40)
>>> acc = 0.25 + 0.7 / (1 + np.exp(-4.0 * (2.6 - L)))
>>> m = fit_metric(L, acc, chance=0.25, bootstrap=0)
>>> round(m.params["k"], 6), round(m.params["x0"], 6), round(m.params["ceiling"], 6)
(4.0, 2.6, 0.95)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..limits import check_count
from .bootstrap import percentile_interval
from .optimum import Estimate

#: the predictor's kinds: the score rises as the loss falls, or as the log-compute rises
KINDS = ("loss", "compute")


def link(x, k, x0, chance, ceiling, kind: str = "loss"):
    """:math:`c + (h - c)\\,\\sigma(u)` with :math:`u = k (x_0 - x)` (loss) or :math:`k (\\log x - x_0)` (compute)."""
    u = k * (x0 - np.asarray(x, float)) if kind == "loss" else k * (np.log(np.asarray(x, float)) - x0)
    return chance + (ceiling - chance) / (1 + np.exp(-np.clip(u, -700, 700)))


@dataclass
class MetricFit:
    """A fitted link from the loss (or compute) to a bounded score, with bootstrap replicates."""

    kind: str
    params: dict
    boot: np.ndarray | None
    x: np.ndarray
    y: np.ndarray
    level: float = 0.95
    notes: list = field(default_factory=list)

    NAMES = ("k", "x0", "chance", "ceiling")

    def predict(self, x) -> np.ndarray:
        p = self.params
        return link(x, p["k"], p["x0"], p["chance"], p["ceiling"], self.kind)

    def predict_interval(self, x):
        """``(value, lo, hi)`` at ``x`` over the bootstrap replicates (NaN bounds without them)."""
        value = self.predict(x)
        if self.boot is None:
            return value, np.full_like(value, np.nan), np.full_like(value, np.nan)
        reps = np.array([link(x, *row, kind=self.kind) for row in self.boot])
        lo, hi = percentile_interval(reps, self.level)
        return value, np.asarray(lo), np.asarray(hi)

    def at_budget(self, law, budgets, cost=None) -> list[dict]:
        """The score at the compute-optimal loss :math:`L^*(C)` of ``law`` (a loss-kind fit), with intervals
        from both fits' replicates: ``[{"C", "loss": Estimate, "metric": Estimate}]``."""
        from .optimum import OptimumRule

        if self.kind != "loss":
            raise ValueError("at_budget chains a score fitted against the loss; this one is against compute")
        budgets = [float(c) for c in budgets]
        rule = OptimumRule(law.model, law._cost(cost))
        est = rule.evaluate(law.theta, budgets)["loss_at"]
        if est is None or not np.all(np.isfinite(est)):
            raise ValueError("the law has no closed-form L*(C) at these budgets")
        l_reps = None if law.boot is None else rule.evaluate(law.boot, budgets)["loss_at"]
        out = []
        for j, c in enumerate(budgets):
            m = float(self.predict(est[0, j]))
            samples = None
            if l_reps is not None and self.boot is not None:
                n = min(len(l_reps), len(self.boot))
                samples = np.array([link(l_reps[i, j], *self.boot[i], kind=self.kind) for i in range(n)])
            out.append({"C": c, "loss": Estimate.from_samples(float(est[0, j]),
                                                              None if l_reps is None else l_reps[:, j], self.level),
                        "metric": Estimate.from_samples(m, samples, self.level)})
        return out

    def estimates(self) -> dict:
        return {n: Estimate.from_samples(self.params[n], None if self.boot is None else self.boot[:, i], self.level)
                for i, n in enumerate(self.NAMES)}

    def report(self) -> str:
        head = ("m(L) = chance + (ceiling - chance) sigmoid(k (x0 - L))" if self.kind == "loss" else
                "m(C) = chance + (ceiling - chance) sigmoid(k (log C - x0))")
        lines = [f"[[Metric]] {head}; {self.y.size} points"]
        lines += [f"    {n} = {e}" for n, e in self.estimates().items()]
        return "\n".join(lines + [f"    note: {n}" for n in self.notes])

    def __repr__(self) -> str:
        return "MetricFit(" + ", ".join(f"{n}={v:.4g}" for n, v in self.params.items()) + f"; {self.kind})"

    def to_json(self) -> dict:
        return {"kind": self.kind, "params": {n: e.to_json() for n, e in self.estimates().items()},
                "n_points": int(self.y.size), "notes": self.notes}


def _fit_once(x, y, kind, chance, ceiling):
    from scipy.optimize import least_squares

    free_c, free_h = chance is None, ceiling is None
    c0 = max(0.0, float(np.min(y)) - 0.01) if free_c else chance
    h0 = min(1.0, float(np.max(y)) + 0.01) if free_h else ceiling
    t = x if kind == "loss" else np.log(x)
    spread = float(np.ptp(t)) or 1.0
    start = [4.0 / spread, float(np.median(t))] + ([c0] if free_c else []) + ([h0] if free_h else [])
    lower = [1e-8 / spread, float(t.min()) - 10 * spread] + ([0.0] if free_c else []) + ([0.0] if free_h else [])
    upper = [1e4 / spread, float(t.max()) + 10 * spread] + ([1.0] if free_c else []) + ([1.0] if free_h else [])

    def unpack(v):
        k, x0 = v[0], v[1]
        c = v[2] if free_c else chance
        h = v[2 + free_c] if free_h else ceiling
        return k, x0, c, h

    def residual(v):
        return link(x, *unpack(v), kind=kind) - y

    res = least_squares(residual, start, bounds=(lower, upper), method="trf", x_scale="jac", max_nfev=2000)
    return np.array(unpack(res.x), float), res


def fit_metric(x, metric, kind: str = "loss", chance: float | None = None, ceiling: float | None = None,
               bootstrap: int = 200, seed: int = 0, level: float = 0.95) -> MetricFit:
    """Fit the logistic link (module docstring) of ``metric`` (in [0, 1]) against ``x`` (the loss, or the
    compute when ``kind="compute"``); ``chance``/``ceiling`` fixed when given, else fitted in [0, 1]."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    x, y = np.asarray(x, float).ravel(), np.asarray(metric, float).ravel()
    if x.size != y.size or x.size < 5:
        raise ValueError(f"need matching x and metric with at least 5 points, got {x.size} and {y.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))) or np.any(x <= 0):
        raise ValueError("x must be finite and > 0, the metric finite")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("the metric must lie in [0, 1] (a fraction: accuracy, pass rate)")
    for name, v in (("chance", chance), ("ceiling", ceiling)):
        if v is not None and not 0 <= v <= 1:
            raise ValueError(f"{name} must be in [0, 1], got {v}")
    if chance is not None and ceiling is not None and ceiling <= chance:
        raise ValueError(f"ceiling ({ceiling}) must exceed chance ({chance})")
    n_boot = check_count("bootstrap", bootstrap)
    theta, res = _fit_once(x, y, kind, chance, ceiling)
    notes = [] if res.success else [f"the optimiser stopped: {res.message}"]
    boot = None
    if n_boot:
        rng = np.random.default_rng(seed)
        reps = []
        for _ in range(n_boot):
            i = rng.integers(0, x.size, x.size)
            reps.append(_fit_once(x[i], y[i], kind, chance, ceiling)[0])
        boot = np.array(reps)
    return MetricFit(kind, dict(zip(MetricFit.NAMES, map(float, theta))), boot, x, y, level, notes)


__all__ = ["fit_metric", "MetricFit", "link"]
