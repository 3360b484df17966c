r"""Profile-likelihood intervals for the exponents of a fitted law: a second method beside the bootstrap.

For a nonlinear parameter :math:`\theta_j` (an exponent) the profile objective is

.. math:: S_p(v) = \min_{\theta:\ \theta_j = v} S(\theta), \qquad S(\theta) = \sum_i \rho(r_i(\theta)),

the other parameters re-optimised at each fixed :math:`v` (``scipy.optimize.least_squares``,
warm-started; :func:`~scalingtheory.fitting.varpro.refine` with a mask). :math:`S` is the fit's
own objective (Huber or squared loss on log residuals, :mod:`~scalingtheory.fitting.varpro`).

*Calibration.* :math:`2[S_p(v) - S_{\min}]` is a likelihood-ratio statistic only for Gaussian
residuals of known variance. For an M-estimator, and for rows correlated within runs, the
statistic is rescaled (the "vertical adjustment" of Chandler & Bate 2007, Eq. 13; for an
M-estimator with independent rows, the drop-in-dispersion test of Schrader & Hettmansperger 1980):

.. math:: W(v) = 2\,[S_p(v) - S_{\min}]\;\frac{[H^{-1}]_{jj}}{[H^{-1} V H^{-1}]_{jj}}
   \;\xrightarrow{d}\; \chi^2_1 \quad\text{at the true } v,

with :math:`J` the Jacobian of the log residuals at the estimate, :math:`H = \hat p\, J^\top J`
(:math:`\hat p` the expected :math:`\rho''`: 1 for squared loss, for Huber the share of residuals
within :math:`\delta`, estimated with a Gaussian kernel of Silverman's bandwidth) and
:math:`V = \sum_g s_g s_g^\top`, :math:`s_g = \sum_{i \in g} \rho'(r_i) J_i` summed over the runs
(``group``) or over rows. For squared loss and independent rows :math:`V \approx \hat\sigma^2 J^\top J`
and :math:`W = \Delta\mathrm{RSS}/\hat\sigma^2`, the usual profile likelihood ratio with
:math:`\sigma` profiled out. The interval is :math:`\{v : W(v) \le \chi^2_{1,\mathrm{level}}\}`:
bracketed from the estimate in doubling steps of the sandwich standard error, then ``brentq``.

>>> from scalingtheory.fitting import fit_law
>>> from scalingtheory.fitting.synthetic import LAW, chinchilla_runs
>>> fit = fit_law(chinchilla_runs(60, seed=2), LAW, bootstrap=0, grid_points=2500)
>>> prof = fit.profile()
>>> prof.estimates["a"].lo < 0.34 < prof.estimates["a"].hi, prof.method.split(",")[0]
(True, 'profile likelihood')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .optimum import Estimate
from .varpro import objective, project, refine

#: doublings of the step (in sandwich standard errors) before a side is declared open
MAX_DOUBLINGS = 8
#: refinements of one constrained fit, each from the last one's solution, while the objective still falls
MAX_RESTARTS = 4


@dataclass
class ProfileResult:
    """Profile-likelihood intervals ``{name: Estimate}`` and the method that made them; ``curves``
    holds each exponent's evaluated profile ``(v, W(v))`` (sorted by ``v``) and ``cut`` the
    :math:`\\chi^2_1` quantile the intervals end at (:meth:`plot` draws both)."""

    estimates: dict
    method: str
    notes: list = field(default_factory=list)
    curves: dict = field(default_factory=dict)
    cut: float | None = None

    def to_json(self) -> dict:
        return {"interval": self.method, "params": {k: e.to_json() for k, e in self.estimates.items()},
                "notes": list(self.notes)}

    def report(self) -> str:
        lines = [f"[[Profile likelihood]] ({self.method})"] + [f"    {k:8s} = {e}" for k, e in self.estimates.items()]
        return "\n".join(lines + [f"    note: {n}" for n in self.notes])

    def __repr__(self) -> str:
        return "ProfileResult(" + ", ".join(f"{k} = {e}" for k, e in self.estimates.items()) + ")"

    def _repr_html_(self) -> str:
        from ..display import html_table

        rows = [[k, f"{e.value:.6g}", "" if e.lo is None else f"{e.lo:.6g}", "" if e.hi is None else f"{e.hi:.6g}"]
                for k, e in self.estimates.items()]
        return html_table(["parameter", "value", "lo", "hi"], rows, self.method, self.notes)

    def plot(self, ax=None):
        """Each exponent's adjusted profile statistic :math:`W(v)` with the cut and the interval's ends
        (:func:`scalingtheory.fitting.figures.profile_curves`). Returns ``ax``."""
        from .figures import profile_curves

        return profile_curves(self, ax=ax)


def adjustment(fitted) -> tuple[np.ndarray, np.ndarray]:
    """``(c, se)`` per parameter: the factor :math:`[H^{-1}]_{jj}/[H^{-1}VH^{-1}]_{jj}` of :math:`W` and the
    sandwich standard error :math:`\\sqrt{[H^{-1}VH^{-1}]_{jj}}` (module docstring)."""
    from scipy.stats import norm

    r, J = fitted.residuals, fitted.model.log_jacobian(fitted.theta, fitted.X)
    J = np.where(np.isfinite(J), J, 0.0)
    if fitted.loss == "huber":
        d = fitted.delta
        h = 0.9 * min(np.std(r), np.subtract(*np.percentile(r, [75, 25])) / 1.34) * r.size ** -0.2   # Silverman
        inside = norm.cdf((d - r) / h) - norm.cdf((-d - r) / h) if h > 0 else np.abs(r) <= d
        p_hat, psi = float(np.mean(inside)), np.clip(r, -d, d)
    else:
        p_hat, psi = 1.0, r
    groups = np.arange(r.size) if fitted.groups is None else fitted.groups
    S = np.zeros((int(groups.max()) + 1, J.shape[1]))
    np.add.at(S, groups, psi[:, None] * J)
    H_inv = np.linalg.pinv(p_hat * J.T @ J)
    sandwich = np.diag(H_inv @ (S.T @ S) @ H_inv)
    with np.errstate(all="ignore"):
        return np.diag(H_inv) / sandwich, np.sqrt(sandwich)


def profile_bound(stat, v_hat, step, side, bound, cut):
    """The root of ``stat(v) = cut`` on one side of ``v_hat`` (``side`` = -1 or +1), or ``None`` when
    ``stat`` stays below ``cut`` up to ``bound`` or after :data:`MAX_DOUBLINGS` doublings of ``step``."""
    from scipy.optimize import brentq

    inner = v_hat
    for k in range(MAX_DOUBLINGS + 1):
        outer = v_hat + side * step * 2**k
        if (outer - bound) * side >= 0:
            outer = bound
        if stat(outer) > cut:
            return brentq(lambda v: stat(v) - cut, min(inner, outer), max(inner, outer), xtol=1e-6 * step)
        if outer == bound:
            return None
        inner = outer
    return None


def constrained_fit(model, theta0, X, y, loss, delta, free) -> tuple[float, np.ndarray]:
    """``(S, theta)``: the least objective with the parameters outside ``free`` fixed at ``theta0``.

    Two starts: ``theta0`` and the same exponents with the linear parameters projected by
    NNLS (:func:`~scalingtheory.fitting.varpro.project`); each refined until a restart no longer
    lowers the objective (the Huber objective with a small delta is nearly piecewise linear and a
    single ``least_squares`` run can stop early far from its start).
    """
    coef, _ = project(*model.design(theta0[model.nonlinear_index], X), y)
    ly, best = np.log(y), (np.inf, theta0)
    for start in (theta0, model.assemble(coef, theta0[model.nonlinear_index])):
        last = np.inf
        for _ in range(MAX_RESTARTS):
            start = refine(model, start, X, y, loss, delta, max_nfev=1000, free=free).x
            s = objective(np.log(model.predict(start, X)) - ly, loss, delta)
            if s < best[0]:
                best = (s, start)
            if not s < last * (1 - 1e-9):
                break
            last = s
    return best


def profile_intervals(fitted, names=None, level: float = 0.95) -> ProfileResult:
    """Profile-likelihood intervals of the nonlinear parameters ``names`` (default: all) of ``fitted``."""
    from scipy.stats import chi2

    from .bootstrap import check_level

    level, model, theta = check_level(level), fitted.model, fitted.theta
    names = [p.name for p in model.nonlinear] if names is None else [names] if isinstance(names, str) else names
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in {p.name for p in model.nonlinear}]
    if unknown:
        raise ValueError(f"profile intervals are for exponents (nonlinear parameters: "
                         f"{', '.join(p.name for p in model.nonlinear)}), got {unknown[0]!r}")
    cut = float(chi2.ppf(level, 1))
    c, se = adjustment(fitted)
    s_min = objective(fitted.residuals, fitted.loss, fitted.delta)
    out, notes, curves = {}, [], {}
    for name in names:
        j = model.names.index(name)
        free, starts, values = np.arange(theta.size) != j, {theta[j]: theta}, {float(theta[j]): 0.0}
        curves[name] = values

        def stat(v):   # W(v), each v fitted once, from the solution at the nearest v already fitted
            if v not in values:
                near = starts[min(starts, key=lambda u: abs(u - v))].copy()
                near[j] = v
                s, starts[v] = constrained_fit(model, near, fitted.X, fitted.y, fitted.loss, fitted.delta, free)
                values[v] = 2 * max(s - s_min, 0.0) * c[j]
            return values[v]

        if not (np.isfinite(c[j]) and np.isfinite(se[j]) and se[j] > 0):
            notes.append(f"{name}: no profile interval (the sandwich variance is not positive and finite)")
            out[name] = Estimate(float(theta[j]))
            continue
        box = (fitted.search.box[0][j], fitted.search.box[1][j])
        lo, hi = (profile_bound(stat, theta[j], se[j], s, b, cut) for s, b in ((-1, box[0]), (1, box[1])))
        notes += [f"{name}: the profile stays below the cut up to the search bound {b:g} (interval open there)"
                  for b, v in zip(box, (lo, hi)) if v is None]
        out[name] = Estimate(float(theta[j]), lo, hi)
    units = (f"{int(fitted.groups.max()) + 1} groups of column {fitted.group!r} (runs / curves)"
             if fitted.groups is not None else f"{fitted.y.size} rows (independent)")
    method = (f"profile likelihood, sandwich-adjusted over {units}, chi2(1) cut {cut:.3f} at {level:.0%} "
              f"({fitted.loss} objective)")
    curves = {k: tuple(np.array(a) for a in zip(*sorted(v.items()))) for k, v in curves.items()}
    return ProfileResult(out, method, notes, curves, cut)


__all__ = ["profile_intervals", "ProfileResult", "adjustment", "profile_bound", "constrained_fit"]
