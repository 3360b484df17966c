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
>>> parse_formula("2*β/(1 + β)")  # Greek letters as written on paper
2*beta/(beta + 1)
>>> parse_formula("__import__('os')")
Traceback (most recent call last):
...
scalingtheory.parsing.FormulaError: function '__import__' is not allowed; allowed functions: ...

A SymPy expression is accepted too; it passes the same whitelist (node types, names, sizes).

Bounds hold on what SymPy builds, not only on the text: ``(alpha**1000)**1000`` merges into
``alpha**1000000`` and is refused, ``exp(9999)**1000`` merges into ``exp(9999000)`` and is
refused; a numeric factor of a symbolic exponent is bounded the same way (``N**(-a*10**9)``,
which ``(N**-a)**(10**9)`` becomes), whether the formula is text or a SymPy expression:

>>> N, a = sp.symbols("N a", positive=True)
>>> parse_formula(N**(-a * 10**9), {"N": N, "a": a})
Traceback (most recent call last):
...
scalingtheory.parsing.FormulaError: exponent -1000000000*a: numeric factor -1000000000 too large (limit 1000; ...)

Values at numbers (:func:`evaluate`) are computed with mpmath at a bounded precision
and magnitude, never as exact numbers, so ``alpha**alpha**alpha**alpha`` at ``alpha = 3``
is reported as too large in microseconds.
"""

from __future__ import annotations

import ast
import math
import warnings

import mpmath
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
#: calls read as another function: the symbol gamma (feature-learning strength) cannot be called, so
#: ``gamma(x)`` -- as SymPy prints Euler's Gamma, e.g. in the toolkit's own prefactors -- is ``gamma_fn(x)``
CALL_ALIASES = {"gamma": "gamma_fn"}
#: constants a formula may use
CONSTANTS = {"pi": sp.pi}
#: Unicode names read as their spelled-out form (the parser applies NFKC normalisation first)
ALIASES = {"α": "alpha", "β": "beta", "γ": "gamma", "π": "pi"}
#: default symbols: the exponents and resources of :mod:`scalingtheory.symbols` (a paper's own letters,
#: such as the (a, b) of Bordelon et al. 2024 or of BNSL, come with the model's parameters)
DEFAULT_SYMBOLS = {name: getattr(_symbols, name) for name in ("alpha", "beta", "gamma")} | \
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


def _check_factors(what: str, exponent: sp.Expr) -> None:
    """A symbolic exponent's numeric factors are bounded like a numeric one: ``(N**a)**(10**9)``
    merges into ``N**(1000000000*a)``, and ``N**(-a*10**9)`` written directly is the same law."""
    for term in sp.Add.make_args(exponent):
        factor = term.as_coeff_Mul()[0]
        if not term.is_number and factor.is_Rational and abs(factor) > MAX_SYMBOLIC_POWER:
            raise FormulaError(f"{what} {sp.sstr(exponent)}: numeric factor {sp.sstr(factor)} too large (limit "
                               f"{MAX_SYMBOLIC_POWER}; nested powers multiply their exponents)")


def _check_built(expr: sp.Expr) -> sp.Expr:
    """Bounds on a node as SymPy built it (nested powers and exponentials merge when built)."""
    if isinstance(expr, sp.Pow) and expr.exp.is_Rational and not expr.base.is_number \
            and abs(expr.exp) > MAX_SYMBOLIC_POWER:
        raise FormulaError(f"exponent {sp.sstr(expr.exp)} too large (limit {MAX_SYMBOLIC_POWER}; nested powers "
                           "multiply their exponents)")
    if isinstance(expr, sp.Pow) and not expr.exp.is_number:
        _check_factors("exponent", expr.exp)
    if isinstance(expr, sp.exp) and not expr.args[0].is_number:
        _check_factors("exp argument", expr.args[0])
    if isinstance(expr, sp.Pow) and expr.base.is_number and expr.exp.is_number and not expr.exp.is_Rational:
        _check_argument("power", sp.log(abs(expr.base)) * expr.exp if expr.base != 0 else sp.Integer(0))
    if isinstance(expr, (sp.exp, sp.gamma, sp.zeta)):
        for arg in expr.args:
            _check_argument(type(expr).__name__, arg)
    if expr.is_Rational and _digits(expr) > MAX_DIGITS:
        raise FormulaError(f"number too large (limit {MAX_DIGITS} digits)")
    return expr


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
    return _check_built(base**exp)


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
        name = ALIASES.get(node.id, node.id)
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
        if isinstance(node.op, ast.Pow):
            return _power(self.visit(node.left), self.visit(node.right))
        if type(node.op) not in _BINOPS:
            raise FormulaError(f"operator {type(node.op).__name__} is not allowed")
        # a chain a + b - c + ... (or a * b / c ...) is one level, not one per operator: Python nests it
        # to the left, and a sum of 61 terms was refused as nested too deeply
        family = (ast.Add, ast.Sub) if isinstance(node.op, (ast.Add, ast.Sub)) else (ast.Mult, ast.Div)
        chain, first = [], node
        while isinstance(first, ast.BinOp) and isinstance(first.op, family):
            chain.append(first)
            first = first.left
        value = self.visit(first)
        for link in reversed(chain):
            right = self.visit(link.right)
            if isinstance(link.op, ast.Div) and right == 0:
                raise FormulaError("division by zero")
            value = _check_built(_BINOPS[type(link.op)](value, right))
        return value

    def visit_Call(self, node):
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"only calls of named functions are allowed ({', '.join(sorted(FUNCTIONS))}); "
                               f"got a call of {type(node.func).__name__}")
        name = CALL_ALIASES.get(node.func.id, node.func.id)
        if name not in FUNCTIONS:
            raise FormulaError(f"function {node.func.id!r} is not allowed; "
                               f"allowed functions: {', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            raise FormulaError("keyword arguments are not allowed in a formula")
        args = [self.visit(arg) for arg in node.args]
        if not args:
            raise FormulaError(f"{node.func.id}() needs an argument")
        if name in _GROWING:
            for arg in args:
                _check_argument(name, arg)
        try:
            return _check_built(FUNCTIONS[name](*args))
        except (TypeError, ValueError) as exc:
            if isinstance(exc, FormulaError):
                raise
            raise FormulaError(f"bad call {node.func.id}(...): {exc}") from None


#: SymPy node types a formula may hold (what the whitelisted syntax and functions build)
_SYMPY_NODES = (sp.Add, sp.Mul, sp.Pow, sp.exp, sp.log, sp.gamma, sp.zeta, sp.Abs, sp.Min, sp.Max, sp.Symbol,
                sp.Rational, sp.Float, sp.NumberSymbol, type(sp.I), type(sp.zoo), type(sp.nan),
                type(sp.oo), type(sp.S.NegativeInfinity))


def _depth(expr: sp.Basic) -> int:
    """Depth of a SymPy tree, walked with a stack (no recursion), stopping past MAX_DEPTH."""
    deepest, stack = 0, [(expr, 1)]
    while stack and deepest <= MAX_DEPTH:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((arg, depth + 1) for arg in node.args)
    return deepest


def _from_sympy(expr: sp.Basic, names: dict) -> sp.Expr:
    """A SymPy expression checked against the whitelist; its symbols become the toolkit's (by name)."""
    if _depth(expr) > MAX_DEPTH:          # before any recursive SymPy walk (500 levels: RecursionError)
        raise FormulaError(f"expression nested too deeply (limit {MAX_DEPTH})")
    if sp.count_ops(expr) > MAX_LENGTH:
        raise FormulaError(f"expression too large (more than {MAX_LENGTH} operations)")
    swap = {}
    for node in sp.preorder_traversal(expr):
        if not isinstance(node, _SYMPY_NODES):
            raise FormulaError(f"{type(node).__name__} is not allowed in a formula; allowed: numbers, symbols, "
                               f"+ - * / **, {', '.join(sorted(FUNCTIONS))}")
        if isinstance(node, sp.Symbol):
            name = ALIASES.get(node.name, node.name)
            if name not in names:
                raise FormulaError(f"name {node.name!r} is not allowed; allowed names: {', '.join(sorted(names))}")
            swap[node] = names[name]
        else:
            _check_built(node)
    return _check_built(expr.xreplace(swap))


