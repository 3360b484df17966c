r"""Figures of the multitask sparse parity model (Nam et al. 2024); each takes its axes.

* :func:`emergence` -- Fig. 1a at laptop size: network skill strengths (solid, 1 s.d. band) against
  the calibrated Eq. (14) (dashed), and emergence steps against :math:`k` with the :math:`k^{\alpha+1}` law;
* :func:`scaling` -- the loss against t, D, N (Fig. 2) and the compute frontier against C (Fig. 3)
  from the exact sums (lines) with the power laws and their prefactors (dashed).
"""

from __future__ import annotations

import numpy as np

from .. import figure_style as style

CAPTIONS = {
    "sparse_parity_emergence": "Sparse parity, two-layer ReLU networks (alpha = 0.6, n_s = 5): skill strengths against "
                               "training steps, dataset size and width (solid, seed mean with 1 s.d. band) against the "
                               "model calibrated once on a one-skill run (dashed: Eqs. 14, 17, 21); right: emergence "
                               "points against k, network (seed means, 95 % interval) and model (the runs of the "
                               "agreement table).",
    "sparse_parity_scaling": "Sparse parity: exact loss sums (solid) against the power laws with their prefactors (dashed) "
                             "in T, D, N and at the compute optimum in C.",
}

#: the JSON's resource names and the paper's symbols (the paper writes T for time)
SCALING = (("t", "T"), ("D", "D"), ("N", "N"), ("C", "C"))
#: axis label and model equation of each network experiment
_AXES = {"t": ("SGD steps $T$", "Eq. (14)", r"\tau_k"), "D": ("training points $D$", "Eq. (17)", "D_k"),
         "N": ("hidden units $N$", "Eq. (21)", "N_k")}


def emergence(axes, exp):
    """Two panels from one emergence experiment ``exp`` (an
    :class:`~scalingtheory.numerics.parity_network.EmergenceResult`): skill strengths against the resource,
    and the emergence points against ``k``."""
    ax, ax2 = axes
    xlabel, eq, point = _AXES[exp.resource]
    S = exp.task.S
    for j in range(exp.R_net.shape[1]):
        mean, sd = exp.R_net[:, j] / S, exp.R_net_sd[:, j] / S
        ax.plot(exp.grid, mean, color=style.color(j), marker="o" if exp.resource != "t" else None, ms=3,
                label=f"$k={j + 1}$ network")
        ax.fill_between(exp.grid, mean - sd, mean + sd, color=style.color(j), alpha=0.2, lw=0)
        ax.plot(exp.grid, exp.R_model[:, j] / S, color=style.color(j), ls="--", label=f"$k={j + 1}$ {eq}")
    ax.axhline(exp.threshold, color="0.5", lw=0.8, ls=":")
    ax.set(xlabel=xlabel, ylabel=r"$\mathcal{R}_k / S$", xscale="linear" if exp.resource != "D" else "log",
           title=rf"network vs {eq}, one constant ${_CONSTANT[exp.constant]} = {exp.value:.3g}$")
    style.legend(ax, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.16))  # below: hides no curve
    ks = np.arange(1, exp.R_net.shape[1] + 1)
    ax2.plot(ks, exp.points_model, "s--", color=style.color(0), label=f"calibrated {eq}")
    stats = [exp.point(k) for k in ks]
    mean = np.array([m for m, _ in stats])
    low, high = np.array([c[0] for _, c in stats]), np.array([c[1] for _, c in stats])
    full = np.array([exp.reached(k) == exp.points_net.shape[0] for k in ks])
    err = np.where(np.isfinite(low), [mean - low, high - mean], 0)
    for mask, marker, text in ((full, "o", f"network (slope {exp.slope_net:.2f})"),
                               (~full, "^", "network, a seed never reached it: lower bound")):
        mask = mask & np.isfinite(mean)
        if mask.any():
            ax2.errorbar(ks[mask], mean[mask], yerr=err[:, mask], fmt=marker, color=style.color(1), capsize=3,
                         label=text)
    ax2.set(xscale="log", yscale="log", xlabel="skill $k$", ylabel=rf"${point}$ ($\mathcal{{R}}_k/S = {exp.threshold:g}$)")
    ax2.set_xticks(ks, [str(k) for k in ks])
    ax2.minorticks_off()
    style.legend(ax2, loc="upper left")


#: the fitted constant's symbol in a title
_CONSTANT = {"kappa_T": r"\kappa_T", "D_c": "D_c", "N_c": "N_c"}


def scaling(axes, model, n_s: int, log10_C_max: float):
    """Four panels (t, D, N, C) at alpha = 0.3, 0.6, 0.9 and the paper's S = 1, r = 0.01, eta = 1."""
    from ..models.sparse_parity import power_laws
    from ..numerics import sparse_parity as num

    grids = {"t": np.geomspace(1, 1e4, 30), "D": np.unique(np.geomspace(1, 1e3, 30).round()),
             "N": np.unique(np.geomspace(1, 1e2, 30).round()), "C": np.geomspace(1e2, 10.0 ** log10_C_max, 12)}
    widths = np.unique(np.geomspace(1, n_s, 80).astype(int))
    for j, a in enumerate((0.3, 0.6, 0.9)):
        laws = power_laws(model, str(a))
        exact = {"t": num.time_width_loss(grids["t"], n_s, a, n_s), "D": num.data_loss(grids["D"], a, n_s),
                 "N": num.width_loss(grids["N"].astype(int), a, n_s),
                 "C": num.compute_frontier(grids["C"], a, n_s, widths=widths)[0]}
        for ax, (x, paper) in zip(axes, SCALING):
            prefactor, exponent = laws[x]
            ax.plot(grids[x], exact[x], color=style.color(j), label=rf"$\alpha={a}$ exact sum")
            ax.plot(grids[x], prefactor * grids[x] ** -float(exponent), color=style.color(j), ls="--",
                    label=rf"$\alpha={a}$: $A_{paper}$" + style.power(paper, -exponent))
    for ax, (x, paper) in zip(axes, SCALING):
        ax.set(xscale="log", yscale="log", xlabel=f"${paper}$", ylabel="loss",
               title=f"loss against ${paper}$: exact, $A_{paper}\\,{paper}^{{-r}}$")  # line styles: legend
        style.log_ticks(ax)
        style.legend(ax, loc="lower left")


def write(model, out_dir, sizes: dict) -> list:
    """The emergence figure (the runs the checks use: time, data, width) and the scaling figure."""
    from ..models.sparse_parity import emergence_experiment

    quick = sizes["n_s"] < 10**5
    fig, axes = style.figure(2, 3, width=5.4, height=4.4)
    for row, resource in enumerate(("t", "D", "N")):
        emergence(axes[2 * row: 2 * row + 2], emergence_experiment(resource, quick))
    paths = [style.save(fig, out_dir / "sparse_parity_emergence.png")]
    if sizes.get("theory", True):   # exact sums against their laws, no check's run (plots.write_figures)
        fig, axes = style.figure(4, width=3.6, height=3.6)
        scaling(axes, model, sizes["n_s"], sizes["log10_C_max"])
        fig.suptitle(f"multitask sparse parity, $S = 1$, $r = 0.01$, $\\eta = 1$, "
                     f"$n_s = 10^{{{int(np.log10(sizes['n_s']))}}}$")
        paths.append(style.save(fig, out_dir / "sparse_parity_scaling.png"))
    return paths


__all__ = ["emergence", "scaling", "write"]
