"""The figures of fit results, drawn by their ``plot()`` methods; each takes its axes (a new figure when ``ax`` is
``None``) and returns them.

* :func:`fit_curve` -- a one-resource learning-curve fit (BNSL, M1-M4; :class:`~scalingtheory.fitting.curve_result.FitResult`):
  data, held-out points, the fit and its band on log-log axes;
* :func:`fitted_law` -- a multi-resource fit (:class:`~scalingtheory.fitting.law.FittedLaw`): runs,
  iso-loss contours, compute-optimal frontier and its bootstrap band (two resources), else fitted
  against observed.

* :func:`profile_curves` -- the profile statistic of each exponent (:class:`~scalingtheory.fitting.profile.ProfileResult`).

A result draws itself, so these live beside the results (fitting sits below plots: plots/ composes fits into the
models' figures, e.g. BNSL's). matplotlib is imported only when a figure is drawn, with the one house style
(:mod:`scalingtheory.figure_style`, a core module like :mod:`scalingtheory.display`).
"""

from __future__ import annotations

import numpy as np

from .. import figure_style as style


def form_label(form) -> str:
    """A fitted form as the report's tables name it: ``BNSL 1 break``, ``BNSL 3 breaks``, ``M4``.

    >>> from scalingtheory.fitting.forms import BNSL
    >>> form_label(BNSL(3)), form_label(BNSL(1))
    ('BNSL 3 breaks', 'BNSL 1 break')
    """
    n = getattr(form, "n", None)
    if form.name.startswith("bnsl") and n is not None:
        return f"BNSL {n} break{'s' * (n != 1)}"
    return form.name.upper()


def fit_curve(result, ax=None, path=None, x_test=None, y_test=None, x_max=None, level: float = 0.95):
    """Data, fit and ``level`` band of ``result`` on log-log axes, drawn into ``ax``; returns the Axes.

    Without ``ax``: a new pyplot figure (shown inline in Jupyter), or, when ``path`` is given, a
    standalone figure written to ``path`` (PNG). Axis labels are ``result.names``.
    """
    if ax is None and path is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(6, 4))[1]
    elif ax is None:
        ax = style.figure(width=6, height=4)[1]
    hi_x = max([result.x.max()] + ([np.max(x_test)] if x_test is not None else []) + ([x_max] if x_max else []))
    xs = np.logspace(np.log10(result.x.min()), np.log10(hi_x) + 0.05, 300)
    pred = result.predict(xs, level)
    yh, lo, hi = np.asarray(pred), pred.lo, pred.hi
    ax.loglog(result.x, result.y, "k.", ms=4, label="fit points")
    if x_test is not None:
        ax.loglog(x_test, y_test, ".", color=style.color(0), ms=3 if np.size(x_test) > 30 else 7,
                  label="held-out points")
    ax.loglog(xs, yh, "-", color=style.color(1), label=f"{form_label(result.form)} fit")
    if np.all(np.isfinite(lo)):
        ax.fill_between(xs, lo, hi, color=style.color(1), alpha=0.2, lw=0,
                        label=f"{level:.0%} band ({pred.method})")
    ax.axvline(result.x.max(), color="0.6", lw=0.8, ls=":", label="last fit point")
    ax.set_xlabel(result.names[0])
    ax.set_ylabel(result.names[1])
    style.log_ticks(ax)
    style.legend(ax)
    if path is not None:
        if ax.figure.get_layout_engine() is None:
            ax.figure.tight_layout()
        ax.figure.savefig(path, dpi=110)
    return ax


