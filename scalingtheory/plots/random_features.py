r"""Figures of the random-feature model (Bordelon, Atanasov & Pehlevan 2024); each takes its axes.

* :func:`loss_curves` -- DMFT loss (lines) against exact finite-size simulations (markers, 95% CI),
  online and full batch (paper Fig. 2-3);
* :func:`compute_optimal` -- the DMFT loss minimised at fixed compute :math:`C = Nt` against the
  closed-form rule (and the published one where they differ);
* :func:`exponents` -- bottleneck exponents, :math:`r_C(\beta)`, and the regime map with the
  :math:`t^*/N^*` asymmetry boundary;
* :func:`finite_size` -- the exact-draw runs of the finite-size checks (issue 24): the early
  :math:`1/N` approach, the late :math:`N^{-c}` and the train-test gap from :math:`t=10^{-3}` to its plateau.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .. import figure_style as style
from .phase import phase_diagram, regime_result, regime_values

CAPTIONS = {
    "random_features_loss_curves": "Random features: DMFT loss (lines) against exact finite-size simulations (markers with "
                                   "95 % confidence intervals over seeds), online and full batch (dashed/crosses: train loss).",
    "random_features_compute_optimal": "Random features: the DMFT loss minimised over N at fixed C = N t (black markers) against "
                                       "the closed-form rule (solid) and, where it differs, the published rule (dashed); grey: "
                                       "loss curves at fixed N.",
    "random_features_finite_size": "Random features, exact draws with control variates (markers, 95 % intervals) "
                                   "against theory (lines). Left: N [L(t=1, N) - L(t=1, oo)] tends to the exact "
                                   "second-order coefficient (solid), not the DMFT's planar part (dashed). Middle: the "
                                   "converged loss against N with the law N^-alpha min(beta,1). Right: the train-test "
                                   "gap at infinite width from t = 1e-3 to its plateau: DMFT (lines) and the exact "
                                   "early rate 2 t (tr Lambda L0 + |Lambda w|^2)/P (dotted).",
    "random_features_exponents": "Random features: bottleneck exponents and the compute-optimal exponent against beta "
                                 "(dotted verticals: regime boundaries); right: regimes coloured by r_C with the boundary "
                                 "where t* and N* grow alike.",
}

#: the point of the loss-curve panels (paper Fig. 2 uses alpha = 3/2, beta = 2/3)
POINT = (sp.Rational(3, 2), sp.Rational(2, 3))
#: the two points of the compute-optimal panels: hard (rule as published) and easy (rule changed)
FRONTIER_POINTS = ((sp.Rational(3, 2), sp.Rational(1, 2)), (2, sp.Rational(3, 2)))


def loss_curves(axes, model, sizes: dict):
    """Two panels (online, full batch ``P = 256``); ``sizes``: ``M`` modes and ``seeds``."""
    al, be = POINT
    M, seeds = sizes["M"], sizes["seeds"]
    times, sim_t = np.logspace(-1, 4.5, 40), np.logspace(-1, 4.5, 12)
    for ax, P_ in zip(axes, (None, 256)):
        for i, n in enumerate((32, 128, 512)):
            th = model.dmft(al, be, n, P_, M=M)
            ax.plot(times, th.test_loss(times), color=style.color(i), label=f"$N={n}$ DMFT (test)")
            sim = model.simulate(al, be, sim_t, n, P_, M=M, seeds=seeds)
            lo, hi = sim.test_ci
            ax.errorbar(sim_t, sim.test_mean, yerr=[sim.test_mean - lo, hi - sim.test_mean], fmt="o", ms=3,
                        color=style.color(i), label=f"$N={n}$ exact, {len(seeds)} seeds (95% CI)")
            if P_ is not None:
                ax.plot(times, th.train_loss(times), "--", color=style.color(i), lw=1, label=f"$N={n}$ DMFT (train)")
                ax.plot(sim_t, sim.train_mean, "x", ms=3, color=style.color(i), label=f"$N={n}$ exact (train)")
        ax.set(xscale="log", yscale="log", xlabel="$t$", ylabel="loss",
               title=r"online ($P=\infty$)" if P_ is None else f"full batch $P={P_}$")
        style.log_ticks(ax)
        style.legend(ax, ncol=2 if P_ else 1)


def compute_optimal(axes, model, sizes: dict):
    """Two panels, one per point of :data:`FRONTIER_POINTS`: loss curves at fixed ``N`` (thin grey),
    the numerical optimum (markers), the closed-form and published rules (lines)."""
    from ..models.random_features import published_law

    C = np.logspace(3, sizes["log10_C_max"], sizes["n_C"])
    for ax, (al, be) in zip(axes, FRONTIER_POINTS):
        M = sizes["M_frontier"]
        for j, n in enumerate(np.unique(np.round(np.logspace(0.5, np.log10(M / 4), sizes["n_widths"])))):
            tt = np.logspace(0, np.log10(C[-1] / n) + 0.3, 30)
            ax.plot(n * tt, model.dmft(al, be, n, None, M=M, nodes=24).test_loss(tt), color="0.7", lw=0.8,
                    label="DMFT $L(C/N, N)$ at fixed $N$" if j == 0 else None)
        Ns, Ls = model.compute_optimal_numeric(al, be, C, M=M)
        co = model.analyze(alpha=al, beta=be).compute_optimal
        ax.plot(C, Ls, "ko", label=r"numerical optimum $\min_N L$")
        ax.plot(C, Ls[0] * (C / C[0]) ** -float(co.loss.expr), color=style.color(1),
                label="closed form " + style.power("C", -co.loss.expr))
        pub = published_law(al, be).compute_optimal(model.cost).loss_exponent
        if pub != co.loss.expr:
            ax.plot(C, Ls[0] * (C / C[0]) ** -float(pub), "--", color=style.color(0), lw=1,
                    label="published rule " + style.power("C", -pub))
        ax.set(xscale="log", yscale="log", xlabel="$C = Nt$", ylabel="loss",
               title=rf"$\alpha={al}$, $\beta={be}$: " + style.power(r"N^* \sim C", co.allocation["N"].expr))
        style.log_ticks(ax)
        style.legend(ax)


def exponents(axes, model):
    """Three panels: ``r_t, r_N, r_P`` against beta; ``r_C`` (this work vs published); the regime map."""
    ax1, ax2, ax3 = axes
    bs = np.linspace(0.05, 3.5, 200)
    for al, ls in ((1.5, "-"), (2.5, "--")):
        _bottlenecks(ax1, model, al, bs, ls)
        _loss_exponent(ax2, model, al, bs, ls)
    ax1.set(xlabel=r"$\beta$", ylabel="decay rate", title="bottleneck exponents")
    ax2.set(xlabel=r"$\beta$", ylabel="$r_C$", title=r"compute-optimal loss exponent ($C = Nt$)")
    for ax in (ax1, ax2):
        for j, b in enumerate(_beta_boundaries(model)):
            ax.axvline(b, color="0.6", lw=0.8, ls=":", label="regime boundaries" if j == 0 else None)
        style.legend(ax)
    regime_map(ax3, model)


def _bottlenecks(ax, model, al, bs, ls):
    alpha, beta = sp.symbols("alpha beta", positive=True)
    for i, x in enumerate(("t", "N", "P")):
        if x == "t" and al != 1.5:
            continue  # r_t = beta does not depend on alpha
        vals = regime_values(model, alpha, beta, np.full_like(bs, al), bs, f"exponents.{x}")
        ax.plot(bs, vals, ls, color=style.color(i), label=f"$r_{x}$" + (rf", $\alpha={al}$" if x != "t" else ""))


def _loss_exponent(ax, model, al, bs, ls):
    from ..models.random_features import published_law

    alpha, beta = sp.symbols("alpha beta", positive=True)
    ours = regime_values(model, alpha, beta, np.full_like(bs, al), bs)
    ax.plot(bs, ours, ls, color=style.color(2), label=rf"this work, $\alpha={al}$")
    pub = [float(published_law(al, sp.nsimplify(x)).compute_optimal(model.cost).loss_exponent) for x in bs[::40]]
    ax.plot(bs[::40], pub, ls, color=style.color(3), marker=".", lw=1,
            label=rf"published ($r_N=\alpha\min(\beta,2)$), $\alpha={al}$")


def _beta_boundaries(model) -> list:
    return [float(spec.conditions[sp.Symbol("beta", positive=True)].sup) for spec in model.regimes[:-1]]


def regime_map(ax, model):
    """The (alpha, beta) regimes of ``C = N t`` with the boundary where ``t*`` and ``N*`` grow alike."""
    alpha, beta = sp.symbols("alpha beta", positive=True)
    als, bs = np.linspace(1.01, 4, 150), np.linspace(0.05, 3.5, 200)
    phase_diagram(ax, model, alpha, beta, als, bs)
    easy = regime_result(model.name, "easy", ()).compute_optimal.allocation
    flip = sp.solve(sp.numer(sp.together(easy["t"].expr - easy["N"].expr)), beta)[0]
    ax.plot(als, sp.lambdify(alpha, flip, "numpy")(als), color=style.color(4), lw=1.5,
            label=f"$t^* \\sim N^*$: $\\beta = {sp.latex(flip)}$ ($t^*$ faster below)")
    ax.plot(als, 1 / als, color=style.color(5), ls="--", lw=1.2, label=r"$\beta = 1/\alpha$ (transient sign)")
    ax.set_title("regimes and $r_C$ ($C = Nt$)")
    style.legend(ax, loc="upper right")




def finite_size(axes, model, quick: bool):
    """Three panels from the runs of the finite-size checks (the cached runs of
    :mod:`scalingtheory.models.random_features` at the size ``quick`` selects)."""
    from ..models import random_features as rf

    _early_panel(axes[0], rf._early(quick), rf)
    _late_panel(axes[1], rf._late(quick), rf)
    _gap_panel(axes[2], rf._gap(quick), model, rf)


def _bars(mean, ci):
    mean, ci = np.asarray(mean), np.asarray(ci)
    return [mean - ci[:, 0], ci[:, 1] - mean]


def _early_panel(ax, run, rf):
    n = np.asarray(run["widths"], dtype=float)
    ax.errorbar(n, run["NdL"], yerr=_bars(run["NdL"], run["NdL_ci"]), fmt="o", color=style.color(0),
                label=f"exact, {len(run['seeds'])} nested draws; slope {run['slope']:.3f} "
                      f"[{run['ci'][0]:.3f}, {run['ci'][1]:.3f}]")
    ax.axhline(run["exact"], color=style.color(1), label="exact 1/N coefficient (planar + self)")
    ax.axhline(run["dmft"], color=style.color(2), ls="--", label="DMFT (planar term)")
    ax.set(xscale="log", xlabel="$N$", ylabel=r"$N\,[L(t,N)-L(t,\infty)]$",
           title=f"early time $t={rf.T_EARLY}$: approach at rate 1/N")
    style.legend(ax)


def _late_panel(ax, run, rf):
    n = np.asarray(run["widths"], dtype=float)
    ax.errorbar(n, run["loss"], yerr=_bars(run["loss"], run["loss_ci"]), fmt="o", color=style.color(0),
                label=f"exact, t -> oo; $r_N$ = {run['r_N']:.3f} [{run['ci'][0]:.3f}, {run['ci'][1]:.3f}]")
    c = float(rf.width_exponent(rf._EASY["alpha"], rf._EASY["beta"]))
    mid = len(n) // 2
    ax.plot(n, run["loss"][mid] * (n / n[mid]) ** -c, color=style.color(1),
            label=style.power("N", -rf.width_exponent(rf._EASY["alpha"], rf._EASY["beta"])))
    ax.set(xscale="log", yscale="log", xlabel="$N$", ylabel=r"$L(\infty, N)$",
           title=rf"late time: $\alpha={rf._EASY['alpha']}$, $\beta={rf._EASY['beta']}$")
    style.log_ticks(ax)
    style.legend(ax)


def _gap_panel(ax, run, model, rf):
    t = np.array([float(x) for x in rf.GAP_TIMES])
    fine = np.logspace(np.log10(t[0]), np.log10(t[-1]), 60)
    al, be = rf._POINT["alpha"], rf._POINT["beta"]
    for i, (p_, (mean, lo, hi)) in enumerate(zip(run["P"], run["curves"])):
        mean, ci = np.asarray(mean), np.stack([lo, hi], axis=1)
        ok = mean > 0
        ax.errorbar(t[ok], mean[ok], yerr=[(mean - ci[:, 0])[ok], (ci[:, 1] - mean)[ok]], fmt="o", ms=3,
                    color=style.color(i), label=f"$P={p_}$ exact, {len(run['seeds'])} draws")
        th = model.dmft(al, be, None, p_, M=run["M"])
        ax.plot(fine, th.test_loss(fine) - th.train_loss(fine), color=style.color(i), lw=1, label=f"$P={p_}$ DMFT")
        early = fine[fine <= 0.1]
        ax.plot(early, run["rate"] * early / p_, ":", color=style.color(i), lw=1.2)
    ax.set(xscale="log", yscale="log", xlabel="$t$", ylabel=r"$L(t)-\hat L(t)$",
           title=r"train-test gap ($N=\infty$); dotted: exact early rate")
    style.log_ticks(ax)
    style.legend(ax)


def write(model, out_dir, sizes: dict) -> list:
    """The model's three figures as PNG files in ``out_dir``."""
    fig, axes = style.figure(2, width=5.2, height=4.2)
    loss_curves(axes, model, sizes)
    fig.suptitle(rf"random features, $\alpha={POINT[0]}$, $\beta={POINT[1]}$, $M={sizes['M']}$ modes")
    paths = [style.save(fig, out_dir / "random_features_loss_curves.png")]
    fig, axes = style.figure(2, width=5.2, height=4.0)
    compute_optimal(axes, model, sizes)
    paths.append(style.save(fig, out_dir / "random_features_compute_optimal.png"))
    if sizes.get("theory", True):   # closed forms only (plots.write_figures)
        fig, axes = style.figure(3, width=5.0, height=4.2)
        exponents(axes, model)
        paths.append(style.save(fig, out_dir / "random_features_exponents.png"))
    fig, axes = style.figure(3, width=4.6, height=4.0)
    finite_size(axes, model, sizes["quick"])
    paths.append(style.save(fig, out_dir / "random_features_finite_size.png"))
    return paths

__all__ = ["loss_curves", "compute_optimal", "exponents", "regime_map", "finite_size", "write"]
