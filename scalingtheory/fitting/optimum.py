r"""Compute-optimal quantities of a fitted law, with intervals, from the exact algebra.

The rule is derived **once**, symbolically, by :meth:`scalingtheory.laws.ScalingLaw.compute_optimal`
on the law with its parameters as symbols (for Chinchilla's form: :math:`N^* = G_N C^{b/(a+b)}`,
:math:`D^* = G_D C^{a/(a+b)}`, :math:`L^* - E = A_C C^{-ab/(a+b)}`, Hoffmann et al. 2022,
Eq. 4). Its expressions are then evaluated (``sympy.lambdify``) at the estimate and at
every bootstrap replicate, so each derived quantity carries a percentile interval.
The loss at a budget is the law evaluated at the optimal resources (all resources in
the cost), else the asymptotic :math:`L_\infty + A_C C^{-r_C}`.

>>> import sympy as sp
>>> from scalingtheory.fitting.model import LawModel
>>> m = LawModel("E + A*N**-a + B*D**-b", ["N", "D", "loss"], "loss")
>>> rule = OptimumRule(m, "6*N*D")
>>> {str(x): str(e) for x, e in rule.symbolic.allocation.items()}, str(rule.symbolic.loss_exponent)
({'D': 'a/(a + b)', 'N': 'b/(a + b)'}, 'a*b/(a + b)')
>>> out = rule.evaluate([[406.4, 410.7, 1.69, 0.34, 0.28]], [5.76e23])
>>> round(float(out["allocation"]["N"][0]), 4), round(float(out["loss_exponent"][0]), 4)
(0.4516, 0.1535)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..laws import ScalingLaw
from ..parsing import parse_formula
from .prediction import finite_or_none


@dataclass(frozen=True)
class Estimate:
    """A number with its interval (``None`` where unavailable) and, for exponents, its expression."""

    value: float
    lo: float | None = None
    hi: float | None = None
    expr: str | None = None

    @classmethod
    def from_samples(cls, value, samples=None, level: float = 0.95, expr: str | None = None) -> "Estimate":
        from .bootstrap import percentile_interval

        lo = hi = None
        if samples is not None and np.isfinite(samples).sum() >= 2:
            lo, hi = percentile_interval(samples, level)
        return cls(float(value), finite_or_none(lo), finite_or_none(hi), expr)

    @property
    def ci(self) -> tuple:
        """The interval as ``(low, high)``, the toolkit's ``ci`` (``(None, None)`` where unavailable).

        >>> Estimate(0.34, 0.30, 0.38).ci
        (0.3, 0.38)
        """
        return self.lo, self.hi

    def to_json(self) -> dict:
        out = {"value": finite_or_none(self.value), "lo": finite_or_none(self.lo), "hi": finite_or_none(self.hi)}
        return out if self.expr is None else {**out, "expr": self.expr}

    def __str__(self) -> str:
        band = f" [{self.lo:.4g}, {self.hi:.4g}]" if self.lo is not None and self.hi is not None else ""
        return f"{self.value:.6g}{band}"

    def __repr__(self) -> str:
        return f"Estimate({self.expr} = {self})" if self.expr else f"Estimate({self})"

    def __float__(self) -> float:
        return self.value




def parse_cost(cost, resources) -> sp.Expr:
    """The cost as an expression in the law's resource symbols (text or SymPy, through the safe parser)."""
    return parse_formula(cost, {r.name: r for r in resources})


