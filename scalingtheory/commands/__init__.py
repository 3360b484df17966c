"""Subcommands of the ``scalingtheory`` CLI, one module each (see :mod:`scalingtheory.cli`)."""

from __future__ import annotations

import argparse
import json
import math

from ..number_text import NEGATIVE_NUMBER, ascii_float, ascii_int

#: status -> meaning; the one definition behind ``--help`` and the README's table (here, below the CLI,
#: so that commands read them without importing :mod:`scalingtheory.cli`)
EXIT_CODES = {
    0: "success (verify: the formula equals the toolkit's closed form)",
    1: "a negative answer (verify: the formula differs, with a counterexample)",
    2: "bad input: an unknown option, model or quantity, a parameter outside its domain, a formula "
       "that is not allowed or not a finite real number anywhere in the regime, an unreadable or "
       "unsafe file or directory",
    3: "the toolkit could not decide or failed internally (a solver, an evaluation, pdflatex); "
       "the one-line reason is printed",
    130: "interrupted (Ctrl-C); nothing half-written is left behind",
}
OK, NEGATIVE, BAD_INPUT, FAILED, INTERRUPTED = sorted(EXIT_CODES)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser that takes ``--c1 -1e25`` and ``--beta -1/2`` as an option with its value.

    argparse alone reads only ``-2`` and ``-0.5`` as negative numbers (``-1e25`` looks like an
    option to it and ``--c1 -1e25`` fails with "expected one argument"); no option of the CLI is
    spelled like a number, so every string that starts with '-' and that
    :mod:`scalingtheory.params` reads as a number (:data:`scalingtheory.number_text.NUMBER`) is a
    value. Subparsers inherit the class. Options declared ``type=int`` or ``type=float`` read
    ASCII digits only (:func:`~scalingtheory.number_text.ascii_int`; ``int("١")`` is 1).

    >>> parser = ArgumentParser(prog="demo")
    >>> _ = parser.add_argument("--c1")
    >>> parser.parse_args(["--c1", "-1e25"]).c1, parser.parse_args(["--c1", "-1/2"]).c1
    ('-1e25', '-1/2')
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _VALUES           # argparse's hook (a private attribute since 3.2)
        self.register("type", int, _option_type(ascii_int, "invalid int value: "))   # argparse looks a type=
        self.register("type", float, _option_type(ascii_float, "invalid float value: "))     # up in this registry
        self.register("type", "positive", _option_type(positive_float, ""))

    def error(self, message):
        """A usage error in one line with a pointer to ``--help`` (argparse prints its whole usage block)."""
        self.exit(2, f"{self.prog}: error: {' '.join(str(message).split())}; see `{self.prog} --help`\n")


def _option_type(read, prefix: str):
    """An argparse ``type=`` that reads with ``read`` and, refused, says why in a bounded line (argparse alone
    prints ``invalid int value:`` and the whole text, 5,000 digits included, and drops the reason)."""
    def option(text: str):
        try:
            return read(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{prefix}{exc}") from None
    option.__name__ = read.__name__
    return option


def positive_float(text: str, name: str = "") -> float:
    """A finite number > 0 typed in ASCII, or ``ValueError`` quoting the text: the one reading and the one
    message of every option that takes positive numbers (``type="positive"``, ``--predict``, ``--at``,
    ``--at-compute``); argparse puts the option's name in front (``argument --budget: ...``).

    >>> positive_float("1e22")
    1e+22
    >>> positive_float("1e99999999", "--budget")
    Traceback (most recent call last):
    ...
    ValueError: --budget must be a finite number > 0, got '1e99999999' (overflows: a float is at most 1.8e+308)
    >>> positive_float("-1", "--at values")
    Traceback (most recent call last):
    ...
    ValueError: --at values must be a finite number > 0, got '-1'
    """
    from ..number_text import quoted

    what = f"{name} must be a finite number > 0, got ".lstrip()
    try:
        value = ascii_float(text)
    except ValueError as exc:
        raise ValueError(f"{what}{exc}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{what}{quoted(text)}")
    return value


class _Values:
    """argparse's ``_negative_number_matcher``: which arguments starting with '-' are values, not options.

    A number such as ``-1e25`` or ``-1/2`` (:data:`~scalingtheory.number_text.NEGATIVE_NUMBER`), and any
    other text with one leading '-' (a formula ``-alpha*beta``, ``-x``): every option of the CLI is
    spelled ``--name``, except ``-h``. argparse asks only after the text matched no option.

    >>> bool(_VALUES.match("-alpha*beta")), bool(_VALUES.match("-1e25")), bool(_VALUES.match("--json"))
    (True, True, False)
    """

    @staticmethod
    def match(text: str):
        return NEGATIVE_NUMBER.match(text) or (text.startswith("-") and not text.startswith("--") and text != "-h")


_VALUES = _Values()


def json_text(obj) -> str:
    """Strict JSON (no ``NaN``/``Infinity`` tokens): a non-finite number becomes ``null``, and a
    dict's ``notes`` list says where.

    >>> print(json_text({"y": float("inf"), "notes": []}))
    {
      "y": null,
      "notes": [
        "y: inf is not a JSON number; shown as null"
      ]
    }
    """
    where = []

    def clean(value, path):
        if isinstance(value, float) and not math.isfinite(value):
            where.append(f"{path}: {value} is not a JSON number; shown as null")
            return None
        if isinstance(value, dict):
            return {k: clean(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value

    out = clean(obj, "")
    if where and isinstance(out, dict):
        out["notes"] = list(out.get("notes") or []) + where
    return json.dumps(out, indent=2, allow_nan=False)
