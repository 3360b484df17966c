"""``scalingtheory fit``: fit BNSL, M1-M4 or a power law to a CSV learning curve and extrapolate.

Example::

    scalingtheory fit curve.csv --x "Seen Examples" --y Loss --form bnsl --breaks auto \\
        --train-until 3e9 --predict 5e9,1e10 --json --plot fit.png

JSON (``--json``): ``{"form", "breaks", "selection": {"criterion", "text", "scores"},
"params": {name: value}, "stderr", "pinned": {name: {"bound", "value"}}, "predict":
[{"x", "y", "lo", "hi"}], "rmsle_train", "interval", "notes"}`` plus ``"rmsle_test"`` when
``--train-until`` leaves held-out points and ``"horizon"`` (:meth:`Horizon.to_json
<scalingtheory.fitting.horizon.Horizon.to_json>`) with ``--horizon``. By default the number of breaks is chosen
(``--breaks auto``, ``--criterion bic-one``, see ``derivations/bnsl.py``) and ``"interval"`` is
the rolling-origin conformal band of ``FitResult.backtest`` (``--backtest 8``), else
``delta``, ``calibrated`` or ``bootstrap``. Parameters pinned at a bound and bands
spanning more than two decades (an extrapolation the data do not identify) are notes.
With ``--law "E + A*N**-a + B*D**-b"`` the file holds runs over several resources and the
multi-resource fit of :mod:`scalingtheory.commands._fit_law` answers instead (``--x`` is
then not needed). A one-resource fit warns on stderr when another numeric column varies
among rows with the same x (the data then hold several resources; use ``--law``).
Options that only the other kind of fit reads (``--form``, ``--train-until``, ... with ``--law``;
``--cost``, ``--group``, ... without it) are refused with status 2 before any computation, never ignored.
A failed fit exits with status 2 and a one-line reason; the plot is written only after
a successful fit, through a temporary file renamed into place (never a partial file).
"""

from __future__ import annotations

import argparse

from . import json_text
from ._fit_law import _check_plot, _floats

NAME = "fit"
HELP = ("fit a learning-curve form (BNSL, M1-M4, power law) to CSV data and extrapolate with intervals, "
        "or a multi-resource law (--law) with its compute-optimal allocation")


#: narrowest x range a curve may span, in decades (a factor 1.023): narrower data fix no exponent
MIN_SPAN_DECADES = 0.01
#: most points fitted (about 30 s): the default fit of a noisy power law took 3.7 s CPU at 1,000 points and
#: 18.5 s at 10,000 (measured 2026-11-27 under load); beyond, thin or bin the curve
MAX_FIT_POINTS = 10_000


def _check_curve(x, y, name_x: str, name_y: str) -> None:
    """Refuse data that cannot determine a scaling law: fewer than 3 distinct x, x spanning less
    than ``MIN_SPAN_DECADES``, or y rising with x (the forms fit a decreasing loss)."""
    import numpy as np

    if x.size > MAX_FIT_POINTS:
        raise ValueError(f"{x.size:,} points to fit; fits are limited to {MAX_FIT_POINTS:,} (about 30 s): thin the "
                         f"curve or average it in log-spaced bins of {name_x} first")
    if np.unique(x).size < 3:
        raise ValueError(f"{name_x} takes {np.unique(x).size} distinct value(s); a fit needs at least 3")
    span = np.log10(x.max() / x.min())
    if span < MIN_SPAN_DECADES:
        raise ValueError(f"{name_x} spans only {span:.2g} decades ({x.min():g} to {x.max():g}); at least "
                         f"{MIN_SPAN_DECADES} decades are needed to fit a scaling law")
    slope = np.polyfit(np.log(x), np.log(y), 1)[0]
    if slope > 0 and y[-1] > y[0]:
        raise ValueError(f"{name_y} rises with {name_x} (log-log slope {slope:+.3g}); the forms fit a decreasing "
                         "loss or error (for an accuracy, use 1 - accuracy)")