class OptimumRule:
    """The symbolic compute-optimal rule of a :class:`~scalingtheory.fitting.model.LawModel`, lambdified.

    ``hold``: ``{resource name: value}`` for resources outside the cost, substituted before the algebra.
    ``ValueError`` when the law (so held) is not a sum of products of powers (:func:`make_rule` then
    takes the numeric route).
    """

    route = "exact"

    def __init__(self, model, cost, hold=None):
        self.model, self.hold = model, dict(hold or {})
        self.cost = cost if isinstance(cost, sp.Basic) else parse_cost(cost, model.resources)
        held = {x: sp.Float(self.hold[x.name], 17) for x in model.resources if x.name in self.hold}
        free = tuple(x for x in model.resources if x not in held)
        try:
            law = ScalingLaw.from_expr(model.expr.xreplace(held), free)
        except ValueError as exc:
            raise ValueError(f"no compute-optimal algebra for {model.text}: {exc}") from None
        self.symbolic = law.compute_optimal(self.cost)
        p = model.params
        self._alloc = {x: sp.lambdify(p, e) for x, e in self.symbolic.allocation.items()}
        self._rate = sp.lambdify(p, self.symbolic.loss_exponent)
        prefs = self.symbolic.allocation_prefactors
        self._logpref = None if prefs is None else {x: sp.lambdify(p, sp.log(g)) for x, g in prefs.items()}
        pref = self.symbolic.loss_prefactor
        self._loss_tail = None if pref is None else (sp.lambdify(p, law.floor), sp.lambdify(p, sp.log(pref)))
        self._full = set(self.symbolic.allocation) == set(free)

    def evaluate(self, thetas, budgets=()) -> dict:
        """Allocation exponents, loss exponent, and ``X*(C)``, ``L*(C)`` at ``budgets`` for rows of ``thetas``."""
        th = np.atleast_2d(np.asarray(thetas, float))
        n, cols = th.shape[0], list(th.T)
        lc = np.log(np.asarray(budgets, float))[None, :]
        with np.errstate(all="ignore"):
            alloc = {x.name: np.broadcast_to(np.asarray(f(*cols), float), (n,)) for x, f in self._alloc.items()}
            rate = np.broadcast_to(np.asarray(self._rate(*cols), float), (n,))
            out = {"allocation": alloc, "loss_exponent": rate, "at": None, "loss_at": None}
            if self._logpref is None or lc.size == 0:
                return out
            star = {x.name: np.exp(np.asarray(g(*cols), float)[..., None] + alloc[x.name][:, None] * lc)
                    for x, g in self._logpref.items()}
            if self._full:
                X = tuple(star[r.name] if r.name in star else np.full(star[next(iter(star))].shape, self.hold[r.name])
                          for r in self.model.resources)
                loss = np.array([self.model.predict(t, tuple(x[i] for x in X)) for i, t in enumerate(th)])
            elif self._loss_tail is not None:
                floor, log_pref = self._loss_tail
                loss = np.asarray(floor(*cols), float)[..., None] + np.exp(
                    np.asarray(log_pref(*cols), float)[..., None] - rate[:, None] * lc)
            else:
                loss = np.full((n, lc.size), np.nan)
        out["at"], out["loss_at"] = star, np.broadcast_to(loss, (n, lc.size))
        return out


def make_rule(model, cost, hold=None, spans=None, route: str = "auto"):
    """The compute-optimal rule: exact algebra where it applies (``route="auto"`` or ``"exact"``), else the
    numeric route of :mod:`~scalingtheory.fitting.numeric_optimum` (``spans``: each resource's data range)."""
    if route not in ("auto", "exact", "numeric"):
        raise ValueError(f"route must be 'auto', 'exact' or 'numeric', got {route!r}")
    if route != "numeric":
        try:
            return OptimumRule(model, cost, hold)
        except ValueError:
            if route == "exact":
                raise
    from .numeric_optimum import NumericRule

    cost = cost if isinstance(cost, sp.Basic) else parse_cost(cost, model.resources)
    return NumericRule(model, cost, hold or {}, spans)


