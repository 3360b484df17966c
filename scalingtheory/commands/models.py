"""``scalingtheory models``: the available models and their parameters."""

from __future__ import annotations

NAME = "models"
HELP = "list the models and their parameters"


def configure(parser):
    pass


def run(args) -> int:
    from ..models import available, get_model

    for name in available():
        model = get_model(name)
        print(f"{name}: {model.title}")
        for p in model.parameters:
            print(f"  --{p.name:<10} {p.domain_text}; default {p.default}. {p.description}")
    return 0