class _Only(argparse.Action):
    """Store an option that only one kind of fit reads (``only``: ``"--x"``, the one-resource fit, or
    ``"--law"``) and record in ``namespace.only_given`` that it was given, so that :func:`_refuse_mixed`
    can refuse it with the other kind (an explicit default value is refused too)."""

    def __init__(self, option_strings, dest, only: str, **kwargs):
        self.only = only
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, self.const if self.nargs == 0 else values)
        namespace.only_given = {**getattr(namespace, "only_given", {}), self.option_strings[0]: self.only}


def _refuse_mixed(args) -> None:
    """``ValueError`` naming the options given that the chosen kind of fit would ignore."""
    kind = "--law" if args.law else "--x"
    stray = [name for name, only in getattr(args, "only_given", {}).items() if only != kind]
    if stray and args.law:
        raise ValueError(f"{', '.join(stray)}: not used with --law (option(s) of the one-resource fit in --x); "
                         "remove them")
    if stray:
        raise ValueError(f"{', '.join(stray)}: used only with --law (a multi-resource law); remove them or give --law")


def configure(parser) -> None:
    from ..fitting.curve_choices import (CRITERIA, DEFAULT_CRITERION, DEFAULT_MAX_BREAKS, FORM_NAMES,
                                        MAX_BREAK_MARGIN, SPACES)

    parser.add_argument("file", help="CSV file with a header row (UTF-8, BOM and CRLF accepted)")
    parser.add_argument("--delimiter", action=_Only, only="--x", default=None, choices=(",", ";", "tab", "|"),
                        help="field delimiter of the one-resource fit (default: found from the header line "
                             "among , ; tab, as --law always does)")
    parser.add_argument("--law", default=None,
                        help='multi-resource law, e.g. "E + A*N**-a + B*D**-b" (symbols naming columns are resources); '
                             "then options of the one-resource fit (--x, --form, --train-until, ...) are refused")
    parser.add_argument("--x", action=_Only, only="--x", default=None, help="column of the resource x (> 0); required without --law")
    parser.add_argument("--y", required=True, help="column of the loss / error y (> 0, lower is better; use 1 - accuracy)")
    parser.add_argument("--form", action=_Only, only="--x", default="bnsl", choices=FORM_NAMES, help="functional form (power = M1)")
    parser.add_argument("--breaks", action=_Only, only="--x", default="auto", help="BNSL breaks: an integer >= 0 or 'auto' (default: auto, "
                                                        "0 to --max-breaks chosen by --criterion)")
    parser.add_argument("--criterion", action=_Only, only="--x", default=DEFAULT_CRITERION, choices=CRITERIA,
                        help=f"how --breaks auto chooses the number of breaks (default {DEFAULT_CRITERION})")
    parser.add_argument("--max-breaks", action=_Only, only="--x", type=int, default=DEFAULT_MAX_BREAKS,
                        help=f"largest number of breaks --breaks auto tries (default {DEFAULT_MAX_BREAKS})")
    parser.add_argument("--break-margin", action=_Only, only="--x", type=float, default=None, metavar="DECADES",
                        help="BNSL: let breaks lie up to DECADES (0 to "
                             f"{MAX_BREAK_MARGIN:g}) beyond the data (default: at least 2 fitting points beyond every "
                             "break). Reaches a break the curvature announces (noiseless 4-digit addition cut at 405: "
                             "RMSLE 3e-10 vs 1.4) at the cost of breaks fitted to noise beyond the data deciding the "
                             "extrapolation (Revisiting BB: 0.0171 vs 0.0092); see --horizon")
    parser.add_argument("--horizon", action=_Only, only="--x", nargs=0, const=True, default=False,
                        help="BNSL: limit of predictability: beyond which x a further break (log-log slope change 1, "
                             "the sharpest the fit resolves, and 0.1, 0.3, 1) cannot be located from these data and "
                             "their noise, and beyond which x the extrapolation is not identified")
    parser.add_argument("--train-until", action=_Only, only="--x", type=float, default=None,
                        help="fit only points with x <= this; later points are scored (rmsle_test)")
    parser.add_argument("--predict", default="", help="comma-separated x values to predict at (one-resource fit; "
                                                     "with --law ask at budgets: --at-compute)")
    parser.add_argument("--level", type=float, default=0.95, help="prediction-interval level (default 0.95)")
    parser.add_argument("--bootstrap", type=int, default=None,
                        help="bootstrap replicates for intervals (default 0: delta method; with --law 200, over rows, "
                             "or over the runs named by --group)")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    parser.add_argument("--calibrate", action=_Only, only="--x", nargs=0, const=True, default=False,
                        help="widen delta-method intervals by the extrapolation drift of a backtest on the last 25%% of "
                             "the fitting points (ignored with --bootstrap)")
    parser.add_argument("--backtest", action=_Only, only="--x", type=int, default=8, metavar="ORIGINS",
                        help="rolling-origin conformal band from this many backtest refits on prefixes of the fitting "
                             "points (default 8; 0: delta method; ignored with --bootstrap or --calibrate); with too "
                             "few points it falls back to the delta method with a note")
    parser.add_argument("--space", action=_Only, only="--x", default="log", choices=SPACES, help="residual space (log1p = released BNSL)")
    parser.add_argument("--up-bound", action=_Only, only="--x", type=float, default=None, help="M4: upper bound of eps_0 (1 for error rates)")
    parser.add_argument("--cost", action=_Only, only="--law", default=None, help='--law: compute cost, e.g. "6*N*D", for the compute-optimal allocation')
    parser.add_argument("--loss", action=_Only, only="--law", default="huber", choices=("huber", "mse"),
                        help="--law: loss on log residuals (default huber, delta 1e-3 as Hoffmann et al.)")
    parser.add_argument("--delta", action=_Only, only="--law", type=float, default=1e-3, help="--law: Huber delta on log loss (default 1e-3)")
    parser.add_argument("--group", action=_Only, only="--law", default=None, help="--law: column naming each row's run; the bootstrap resamples whole runs")
    parser.add_argument("--at-compute", action=_Only, only="--law", default="", help="--law: comma-separated budgets C for N*(C), D*(C), L*(C)")
    parser.add_argument("--hold", action=_Only, only="--law", default="", metavar="NAME=VALUE[,...]",
                        help="--law: resources the cost does not allocate, held at these values (e.g. unique tokens U=1e10)")
    parser.add_argument("--holdout", action=_Only, only="--law", type=int, default=0, metavar="K",
                        help="--law: audit: refit without the K runs of largest cost and score their predictions")
    parser.add_argument("--resources", action=_Only, only="--law", default="", metavar="COL,...",
                        help="--law: the resource columns, named (default: every law symbol naming a column)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a text report")
    parser.add_argument("--plot", default=None, help="write a PNG of data, fit and band")
    parser.add_argument("--force", action="store_true", help="replace an existing --plot file (never done otherwise)")


