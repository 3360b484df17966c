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

from ..limits import MAX_POINTS, check_count
from .bootstrap import percentile_interval, resample
from .optimum import Estimate

#: the predictor's kinds: the score rises as the loss falls, or as the log-compute rises
KINDS = ("loss", "compute")
#: a free chance level or ceiling is not identified when the fit with it at its bound (0 or 1) is not rejected at
#: this level and puts the midpoint outside the data. 0.99, not the intervals' 0.95: at 0.95 one-tailed data were
#: flagged in 34 of 40 seeds (the true ceiling itself was rejected in 2 of 6), at 0.99 in 40 of 40, and
#: two-tailed data in 0 of 40 at either (loss 1.9-3.2 vs 2.5-3.2 around x0 = 2.4, 500 questions per run)
IDENTIFY_LEVEL = 0.99


def _points(values, what: str) -> np.ndarray:
    v = np.atleast_1d(np.asarray(values, float))
    if v.size > MAX_POINTS:
        raise ValueError(f"{v.size:,} {what}; at most {MAX_POINTS:,} at once")
    return v


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
    not_identified: tuple = ()

    NAMES = ("k", "x0", "chance", "ceiling")

    def predict(self, x) -> np.ndarray:
        p = self.params
        return link(x, p["k"], p["x0"], p["chance"], p["ceiling"], self.kind)

    def predict_interval(self, x):
        """``(value, lo, hi)`` at ``x`` over the bootstrap replicates (NaN bounds without them)."""
        x = _points(x, "points to predict at")
        value = self.predict(x)
        if self.boot is None:
            return value, np.full_like(value, np.nan), np.full_like(value, np.nan)
        reps = np.array([link(x, *row, kind=self.kind) for row in self.boot])
        lo, hi = percentile_interval(reps, self.level)
        return value, np.asarray(lo), np.asarray(hi)

    def at_budget(self, law, budgets, cost=None) -> list[dict]:
        """The score at the compute-optimal loss :math:`L^*(C)` of ``law`` (a loss-kind fit), with intervals
        from both fits' replicates: ``[{"C", "loss": Estimate, "metric": Estimate}]``."""
        if self.kind != "loss":
            raise ValueError("at_budget chains a score fitted against the loss; this one is against compute")
        budgets = [float(c) for c in _points(budgets, "budgets")]
        rule = law.rule(cost)
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
        """Each parameter with its bootstrap interval; none for a parameter the data do not fix (``not_identified``:
        the percentile interval of refits that share the data's blind side does not hold)."""
        return {n: Estimate(self.params[n]) if n in self.not_identified else
                Estimate.from_samples(self.params[n], None if self.boot is None else self.boot[:, i], self.level)
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
                "not_identified": list(self.not_identified), "n_points": int(self.y.size), "notes": self.notes}


def _fit_once(x, y, kind, chance, ceiling):
    """One bounded least-squares fit; the predictor is standardised (``u = (t - median) / spread``) so that the
    fit is the same for a loss in nats, bits or 1e300 (``k`` and ``x0`` are mapped back)."""
    import warnings

    from scipy.optimize import least_squares

    free_c, free_h = chance is None, ceiling is None
    c0 = max(0.0, float(np.min(y)) - 0.01) if free_c else chance
    h0 = min(1.0, float(np.max(y)) + 0.01) if free_h else ceiling
    t = x if kind == "loss" else np.log(x)
    mid, spread = float(np.median(t)), float(np.ptp(t))
    if not spread > 0:                   # a bootstrap resample of one distinct x: a failed refit (NaN row)
        return np.full(4, np.nan), None
    u = (t - mid) / spread
    sign = 1.0 if kind == "loss" else -1.0      # the link in u: k_u (x0_u - u) for the loss, k_u (u - x0_u) for compute
    start = [4.0, 0.0] + ([c0] if free_c else []) + ([h0] if free_h else [])
    lower = [1e-8, -10.0] + ([0.0] if free_c else []) + ([0.0] if free_h else [])
    upper = [1e4, 10.0] + ([1.0] if free_c else []) + ([1.0] if free_h else [])

    def unpack(v):
        c = v[2] if free_c else chance
        h = v[2 + free_c] if free_h else ceiling
        return v[0], v[1], c, h

    def residual(v):
        k, x0, c, h = unpack(v)
        return c + (h - c) / (1 + np.exp(-np.clip(sign * k * (x0 - u), -700, 700))) - y

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = least_squares(residual, start, bounds=(lower, upper), method="trf", x_scale="jac", max_nfev=2000)
    k, x0, c, h = unpack(res.x)
    return np.array([k / spread, mid + x0 * spread, c, h], float), res


