"""Figures of experiment design: the fit -> plan -> train loop (:mod:`scalingtheory.fitting.loop`)."""

from __future__ import annotations

import numpy as np

from .. import figure_style as style

CAPTIONS = {"plan_loop": "Following the plan: the estimate of N*(C) at the target budget with its 95% interval "
                         "(delta method) after each round of planned runs, against the compute spent on all runs "
                         "so far; the dashed line is the true N*(C) of the law the runs were drawn from."}


def loop(rounds, ax=None, target: str = "N", budget: float | None = None):
    """``X*(C)`` with its interval after each round of :func:`~scalingtheory.fitting.loop.simulate_loop`
    against the compute spent, and the true value; returns the axes."""
    if ax is None:
        _, ax = style.figure(width=5.0, height=3.4)
    spent = np.array([r.spent for r in rounds])
    est = np.array([r.estimate.value for r in rounds])
    err = np.array([[r.estimate.value - r.estimate.lo, r.estimate.hi - r.estimate.value] for r in rounds]).T
    ax.errorbar(spent, est, yerr=err, fmt="o", color=style.color(0), capsize=3, label="fit after each round (95%)")
    ax.axhline(rounds[0].truth, color=style.color(1), ls="--", label=f"true {target}*")
    for r, x, y in zip(rounds, spent, est):
        ax.annotate(f"{r.runs} runs", (x, y), textcoords="offset points", xytext=(4, 6), fontsize=7)
    ax.set(xscale="log", yscale="log", xlabel="compute spent on all runs (FLOPs)",
           ylabel=f"{target}*" + ("" if budget is None else f" at C = {budget:.0e}"))
    style.legend(ax)
    return ax


def write_loop(rounds, path, target: str = "N", budget: float | None = None):
    """Draw :func:`loop` into a new figure and save it as PNG at ``path`` (a temporary name, renamed)."""
    fig, ax = style.figure(width=5.0, height=3.4)
    loop(rounds, ax, target, budget)
    return style.save(fig, path)