def _breaks(text: str):
    """``"auto"`` or the number of breaks, within :data:`scalingtheory.limits.LIMITS` (ASCII digits only)."""
    from ..limits import LIMITS, check_count
    from ..number_text import ascii_int

    if text == "auto":
        return "auto"
    try:
        n = ascii_int(text)
    except ValueError:
        raise ValueError(f"--breaks must be 'auto' or {LIMITS['breaks'].text()}, got {text[:40]!r}") from None
    return check_count("breaks", n, "--breaks")


def _options(args) -> tuple:
    """``(breaks, predict_x, interval)`` from the one-resource options; bad values raise ValueError
    before any file is read (and an existing --plot file is refused before any computation)."""
    if not args.x:
        raise ValueError("give --x (one-resource fit) or --law (multi-resource law)")
    import math

    from ..limits import MAX_POINTS, check_count
    from ..fitting.curve_choices import MAX_BREAK_MARGIN

    args.bootstrap = check_count("bootstrap", args.bootstrap or 0, "--bootstrap")
    args.backtest = check_count("origins", args.backtest, "--backtest")
    args.max_breaks = check_count("max_breaks", args.max_breaks, "--max-breaks")
    breaks = _breaks(args.breaks)
    if (args.break_margin is not None or args.horizon) and args.form != "bnsl":
        raise ValueError(f"{'--horizon' if args.horizon else '--break-margin'} applies to --form bnsl, "
                         f"not {args.form}")
    if args.break_margin is not None and not 0 <= args.break_margin <= MAX_BREAK_MARGIN:
        raise ValueError(f"--break-margin must be a number of decades from 0 to {MAX_BREAK_MARGIN:g}, "
                         f"got {args.break_margin:g}")
    predict_x = _floats(args.predict, "--predict")
    if len(predict_x) > MAX_POINTS:
        raise ValueError(f"--predict: {len(predict_x):,} values; at most {MAX_POINTS:,}")
    if args.seed < 0:
        raise ValueError(f"--seed must be an integer >= 0, got {args.seed}")
    if args.up_bound is not None and (args.form != "m4" or not (math.isfinite(args.up_bound) and args.up_bound > 0)):
        raise ValueError(f"--up-bound caps M4's eps_0: a finite number > 0 with --form m4, got {args.up_bound:g}"
                         f"{'' if args.form == 'm4' else ' with --form ' + args.form}")
    _check_plot(args)
    interval = ("bootstrap" if args.bootstrap else "calibrated" if args.calibrate
                else "backtest" if args.backtest else "delta")
    return breaks, predict_x, interval


