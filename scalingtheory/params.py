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

A domain may be wider than what the toolkit evaluates exactly in bounded time (``gamma(beta)``
at ``beta = 10**6`` has millions of digits); ``supported`` narrows the numeric values, symbols
keep the whole domain:

>>> Parameter("beta", sp.Interval.open(0, sp.oo), supported=sp.Interval(0, 100)).validate("1e6")
Traceback (most recent call last):
...
ValueError: beta = 1000000 is outside the numeric range the toolkit evaluates: 0 < beta <= 100 (domain beta > 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Number

import sympy as sp

from .number_text import NUMBER
from .renames import renamed  # noqa: F401 (re-exported: models and numerics import it from here)



MAX_DIGITS = 30      # significant digits of numerator and denominator (trailing zeros not counted)
MAX_EXPONENT = 100   # magnitude: 10**-100 <= |value| <= 10**100 (compute budgets of 1e40 FLOPs are fine)
MAX_TEXT = 200       # characters of a number typed as text


def _significant(n: int) -> int:
    """Digits of ``|n|`` without its trailing zeros (``1500 -> 2``); ``n`` has at most ~430 digits here."""
    return len(str(abs(n)).rstrip("0"))


def _bounded(value: sp.Expr, name: str) -> sp.Expr:
    """Refuse a rational with more than MAX_DIGITS significant digits or outside 10**+-MAX_EXPONENT.

    >>> _bounded(sp.Rational(10) ** 40, "C")
    10000000000000000000000000000000000000000
    >>> _bounded(sp.Rational(1, 3 * 10**31), "C")
    1/30000000000000000000000000000000
    >>> _bounded(sp.Integer(10) ** 101, "C")
    Traceback (most recent call last):
    ...
    ValueError: C ~ 1e+101 is too large (numbers from 1e-100 to 1e+100 in magnitude)
    >>> _bounded(sp.Rational(1, 3 * 10**30 + 1), "C")
    Traceback (most recent call last):
    ...
    ValueError: C: a number with 31 significant digits is too precise (at most 30 in numerator and denominator)
    """
    if not value.is_Rational or value == 0:
        return value
    p, q = abs(value.p), value.q
    if max(p.bit_length(), q.bit_length()) > (MAX_EXPONENT + MAX_DIGITS) * 3.33 + 8:
        raise _too_big(name, (p.bit_length() - q.bit_length()) * 0.30103)
    magnitude = math.log10(p) - math.log10(q)
    if abs(magnitude) > MAX_EXPONENT + 1e-12:
        raise _too_big(name, magnitude)
    digits = max(_significant(p), _significant(q))
    if digits > MAX_DIGITS:
        raise ValueError(f"{name}: a number with {digits} significant digits is too precise "
                         f"(at most {MAX_DIGITS} in numerator and denominator)")
    return value


def _too_big(name: str, magnitude: float) -> ValueError:
    """``magnitude``: log10 of the refused number's absolute value."""
    return ValueError(f"{name} ~ 1e{round(magnitude):+d} is too {'large' if magnitude > 0 else 'small'} "
                      f"(numbers from 1e-{MAX_EXPONENT} to 1e+{MAX_EXPONENT} in magnitude)")


def _check_text(text: str, name: str) -> None:
    """Refuse a number's text whose exact value would be huge, *before* building it (``1e99999999``).

    The value of ``m.f e E`` lies within ``10**(|E| +- len(mf))``; the exact bound is checked on the value.
    """
    if len(text) > MAX_TEXT:
        raise ValueError(f"{name}: number text too long ({len(text)} characters, limit {MAX_TEXT})")
    for part in text.split("/"):
        power = part.strip().lower().partition("e")[2]
        if power and abs(int(power)) > MAX_EXPONENT + MAX_TEXT:
            raise _too_big(name, int(power))


def exact(value, name: str) -> sp.Expr:
    """Convert ``value`` to an exact SymPy number, or raise ``ValueError`` naming ``name``.

    Accepted: int, float, :class:`fractions.Fraction`, SymPy numbers, and strings
    of the form ``"2"``, ``"0.25"``, ``"1e-3"``, ``"1/2"``. Floats are read through
    their shortest decimal representation. NaN, infinities, numbers with more than
    ``MAX_DIGITS`` significant digits or a magnitude outside ``10**+-MAX_EXPONENT`` and
    anything else are refused (``1e40`` is fine, ``1e99999999`` is refused from its text).
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
        if not NUMBER.match(value):
            raise ValueError(f"{name} must be a number such as 2, 0.5 or 1/2, got {value!r}")
        _check_text(value, name)
        num, _, den = value.partition("/")
        out = sp.Rational(num.strip())
        if den:
            den_r = sp.Rational(den.strip())
            if den_r == 0:
                raise ValueError(f"{name}: division by zero in {value!r}")
            out = out / den_r
        return out
    if isinstance(value, int):
        if value.bit_length() > (MAX_EXPONENT + 1) * 3.33:
            raise _too_big(name, value.bit_length() * 0.30103)
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


#: how :func:`describe_interval` writes: ``<``, ``<=``, ``>``, ``>=``, the whole line, a number
TEXT = ("<", "<=", ">", ">=", "{} real", str)
LATEX = ("<", r"\le", ">", r"\ge", r"{} \in \mathbb{{R}}", sp.latex)


def describe_interval(name: str, interval: sp.Interval, notation: tuple = TEXT) -> str:
    r"""Human-readable form of ``name in interval``, e.g. ``"alpha > 1"`` or ``"0 < beta < 1"``;
    ``notation=LATEX`` writes ``0 < \beta \le 1`` (``name`` already in LaTeX).

    >>> describe_interval("beta", sp.Interval.Lopen(0, 1)), describe_interval("x", sp.Interval(1, sp.oo), LATEX)
    ('0 < beta <= 1', 'x \\ge 1')
    """
    lt, le, gt, ge, real, num = notation
    lo, hi = interval.inf, interval.sup
    lop = lt if interval.left_open else le
    hip = lt if interval.right_open else le
    if lo == -sp.oo and hi == sp.oo:
        return real.format(name)
    if hi == sp.oo:
        return f"{name} {gt if interval.left_open else ge} {num(lo)}"
    if lo == -sp.oo:
        return f"{name} {hip} {num(hi)}"
    return f"{num(lo)} {lop} {name} {hip} {num(hi)}"


@dataclass(frozen=True)
class Parameter:
    """A numeric model parameter with an exact domain.

    ``symbol`` is the SymPy symbol used when the parameter is left symbolic
    (omitted by the user); it defaults to a positive symbol named ``name``.
    ``supported``, when given, bounds the *numeric* values (see the module docstring).
    """

    name: str
    domain: sp.Interval
    default: object = None
    description: str = ""
    symbol: sp.Symbol | None = None
    integer: bool = False
    supported: sp.Interval | None = None

    def __post_init__(self):
        if self.symbol is None:
            object.__setattr__(self, "symbol", sp.Symbol(self.name, positive=True))

    @property
    def domain_text(self) -> str:
        text = describe_interval(self.name, self.domain)
        if self.supported is not None:
            text += f" (numeric values: {describe_interval(self.name, self.numeric_domain)})"
        return f"{text}, integer" if self.integer else text

    @property
    def numeric_domain(self) -> sp.Interval:
        """The numeric values accepted: the domain within the ``supported`` range."""
        return self.domain if self.supported is None else self.domain.intersect(self.supported)

    def validate(self, value) -> sp.Expr:
        """Return ``value`` as an exact SymPy number inside the domain, else raise ValueError."""
        if value == self.symbol:  # left symbolic (its assumptions are the domain)
            return value
        val = exact(value, self.name)
        if self.integer and not val.is_integer:
            raise ValueError(f"{self.name} must be an integer ({self.domain_text}), got {val}")
        if not self.domain.contains(val) == sp.true:
            raise ValueError(f"{self.name} must satisfy {self.domain_text}, got {val}")
        if self.supported is not None and not self.supported.contains(val) == sp.true:
            raise ValueError(f"{self.name} = {val} is outside the numeric range the toolkit evaluates: "
                             f"{describe_interval(self.name, self.numeric_domain)} (domain "
                             f"{describe_interval(self.name, self.domain)})")
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


__all__ = ["exact", "describe_interval", "Parameter", "Choice", "renamed"]
