"""Does following a plan shrink the interval of N*(C) more than an IsoFLOP grid or random runs of equal compute?

For each seed: a small sweep of 30 runs drawn from Hoffmann et al.'s law with 2% noise (N in 1e7-1e9, D in
1e9-1e11, the largest run ~6e20 FLOPs) is fitted (``fit_law``, Chinchilla's form, C = 6ND); three designs of
K = 8 new runs, each at most ``--cap`` FLOPs and together the same total compute, are "trained" (sampled from
the same law and noise) and the law is refitted on all 38 runs:

* plan: :func:`scalingtheory.fitting.plan.plan` (c-optimal for log N*(C0), C0 = 1e23);
* isoflop: K runs at one budget T/K (T the plan's total), N log-spaced over one decade around the first fit's
  N*(T/K), as a practitioner would place an IsoFLOP profile;
* random: K runs drawn from the plan's candidate grid, D scaled so the total is T (and each run within the cap).

Measured per design over the seeds: the realised 95% interval of log N*(C0) after the refit (delta method on
the refit, the same rule for every design), its coverage of the true N*(C0), and the RMS error of log N*(C0).

    python benchmarks/bench_plan.py [--seeds 20] [--cap 1e20]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

LAW, COST, BUDGET, K = "E + A*N**-a + B*D**-b", "6*N*D", 1e23, 8


def _refit(base, new, rng):
    import scalingtheory as st
    from scalingtheory.fitting.synthetic import chinchilla_loss

    loss = chinchilla_loss(new[:, 0], new[:, 1]) * (1 + 0.02 * rng.standard_normal(len(new)))
    data = {"N": np.r_[base["N"], new[:, 0]], "D": np.r_[base["D"], new[:, 1]], "loss": np.r_[base["loss"], loss]}
    return st.fit_law(data, LAW, cost=COST, bootstrap=0)


def _log_n_star(fit):
    """log N*(C0) with its delta-method standard deviation on ``fit``."""
    from scalingtheory.fitting.optimum import OptimumRule
    from scalingtheory.fitting.plan import _inverse, gradients, information, log_targets

    rule = OptimumRule(fit.model, COST)
    g = gradients(rule, fit.theta, BUDGET)["N"]
    return float(log_targets(rule, fit.theta, BUDGET)["N"][0]), float(np.sqrt(g @ _inverse(information(fit)) @ g))


def designs(fit, cap, rng):
    """The three designs' new runs (rows N, D) for a first fit."""
    from scalingtheory.fitting.optimum import OptimumRule
    from scalingtheory.fitting.plan import candidates, plan

    p = plan(fit, BUDGET, K, cap)
    plan_runs = np.array([[r["N"], r["D"]] for r in p.runs])
    total = sum(r["cost"] for r in p.runs)
    c = total / K
    n_star = OptimumRule(fit.model, COST).evaluate(fit.theta, [c])["at"]["N"][0, 0]
    n_iso = n_star * np.logspace(-0.5, 0.5, K)
    iso = np.column_stack([n_iso, c / (6 * n_iso)])
    grid = candidates(fit, lambda rows: 6 * rows[:, 0] * rows[:, 1], cap)
    rand = grid[rng.choice(len(grid), K, replace=False)].copy()
    rand[:, 1] *= total / np.sum(6 * rand[:, 0] * rand[:, 1])
    rand[:, 1] = np.minimum(rand[:, 1], cap / (6 * rand[:, 0]))
    return {"plan": plan_runs, "isoflop": iso, "random": rand}, p


def run(seeds: int, cap: float) -> dict:
    import scalingtheory as st
    from scalingtheory.fitting.synthetic import chinchilla_runs, optimal_n

    truth = float(np.log(optimal_n(BUDGET)))
    out = {d: {"width": [], "err": [], "cover": []} for d in ("first fit", "plan", "isoflop", "random")}
    predicted = []
    for s in range(seeds):
        rng = np.random.default_rng(1000 + s)
        base = chinchilla_runs(30, seed=s, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
        fit = st.fit_law(base, LAW, cost=COST, bootstrap=0)
        runs, p = designs(fit, cap, rng)
        predicted.append(np.log(p.after["N"].hi / p.after["N"].lo))
        fits = {"first fit": fit, **{d: _refit(base, new, rng) for d, new in runs.items()}}
        for d, f in fits.items():
            q, sd = _log_n_star(f)
            out[d]["width"].append(2 * 1.959964 * sd)
            out[d]["err"].append(q - truth)
            out[d]["cover"].append(abs(q - truth) <= 1.959964 * sd)
    out["plan predicted width"] = predicted
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--cap", type=float, default=1e20, help="largest cost of one new run (FLOPs)")
    args = ap.parse_args(argv)
    start = time.process_time()
    res = run(args.seeds, args.cap)
    print(f"{args.seeds} seeds, K = {K} new runs each <= {args.cap:.0e} FLOPs, C0 = {BUDGET:.0e}; "
          f"{time.process_time() - start:.0f} s CPU")
    print(f"{'design':>10} | median 95% width of log N*(C0) | RMS error | coverage")
    for d in ("first fit", "plan", "isoflop", "random"):
        w, e, c = (np.array(res[d][k]) for k in ("width", "err", "cover"))
        print(f"{d:>10} | {np.median(w):.3f} | {np.sqrt(np.mean(e**2)):.3f} | {c.mean():.2f}")
    w = {d: np.array(res[d]["width"]) for d in ("plan", "isoflop", "random")}
    print(f"width ratio plan/isoflop: median {np.median(w['plan'] / w['isoflop']):.2f}, "
          f"plan narrower in {np.mean(w['plan'] < w['isoflop']):.0%} of seeds")
    print(f"width ratio plan/random:  median {np.median(w['plan'] / w['random']):.2f}, "
          f"plan narrower in {np.mean(w['plan'] < w['random']):.0%} of seeds")
    print(f"plan: predicted width {np.median(res['plan predicted width']):.3f} (median) vs realised "
          f"{np.median(w['plan']):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