def _curve(args) -> tuple:
    """``(x, y, notes, train)``: the checked curve of the CSV file and the mask of fitting points."""
    import numpy as np

    from ..fitting.curve import load_csv, prepare_data
    from . import _fit_law

    x, y = load_csv(args.file, args.x, args.y, args.delimiter)
    _fit_law.warn_other_resources(args.file, args.x, args.y)
    x, y, notes = prepare_data(x, y, args.x, args.y)
    _check_curve(x, y, args.x, args.y)
    if args.up_bound is not None and not args.up_bound > y.max():
        raise ValueError(f"--up-bound {args.up_bound:g} must exceed the largest {args.y} ({y.max():g}); M4 would "
                         "ignore it")
    train = np.ones(x.size, bool) if args.train_until is None else x <= args.train_until
    if train.sum() == 0:
        raise ValueError(f"--train-until {args.train_until:g} leaves no fitting points (min x is {x.min():g})")
    return x, y, notes, train


def _print_report(args, res, out: dict, predict_x: list) -> None:
    """The text report: the fit, the held-out error and the predictions with their band."""
    print(res.report())
    if "rmsle_test" in out:
        print(f"RMSLE on {out['n_test']} held-out points: {out['rmsle_test']:.6g}")
    for x_, y_, lo, hi in res.predict(predict_x, args.level).rows() if predict_x else ():
        print(f"x = {x_:.6g}: y = {y_:.6g}  [{lo:.4g}, {hi:.4g}] ({args.level:.0%} {res.interval} band)")


def run(args) -> int:
    from .. import safe_io
    from ..fitting.curve import fit, rmsle
    from . import _fit_law

    _refuse_mixed(args)
    if not 0 < args.level < 1:
        raise ValueError(f"--level must be in (0, 1), got {args.level}")
    if args.law:
        return _fit_law.run(args)
    breaks, predict_x, interval = _options(args)
    x, y, notes, train = _curve(args)
    try:
        res = fit(x[train], y[train], form=args.form, breaks=breaks, criterion=args.criterion, space=args.space,
                  max_breaks=args.max_breaks, up_bound=args.up_bound, names=(args.x, args.y), interval=interval,
                  bootstrap=args.bootstrap, seed=args.seed, origins=args.backtest or 8, break_margin=args.break_margin)
    except RuntimeError as exc:
        raise ValueError(f"fit failed: {exc}") from None
    res.notes = notes + [n for n in res.notes if n not in notes]
    horizon = res.horizon(level=args.level) if args.horizon else None
    beyond = horizon.note(predict_x) if horizon is not None else None
    res.notes += [beyond] if beyond else []
    out = res.to_json(predict_x, level=args.level)  # adds the note when a band spans > 2 decades
    if horizon is not None:
        out["horizon"] = horizon.to_json()
    if (~train).any():
        out["rmsle_test"] = rmsle(res.predict(x[~train]), y[~train])
        out["n_test"] = int((~train).sum())
    if args.plot:
        safe_io.atomic_write(args.plot, lambda tmp: res.plot(
            path=tmp, x_test=x[~train] if (~train).any() else None, y_test=y[~train],
            x_max=max(predict_x) if predict_x else None, level=args.level), args.force)
    if args.json:
        print(json_text(out))
    else:
        _print_report(args, res, out, predict_x)
        if horizon is not None:
            print("\n".join(horizon.lines()))
    return 0
