"""``scalingtheory models``: the available models, their parameters and what an omitted one becomes."""

from __future__ import annotations

NAME = "models"
HELP = "list the models, their parameters and what an omitted parameter becomes"


def configure(parser):
    pass


def run(args) -> int:
    from ..api import OMITTED_RULE, omitted
    from ..models import available, get_model

    for name in available():
        model = get_model(name)
        rule = omitted(model)
        print(f"{name}: {model.title}")
        for p in model.parameters:
            print(f"  --{p.name:<10} {p.domain_text}; omitted: {rule[p.name]}. {p.description}")
    print(f"Omitted parameters: {OMITTED_RULE}.")
    return 0
