"""Check a hand derivation against the toolkit's.

The user names a model, a quantity by its path in the model's JSON output
(``exponents.t``, ``compute_optimal.loss``, ``compute_optimal.allocation.N``, ...)
and writes a formula as text. The formula is parsed safely
(:func:`scalingtheory.parsing.parse_formula`) and compared in two ways:

1. **symbolically**: the difference with the toolkit's closed form at the given
   (possibly symbolic) parameters is simplified under the regime's assumptions;
2. **numerically**: at random rational points of the parameters left free, the
   toolkit's exact quantity (from :meth:`Model.analyze` at that point, so each point
   lands in its own regime) and the formula are evaluated with mpmath at 50 digits.
   This accepts equal forms that SymPy cannot simplify into each other and reveals
   formulas that agree only on part of the domain (e.g. only for ``beta < 1``).

>>> r = verify("random_features", "exponents.t", "beta", alpha=2, beta="1/2")
>>> r.equal
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from .models import get_model
from .params import Parameter
from .parsing import DEFAULT_SYMBOLS, FormulaError, parse_formula

DIGITS = 50
TOLERANCE = mpmath.mpf(10) ** -30


@dataclass
class VerifyResult:
    """Outcome of :func:`verify`.

    ``equal`` is True when the formula equals the toolkit's quantity at every point
    checked. ``by_regime`` maps regime name -> (points that agree, points checked);
    ``counterexample`` holds a point where they differ, with both values.
    """

    model: str
    quantity: str
    formula: sp.Expr
    toolkit: sp.Expr | None
    equal: bool
    method: str
    by_regime: dict = field(default_factory=dict)
    counterexample: dict | None = None
    notes: list = field(default_factory=list)
    #: the parameters given (fixed) and the names of those left free (sampled)
    params: dict = field(default_factory=dict)
    free: tuple = ()

    def __bool__(self) -> bool:
        return self.equal

    def _lines(self) -> list[str]:
        """The verdict's body; with no free parameter the given point is the one point checked."""
        given = ", ".join(f"{k}={v}" for k, v in self.params.items() if not isinstance(v, sp.Symbol))
        lines = [f"yours:   {sp.sstr(self.formula)}",
                 f"toolkit: {sp.sstr(self.toolkit) if self.toolkit is not None else '(depends on the regime)'}",
                 f"method:  {self.method}"]
        ce = self.counterexample
        values = f"yours = {ce['yours']}, toolkit = {ce['toolkit']}" if ce else ""
        for name, (ok, total) in self.by_regime.items():
            if self.free:
                lines.append(f"regime {name}: agree at {ok}/{total} random points")
            else:
                lines.append(f"at the given point ({given}; regime {name}): {'agree' if ok else 'differ: ' + values}")
        if ce and self.free:
            point = ", ".join(f"{k}={v}" for k, v in ce["params"].items())
            lines.append(f"counterexample ({ce['regime']}): {point}: {values}")
        return lines + [f"note: {n}" for n in self.notes]

    def __repr__(self) -> str:
        verdict = "EQUAL" if self.equal else "NOT EQUAL"
        return "\n".join([f"{verdict}: {self.model} {self.quantity}"] + [f"  {line}" for line in self._lines()])

    def _repr_markdown_(self) -> str:
        verdict = "EQUAL" if self.equal else "NOT EQUAL"
        items = ["- " + line.replace("*", r"\*") for line in self._lines()]  # N*t is not emphasis
        return f"**{verdict}**: {self.model} `{self.quantity}`\n\n" + "\n".join(items)

    def latex(self) -> str:
        """Your formula and the toolkit's closed form, side by side."""
        toolkit = sp.latex(self.toolkit) if self.toolkit is not None else r"\text{(depends on the regime)}"
        rel = "=" if self.equal else r"\neq"
        return rf"\underbrace{{{sp.latex(self.formula)}}}_{{\text{{yours}}}} {rel} " \
               rf"\underbrace{{{toolkit}}}_{{\text{{toolkit}}}}"

    def to_json(self) -> dict:
        return {"model": self.model, "quantity": self.quantity, "equal": self.equal, "method": self.method,
                "formula": sp.sstr(self.formula),
                "toolkit": None if self.toolkit is None else sp.sstr(self.toolkit),
                "by_regime": {k: {"agree": a, "checked": n} for k, (a, n) in self.by_regime.items()},
                "counterexample": self.counterexample, "notes": self.notes}


def _sample(interval: sp.Interval, integer: bool, rng: np.random.Generator) -> sp.Rational:
    """A random rational inside ``interval``: uniform on bounded intervals, log-uniform over
    [1/8, 8] away from the finite end of unbounded ones."""
    lo, hi = interval.inf, interval.sup
    for _ in range(1000):
        if lo != -sp.oo and hi != sp.oo:
            value = lo + (hi - lo) * sp.Rational(int(rng.integers(1, 64)), 64)
        else:
            step = sp.Rational(round(64 * float(np.exp(rng.uniform(np.log(1 / 8), np.log(8))))), 64)
            value = lo + step if lo != -sp.oo else hi - step
        if integer:
            value = sp.ceiling(value)
        if interval.contains(value) == sp.true:
            return value
    raise ValueError(f"cannot sample a point in {interval}")


