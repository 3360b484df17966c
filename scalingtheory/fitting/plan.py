r"""Which runs to train next: a design that shrinks the interval of the compute-optimal allocation.

Given a fitted law :math:`L(X;\theta)` (:class:`~scalingtheory.fitting.law.FittedLaw`), a cost
:math:`C(X)` and a target budget :math:`C_0`, the quantity a practitioner needs is
:math:`q(\theta) = \log X^*(C_0;\theta)`, e.g. :math:`\log N^*(C_0)`. Its uncertainty to first
order (the delta method) is

.. math::
    \operatorname{Var} q \approx g^\top I^{-1} g, \qquad g = \partial q/\partial\theta, \qquad
    I = \frac{1}{\sigma^2}\sum_{\text{runs } i} j_i j_i^\top, \qquad j_i = \partial \log L(X_i;\theta)/\partial\theta,

with :math:`\sigma` the scale of the log residuals (the fits are on log loss) and :math:`\theta`
meaning :math:`\log\theta` throughout (every parameter of a law is positive; see :func:`gradients`). A new run at
:math:`X` adds :math:`j j^\top/\sigma^2` to :math:`I`; by Sherman-Morrison the variance after it is

.. math::
    g^\top (I + j j^\top/\sigma^2)^{-1} g = v - \frac{(g^\top S j)^2}{\sigma^2 + j^\top S j},
    \qquad S = I^{-1},\ v = g^\top S g .

:func:`plan` picks ``K`` runs greedily, each the candidate (within the per-run cost cap) that
lowers this variance most (distinct runs, :func:`greedy`), updating :math:`S` after each pick: the sequential c-optimal design
of Elfving (1952) for the one quantity that matters, instead of D-optimality's all-parameters
volume. :math:`g` is a central difference through the fit's own compute-optimal rule
(``FittedLaw.rule``: the exact algebra where it applies, else the numeric route), so the design follows
the same answer ``fit.optimum()`` gives.
``before``/``after`` are the delta-method intervals :math:`q \pm z\sqrt{v}` (log scale) of each
resource and of the loss at :math:`C_0`; what following a plan achieves against an IsoFLOP grid and
random designs of equal total compute is measured in ``benchmarks/bench_plan.py``.

>>> from scalingtheory.fitting.synthetic import chinchilla_runs
>>> import scalingtheory as st
>>> fit = st.fit_law(chinchilla_runs(40, seed=1), "E + A*N**-a + B*D**-b", cost="6*N*D", bootstrap=0)
>>> p = plan(fit, budget=1e23, runs=4, max_run_compute=1e21)
>>> len(p.runs), all(r["cost"] <= 1e21 * (1 + 1e-12) for r in p.runs)
(4, True)
>>> p.after["N"].hi / p.after["N"].lo < p.before["N"].hi / p.before["N"].lo
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from ..limits import check_count
from .checks import NEGLIGIBLE   # fit_law's own test of a degenerate fit (its note "degenerate fit")
from .optimum import Estimate

#: candidates per resource axis of the default grid (log-spaced over the data's range, widened)
GRID_PER_AXIS = 41
#: how far above the largest observed value of each resource (in decades) candidates may go; none go below
#: the smallest (a run smaller than every run so far says little about the budget, and the law is least
#: trusted there)
WIDEN_DECADES = 1.0
#: relative step of the central differences of ``q(theta)``
STEP = 1e-5
#: eigenvalues of ``I`` below this fraction of the largest are treated as unidentified directions (pseudo-inverse)
RCOND = 1e-12
#: largest |d log X*(C) / d log theta| of a target the fit does not move (central differences of an exact
#: C/6 give 0 to rounding; a real dependence is of order 1)
FLAT_GRADIENT = 1e-9
#: most candidate runs (default grid or ``candidates_X``): each greedy pick is one rank-one update over all of them,
#: so ``plan_runs`` picks cost at most ``1,000 * MAX_CANDIDATES * p^2`` flops (the default grid shrinks its axes to fit);
#: measured 2026-12-06: 4 resources and 1,000 runs took > 120 s on the full 41^4-point grid
MAX_CANDIDATES = 50_000


@dataclass
class Plan:
    """Proposed runs and the predicted interval of the compute-optimal answer before and after them."""

    budget: float
    target: str
    runs: list
    before: dict
    after: dict
    criterion: str
    level: float
    notes: list = field(default_factory=list)

    def report(self) -> str:
        """Plain text: the runs, then each quantity's interval before -> after."""
        lines = [f"[[Plan]] {len(self.runs)} run(s) for the compute-optimal answer at C = {self.budget:.3g}",
                 f"    criterion: {self.criterion}"]
        for r in self.runs:
            lines.append("    run: " + ", ".join(f"{k} = {v:.4g}" for k, v in r.items()))
        for k in self.before:
            b, a = self.before[k], self.after[k]
            lines.append(f"    {'L' if k == 'loss' else k}*: {b.value:.4g} [{b.lo:.4g}, {b.hi:.4g}] -> [{a.lo:.4g}, {a.hi:.4g}] "
                         f"(width x{_ratio(a, b):.2f})")
        return "\n".join(lines + [f"    note: {n}" for n in self.notes])

    def __repr__(self) -> str:
        b, a = self.before[self.target], self.after[self.target]
        return f"Plan({len(self.runs)} runs at C = {self.budget:.3g}: {self.target}* interval width x{_ratio(a, b):.2f})"

    def _repr_html_(self) -> str:
        from ..display import html_table

        rows = [[f"{k}*", f"{self.before[k].value:.4g}", f"[{self.before[k].lo:.4g}, {self.before[k].hi:.4g}]",
                 f"[{self.after[k].lo:.4g}, {self.after[k].hi:.4g}]"] for k in self.before]
        return html_table(["quantity", "value", "interval before", "interval after"], rows,
                          f"plan: {len(self.runs)} runs at C = {self.budget:.3g}", [self.criterion, *self.notes])

    def to_json(self) -> dict:
        return {"budget": self.budget, "target": self.target, "runs": self.runs, "criterion": self.criterion,
                "level": self.level, "before": {k: v.to_json() for k, v in self.before.items()},
                "after": {k: v.to_json() for k, v in self.after.items()}, "notes": self.notes}


