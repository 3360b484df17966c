"""``scalingtheory sweep SPEC --out DIR [--scheduler ADDRESS] [--workers K] [--resume] [--yes]``.

Runs a sweep spec (JSON, see :mod:`scalingtheory.sweep.spec`) on a local Dask cluster or on
the scheduler at ADDRESS, writes ``DIR/results.parquet``, ``DIR/exponents.json`` and
``DIR/exponents.png`` and prints the measured exponents beside the closed forms.
Exit status 0 when the sweep completed (a figure that cannot be drawn is a note; a task whose worker
was killed at its memory limit runs once more on a worker with more memory), 2 for a bad
spec, directory or scheduler address, 3 when a task failed, a worker died on it, the scheduler
was lost or no worker was left (one line: the cause, the rows kept, ``--resume``), 130 when
interrupted (finished rows are kept: run again with ``--resume``). Dask's own messages go to
``DIR/dask.log``.
"""

from __future__ import annotations

NAME = "sweep"
HELP = "run a grid of numeric routes (exact draws, DMFT, mean field, exact sums) on Dask; measured vs closed-form exponents"


def configure(parser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="sweep specification (JSON file)")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="output directory: new, empty, or an earlier run of the same spec (with --resume)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="address of a running dask scheduler (e.g. tcp://host:8786); default: a local cluster")
    parser.add_argument("--workers", type=int, metavar="K", default=None,
                        help="local worker processes (default: one per core)")
    parser.add_argument("--resume", action="store_true", help="continue an interrupted sweep in DIR")
    parser.add_argument("--yes", action="store_true",
                        help="allow sweeps beyond the size bounds (tasks, numbers held and numbers touched per task)")
    parser.add_argument("--json", action="store_true", help="print exponents.json instead of the table")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.epilog = _epilog()


def _epilog() -> str:
    from ..sweep.routes import ROUTES

    routes = "; ".join(f"{m} {r}: {', '.join(x.name for x in rt.resources)} (settings "
                       f"{', '.join(s.name for s in rt.settings)})" for (m, r), rt in sorted(ROUTES.items()))
    return ("SPEC: JSON with model, route, grid, vary, fixed, seeds (optional tolerance, fit_range); an example "
            "is examples/sweep_width.json, the format is documented in scalingtheory.sweep.spec.\n"
            f"Routes and their resources: {routes}")


def run(args) -> int:
    import json
    import logging

    from ..sweep import sweep
    from ..sweep.run import dask_loggers

    for log in dask_loggers():        # this process ends with the command: Dask's records after the run (a client
        log.handlers, log.propagate = [logging.NullHandler()], False      # closing on a lost scheduler) too

    result = sweep(args.spec, args.out, scheduler=args.scheduler, workers=args.workers, resume=args.resume,
                   allow_large=args.yes, progress=False if args.no_progress else None)
    print(json.dumps(result.to_json(), indent=2) if args.json else result.report())
    return 0
