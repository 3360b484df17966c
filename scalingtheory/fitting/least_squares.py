r"""The least-squares engine of a one-resource fit: log-space residuals, cheap multi-start, a polish.

Objective (all forms of :mod:`scalingtheory.fitting.forms`): minimise

.. math:: S(\theta) = \sum_j w_j\bigl(\log \hat y(x_j;\theta) - \log y_j\bigr)^2

under box bounds, i.e. the mean squared log error whose square root (RMSLE) is the
metric of the Revisiting benchmark (Alabdulmohsin et al. 2022) and of BNSL (Caballero
et al. 2023, Sec. 3). The released BNSL script fits :math:`\log(1+y)` after a
163,840-point brute grid; we fit :math:`\log y` directly (our choice, it is the metric).

:func:`solve`: ``form.candidates`` evaluates a coarse grid on the *nonlinear* coordinates (floor,
break locations, sharpnesses) with the coordinates that are linear in :math:`\log(y-\text{floor})`
solved exactly (variable projection, batched normal equations): a few thousand candidates instead of
163,840, all vectorised; the ``n_starts`` best mutually distinct candidates are refined by
``scipy.optimize.least_squares`` (trust-region reflective, bounds, analytic Jacobian; for more than 6
parameters the starts are raced, :data:`RACE`); the best optimum gets a covariance
:math:`s^2 (J^\top J)^{+}` with :math:`s^2 = S/(m-p)`. It returns a :class:`Solution`, the data and
statistics of the fit that :class:`~scalingtheory.fitting.curve_result.FitResult` extends with bands.

>>> from scalingtheory.fitting.forms import get_form
>>> x = np.logspace(1, 4, 25)
>>> s = solve(get_form("m1"), x, 3.0 * x**-0.4, 6)
>>> round(s.params["c"], 6), s.dof
(-0.4, 23)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .curve_choices import SPACES
from .form import Form, expit


@dataclass
class Solution:
    """A least-squares fit of ``form`` to ``(x, y)`` and its statistics (:func:`solve`).

    ``theta`` (internal coordinates), ``cost`` (:math:`S/2`), ``cov`` (covariance of ``theta`` or
    ``None``), ``notes``, ``n_starts``, ``nfev``, ``pinned`` (parameters at a bound:
    ``{name: (side, bound)}``), ``space`` (of the residuals), ``weights`` (of the points, when they are
    bin means), ``units`` (:math:`e_2`: ``cov`` is the covariance of the coordinates in the working units
    :math:`y/2^{e_2}`, :func:`working_exponent`; 0, the units of y, for data of typical size).
    """

    form: Form
    theta: np.ndarray
    x: np.ndarray
    y: np.ndarray
    cost: float
    cov: np.ndarray | None
    notes: list = field(default_factory=list)
    n_starts: int = 0
    nfev: int = 0
    pinned: dict = field(default_factory=dict)
    space: str = "log"
    weights: np.ndarray | None = None
    units: int = 0

    # -- parameters ------------------------------------------------------------------
    @property
    def params(self) -> dict[str, float]:
        """Fitted parameters with the papers' names (``b``, ``d1`` rather than their logs)."""
        return self.form.params(self.theta)

    @property
    def stderr(self) -> dict[str, float]:
        """Standard errors of :attr:`params` (delta method from :attr:`cov`; NaN if unavailable)."""
        if self.cov is None:
            return {k: float("nan") for k in self.params}
        if self.units == 0:
            sd = np.sqrt(np.clip(np.diag(self.cov), 0, None)) * self.form.dparams_dtheta(self.theta)
            return dict(zip(self.form.param_names, map(float, sd)))
        # d params / d working coordinates, each row divided by its largest entry (a floor's variance in units of
        # 1e-300 underflows; its standard error does not)
        P = self.form.dparams_dtheta(self.theta)[:, None] * self.form.units_jacobian(self.working_theta, self.units)
        top = np.max(np.abs(P), axis=1)
        top = np.where(top > 0, top, 1.0)
        Q = P / top[:, None]
        sd = top * np.sqrt(np.clip(np.einsum("ij,jk,ik->i", Q, self.cov, Q), 0, None))
        return dict(zip(self.form.param_names, map(float, sd)))

    @property
    def working_theta(self) -> np.ndarray:
        """:attr:`theta` in the working units of :attr:`cov` (:attr:`units`)."""
        return self.form.in_units(self.theta, -self.units) if self.units else self.theta

    @property
    def dof(self) -> int:
        return self.x.size - self.form.n_params

    @property
    def residuals(self) -> np.ndarray:
        """Log residuals ``log y_hat - log y`` on the training points."""
        return self.form.log_predict(self.theta, self.x) - np.log(self.y)

    @property
    def rmsle_train(self) -> float:
        return float(np.sqrt(np.mean(self.residuals**2)))

    @property
    def sigma(self) -> float:
        """Residual scale ``sqrt(S/(m-p))`` in log units (NaN without degrees of freedom)."""
        return float(np.sqrt(np.sum(self.residuals**2) / self.dof)) if self.dof > 0 else float("nan")

    def information_criterion(self, kind: str = "bic") -> float:
        r"""Gaussian information criterion of the log residuals (lower is better).

        ``aic``: :math:`m\ln(S/m) + 2p`; ``aicc``: AIC plus the small-sample correction
        :math:`2p(p+1)/(m-p-1)` (Hurvich & Tsai 1989; ``inf`` when :math:`m \le p+1`);
        ``bic``: :math:`m\ln(S/m) + p\ln m`, with :math:`S` the sum of squared log residuals.

        >>> from scalingtheory.fitting.forms import get_form
        >>> xs = np.logspace(0, 2, 10)
        >>> r = solve(get_form("m1"), xs, 2 * xs**-0.5 * np.exp(0.01 * np.sin(7 * xs)), 6)
        >>> r.information_criterion("aicc") - r.information_criterion("aic")  # 2*2*3/7
        1.714285...
        """
        m, p = self.x.size, self.form.n_params
        S = max(float(np.sum(self.residuals**2)), 1e-300)
        if kind not in ("aic", "aicc", "bic"):
            raise ValueError(f"kind must be 'aic', 'aicc' or 'bic', got {kind!r}")
        if kind == "aicc" and m <= p + 1:
            return math.inf
        extra = 2.0 * p * (p + 1) / (m - p - 1) if kind == "aicc" else 0.0
        return m * math.log(S / m) + (math.log(m) if kind == "bic" else 2.0) * p + extra