def _ratio(after: Estimate, before: Estimate) -> float:
    """Width after over width before (log scale); NaN when the interval before has no width."""
    before_w, after_w = np.log(before.hi / before.lo), np.log(after.hi / after.lo)
    return float(after_w / before_w) if before_w > 0 else float("nan")


def log_targets(rule, theta, budget: float) -> dict:
    """``{name: log X*(C)}`` for each allocated resource and ``"loss"``, at parameter rows ``theta`` (n, p)."""
    ev = rule.evaluate(np.atleast_2d(theta), [budget])
    if ev["at"] is None:
        raise ValueError("this law and cost give no X*(C) at the budget: the plan needs the allocation there")
    out = {k: np.log(v[:, 0]) for k, v in ev["at"].items()}
    out["loss"] = np.log(ev["loss_at"][:, 0])
    return out


def gradients(rule, theta: np.ndarray, budget: float) -> dict:
    """Central differences ``d log X*(C) / d log theta`` (and of ``log L*``), one row of steps per parameter.

    Every parameter of a law is positive, so the design works in ``log theta``: scale-free, and the
    information matrix is not ill-conditioned by parameters of very different sizes (A ~ 400, a ~ 0.3)."""
    log_theta = np.log(np.asarray(theta, float))
    p = log_theta.size
    rows = np.exp(np.vstack([log_theta + STEP * np.eye(p), log_theta - STEP * np.eye(p)]))
    vals = log_targets(rule, rows, budget)
    return {k: (v[:p] - v[p:]) / (2 * STEP) for k, v in vals.items()}


def log_jacobian(fit, X) -> np.ndarray:
    """``d log L / d log theta`` at the fitted parameters for the runs ``X`` (tuple of resource arrays)."""
    return fit.model.log_jacobian(fit.theta, X) * fit.theta[None, :]


def information(fit, X=None) -> np.ndarray:
    r"""``J^T J / sigma^2`` (``J`` in ``log theta``) at the fitted parameters for the runs ``X`` (default: the data)."""
    J = log_jacobian(fit, fit.X if X is None else X)
    return J.T @ J / noise_scale(fit) ** 2


