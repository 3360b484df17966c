"""Benchmark: CPU per curve and held-out RMSLE of the default ``fit``, a one-break fit and the BNSL authors' procedure.

Three routes on Revisiting curves (:func:`scalingtheory.datasets.revisiting`), fitted on the
``train`` points and scored on the held-out ones, CPU seconds by ``time.process_time`` in
one process:

* ``default`` -- ``scalingtheory.fit(x, y)``: number of breaks chosen (``breaks="auto"``,
  BIC) plus the warm-started backtest band (8 origins), i.e. what a user gets;
* ``cold band`` -- the same with the band of issue 7 (3 cold starts per origin, no warm
  start), for the coverage and cost comparison of issue 16 item 5;
* ``one break`` -- ``fit(x, y, breaks=1, interval=None)``;
* ``reference`` -- the released BNSL procedure (Caballero et al. 2023; described in
  ``references/bnsl.md`` §2.1, re-implemented here from that description, no code copied):
  ``scipy.optimize.brute`` over the 163,840-point grid of the 4-digit script on the
  :math:`\\log(1+y)` MSLE with :math:`b, d_1` in exponent space (:math:`1.25^g - 1 + 10^{-8}`),
  then unbounded ``scipy.optimize.curve_fit`` (Levenberg-Marquardt) of :math:`\\log(1+\\hat y)`.
  The released ``g_d`` range (0..40, :math:`d_1 \\lesssim 4\\times10^3`) cannot reach the
  benchmark's x (``references/bnsl.md`` §2.3), so ``g_d`` spans 16 steps from 0 to
  :math:`\\log_{1.25} x_{max}` instead; the grid size is unchanged.

Coverage: share of held-out points inside the 95% band (default and cold band).

    nice python benchmarks/bnsl_reference.py --out results/ [--every 9] [--reference-every 4] [--synthetic]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from scalingtheory.datasets import ATTRIBUTION, revisiting
from scalingtheory.numerics.fitting import fit, rmsle


def _bnsl1(x, a, b, c0, c1, d1, f1):
    return a + b * x ** (-c0) * (1 + (x / d1) ** (1 / f1)) ** (-c1 * f1)


def reference_fit(x, y):
    """The released procedure (brute grid on log1p MSLE, then unbounded LM); returns the 6 parameters."""
    from scipy.optimize import brute, curve_fit

    ly1 = np.log1p(y)
    g_d_max = math.log(float(np.max(x))) / math.log(1.25)

    def msle(p):
        a, gb, c0, c1, gd, f1 = p
        with np.errstate(all="ignore"):
            pred = _bnsl1(x, a, 1.25**gb - 1 + 1e-8, c0, c1, 1.25**gd - 1 + 1e-8, f1)
            val = np.mean((np.log1p(pred) - ly1) ** 2)
        return val if np.isfinite(val) else np.inf

    grid = (slice(0, 1, 0.1), slice(0, 40, 2.5), slice(0, 1, 0.25), slice(0, 1, 0.25),
            slice(0, g_d_max, g_d_max / 16), slice(0, 1, 0.25))
    a, gb, c0, c1, gd, f1 = brute(msle, grid, full_output=False, finish=None)
    p0 = [a, 1.25**gb - 1 + 1e-8, c0, c1, 1.25**gd - 1 + 1e-8, f1]

    def model(xx, *p):
        with np.errstate(all="ignore"):
            return np.log1p(_bnsl1(xx, *p))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            p, _ = curve_fit(model, x, ly1, p0=p0, maxfev=100000)
        except RuntimeError:  # LM did not converge: keep the grid point, as a user of the script would see
            p = p0
    return p


def _coverage(res, c) -> float:
    _, lo, hi = res.predict_interval(c.x_test, 0.95)
    return float(np.mean((c.y_test >= lo) & (c.y_test <= hi)))


def score(c, reference: bool = True) -> dict:
    """CPU seconds, held-out RMSLE and band coverage of each route on curve ``c``."""
    out = {"key": c.key, "domain": c.domain}
    t0 = time.process_time()
    res = fit(c.x_fit, c.y_fit)
    out["cpu_default"] = time.process_time() - t0
    out["rmsle_default"], out["cov_default"], out["breaks"] = rmsle(res.predict(c.x_test), c.y_test), _coverage(res, c), res.form.n
    t0 = time.process_time()
    sel = fit(c.x_fit, c.y_fit, interval=None)
    out["cpu_auto_no_band"] = time.process_time() - t0
    t0 = time.process_time()
    try:
        sel.backtest(warm=False, n_starts=3)
        out["cov_cold"] = _coverage(sel, c)
    except (ValueError, RuntimeError):
        out["cov_cold"] = math.nan
    out["cpu_cold_band"] = time.process_time() - t0
    t0 = time.process_time()
    one = fit(c.x_fit, c.y_fit, breaks=1, interval=None)
    out["cpu_one"] = time.process_time() - t0
    out["rmsle_one"] = rmsle(one.predict(c.x_test), c.y_test)
    if reference:
        t0 = time.process_time()
        p = reference_fit(c.x_fit, c.y_fit)
        out["cpu_reference"] = time.process_time() - t0
        with np.errstate(all="ignore"):
            out["rmsle_reference"] = rmsle(_bnsl1(c.x_test, *p), c.y_test)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=".", help="output folder")
    ap.add_argument("--every", type=int, default=1, help="every k-th Revisiting curve (default all 92)")
    ap.add_argument("--reference-every", type=int, default=1, metavar="K",
                    help="run the (slow) reference procedure on every K-th curve only (0: never)")
    ap.add_argument("--synthetic", action="store_true",
                    help="also the seeded synthetic suite of benchmarks/bnsl_selection.py (coverage of the default band)")
    args = ap.parse_args(argv)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    from tqdm.auto import tqdm

    curves = revisiting()[:: args.every]
    if args.synthetic:
        import runpy

        suite = runpy.run_path(str(Path(__file__).with_name("bnsl_selection.py")), run_name="suite")["synthetic_suite"]
        curves += [c for c, _ in suite()]
    k = args.reference_every
    recs = [score(c, k > 0 and i % k == 0) for i, c in enumerate(tqdm(curves, disable=not sys.stderr.isatty()))]
    with open(Path(args.out) / "bnsl_reference_curves.json", "w") as fh:
        json.dump(recs, fh)
    keys = list(dict.fromkeys(k for r in recs for k in r if k not in ("key", "domain")))
    lines = [f"# Default fit vs one break vs the released procedure ({len(curves)} Revisiting curves)", "",
             "| domain | curves | " + " | ".join(keys) + " |", "|" + "---|" * (len(keys) + 2)]
    for dom in ("IC", "NMT", "LM", "BB", "SYN", "all"):
        rs = [r for r in recs if dom in ("all", r["domain"])]
        if rs:
            lines.append(f"| {dom} | {len(rs)} | " + " | ".join(
                f"{np.nanmean([r.get(k, math.nan) for r in rs]):.4f}" for k in keys) + " |")
    rs = [r for r in recs if "cpu_reference" in r] or recs
    ratio = np.mean([r["cpu_default"] for r in rs]) / np.mean([r["cpu_auto_no_band"] for r in rs])
    lines += ["", f"Default fit / the same selection without band: {ratio:.2f}x CPU; default / one break: "
              f"{np.mean([r['cpu_default'] for r in rs]) / np.mean([r['cpu_one'] for r in rs]):.2f}x"
              + (f"; reference / default: {np.mean([r['cpu_reference'] for r in rs]) / np.mean([r['cpu_default'] for r in rs]):.1f}x"
                 if k > 0 else "") + f" (means over the {len(rs)} curves with a reference run).", "",
              f"Data: {ATTRIBUTION}."]
    text = "\n".join(lines)
    out = Path(args.out)
    (out / "bnsl_reference.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