def fitted_law(fitted, ax=None, cost=None, level: float = 0.95):
    """Runs coloured by loss, iso-loss contours of the fit and, with ``cost``, the compute-optimal
    frontier with its ``level`` bootstrap band (two resources); else fitted against observed loss."""
    if ax is None:
        ax = style.figure(width=6, height=4.5)[1]
    names = [x.name for x in fitted.model.resources]
    if len(names) != 2:
        return _fitted_vs_observed(fitted, ax)
    x1, x2 = fitted.X
    g1 = np.logspace(np.log10(x1.min()) - 0.3, np.log10(x1.max()) + 0.3, 120)
    g2 = np.logspace(np.log10(x2.min()) - 0.3, np.log10(x2.max()) + 0.3, 120)
    G1, G2 = np.meshgrid(g1, g2)
    Z = fitted.model.predict(fitted.theta, (G1, G2))
    levels = np.quantile(fitted.y, np.linspace(0.05, 0.95, 8))
    cs = ax.contour(G1, G2, Z, levels=np.unique(levels), colors="0.5", linewidths=0.7)
    ax.clabel(cs, fontsize=6, fmt="%.3g")
    from matplotlib.lines import Line2D

    contour_key = Line2D([], [], color="0.5", lw=0.7, label=f"fitted {fitted.y_name} (contours, labelled)")
    sc = ax.scatter(x1, x2, c=fitted.y, s=14, cmap=style.CMAP, zorder=3, label="runs (colour: observed)")
    ax.figure.colorbar(sc, ax=ax, label=fitted.y_name)
    if cost is not None:
        _frontier(ax, fitted, cost, level, (g1, g2))
    ax.set(xscale="log", yscale="log", xlim=(g1[0], g1[-1]), ylim=(g2[0], g2[-1]), xlabel=names[0],
           ylabel=names[1])
    ax.set_title(law_title(fitted.model), fontsize=9)
    style.log_ticks(ax)
    handles = [contour_key] + ax.get_legend_handles_labels()[0]   # the key is a legend handle, not an Axes line
    style.legend(ax, handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)   # below: runs fill the plane
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


def _fitted_vs_observed(fitted, ax):
    pred = fitted.model.predict(fitted.theta, fitted.X)
    ax.loglog(fitted.y, pred, "k.", ms=4, label="runs")
    lim = [min(fitted.y.min(), pred.min()), max(fitted.y.max(), pred.max())]
    ax.loglog(lim, lim, color="0.6", lw=0.8, label="fitted = observed")
    ax.set_xlabel(f"observed {fitted.y_name}")
    ax.set_ylabel(f"fitted {fitted.y_name}")
    style.log_ticks(ax)
    style.legend(ax)
    return ax


def _frontier(ax, fitted, cost, level, grids):
    """The compute-optimal allocation over the budgets spanned by the grid, with its bootstrap band."""
    from .bootstrap import percentile_interval

    rule = fitted.rule(cost)
    names = [x.name for x in fitted.model.resources]
    cfun = np.vectorize(lambda a, b: float(rule.cost.subs(dict(zip(fitted.model.resources, (a, b))))))
    corners = cfun([grids[0][0], grids[0][-1]], [grids[1][0], grids[1][-1]])
    budgets = np.logspace(np.log10(corners.min()), np.log10(corners.max()), 60)
    est = rule.evaluate(fitted.theta, budgets)
    if est["at"] is None or set(est["at"]) != set(names):
        return
    ax.plot(est["at"][names[0]][0], est["at"][names[1]][0], color=style.color(1), lw=1.5,
            label=f"compute-optimal frontier, C = {rule.cost}")
    if fitted.boot is not None:
        reps = rule.evaluate(fitted.boot[np.all(np.isfinite(fitted.boot), axis=1)], budgets)["at"]
        lo1, hi1 = percentile_interval(reps[names[0]], level)
        lo2, hi2 = percentile_interval(reps[names[1]], level)
        # on an iso-cost line a smaller first resource means a larger second one
        ax.fill(np.concatenate([lo1, hi1[::-1]]), np.concatenate([hi2, lo2[::-1]]), color=style.color(1), alpha=0.2,
                lw=0, label=f"{level:.0%} bootstrap band")


def profile_curves(result, ax=None):
    """Each exponent's profile statistic :math:`W(v)` of a :class:`~scalingtheory.fitting.profile.ProfileResult`
    (the points the root search evaluated), the :math:`\\chi^2_1` cut and the interval's ends; returns ``ax``."""
    if ax is None:
        ax = style.figure(width=6, height=4)[1]
    for i, (name, (v, w)) in enumerate(result.curves.items()):
        e = result.estimates[name]
        ax.plot(v, w, "o-", ms=3, color=style.color(i), label=f"{name} = {e}")
        for end in (e.lo, e.hi):
            if end is not None:
                ax.axvline(end, ls=":", color=style.color(i))
    if result.cut is not None:
        ax.axhline(result.cut, ls="--", color="k", lw=1, label=f"cut {result.cut:.3f}")
    ax.set_xlabel("exponent value $v$")
    ax.set_ylabel("adjusted profile statistic $W(v)$")
    style.legend(ax)
    return ax


__all__ = ["fit_curve", "form_label", "fitted_law", "law_title", "profile_curves"]