def parse_formula(text: str, names: dict | None = None) -> sp.Expr:
    """Parse ``text`` into a SymPy expression through a whitelist (never ``eval``).

    Parameters
    ----------
    text : str or SymPy expression
        The formula, Python-like syntax; ``^`` is accepted as power, ``α β γ π`` and ``−``
        as written. A SymPy expression passes the same whitelist.
    names : dict, optional
        Allowed names -> SymPy symbols. Defaults to the toolkit's shared symbols
        (alpha, beta, gamma, a, b and the resources t, T, N, P, D, B, C).

    Raises
    ------
    FormulaError
        (a ``ValueError``) naming what is not allowed and what is accepted.
    """
    names = DEFAULT_SYMBOLS if names is None else dict(names)
    if isinstance(text, sp.Basic):
        return _from_sympy(text, names)
    if not isinstance(text, str):
        raise FormulaError(f"formula must be a string or a SymPy expression, got {type(text).__name__}")
    if not text.strip():
        raise FormulaError("formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula too long ({len(text)} characters, limit {MAX_LENGTH})")
    try:
        # '^' means power in mathematical writing; strings are refused anyway, so replacing is safe
        with warnings.catch_warnings():   # e.g. "2β": a SyntaxWarning would go to stderr beside our message
            warnings.simplefilter("ignore")
            tree = ast.parse(text.strip().replace("^", "**").replace("\u2212", "-"), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse formula {text!r}: {exc.msg}") from None
    except (MemoryError, RecursionError):
        raise FormulaError("formula too complex to parse") from None
    except ValueError as exc:  # e.g. a NUL character
        raise FormulaError(f"cannot parse formula: {exc}") from None
    return _Builder(names).visit(tree)


class BoundError(FormulaError):
    """A value of a formula too large (or a function argument too large) to be evaluated."""


def substitute(expr: sp.Expr, values: dict, limit: float = MAX_DIGITS) -> sp.Expr:
    """``expr.subs(values)`` rebuilt from the leaves: the one exact substitution of the toolkit, with the
    parser's bounds holding after it. Refused with :class:`BoundError` *before* SymPy builds it:

    * a subtree that becomes a number whose value, or the value of any of its nodes, exceeds
      ``10**limit`` in size (estimated node by node in floating point by :func:`evaluate`);
    * a power of more than ``limit`` digits from the rational factor of its base: SymPy computes
      ``(2/d)**(10**29)`` as ``2**(10**29)/d**(10**29)`` and never returns (size ``|e| * log10 |c|``);
    * a power whose exponent becomes a number beyond ``MAX_SYMBOLIC_POWER`` while its base is not a
      rational number, as the parser refuses it (SymPy distributes such powers over products, e.g.
      ``(sqrt(2)/3)**(10**7)`` holds ``2**(5*10**6)``).

    >>> d, x, y = sp.symbols("d x y", positive=True)
    >>> substitute((x/d)**10, {x: 2})
    1024/d**10
    >>> substitute((x/d)**y, {x: 2, y: 10**29})
    Traceback (most recent call last):
    ...
    scalingtheory.parsing.BoundError: 2**1e+29 would have about 4.77e+28 digits (limit 1000)
    >>> substitute(sp.exp(x * 10**4), {x: 1})
    Traceback (most recent call last):
    ...
    scalingtheory.parsing.BoundError: exp(10000*x) has about 10^4.34e+3 in size (limit 10^1000)
    """
    return _substitute(expr, values, limit, set(values))


def _substitute(expr: sp.Expr, values: dict, limit: float, given: set) -> sp.Expr:
    if expr in values:
        return sp.sympify(values[expr])
    if not expr.args or not (expr.free_symbols & values.keys()):   # nothing to substitute: never rebuilt
        return expr
    if expr.free_symbols and expr.free_symbols <= given:   # becomes a number: its size first, node by node
        try:
            evaluate(expr, values, 15, limit)
        except BoundError:
            raise
        except FormulaError:   # a function evaluate does not know (polylog in a model's law; never in a formula)
            pass
        given = set()          # checked once, at the top of the subtree
    args = [_substitute(a, values, limit, given) for a in expr.args]
    if isinstance(expr, sp.Pow) and args[1].is_number and args[1].is_real:
        _check_power(args[0], args[1], limit)
    if isinstance(expr, sp.Mul):
        _check_roots(args, limit)
    return expr.func(*args)


def _check_roots(factors, limit: float) -> None:
    """SymPy merges rational powers of integers with a common denominator, ``b**(p/q) * c**(r/q)`` into
    ``(b**p * c**r)**(1/q)``: an integer of about ``|p| digits(b) + |r| digits(c)`` digits (a compute budget
    at ``alpha = beta = 100`` built one of 6,900 digits and never returned)."""
    size = 0.0
    for f in factors:
        for g in sp.Mul.make_args(f):
            if g.is_Pow and g.base.is_Rational and g.exp.is_Rational and not g.exp.is_Integer and g.base != 0:
                size += abs(int(g.exp.p)) * _digits(g.base)
    if size > limit:
        raise BoundError(f"a product of rational powers would be merged into a number of about {size:.3g} "
                         f"digits (limit {limit:g})")


def _check_power(base: sp.Expr, exp: sp.Expr, limit: float) -> None:
    """The power bounds of :func:`substitute` for ``base**exp`` with a real number ``exp``.

    A rational exponent ``p/q`` of a rational number costs SymPy up to ``max(|p|, q)`` times its digits: it
    extracts perfect roots by raising the base's factors to exponents below ``q`` (``21429198106146936**(p/q)``
    with ``q`` near ``10**9``, from ``beta = 1e-9``, never returned)."""
    if not exp.is_Rational:
        return
    n = abs(exp) if exp.is_Integer else max(abs(exp.p), exp.q)
    if n <= 1:
        return
    coeff = base.as_coeff_Mul()[0] if base.is_Mul else base
    if coeff.is_Rational and coeff != 0 and coeff not in (1, -1):
        size = float(n) * _digits(coeff)
        if size > limit:
            what = sp.sstr(coeff) if _digits(coeff) <= 12 else f"(a {_digits(coeff):.0f}-digit number)"
            power = sp.sstr(abs(exp)) if _digits(abs(exp)) <= 12 else f"{float(abs(exp)):.3g}"
            raise BoundError(f"{what}**{power} would have about {size:.3g} digits (limit {limit:g})")
    if not base.is_Rational and abs(exp) > MAX_SYMBOLIC_POWER:
        raise BoundError(f"exponent {sp.sstr(exp) if _digits(abs(exp)) <= 12 else f'{float(exp):.3g}'} of "
                         f"{sp.sstr(base)[:60]} too large for an exact value (limit {MAX_SYMBOLIC_POWER})")


def bounded_numbers(expr: sp.Expr, limit: float = MAX_DIGITS) -> sp.Expr:
    """``expr`` with every rational number of more than ``limit`` digits replaced by its 15-digit float.

    SymPy writes ``Integer**Rational`` in a normal form whose radicand collects the prime factors' remainders:
    at alpha = 14715/2048, beta = 59/64 a width prefactor holds integers of thousands of digits, which no
    printer writes out (Python stops at 4300 digits) and on which every later step is slow (8.7 s of
    compute-optimal prefactors). The float keeps the value; a printed float says the form is not exact.

    >>> x = sp.Symbol("x", positive=True)
    >>> bounded_numbers(sp.Integer(3) ** 5000 * x, limit=100)
    4.03899762978716e+2385*x
    >>> bounded_numbers(sp.Rational(1, 3) * x)
    x/3
    """
    huge = {a: a.evalf(15) for a in expr.atoms(sp.Rational) if max(abs(a.p), a.q).bit_length() > 3.33 * limit}
    return expr.xreplace(huge) if huge else expr


def exact_or_numeric(expr: sp.Expr, values: dict, digits: int = 30) -> tuple[sp.Expr, tuple]:
    """``(expr at values, notes)``: exact by :func:`substitute`, else a ``digits``-digit float and a note.

    The float comes from :func:`evaluate` (mpmath, node by node: no exact number is built, so a
    constant such as ``10**3000000000`` in a model's prefactor costs nothing) when every symbol has
    a finite value and the value's size is within ``10**NUMERIC_MAGNITUDE``; otherwise the finite
    numbers are substituted as floats (a term that vanishes, e.g. at ``oo``, drops out).

    >>> d, x = sp.symbols("d x", positive=True)
    >>> exact_or_numeric(1 + (x/d)**(10**29), {x: 2, d: 3})
    (1.00000000000000000000000000000, ('30-digit value: the exact form is too large (... has about 10^-4.77e+28 in size ...
    >>> exact_or_numeric(sp.Mul(sp.Pow(10, 3 * 10**9, evaluate=False), x, evaluate=False), {x: 2})[0]
    2.00000000000000000000000000000e+3000000000
    """
    try:
        return substitute(expr, values), ()
    except BoundError as exc:
        note = (f"{digits}-digit value: the exact form is too large ({exc})",)
    values = {k: sp.sympify(v) for k, v in values.items()}
    if expr.free_symbols <= set(values) and all(v.is_number and v.is_finite for v in values.values()):
        try:
            value = evaluate(expr, values, digits, NUMERIC_MAGNITUDE)
        except (BoundError, FormulaError):
            value = None
        if value is not None and value.imag == 0 and mpmath.isfinite(value.real):
            return sp.Float(value.real, digits), note
    numeric = {k: sp.Float(v, digits) if v.is_number and v.is_finite else v for k, v in values.items()}
    return expr.subs(numeric), note


#: decimal exponent allowed for any value in a numeric evaluation (mpmath floats: cheap at any size)
MAX_MAGNITUDE = 10**6
#: decimal exponent allowed in the numeric answer of :func:`exact_or_numeric` (a query's 30-digit value)
NUMERIC_MAGNITUDE = 10**12
_FUNCTION_VALUES = {sp.exp: mpmath.exp, sp.log: mpmath.log, sp.gamma: mpmath.gamma, sp.zeta: mpmath.zeta,
                    sp.Abs: abs, sp.sin: mpmath.sin, sp.cos: mpmath.cos}   # sin, cos: models' prefactors


def _guard(what: str, log10_size, limit: float) -> None:
    if not abs(log10_size) <= limit:
        raise BoundError(f"{what} has about 10^{mpmath.nstr(log10_size, 3)} in size (limit 10^{limit:g})")


def evaluate(expr: sp.Expr, values: dict | None = None, digits: int = 15, limit: float = MAX_MAGNITUDE):
    r"""Numeric value of a parsed formula at ``values`` (symbol -> number), with mpmath at ``digits``.

    No exact number is built: each node is evaluated in floating point, and before every
    power, ``exp``, ``gamma`` or ``zeta`` the size of the result is estimated from the
    arguments (:math:`\log_{10}|b^e| = \mathrm{Re}(e\log b)/\ln 10`); beyond ``10**limit`` (or an
    argument beyond ``MAX_ARGUMENT`` for gamma and zeta) a :class:`BoundError` is raised.
    With ``limit=MAX_DIGITS`` this is the check that makes an exact substitution safe.
    Returns an ``mpc`` (possibly non-finite: ``log(0)`` is ``-inf``).

    >>> from scalingtheory.symbols import alpha
    >>> evaluate(parse_formula("alpha**alpha**alpha**alpha"), {alpha: 3})
    Traceback (most recent call last):
    ...
    scalingtheory.parsing.BoundError: alpha**(alpha**(alpha**alpha)) has about 10^3.64e+12 in size (limit 10^1e+06)
    >>> evaluate(parse_formula("2*alpha/(1 + alpha)"), {alpha: sp.Rational(1, 3)})
    mpc(real='0.5', imag='0.0')
    """
    with mpmath.workdps(digits):
        return _eval(expr, values or {}, limit)


def _eval(expr, values: dict, limit: float):
    if expr.is_Symbol:
        if expr not in values:
            raise FormulaError(f"no value for {expr}")
        return _eval(sp.sympify(values[expr]), {}, limit)
    if expr.is_Rational:
        return mpmath.mpc(mpmath.mpf(int(expr.p)) / int(expr.q))
    if expr in (sp.nan, sp.zoo, sp.oo, -sp.oo):
        return mpmath.mpc(mpmath.nan if expr is sp.nan else mpmath.inf)
    if expr.is_Number or isinstance(expr, sp.NumberSymbol) or expr == sp.I:
        return mpmath.mpc(mpmath.mpmathify(complex(sp.N(expr, mpmath.mp.dps))) if expr == sp.I
                          else mpmath.mpmathify(sp.N(expr, mpmath.mp.dps)))
    args = [_eval(a, values, limit) for a in expr.args]
    if isinstance(expr, sp.Add):
        return mpmath.fsum(args)
    if isinstance(expr, sp.Mul):
        return mpmath.fprod(args)
    if isinstance(expr, sp.Pow):
        base, exp = args
        if base == 0:
            return mpmath.mpc(0) if exp.real > 0 else mpmath.mpc(mpmath.inf)
        if mpmath.isfinite(exp) and mpmath.isfinite(base):
            _guard(sp.sstr(expr), (exp * mpmath.log(base)).real / mpmath.ln(10), limit)
        return mpmath.mpc(mpmath.power(base, exp))
    if isinstance(expr, (sp.Min, sp.Max)):
        if any(a.imag != 0 for a in args):
            return mpmath.mpc(mpmath.nan)
        return mpmath.mpc((min if isinstance(expr, sp.Min) else max)(a.real for a in args))
    func = _FUNCTION_VALUES.get(type(expr))
    if func is None:
        raise FormulaError(f"cannot evaluate {type(expr).__name__} numerically")
    if isinstance(expr, sp.exp):
        _guard(sp.sstr(expr), args[0].real / mpmath.ln(10), limit)
    elif isinstance(expr, (sp.gamma, sp.zeta, sp.sin, sp.cos)):   # sin(10**6000) needs pi to 6000 digits
        for a in args:
            if not abs(a) <= MAX_ARGUMENT:
                raise BoundError(f"{sp.sstr(expr)}: argument {mpmath.nstr(a, 3)} too large (|x| <= {MAX_ARGUMENT})")
    try:
        return mpmath.mpc(func(*args))
    except (ValueError, ZeroDivisionError):  # poles: gamma(0), zeta(1)
        return mpmath.mpc(mpmath.inf)


__all__ = ["bounded_numbers", "parse_formula", "evaluate", "substitute", "exact_or_numeric", "FormulaError", "BoundError", "FUNCTIONS", "DEFAULT_SYMBOLS"]
