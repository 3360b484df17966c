"""Random-feature model: exponents, loss curves, finite-width and data-reuse effects.

Answers, for a power-law task (alpha, beta), the questions of Bordelon, Atanasov &
Pehlevan (ICML 2024): how the loss scales in time, width and data; how to split a
compute budget C = N t; how fast a finite width converges to infinite width early in
training; whether an ensemble of E narrow models beats one model E times wider at the
same compute; how the train-test gap grows under data reuse.

    python examples/random_features_finite_size.py --alpha 1.5 --beta 0.6667 --out figs [--quick]
"""
import argparse
from pathlib import Path

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from scalingtheory.models.random_features import MODEL
from scalingtheory.numerics._shared import confidence_interval
from scalingtheory.numerics.rf_exact import (draw, early_excess, early_gap_rate, excess_coefficient, gap_draws,
                                             power_slope)


def ensemble_vs_wide(lam, w, N, E, times, seeds):
    """Online test loss of the average of E width-N models vs one width-E*N model."""
    ens, wide = [], []
    for s in seeds:
        rng = np.random.default_rng([s, 1])
        v = np.mean([draw(lam, w, N, None, rng).mode_errors(times) for _ in range(E)], axis=0)
        ens.append((lam * v * v).sum(axis=1))
        wide.append(draw(lam, w, E * N, None, rng).test_loss(times))
    return confidence_interval(ens), confidence_interval(wide)


def _bars(mean, ci):
    """Error-bar lengths below and above ``mean`` from a ``(low, high)`` interval."""
    return [mean - ci[0], ci[1] - mean]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--alpha", default="3/2")
    ap.add_argument("--beta", default="2/3")
    ap.add_argument("--out", default=".")
    ap.add_argument("--quick", action="store_true", help="small sizes (< 30 s)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    al, be = sp.nsimplify(args.alpha), sp.nsimplify(args.beta)

    res = MODEL.analyze(alpha=al, beta=be)
    print(res)
    M, seeds = (600, range(4)) if args.quick else (3000, range(12))
    lam, w = MODEL.eigenvalues_and_target(al, be, M)

    # early-time convergence to infinite width at rate 1/N: exact draws nested across widths, each minus its
    # first-order response to the projection noise (mean exactly zero), against the exact 1/N coefficient
    t_early = 1.0
    widths = (10, 30, 100) if args.quick else (10, 32, 100, 316, 1000)
    M_early = 300 if args.quick else 1000
    lam_e, w_e = MODEL.eigenvalues_and_target(al, be, M_early)
    excess = early_excess(lam_e, w_e, widths, [t_early], seeds=range(48 if args.quick else 64)).corrected[:, :, 0]
    est = power_slope(widths, excess, paired=True)
    planar, self_ = excess_coefficient(lam_e, w_e, [t_early])
    print(f"early time: L(t,N) - L(t,oo) ~ N^{est.slope:.3f} (95% CI {est.ci[0]:.3f} to {est.ci[1]:.3f}) at t = "
          f"{t_early:g}, exact draws (theory: N^-1); N dL at N = {widths[-1]}: {excess[:, -1].mean() * widths[-1]:.3f}, "
          f"exact 1/N coefficient {planar[0] + self_[0]:.3f} (DMFT {planar[0]:.3f})")

    # ensembling E width-N models vs one width-E*N model (equal compute), exact draws
    times = np.logspace(0, 4, 9)
    E, Nn = 4, (24 if args.quick else 64)
    (ens, ens_ci), (wide, wide_ci) = ensemble_vs_wide(lam, w, Nn, E, times, seeds)
    print(f"t = {times[-1]:g}: ensemble of {E} x N={Nn}: {ens[-1]:.4g} (95% CI {ens_ci[0][-1]:.4g}-{ens_ci[1][-1]:.4g}); "
          f"one model N={E * Nn}: {wide[-1]:.4g} (95% CI {wide_ci[0][-1]:.4g}-{wide_ci[1][-1]:.4g})")

    # train-test gap under data reuse from t = 1e-3 to its plateau: DMFT vs exact draws, each minus its
    # first-order part (mean exactly zero), and the exact early rate 2 t (tr Lambda L0 + |Lambda w|^2) / P
    P = 64 if args.quick else 256
    gap_times = np.logspace(-3, 5, 9)
    th = MODEL.dmft(al, be, 4 * P, P, M=M)
    gap_theory = th.test_loss(gap_times) - th.train_loss(gap_times)
    gap_seeds = range(16 if args.quick else 32)
    gap, gap_ci = confidence_interval(gap_draws(lam, w, 4 * P, P, gap_times, seeds=gap_seeds).corrected)
    print("t:                     ", np.array2string(gap_times, precision=0))
    print("train-test gap (DMFT): ", np.array2string(gap_theory, precision=4))
    print("train-test gap (exact):", np.array2string(gap, precision=4), "95% CI",
          np.array2string(np.array(gap_ci), precision=4))
    print(f"exact early gap rate P gap / t -> {early_gap_rate(lam, w):.4g} (DMFT keeps the trace term only)")

    fig = Figure(figsize=(10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.errorbar(times, ens, yerr=_bars(ens, ens_ci), fmt="o-", label=f"ensemble {E} x N={Nn}")
    ax1.errorbar(times, wide, yerr=_bars(wide, wide_ci), fmt="s-", label=f"one model N={E * Nn}")
    ax1.set(xscale="log", yscale="log", xlabel="t", ylabel="test loss", title="equal compute, online")
    ax1.legend()
    ax2.plot(gap_times, gap_theory, "k-", label="DMFT")
    ax2.errorbar(gap_times, gap, yerr=_bars(gap, gap_ci), fmt="o", label="exact, control variate (95% CI)")
    ax2.set(xscale="log", yscale="log", xlabel="t", ylabel="test - train",
            title=f"data reuse, N={4 * P}, P={P}")
    ax2.legend()
    fig.suptitle(f"random features, alpha={al}, beta={be}, M={M}")
    path = out / "random_features_finite_size.png"
    fig.savefig(path, dpi=110)
    print("wrote", path)
    return 0


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
