"""The BNSL limit of predictability measured (issue 24 item 5; ``derivations/bnsl.py`` section 9).

1. The paper's noiseless 4-digit-addition simulation (Caballero et al. 2023; x = 1..4095, the released
   script's ground truth, break at d1 = 612.6): fit up to a cut, extrapolate beyond it, with the default
   fit and with ``break_margin=1``; the horizon of the default fit for a break like the true one.
2. Noise study at the cut x = 405: multiplicative log-normal noise of scale sigma, 5 seeds each: the
   horizon (for the true slope change and sharpness) against whether ``break_margin=1`` locates the break.
3. Known breaks of a synthetic curve (40 log-spaced points over 2 decades, break of slope change 1 and
   sharpness 0.3 at d = 1.2-3 x the last point) at three noise levels, 5 seeds: share of fits that locate
   the break (|ln d_hat/d| < 0.15) by d / x_h.

    OMP_NUM_THREADS=1 python benchmarks/bnsl_horizon.py [--quick]

Prints Markdown tables with seeds and CPU seconds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from tqdm.auto import tqdm

from scalingtheory.models.bnsl import NOISELESS_PARAMS
from scalingtheory.fitting.curve import fit, rmsle
from scalingtheory.fitting.forms import BNSL

FORM = BNSL(1)
LOCATED = 0.15   # |ln(d_hat / d)| below this: the break is located


def addition_cuts(cuts):
    xs = np.arange(1.0, 4096.0)
    ys = FORM.predict(FORM.theta_from_params(NOISELESS_PARAMS), xs)
    print("| cut | default: breaks, RMSLE beyond | margin 1: d1, RMSLE beyond | horizon (true c1, f1) | "
          "x_id | horizon (c = 1, f_min) | CPU s |\n|---|---|---|---|---|---|---|")
    for cut in tqdm(cuts, desc="cuts"):
        start = time.process_time()
        k = xs <= cut
        default = fit(xs[k], ys[k], interval=None)
        margin = fit(xs[k], ys[k], break_margin=1.0, interval=None)
        h = default.horizon(slope_change=NOISELESS_PARAMS["c1"], sharpness=NOISELESS_PARAMS["f1"])
        h_min = default.horizon()
        print(f"| {cut} | {default.form.n}, {rmsle(default.predict(xs[~k]), ys[~k]):.3g} | "
              f"{margin.params.get('d1', float('nan')):.5g}, {rmsle(margin.predict(xs[~k]), ys[~k]):.2g} | "
              f"{h.break_horizon:.4g} | {h.identified_until:.4g} | {h_min.break_horizon:.4g} (f = {h_min.sharpness:.2g}) | "
              f"{time.process_time() - start:.1f} |", flush=True)


def noise_study(noises, seeds, cut=405):
    xs = np.arange(1.0, 4096.0)
    ys = FORM.predict(FORM.theta_from_params(NOISELESS_PARAMS), xs)
    k = xs <= cut
    print(f"\n| noise | horizon x_h (median, range) | closed form | located by margin 1 | RMSLE beyond (margin, median) | "
          f"CPU s |\n|---|---|---|---|---|---|")
    for noise in tqdm(noises, desc="noise"):
        start, hs, cfs, hits, errs = time.process_time(), [], [], 0, []
        for seed in seeds:
            y = ys * np.exp(noise * np.random.default_rng(seed).standard_normal(ys.size))
            h = fit(xs[k], y[k], interval=None).horizon(slope_change=NOISELESS_PARAMS["c1"],
                                                         sharpness=NOISELESS_PARAMS["f1"])
            hs.append(h.break_horizon)
            cfs.append(h.closed_form)
            margin = fit(xs[k], y[k], breaks=1, break_margin=1.0, interval=None)
            hits += abs(np.log(margin.params["d1"] / NOISELESS_PARAMS["d1"])) < LOCATED
            errs.append(rmsle(margin.predict(xs[~k]), ys[~k]))
        print(f"| {noise:g} | {np.median(hs):.4g} ({min(hs):.4g}-{max(hs):.4g}) | {np.median(cfs):.4g} | "
              f"{hits}/{len(seeds)} | {np.median(errs):.3g} | {time.process_time() - start:.1f} |", flush=True)


def known_breaks(ratios, noises, seeds):
    xs = np.logspace(1, 3, 40)
    rows = []
    for ratio in tqdm(ratios, desc="breaks"):
        truth = FORM.theta_from_params({"a": 0.1, "b": 3.0, "c0": 0.3, "c1": 1.0, "d1": ratio * 1e3, "f1": 0.3})
        y0 = FORM.predict(truth, xs)
        for noise in noises:
            for seed in seeds:
                y = y0 * np.exp(noise * np.random.default_rng(seed).standard_normal(xs.size))
                xh = fit(xs, y, interval=None).horizon(slope_change=1.0, sharpness=0.3).break_horizon
                d1 = fit(xs, y, breaks=1, break_margin=1.0, interval=None).params["d1"]
                rows.append((ratio, noise, seed, xh, abs(np.log(d1 / (ratio * 1e3))) < LOCATED))
    print("\n| d / x_h | fits | located |\n|---|---|---|")
    for lo, hi in ((0, 0.75), (0.75, 1.0), (1.0, np.inf)):
        sel = [r for r in rows if lo <= r[0] * 1e3 / r[3] < hi]
        print(f"| {lo:g}-{hi:g} | {len(sel)} | {sum(r[4] for r in sel)} |")
    print("\n| d / x_max | noise | x_h (median) | located |\n|---|---|---|---|")
    for ratio in ratios:
        for noise in noises:
            sel = [r for r in rows if r[0] == ratio and r[1] == noise]
            print(f"| {ratio:g} | {noise:g} | {np.median([r[3] for r in sel]):.4g} | {sum(r[4] for r in sel)}/{len(sel)} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two cuts, two noise levels, one seed")
    args = parser.parse_args(argv)
    seeds = [0] if args.quick else list(range(5))
    start = time.process_time()
    addition_cuts([390, 405] if args.quick else [300, 350, 390, 405, 450, 500, 550])
    noise_study([0.0, 1e-3] if args.quick else [0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2], seeds)
    known_breaks([1.5] if args.quick else [1.2, 1.5, 2.0, 3.0], [1e-4, 1e-2] if args.quick else [1e-4, 1e-3, 1e-2],
                 seeds)
    print(f"\nseeds {seeds}; total CPU {time.process_time() - start:.0f} s")


if __name__ == "__main__":
    main()
