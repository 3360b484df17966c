r"""Figures of the feature-learning model (Bordelon, Atanasov & Pehlevan 2025); each takes its axes.

* :func:`phases` -- the :math:`(\alpha,\beta)` plane of lazy or rich training coloured by the exact
  :math:`r_C` (paper Fig. 1b,c), through the common :func:`~scalingtheory.plots.phase.phase_diagram`;
* :func:`chi` -- :math:`\chi(\beta)` lazy vs rich (Eq. 10) with slopes measured on the mean-field solution;
* :func:`mean_field` -- finite-width losses approaching the :math:`N=\infty` solution;
* :func:`network_curves`, :func:`network_slopes` -- two-layer ReLU networks on the circle trained by online
  SGD, lazy and rich, on the hard, easy and super-easy targets: loss curves, and local slopes with their
  intervals beside the closed forms (issue 23);
* :func:`frontier` -- the compute-optimal frontier :math:`\min_N L(N, C/N)` with the closed-form slopes.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .. import figure_style as style
from .phase import phase_diagram, phase_difference

#: contour levels of r_C drawn on both phase diagrams (shared, so that their difference shows)
LEVELS = np.round(np.arange(0.1, 1.0, 0.1), 1)

CAPTIONS = {
    "feature_learning_phases_lazy": "Feature learning, lazy training: the (alpha, beta) plane coloured by the exact r_C; "
                                    "black lines: regime boundaries; labels: regime and dominant terms as t grows.",
    "feature_learning_phases_rich": "Feature learning, rich training: as the lazy diagram, on the same colour scale and "
                                    "contour levels (white lines): in the hard regime the contours move, the rich r_C "
                                    "is larger.",
    "feature_learning_phases_gain": "Rich minus lazy compute-optimal exponent r_C over the (alpha, beta) plane: the gain "
                                    "of feature learning, positive only in the hard regime (beta < 1), zero (white) "
                                    "where lazy and rich share all exponents.",
    "feature_learning_chi": "Time exponent chi(beta): Eq. 10 (lines) against local slopes of the mean-field solution "
                            "(markers); rich slopes at small beta approach Eq. 10 only after the lazy-to-rich crossover.",
    "feature_learning_mean_field": "Finite-width losses (exact reduced flow, seed means) approaching the N = oo mean-field "
                                   "solution, lazy and rich.",
    "feature_learning_network_curves": "Two-layer ReLU networks on the circle, online SGD: test loss (seed mean) of lazy "
                                       "(gamma -> 0) and rich training on the hard, easy and super-easy targets.",
    "feature_learning_network_slopes": "Local time exponents of the circle networks (one-decade windows, 95% interval "
                                       "over seeds) with the closed forms (dashed: lazy beta or 2 - 1/alpha, dotted: rich "
                                       "2 beta/(1 + beta)).",
    "feature_learning_three_layer": "Three-layer network on the circle (frozen random step units, trained linear middle "
                                    "layer and readout: the solvable model's trained layers): local time exponents on "
                                    "the hard and easy tasks, lazy and rich, with the closed forms (dashed: lazy, "
                                    "dotted: rich; 1/2, 2/3 and 5/4).",
    "feature_learning_frontier": "Compute-optimal frontier min over N of the exact finite-width loss at C = N t (seed "
                                 "mean), lazy and rich, alpha = 2, beta = 1/2, with lines of the closed-form slopes.",
}

ALPHA_RANGE = (1.02, 4.0)
BETA_RANGE = (0.02, 3.0)


def phases(ax, model, training: str, n: int = 120, vmax=None):
    """Phase diagram of ``training``; regimes are annotated with their dominance order ("A -> B")."""
    from ..symbols import alpha, beta

    def order(name):
        p = model.representative(name)
        return "\n→ ".join(s.split(" (")[0] for s in model.dominance(p, model.regime(p)))

    mesh = phase_diagram(ax, model, alpha, beta, np.linspace(*ALPHA_RANGE, n), np.linspace(*BETA_RANGE, n),
                         label=r"compute-optimal exponent $r_C$ ($L^*\sim C^{-r_C}$)", vmax=vmax,
                         annotate=order, levels=LEVELS, training=training)
    ax.set_title(f"{training} training, $C = Nt$ (online SGD)")
    return mesh


def measured_chi(betas, gamma: float, modes: int = 20000) -> np.ndarray:
    """Mean-field slopes at ``betas`` (:func:`scalingtheory.models.feature_learning.chi_slope`)."""
    from ..models.feature_learning import chi_slope

    return np.array([chi_slope(b, gamma, modes) for b in betas])


def chi(ax, points, modes: int):
    """chi(beta) lazy vs rich (exact Eq. 10, lines) and mean-field slopes at ``points`` (markers)."""
    from ..models.feature_learning import chi as chi_expr
    from ..symbols import beta

    bs = np.linspace(0.01, 2.0, 200)
    for i, (training, gamma, marker) in enumerate((("lazy", 0.0, "o"), ("rich", 1.0, "s"))):
        f = sp.lambdify(beta, chi_expr(beta, training), "numpy")
        ax.plot(bs, f(bs) * np.ones_like(bs), color=style.color(i), label=rf"{training}, Eq. 10")
        ax.plot(points, measured_chi(points, gamma, modes), marker, color=style.color(i), mfc="none",
                label=f"{training}" + (r" ($\gamma=1$)" if gamma else "") + r", mean-field slope on $t\in[10^3,10^4]$")
    ax.axvline(1, color="0.5", lw=0.8, ls=":", label=r"$\beta = 1$ (hard/easy boundary)")
    ax.set_xlabel(r"source $\beta$")
    ax.set_ylabel(r"$\chi(\beta)$, $L\sim t^{-\chi}$")
    ax.set_title(r"time exponent $\chi$ ($\alpha=2$)")
    ax.text(0.98, 0.03, "rich slopes reach Eq. 10 only after the lazy-to-rich\n"
            r"crossover $t_\times\sim\gamma^{-1/(1-\beta)}$, late for small $\beta$", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=7)
    style.legend(ax, loc="upper left")


def mean_field(ax, M: int, widths, seeds):
    """Finite-width losses (exact reduced flow, seed means) approaching the N = oo solution."""
    from ..numerics.feature_learning import gradient_flow
    from ..numerics.mean_field import gradient_flow_loss, infinite_width_problem

    ts = np.geomspace(1, 1e5, 60)
    for i, gamma in enumerate((0.0, 1.0)):
        ax.plot(ts, gradient_flow_loss(infinite_width_problem(2, 0.5, M), gamma, ts), color=style.color(i), lw=2,
                label=rf"$N=\infty$, $\gamma={gamma:g}$")
        for j, width in enumerate(widths):
            L = gradient_flow(2, 0.5, M, width, gamma, ts, seeds=seeds).mean(0)
            ax.plot(ts, L, color=style.color(i), lw=0.8, ls=("--", ":", "-.")[j],
                    label=rf"$N={width}$, $\gamma={gamma:g}$ ({len(seeds)} seeds)")
    ax.set(xscale="log", yscale="log", xlabel="$t$", ylabel="test loss",
           title=r"$\alpha=2,\ \beta=1/2$: finite $N$ vs mean field")
    style.log_ticks(ax)
    style.legend(ax, ncol=2, loc="lower left")


def _network_runs(quick: bool) -> dict:
    """``{(task, training): Measurement}`` of the model's network checks (cached there)."""
    from ..models.feature_learning import NETWORK_TASKS, _network

    return {(task, tr): _network(task, tr, quick) for task in NETWORK_TASKS for tr in ("lazy", "rich")}


