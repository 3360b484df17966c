"""The report's agreement chart: every check's relative deviation beside its tolerance."""

from __future__ import annotations

import numpy as np

from . import style


def agreement_chart(ax, rows: dict) -> bool:
    """Bars of ``|theory - numerics| / |theory|`` per check (by model), the tolerance as a black tick;
    bars beyond their tolerance in vermillion. ``rows``: ``{model: [AgreementRow]}``; False if empty."""
    items = [(f"{model}: {r.quantity}", r) for model, rs in rows.items() for r in rs]
    if not items:
        return False
    y = np.arange(len(items))
    devs = [max(r.rel_dev, 1e-16) for _, r in items]
    colors = [{"within": style.color(0), "beyond": style.color(1)}.get(r.verdict, "0.7") for _, r in items]
    ax.barh(y, devs, color=colors)
    from matplotlib.patches import Patch

    tick, = ax.plot([r.tolerance for _, r in items], y, "|", color="black", ms=9, mew=1.5)
    handles = [tick, Patch(color=style.color(0)), Patch(color=style.color(1)), Patch(color="0.7")]
    labels = ["tolerance of the check", "within tolerance", "beyond tolerance (see table)", "not resolved at this size"]
    ax.set_yticks(y, [style.math_label(label[:70]) for label, _ in items], fontsize=6)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel(r"$|\mathrm{theory} - \mathrm{numerics}|\,/\,|\mathrm{theory}|$")
    ax.set_title("measured agreement of closed forms with numerics")
    style.log_ticks(ax, "x")
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.06 - 0.5 / len(items)), ncol=2,
              fontsize=style.FONT["legend.fontsize"])  # below the axes: hides no bar
    return True


__all__ = ["agreement_chart"]
