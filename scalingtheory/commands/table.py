"""``scalingtheory table [--model NAME|all] [--points "alpha=2,beta=1/2; ..."] [--format latex|markdown|csv]``.

Without ``--points`` each model's own table points are used; ``--symbolic`` gives the
closed forms with the numeric parameters left as symbols, one row per regime (model
choices such as ``training`` apply through ``--points "training=lazy"``). Each model gets its
own tables, exponents and then prefactors where it has any (LaTeX: captioned booktabs tables,
``\\usepackage{booktabs,amsmath}``); CSV is one table.
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


#: most parameter points one table takes (each point is a full analysis of every model that takes it, up to ~1 s CPU)
MAX_POINTS = 20


def parse_points(text: str) -> list[dict]:
    """``"alpha=2,beta=1/2; alpha=3"`` -> ``[{"alpha": "2", "beta": "1/2"}, {"alpha": "3"}]``."""
    points = []
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        point = {}
        for item in chunk.split(","):
            name, sep, value = item.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise ValueError(f"--points: expected name=value, got {item.strip()!r}")
            if name.strip() in point:
                raise ValueError(f"--points: {name.strip()} given twice in {chunk.strip()!r}")
            point[name.strip()] = value.strip()
        points.append(point)
    if not points:
        raise ValueError("--points is empty")
    if len(points) > MAX_POINTS:
        raise ValueError(f"--points: {len(points)} points; a table takes at most {MAX_POINTS}")
    return points


def _model_rows(model, args) -> list:
    """The results of one model: at its table points, at ``--points``, or symbolic (one per regime)."""
    from ..api import optimal

    if not args.points:
        points = [{}] if args.symbolic else model.table_points()
    else:
        names_ok = {q.name for q in model.parameters}
        points = []
        for point in parse_points(args.points):
            unknown = set(point) - names_ok
            if not unknown:
                points.append(point)
            elif args.model != "all":
                raise ValueError(f"--points: {', '.join(sorted(unknown))} is not a parameter of {model.name}; "
                                 f"parameters: {', '.join(q.name for q in model.parameters)}")
    rows = []
    for point in points:
        try:
            rows += optimal(model.name, **point) if args.symbolic else [model.analyze(**point)]
        except ValueError as exc:
            if args.model != "all":
                raise
            print(f"scalingtheory table: skipped {model.name} at {point}: {exc}", file=sys.stderr)
    return rows


def run(args) -> int:
    from .. import safe_io
    from ..models import available, get_model
    from ..report import tables

    if args.output:
        safe_io.check_file(args.output, args.force)   # before any computation
    names = available() if args.model == "all" else [get_model(args.model).name]
    results = [r for name in names for r in _model_rows(get_model(name), args)]
    if not results:
        raise ValueError("no table rows: no model accepts these points")
    text = tables.render(results, args.format)
    if args.output:
        safe_io.atomic_write(args.output, lambda tmp: tmp.write_text(text), args.force)
    else:
        print(text)
    return 0
