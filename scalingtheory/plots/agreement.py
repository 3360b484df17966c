"""The report's agreement chart: every check's relative deviation beside its tolerance."""

from __future__ import annotations

import numpy as np

from .. import figure_style as style

#: bar colours by verdict (not resolved: grey)
VERDICT_COLORS = {"within": style.color(0), "beyond": style.color(1), "not resolved": "0.72"}
#: figure height per check and for the axis, title and legend (inches): labels print at 7-8 pt
ROW_HEIGHT, FRAME_HEIGHT = 0.24, 1.5


def chart_size(n_rows: int) -> tuple[float, float]:
    """``(width, height)`` in inches of a chart of ``n_rows`` checks, at print size (:data:`style.PRINT_SIZE`)."""
    return style.PRINT_SIZE[0], ROW_HEIGHT * n_rows + FRAME_HEIGHT


def agreement_chart(ax, rows: dict) -> bool:
    """Bars of ``|theory - numerics| / |theory|`` per check (by model), coloured by verdict, the tolerance
    drawn over each bar as a black tick with a white halo (visible where the bar passes it); a check not
    resolved at its size is grey. ``rows``: ``{model: [AgreementRow]}``; False if empty."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.patheffects import withStroke

    items = [(model, r) for model, rs in rows.items() for r in rs]
    if not items:
        return False
    y = np.arange(len(items))
    devs = [r.rel_dev if np.isfinite(r.rel_dev) and r.rel_dev > 0 else np.nan for _, r in items]
    ax.barh(y, devs, height=0.55, color=[VERDICT_COLORS[r.verdict] for _, r in items], zorder=2)
    ax.scatter([r.tolerance for _, r in items], y, marker="|", s=260, linewidths=2.2, color="black", zorder=3,
               path_effects=[withStroke(linewidth=4.5, foreground="white")])
    many = len(rows) > 1
    labels = [style.math_label(f"{m}: {r.quantity}" if many else r.quantity)[:90] for m, r in items]
    ax.set_yticks(y, labels, fontsize=style.MIN_PRINT_PT + 0.5)
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_xscale("log")
    ax.grid(axis="x", color="0.9", zorder=0)
    ax.set_xlabel(r"relative deviation $|\mathrm{theory} - \mathrm{numerics}|\,/\,|\mathrm{theory}|$")
    handles = [Line2D([], [], color="black", marker="|", ls="", ms=12, mew=2.2),
               *[Patch(color=c) for c in VERDICT_COLORS.values()]]
    labels = ["tolerance of the check", "within tolerance", "beyond tolerance (reason in the table)",
              "not resolved at this size"]
    style.log_ticks(ax, "x")
    ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False,
              fontsize=style.MIN_PRINT_PT + 0.5)  # above the axes: hides no bar
    return True


__all__ = ["agreement_chart", "chart_size", "VERDICT_COLORS"]
