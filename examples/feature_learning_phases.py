"""Lazy vs rich scaling laws (Bordelon, Atanasov & Pehlevan, ICLR 2025): answer and check.

Answers the typical question "for capacity alpha and source beta, which regime am I in, what are
the lazy and rich exponents in time, width and compute, and how should I split compute?", then
checks it numerically:

* the time exponent chi(beta) from local slopes of the N = oo mean-field solution;
* the compute-optimal loss exponent from minimising the exactly solved finite-N loss over N
  at fixed C = N t;
* a finite-width network simulation (discrete steps of the readout and middle layer, seeds and
  95% confidence band) against the mean-field curve.

Usage::

    python examples/feature_learning_phases.py --alpha 2 --beta 0.5 [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alpha", default="2", help="capacity alpha > 1 (default 2)")
    parser.add_argument("--beta", default="1/2", help="source beta > 0 (default 1/2)")
    parser.add_argument("--out", type=Path, default=Path("."), help="directory for the PNG figures")
    parser.add_argument("--quick", action="store_true", help="small sizes (< 30 s)")
    args = parser.parse_args(argv)

    from matplotlib.figure import Figure

    from scalingtheory.models.feature_learning import MODEL
    from scalingtheory.numerics.feature_learning import compute_optimal_frontier, simulate
    from scalingtheory.numerics.mean_field import gradient_flow_loss, infinite_width_problem
    from scalingtheory.plots.feature_learning import measured_chi

    results = {tr: MODEL.analyze(alpha=args.alpha, beta=args.beta, training=tr) for tr in ("lazy", "rich")}
    a, b = (float(results["rich"].params[k]) for k in ("alpha", "beta"))
    print(f"alpha = {a:g}, beta = {b:g}: regime {results['rich'].regime}")
    for tr, res in results.items():
        e, co = res.exponents, res.compute_optimal
        print(f"  {tr:4s}: L ~ t^-{e['t'].expr}, N^-{e['N'].expr}, P^-{e['P'].expr};  "
              f"L* ~ C^-({co.loss.expr}) with N* ~ C^({co.allocation['N'].expr}), t* ~ C^({co.allocation['t'].expr})")
    for note in results["rich"].notes:
        print("  note:", note)

    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    # chi from the N = oo mean-field solution (gradient flow: no SGD-noise term)
    for tr, gamma in (("lazy", 0.0), ("rich", 1.0)):
        theory = MODEL.analyze(alpha=args.alpha, beta=args.beta, training=tr, optimizer="gf").exponents["t"]
        print(f"  chi {tr}: theory {theory.value:.4f}, mean-field slope on [1e3, 1e4] "
              f"{measured_chi([b], gamma, 10000 if args.quick else 20000)[0]:.4f}" if a == 2 else
              f"  chi {tr}: theory {theory.value:.4f} (slopes measured for alpha = 2 only)")

    # compute-optimal frontier from the exactly solved loss
    widths = np.unique(np.geomspace(4, 128 if args.quick else 512, 9 if args.quick else 15).round().astype(int))
    computes = np.geomspace(1e3, 3e4 if args.quick else 1e6, 5 if args.quick else 10)
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    for (tr, res), gamma, color in zip(results.items(), (0.0, 1.0), ("C0", "C3")):
        fr = compute_optimal_frontier(a, b, gamma, 2048 if args.quick else 4096, widths, computes,
                                      seeds=(0, 1) if args.quick else (0, 1, 2))
        th = res.compute_optimal.loss.value
        print(f"  r_C {tr}: theory {th:.4f}, numerics {fr.loss_exponent:.4f}; "
              f"a_N theory {res.compute_optimal.allocation['N'].value:.4f}, numerics {fr.width_exponent:.4f}")
        ax1.loglog(fr.computes, fr.loss, "o", color=color, label=f"{tr}: min over N")
        ax1.loglog(fr.computes, fr.loss[0] * (fr.computes / fr.computes[0]) ** -th, "-", color=color,
                   label=f"{tr}: C^-{res.compute_optimal.loss.expr}")
    ax1.set_xlabel("compute C = N t")
    ax1.set_ylabel("compute-optimal loss")
    ax1.legend(fontsize=7)

    # finite-width network (discrete steps, seeds, 95% CI) vs mean field
    M, width, steps, eta = (1000, 64, 800, 0.25) if args.quick else (4000, 256, 8000, 0.25)
    for gamma, color in ((0.0, "C0"), (1.0, "C3")):
        sim = simulate(a, b, M, width, gamma, steps, eta=eta, seeds=range(4))
        lo, hi = sim.ci
        tt = sim.times[1:]
        ax2.fill_between(tt, lo[1:], hi[1:], color=color, alpha=0.3)
        ax2.loglog(tt, sim.mean[1:], color=color, lw=1, label=f"N = {width}, γ = {gamma:g} (4 seeds)")
        ax2.loglog(tt, gradient_flow_loss(infinite_width_problem(a, b, M), gamma, tt * eta), color=color,
                   ls="--", label=f"N = ∞, γ = {gamma:g}")
    ax2.set_xlabel(f"steps (η = {eta:g})")
    ax2.set_ylabel("test loss")
    ax2.legend(fontsize=7)
    path = args.out / "feature_learning_example.png"
    fig.savefig(path, dpi=110)
    print(f"numerics took {time.perf_counter() - t0:.1f} s; wrote {path} "
          "(phase diagrams: scalingtheory plot --model feature_learning)")
    return 0


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
