"""Trained ReLU networks on the circle, lazy vs rich (Bordelon, Atanasov & Pehlevan, ICLR 2025, issue 23).

Two-layer ReLU MLPs in the mean-field parameterisation with richness gamma are trained by online SGD
(fresh angles every step) on targets whose Fourier power falls as k^-(alpha beta + 1), alpha being the
measured capacity of the network's own initial NTK; the time exponent of the test loss is measured
(least squares over the last 1.5 decades of steps, 95% interval over seeds) and set beside the closed
forms of the toolkit (lazy: beta; rich: 2 beta/(1 + beta) for hard tasks; super-easy: the SGD-noise
exponent 2 - 1/alpha). The rich two-layer ReLU network is slower than the lazy one (its kernel grows
where its kinks gather, derivation Sec. 10); the three-layer network with the solvable model's trained
layers (frozen random step units, trained linear middle layer and readout) shows the rich exponent on
the hard task. It also measures the compute-optimal frontier of the solvable model
(min over N of the seed-averaged exact finite-width loss at C = N t). These are the same runs as the
report's "network chi" and "compute-optimal r_C" rows.

Usage::

    python examples/feature_learning_circle.py [--quick] [--out DIR]

``--quick``: width 64, 200-400 steps (about 5 s; the exponents are then not resolved). Full sizes
(width 4096, 2e4 steps, 4 seeds): about 10 minutes of CPU.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="directory for the PNG figures")
    parser.add_argument("--quick", action="store_true", help="small sizes (exponents not resolved)")
    args = parser.parse_args(argv)

    from scalingtheory.models.feature_learning import (MODEL, NETWORK3_TASKS, NETWORK_TASKS, _frontier, _network,
                                                       _network3)
    from scalingtheory.plots.feature_learning import network_figures

    start = time.process_time()
    print(f"{'task':<11} {'training':<8} {'beta':>5} {'alpha (NTK)':>12} {'measured chi [95% CI]':>26} "
          f"{'closed form':>11}  window")
    for task, b in NETWORK_TASKS.items():
        for training in ("lazy", "rich"):
            m = _network(task, training, args.quick)
            theory = MODEL.analyze(alpha=2, beta=b, training=training).exponents["t"]
            print(f"{task:<11} {training:<8} {str(b):>5} {m.alpha.exponent:>12.3f} "
                  f"{m.fit.exponent:>9.3f} [{m.fit.ci[0]:.3f}, {m.fit.ci[1]:.3f}] {str(theory.expr):>11}  "
                  f"t in [{m.window[0]:.0f}, {m.window[1]:.0f}], width {m.run.settings['width']}, "
                  f"gamma {m.run.settings['gamma']:g}, batch {m.run.settings['batch']}, {len(m.run.seeds)} seeds")
    for task, training in ((task, tr) for task in NETWORK3_TASKS for tr in ("lazy", "rich")):
        m = _network3(task, training, args.quick)
        theory = MODEL.analyze(alpha=2, beta=NETWORK_TASKS[task], training=training).exponents["t"]
        print(f"{task:<11} {training:<8} {str(NETWORK_TASKS[task]):>5} {m.alpha.exponent:>12.3f} "
              f"{m.fit.exponent:>9.3f} [{m.fit.ci[0]:.3f}, {m.fit.ci[1]:.3f}] {str(theory.expr):>11}  "
              f"t in [{m.window[0]:.0f}, {m.window[1]:.0f}], three-layer: {m.run.settings['features']} frozen step "
              f"units, width {m.run.settings['width']}, gamma {m.run.settings['gamma']:g}, batch "
              f"{m.run.settings['batch']}, {len(m.run.seeds)} seeds")
    for training, gamma in (("lazy", 0.0), ("rich", 1.0)):
        fr = _frontier(gamma, args.quick)
        co = MODEL.analyze(alpha=2, beta="1/2", training=training, optimizer="gf").compute_optimal
        print(f"compute-optimal {training}: r_C = {fr.loss_exponent:.3f} [{fr.loss_ci[0]:.3f}, {fr.loss_ci[1]:.3f}] "
              f"(closed form {co.loss.expr}), a_N = {fr.width_exponent:.3f} (closed form {co.allocation['N'].expr}), "
              f"C in [{fr.computes[0]:.0e}, {fr.computes[-1]:.0e}]")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in network_figures(MODEL, args.out, args.quick):
        print("wrote", path)
    print(f"CPU {time.process_time() - start:.1f} s")
    return 0


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