def distinct_best(cands, obj, lo, hi, k, min_dist=0.05):
    """Indices of up to ``k`` lowest-objective candidates that differ by ``min_dist`` (scaled by the box)."""
    width = np.where(np.isfinite(hi - lo), hi - lo, 1.0)
    width = np.where(width > 0, width, 1.0)
    chosen = []
    for i in np.argsort(obj):
        if not np.isfinite(obj[i]) or len(chosen) >= k:
            break
        if all(np.max(np.abs(cands[i] - cands[j]) / width) > min_dist for j in chosen):
            chosen.append(i)
    return chosen


def _transform(space, ly):
    """Map ``log y`` to the fitting space: ``log y`` itself or ``log(1 + y)``."""
    return ly if space == "log" else np.logaddexp(0.0, ly)


#: Working units of y: data whose geometric mean lies beyond :math:`2^{\pm 16}` are fitted as :math:`y/2^{e_2}`
#: with :math:`e_2` a multiple of 32 (:func:`working_exponent`), so the optimiser's coordinates (a floor in the
#: units of y, :math:`\ln b`) are of order one and a fit does not depend on the units of y: without it, y
#: times 1e-300 moved BNSL's c0 from 0.488 to 0.443 (its floor sat at the optimiser's absolute tolerances).
#: Typical losses (1.5e-5 to 6.5e4) are fitted as given.
UNIT_STEP = 32
#: the largest :math:`e_2`: :math:`2^{e_2}` (the covariance's change of units) must be a finite float, and
#: :math:`2^{1024}` is not; y whose geometric mean lies beyond :math:`2^{1008}` (1e303) is refused
#: (at the small end :math:`e_2 = -1024` is fine: :math:`2^{-1024}` is an exact subnormal, smaller y are refused)
MAX_UNITS = 1024 - UNIT_STEP


