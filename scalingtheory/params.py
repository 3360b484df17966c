"""Model parameters: exact conversion of user input and domain validation.

User input (Python numbers, strings typed on the command line, fractions, SymPy
numbers) becomes an *exact* SymPy number, so that exponents derived from it are
exact: ``"1/2"`` and ``0.5`` both become ``Rational(1, 2)``; a float is read by
its shortest decimal representation (``0.3 -> 3/10``), never by its binary value.

>>> exact("1/2", "beta")
1/2
>>> exact(0.3, "beta")
3/10
>>> Parameter("alpha", sp.Interval.open(1, sp.oo), 2).validate("1/2")
Traceback (most recent call last):
...
ValueError: alpha must satisfy alpha > 1, got 1/2
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Number

import sympy as sp

_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\s*/\s*[+-]?\d+(\.\d*)?([eE][+-]?\d+)?)?\s*$")


MAX_DIGITS = 30  # numerator and denominator of a parameter (1e22 is fine, 1e50 or 1e-400 is not)


def _bounded(value: sp.Expr, name: str) -> sp.Expr:
    if value.is_Rational and max(abs(value.p), value.q) >= 10**MAX_DIGITS:
        digits = len(str(max(abs(value.p), value.q)))
        raise ValueError(f"{name}: a number with {digits} digits is too large or too fine "
                         f"(at most {MAX_DIGITS} digits in numerator and denominator)")
    return value


def exact(value, name: str) -> sp.Expr:
    """Convert ``value`` to an exact SymPy number, or raise ``ValueError`` naming ``name``.

    Accepted: int, float, :class:`fractions.Fraction`, SymPy numbers, and strings
    of the form ``"2"``, ``"0.25"``, ``"1e-3"``, ``"1/2"``. Floats are read through
    their shortest decimal representation. NaN, infinities, numbers with more than
    ``MAX_DIGITS`` digits and anything else are refused.
    """
    return _bounded(_exact(value, name), name)


def _exact(value, name: str) -> sp.Expr:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if isinstance(value, sp.Basic):
        if not value.is_number:
            raise ValueError(f"{name} must be a number, got {value}")
        if value.has(sp.nan, sp.zoo) or not value.is_finite or not value.is_real:
            raise ValueError(f"{name} must be a finite real number, got {value}")
        return sp.nsimplify(value, rational=True) if value.is_Float else value
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, str):
        if not _NUMBER.match(value):
            raise ValueError(f"{name} must be a number such as 2, 0.5 or 1/2, got {value!r}")
        num, _, den = value.partition("/")
        out = sp.Rational(num.strip())
        if den:
            den_r = sp.Rational(den.strip())
            if den_r == 0:
                raise ValueError(f"{name}: division by zero in {value!r}")
            out = out / den_r
        return out
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, Number):
        try:
            fval = float(value)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"{name} must be a real number, got {value!r}") from None
        if not math.isfinite(fval):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
        return sp.Rational(repr(fval))
    raise ValueError(f"{name} must be a number, got {value!r}")


def describe_interval(name: str, interval: sp.Interval) -> str:
    """Human-readable form of ``name in interval``, e.g. ``"alpha > 1"`` or ``"0 < beta < 1"``."""
    lo, hi = interval.inf, interval.sup
    lop = "<" if interval.left_open else "<="
    hip = "<" if interval.right_open else "<="
    if lo == -sp.oo and hi == sp.oo:
        return f"{name} real"
    if hi == sp.oo:
        return f"{name} {'>' if interval.left_open else '>='} {lo}"
    if lo == -sp.oo:
        return f"{name} {hip} {hi}"
    return f"{lo} {lop} {name} {hip} {hi}"


@dataclass(frozen=True)
class Parameter:
    """A numeric model parameter with an exact domain.

    ``symbol`` is the SymPy symbol used when the parameter is left symbolic
    (omitted by the user); it defaults to a positive symbol named ``name``.
    """

    name: str
    domain: sp.Interval
    default: object = None
    description: str = ""
    symbol: sp.Symbol | None = None
    integer: bool = False

    def __post_init__(self):
        if self.symbol is None:
            object.__setattr__(self, "symbol", sp.Symbol(self.name, positive=True))

    @property
    def domain_text(self) -> str:
        text = describe_interval(self.name, self.domain)
        return f"{text}, integer" if self.integer else text

    def validate(self, value) -> sp.Expr:
        """Return ``value`` as an exact SymPy number inside the domain, else raise ValueError."""
        if value == self.symbol:  # left symbolic (its assumptions are the domain)
            return value
        val = exact(value, self.name)
        if self.integer and not val.is_integer:
            raise ValueError(f"{self.name} must be an integer ({self.domain_text}), got {val}")
        if not self.domain.contains(val) == sp.true:
            raise ValueError(f"{self.name} must satisfy {self.domain_text}, got {val}")
        return val


@dataclass(frozen=True)
class Choice:
    """A categorical model parameter (e.g. ``training`` in ``("lazy", "rich")``)."""

    name: str
    choices: tuple[str, ...]
    default: str = ""
    description: str = ""
    aliases: dict = field(default_factory=dict)

    @property
    def domain_text(self) -> str:
        return f"{self.name} in {{{', '.join(self.choices)}}}"

    def validate(self, value) -> str:
        value = self.aliases.get(value, value)
        if value not in self.choices:
            raise ValueError(f"{self.name} must be one of {', '.join(self.choices)}, got {value!r}")
        return value


__all__ = ["exact", "describe_interval", "Parameter", "Choice"]