def network_curves(ax, runs: dict):
    """Seed-mean test loss against steps, one colour per task, solid lazy and dashed rich."""
    for i, task in enumerate(dict.fromkeys(k[0] for k in runs)):
        for tr, ls in (("lazy", "-"), ("rich", "--")):
            run = runs[task, tr].run
            ax.plot(run.times[1:], run.mean[1:], ls, color=style.color(i),
                    label=rf"{task}, {tr} ($\gamma={run.settings['gamma']:g}$, $B={run.settings['batch']}$)")
    ax.set(xscale="log", yscale="log", xlabel="online-SGD steps $t$", ylabel="test loss",
           title=f"ReLU MLP on the circle, width {run.settings['width']}")
    style.log_ticks(ax)
    style.legend(ax, loc="lower left")


def network_slopes(ax, runs: dict, model):
    """Local slopes (one-decade windows, 95% interval over seeds) and the closed-form exponents."""
    from ..models.feature_learning import NETWORK_TASKS

    for i, (task, b) in enumerate(NETWORK_TASKS.items()):
        for tr, marker in (("lazy", "o"), ("rich", "s")):
            t, slope, (lo, hi) = runs[task, tr].run.local_slopes()
            ax.errorbar(t, slope, yerr=[slope - lo, hi - slope], fmt=marker, ms=3, mfc="none", color=style.color(i),
                        lw=0.6, label=f"{task}, {tr}")
            theory = float(model.analyze(alpha=2, beta=b, training=tr).exponents["t"].value)
            ax.axhline(theory, color=style.color(i), lw=0.8, ls="--" if tr == "lazy" else ":")
    ax.set(xscale="log", xlabel="steps $t$ (window centre)", ylabel=r"local $-d\log L/d\log t$",
           title="measured time exponents vs closed forms")
    style.legend(ax, loc="upper left", ncol=2)