def working_exponent(ly, space: str = "log") -> int:
    r""":math:`e_2`, a multiple of :data:`UNIT_STEP` nearest to the mean of :math:`\log_2 y` (0 for ``log1p``
    residuals, which depend on the units by definition).

    >>> working_exponent(np.log([1e-300, 3e-300])), working_exponent(np.log([0.1, 30.0]))
    (-992, 0)
    >>> working_exponent(np.log([1e-307, 1e-305])), working_exponent(np.log([1e300]))
    (-1024, 992)
    >>> working_exponent(np.log([1e305]))
    Traceback (most recent call last):
    ...
    ValueError: y is too large to fit: its geometric mean is about 2^1013 (> 2^1008, 1e303); rescale the column
    """
    if space != "log":
        return 0
    e2 = UNIT_STEP * int(np.round(np.mean(ly) / (UNIT_STEP * np.log(2.0))))
    if e2 > MAX_UNITS:
        raise ValueError(f"y is too large to fit: its geometric mean is about 2^{np.mean(ly) / np.log(2.0):.0f} "
                         f"(> 2^{MAX_UNITS + UNIT_STEP // 2}, 1e303); rescale the column")
    return e2


def refine(form: Form, theta0, x, ly, lo, hi, tol=1e-12, max_nfev=3000, space="log", w=None):
    """One bounded least-squares refinement from ``theta0``; residuals in ``space`` (see :func:`~scalingtheory.fitting.curve.fit`),
    each multiplied by the square root of its weight ``w`` (the count of a bin mean) when given; carried out in
    the working units of y (:data:`UNIT_STEP`), the solution's ``x`` in the units of ``ly``."""
    e2 = working_exponent(ly, space)
    if e2 == 0:
        return _refine(form, theta0, x, ly, lo, hi, tol, max_nfev, space, w)
    to_working = [form.in_units(v, -e2) for v in (theta0, lo, hi)]
    sol = _refine(form, to_working[0], x, ly - e2 * np.log(2.0), *to_working[1:], tol, max_nfev, space, w)
    sol.x = form.in_units(sol.x, e2)
    return sol


def _refine(form: Form, theta0, x, ly, lo, hi, tol, max_nfev, space, w):
    target = _transform(space, ly)
    sw = None if w is None else np.sqrt(w)

    def fun(th):
        r = _transform(space, form.log_predict(th, x)) - target
        r = np.where(np.isfinite(r), r, 1e3)
        return r if sw is None else sw * r

    def jac(th):
        J = form.jacobian(th, x)
        if space == "log1p":  # d log(1 + y)/d theta = y/(1 + y) * d log y/d theta
            J = J * expit(form.log_predict(th, x))[:, None]
        J = np.where(np.isfinite(J), J, 0.0)
        return J if sw is None else sw[:, None] * J

    from scipy.optimize import least_squares

    theta0 = np.clip(theta0, lo, hi)
    return least_squares(fun, theta0, jac=jac, bounds=(lo, hi), method="trf",
                         ftol=tol, xtol=tol, gtol=tol, max_nfev=max_nfev)


#: Evaluations per parameter of the final polish of the best start (the noiseless simulation of the
#: released scripts needs ~300 to reach an extrapolation RMSLE below 1e-6 from a 30-evaluation start),
#: counted for at most :data:`POLISH_PARAMS` parameters: 2 and 3 breaks get a one-break polish budget
#: (on 8 slow IC curves their BICs moved by < 0.5 and the polish CPU halved).
POLISH_BUDGET = 300
POLISH_PARAMS = 6

#: The start grid is ranked on at most this many points (evenly spaced in the sorted data), so its
#: memory (candidates x points x coefficients) stays bounded for long curves; refinements use all points.
GRID_POINTS = 256


