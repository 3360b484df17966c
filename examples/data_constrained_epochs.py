"""How many epochs are worth it? Compute-optimal allocation with repeated data, with intervals.

You have U unique tokens and a budget C = 6 N D. Repeating data helps less with each epoch; Muennighoff et
al. (2023, Eq. 5) model it with an effective data size D' = U + U R* (1 - exp(-(D/U - 1)/R*)) inside
Chinchilla's form. This script fits that law (E, A, B, a, b and R*: the numeric route of fit_law, no
closed form) to a sweep of runs with columns N, D, U, loss, bootstraps over runs, and answers at each
budget: the model size N*, the tokens D*, the number of epochs D*/U and the loss, each with a 95%
interval, beside the loss of one epoch (D = U, N = C/(6U)).

    python examples/data_constrained_epochs.py --data runs.csv --unique 1e10 [--budget 1e21,1e22] [--out DIR]
    python examples/data_constrained_epochs.py --quick --out /tmp/demo   # synthetic sweep, truth known

Without --data a synthetic sweep from Muennighoff et al.'s fitted law (2% noise, 1 to 100 epochs) is
fitted and written to DIR/runs.csv, and the true number of epochs is printed beside each interval (one seed shows one
draw; the coverage over seeds is measured in derivations/multi_resource.py, Sec. 9). Bad input exits 2 with
one line.
"""
import argparse

import numpy as np

from scalingtheory.fitting import fit_law
from scalingtheory.fitting.synthetic import DATA_CONSTRAINED_LAW, MUENNIGHOFF, law_runs
from scalingtheory.number_text import ascii_float
from scalingtheory.safe_io import atomic_write, check_dir


def write_sweep(path, d):
    """The synthetic sweep as a CSV (temporary name renamed into place), a runs.csv to try the command on."""
    rows = "".join(f"{a:.8g},{b:.8g},{c:.8g},{v:.8g}\n" for a, b, c, v in zip(d["N"], d["D"], d["U"], d["loss"]))
    return atomic_write(path, lambda tmp: tmp.write_text("N,D,U,loss\n" + rows))


def true_epochs(unique, budgets):
    """Epochs D*/U of the true law (the numeric route at the true parameters)."""
    from scalingtheory.fitting.model import LawModel
    from scalingtheory.fitting.optimum import make_rule

    model = LawModel(DATA_CONSTRAINED_LAW, ["N", "D", "U", "loss"], "loss")
    theta = [MUENNIGHOFF[n] for n in model.names]
    rule = make_rule(model, "6*N*D", {"U": unique}, [(1e7, 1e10), (1e9, 1e12), (1e7, 1e12)])
    return rule.evaluate(theta, budgets)["at"]["D"][0] / unique


def answer(fit, unique, budgets):
    opt = fit.optimum(at=budgets)
    print(opt.report())
    rows = []
    for row in opt.at:
        c, d = row["C"], row["D"]
        n_one = c / (6 * unique)   # one epoch: D = U
        one = fit.model.predict(fit.theta, tuple(np.array([v]) for v in (n_one, unique, unique)))[0]
        epochs = (d.value / unique, None if d.lo is None else d.lo / unique, None if d.hi is None else d.hi / unique)
        band = "" if epochs[1] is None else f" [{epochs[1]:.3g}, {epochs[2]:.3g}]"
        print(f"C = {c:.3g}, U = {unique:.3g}: {epochs[0]:.3g}{band} epochs are compute-optimal "
              f"(N* = {row['N']}, loss {row['loss']}); one epoch (N = {n_one:.3g}) would give loss {one:.4g}")
        rows.append(epochs)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="CSV of runs with columns N, D, U and loss")
    ap.add_argument("--unique", type=float, default=3e9, help="unique tokens U available (default 3e9)")
    ap.add_argument("--budget", default="1e20,1e21,1e22", help="comma-separated budgets C = 6ND")
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="100 runs, 40 bootstrap replicates")
    ap.add_argument("--out", default="data_constrained_epochs")
    args = ap.parse_args(argv)
    budgets = [ascii_float(v) for v in args.budget.split(",")]
    if not all(0 < v < float("inf") for v in budgets + [args.unique]):
        raise ValueError("--budget and --unique must be finite numbers > 0")
    out = check_dir(args.out, "example", empty_or_ours=False)     # before any work: nothing is created yet
    data = args.data or law_runs(DATA_CONSTRAINED_LAW, MUENNIGHOFF, 100 if args.quick else 250, seed=args.seed)
    fit = fit_law(data, DATA_CONSTRAINED_LAW, cost="6*N*D", hold={"U": args.unique},
                  bootstrap=40 if args.quick else args.bootstrap, seed=args.seed)
    print(fit.report())
    rows = answer(fit, args.unique, budgets)
    if args.data is None:
        out.mkdir(parents=True, exist_ok=True)
        print(f"synthetic runs: {write_sweep(out / 'runs.csv', data)}")
        truth = true_epochs(args.unique, budgets)
        ok = [lo is not None and lo <= t <= hi for t, (_, lo, hi) in zip(truth, rows)]
        print("true epochs " + ", ".join(f"{t:.3g} ({'inside' if k else 'OUTSIDE'})" for t, k in zip(truth, ok)))
    return 0


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
