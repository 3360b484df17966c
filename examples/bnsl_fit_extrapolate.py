"""Fit a broken neural scaling law, extrapolate with uncertainty, and compare functional forms.

Writes (via ``scalingtheory.models.bnsl.MODEL.figures``) into ``--out``:
(1) Figure 1 of Caballero et al. (ICLR 2023) with its segment decomposition and the exact
log-log slope; (2) the 4-digit-addition extrapolation of the released script (fit on 14
points, predict 3) with a bootstrap band; (3) one curve of the Revisiting-NSL benchmark
(shipped with the package: ``scalingtheory.datasets.revisiting()``) fitted by BNSL's default
(number of breaks chosen, backtest band) and M1-M4. Prints the fit report and the reference
comparison.

    python examples/bnsl_fit_extrapolate.py --out figs [--quick]
"""

import argparse
from pathlib import Path

import numpy as np

from scalingtheory.models.bnsl import ADDITION_REFERENCE_RMSLE, ADDITION_SPLIT, ADDITION_X, ADDITION_Y, MODEL
from scalingtheory.fitting.curve import fit, rmsle
from scalingtheory.plots import write_figures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=".", help="folder for the PNG files")
    ap.add_argument("--quick", action="store_true", help="fewer bootstrap replicates and forms (< 30 s)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    xa, ya = np.array(ADDITION_X, float), np.array(ADDITION_Y)
    res = fit(xa[:ADDITION_SPLIT], ya[:ADDITION_SPLIT], breaks=1, space="log1p")
    print(res.report())
    print(f"4-digit addition extrapolation RMSLE {rmsle(res.predict(xa[ADDITION_SPLIT:]), ya[ADDITION_SPLIT:]):.6f}"
          f" (released script: {ADDITION_REFERENCE_RMSLE:.6f})")
    print("LaTeX:", res.latex())
    for path in write_figures(MODEL, out, quick=args.quick):
        print("wrote", path)


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