def pinned_at_bound(form: Form, theta, lo, hi, e2: int = 0) -> dict:
    """Parameters at (within 1e-9 relative of) a bound, judged in the working units :math:`y/2^{e_2}`:
    ``{paper name: ("lower"|"upper", bound value)}``."""
    out = {}
    working = zip(*(form.in_units(v, -e2) if e2 else v for v in (theta, lo, hi)))
    for t, p, (v, l, h), bounds in zip(form.theta_names, form.param_names, working, zip(lo, hi)):
        for side, edge, bound in (("lower", l, bounds[0]), ("upper", h, bounds[1])):
            if np.isfinite(edge) and abs(v - edge) <= 1e-9 * max(1.0, abs(edge)):
                out[p] = (side, float(np.exp(bound)) if t.startswith("ln_") else float(bound))
    return out


def pinned_note(pinned: dict) -> str:
    """The note for parameters at a bound (their standard errors are conditional on them)."""
    parts = [f"{p} = {v:.4g} ({side} bound{': no floor' if p == 'a' and v == 0 else ''})"
             for p, (side, v) in pinned.items()]
    return "parameters pinned at a bound (standard errors conditional on them): " + ", ".join(parts)


#: Racing of the starts in :func:`solve` for forms of more than ``min_params`` parameters (BNSL with 2 or 3
#: breaks, whose refinements creep along ridges to their budget): every start is refined for ``budget``
#: evaluations per parameter, then only the ``keep`` lowest continue to the full budget (successive halving).
#: On the 26 two- and three-break fits of the 13 slowest Revisiting curves (6 starts): keep 4 used 71% of the
#: evaluations and moved no fit's best cost by more than 1.5 in BIC units (m ln of the cost ratio); keep 3 used
#: 57% but lost the best 3-break basin of two curves (7.5 and 12.4); for one break it lost the best basin of an
#: 11-point LM curve, so fits of up to 6 parameters keep every start to the full budget.
RACE = {"budget": 5, "keep": 4, "min_params": 6}


def _race(form: Form, starts, x, ly, lo, hi, budget: int, space: str, w):
    """Best least-squares solution from ``starts`` and the evaluations used: :data:`RACE` legs, tolerance 1e-10."""
    p = form.n_params

    def leg(theta, evals):
        return refine(form, theta, x, ly, lo, hi, tol=1e-10, space=space, max_nfev=max(evals, 1) * p, w=w)

    raced = len(starts) > RACE["keep"] and p > RACE["min_params"]
    first = min(RACE["budget"], budget) if raced else budget
    sols = [leg(s, first) for s in starts]
    nfev = sum(s.nfev for s in sols)
    if first < budget:
        for i in np.argsort([s.cost for s in sols])[: RACE["keep"]]:
            if sols[i].status == 0:  # stopped by the budget, not by a tolerance: continue it
                more = leg(sols[i].x, budget - first)
                nfev += more.nfev
                sols[i] = more if more.cost <= sols[i].cost else sols[i]
    return min(sols, key=lambda s: s.cost), nfev


