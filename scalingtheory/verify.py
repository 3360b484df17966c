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

import time
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from .display import math_text
from .number_text import digits_text, too_many_digits
from .models import get_model
from .params import Parameter
from .parsing import DEFAULT_SYMBOLS, BoundError, FormulaError, evaluate, parse_formula, substitute
from .results import _short

DIGITS = 50
TOLERANCE = mpmath.mpf(10) ** -30
SYMBOLIC_BUDGET = 4.0   # seconds for simplify(yours - toolkit), in a child process beside the sampling
NUMERIC_BUDGET = 6.0    # seconds for the random points (each point re-derives the toolkit's value)


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

    def _lines(self, expr=sp.sstr) -> list[str]:
        """The verdict's body; with no free parameter the given point is the one point checked."""
        given = ", ".join(f"{k}={v}" for k, v in self.params.items() if not isinstance(v, sp.Symbol))
        lines = [f"yours:   {expr(self.formula)}",
                 f"toolkit: {expr(self.toolkit) if self.toolkit is not None else '(depends on the regime)'}",
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
        """The verdict with the two formulas typeset (``$...$``) and the formulas of the other lines too."""
        verdict = "EQUAL" if self.equal else "NOT EQUAL"
        formulas = self._lines(lambda e: f"${sp.latex(e)}$")[:2]
        items = [f"- {line}" for line in formulas + [math_text(line, "markdown").replace("*", r"\*")
                                                     for line in self._lines()[2:]]]   # N*t is not emphasis
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
    """A random rational inside ``interval``: uniform on short intervals (length <= 16), log-uniform
    over [1/8, 8] away from the finite lower (else upper) end of long or unbounded ones."""
    lo, hi = interval.inf, interval.sup
    for _ in range(1000):
        if hi - lo <= 16:
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
    """High-precision value of the toolkit's (trusted) expression, or None when it is not a finite real."""
    if expr.free_symbols:
        return None
    val = sp.N(expr, DIGITS)
    if not (val.is_real and val.is_finite):
        return None
    return mpmath.mpf(val)


def _yours(expr: sp.Expr, values: dict) -> tuple[mpmath.mpf | None, str]:
    """Your formula's value at ``values`` by the bounded evaluator, or (None, why it has none)."""
    try:
        val = evaluate(expr, values, DIGITS + 10)
    except BoundError as exc:
        return None, f"too large to evaluate ({exc})"
    if not mpmath.isfinite(val):
        return None, "not finite"
    if abs(val.imag) > TOLERANCE * max(1, abs(val.real)):
        return None, "not real"
    return val.real, ""


def _agree(x, y) -> bool:
    return abs(x - y) <= TOLERANCE * max(1, abs(y))


def _symbolic_difference(yours: sp.Expr, given: dict, toolkit: sp.Expr) -> sp.Expr:
    """``simplify(yours - toolkit)`` at the given parameters, 0 when they are equal (run in a child process,
    under a budget; the exact substitution is bounded by :func:`scalingtheory.parsing.substitute`)."""
    return sp.simplify(substitute(yours, given) - toolkit)


def _child(conn, func, args) -> None:
    try:
        out = ("done", func(*args))
    except BaseException as exc:  # noqa: BLE001 -- any failure means "not decided symbolically"
        out = ("failed", " ".join(f"{type(exc).__name__}: {exc}".split())[:120])
    try:
        conn.send(out)
    except Exception:  # noqa: BLE001 -- an answer that does not pickle
        conn.send(("failed", "the answer could not be sent back"))
    conn.close()


class _Budgeted:
    """``func(*args)`` in a forked child process that is killed when its time budget runs out, so a
    simplification that does not end cannot hold up the caller (where fork is unavailable: not run).

    :meth:`result` tells how it ended: ``("done", value)``, ``("failed", reason)``, ``("timeout", None)``
    (the budget ran out), ``("stopped", None)`` (not awaited) or ``("unavailable", None)`` (no fork)."""

    def __init__(self, func, args, budget: float):
        import multiprocessing

        self.deadline = time.monotonic() + budget
        self.proc = self.conn = None
        if "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self.conn, child = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=_child, args=(child, func, args), daemon=True)
            self.proc.start()
            child.close()

    def result(self, wait: bool = True) -> tuple[str, object]:
        """How the child ended (see the class); ``wait=False`` takes an answer only if it is already there."""
        if self.proc is None:
            return "unavailable", None
        try:
            if self.conn.poll(max(0.0, self.deadline - time.monotonic()) if wait else 0):
                return self.conn.recv()
            return ("timeout" if wait else "stopped"), None
        except (EOFError, OSError):
            return "failed", "the process ended without an answer"
        finally:
            self.close()

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.conn.close()
            self.proc = None


@dataclass
class _Problem:
    """What is compared: your parsed formula and the model's ``quantity`` at the ``given`` (numeric)
    parameters, the ``free`` parameters to sample inside ``region`` (the regime's conditions)."""

    model: object
    quantity: str
    params: dict
    yours: sp.Expr
    given: dict
    free: list
    region: dict


def _closed_form(m, quantity: str, params: dict) -> tuple:
    """``(toolkit, region)``: the closed form at ``params`` and its regime's conditions, or ``(None, {})``
    when no single closed form covers the free parameters (compared point by point then)."""
    from . import cache

    try:
        base = cache.analyze(m, params)   # a closed form: derived once per session and toolkit version
    except ValueError as exc:
        if "unknown quantity" in str(exc):
            raise
        return None, {}
    return _quantity(base, quantity).expr, base.regime.conditions


def _problem(m, quantity: str, formula, params: dict) -> tuple:
    """``(_Problem, toolkit)``; bad input (parameters, formula, a symbol that is not free) raises ValueError."""
    fixed = m.validate(**params)  # bad input is an error, not a disagreement
    names = {p.name: p.symbol for p in m.parameters if isinstance(p, Parameter)}
    yours = parse_formula(formula, {**DEFAULT_SYMBOLS, **names})
    given = {names[k]: v for k, v in fixed.items() if k in names and not isinstance(v, sp.Symbol)}
    toolkit, region = _closed_form(m, quantity, params)
    # parameters without a default are optional alternative notations (e.g. (a, b) beside
    # (alpha, beta)); they are not sampled
    free = [p for p in m.parameters if isinstance(p, Parameter) and p.name not in params and p.default is not None]
    stray = yours.free_symbols - {p.symbol for p in free} - set(given)
    if stray:
        raise ValueError(f"the formula uses {', '.join(sorted(str(s) for s in stray))}, which is not a free "
                         f"parameter of {m.name} here (free: {', '.join(p.name for p in free) or 'none'})")
    return _Problem(m, quantity, dict(params), yours, given, free, region), toolkit


def verify(model: str, quantity: str, formula, points: int = 24, seed: int = 0, **params) -> VerifyResult:
    """Compare ``formula`` (text or a SymPy expression) with the toolkit's ``quantity`` of ``model``.

    Parameters given in ``params`` are fixed; the model's other numeric parameters
    are free: symbols in the formula, and sampled at ``points`` random points.
    Bounded: the symbolic step gets ``SYMBOLIC_BUDGET`` seconds in a child process, the
    sampling ``NUMERIC_BUDGET`` seconds; your formula is evaluated by the bounded evaluator
    (:func:`scalingtheory.parsing.evaluate`), never as an exact number.

    Raises ``ValueError`` for bad input, including a formula that is not a finite real
    number at any point checked, and ``RuntimeError`` when the toolkit's own value could
    not be evaluated at any point.
    """
    prob, toolkit = _problem(get_model(model), quantity, formula, params)
    notes = [] if toolkit is not None else \
        ["the model has no single closed form over the free parameters; compared point by point"]
    symbolic = None if toolkit is None or toolkit.has(sp.Piecewise) else \
        _Budgeted(_symbolic_difference, (prob.yours, prob.given, toolkit), SYMBOLIC_BUDGET)
    try:
        with mpmath.workdps(DIGITS + 10):
            tally = _sample_points(prob, points if prob.free else 1, seed, notes)
        # a counterexample decides: the proof is not awaited then (taken only if it is already there)
        state, diff = symbolic.result(wait=tally.equal) if symbolic is not None else ("not run", None)
    finally:
        if symbolic is not None:
            symbolic.close()
    proved = state == "done" and diff == 0
    # a difference SymPy reduced to a nonzero constant is a disproof, even below the numeric TOLERANCE (1e-40)
    disproved = state == "done" and not diff.free_symbols and diff.is_zero is False
    equal = tally.equal and not disproved
    notes += _symbolic_notes(state, diff, equal)
    if not equal and tally.agreeing and not disproved:
        notes.append("agrees only on part of the domain: in " + "; ".join(
            f"regime {tally.regimes[r]}" for r in tally.agreeing))
    if proved and not equal:
        notes.append("symbolically equal at the given parameters, but not elsewhere in the domain")
    method = "counterexample" if not tally.equal else "symbolic" if proved or disproved else "numeric"
    return VerifyResult(model, quantity, prob.yours, toolkit, equal, method,
                        tally.by_regime, tally.counter, notes, dict(params), tuple(p.name for p in prob.free))


def _symbolic_notes(state: str, diff, equal: bool) -> list[str]:
    """What the symbolic step said, where it matters: why an equal formula was decided numerically
    (the budget ran out, the step failed, or ``simplify`` left a difference it could not reduce to 0),
    or the exact difference of a formula that differs by a constant."""
    if state == "timeout" and equal:
        return [f"no symbolic proof within {SYMBOLIC_BUDGET:g} s at these parameters; decided numerically"]
    if state == "failed" and equal:
        return [f"the symbolic step failed ({diff}); decided numerically"]
    if state != "done" or diff == 0:
        return []
    if not diff.free_symbols:
        below = ", within the numeric tolerance at every point checked" if diff.is_zero is False and \
            abs(float(diff)) <= TOLERANCE else ""
        return [f"yours - toolkit = {_short(diff, 80)} exactly{below}"]
    return [f"simplify leaves yours - toolkit = {_short(diff, 80)}, not 0; equal at every point checked "
            "(decided numerically)"] if equal else []



@dataclass
class _Tally:
    """Points compared so far: ``by_regime`` name -> (agree, checked), the regimes, the first
    counterexample, the points where the toolkit (``failed``) or your formula (``not_yours``) had no value."""

    by_regime: dict = field(default_factory=dict)
    regimes: dict = field(default_factory=dict)
    counter: dict | None = None
    failed: list = field(default_factory=list)
    not_yours: list = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return all(ok == total for ok, total in self.by_regime.values())

    @property
    def agreeing(self) -> list:
        return [r for r, (ok, total) in self.by_regime.items() if ok == total]

    def add(self, regime, point: dict, yv, why: str, tk) -> None:
        """One compared point; a missing (non-real) value of yours is a disagreement."""
        if yv is None:
            self.not_yours.append(f"{why} at {point}" if point else why)
        ok, total = self.by_regime.get(regime.name, (0, 0))
        same = yv is not None and _agree(yv, tk)
        self.by_regime[regime.name] = (ok + same, total + 1)
        self.regimes[regime.name] = regime
        if not same and self.counter is None:
            self.counter = {"params": {k: str(v) for k, v in point.items()}, "regime": regime.name,
                            "yours": why or mpmath.nstr(yv, 15), "toolkit": mpmath.nstr(tk, 15)}

    def finish(self, prob: _Problem, notes: list) -> "_Tally":
        """Raise when nothing could be compared; note the points the toolkit could not evaluate."""
        if self.failed:
            if not self.by_regime:
                raise RuntimeError(f"the toolkit could not evaluate {prob.quantity} at any point checked: "
                                   f"{self.failed[0]}")
            notes.append(f"the toolkit's value could not be evaluated at {len(self.failed)} point(s), "
                         f"e.g. {self.failed[0]}")
        if not self.by_regime:
            raise ValueError(f"no point of {prob.model.name}'s domain could be evaluated for {prob.quantity}")
        checked = sum(total for _, total in self.by_regime.values())
        if len(self.not_yours) == checked:
            raise FormulaError(f"the formula is not a finite real number at any of the {checked} point(s) "
                               f"checked ({self.not_yours[0]})")
        return self


def _why(exc: BaseException) -> str:
    """The toolkit's failure in one bounded line (Python's words for an integer of over 4300 digits replaced)."""
    text = digits_text() if too_many_digits(exc) else " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _toolkit_at(prob: _Problem, point: dict):
    """``(result, value)`` of the toolkit at ``point``; ``None`` outside the domain (the model's ``validate``
    refuses the point); the reason as a string when the toolkit fails there or has no finite real value.
    A ``ValueError`` of ``analyze`` at a point ``validate`` accepted is the toolkit's failure (e.g. a root
    search that did not converge), never bad input."""
    try:
        prob.model.validate(**prob.params, **point)
    except ValueError:
        return None
    try:
        res = prob.model.analyze(**prob.params, **point)
    except (ValueError, RuntimeError, ArithmeticError) as exc:
        return f"{_why(exc)} at {point}"
    expr = _quantity(res, prob.quantity).expr  # an unknown quantity is bad input (ValueError)
    try:
        tk = _number(expr)
    except (RuntimeError, ArithmeticError, ValueError) as exc:
        return f"{_why(exc)} at {point}"
    return (res, tk) if tk is not None else f"no finite real value at {point}"


def _sample_points(prob: _Problem, checks: int, seed: int, notes: list) -> _Tally:
    """Compare at random points within ``NUMERIC_BUDGET`` seconds; returns the tallies by regime."""
    rng = np.random.default_rng(seed)
    tally = _Tally()
    deadline = time.monotonic() + NUMERIC_BUDGET
    for done in range(1, checks + 1):
        if time.monotonic() > deadline:
            notes.append(f"checked {done - 1} of {checks} points within the {NUMERIC_BUDGET:g} s budget")
            break
        point = {p.name: _sample(p.numeric_domain.intersect(prob.region.get(p.symbol, p.domain)), p.integer, rng)
                 for p in prob.free}
        found = _toolkit_at(prob, point)
        if found is None or isinstance(found, str):
            if found:
                tally.failed.append(found)
            continue
        res, tk = found
        yv, why = _yours(prob.yours, {**prob.given, **{p.symbol: point[p.name] for p in prob.free}})
        tally.add(res.regime, point, yv, why, tk)
    return tally.finish(prob, notes)


__all__ = ["verify", "VerifyResult"]
