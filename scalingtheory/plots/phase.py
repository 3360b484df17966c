r"""One phase-diagram routine for every model with regimes.

The regimes are read from the model's declaration (:class:`~scalingtheory.models.engine.RegimeSpec`:
an interval of ``y`` whose endpoints may depend on ``x``); the colour is a quantity of each regime's
exact symbolic result (default the compute-optimal loss exponent :math:`r_C`), turned into a NumPy
function by :func:`sympy.lambdify` -- no boundary or exponent is retyped here.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from .. import figure_style as style


def regime_masks(model, x, y, X, Y) -> dict:
    """``{regime: boolean grid}``: where ``(X, Y)`` lies in each declared regime's interval of ``y``."""
    out = {}
    for spec in model.regimes:
        iv = spec.conditions[y]
        lo = sp.lambdify(x, iv.inf, "numpy")(X) * np.ones_like(X) if iv.inf.is_finite else np.full_like(X, -np.inf)
        hi = sp.lambdify(x, iv.sup, "numpy")(X) * np.ones_like(X) if iv.sup.is_finite else np.full_like(X, np.inf)
        above = Y > lo if iv.left_open else Y >= lo
        below = Y < hi if iv.right_open else Y <= hi
        out[spec.name] = above & below
    return out


def regime_values(model, x, y, X, Y, quantity: str = "compute_optimal.loss", **fixed) -> np.ndarray:
    """``quantity`` of each regime's symbolic result on the grid (NaN outside every regime)."""
    out = np.full(X.shape, np.nan)
    for name, mask in regime_masks(model, x, y, X, Y).items():
        f = regime_function(model.name, name, quantity, x, y, tuple(sorted(fixed.items())))
        out = np.where(mask, f(X, Y) * np.ones_like(X), out)
    return out


@functools.lru_cache(maxsize=None)
def regime_result(model_name: str, regime: str, fixed: tuple):
    """The symbolic result of ``regime`` with the parameters ``fixed`` (cached: an analysis takes a
    few tenths of a second, and a figure asks for several quantities of each regime)."""
    from ..models import get_model

    return get_model(model_name).analyze(regime=regime, **dict(fixed))


@functools.lru_cache(maxsize=None)
def regime_function(model_name: str, regime: str, quantity: str, x, y, fixed: tuple):
    """NumPy function ``f(x, y)`` of a regime's symbolic ``quantity`` (:func:`regime_result`)."""
    return sp.lambdify((x, y), regime_result(model_name, regime, fixed)[quantity].expr, "numpy")


def boundaries(model, y) -> list[sp.Expr]:
    """The distinct finite upper endpoints of the regimes' ``y`` intervals (the regime boundaries)."""
    out = []
    for spec in model.regimes:
        sup = spec.conditions[y].sup
        if sup.is_finite is not False and sup != sp.oo and all(sp.simplify(sup - b) != 0 for b in out):
            out.append(sup)
    return out


def phase_diagram(ax, model, x, y, xs, ys, quantity: str = "compute_optimal.loss", label: str = r"$r_C$",
                  vmax=None, annotate=None, levels=None, **fixed):
    r"""Draw the ``(x, y)`` plane of ``model`` coloured by ``quantity``; returns the colour mesh.

    Boundaries are solid/dashed/dotted black lines (white halo) named in the legend (``beta = 2 - 1/alpha``);
    each regime is named at the centre of its region, with ``annotate(name)`` appended if given. ``levels``:
    labelled contour lines of ``quantity`` (the same levels on two diagrams show where they differ).
    """
    X, Y = np.meshgrid(xs, ys)
    grid = regime_values(model, x, y, X, Y, quantity, **fixed)
    return _draw(ax, model, x, y, xs, ys, grid, label, vmax, annotate, levels)


def phase_difference(ax, model, x, y, xs, ys, first: dict, second: dict, quantity: str = "compute_optimal.loss",
                     label: str = r"$\Delta r_C$", levels=None, annotate=None):
    r"""Draw ``quantity`` at the choices ``second`` minus at ``first`` over the ``(x, y)`` plane (e.g. the
    rich gain in :math:`r_C` over lazy training); white where they agree. Returns the colour mesh."""
    X, Y = np.meshgrid(xs, ys)
    grid = regime_values(model, x, y, X, Y, quantity, **second) - regime_values(model, x, y, X, Y, quantity, **first)
    return _draw(ax, model, x, y, xs, ys, grid, label, None, annotate, levels, cmap="Oranges", lines="black")


def _draw(ax, model, x, y, xs, ys, grid, label, vmax, annotate, levels, cmap=style.CMAP, lines="white"):
    """The colour mesh of ``grid`` with its colour bar, contour lines at ``levels``, boundaries, regime names."""
    mesh = ax.pcolormesh(xs, ys, grid, shading="auto", cmap=cmap, vmin=0, vmax=vmax)
    bar = ax.figure.colorbar(mesh, ax=ax, label=label)
    from matplotlib.patheffects import withStroke

    if levels is not None:
        contours = ax.contour(xs, ys, grid, levels=levels, colors=lines, linewidths=0.9)
        ax.clabel(contours, fmt=lambda v: f"{v:.2g}", fontsize=style.MIN_PRINT_PT)
        bar.add_lines(contours)
    X, Y = np.meshgrid(xs, ys)
    halo = [withStroke(linewidth=3, foreground="white")]  # visible on dark and light colours alike
    for b, ls in zip(boundaries(model, y), ("-", "--", ":", "-.")):
        ax.plot(xs, sp.lambdify(x, b, "numpy")(xs) * np.ones_like(xs), color="black", ls=ls, lw=1.3,
                path_effects=halo, label=f"boundary ${sp.latex(y)} = {sp.latex(b)}$")
    for name, mask in regime_masks(model, x, y, X, Y).items():
        if mask.any():
            text = "\n".join([name] + [style.math_label(line) for line in (annotate(name) if annotate else "").splitlines()])
            ax.text(np.median(X[mask]), np.median(Y[mask]), text, ha="center", va="center", fontsize=8,
                    color="white", bbox={"facecolor": "black", "alpha": 0.35, "lw": 0, "pad": 1.5})
    ax.set_xlabel(f"${sp.latex(x)}$")
    ax.set_ylabel(f"${sp.latex(y)}$")
    ax.set_ylim(ys[0], ys[-1])
    style.legend(ax, loc="upper left")
    return mesh


__all__ = ["regime_masks", "regime_values", "regime_result", "boundaries", "phase_diagram", "phase_difference"]
