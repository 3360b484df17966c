"""Figure of a fitted two-resource law: runs, iso-loss contours, compute-optimal frontier and its band."""

from __future__ import annotations

import numpy as np

from .bootstrap import percentile_interval
from ..plots.style import CMAP
from .optimum import OptimumRule


def plot_fit(fitted, ax=None, cost=None, level: float = 0.95):
    """Draw on ``ax`` (a new figure when ``None``) and return it (see :meth:`FittedLaw.plot`)."""
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(6, 4.5)).add_subplot()
    names = [x.name for x in fitted.model.resources]
    if len(names) != 2:
        pred = fitted.model.predict(fitted.theta, fitted.X)
        ax.loglog(fitted.y, pred, "k.", ms=4)
        lim = [min(fitted.y.min(), pred.min()), max(fitted.y.max(), pred.max())]
        ax.loglog(lim, lim, color="0.6", lw=0.8)
        ax.set_xlabel(f"observed {fitted.y_name}")
        ax.set_ylabel(f"fitted {fitted.y_name}")
        return ax
    x1, x2 = fitted.X
    g1 = np.logspace(np.log10(x1.min()) - 0.3, np.log10(x1.max()) + 0.3, 120)
    g2 = np.logspace(np.log10(x2.min()) - 0.3, np.log10(x2.max()) + 0.3, 120)
    G1, G2 = np.meshgrid(g1, g2)
    Z = fitted.model.predict(fitted.theta, (G1, G2))
    levels = np.quantile(fitted.y, np.linspace(0.05, 0.95, 8))
    cs = ax.contour(G1, G2, Z, levels=np.unique(levels), colors="0.5", linewidths=0.7)
    ax.clabel(cs, fontsize=6, fmt="%.3g")
    sc = ax.scatter(x1, x2, c=fitted.y, s=14, cmap=CMAP, zorder=3)
    ax.figure.colorbar(sc, ax=ax, label=fitted.y_name)
    if cost is not None:
        _frontier(ax, fitted, cost, level, (g1, g2))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(g1[0], g1[-1])
    ax.set_ylim(g2[0], g2[-1])
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_title(law_title(fitted.model), fontsize=9)
    return ax


def law_title(model) -> str:
    """The law typeset for matplotlib's mathtext (``$A N^{- a} + ...$``), or its text where
    mathtext cannot draw it (e.g. an unusual column name).

    >>> from scalingtheory.fitting.model import LawModel
    >>> law_title(LawModel("E + A*N**-a + B*D**-b", ["N", "D", "loss"], "loss"))
    '$A N^{- a} + B D^{- b} + E$'
    """
    import sympy as sp
    from matplotlib.mathtext import MathTextParser

    title = f"${sp.latex(model.expr)}$"
    try:
        MathTextParser("path").parse(title)
    except ValueError:
        return model.text
    return title


def _frontier(ax, fitted, cost, level, grids):
    rule = OptimumRule(fitted.model, cost)
    names = [x.name for x in fitted.model.resources]
    cfun = np.vectorize(lambda a, b: float(rule.cost.subs(dict(zip(fitted.model.resources, (a, b))))))
    corners = cfun([grids[0][0], grids[0][-1]], [grids[1][0], grids[1][-1]])
    budgets = np.logspace(np.log10(corners.min()), np.log10(corners.max()), 60)
    est = rule.evaluate(fitted.theta, budgets)
    if est["at"] is None or set(est["at"]) != set(names):
        return
    ax.plot(est["at"][names[0]][0], est["at"][names[1]][0], color="tab:red", lw=1.5,
            label=f"compute-optimal frontier, C = {rule.cost}")
    if fitted.boot is not None:
        reps = rule.evaluate(fitted.boot[np.all(np.isfinite(fitted.boot), axis=1)], budgets)["at"]
        lo1, hi1 = percentile_interval(reps[names[0]], level)
        lo2, hi2 = percentile_interval(reps[names[1]], level)
        # on an iso-cost line a smaller first resource means a larger second one
        ax.fill(np.concatenate([lo1, hi1[::-1]]), np.concatenate([hi2, lo2[::-1]]), color="tab:red", alpha=0.2,
                lw=0, label=f"{level:.0%} bootstrap band")
    ax.legend(fontsize=7, loc="lower left")


__all__ = ["plot_fit", "law_title"]
