"""Exact sign decisions for exponent expressions under interval assumptions.

Scaling exponents are rational functions of the model parameters (and ``Min``/``Max``
of them). To decide the sign of such an expression on a region such as
``alpha > 1, 0 < beta < 1`` we map each parameter onto a positive variable
``u > 0`` (``alpha = 1 + u``, ``beta = u/(1 + u)``), bring the expression over a
common denominator and look at the coefficients: a polynomial in positive
variables whose coefficients are all non-negative (and not all zero) is positive.
This test is *sound*: a returned sign is a proof. When it cannot conclude, it
returns ``None`` and callers keep the question open (as a ``Piecewise`` condition
or a note) rather than guess.

>>> import sympy as sp
>>> from scalingtheory.symbols import alpha, beta
>>> dom = {alpha: sp.Interval.open(1, sp.oo), beta: sp.Interval.open(0, 1)}
>>> sign(2*beta/(1 + beta) - beta, dom)
1
>>> sign(alpha*beta - alpha, dom)
-1
>>> sign(beta - sp.Rational(1, 2), dom) is None
True
"""

from __future__ import annotations

import functools

import sympy as sp


def _positive_parametrisation(sym: sp.Symbol, interval: sp.Interval, u: sp.Symbol) -> sp.Expr:
    lo, hi = interval.inf, interval.sup
    if lo == -sp.oo and hi == sp.oo:
        raise ValueError(f"no sign test for unbounded {sym}")
    if hi == sp.oo:
        return lo + u
    if lo == -sp.oo:
        return hi - u
    return lo + (hi - lo) * u / (1 + u)


def _coefficient_sign(poly_expr: sp.Expr, gens: list) -> int | None:
    """Sign of a polynomial in positive variables from its coefficients, or None."""
    poly_expr = sp.expand(poly_expr)
    if poly_expr == 0:
        return 0
    if poly_expr.is_number:
        return 1 if poly_expr > 0 else -1
    try:
        coeffs = sp.Poly(poly_expr, *gens).coeffs()
    except sp.PolynomialError:
        return None
    if not all(c.is_number and c.is_real for c in coeffs):
        return None
    if all(c >= 0 for c in coeffs):
        return 1
    if all(c <= 0 for c in coeffs):
        return -1
    return None


def resolve_minmax(expr: sp.Expr, assumptions: dict) -> sp.Expr:
    """Replace ``Min``/``Max`` whose arguments can be ordered under ``assumptions``."""

    def pick(node):
        args = list(node.args)
        keep = []
        for cand in args:
            dominated = False
            for other in args:
                if other is cand:
                    continue
                s = sign(other - cand, assumptions)
                better = s == -1 if isinstance(node, sp.Min) else s == 1
                if better or (s == 0 and args.index(other) < args.index(cand)):
                    dominated = True
                    break
            if not dominated:
                keep.append(cand)
        return type(node)(*keep) if len(keep) > 1 else keep[0]

    return expr.replace(lambda e: isinstance(e, (sp.Min, sp.Max)), pick)


def _substitution_order(symbols, assumptions: dict) -> list | None:
    """Symbols to parametrise, each before the symbols its interval's endpoints depend on.

    None when a symbol has neither an interval nor a positive declaration, when the
    dependencies are cyclic, or when an interval with symbolic endpoints cannot be shown
    to be non-empty (``hi - lo > 0``) on the rest of the region.
    """
    needed, todo = set(), list(symbols)
    while todo:
        sym = todo.pop()
        if sym in needed:
            continue
        needed.add(sym)
        if sym in assumptions:
            todo += list(assumptions[sym].free_symbols)
        elif not sym.is_positive:
            return None
    order, placed = [], set()
    while len(order) < len(needed):
        # a symbol can go once no remaining symbol's interval depends on it
        ready = [s for s in sorted(needed - placed, key=str)
                 if not any(s in assumptions[o].free_symbols for o in needed - placed - {s} if o in assumptions)]
        if not ready:
            return None
        for sym in ready:
            interval = assumptions.get(sym)
            if interval is not None and interval.free_symbols and interval.sup != sp.oo and interval.inf != -sp.oo:
                rest = {k: v for k, v in assumptions.items() if k != sym}
                if sign(interval.sup - interval.inf, rest) != 1:
                    return None
        order += ready
        placed.update(ready)
    return order