def noise_scale(fit) -> float:
    """:math:`\\sigma` of the log residuals: their RMS with the degrees of freedom the fit used."""
    r = fit.residuals
    dof = max(r.size - fit.theta.size, 1)
    return float(np.sqrt(np.sum(r**2) / dof))


def _inverse(info: np.ndarray) -> np.ndarray:
    return np.linalg.pinv(info, rcond=RCOND, hermitian=True)


def candidates(fit, cost_fn, max_run_compute: float, per_axis: int = GRID_PER_AXIS) -> np.ndarray:
    """Log-spaced grid of resource values (rows) from the data's smallest value to :data:`WIDEN_DECADES` above its
    largest, each within the per-run cost cap; a resource the fit holds (``fit.hold``) stays at its held value. At most
    :data:`MAX_CANDIDATES` points: ``per_axis`` shrinks with the number of resources."""
    held = getattr(fit, "hold", None) or {}
    free = [r.name not in held for r in fit.model.resources]
    per_axis = max(2, min(per_axis, int(MAX_CANDIDATES ** (1 / max(sum(free), 1)))))
    axes = []
    for x, r, varies in zip(fit.X, fit.model.resources, free):
        lo, hi = np.log10(np.min(x)), np.log10(np.max(x)) + WIDEN_DECADES
        axes.append(np.logspace(lo, hi, per_axis) if varies else np.array([float(held[r.name])]))
    grid = np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(axes), -1).T
    costs = cost_fn(grid)
    keep = np.isfinite(costs) & (costs > 0) & (costs <= max_run_compute)
    return grid[keep]


def greedy(info: np.ndarray, g: np.ndarray, J: np.ndarray, sigma: float, k: int) -> tuple[list, float, float]:
    """``k`` distinct rows of ``J`` chosen one at a time to minimise ``g^T (I + sum j j^T / sigma^2)^-1 g``.

    Distinct: the c-optimal design of a one-parameter-combination criterion concentrates on very few
    support points, so with repeats all ``k`` runs land on one (N, D); distinct runs spread over the
    best candidates, which also hedges the linearisation and the law itself."""
    S = _inverse(info)
    before = float(g @ S @ g)
    chosen = []
    for _ in range(k):
        SJ = J @ S                                    # (m, p): S j for every candidate
        gain = (SJ @ g) ** 2 / (sigma**2 + np.einsum("ij,ij->i", SJ, J))
        gain[chosen] = -np.inf
        best = int(np.argmax(gain))
        chosen.append(best)
        s = SJ[best]
        S = S - np.outer(s, s) / (sigma**2 + s @ J[best])
    return chosen, before, float(g @ S @ g)


def _intervals(values: dict, grads: dict, S: np.ndarray, z: float) -> dict:
    out = {}
    for k, q in values.items():
        sd = float(np.sqrt(max(grads[k] @ S @ grads[k], 0.0)))
        out[k] = Estimate(float(np.exp(q)), float(np.exp(q - z * sd)), float(np.exp(q + z * sd)))
    return out


