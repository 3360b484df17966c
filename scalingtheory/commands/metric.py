"""``scalingtheory metric FILE --x loss --y accuracy [--chance 0.25] [--at 2.1,2.3] [--law LAW --cost COST
--at-compute 1e22,1e23] [--json]``.

Fits a bounded score (accuracy, pass rate, in [0, 1]) against the loss with a logistic link (chance level and
ceiling as parameters; :mod:`scalingtheory.fitting.metric`), or against compute with ``--kind compute``, with
bootstrap intervals. With ``--law`` and ``--cost`` the same file's loss column (``--x``) is also fitted by the
law (as ``fit --law``), and the score is given at the compute-optimal loss of each ``--at-compute`` budget, its
interval carrying both fits' replicates.

JSON (``--json``)::

    {"kind", "params": {"k", "x0", "chance", "ceiling": {"value", "lo", "hi"}}, "not_identified", "n_points",
     "notes", "at": [{"x", "metric": {...}}], "at_compute": [{"C", "loss": {...}, "metric": {...}}]}

``not_identified`` names the parameters the data do not fix (no interval): a free ceiling (chance level) when the
data may show only the lower (upper) tail of the link, with ``x0`` and ``k``.
"""

from __future__ import annotations

NAME = "metric"
HELP = "a downstream score (accuracy) against loss or compute, and at a budget through a fitted loss law"


def configure(parser):
    parser.add_argument("file", metavar="FILE", help="CSV with the predictor (loss or compute) and the score columns")
    parser.add_argument("--x", required=True, help="predictor column: the loss (default kind) or the compute")
    parser.add_argument("--y", required=True, help="score column, in [0, 1]")
    parser.add_argument("--kind", choices=("loss", "compute"), default="loss", help="what --x holds (default loss)")
    parser.add_argument("--chance", type=float, default=None, help="chance level (fitted in [0, 1] when omitted)")
    parser.add_argument("--ceiling", type=float, default=None, help="ceiling (fitted in [0, 1] when omitted)")
    parser.add_argument("--bootstrap", type=int, default=200, help="bootstrap replicates (0 or 2..10,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    parser.add_argument("--at", default=None, help="comma-separated predictor values to give the score at")
    parser.add_argument("--law", default=None, help="a loss law over the file's resource columns (chains to budgets)")
    parser.add_argument("--cost", default=None, help="the law's compute cost, e.g. 6*N*D (with --law)")
    parser.add_argument("--at-compute", default=None, help="comma-separated budgets (with --law and --cost)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _options(args):
    from ..limits import check_count
    from .fit import _floats

    from ..limits import MAX_POINTS

    check_count("bootstrap", args.bootstrap, "--bootstrap")
    if args.seed < 0:
        raise ValueError(f"--seed must be an integer >= 0, got {args.seed}")
    at, budgets = _floats(args.at or "", "--at"), _floats(args.at_compute or "", "--at-compute")
    for name, values in (("--at", at), ("--at-compute", budgets)):
        if len(values) > MAX_POINTS:
            raise ValueError(f"{name}: {len(values):,} values; at most {MAX_POINTS:,}")
    chained = (args.law, args.cost, budgets)
    if any(chained) and not all(chained):
        raise ValueError("--law, --cost and --at-compute go together (the score at the law's L*(C))")
    if args.law and args.kind != "loss":
        raise ValueError("--law chains a score fitted against the loss; drop --kind compute")
    return at, budgets


def run(args) -> int:
    from ..fitting.data import read_columns
    from ..fitting.metric import fit_metric
    from . import json_text

    at, budgets = _options(args)          # before reading or fitting anything
    cols = read_columns(args.file, [args.x, args.y], positive=False)
    fit = fit_metric(cols[args.x], cols[args.y], kind=args.kind, chance=args.chance, ceiling=args.ceiling,
                     bootstrap=args.bootstrap, seed=args.seed)
    out = fit.to_json()
    if at:
        value, lo, hi = fit.predict_interval(at)
        out["at"] = [{"x": x, "metric": {"value": float(v), "lo": float(a), "hi": float(b)}}
                     for x, v, a, b in zip(at, value, lo, hi)]
    if budgets:
        from ..fitting import fit_law

        law = fit_law(args.file, args.law, args.x, cost=args.cost, bootstrap=args.bootstrap, seed=args.seed)
        out["at_compute"] = [{"C": r["C"], "loss": r["loss"].to_json(), "metric": r["metric"].to_json()}
                             for r in fit.at_budget(law, budgets)]
    if args.json:
        print(json_text(out))
        return 0
    print(fit.report())
    for row in out.get("at", []):
        m = row["metric"]
        print(f"    at {args.x} = {row['x']:.4g}: {args.y} = {m['value']:.4g} [{m['lo']:.4g}, {m['hi']:.4g}]")
    for row in out.get("at_compute", []):
        m, L = row["metric"], row["loss"]
        print(f"    at C = {row['C']:.3g}: L* = {L['value']:.4g} [{L['lo']:.4g}, {L['hi']:.4g}], "
              f"{args.y} = {m['value']:.4g} [{m['lo']:.4g}, {m['hi']:.4g}]")
    return 0
