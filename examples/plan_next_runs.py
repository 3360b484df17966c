"""Which runs should I train next? A plan that pins down N*(C), and the fit -> plan -> train loop.

A sweep of 30 small runs (N up to 1e9 parameters, D up to 1e11 tokens) drawn from Hoffmann et al.'s
law with 2% noise stands in for your ``runs.csv`` (no real multi-resource table with a licence that
lets us ship it is available here; with yours, ``scalingtheory plan runs.csv --law ... --cost 6*N*D
--budget 1e23 --runs 8 --max-run-compute 1e20`` does the same). The plan proposes 8 runs of at most
1e20 FLOPs that most shrink the interval of N*(1e23) (``scalingtheory.fitting.plan``), then the loop
(``scalingtheory.fitting.loop``) trains them (samples the law), refits and plans again, and the figure shows the interval and the
error of N*(C) falling with the compute spent.

    python examples/plan_next_runs.py --out figs [--quick]
"""

import argparse
from pathlib import Path

import scalingtheory as st
from scalingtheory.fitting.loop import simulate_loop
from scalingtheory.fitting.plan import plan
from scalingtheory.fitting.synthetic import HOFFMANN, LAW, chinchilla_runs
from scalingtheory.plots.plan import write_loop

BUDGET, CAP = 1e23, 1e20


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    ap.add_argument("--out", default=".", help="folder for the PNG file")
    ap.add_argument("--quick", action="store_true", help="two rounds instead of four")
    args = ap.parse_args(argv)
    Path(args.out).mkdir(parents=True, exist_ok=True)     # an unusable --out is refused before the work
    runs = chinchilla_runs(30, seed=0, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
    fit = st.fit_law(runs, LAW, cost="6*N*D", bootstrap=0)
    print(plan(fit, BUDGET, 8, CAP).report())
    rounds = simulate_loop(HOFFMANN, LAW, "6*N*D", BUDGET, runs, rounds=2 if args.quick else 4, max_run_compute=CAP)
    print("\nround  runs  compute spent  N*(1e23) [95%]            error (log)")
    for i, r in enumerate(rounds):
        e = r.estimate
        print(f"{i:5d}  {r.runs:4d}  {r.spent:13.3g}  {e.value:.3g} [{e.lo:.3g}, {e.hi:.3g}]  {r.error:+.3f}")
    print(f"true N*(1e23) = {rounds[0].truth:.4g}")
    path = write_loop(rounds, Path(args.out) / "plan_loop.png", budget=BUDGET)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
