"""From my sweep to my next run's N and D, with intervals.

You trained a sweep of models (N parameters, D tokens, final loss). This script fits
L(N, D) = E + A N^-a + B D^-b (Chinchilla Approach 3 by variable projection, Huber loss
on log loss), bootstraps over runs, and answers: at my next budget C = 6 N D, how large
should the model be, how many tokens should it see, and what loss should I expect --
each with a 95% interval. Approach 2 (IsoFLOP parabolas) runs beside it when the sweep
has IsoFLOP profiles.

    python examples/sweep_to_allocation.py --data runs.csv [--budget 1e22] [--out DIR]
    python examples/sweep_to_allocation.py --quick --out /tmp/demo   # synthetic IsoFLOP sweep

Without --data a synthetic IsoFLOP sweep from Hoffmann et al.'s law (2% noise) is
used, written to DIR/sweep.csv, and the answer is checked against the truth.
The figure goes to DIR/sweep_to_allocation.png (an existing file is not overwritten).
DIR is checked first and created only once the fit has succeeded; files are written
under a temporary name and renamed. Errors end in one line with the exit status of
``scalingtheory --help`` (2: bad input such as a missing --data file).
"""
import argparse
from pathlib import Path

import numpy as np

from scalingtheory.fitting import fit_law
from scalingtheory.fitting.optimum import OptimumRule
from scalingtheory.fitting.synthetic import HOFFMANN, LAW, chinchilla_runs, optimal_n
from scalingtheory.safe_io import atomic_write, check_dir


def write_sweep(path, d):
    text = "N,D,loss\n" + "".join(f"{n:.6g},{t:.6g},{v:.6g}\n" for n, t, v in zip(d["N"], d["D"], d["loss"]))
    return atomic_write(path, lambda tmp: tmp.write_text(text))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="CSV of runs with columns named as in --law, and --y")
    ap.add_argument("--law", default=LAW)
    ap.add_argument("--y", default="loss")
    ap.add_argument("--cost", default="6*N*D")
    ap.add_argument("--budget", type=float, default=None, help="next budget C (default: 10x the largest run)")
    ap.add_argument("--bootstrap", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="100 bootstrap replicates")
    ap.add_argument("--out", default="sweep_to_allocation")
    args = ap.parse_args(argv)
    if args.budget is not None and not (0 < args.budget < float("inf")):
        ap.error("--budget must be a finite number > 0")
    out = check_dir(args.out, "example", empty_or_ours=False)     # before any work: nothing is created yet
    sweep, png = out / "sweep.csv", out / "sweep_to_allocation.png"
    if args.data is None and sweep.exists():
        ap.error(f"{sweep} exists; not overwritten (choose another --out)")
    data = args.data if args.data is not None else chinchilla_runs(90, seed=args.seed, noise=0.02, design="isoflop")
    fit = fit_law(data, args.law, args.y, cost=args.cost, bootstrap=100 if args.quick else args.bootstrap,
                  seed=args.seed)
    rule = OptimumRule(fit.model, args.cost)
    budget = args.budget or 10 * float(np.max(_costs(fit, args.cost)))
    print(fit.report(at=[budget]))
    opt = fit.optimum(at=[budget])
    row = opt.at[0]
    names = [x.name for x in fit.model.resources]
    at = rule.evaluate(fit.boot[np.all(np.isfinite(fit.boot), axis=1)], [budget])["at"]
    ratio = np.percentile(at[names[1]][:, 0] / at[names[0]][:, 0], [2.5, 97.5])
    print(f"\nNext run at C = {budget:.3g}: {names[0]} = {row[names[0]]}, {names[1]} = {row[names[1]]} "
          f"({names[1]}/{names[0]} = {row[names[1]].value / row[names[0]].value:.1f} [{ratio[0]:.1f}, {ratio[1]:.1f}]), "
          f"expected {args.y} {row['loss']} (95% bootstrap intervals)")
    out.mkdir(parents=True, exist_ok=True)
    if args.data is None:
        print(f"sweep: {write_sweep(sweep, data)}")
    if not png.exists():
        figure = fit.plot().figure
        print(f"figure: {atomic_write(png, lambda tmp: figure.savefig(tmp, dpi=110, bbox_inches='tight'))}")
    if args.data is None:  # synthetic: the truth is known, check the verdict
        truth = float(optimal_n(budget, HOFFMANN))
        ok = row["N"].lo <= truth <= row["N"].hi
        print(f"true N*(C) = {truth:.4g}: {'inside' if ok else 'OUTSIDE'} the 95% interval")
        return 0 if ok else 1
    return 0


def _costs(fit, cost):
    from scalingtheory.fitting.approaches import cost_function

    return np.broadcast_to(cost_function(cost, fit.model.resources)(*fit.X), fit.y.shape)


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
