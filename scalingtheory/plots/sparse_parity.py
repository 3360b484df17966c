r"""Figures of the multitask sparse parity model (Nam et al. 2024); each takes its axes.

* :func:`emergence` -- Fig. 1a at laptop size: network skill strengths (solid, 1 s.d. band) against
  the calibrated Eq. (14) (dashed), and emergence steps against :math:`k` with the :math:`k^{\alpha+1}` law;
* :func:`scaling` -- the loss against t, D, N (Fig. 2) and the compute frontier against C (Fig. 3)
  from the exact sums (lines) with the power laws and their prefactors (dashed).
"""

from __future__ import annotations

import numpy as np

from . import style

CAPTIONS = {
    "sparse_parity_emergence": "Sparse parity: network skill strengths (solid, 1 s.d. band) against the calibrated Eq. (14) "
                               "(dashed); right: emergence steps against k with the k^(alpha+1) law (the run of the "
                               "agreement table in full reports).",
    "sparse_parity_scaling": "Sparse parity: exact loss sums (solid) against the power laws with their prefactors (dashed) "
                             "in T, D, N and at the compute optimum in C.",
}

#: the JSON's resource names and the paper's symbols (the paper writes T for time)
RESOURCES = (("t", "T"), ("D", "D"), ("N", "N"), ("C", "C"))


def emergence(axes, exp):
    """Two panels from one run of the emergence experiment ``exp`` (a
    :class:`~scalingtheory.numerics.parity_network.EmergenceResult`)."""
    ax, ax2 = axes
    for j in range(exp.R_net.shape[1]):
        mean, sd = exp.R_net[:, j] / exp.task.S, exp.R_net_sd[:, j] / exp.task.S
        ax.plot(exp.T, mean, color=style.color(j), label=f"$k={j + 1}$ network (1 s.d. band)")
        ax.fill_between(exp.T, mean - sd, mean + sd, color=style.color(j), alpha=0.2, lw=0)
        ax.plot(exp.T, exp.R_model[:, j] / exp.task.S, color=style.color(j), ls="--",
                label=f"$k={j + 1}$ Eq. (14)")
    ax.set(xlabel="SGD steps $T$", ylabel=r"$\mathcal{R}_k / S$",
           title=rf"$\alpha={exp.task.alpha}$, $S={exp.task.S:g}$: network vs Eq. (14), $\kappa_T={exp.kappa_T:.3g}$")
    style.legend(ax, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.14))  # below: hides no curve
    ks = np.arange(1, exp.R_net.shape[1] + 1)
    ax2.plot(ks, exp.tau_model, "s--", color=style.color(0), label="calibrated Eq. (14)")
    seen = np.isfinite(exp.tau_net)
    ax2.plot(ks[seen], exp.tau_net[seen], "o", color=style.color(1),
             label=f"network (fitted slope {exp.slope_net:.3f})")
    ax2.plot(ks, exp.tau_model[0] * ks ** (exp.task.alpha + 1.0), ":", color=style.PALETTE[0], lw=1.5, zorder=3,
             label=r"law $k^{\alpha+1}$ = " + style.power("k", exp.task.alpha + 1) + " (through k = 1)")
    ax2.set(xscale="log", yscale="log", xlabel="skill $k$",
            ylabel=rf"emergence step ($\mathcal{{R}}_k/S = {exp.task.epsilon:g}$)")
    ax2.set_xticks(ks, [str(k) for k in ks])
    ax2.minorticks_off()
    style.legend(ax2, loc="upper left")


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
        for ax, (x, paper) in zip(axes, RESOURCES):
            prefactor, exponent = laws[x]
            ax.plot(grids[x], exact[x], color=style.color(j), label=rf"$\alpha={a}$ exact sum")
            ax.plot(grids[x], prefactor * grids[x] ** -float(exponent), color=style.color(j), ls="--",
                    label=rf"$\alpha={a}$: $A_{paper}$" + style.power(paper, -exponent))
    for ax, (x, paper) in zip(axes, RESOURCES):
        ax.set(xscale="log", yscale="log", xlabel=f"${paper}$", ylabel="loss",
               title=f"loss against ${paper}$: exact, $A_{paper}\\,{paper}^{{-r}}$")  # line styles: legend
        style.log_ticks(ax)
        style.legend(ax, loc="lower left")


def write(model, out_dir, sizes: dict) -> list:
    """The emergence figure (the run the full checks use) and the scaling figure."""
    from ..models.sparse_parity import emergence_experiment

    quick = sizes["n_s"] < 10**5
    fig, axes = style.figure(2, width=5.4, height=4.2)
    emergence(axes, emergence_experiment(quick))
    paths = [style.save(fig, out_dir / "sparse_parity_emergence.png")]
    fig, axes = style.figure(4, width=3.6, height=3.6)
    scaling(axes, model, sizes["n_s"], sizes["log10_C_max"])
    fig.suptitle(f"multitask sparse parity, $S = 1$, $r = 0.01$, $\\eta = 1$, $n_s = 10^{{{int(np.log10(sizes['n_s']))}}}$")
    paths.append(style.save(fig, out_dir / "sparse_parity_scaling.png"))
    return paths


__all__ = ["emergence", "scaling", "write"]