def three_layer(ax, model, quick: bool):
    """The three-layer network's local slopes (its tasks, lazy and rich) with the closed forms."""
    from ..models.feature_learning import NETWORK3_TASKS, NETWORK_TASKS, _network3

    for i, task in enumerate(NETWORK3_TASKS):
        for tr, marker in (("lazy", "o"), ("rich", "s")):
            m = _network3(task, tr, quick)
            t, slope, (lo, hi) = m.run.local_slopes()
            ax.errorbar(t, slope, yerr=[slope - lo, hi - slope], fmt=marker, ms=3, mfc="none", color=style.color(i),
                        lw=0.6, label=rf"{task}, {tr} ($\gamma={m.run.settings['gamma']:g}$, "
                                      rf"$M={m.run.settings['features']}$): {m.fit.exponent:.3f} "
                                      rf"[{m.fit.ci[0]:.3f}, {m.fit.ci[1]:.3f}]")
            theory = model.analyze(alpha=2, beta=NETWORK_TASKS[task], training=tr).exponents["t"]
            ax.axhline(float(theory.value), color=style.color(i), lw=0.8, ls="--" if tr == "lazy" else ":")
    ax.set(xscale="log", xlabel="steps $t$ (window centre)", ylabel=r"local $-d\log L/d\log t$",
           title="three-layer network (frozen step units $M$)")
    style.legend(ax, loc="upper left")


def frontier(ax, fronts: dict, model):
    """``fronts``: ``{training: Frontier}``; markers L*(C), lines C^-r_C of the closed forms through the last point."""
    for i, (tr, fr) in enumerate(fronts.items()):
        r = float(model.analyze(alpha=2, beta="1/2", training=tr, optimizer="gf").compute_optimal.loss.value)
        ci = "" if fr.loss_ci is None else f" [{fr.loss_ci[0]:.3f}, {fr.loss_ci[1]:.3f}]"
        ax.plot(fr.computes, fr.loss, "o", color=style.color(i), mfc="none",
                label=f"{tr}: measured $r_C$ = {fr.loss_exponent:.3f}{ci}")
        ax.plot(fr.computes, fr.loss[-1] * (fr.computes / fr.computes[-1]) ** -r, color=style.color(i), lw=0.8,
                label=f"{tr}: closed form $r_C$ = {sp.nsimplify(r)}")
    ax.set(xscale="log", yscale="log", xlabel="compute $C = N t$", ylabel=r"$L^*(C)=\min_N L(N, C/N)$",
           title=r"compute-optimal frontier, $\alpha=2,\ \beta=1/2$")
    style.log_ticks(ax)
    style.legend(ax, loc="lower left")


