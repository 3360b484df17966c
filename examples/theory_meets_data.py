"""Theory meets data: does the kernel spectrum of handwritten digits predict their learning curves?

Estimates capacity alpha and source beta from the RBF-kernel spectrum of the 1797
handwritten digits shipped with the toolkit (`st.spectrum`), asks the random-feature model for the exponents they imply
(kernel regression in P, random features in N, time, compute-optimal rule), measures
kernel-regression and random-feature learning curves on the same images, and prints the
two side by side with a verdict. Writes the diagnostics figure into --out.

    python examples/theory_meets_data.py [--kernel rbf] [--out DIR] [--quick]

--quick uses 700 of the 1797 images, 6 bootstrap subsamples and 3 repeats (about 15 s of
CPU); the full run is what `scalingtheory spectrum --dataset digits` does.
"""

import argparse
from pathlib import Path

from scalingtheory.spectrum.compare import theory_meets_data
from scalingtheory.spectrum.datasets import load_digits
from scalingtheory.spectrum.kernels import KERNELS


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="rbf", choices=KERNELS)
    ap.add_argument("--out", default=".", help="folder for the PNG file")
    ap.add_argument("--quick", action="store_true", help="fewer images, subsamples and repeats")
    args = ap.parse_args(argv)
    X, Y, info = load_digits()
    size = dict(n_max=700, bootstrap=6, repeats=3) if args.quick else {}
    res = theory_meets_data(X, Y, args.kernel, dataset=info["name"], **size)
    print(res.report())
    print()
    for key, v in res.verdicts.items():
        print(f"verdict {key}: {v['verdict']}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"theory_meets_data_{info['name']}_{args.kernel}.png"
    res.plot().savefig(path, dpi=110)
    print(f"figure: {path}")


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
