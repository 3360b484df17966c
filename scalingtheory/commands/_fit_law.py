"""``scalingtheory fit FILE --law ...``: fit a multi-resource law and answer the compute-optimal question.

Example::

    scalingtheory fit runs.csv --law "E + A*N**-a + B*D**-b" --y loss --cost "6*N*D" \\
        --bootstrap 200 --seed 0 --at-compute 1e24,1e25 --json --plot fit.png [--group run] [--holdout 10]
    scalingtheory fit runs.csv --law "E + A*N**-a + B*(U + U*R*(1 - exp(-(D/U - 1)/R)))**-b" --y loss \\
        --cost "6*N*D" --hold U=1e10 --at-compute 1e22

JSON (``--json``)::

    {"law", "n_points", "route": "varpro" | "nls", "params": {NAME: {"value", "lo", "hi"}},
     "not_identified": [NAME, ...], "bootstrap": {"replicates", "failed"} | null,
     "compute_optimal": {"cost", "route": "exact" | "numeric", "hold": {RESOURCE: VALUE},
                         "loss": {"value", "lo", "hi", "expr"} | null,
                         "allocation": {RESOURCE: {"value", "lo", "hi", "expr"}},
                         "at": [{"C", RESOURCE: {"value", "lo", "hi"}, "loss": {...}}]},
     "rmsle_train", "interval", "notes"}
    plus, with --holdout K: "holdout": {"k", "by", "coverage", "rmsle",
                                        "rows": [{RESOURCE, "loss", "predicted", "lo", "hi", "inside"}]}

``compute_optimal`` is ``null`` without ``--cost``; a budget at which no interior optimum is found (values
``null``, with a note) makes the exit status 3 (could not decide). A parameter that ends at a search bound is not identified
(listed in ``not_identified``, its interval open (``null``) on that side). The numeric route (a law that is
not a sum of products of powers) gives no constant exponents (``loss`` null, ``allocation`` empty), only
the allocation at each budget. ``--predict`` (x values of a one-resource fit) is
refused here (exit 2): the law is asked at compute budgets (``--at-compute``). ``"approaches"`` (Chinchilla
Approaches 1 and 2 beside the parametric fit) is added when the data allow them.
Intervals are bootstrap percentile intervals (``--bootstrap``, seeded) over rows, or with ``--group COL``
over the runs that column names (the rows of one training curve are resampled together); ``"interval"``
states which, e.g. "bootstrap over 40 groups of column 'run' (runs / curves), 200 resamples, seed 0, 95%
percentile intervals".
The plot is written only after a successful fit, by :func:`scalingtheory.safe_io.atomic_write`
(a temporary name renamed into place; never through a symbolic link).
"""

from __future__ import annotations

import json
import sys


def _floats(text: str, name: str) -> list[float]:
    """Comma-separated finite positive numbers (``inf``, ``nan``, ``1e309`` and ``0`` are refused, quoting the
    value: :func:`scalingtheory.commands.positive_float`)."""
    from . import positive_float

    return [positive_float(item, f"{name} values") for item in (v.strip() for v in text.split(",")) if item]


def _check_plot(args) -> None:
    """Refuse a ``--plot`` that is not a ``.png`` or (without ``--force``) an existing file, before any computation."""
    from .. import safe_io

    if args.plot and not args.plot.lower().endswith(".png"):
        raise ValueError(f"--plot must name a .png file, got {args.plot!r}")
    if args.plot:
        safe_io.check_file(args.plot, args.force)


#: replicates when --bootstrap is not given
DEFAULT_BOOTSTRAP = 200


def _budgets(text: str) -> list[float]:
    return _floats(text or "", "--at-compute")   # finite and > 0, or ValueError


def run(args) -> int:
    """The ``--law`` branch of :mod:`scalingtheory.commands.fit`."""
    from .. import safe_io
    from ..fitting import fit_law


    if _floats(args.predict or "", "--predict"):    # a bad value gets the one-resource fit's message
        raise ValueError("--predict takes x values of a one-resource fit (--x); a law over several resources "
                         "is asked at compute budgets: --cost and --at-compute")
    budgets = _budgets(args.at_compute)
    if budgets and not args.cost:
        raise ValueError("--at-compute needs --cost (e.g. --cost '6*N*D')")
    _check_plot(args)   # before any computation
    n_boot = DEFAULT_BOOTSTRAP if args.bootstrap is None else args.bootstrap
    if n_boot < 0:
        raise ValueError(f"--bootstrap must be >= 0, got {n_boot}")
    if args.group is not None and n_boot == 0:   # refused, never ignored, as the other kind's options are
        raise ValueError("--group: used only by the bootstrap, and --bootstrap is 0; remove it or give --bootstrap N")
    from ..fitting.checks import parse_hold_text

    fitted = fit_law(args.file, args.law, args.y, loss=args.loss, delta=args.delta, cost=args.cost or None,
                     bootstrap=n_boot, seed=args.seed, level=args.level, group=args.group,
                     hold=parse_hold_text([args.hold]) if args.hold else None, holdout=args.holdout,
                     resources=[r.strip() for r in args.resources.split(",")] if args.resources else None)
    out = fitted.to_json(at=budgets)
    if args.plot:
        figure = fitted.plot(cost=args.cost or None).figure
        safe_io.atomic_write(args.plot, lambda tmp: figure.savefig(tmp, dpi=110, bbox_inches="tight"), args.force)
    if args.json:
        print(json.dumps(out, indent=2, allow_nan=False))
    else:
        print(fitted.report(at=budgets))
    rows = (out["compute_optimal"] or {}).get("at") or []
    return 3 if any(row["loss"]["value"] is None for row in rows) else 0   # a budget without an answer: undecided


def warn_other_resources(path, x: str, y: str) -> list[str]:
    """Warn (stderr) when numeric columns other than ``x``, ``y`` vary among rows with the same ``x``.

    Such data hold more than one resource (e.g. N and D): a one-resource fit in ``x``
    would mix runs that differ in the other column. Returns the names of those columns.
    """
    from ..fitting.data import numeric_columns, varying_within

    cols = numeric_columns(path)
    if x not in cols:
        return []
    others = [n for n, v in cols.items() if n not in (x, y) and varying_within(cols[x], v)]
    if others:
        names = ", ".join(repr(n) for n in others)
        example = f' e.g. --law "E + A*{x}**-a + B*{others[0]}**-b"' if (x + others[0]).isidentifier() \
            and x.isidentifier() else ""
        print(f"scalingtheory fit: warning: column {names} varies among rows with the same {x}; "
              f"a one-resource fit in {x} mixes those runs. Fit a multi-resource law with --law,{example}",
              file=sys.stderr)
    return others
