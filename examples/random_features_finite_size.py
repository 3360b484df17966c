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
from scalingtheory.numerics.rf_exact import draw


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
    lam, w = MODEL.task(al, be, M)

    # early-time convergence to infinite width at rate 1/N (DMFT, online)
    t_early = np.array([1.0, 3.0])
    L_inf = MODEL.dmft(al, be, None, None, M=M).test_loss(t_early)
    widths = np.array([100.0, 200.0, 400.0])
    gaps = np.array([MODEL.dmft(al, be, n, None, M=M).test_loss(t_early) - L_inf for n in widths])
    slope = np.polyfit(np.log(widths), np.log(gaps[:, 0]), 1)[0]
    print(f"early time: L(t,N) - L(t,oo) ~ N^{slope:.3f} at t = 1 (theory: N^-1)")

    # ensembling E width-N models vs one width-E*N model (equal compute), exact draws
    times = np.logspace(0, 4, 9)
    E, Nn = 4, (24 if args.quick else 64)
    (ens, ens_ci), (wide, wide_ci) = ensemble_vs_wide(lam, w, Nn, E, times, seeds)
    print(f"t = {times[-1]:g}: ensemble of {E} x N={Nn}: {ens[-1]:.4g} (95% CI {ens_ci[0][-1]:.4g}-{ens_ci[1][-1]:.4g}); "
          f"one model N={E * Nn}: {wide[-1]:.4g} (95% CI {wide_ci[0][-1]:.4g}-{wide_ci[1][-1]:.4g})")

    # train-test gap under data reuse: DMFT vs exact
    P = 64 if args.quick else 256
    th = MODEL.dmft(al, be, 4 * P, P, M=M)
    sim = MODEL.simulate(al, be, times, 4 * P, P, M=M, seeds=seeds)
    gap_theory = th.test_loss(times) - th.train_loss(times)
    gap, gap_ci = confidence_interval(sim.test - sim.train)          # paired per draw
    print("train-test gap (DMFT): ", np.array2string(gap_theory, precision=4))
    print("train-test gap (exact):", np.array2string(gap, precision=4), "95% CI",
          np.array2string(np.array(gap_ci), precision=4))

    fig = Figure(figsize=(10, 4))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.errorbar(times, ens, yerr=_bars(ens, ens_ci), fmt="o-", label=f"ensemble {E} x N={Nn}")
    ax1.errorbar(times, wide, yerr=_bars(wide, wide_ci), fmt="s-", label=f"one model N={E * Nn}")
    ax1.set(xscale="log", yscale="log", xlabel="t", ylabel="test loss", title="equal compute, online")
    ax1.legend()
    ax2.plot(times, gap_theory, "k-", label="DMFT")
    ax2.errorbar(times, gap, yerr=_bars(gap, gap_ci), fmt="o", label="exact (paired 95% CI)")
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
