"""``scalingtheory table [--model NAME|all] [--points "alpha=2,beta=1/2; ..."] [--format latex|markdown|csv]``.

Without ``--points`` each model's own table points are used; ``--symbolic`` gives the
closed forms with the numeric parameters left as symbols, one row per regime (model
choices such as ``training`` apply through ``--points "training=lazy"``). Each model gets its
own tables, exponents and then prefactors where it has any (LaTeX: captioned booktabs tables that fit
a portrait page, ``\\usepackage{booktabs,amsmath,adjustbox}``: at most five quantity columns per table,
long entries as numbered notes); CSV is one table. With ``--model all`` a model that cannot be
evaluated at the points is named, with the reason, under the tables and on stderr.
"""

from __future__ import annotations

import sys

NAME = "table"
HELP = "exponent table (LaTeX booktabs, Markdown or CSV) for one model or all"


def configure(parser):
    from ..report import tables

    parser.add_argument("--model", default="all", help="model name or 'all' (default)")
    parser.add_argument("--points", default=None,
                        help='parameter points separated by ";", e.g. "alpha=2,beta=1/2; alpha=3,beta=2"')
    parser.add_argument("--symbolic", action="store_true",
                        help="closed forms: numeric parameters left symbolic, one row per regime")
    parser.add_argument("--format", default="latex", choices=sorted(tables.FORMATS), help="output format")
    parser.add_argument("--output", default=None, metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--force", action="store_true", help="replace an existing --output file (never done otherwise)")


def run(args) -> int:
    from .. import safe_io
    from ..report import tables

    if args.output:
        safe_io.check_file(args.output, args.force)   # before any computation
    results, skipped = tables.collect(args.model, args.points, args.symbolic)
    for model, point, reason in skipped:
        print(f"scalingtheory table: {model} not tabulated at {tables.point_text(point)}: {reason}", file=sys.stderr)
    text = tables.render(results, args.format, skipped)
    if args.output:
        safe_io.atomic_write(args.output, lambda tmp: tmp.write_text(text), args.force)
    else:
        print(text)
    return 0


def __getattr__(name: str):
    """``parse_points`` and ``MAX_POINTS`` live in :mod:`scalingtheory.report.tables` (``st.table`` shares them)."""
    if name in ("parse_points", "MAX_POINTS"):
        from ..report import tables

        return getattr(tables, name)
    raise AttributeError(name)
