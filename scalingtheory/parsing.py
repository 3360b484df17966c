"""Safe parsing of user-written formulas such as ``"2*beta/(1+beta)"``.

User text is never passed to ``eval`` nor to SymPy's ``parse_expr`` (which evaluates
Python). It is parsed by :mod:`ast` and the tree is walked with a whitelist:
numbers, the names the caller allows (symbols), a few mathematical functions,
``+ - * / ** ^`` and parentheses. Everything else -- attribute access, subscripts,
dunder names, imports, lambdas, comprehensions, keyword arguments, strings -- is
refused with a :class:`FormulaError` (a ``ValueError``). The SymPy expression is
built node by node, so huge numbers are refused *before* they are computed: an
exponent bomb such as ``9**9**9**9`` fails in microseconds.

>>> from scalingtheory.symbols import alpha, beta
>>> parse_formula("2*beta/(1+beta)")
2*beta/(beta + 1)
>>> parse_formula("alpha^2 * min(beta, 2)")
alpha**2*Min(2, beta)
>>> parse_formula("__import__('os')")
Traceback (most recent call last):
...
scalingtheory.parsing.FormulaError: function '__import__' is not allowed; allowed functions: ...
"""

from __future__ import annotations

import ast
import math

import sympy as sp

from . import symbols as _symbols


class FormulaError(ValueError):
    """A formula that is not allowed or cannot be parsed."""


#: functions a formula may call
FUNCTIONS = {
    "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "ln": sp.log,
    "zeta": sp.zeta, "gamma_fn": sp.gamma, "Abs": sp.Abs, "abs": sp.Abs,
    "Min": sp.Min, "min": sp.Min, "Max": sp.Max, "max": sp.Max,
}
#: constants a formula may use
CONSTANTS = {"pi": sp.pi}
#: default symbols: the shared ones of :mod:`scalingtheory.symbols`
DEFAULT_SYMBOLS = {name: getattr(_symbols, name) for name in ("alpha", "beta", "gamma", "a", "b")} | \
    dict(_symbols.RESOURCES)

MAX_LENGTH = 2000        # characters
MAX_DEPTH = 60           # nesting of the syntax tree
MAX_DIGITS = 1000        # size of any exact number that may be formed
MAX_SYMBOLIC_POWER = 1000  # |n| in (expression)**n for a non-numeric base

_BINOPS = {
    ast.Add: lambda x, y: x + y,
    ast.Sub: lambda x, y: x - y,
    ast.Mult: lambda x, y: x * y,
    ast.Div: lambda x, y: x / y,
}


def _digits(x: sp.Expr) -> float:
    """log10 of the size of an exact number (numerator and denominator)."""
    if x.is_Rational:
        return max(math.log10(abs(int(x.p)) + 1), math.log10(int(x.q) + 1))
    return 0.0


def _power(base: sp.Expr, exp: sp.Expr) -> sp.Expr:
    if exp.is_number and exp.is_Rational:
        if base.is_number and base.is_Rational and base != 0:
            size = abs(float(exp)) * max(_digits(base), 1.0)
            if size > MAX_DIGITS:
                raise FormulaError(f"number too large: {sp.sstr(base)}**{sp.sstr(exp)} would have about "
                                   f"{size:.3g} digits (limit {MAX_DIGITS})")
        elif abs(exp) > MAX_SYMBOLIC_POWER:
            raise FormulaError(f"exponent {sp.sstr(exp)} too large (limit {MAX_SYMBOLIC_POWER})")
    elif base.is_number and base.is_Rational and exp.is_number:
        raise FormulaError("only rational numeric exponents are allowed")
    return base**exp


#: functions whose exact evaluation at a large number is huge or slow (gamma(10**7), zeta(2*10**5),
#: exp(exp(exp(10)))): their numeric arguments are bounded
_GROWING = {"exp", "gamma_fn", "zeta"}
MAX_ARGUMENT = 10**4


