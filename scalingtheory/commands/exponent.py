"""``scalingtheory exponent --model NAME [--alpha A --beta B ...] [--json]``."""

from __future__ import annotations

from . import json_text

NAME = "exponent"
HELP = "exponents, compute-optimal rule and regime of a model (exact; symbolic for omitted parameters)"
MODEL_PARAMS = True


def configure(parser):
    parser.add_argument("--model", required=True, help="model name (see `scalingtheory models`)")
    parser.add_argument("--json", action="store_true",
                        help="print the machine-readable JSON contract (a list when the answer splits by regime)")
    parser.epilog = ("Model parameters (e.g. --alpha 2 --beta 1/2) follow; `scalingtheory models` lists them. "
                     "An omitted numeric parameter stays symbolic: the exact closed forms come back, one answer "
                     "per regime where the regime depends on it (`exponent --model random_features` gives the "
                     "hard, easy and super-easy forms).")


def run(args) -> int:
    from ..api import optimal
    from ..models import get_model
    from ._model_args import parse_model_args

    model = get_model(args.model)
    params = parse_model_args(model, args.model_args, f"scalingtheory exponent --model {model.name}")
    results = optimal(model.name, **params)
    if args.json:
        data = results.to_json()
        print(json_text(data[0] if len(data) == 1 else data))
    else:
        print("\n\n".join(str(r) for r in results))
    return 0
