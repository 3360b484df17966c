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
ValueError: not an ASCII number: '١'
>>> ascii_int("1_000")
Traceback (most recent call last):
...
ValueError: not an ASCII number: '1_000'
"""

from __future__ import annotations

import re

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


def _ascii(text: str) -> str:
    """``text`` itself if it is ASCII without ``_``, else ``ValueError`` (``int`` and ``float`` read any Unicode
    digit, and ``1_000`` as 1000)."""
    if not text.isascii() or "_" in text:
        raise ValueError(f"not an ASCII number: {text[:40]!r}")
    return text


def ascii_float(text: str) -> float:
    """``float(text)`` for ASCII text only."""
    return float(_ascii(text))


def ascii_int(text: str) -> int:
    """``int(text)`` for ASCII text only."""
    return int(_ascii(text))


__all__ = ["NUMBER", "NEGATIVE_NUMBER", "NON_FINITE", "ascii_float", "ascii_int"]