def _check_argument(name: str, arg: sp.Expr) -> None:
    if not arg.is_number:
        return
    try:
        size = abs(complex(sp.N(arg, 15)))
    except (TypeError, ValueError, OverflowError):
        raise FormulaError(f"{name}(...): argument {sp.sstr(arg)} cannot be evaluated") from None
    if not size <= MAX_ARGUMENT:
        raise FormulaError(f"{name}(...): numeric argument too large (|x| <= {MAX_ARGUMENT} allowed)")


class _Builder(ast.NodeVisitor):
    def __init__(self, names: dict):
        self.names = names
        self.depth = 0

    def visit(self, node):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"formula nested too deeply (limit {MAX_DEPTH})")
        try:
            return super().visit(node)
        finally:
            self.depth -= 1

    def generic_visit(self, node):
        raise FormulaError(f"{type(node).__name__} is not allowed in a formula "
                           "(only numbers, names, + - * / ** ^, parentheses and function calls)")

    def visit_Expression(self, node):
        return self.visit(node.body)

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FormulaError(f"constant {value!r} is not allowed; only numbers")
        if isinstance(value, int):
            if value.bit_length() > MAX_DIGITS * 3.33:
                raise FormulaError(f"number literal too large (limit {MAX_DIGITS} digits)")
            return sp.Integer(value)
        if not math.isfinite(value):
            raise FormulaError(f"number {value!r} is not finite")
        return sp.Rational(repr(value))

    def visit_Name(self, node):
        name = node.id
        if name in self.names:
            return self.names[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        allowed = ", ".join(sorted(set(self.names) | set(CONSTANTS)))
        raise FormulaError(f"name {name!r} is not allowed; allowed names: {allowed}; "
                           f"functions: {', '.join(sorted(FUNCTIONS))}")

    def visit_UnaryOp(self, node):
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise FormulaError(f"operator {type(node.op).__name__} is not allowed")

    def visit_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            return _power(left, right)
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise FormulaError(f"operator {type(node.op).__name__} is not allowed")
        if isinstance(node.op, ast.Div) and right == 0:
            raise FormulaError("division by zero")
        result = op(left, right)
        if result.is_Rational and _digits(result) > MAX_DIGITS:
            raise FormulaError(f"number too large (limit {MAX_DIGITS} digits)")
        return result

    def visit_Call(self, node):
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"only calls of named functions are allowed ({', '.join(sorted(FUNCTIONS))}); "
                               f"got a call of {type(node.func).__name__}")
        if node.func.id not in FUNCTIONS:
            raise FormulaError(f"function {node.func.id!r} is not allowed; "
                               f"allowed functions: {', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            raise FormulaError("keyword arguments are not allowed in a formula")
        args = [self.visit(arg) for arg in node.args]
        if not args:
            raise FormulaError(f"{node.func.id}() needs an argument")
        if node.func.id in _GROWING:
            for arg in args:
                _check_argument(node.func.id, arg)
        try:
            return FUNCTIONS[node.func.id](*args)
        except (TypeError, ValueError) as exc:
            raise FormulaError(f"bad call {node.func.id}(...): {exc}") from None


def parse_formula(text: str, names: dict | None = None) -> sp.Expr:
    """Parse ``text`` into a SymPy expression through a whitelist (never ``eval``).

    Parameters
    ----------
    text : str
        The formula, Python-like syntax; ``^`` is accepted as power.
    names : dict, optional
        Allowed names -> SymPy symbols. Defaults to the toolkit's shared symbols
        (alpha, beta, gamma, a, b and the resources t, T, N, P, D, B, C).

    Raises
    ------
    FormulaError
        (a ``ValueError``) naming what is not allowed and what is accepted.
    """
    if not isinstance(text, str):
        raise FormulaError(f"formula must be a string, got {type(text).__name__}")
    if not text.strip():
        raise FormulaError("formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula too long ({len(text)} characters, limit {MAX_LENGTH})")
    try:
        # '^' means power in mathematical writing; strings are refused anyway, so replacing is safe
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse formula {text!r}: {exc.msg}") from None
    except (MemoryError, RecursionError):
        raise FormulaError("formula too complex to parse") from None
    return _Builder(DEFAULT_SYMBOLS if names is None else dict(names)).visit(tree)


__all__ = ["parse_formula", "FormulaError", "FUNCTIONS", "DEFAULT_SYMBOLS"]
