"""``scalingtheory exponent --model NAME [--alpha A --beta B ...] [--json]``."""

from __future__ import annotations

import json

NAME = "exponent"
HELP = "exponents, compute-optimal rule and regime of a model (exact; symbolic for omitted parameters)"
MODEL_PARAMS = True


def configure(parser):
    parser.add_argument("--model", required=True, help="model name (see `scalingtheory models`)")
    parser.add_argument("--json", action="store_true", help="print the machine-readable JSON contract")
    parser.epilog = "Model parameters (e.g. --alpha 2 --beta 1/2) follow; `scalingtheory models` lists them."


def run(args) -> int:
    from ..models import get_model
    from ._model_args import parse_model_args

    model = get_model(args.model)
    params = parse_model_args(model, args.model_args, f"scalingtheory exponent --model {model.name}")
    result = model.analyze(**params)
    print(json.dumps(result.to_json(), indent=2) if args.json else str(result))
    return 0
