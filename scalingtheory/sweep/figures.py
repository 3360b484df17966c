"""Figures of a sweep's analysis (``exponents.json`` content), drawn on a given matplotlib axis.

One grid parameter varying (or none): measured exponents with their jackknife-t intervals
(markers, error bars) and the closed form (black bars, with the band of a stated systematic
error when the spec gives one) along that parameter; a verdict other than *agree* is written
beside it. Two grid
parameters varying: a phase-plane map, the measured exponent as colour, each cell annotated
with ``measured (closed form)`` and framed in vermillion when the verdict is ``disagree``.
"""

from __future__ import annotations

import numpy as np

from .. import figure_style as style


def _varying(points: list[dict], names: list[str]) -> list[str]:
    return [n for n in names if len({p[n] for p in points}) > 1]


def draw(ax, exponents: dict, resource: str):
    """Draw the figure of ``resource`` on ``ax`` and return ``ax``."""
    points = exponents["points"]
    names = list(exponents["spec"]["grid"])
    varying = _varying(points, names)
    if len(varying) == 2:
        _phase_plane(ax, points, resource, *varying)
    else:
        _along(ax, points, resource, varying[0] if varying else None, exponents.get("tolerance", 0))
    ax.set_title(f"{exponents['model']} / {exponents['route']}: decay rate in {resource}", fontsize=9)
    return ax


def _along(ax, points: list[dict], resource: str, name: str | None, tol: float = 0):
    x = np.array([p[name] if name else i for i, p in enumerate(points)], dtype=float)
    meas = [p["measured"].get(resource) for p in points]
    val = np.array([m["value"] if m else np.nan for m in meas])
    err = np.array([[m["value"] - m["lo"], m["hi"] - m["value"]] if m else [0, 0] for m in meas], dtype=float).T
    ok = np.isfinite(val) & np.all(np.isfinite(err), axis=0)
    ax.errorbar(x[ok], val[ok], yerr=np.clip(err[:, ok], 0, None), fmt="o", color=style.color(0), capsize=3,
                label="measured (95% jackknife-t CI over seeds)")
    th = np.array([p["theory"].get(resource, np.nan) for p in points], dtype=float)
    ax.plot(x, th, "_", color=style.PALETTE[0], ms=18, mew=2, label="closed form (model)")
    if tol:                                      # a stated systematic error: the band the verdict used
        ax.errorbar(x, th, yerr=tol, fmt="none", ecolor=style.PALETTE[0], elinewidth=6, alpha=0.25,
                    label=f"closed form +- {tol:g} (stated systematic error)")
    for xi, p in zip(x, points):
        word = p.get("verdicts", {}).get(resource, {}).get("verdict", p["verdict"])
        if word != "agree":
            ax.annotate(word, (xi, p["theory"].get(resource, 0)), color=style.color(1), fontsize=7)
    ax.set_xlabel(name or "grid point")
    if name is None:
        ax.set_xticks(x, [p["point"] for p in points], rotation=30, fontsize=7)
    ax.set_ylabel(f"decay rate $r_{{{resource}}}$")
    style.legend(ax)


def _phase_plane(ax, points: list[dict], resource: str, xname: str, yname: str):
    xs = sorted({p[xname] for p in points})
    ys = sorted({p[yname] for p in points})
    grid = np.full((len(ys), len(xs)), np.nan)
    for p in points:
        i, j = ys.index(p[yname]), xs.index(p[xname])
        m = p["measured"].get(resource)
        grid[i, j] = m["value"] if m else np.nan
        th = p["theory"].get(resource)
        text = ("n/a" if m is None else f"{m['value']:.2f}") + ("" if th is None else f"\n({th:.2f})")
        ax.text(j, i, text, ha="center", va="center", fontsize=7,
                bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.6, "lw": 0})
        if p["verdict"] == "disagree":
            ax.add_patch(_frame(j, i))
    image = ax.imshow(grid, origin="lower", cmap=style.CMAP, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label=f"measured $r_{{{resource}}}$ (closed form in brackets)")
    ax.set_xticks(range(len(xs)), [f"{x:g}" for x in xs])
    ax.set_yticks(range(len(ys)), [f"{y:g}" for y in ys])
    ax.set(xlabel=xname, ylabel=yname)


def _frame(j: int, i: int):
    from matplotlib.patches import Rectangle

    return Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=style.color(1), lw=2)
