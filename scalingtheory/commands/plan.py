"""``scalingtheory plan FILE --law LAW --y COL --cost COST --budget C --runs K --max-run-compute c [--json]``.

Fits the law to the runs of ``FILE`` (as ``fit --law`` does, without the bootstrap unless ``--bootstrap``), then
proposes the ``K`` runs, each costing at most ``c``, that most shrink the interval of the compute-optimal
allocation at budget ``C`` (:func:`scalingtheory.fitting.plan.plan`: greedy c-optimal design for the variance of
``log X*(C)``, delta method). ``--hold U=1e10`` fixes a resource outside the cost (planned runs keep it).
``--candidates FILE2`` takes the candidate runs from a CSV with the resource columns
instead of the default grid.

JSON (``--json``)::

    {"budget", "target", "criterion", "level",
     "runs": [{RESOURCE: value, ..., "cost"}],
     "before": {RESOURCE: {"value", "lo", "hi"}, ..., "loss": {...}},
     "after":  {RESOURCE: {"value", "lo", "hi"}, ..., "loss": {...}}, "notes"}
"""

from __future__ import annotations

NAME = "plan"
HELP = "which runs to train next: the K runs that most shrink the interval of the compute-optimal allocation"


def configure(parser):
    parser.add_argument("file", metavar="FILE", help="CSV of finished runs (resource columns and the loss)")
    parser.add_argument("--law", required=True, help='the law, e.g. "E + A*N**-a + B*D**-b"')
    parser.add_argument("--y", default="loss", help="response column (default loss)")
    parser.add_argument("--cost", required=True, help='compute cost of one run, e.g. "6*N*D"')
    parser.add_argument("--budget", required=True, type="positive", help="the budget C whose allocation should be pinned down")
    parser.add_argument("--runs", required=True, type=int, help="how many runs to propose (1 to 1,000)")
    parser.add_argument("--max-run-compute", required=True, type="positive", help="largest cost of one proposed run")
    parser.add_argument("--target", default=None, help="resource whose X*(C) interval to shrink (default: the first)")
    parser.add_argument("--candidates", default=None, metavar="FILE2",
                        help="CSV of candidate runs (the resource columns) instead of the default grid")
    parser.add_argument("--hold", default="", metavar="NAME=VALUE[,...]",
                        help="resources outside the cost held at a value (as fit --law --hold); planned runs keep them")
    parser.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    import numpy as np

    from ..fitting import fit_law
    from ..fitting.checks import parse_hold_text
    from ..fitting.data import read_columns
    from ..fitting.plan import plan
    from ..limits import check_count
    from . import json_text

    check_count("plan_runs", args.runs, "--runs")        # before the fit (--budget, --max-run-compute: parsed > 0)
    fitted = fit_law(args.file, args.law, args.y, cost=args.cost, bootstrap=0, level=args.level,
                     hold=parse_hold_text([args.hold]) if args.hold else None)
    cands = None
    if args.candidates:
        names = [x.name for x in fitted.model.resources]
        cols = read_columns(args.candidates, names)
        cands = np.column_stack([cols[n] for n in names])
    result = plan(fitted, args.budget, args.runs, args.max_run_compute, target=args.target, candidates_X=cands)
    print(json_text(result.to_json()) if args.json else result.report())
    return 0
