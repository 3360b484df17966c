r"""Checks of a law fit's options made before any fitting (the cost, the held resources), and what counts as
negligible in a fitted law (:data:`NEGLIGIBLE`, read by ``fit_law`` and ``plan``).

A compute cost :math:`c(X)` must be positive and increase in every resource it uses (more of any
resource costs more; otherwise "the most loss reduction per unit of cost" has no answer, and a cost
such as ``-N*D`` gave complex roots). SymPy decides this from the expression with every resource
positive (``6*N*D``: :math:`\partial c/\partial N = 6D > 0`); where it cannot (``N*D - 1e20``), the
cost and its derivatives are checked at every run of the data. Every resource of the law is either
in the cost (allocated) or held at a value (``hold``); a held resource is not in the cost.

>>> import numpy as np, sympy as sp
>>> N, D = sp.symbols("N D", positive=True)
>>> check_cost("-N*D", (N, D), (np.array([1.0, 2.0]), np.array([3.0, 4.0])))
Traceback (most recent call last):
...
ValueError: cost (--cost) -D*N is not positive (a compute cost is > 0 at every positive N, D)
>>> check_cost("6*N*D", (N, D), (np.array([1.0, 2.0]), np.array([3.0, 4.0])))
6*D*N
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .optimum import parse_cost

#: a term below this fraction of the fitted loss at every run plays no part (its coefficient is pinned at 0),
#: and a fitted law varying by less than this over the runs is constant (a degenerate fit)
NEGLIGIBLE = 1e-6


def _positive_at_runs(expr, resources, X) -> bool:
    f = sp.lambdify(resources, expr, "numpy")
    with np.errstate(all="ignore"):
        v = np.broadcast_to(np.asarray(f(*X)), np.shape(X[0]))
    return bool(np.isrealobj(v) and np.all(np.isfinite(v)) and np.all(v > 0))


def check_cost(cost, resources, X, hold=None) -> sp.Expr:
    """The cost as an expression in ``resources``, or ``ValueError`` (naming ``--cost``) when it uses a
    name that is not a resource, uses no resource, uses a held one, or is not positive and increasing."""
    try:
        expr = parse_cost(cost, resources)
    except ValueError as exc:
        names = ", ".join(x.name for x in resources)
        raise ValueError(f"cost (--cost) {str(cost)[:80]!r}: {exc} (the cost may use the law's resources {names})") \
            from None
    used = [x for x in resources if x in expr.free_symbols]
    held = [x.name for x in used if x.name in (hold or {})]
    text = sp.sstr(expr)
    if not used:
        raise ValueError(f"cost (--cost) {text} uses no resource of the law ({', '.join(x.name for x in resources)})")
    if held:
        raise ValueError(f"cost (--cost) {text} uses {held[0]}, which is held (--hold): a held resource is "
                         "not allocated")
    names = ", ".join(x.name for x in resources)
    if expr.is_nonpositive or not (expr.is_positive or _positive_at_runs(expr, resources, X)):
        raise ValueError(f"cost (--cost) {text} is not positive (a compute cost is > 0 at every positive {names})")
    for x in used:
        slope = sp.diff(expr, x)
        if slope.is_nonpositive or not (slope.is_positive or _positive_at_runs(slope, resources, X)):
            raise ValueError(f"cost (--cost) {text} does not increase with {x} (d/d{x} = {sp.sstr(slope)}): a compute "
                             "cost grows with every resource it uses")
    return expr


def check_hold(hold, resources, cost_expr) -> dict:
    """``{name: value}`` of the held resources (finite, > 0, resources of the law); ``ValueError`` otherwise,
    and when a resource is neither in the cost nor held.

    >>> N, D, U = sp.symbols("N D U", positive=True)
    >>> check_hold({"U": 1e9}, (N, D, U), 6*N*D)
    {'U': 1000000000.0}
    >>> check_hold({}, (N, D, U), 6*N*D)
    Traceback (most recent call last):
    ...
    ValueError: resource U is not in the cost 6*D*N: hold it at a value (hold={'U': ...}, --hold U=VALUE)
    """
    hold = dict(hold or {})
    names = [x.name for x in resources]
    out = {}
    for k, v in hold.items():
        if k not in names:
            raise ValueError(f"hold (--hold) names {str(k)[:40]!r}, not a resource of the law ({', '.join(names)})")
        try:
            value = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"hold (--hold) {k}: the value must be a number, got {str(v)[:40]!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"hold (--hold) {k}: the value must be finite and > 0, got {value:g}")
        out[k] = value
    if cost_expr is not None:
        for x in resources:
            if x not in cost_expr.free_symbols and x.name not in out:
                raise ValueError(f"resource {x} is not in the cost {sp.sstr(cost_expr)}: hold it at a value "
                                 f"(hold={{'{x}': ...}}, --hold {x}=VALUE)")
    elif out:
        raise ValueError("hold (--hold) fixes resources for the compute-optimal question: give a cost (--cost)")
    return out


def parse_hold_text(items) -> dict:
    """``["U=1e9", ...]`` (``--hold``, repeatable or comma-separated) as ``{"U": 1e9}``; ``ValueError`` otherwise.

    >>> parse_hold_text(["U=1e9,V=2"])
    {'U': 1000000000.0, 'V': 2.0}
    """
    from ..number_text import ascii_float

    out = {}
    for item in (p.strip() for text in items or () for p in str(text).split(",")):
        name, sep, value = item.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ValueError(f"--hold takes NAME=VALUE (e.g. U=1e9), got {item[:60]!r}")
        if name.strip() in out:
            raise ValueError(f"--hold names {name.strip()} twice")
        try:
            out[name.strip()] = ascii_float(value.strip())
        except ValueError:
            raise ValueError(f"--hold {name.strip()}: the value must be a number, got {value.strip()[:40]!r}") from None
    return out


__all__ = ["check_cost", "check_hold", "parse_hold_text"]