def plan(fit, budget: float, runs: int, max_run_compute: float, cost=None, target: str | None = None,
         candidates_X=None, level: float | None = None) -> Plan:
    """Propose ``runs`` new runs (each costing at most ``max_run_compute``) that most shrink the interval of
    ``log X*(budget)`` for ``target`` (default: the first allocated resource); module docstring for the method.

    ``candidates_X`` (rows of resource values, in the order of ``fit.model.resources``) replaces the default grid.
    """
    runs = check_count("plan_runs", runs)
    budget, cap = _positive(budget, "budget"), _positive(max_run_compute, "max_run_compute")
    rule = fit.rule(cost)       # exact algebra where it applies, else the numeric route
    level = fit.level if level is None else level
    names = [x.name for x in fit.model.resources]
    cost_fn = _cost_function(rule, fit.model.resources)
    X = candidates(fit, cost_fn, cap) if candidates_X is None else _given_candidates(candidates_X, len(names), cost_fn, cap)
    if X.shape[0] == 0:
        raise ValueError(f"no candidate run costs at most max_run_compute = {cap:g}")
    _check_identified(fit)
    logs = log_targets(rule, fit.theta, budget)
    values = {k: float(logs[k][0]) for k in [n for n in names if n in logs] + ["loss"]}
    grads = gradients(rule, fit.theta, budget)
    target = target or next(n for n in names if n in values)
    if target not in grads:
        raise ValueError(f"target must be one of {', '.join(k for k in grads if k != 'loss')}, got {target!r}")
    if not np.max(np.abs(grads[target])) > FLAT_GRADIENT:
        raise ValueError(f"{target}*(C) does not depend on the fitted parameters (the cost alone fixes it): no "
                         "interval to shrink; plan for another target (--target loss)")
    info, sigma = information(fit), noise_scale(fit)
    J = log_jacobian(fit, tuple(X.T))
    ok = np.all(np.isfinite(J), axis=1)
    if runs > int(ok.sum()):
        raise ValueError(f"{runs} runs asked for but only {int(ok.sum())} distinct candidate run(s) cost at most "
                         f"max_run_compute = {cap:g}; ask for fewer runs or give more candidates")
    picked, _, _ = greedy(info, grads[target], J[ok], sigma, runs)
    Xok = X[ok]
    new = Xok[picked]
    z = NormalDist().inv_cdf(0.5 + level / 2)
    before = _intervals(values, grads, _inverse(info), z)
    Jn = J[ok][picked]
    after = _intervals(values, grads, _inverse(info + Jn.T @ Jn / sigma**2), z)
    proposed = [{**{n: float(v) for n, v in zip(names, row)}, "cost": float(c)} for row, c in zip(new, cost_fn(new))]
    criterion = (f"c-optimal (greedy, delta method): variance of log {target}*(C = {budget:.3g}), "
                 f"sigma = {sigma:.3g} (log residuals), {Xok.shape[0]} candidates")
    notes = [] if fit.boot is None else ["'before' and 'after' are delta-method intervals; the fit's bootstrap "
                                         "interval of the same quantity is in fit.optimum(at=[budget])"]
    spent = cost_fn(np.column_stack(fit.X))
    if budget < np.min(spent):
        notes.append(f"the budget C = {budget:.3g} is below the cost of every run ({np.min(spent):.3g} and up): "
                     "its allocation is an extrapolation below the data, not the question a plan usually answers")
    return Plan(budget, target, proposed, before, after, criterion, level, notes)


def _given_candidates(rows, k: int, cost_fn, cap: float) -> np.ndarray:
    """``rows`` as an (m, k) array of finite positive resource values, at most :data:`MAX_CANDIDATES` rows, each
    costing at most ``cap``; duplicate rows kept once (the plan proposes distinct runs)."""
    X = np.atleast_2d(np.asarray(rows, float))
    if X.ndim != 2 or X.shape[1] != k:
        raise ValueError(f"candidates must be rows of {k} resource values, got an array of shape {X.shape}")
    if X.shape[0] > MAX_CANDIDATES:
        raise ValueError(f"{X.shape[0]:,} candidate runs; at most {MAX_CANDIDATES:,} (each greedy pick updates every one)")
    if not (np.all(np.isfinite(X)) and np.all(X > 0)):
        raise ValueError("candidate runs must be finite and > 0")
    if not np.all(cost_fn(X) <= cap):
        raise ValueError("a candidate run costs more than max_run_compute")
    return np.unique(X, axis=0)


def _check_identified(fit) -> None:
    """``RuntimeError`` (could not decide) when the fitted law is constant over the runs: the delta method then has
    no interval to shrink (the residual scale is rounding and every interval has width ~0)."""
    pred = fit.model.predict(fit.theta, fit.X)
    if not np.ptp(pred) > NEGLIGIBLE * np.min(pred):
        raise RuntimeError("the fitted law is constant over the runs (it does not follow "
                           f"{', '.join(x.name for x in fit.model.resources)}): no interval of the compute-optimal "
                           "answer to shrink; check the data's response column")


def _positive(value, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return v


def _cost_function(rule, resources):
    """:func:`~scalingtheory.fitting.approaches.cost_function` of the rule's cost, taking rows of resource values."""
    from .approaches import cost_function

    f = cost_function(rule.cost, list(resources))
    return lambda rows: np.broadcast_to(np.asarray(f(*np.atleast_2d(rows).T), float), (np.atleast_2d(rows).shape[0],))


__all__ = ["Plan", "plan", "gradients", "information", "noise_scale", "candidates", "greedy"]