@dataclass
class Optimum:
    """Compute-optimal allocation of a fitted law with intervals (see :meth:`FittedLaw.optimum`)."""

    cost: str
    allocation: dict
    loss_exponent: Estimate | None
    at: list
    notes: list
    route: str = "exact"
    hold: dict = None

    def report(self) -> str:
        """Plain text: the allocation and loss exponents (expression = value [interval]), then each budget."""
        held = "".join(f", {k} = {v:g} held" for k, v in (self.hold or {}).items())
        lines = [f"[[Compute-optimal]] cost C = {self.cost}{held} ({self.route} route)"]
        lines += [f"    {k}* ~ C^({e.expr}) = C^{e}" for k, e in self.allocation.items()]
        if self.loss_exponent is not None:
            lines.append(f"    L* - L_inf ~ C^-({self.loss_exponent.expr}) = C^-{self.loss_exponent}")
        for row in self.at:
            lines.append(f"    C = {row['C']:.3g}: " + ", ".join(f"{k}* = {v}" for k, v in row.items()
                                                              if k not in ("C", "loss")) + f", L* = {row['loss']}")
        return "\n".join(lines + [f"    note: {n}" for n in self.notes])

    def __repr__(self) -> str:
        parts = [f"{k}* ~ C^{e.value:.4g}" for k, e in self.allocation.items()]
        parts += [] if self.loss_exponent is None else [f"r_C = {self.loss_exponent.value:.4g}"]
        return f"Optimum(C = {self.cost}: {', '.join(parts) or self.route + ' route'}; {len(self.at)} budget(s))"

    def _repr_html_(self) -> str:
        """Jupyter: one row per exponent and per budget's optimal resources and loss, with intervals."""
        from ..display import html_table

        cell = lambda v: "" if v is None else f"{v:.6g}"  # noqa: E731
        rows = [[f"{k}* ~ C^({e.expr})", cell(e.value), cell(e.lo), cell(e.hi)] for k, e in self.allocation.items()]
        e = self.loss_exponent
        rows += [] if e is None else [[f"L* - L_inf ~ C^-({e.expr})", cell(e.value), cell(e.lo), cell(e.hi)]]
        rows += [[f"{k}* at C = {row['C']:.3g}" if k != "loss" else f"L* at C = {row['C']:.3g}", cell(v.value),
                  cell(v.lo), cell(v.hi)] for row in self.at for k, v in row.items() if k != "C"]
        return html_table(["quantity", "value", "lo", "hi"], rows, f"compute-optimal allocation, C = {self.cost}",
                          self.notes)

    def to_json(self) -> dict:
        return {"cost": self.cost, "route": self.route, "hold": dict(self.hold or {}),
                "loss": None if self.loss_exponent is None else self.loss_exponent.to_json(),
                "allocation": {k: e.to_json() for k, e in self.allocation.items()},
                "at": [{k: (v if k == "C" else v.to_json()) for k, v in row.items()} for row in self.at]}


def optimum(rule, theta, boot, budgets=(), level: float = 0.95) -> Optimum:
    """:class:`Optimum` at the estimate ``theta`` with percentile intervals over the replicates ``boot``."""
    budgets = [float(c) for c in budgets]
    est = rule.evaluate(theta, budgets)
    reps = rule.evaluate(boot, budgets) if boot is not None else None
    if rule.route == "exact":
        sym = rule.symbolic
        alloc = {x.name: Estimate.from_samples(est["allocation"][x.name][0],
                                               None if reps is None else reps["allocation"][x.name], level,
                                               sp.sstr(sym.allocation[x]))
                 for x in rule.model.resources if x in sym.allocation}
        rate = Estimate.from_samples(est["loss_exponent"][0], None if reps is None else reps["loss_exponent"], level,
                                     sp.sstr(sym.loss_exponent))
        notes = list(sym.notes)
    else:
        alloc, rate = {}, None
        notes = ["numeric route (the law is not a sum of products of powers): N*(C), D*(C), L*(C) at each budget "
                 "by minimising the law on the cost surface; no constant allocation exponent"]
    rows = []
    if budgets and est["at"] is None:
        notes.append("no closed-form prefactors for this law and cost: N*(C), D*(C), L*(C) not given")
    elif budgets:
        for j, c in enumerate(budgets):
            row = {"C": c}
            for name in (x.name for x in rule.model.resources if x.name in est["at"]):
                vals = est["at"][name]
                row[name] = Estimate.from_samples(vals[0, j], None if reps is None else reps["at"][name][:, j], level)
            row["loss"] = Estimate.from_samples(est["loss_at"][0, j],
                                                None if reps is None else reps["loss_at"][:, j], level)
            rows.append(row)
        if any(not np.isfinite(row["loss"].value) for row in rows):
            notes.append("no interior optimum within the search range at some budget (value null)")
    return Optimum(sp.sstr(rule.cost), alloc, rate, rows, notes, rule.route, dict(rule.hold))


__all__ = ["Estimate", "OptimumRule", "Optimum", "optimum", "parse_cost", "make_rule"]
