"""``scalingtheory table [--model NAME|all] [--points "alpha=2,beta=1/2; ..."] [--format latex|markdown|csv]``.

Without ``--points`` each model's own table points are used; ``--symbolic`` gives the
closed forms with the numeric parameters left as symbols (model choices such as
``--training`` still apply through ``--points "training=lazy"``).
"""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "table"
HELP = "exponent table (LaTeX booktabs, Markdown or CSV) for one model or all"


def configure(parser):
    from ..report import tables

    parser.add_argument("--model", default="all", help="model name or 'all' (default)")
    parser.add_argument("--points", default=None,
                        help='parameter points separated by ";", e.g. "alpha=2,beta=1/2; alpha=3,beta=2"')
    parser.add_argument("--symbolic", action="store_true", help="closed forms: numeric parameters left symbolic")
    parser.add_argument("--format", default="latex", choices=sorted(tables.FORMATS), help="output format")
    parser.add_argument("--output", default=None, metavar="FILE", help="write to FILE instead of stdout")


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
            point[name.strip()] = value.strip()
        points.append(point)
    if not points:
        raise ValueError("--points is empty")
    return points


def run(args) -> int:
    from ..models import available, get_model
    from ..report import tables

    names = available() if args.model == "all" else [get_model(args.model).name]
    results = []
    for name in names:
        model = get_model(name)
        if args.points:
            names_ok = {q.name for q in model.parameters}
            points = []
            for point in parse_points(args.points):
                unknown = set(point) - names_ok
                if not unknown:
                    points.append(point)
                elif args.model != "all":
                    raise ValueError(f"--points: {', '.join(sorted(unknown))} is not a parameter of {name}; "
                                     f"parameters: {', '.join(q.name for q in model.parameters)}")
        elif args.symbolic:
            points = [{}]
        else:
            points = model.table_points()
        for point in points:
            try:
                results.append(model.analyze(**point))
            except ValueError as exc:
                if args.model != "all":
                    raise
                print(f"scalingtheory table: skipped {name} at {point}: {exc}", file=sys.stderr)
    if not results:
        raise ValueError("no table rows: no model accepts these points")
    text = tables.render(results, args.format)
    if args.output:
        Path(args.output).write_text(text)
    else:
        print(text)
    return 0
