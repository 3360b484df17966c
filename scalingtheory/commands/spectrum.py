"""``scalingtheory spectrum``: alpha and beta from a data set's kernel spectrum, the models'
predicted exponents, and learning curves measured on the same data, with a verdict.

Example::

    scalingtheory spectrum --dataset digits --json --plot digits.png
    scalingtheory spectrum mydata.csv --y label --onehot --kernel laplace

JSON (``--json``): ``{"dataset", "kernel", "n", "bandwidth", "alpha": {"value", "lo", "hi",
"range", "method"}, "beta": {...}, "noise": {"sigma2", "fraction", "k_flat"}, "predicted":
{"P": {"value", "lo", "hi", "expr", "regime", "description"}, "P_noisy", "N", "t", "C", "C.N",
"C.t"}, "measured": {"P": {"value", "lo", "hi", "range", "method", "setup", "sizes", "loss"},
"N": {...}}, "verdicts": {"P": {"verdict", "text"}, "N": {...}}, "notes"}``. Each verdict is the
toolkit's one rule (:mod:`scalingtheory.verdict`, also in ``notes``): ``agree``, ``disagree``,
``inconclusive`` (an interval too wide to decide) or ``no power law`` (the measured loss does
not fall). The exit status is 0 when a verdict was given, 3 (could not decide) when nothing
could be predicted: alpha's interval reaches 0 (the spectrum is not shown to decay, ``beta``
is ``null``) or (alpha, beta) lies outside the models' domain; a note says why.
"""
from __future__ import annotations

from . import FAILED, OK

NAME = "spectrum"
HELP = ("alpha, beta from a data set's kernel spectrum; predicted vs measured learning-curve exponents "
        "(kernel regression in P, random features in N)")


def configure(parser) -> None:
    from ..spectrum.datasets import DATASETS
    from ..spectrum.kernels import KERNELS
    parser.add_argument("file", nargs="?", help="CSV with a header row (or .npy array) of inputs and a target")
    parser.add_argument("--dataset", choices=sorted(DATASETS), help="a bundled data set instead of FILE "
                        "(digits: 1797 handwritten 8x8 digits, shipped; teacher: power-law teacher, "
                        "alpha = 3/2, beta = 1/2)")
    parser.add_argument("--y", help="target column of FILE (a name; for .npy a column index)")
    parser.add_argument("--onehot", action="store_true", help="the target holds class labels (one-hot outputs)")
    parser.add_argument("--kernel", choices=KERNELS, default=None,
                        help="kernel (default: rbf; the teacher data set uses linear)")
    parser.add_argument("--bandwidth", default="median", help="'median' (median heuristic) or a number")
    parser.add_argument("--n-max", type=int, default=2000, help="subsample larger data sets (seeded; default 2000)")
    parser.add_argument("--bootstrap", type=int, default=20, help="bootstrap subsamples for the intervals (default 20)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per learning-curve point (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of subsampling, bootstrap and splits")
    parser.add_argument("--json", action="store_true", help="print the JSON contract instead of a text report")
    parser.add_argument("--plot", default=None, metavar="PNG", help="write the diagnostics figure (PNG)")
    parser.add_argument("--force", action="store_true", help="replace an existing --plot file (never done otherwise)")


def _data(args):
    from ..spectrum.datasets import DATASETS, load, load_file
    if (args.file is None) == (args.dataset is None):
        raise ValueError("give either FILE (with --y COLUMN) or --dataset NAME")
    if args.dataset:
        X, Y, info = load(args.dataset)
        return X, Y, info["name"], args.kernel or DATASETS[args.dataset]
    if args.y is None:
        raise ValueError("FILE needs --y COLUMN (the target column)")
    X, Y, info = load_file(args.file, args.y, args.onehot)
    return X, Y, info["name"], args.kernel or "rbf"


def run(args) -> int:
    import json

    from .. import safe_io
    from ..number_text import ascii_float
    from ..spectrum.compare import theory_meets_data
    if args.plot:
        if not args.plot.lower().endswith(".png"):
            raise ValueError(f"--plot must name a .png file, got {args.plot!r}")
        safe_io.check_file(args.plot, args.force)              # before any computation
    bandwidth = args.bandwidth
    if bandwidth != "median":
        try:
            bandwidth = ascii_float(bandwidth)
        except ValueError:
            raise ValueError(f"--bandwidth must be 'median' or a positive number, got {args.bandwidth!r}") from None
    X, Y, name, kernel = _data(args)
    res = theory_meets_data(X, Y, kernel, dataset=name, bandwidth=bandwidth, n_max=args.n_max,
                            bootstrap=args.bootstrap, repeats=args.repeats, seed=args.seed,
                            progress=safe_io.interactive())
    if args.plot:                                 # temporary name, renamed into place; never through a symlink
        safe_io.atomic_write(args.plot, lambda tmp: res.plot().savefig(tmp, dpi=110), args.force)
    print(json.dumps(res.to_json(), indent=2, allow_nan=False) if args.json else res.report())
    return OK if res.verdicts else FAILED          # nothing predicted (beta not identified or outside): could not decide
