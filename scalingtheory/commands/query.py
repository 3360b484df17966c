"""``scalingtheory query --model NAME QUESTION [--arg VALUE ...] [model parameters] [--json]``.

Model-specific questions, e.g. "when does skill 3 emerge?" or "how wide at compute 1e12?":

    scalingtheory query --model sparse_parity emergence_time --skill 3 --alpha 0.6
    scalingtheory query --model random_features budget --C 1e12 --alpha 2 --beta 1/2

The questions are the methods a model lists in ``Model.queries``, declared with
:func:`scalingtheory.models.queries.query` (a plain-text summary and the help of each argument,
with units); their arguments become options (numbers are read exactly, like model parameters;
``oo`` is unlimited). Omitted model parameters follow the rule of ``scalingtheory models``: a
symbolic parameter gives a closed-form answer, one per regime where the regime depends on it.
Answers carry their units; ``--json`` prints ``{name: {expr, value, unit}}`` (a list of those
when the answer splits by regime).
"""

from __future__ import annotations

import inspect

from . import ArgumentParser, json_text

NAME = "query"
HELP = "model-specific questions (loss at given resources, compute budgets, emergence times, breaks); " \
       "`--model NAME --list` shows them"
MODEL_PARAMS = True


def configure(parser):
    parser.add_argument("--model", required=True, help="model name (see `scalingtheory models`)")
    parser.add_argument("--list", action="store_true", help="list the model's questions, their arguments and units")
    parser.add_argument("--json", action="store_true", help="print {name: {expr, value, unit}}")
    parser.usage = "scalingtheory query --model NAME QUESTION [--ARG VALUE ...] [model parameters] [--json]"


def _arguments(method) -> list[inspect.Parameter]:
    return [a for a in inspect.signature(method).parameters.values()
            if a.kind in (a.POSITIONAL_OR_KEYWORD, a.KEYWORD_ONLY)]


def _option(name: str) -> str:
    """The option of an argument, dashed like every other option: ``epsilon_v -> --epsilon-v``."""
    return f"--{name.replace('_', '-')}"


def _dashed(argv: list[str], names) -> list[str]:
    """The Python spelling of an argument (``--epsilon_v 0.1``, ``--epsilon_v=0.1``) read as the dashed one;
    only one option is registered, so abbreviations such as ``--epsilon`` stay unambiguous."""
    def one(arg):
        name, eq, value = arg[2:].partition("=")
        return f"{_option(name)}{eq}{value}" if arg.startswith("--") and name in names else arg
    return [one(arg) for arg in argv]


def _describe(model) -> str:
    """Plain text: each question, its summary and its arguments with their help (units) and defaults."""
    lines = []
    for name in model.queries:
        method = getattr(model, name)
        helps = getattr(method, "query_arguments", {})
        args = _arguments(method)
        usage = " ".join(f"{_option(a.name)} VALUE" if a.default is a.empty else f"[{_option(a.name)} VALUE]"
                         for a in args)
        lines.append(f"{name} {usage}".rstrip())
        lines.append(f"    {getattr(method, 'query_summary', name)}")
        for a in args:
            default = "required" if a.default is a.empty else f"default {a.default}"
            lines.append(f"    {_option(a.name)}: {helps.get(a.name, a.name)} ({default})")
    if not lines:
        return f"model {model.name!r} has no questions"
    return "\n".join(lines + [f"Model parameters (see `scalingtheory models`) follow the question's arguments; "
                              f"omitted ones follow the rule shown there."])


def _value(text: str, name: str):
    """Exact number from the command line; integers as Python ints (counts such as a skill index)."""
    import sympy as sp

    from ..params import exact

    if text.strip() in ("oo", "inf"):
        return sp.oo
    value = exact(text, name)
    return int(value) if value.is_Integer else value


def run(args) -> int:
    from ..api import each_open_choice
    from ..models import get_model
    from ..results import Answer
    from ._model_args import parse_model_args

    model = get_model(args.model)
    if args.list:
        print(_describe(model))
        return 0
    rest = list(args.model_args)
    if not rest or rest[0].startswith("-"):
        raise ValueError(f"name a question of {model.name}: {', '.join(model.queries) or 'none'} "
                         f"(`scalingtheory query --model {model.name} --list`)")
    question = rest.pop(0)
    if question not in model.queries:
        raise ValueError(f"unknown question {question!r} for {model.name}; questions: "
                         f"{', '.join(model.queries) or 'none'}")
    method = getattr(model, question)
    own = ArgumentParser(prog=f"scalingtheory query --model {model.name} {question}", add_help=False)
    for a in _arguments(method):
        own.add_argument(_option(a.name), dest=a.name, required=a.default is a.empty, default=None)
    known, remaining = own.parse_known_args(_dashed(rest, {a.name for a in _arguments(method)}))
    kwargs = {k: _value(v, k) for k, v in vars(known).items() if v is not None}
    params = parse_model_args(model, remaining, f"scalingtheory query --model {model.name} {question}")
    answers = each_open_choice(lambda **p: method(**kwargs, **p), model, params)  # the omitted-parameter rule
    if args.json:
        data = [a.to_json() if isinstance(a, Answer) else {a.name: a.to_json()} for a in answers]
        print(json_text(data[0] if len(data) == 1 else data))
    else:
        print("\n\n".join(a.report() for a in answers))
    return 0
