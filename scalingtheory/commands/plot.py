"""``scalingtheory plot --model NAME [--out DIR] [--quick]``: write a model's figures as PNG files."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

NAME = "plot"
HELP = "write a model's figures (phase diagrams, theory vs numerics, fits) as PNG files"


def configure(parser):
    parser.add_argument("--model", default="all", help="model name or 'all' (default)")
    parser.add_argument("--out", default=".", metavar="DIR", help="output directory (default: current directory)")
    parser.add_argument("--quick", action="store_true", help="smaller numerics for a fast run")


def run(args) -> int:
    from ..models import available, get_model

    names = available() if args.model == "all" else [get_model(args.model).name]
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} exists and is not a directory")
    with tempfile.TemporaryDirectory(prefix="scalingtheory-plot-") as tmp:
        written = []
        for name in names:
            written += get_model(name).figures(Path(tmp), quick=args.quick)
        out.mkdir(parents=True, exist_ok=True)
        for path in written:
            target = out / Path(path).name
            shutil.copy2(path, target)
            print(target)
    return 0
