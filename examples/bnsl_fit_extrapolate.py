"""Fit a broken neural scaling law, extrapolate with a bootstrap band, and compare forms.

Reproduces (1) Figure 1 of Caballero et al. (ICLR 2023) with its segment decomposition
and the exact log-log slope, (2) the 4-digit-addition extrapolation of the released
script (fit on 14 points, predict 3), and (3) if the Revisiting-NSL data are available
beside the project (``../shared/data/revisiting_nsl``), one benchmark curve fitted by
BNSL and M1-M4 side by side. Figures are written as PNG into ``--out``.

    python examples/bnsl_fit_extrapolate.py --out figs [--quick]
"""

import argparse
from pathlib import Path

import numpy as np

from scalingtheory.models.bnsl import ADDITION_SPLIT, ADDITION_X, ADDITION_Y, MODEL
from scalingtheory.numerics.fitting import fit, rmsle
from scalingtheory.numerics.revisiting import ATTRIBUTION, M4_UP_BOUND, default_data_dir, load_curves


def benchmark_curve_figure(out: Path, quick: bool) -> Path | None:
    data = default_data_dir()
    if data is None:
        print("Revisiting-NSL data not found; skipping the benchmark-curve figure")
        return None
    from matplotlib.figure import Figure

    curve = load_curves(data, domains=["IC"])[0]
    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    best = fit(curve.x_fit, curve.y_fit, breaks=1)
    best.plot(None, x_test=curve.x_test, y_test=curve.y_test, ax=ax)
    xs = np.logspace(np.log10(curve.x_fit.min()), np.log10(curve.x_test.max()), 200)
    print(f"{curve.key}: extrapolation RMSLE")
    print(f"  bnsl {rmsle(best.predict(curve.x_test), curve.y_test):.4f}")
    for name in ("m1", "m2", "m3", "m4") if not quick else ("m1", "m4"):
        res = fit(curve.x_fit, curve.y_fit, form=name, up_bound=M4_UP_BOUND[curve.domain])
        ax.loglog(xs, res.predict(xs), lw=1, label=name)
        print(f"  {name:4s} {rmsle(res.predict(curve.x_test), curve.y_test):.4f}")
    ax.legend(fontsize=7)
    ax.set_title(curve.key, fontsize=9)
    ax.text(0.01, 0.01, "data: " + ATTRIBUTION[:60] + "...", transform=ax.transAxes, fontsize=5)
    path = out / "bnsl_benchmark_curve.png"
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=".", help="folder for the PNG files")
    ap.add_argument("--quick", action="store_true", help="fewer bootstrap replicates and forms (< 30 s)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = MODEL.figures(out, quick=args.quick)
    xa, ya = np.array(ADDITION_X, float), np.array(ADDITION_Y)
    res = fit(xa[:ADDITION_SPLIT], ya[:ADDITION_SPLIT], breaks=1, space="log1p")
    print(res.report())
    print(f"4-digit addition extrapolation RMSLE {rmsle(res.predict(xa[ADDITION_SPLIT:]), ya[ADDITION_SPLIT:]):.6f}"
          " (released script: 0.010916)")
    extra = benchmark_curve_figure(out, args.quick)
    for p in paths + ([extra] if extra else []):
        print("wrote", p)


if __name__ == "__main__":
    main()
