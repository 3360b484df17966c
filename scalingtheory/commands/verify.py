"""``scalingtheory verify --model NAME --quantity PATH [model parameters] "FORMULA"``.

Exit status 0 when the formula equals the toolkit's quantity, 1 when it does not,
2 on bad input (unknown model or quantity, parameter out of its domain, a formula
that is not allowed).
"""

from __future__ import annotations

from . import json_text

NAME = "verify"
HELP = "check a hand-derived formula against the toolkit's closed form (exit 0 equal, 1 not equal, 2 bad input, 3 could not decide)"
MODEL_PARAMS = True


def configure(parser):
    parser.add_argument("--model", required=True, help="model name (see `scalingtheory models`)")
    parser.add_argument("--quantity", required=True, metavar="PATH",
                        help="path in the model's JSON output: exponents.t, compute_optimal.loss, "
                             "compute_optimal.allocation.N, prefactors.t, ...")
    parser.add_argument("--regime", metavar="NAME",
                        help="compare the closed form of this regime (e.g. hard, easy, super-easy for random_features "
                             "and feature_learning; --task is its deprecated old name there); omitted: the regime follows the "
                             "parameters, and free parameters are sampled in every regime")
    parser.add_argument("--points", type=int, default=24, help="random points for the numeric check (default 24)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random points")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.usage = "scalingtheory verify --model NAME --quantity PATH [--regime NAME] [model parameters] FORMULA"
    parser.epilog = ('FORMULA: your formula, e.g. "2*beta/(1+beta)" (safe parsing; ^ is power). '
                     "Model parameters: each model's own, as options (e.g. --alpha 2 --training rich; "
                     "`scalingtheory models` lists every model's with its domain); a given one is fixed, an "
                     "omitted one stays free: a symbol in your formula, sampled at --points random points. "
                     "The verdict's method: symbolic (simplify proves yours - toolkit = 0), numeric (equal at "
                     "every point checked, at 50 digits, without a symbolic proof; a note says why) or "
                     "counterexample (a point where they differ, shown).")


def run(args) -> int:
    from ..models import get_model
    from ..verify import verify
    from ._model_args import parse_model_args

    model = get_model(args.model)
    regime = ["--regime", args.regime] if args.regime is not None else []   # checked by the model's own parser
    params = parse_model_args(model, args.model_args + regime, f"scalingtheory verify --model {model.name}",
                              ("formula",))
    formula = params.pop("formula")
    if args.points < 1:
        raise ValueError(f"--points must be >= 1, got {args.points}")
    result = verify(model.name, args.quantity, formula, points=args.points, seed=args.seed, **params)
    print(json_text(result.to_json()) if args.json else repr(result))
    return 0 if result.equal else 1
