"""Benchmark: BNSL vs M1-M4 (M1 = pure power law) on the Revisiting-NSL learning curves, one run.

For every curve each form is fitted on the ``Training == 1`` points by the same engine
(:mod:`scalingtheory.fitting.curve`) and scored by extrapolation RMSLE on the held-out
points. Writes ``bnsl_revisiting.md`` (table + settings), ``bnsl_revisiting.csv``
(per-domain summary) and ``bnsl_revisiting_curves.csv`` (per curve and form) into ``--out``.

Data: Alabdulmohsin, Neyshabur & Zhai, NeurIPS 2022 (arXiv 2209.06640),
google-research/google-research ``revisiting_neural_scaling_laws/data/``, CC BY 4.0.

    python benchmarks/bnsl_revisiting.py --out results/ [--quick] [--workers 2] [--breaks 1|auto]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from pathlib import Path

from scalingtheory.display import markdown_table
from scalingtheory.fitting.revisiting import (ATTRIBUTION, BENCH_FORMS, default_data_dir, load_curves, run_benchmark,
                                               summarize, table, write_csv)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="folder with benchmark.{vision,lang}.csv or a CSV file "
                                                  "(default: the packaged copy, scalingtheory.datasets)")
    ap.add_argument("--out", default=".", help="output folder")
    ap.add_argument("--quick", action="store_true", help="every 6th curve only (16 curves)")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--breaks", default="1", help="BNSL breaks: integer or 'auto' (default 1)")
    ap.add_argument("--criterion", default="bic-one", help="criterion of --breaks auto (default bic-one)")
    ap.add_argument("--bootstrap", type=int, default=0, help="also score residual-bootstrap bands (replicates)")
    ap.add_argument("--origins", type=int, default=8, help="backtest origins of the conformal band (0: skip it)")
    args = ap.parse_args(argv)
    data = args.data or default_data_dir()
    breaks = args.breaks if args.breaks == "auto" else int(args.breaks)
    curves = load_curves(data)
    if args.quick:
        curves = curves[::6]
    t0 = time.perf_counter()
    records = run_benchmark(curves, BENCH_FORMS, breaks=breaks, workers=args.workers, progress=sys.stderr.isatty(),
                            bootstrap=args.bootstrap, n_origins=args.origins, criterion=args.criterion)
    wall = time.perf_counter() - t0
    rows = summarize(records)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(rows, out / "bnsl_revisiting.csv")
    with open(out / "bnsl_revisiting_curves.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["curve", "domain", "n_fit", "n_test", "form", "rmsle", "coverage", "coverage_cal", "coverage_bt",
                    "coverage_boot", "seconds", "seconds_bt", "error"])
        for r in records:
            for f, res in r["results"].items():
                w.writerow([r["key"], r["domain"], r["n_fit"], r["n_test"], f, res["rmsle"], res["coverage"],
                            res["coverage_cal"], res["coverage_bt"], res.get("coverage_boot", ""),
                            f"{res['seconds']:.4f}", f"{res['seconds_bt']:.4f}", res["error"]])
    text = [f"# BNSL vs M1-M4 on the Revisiting-NSL benchmark ({len(curves)} curves{', quick subset' if args.quick else ''})",
            "", markdown_table(*table(rows)), "",
            f"BNSL breaks: {breaks}. Mean RMSLE of extrapolation on held-out points; wins as in the Revisiting "
            "notebook (RMSLE truncated to 3 decimals, ties split, failures count as 1); s/curve is the fitting "
            "time of each form per curve; coverage: share of held-out points inside "
            "the 95% band, delta method / with the backtest drift term (FitResult.calibrate) / rolling-origin "
            f"conformal band (FitResult.backtest, {args.origins} origins; its time is 'backtest s/curve')"
            + (f" (bootstrap: {args.bootstrap} residual-bootstrap replicates)." if args.bootstrap else "."),
            f"Wall time {wall:.1f} s with {args.workers} worker(s) ({wall / max(len(curves), 1):.2f} s per curve, "
            f"all forms); {platform.processor() or platform.machine()}, Python {platform.python_version()}.",
            "", f"Data: {ATTRIBUTION}."]
    (out / "bnsl_revisiting.md").write_text("\n".join(text) + "\n")
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