def solve(form: Form, x, y, n_starts, notes=(), space="log", warm=None, budget: int = 30,
              polish: bool = True, w=None) -> "Solution":
    """Multi-start bounded least squares of ``form``: ``n_starts`` grid starts, plus ``warm`` if given.

    Each start gets ``budget`` function evaluations per parameter (30: on the first 12 IC curves
    the 2-break optimum is the one of a 100-evaluation budget to 0.2% in cost, at 2-3x less
    CPU; for more than 6 parameters only the best 4 after 5 per parameter, :data:`RACE`); the best is polished (tolerance 1e-15, :data:`POLISH_BUDGET` evaluations per parameter, at most
    :data:`POLISH_PARAMS` of them) unless
    ``polish`` is false. ``w``: weights of the points (bin counts of :func:`bin_means`; default 1).
    """
    if space not in SPACES:
        raise ValueError(f"space must be one of {', '.join(SPACES)}, got {space!r}")
    if x.size < form.n_params:
        raise ValueError(f"form {form.name} has {form.n_params} parameters but only {x.size} points were given")
    ly = np.log(y)
    lo, hi = form.bounds(x, y)
    starts = [] if warm is None else [np.clip(warm, lo, hi)]
    if n_starts > 0:
        sub = np.unique(np.round(np.linspace(0, x.size - 1, min(x.size, GRID_POINTS))).astype(int))
        cands = np.clip(form.candidates(x[sub], y[sub]), lo, hi)
        with np.errstate(all="ignore"):
            obj = np.sum((1.0 if w is None else w[sub]) * (form.log_predict(cands, x[sub]) - ly[sub]) ** 2, axis=-1)
        obj = np.where(np.isfinite(obj) & np.all(np.isfinite(cands), axis=1), obj, np.inf)
        starts += [cands[i] for i in distinct_best(cands, obj, lo, hi, n_starts)]
    if not starts:
        raise RuntimeError(f"form {form.name}: no starting point gives a finite objective")
    best, nfev = _race(form, starts, x, ly, lo, hi, budget, space, w)
    if polish:
        best_polished = refine(form, best.x, x, ly, lo, hi, tol=1e-15, space=space,
                                max_nfev=POLISH_BUDGET * min(form.n_params, POLISH_PARAMS), w=w)
        nfev += best_polished.nfev
        if best_polished.cost <= best.cost:
            best = best_polished
    notes = list(notes)
    e2 = working_exponent(ly, space)
    pinned = pinned_at_bound(form, best.x, lo, hi, e2)
    if pinned:
        notes.append(pinned_note(pinned))
    cov = None
    if x.size > form.n_params:
        cov = _covariance(form, best.x, x, ly, w, pinned, e2)  # in the working units 2^e2
    else:
        notes.append("no residual degrees of freedom: no covariance or prediction band")
    return Solution(form=form, theta=best.x, x=x, y=y, cost=float(best.cost), cov=cov, notes=notes,
                    n_starts=len(starts), nfev=nfev, pinned=pinned, space=space, weights=w, units=e2)


def _covariance(form: Form, theta, x, ly, w, pinned: dict, e2: int) -> np.ndarray:
    r""":math:`s^2 (J^\top J)^{+}` over the free parameters, with :math:`s^2 = S/(\sum w - p)`, computed in the working
    units :math:`y/2^{e_2}` (a floor's Jacobian column is :math:`1/\hat y`; its variance in units of 1e-300 would
    underflow), the units :attr:`Solution.cov` is in."""
    m, p = x.size, form.n_params
    sw = np.ones(m) if w is None else np.sqrt(w)
    working = form.in_units(theta, -e2) if e2 else theta
    J = sw[:, None] * form.jacobian(working, x)
    J = np.where(np.isfinite(J), J, 0.0)
    free = np.array([n not in pinned for n in form.param_names])
    cov = np.zeros((p, p))
    s2 = np.sum((sw * (form.log_predict(theta, x) - ly)) ** 2) / (np.sum(sw**2) - p)
    Jf = J[:, free]
    cov[np.ix_(free, free)] = s2 * np.linalg.pinv(Jf.T @ Jf, rcond=1e-12)
    return cov


#: Budget of a warm-started refit (a long curve's refinement on all its points from the optimum on its bin
#: means): 30 evaluations per parameter, no polish.
WARM_REFIT = {"budget": 30, "polish": False}

#: Budget of a backtest origin's refit from the full fit (issue 16 item 5): 15 evaluations per parameter, no
#: polish. On all 92 Revisiting curves (before the segment rule) the held-out coverage of the default band was IC
#: 0.941 against 0.945 with 30 (13 curves changed), NMT 1.00, LM 0.983 and BB 0.904 as with 30, at half the band's
#: CPU (``derivations/bnsl.py`` section 8.4).
BAND_REFIT = {"budget": 15, "polish": False}


__all__ = ["Solution", "solve", "refine", "distinct_best", "pinned_note", "RACE", "WARM_REFIT", "BAND_REFIT"]
