"""Chinchilla's Approaches 1 and 2 as estimators beside the parametric fit (Approach 3).

Both estimate the allocation exponents :math:`a_X` in :math:`X^*(C) \\propto C^{a_X}` directly
from the runs, without a parametric law: Approach 2 from the minima of IsoFLOP profiles
(:mod:`~scalingtheory.fitting.isoflop`), Approach 1 from the lower envelope of training
curves (:mod:`~scalingtheory.fitting.envelope`). Each runs only when the data have the
needed shape; :func:`side_estimators` returns those that apply.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .approach import ApproachResult, power_law_slope
from .optimum import parse_cost


def cost_function(cost, resources):
    """Numeric ``C(X)`` for the cost expression over ``resources``."""
    expr = parse_cost(cost, resources)
    extra = expr.free_symbols - set(resources)
    if extra:
        raise ValueError(f"cost {sp.sstr(expr)} uses {', '.join(sorted(map(str, extra)))}, not resources of the law")
    return sp.lambdify(resources, expr, "numpy")


def side_estimators(fitted, cost) -> dict:
    """The Approach 1/2 results that the data of ``fitted`` allow, keyed ``envelope``/``isoflop``."""
    from .envelope import envelope
    from .isoflop import disagreement, isoflop

    resources = fitted.model.resources
    C = np.broadcast_to(np.asarray(cost_function(cost, resources)(*fitted.X), float), fitted.y.shape)
    if not (np.all(np.isfinite(C)) and np.all(C > 0)):
        fitted.notes.append("the cost is not positive at every run: no IsoFLOP/envelope estimators")
        return {}
    names = [x.name for x in resources]
    out = {}
    shape = {"shape": "law", "law": (fitted.model, fitted.theta)} if fitted.model.linear else {}
    for name, fn, kw in (("isoflop", isoflop, shape), ("envelope", envelope, {})):
        res = fn(dict(zip(names, fitted.X)), fitted.y, C, fitted.level, fitted.seed, **kw)
        if res is not None:
            out[name] = res
    if "isoflop" in out:   # bracketing and disagreement warnings belong to the fit's notes too
        iso = out["isoflop"]
        try:
            iso.notes += disagreement(iso.allocation, fitted.optimum(cost).allocation)
        except (ValueError, ArithmeticError) as exc:   # no exact allocation to compare with
            iso.notes.append(f"IsoFLOP exponents not compared with the law's: {exc}")
        fitted.notes += [n for n in iso.notes if "bracket" in n or "disagrees" in n]
    return out


__all__ = ["ApproachResult", "side_estimators", "power_law_slope", "cost_function"]
