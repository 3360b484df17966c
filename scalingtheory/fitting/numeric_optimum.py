r"""Compute-optimal allocation of any law, numerically: minimise :math:`L(X)` on the cost surface :math:`c(X) = C`.

Where the exact algebra of :mod:`scalingtheory.laws` does not apply (a law that is not a sum of products
of powers: coefficients inside a power, Kaplan's joint form, the exponential of a data-constrained law)
the allocation at a budget :math:`C` is found numerically, for the estimate and every bootstrap replicate
at once (arrays over replicates x budgets):

* one allocated resource: :math:`x^*` solves :math:`c(x) = C` (bisection in :math:`\log x`; the cost
  increases in every resource, checked before the fit, so the root is unique);
* two allocated resources :math:`(x_1, x_2)`: for each :math:`s = \log x_1` on a scan the constraint
  fixes :math:`x_2(s)` (the same bisection); the scan's least loss brackets the optimum, which is then
  the root of the Lagrange condition along the constraint,

  .. math:: \frac{dL}{ds} = x_1\Big(\partial_1 L - \partial_2 L\,\frac{\partial_1 c}{\partial_2 c}\Big) = 0
     \iff \partial_1 L\,\partial_2 c - \partial_2 L\,\partial_1 c = 0,

  found by bisection (a sign change of exact derivatives, so the optimum is located to the last bits
  of :math:`\log x_1`, not to the square root of the precision of :math:`L`).

Resources outside the cost are held at given values (``hold``). An optimum at the edge of the scan
(:data:`SCAN_DECADES` beyond the data on each side) is not given (NaN: the law has no interior optimum
there). On Chinchilla's form this route and the exact one agree to 1e-8 relative
(``tests/test_fit_law_routes.py``).

>>> from scalingtheory.fitting.model import LawModel
>>> m = LawModel("E + A*N**-a + B*D**-b", ["N", "D", "loss"], "loss")
>>> cost = 6 * m.resources[0] * m.resources[1]
>>> rule = NumericRule(m, cost, {}, ((1e7, 1e10), (1e9, 1e12)))
>>> out = rule.evaluate([[406.4, 410.7, 1.69, 0.34, 0.28]], [5.76e23])
>>> round(float(out["at"]["N"][0, 0]) / 1e9, 2)    # Hoffmann et al.'s Eq. 10 law: N* = G (C/6)^(b/(a+b))
32.19
"""

from __future__ import annotations

import numpy as np
import sympy as sp

#: the scan of log x_1 reaches this many decades beyond the data (and beyond the budget's reach)
SCAN_DECADES = 6.0
SCAN_POINTS = 241
#: bisection steps (each halves a bracket in log space; 64 reach float resolution from a width of 1400)
BISECT_STEPS = 64
#: bracket of log x for the cost equation
LOG_RANGE = (-700.0, 700.0)


def _bisect(f, lo, hi, steps=BISECT_STEPS):
    """Vectorised bisection for increasing ``f`` on ``[lo, hi]`` (arrays); NaN where no sign change."""
    lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
    lo, hi = lo.copy(), hi.copy()
    with np.errstate(all="ignore"):
        ok = (f(lo) <= 0) & (f(hi) >= 0)
        for _ in range(steps):
            mid = 0.5 * (lo + hi)
            up = f(mid) > 0
            hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    return np.where(ok, 0.5 * (lo + hi), np.nan)