def _quantity(result, path: str):
    try:
        return result[path]
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None


def _number(expr: sp.Expr) -> mpmath.mpf | None:
    """High-precision value, or None when the expression is not a finite real number."""
    if expr.free_symbols:
        return None
    val = sp.N(expr, DIGITS)
    if not (val.is_real and val.is_finite):
        return None
    return mpmath.mpf(val)


def _agree(x, y) -> bool:
    return abs(x - y) <= TOLERANCE * max(1, abs(y))


def verify(model: str, quantity: str, formula: str, points: int = 24, seed: int = 0, **params) -> VerifyResult:
    """Compare ``formula`` with the toolkit's ``quantity`` of ``model`` (see the module docstring).

    Parameters given in ``params`` are fixed; the model's other numeric parameters
    are free: symbols in the formula, and sampled at ``points`` random points.
    """
    m = get_model(model)
    fixed = m.validate(**params)  # bad input is an error, not a disagreement
    names = {p.name: p.symbol for p in m.parameters if isinstance(p, Parameter)}
    yours = parse_formula(formula, {**DEFAULT_SYMBOLS, **names})
    yours = yours.subs({names[k]: v for k, v in fixed.items() if k in names and not isinstance(v, sp.Symbol)})
    region = {}
    try:
        base = m.analyze(**params)
        toolkit = _quantity(base, quantity).expr
        region = base.regime.conditions  # sample inside the regime the closed form belongs to
    except ValueError as exc:
        if "unknown quantity" in str(exc):
            raise
        toolkit = None  # no single closed form over the free parameters: compare point by point
    # parameters without a default are optional alternative notations (e.g. (a, b) beside
    # (alpha, beta)); they are not sampled
    free = [p for p in m.parameters if isinstance(p, Parameter) and p.name not in params and p.default is not None]
    stray = yours.free_symbols - {p.symbol for p in free}
    if stray:
        fixed = ", ".join(sorted(str(s) for s in stray))
        raise ValueError(f"the formula uses {fixed}, which is not a free parameter of {model} here "
                         f"(free: {', '.join(p.name for p in free) or 'none'})")
    notes = []
    method = "numeric"
    if toolkit is None:
        notes.append("the model has no single closed form over the free parameters; compared point by point")
    else:
        try:
            if not toolkit.has(sp.Piecewise) and sp.simplify(yours - toolkit) == 0:
                method = "symbolic"
        except (ArithmeticError, ValueError) as exc:
            raise FormulaError(f"cannot compare the formula symbolically: {exc}") from None
    rng = np.random.default_rng(seed)
    by_regime, regimes, counter = {}, {}, None
    checks = points if free else 1
    with mpmath.workdps(DIGITS + 10):
        for _ in range(checks):
            point = {p.name: _sample(p.numeric_domain.intersect(region.get(p.symbol, p.domain)), p.integer, rng)
                     for p in free}
            try:
                res = m.analyze(**params, **point)
            except ValueError:
                continue
            tk = _number(_quantity(res, quantity).expr)
            if tk is None:
                notes.append(f"the toolkit's value could not be evaluated at {point}")
                continue
            try:
                yv = _number(yours.subs({names[k]: v for k, v in point.items()}))
            except (ArithmeticError, ValueError) as exc:
                raise FormulaError(f"cannot evaluate the formula at {point}: {exc}") from None
            ok, total = by_regime.get(res.regime.name, (0, 0))
            same = yv is not None and _agree(yv, tk)  # a non-real value of yours is a disagreement
            by_regime[res.regime.name] = (ok + same, total + 1)
            regimes[res.regime.name] = res.regime
            if not same and counter is None:
                counter = {"params": {k: str(v) for k, v in point.items()}, "regime": res.regime.name,
                           "yours": "not real" if yv is None else mpmath.nstr(yv, 15),
                           "toolkit": mpmath.nstr(tk, 15)}
    if not by_regime:
        raise ValueError(f"no point of {model}'s domain could be evaluated for {quantity}")
    equal = all(ok == total for ok, total in by_regime.values())
    agreeing = [r for r, (ok, total) in by_regime.items() if ok == total]
    if not equal and agreeing:
        notes.append("agrees only on part of the domain: in " + "; ".join(
            f"regime {regimes[r]}" for r in agreeing))
    if method == "symbolic" and not equal:
        notes.append("symbolically equal at the given parameters, but not elsewhere in the domain")
    return VerifyResult(model, quantity, yours, toolkit, equal, method, by_regime, counter, notes,
                        dict(params), tuple(p.name for p in free))


__all__ = ["verify", "VerifyResult"]