def _check_shape(x, y, kind: str) -> None:
    """``ValueError`` when the data cannot fix the link: a constant predictor or score, or a score that does not
    rise as the loss falls (as the compute rises): its least-squares slope against the predictor has the wrong sign."""
    t = x if kind == "loss" else np.log(x)
    if np.ptp(t) <= 1e-12 * np.max(np.abs(t)) or np.ptp(y) == 0:
        which = "x" if np.ptp(t) <= 1e-12 * np.max(np.abs(t)) else "the metric"
        raise ValueError(f"{which} is constant over the points: there is no link to fit")
    slope = np.polyfit((t - np.median(t)) / np.ptp(t), y, 1)[0]
    if (slope >= 0) if kind == "loss" else (slope <= 0):
        raise ValueError(f"the metric does not rise as the {'loss falls' if kind == 'loss' else 'compute rises'} "
                         f"(least-squares slope {slope:+.3g} per data range); the link fits a score that improves "
                         "(for an error rate, use 1 - error)")


def _fit_notes(theta, x, kind: str) -> list:
    """Notes on a fitted link the data do not pin down: its midpoint ``x0`` outside the data, ceiling <= chance."""
    k, x0, c, h = theta
    t = x if kind == "loss" else np.log(x)
    notes = []
    if not t.min() <= x0 <= t.max():
        notes.append(f"the midpoint x0 = {x0:.4g}{' (log compute)' if kind == 'compute' else ''} lies outside the "
                     f"data ({t.min():.4g} to {t.max():.4g}): the data show one tail of the link, so k, x0 and the "
                     "level beyond are extrapolated")
    if not h > c:
        notes.append(f"the fitted ceiling ({h:.4g}) is not above the chance level ({c:.4g}): the link is not "
                     "identified by these data")
    return notes


def _levels_not_identified(x, y, kind: str, chance, ceiling, res, level: float = IDENTIFY_LEVEL) -> tuple:
    r"""``(names, notes)`` for a free level the data do not fix. The ceiling (chance level) is refitted at its bound,
    1 (0): when that fit is as good -- its residual sum of squares within the :math:`\chi^2_1` quantile at ``level``
    of the best, in units of the best fit's residual variance (the profile-likelihood interval reaches the bound) --
    and puts the midpoint ``x0`` beyond the data on that level's side, the data may show the other tail only: the level,
    ``x0`` and ``k`` are not identified. One-tailed data gave a low ceiling with ``x0`` inside the data and no note."""
    from scipy.stats import chi2

    t = x if kind == "loss" else np.log(x)
    n_free = 2 + (chance is None) + (ceiling is None)
    rss = 2 * res.cost
    scale = max(rss / max(y.size - n_free, 1), 1e-300)
    names, notes = [], []
    for name, bound, given, tail in (("ceiling", 1.0, ceiling, "lower"), ("chance", 0.0, chance, "upper")):
        if given is not None:
            continue
        fixed = {"chance": chance, "ceiling": bound} if name == "ceiling" else {"chance": bound, "ceiling": ceiling}
        other, res_b = _fit_once(x, y, kind, fixed["chance"], fixed["ceiling"])
        if res_b is None:
            continue
        delta = (2 * res_b.cost - rss) / scale
        x0 = other[1]        # beyond the data on the side of high scores (ceiling) or of low scores (chance)
        beyond = (x0 < t.min() if kind == "loss" else x0 > t.max()) if name == "ceiling" else \
            (x0 > t.max() if kind == "loss" else x0 < t.min())
        if delta < chi2.ppf(level, 1) and beyond:
            names.append(name)
            notes.append(f"the {name} is not identified: a fit with the {name} at {bound:g} is as good (residual "
                         f"change {max(delta, 0):.2g} < {chi2.ppf(level, 1):.2f} times the noise variance) and puts "
                         f"x0 at {x0:.4g}, outside the data ({t.min():.4g} to {t.max():.4g}): the data may show "
                         f"only the {tail} tail of the link, so the {name}, x0 and k are not fixed by them (no "
                         f"intervals; JSON not_identified); give --{name} if it is known")
    return tuple(dict.fromkeys(names + (["x0", "k"] if names else []))), notes


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
    if not (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    _check_shape(x, y, kind)
    theta, res = _fit_once(x, y, kind, chance, ceiling)
    notes = [] if res.success else [f"the optimiser stopped: {res.message}"]
    notes += _fit_notes(theta, x, kind)
    unfixed, why = _levels_not_identified(x, y, kind, chance, ceiling, res)
    notes += why
    boot = None
    if n_boot:
        rng = np.random.default_rng(seed)
        reps = []
        for _ in range(n_boot):
            i = resample(rng, np.arange(x.size))
            reps.append(_fit_once(x[i], y[i], kind, chance, ceiling)[0])
        boot = np.array(reps)
    return MetricFit(kind, dict(zip(MetricFit.NAMES, map(float, theta))), boot, x, y, level, notes, unfixed)


__all__ = ["fit_metric", "MetricFit", "link"]
