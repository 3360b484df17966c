"""The grammar of a number typed as text, written once: :mod:`scalingtheory.params` reads parameter
values by it, and the CLI's parser (:class:`scalingtheory.commands.ArgumentParser`) uses it to take
``--beta -1/2`` or ``--c1 -1e25`` as an option with its value rather than as two options.

A number is a decimal with an optional sign and exponent (``2``, ``-0.5``, ``.5``, ``1e-3``,
``+1.E5``) or a ratio of two (``1/2``, ``-3 / 4e2``), spaces allowed around them and the slash.
Digits and spaces are ASCII (``[0-9]``; ``\\d`` would take the Arabic-Indic ``١`` for 1), and so is
every number the CLI reads with ``int``/``float`` (:func:`ascii_int`, :func:`ascii_float`).
Only the grammar lives here (no SymPy, so ``--help`` stays light); the bounds on digits and
magnitude are :func:`scalingtheory.params.exact`'s.

>>> [bool(NUMBER.match(t)) for t in ("1/2", " -1.5e3 / -2 ", ".5", "1e", "1/2/3", "inf", "\u0661", "1\u00a0/2")]
[True, True, True, False, False, False, False, False]
>>> [bool(NEGATIVE_NUMBER.match(t)) for t in ("-1e25", "-1/2", "-inf", "-x", "--beta", "-\u0661")]
[True, True, True, False, False, False]
>>> ascii_float("2.5"), ascii_int("12")
(2.5, 12)
>>> ascii_int("\u0661")
Traceback (most recent call last):
...
ValueError: '١' (not ASCII digits)
>>> ascii_int("1_000")
Traceback (most recent call last):
...
ValueError: '1_000' (not ASCII digits)
"""

from __future__ import annotations

import math
import re
import sys

#: an unsigned decimal with an optional exponent
_UNSIGNED = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_DECIMAL = rf"[+-]?{_UNSIGNED}"
#: the text of a number: a decimal or a ratio of two, with spaces around them and the slash
NUMBER = re.compile(rf"^\s*{_DECIMAL}(?:\s*/\s*{_DECIMAL})?\s*$", re.ASCII)   # \s: ASCII spaces only
#: words for non-finite values: not numbers, but values (refused by params with a message naming the
#: parameter), never options
NON_FINITE = ("inf", "infinity", "nan", "oo")
#: what the CLI reads as a value rather than an option: a '-' followed by the rest of a :data:`NUMBER`
#: (every NUMBER that starts with '-'), or by a word of :data:`NON_FINITE` in any case
NEGATIVE_NUMBER = re.compile(rf"^-(?:{_UNSIGNED}(?:\s*/\s*{_DECIMAL})?\s*|(?i:{'|'.join(NON_FINITE)}))$", re.ASCII)


def too_many_digits(exc: BaseException) -> bool:
    """Whether ``exc`` is Python's refusal to convert an integer of more than ``sys.get_int_max_str_digits()``
    digits (4300) to or from text: a ``ValueError`` whose words ("Exceeds the limit (4300 digits) for integer
    string conversion; use sys.set_int_max_str_digits()") are no answer to show a user.

    >>> too_many_digits(ValueError("Exceeds the limit (4300 digits) for integer string conversion"))
    True
    >>> digits_text()
    'an exact number too large to write out (more than 4300 digits)'
    """
    text = str(exc)
    return isinstance(exc, ValueError) and "Exceeds the limit" in text and "integer string conversion" in text


def digits_text() -> str:
    """The one-line words for :func:`too_many_digits`, with the interpreter's limit."""
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    return f"an exact number too large to write out (more than {limit} digits)"


#: the most characters an integer or float typed as text may have (``int`` refuses more than 4300 digits with
#: a message about ``sys.set_int_max_str_digits``, and no option of the toolkit needs more)
MAX_CHARS = 100
_FLOAT_MAX, _FLOAT_TINY = sys.float_info.max, math.ulp(0.0)


def quoted(text: str, chars: int = 40) -> str:
    """``repr`` of ``text``, cut at ``chars`` characters (a message quotes what was typed, bounded).

    >>> quoted("9" * 50)
    "'9999999999999999999999999999999999999999...'"
    """
    return repr(text if len(text) <= chars else text[:chars] + "...")


def _ascii(text: str) -> str:
    """``text`` itself if it is ASCII without ``_`` and at most :data:`MAX_CHARS` long, else ``ValueError``
    (``int`` and ``float`` read any Unicode digit, and ``1_000`` as 1000)."""
    if not text.isascii() or "_" in text:
        raise ValueError(f"{quoted(text)} (not ASCII digits)")
    if len(text) > MAX_CHARS:
        raise ValueError(f"{quoted(text)} (more than {MAX_CHARS} characters)")
    return text


def ascii_float(text: str) -> float:
    """``float(text)`` for ASCII text only; a decimal that ``float`` would round to infinity (overflow) or to 0
    (underflow) is refused, quoting what was typed (the words ``inf`` and ``nan`` are values: the option's own
    check refuses them where they have no meaning).

    >>> ascii_float("1e99999999")
    Traceback (most recent call last):
    ...
    ValueError: '1e99999999' (overflows: a float is at most 1.8e+308)
    >>> ascii_float("-1e-400")
    Traceback (most recent call last):
    ...
    ValueError: '-1e-400' (underflows: the smallest nonzero float is 5e-324)
    >>> ascii_float("0e-400"), ascii_float("-inf")
    (0.0, -inf)
    """
    checked = _ascii(text)
    try:
        value = float(checked)
    except ValueError:
        raise ValueError(quoted(text)) from None
    decimal = re.fullmatch(rf"\s*{_DECIMAL}\s*", text, re.ASCII)
    if decimal and math.isinf(value):
        raise ValueError(f"{quoted(text)} (overflows: a float is at most {_FLOAT_MAX:.2g})")
    if decimal and value == 0 and re.search("[1-9]", text.lower().partition("e")[0]):
        raise ValueError(f"{quoted(text)} (underflows: the smallest nonzero float is {_FLOAT_TINY:.1g})")
    return value


def ascii_int(text: str) -> int:
    """``int(text)`` for ASCII text only."""
    checked = _ascii(text)
    try:
        return int(checked)
    except ValueError:
        raise ValueError(quoted(text)) from None


__all__ = ["MAX_CHARS", "NUMBER", "NEGATIVE_NUMBER", "NON_FINITE", "ascii_float", "ascii_int", "quoted", "digits_text", "too_many_digits"]
