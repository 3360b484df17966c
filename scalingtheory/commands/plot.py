"""``scalingtheory plot --model NAME [--out DIR] [--quick]``: write a model's figures as PNG files."""

from __future__ import annotations

import tempfile
from pathlib import Path

NAME = "plot"
HELP = "write a model's figures (phase diagrams, theory vs numerics, fits) as PNG files"


def configure(parser):
    parser.add_argument("--model", default="all", help="model name or 'all' (default)")
    parser.add_argument("--out", default=".", metavar="DIR", help="output directory (default: current directory)")
    parser.add_argument("--quick", action="store_true", help="smaller numerics for a fast run")
    parser.add_argument("--force", action="store_true",
                        help="replace files of the same names that scalingtheory did not write")


def run(args) -> int:
    from .. import safe_io
    from ..models import available, get_model
    from ..plots import write_figures

    safe_io.check_dir(args.out, "plot", empty_or_ours=False)   # before any computation
    names = available() if args.model == "all" else [get_model(args.model).name]
    with tempfile.TemporaryDirectory(prefix="scalingtheory-plot-") as tmp:
        written = []
        for name in names:
            written += write_figures(get_model(name), Path(tmp), quick=args.quick)
        for target in safe_io.publish({Path(p).name: p for p in written}, args.out, "plot", args.force):
            print(Path(args.out) / target.name)
    return 0
