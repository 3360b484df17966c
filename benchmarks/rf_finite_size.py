"""Finite-size runs of the random-feature checks (issue 24) at full size, and what the control variates buy.

1. The three runs behind the report's exact-draw rows at full size (``models/random_features.py``,
   ``CHECK_SIZES.full``): the early 1/N approach, the late N^-c, the train-test gap; numbers, seeds and CPU
   seconds as recorded in ``derivations/random_features.py`` Sec. 10.
2. Efficiency of each control variate against plain draws, measured in the same run: the variance of one
   draw times its CPU cost, plain over corrected (how many times fewer CPU seconds the corrected estimator
   needs for the same interval).

    python benchmarks/rf_finite_size.py [--quick] [--json FILE]

BLAS is limited to one thread (the draws are many small dense products).
"""
import argparse
import json
import time

import numpy as np


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the checks' quick sizes")
    ap.add_argument("--json", default=None, help="also write the numbers to this file (strict JSON)")
    return ap.parse_args(argv)


def _cpu(fn):
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def efficiency(M=1000, N=316, P=100, seeds=range(32)):
    """Variance x CPU of plain over corrected draws: N dL at t = 1 (online) and the gap at t = 0.01 (N = oo)."""
    from scalingtheory.models import random_features as rf
    from scalingtheory.numerics import rf_exact as rx

    lam, w = rf.MODEL.eigenvalues_and_target(rf._POINT["alpha"], rf._POINT["beta"], M)
    t = np.array([float(rf.T_EARLY)])
    base = rx._online_loss(lam, w, t)
    plain, cost_plain = _cpu(lambda: [rx.draw(lam, w, N, None, np.random.default_rng(s)).test_loss(t)[0]
                                      - base[0] for s in seeds])
    ex, cost_cv = _cpu(lambda: rx.early_excess(lam, w, [N], t, seeds=seeds).corrected[:, 0, 0])
    early = np.var(plain) * cost_plain / (np.var(ex) * cost_cv)
    tg = [float(rf.T_GAP)]
    raw, cost_raw = _cpu(lambda: [(lambda d: d.test_loss(tg) - d.train_loss(tg))(
        rx.draw(lam, w, None, P, np.random.default_rng(s)))[0] for s in seeds])
    g, cost_g = _cpu(lambda: rx.gap_draws(lam, w, None, P, tg, seeds=seeds).corrected[:, 0])
    gap = np.var(raw) * cost_raw / (np.var(g) * cost_g)
    return {"early (N=%d, t=1)" % N: float(early), "gap (P=%d, t=0.01)" % P: float(gap)}


def main(args):
    from scalingtheory.models import random_features as rf
    from scalingtheory.numerics._shared import blas_threads

    quick = bool(args.quick)
    if args.json:
        from scalingtheory.safe_io import check_file
        check_file(args.json)                       # refused before any computation (never over a file)
    out = {}
    with blas_threads(1):
        for name in ("_early", "_late", "_gap"):
            run = getattr(rf, name)(quick)
            keep = {k: v for k, v in run.items() if k not in ("curves", "NdL", "NdL_ci", "loss", "loss_ci")}
            keep["seeds"] = list(run["seeds"]) if name == "_late" else [min(run["seeds"]), max(run["seeds"])]
            out[name.strip("_")] = keep
            print(name.strip("_"), json.dumps(keep, default=float), flush=True)
        gap = rf._gap(quick)
        i = rf.GAP_TIMES.index(10)
        for p_, (mean, lo, hi) in zip(gap["P"], gap["curves"]):
            th = rf.MODEL.dmft(rf._POINT["alpha"], rf._POINT["beta"], None, p_, M=gap["M"])
            dmft = float(th.test_loss([10.0])[0] - th.train_loss([10.0])[0])
            out[f"gap t=10 P={p_}"] = {"exact": mean[i], "ci": [lo[i], hi[i]], "dmft": dmft}
            print(f"gap at t = 10, P = {p_}: exact {mean[i]:.4g} [{lo[i]:.4g}, {hi[i]:.4g}], DMFT {dmft:.4g}")
        out["efficiency"] = efficiency(**({"M": 300, "N": 72, "P": 40, "seeds": range(16)} if quick else {}))
        print("efficiency (variance x CPU, plain / control variate):", out["efficiency"])
    if args.json:
        from pathlib import Path

        from scalingtheory.safe_io import atomic_write
        text = json.dumps(out, default=float, allow_nan=False, indent=1)
        atomic_write(args.json, lambda tmp: Path(tmp).write_text(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(parse()))
