"""Parse a model's parameters from the command line (``--alpha 2 --beta 1/2 --training lazy``)."""

from __future__ import annotations

import argparse

from ..models import Model
from . import ArgumentParser
from ..params import Choice


def model_parser(model: Model, prog: str) -> argparse.ArgumentParser:
    """An argument parser for ``model``'s parameters; values stay strings (converted exactly later)."""
    from ..api import omitted

    parser = ArgumentParser(prog=prog, add_help=False, allow_abbrev=False)
    rule = omitted(model)
    for p in model.parameters:
        kw = {"choices": p.choices + tuple(p.aliases)} if isinstance(p, Choice) else {}
        parser.add_argument(f"--{p.name}", default=None, metavar=p.name.upper(),
                            help=f"{p.description} ({p.domain_text}; omitted: {rule[p.name]})", **kw)
    for old, new in getattr(model, "aliases", {}).items():  # renamed parameters stay accepted (deprecated)
        parser.add_argument(f"--{old}", default=None, metavar=new.upper(), help=f"deprecated old name of --{new}",
                            choices=model.parameter(new).choices if isinstance(model.parameter(new), Choice) else None)
    return parser


def parse_model_args(model: Model, argv: list[str], prog: str, positional: tuple = ()) -> dict:
    """``{name: value}`` for the parameters given in ``argv``; ValueError for anything else.

    ``positional`` names positional arguments of the command (e.g. the formula of
    ``verify``) that are parsed here too, after the model's parameters are known.
    """
    parser = model_parser(model, prog)
    for name in positional:
        parser.add_argument(name)
    args, rest = parser.parse_known_args(argv)
    if rest:
        names = ", ".join(f"--{p.name}" for p in model.parameters)
        raise ValueError(f"unknown argument(s) {' '.join(rest)} for model {model.name!r}; its parameters: {names}")
    return {k: v for k, v in vars(args).items() if v is not None}