def sign(expr, assumptions: dict | None = None) -> int | None:
    """Sign of ``expr`` (1, -1 or 0) on the whole region given by ``assumptions``.

    ``assumptions`` maps symbols to :class:`sympy.Interval`; endpoints may involve other
    symbols (``beta`` in ``(1, 2 - 1/alpha)``). Symbols without an interval must be
    declared positive. Returns ``None`` when the sign is not constant on the region or
    cannot be proved by the coefficient test.

    The sign is decided on the *interior* of the region: closed endpoints (``beta <= 1``)
    are boundaries where an expression may vanish; regimes report such ties in their
    notes (e.g. ``beta = 1``), and :func:`boundary` locates them.

    A pure function, memoized (the symbolic queries ask the same signs again: 548 calls, 223
    distinct, for ``st.optimal(alpha=alpha, beta=beta)``; 2.3 -> 1.95 s CPU).

    >>> from scalingtheory.symbols import alpha, beta
    >>> easy = {alpha: sp.Interval.open(1, sp.oo), beta: sp.Interval.open(1, 2 - 1/alpha)}
    >>> sign(2 - 1/alpha - beta, easy), sign(2*alpha*beta - alpha - 1, easy)
    (1, 1)
    """
    expr = sp.sympify(expr)
    items = tuple(sorted((assumptions or {}).items(), key=str))
    try:
        return _sign_cached(expr, items)
    except TypeError:         # an unhashable assumption: decided without the memo
        return _sign(expr, dict(items))


@functools.lru_cache(maxsize=4096)
def _sign_cached(expr: sp.Expr, items: tuple) -> int | None:
    return _sign(expr, dict(items))


def _sign(expr: sp.Expr, assumptions: dict) -> int | None:
    """:func:`sign` itself."""
    if expr.has(sp.Min, sp.Max):
        expr = resolve_minmax(expr, assumptions)
        # an unresolved Min/Max of positive arguments is itself positive: treat it as
        # an unknown positive number (sound, though it forgets the correlations)
        expr = expr.replace(
            lambda e: isinstance(e, (sp.Min, sp.Max)) and all(sign(x, assumptions) == 1 for x in e.args),
            lambda e: sp.Dummy("m", positive=True))
        if expr.has(sp.Min, sp.Max):
            return None
    if expr.is_number:
        if expr.is_zero:
            return 0
        return 1 if expr.is_positive else -1 if expr.is_negative else None
    order = _substitution_order(expr.free_symbols, assumptions)
    if order is None:
        return None
    gens = []
    for sym in order:  # dependents first: beta in (1, 2 - 1/alpha) is replaced before alpha
        u = sp.Dummy(f"u_{sym}", positive=True)
        gens.append(u)
        expr = expr.xreplace({sym: _positive_parametrisation(sym, assumptions[sym], u) if sym in assumptions else u})
    num, den = sp.fraction(sp.together(expr))
    s_num, s_den = _coefficient_sign(num, gens), _coefficient_sign(den, gens)
    if s_num == 0:
        return 0
    if s_num is None or not s_den:
        return None
    return s_num * s_den


def boundary(expr: sp.Expr, assumptions: dict | None = None) -> str | None:
    """Readable form of the boundary ``expr = 0`` inside the region, or None if it has none there.

    The numerator is solved for one symbol at a time; solutions outside the symbol's
    interval in ``assumptions`` are not boundaries of the region. When nothing can be
    solved, the equation itself is returned.

    >>> from scalingtheory.symbols import alpha, beta
    >>> boundary(alpha*beta*(beta - 2)*(alpha - 1), {alpha: sp.Interval.open(1, sp.oo)})
    'beta = 2'
    >>> boundary(beta - 2, {beta: sp.Interval.open(0, 1)}) is None
    True
    """
    assumptions = assumptions or {}
    num = sp.numer(sp.factor(sp.together(expr)))
    solved_any = False
    for sym in sorted(num.free_symbols, key=str):
        try:
            sols = [s for s in sp.solve(num, sym) if s.is_real is not False]
        except NotImplementedError:
            continue
        solved_any = True
        inside = [s for s in sols if not (s.is_number and sym in assumptions
                                          and assumptions[sym].contains(s) != sp.true)]
        if len(inside) == 1:
            return f"{sym} = {sp.sstr(inside[0])}"
        if inside:
            return f"{sp.sstr(num)} = 0"
    return None if solved_any else f"{sp.sstr(num)} = 0"


__all__ = ["sign", "resolve_minmax", "boundary"]