class NumericRule:
    """The numeric compute-optimal route for ``model`` under ``cost`` (a SymPy expression in the resources).

    ``hold``: ``{resource name: value}`` for resources outside the cost; ``spans``: each resource's
    ``(min, max)`` in the data (sets the scan). At most two resources are allocated.
    """

    route = "numeric"

    def __init__(self, model, cost, hold, spans):
        self.model, self.cost, self.hold = model, cost, dict(hold)
        self.alloc = [x for x in model.resources if x in cost.free_symbols]
        if not 1 <= len(self.alloc) <= 2:
            raise ValueError(f"the numeric compute-optimal route allocates one or two resources; the cost "
                             f"{sp.sstr(cost)} uses {len(self.alloc)}: hold the others (hold=, --hold NAME=VALUE)")
        args = model.resources + model.params
        self._dL = [sp.lambdify(args, sp.diff(model.expr, x), "numpy") for x in self.alloc]
        self._c = sp.lambdify(self.alloc, cost, "numpy")
        self._dc = [sp.lambdify(self.alloc, sp.diff(cost, x), "numpy") for x in self.alloc]
        self.spans = {x: spans[model.resources.index(x)] for x in self.alloc}

    def _resources(self, xs: dict, shape) -> tuple:
        return tuple(np.broadcast_to(xs[x], shape) if x in xs else np.full(shape, float(self.hold[x.name]))
                     for x in self.model.resources)

    def _last(self, s1, lc):
        """``log x_2`` on the cost surface given ``log x_1 = s1`` (arrays; NaN where none)."""
        return _bisect(lambda u: np.log(self._c(np.exp(s1), np.exp(u))) - lc, LOG_RANGE[0], LOG_RANGE[1])

    def _scan(self, lc):
        x_lo, x_hi = self.spans[self.alloc[0]]
        reach = max(0.0, float(np.max(lc)) - float(np.log(self._c(*[self.spans[x][1] for x in self.alloc]))))
        ten = np.log(10.0) * SCAN_DECADES
        return np.linspace(np.log(x_lo) - ten, np.log(x_hi) + ten + reach, SCAN_POINTS)

    def evaluate(self, thetas, budgets=()) -> dict:
        """``{"at": {resource: (n, K)}, "loss_at": (n, K)}`` for rows of ``thetas`` and budgets (K)."""
        th = np.atleast_2d(np.asarray(thetas, float))
        n, lc = th.shape[0], np.log(np.asarray(budgets, float))
        out = {"allocation": {}, "loss_exponent": None, "at": None, "loss_at": None}
        if lc.size == 0:
            return out
        cols = [c[:, None, None] for c in th.T]
        lcb = lc[None, :, None]
        if len(self.alloc) == 1:
            s = _bisect(lambda v: np.log(self._c(np.exp(v))) - lcb, *LOG_RANGE)
            xs = {self.alloc[0]: np.broadcast_to(np.exp(s), (n, lc.size, 1))}
        else:
            xs = self._two(cols, lcb, n, lc.size)
        shape = (n, lc.size, 1)
        with np.errstate(all="ignore"):
            loss = self.model._f(*self._resources(xs, shape), *cols)
        star = {x.name: np.broadcast_to(xs[x], shape)[..., 0] for x in self.alloc}
        out["at"], out["loss_at"] = star, np.broadcast_to(np.asarray(loss, float), shape)[..., 0]
        return out

    def _lagrange(self, s1, lc, cols):
        u = self._last(s1, lc)
        x1, x2 = np.exp(s1), np.exp(u)
        X = self._resources({self.alloc[0]: x1, self.alloc[1]: x2}, np.broadcast_shapes(np.shape(x1), np.shape(u)))
        d1, d2 = (np.asarray(f(*X, *cols), float) for f in self._dL)
        return d1 * self._dc[1](x1, x2) - d2 * self._dc[0](x1, x2)

    def _two(self, cols, lcb, n, k) -> dict:
        s = self._scan(lcb)[None, None, :]
        u = self._last(s, lcb)
        shape = np.broadcast_shapes(s.shape, u.shape, (n, k, 1))
        with np.errstate(all="ignore"):
            L = np.asarray(self.model._f(*self._resources({self.alloc[0]: np.exp(s), self.alloc[1]: np.exp(u)}, shape),
                                         *cols), float)
        L = np.where(np.isfinite(L), np.broadcast_to(L, shape), np.inf)
        i = np.argmin(L, axis=-1)
        interior = (i > 0) & (i < s.shape[-1] - 1) & np.isfinite(np.min(L, axis=-1))
        i = np.clip(i, 1, s.shape[-1] - 2)[..., None]
        grid = np.broadcast_to(s, shape)
        lo, hi = np.take_along_axis(grid, i - 1, -1), np.take_along_axis(grid, i + 1, -1)
        s1 = _bisect(lambda v: self._lagrange(v, lcb, cols), lo, hi)
        s1 = np.where(interior[..., None], s1, np.nan)
        return {self.alloc[0]: np.exp(s1), self.alloc[1]: np.exp(self._last(s1, lcb))}


__all__ = ["NumericRule", "SCAN_DECADES"]