def write(model, out_dir, sizes: dict) -> list:
    """Two phase diagrams (same colour scale and contours), their difference, chi(beta), finite N vs mean field."""
    from ..symbols import alpha, beta
    from .phase import regime_values

    paths = []
    if sizes.get("theory", True):   # closed forms only (plots.write_figures)
        A, Bt = np.meshgrid(np.linspace(*ALPHA_RANGE, sizes["n"]), np.linspace(*BETA_RANGE, sizes["n"]))
        vmax = float(np.nanmax(regime_values(model, alpha, beta, A, Bt, training="rich")))
        for training in ("lazy", "rich"):
            fig, ax = style.figure(width=5.6, height=4.4)
            phases(ax, model, training, sizes["n"], vmax)
            paths.append(style.save(fig, out_dir / f"feature_learning_phases_{training}.png"))
        fig, ax = style.figure(width=5.6, height=4.4)
        phase_difference(ax, model, alpha, beta, np.linspace(*ALPHA_RANGE, sizes["n"]),
                         np.linspace(*BETA_RANGE, sizes["n"]), {"training": "lazy"}, {"training": "rich"},
                         label=r"$r_C$(rich) $-$ $r_C$(lazy)", levels=(0.02, 0.05, 0.08))
        ax.set_title("gain of feature learning in $r_C$, $C = Nt$ (online SGD)")
        paths.append(style.save(fig, out_dir / "feature_learning_phases_gain.png"))
    fig, ax = style.figure(width=5.6, height=4.2)
    chi(ax, np.array(sizes["chi_points"]), sizes["modes"])
    paths.append(style.save(fig, out_dir / "feature_learning_chi.png"))
    fig, ax = style.figure(width=5.6, height=4.2)
    mean_field(ax, sizes["M"], sizes["widths"], seeds=range(3))
    paths.append(style.save(fig, out_dir / "feature_learning_mean_field.png"))
    return paths + network_figures(model, out_dir, sizes["quick"])


def network_figures(model, out_dir, quick: bool) -> list:
    """The circle networks' loss curves and local slopes (two-layer ReLU, three-layer), and the compute-optimal
    frontier (the checks' runs)."""
    from ..models.feature_learning import _frontier

    runs = _network_runs(quick)
    paths = []
    fig, ax = style.figure(width=5.6, height=4.2)
    network_curves(ax, runs)
    paths.append(style.save(fig, out_dir / "feature_learning_network_curves.png"))
    fig, ax = style.figure(width=5.6, height=4.2)
    network_slopes(ax, runs, model)
    paths.append(style.save(fig, out_dir / "feature_learning_network_slopes.png"))
    fig, ax = style.figure(width=5.6, height=4.2)
    three_layer(ax, model, quick)
    paths.append(style.save(fig, out_dir / "feature_learning_three_layer.png"))
    fig, ax = style.figure(width=5.6, height=4.2)
    frontier(ax, {"lazy": _frontier(0.0, quick), "rich": _frontier(1.0, quick)}, model)
    paths.append(style.save(fig, out_dir / "feature_learning_frontier.png"))
    return paths


__all__ = ["phases", "measured_chi", "chi", "mean_field", "network_curves", "network_slopes", "three_layer", "frontier",
           "network_figures", "ALPHA_RANGE", "BETA_RANGE", "write"]
