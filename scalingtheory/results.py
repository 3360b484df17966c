"""Result objects: what every question to the toolkit returns.

A :class:`Quantity` holds one exact SymPy expression together with what is needed
to trust and use it: the regime and assumptions under which it holds, notes about
boundaries, its float value (computed from the same expression), LaTeX, and a
plain-language explanation. A :class:`ModelResult` gathers the quantities of one
model at one parameter point and serialises to the CLI's JSON contract.

>>> import sympy as sp
>>> q = Quantity("exponents.t", sp.Rational(2, 3), "loss decay rate in t")
>>> q
Quantity(exponents.t = 2/3 ≈ 0.666667)
>>> q.latex()
'\\\\frac{2}{3}'
>>> q.to_json()
{'expr': '2/3', 'value': 0.6666666666666666}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from .params import describe_interval


def _value(expr: sp.Expr) -> float | None:
    """Float value of a closed expression; None when it has free symbols or overflows a float.

    A NaN or non-real value is an internal failure (``RuntimeError``), not bad input.
    """
    if expr.free_symbols:
        return None
    val = complex(sp.N(expr, 30))
    if val.imag != 0 or math.isnan(val.real):
        raise RuntimeError(f"expression {expr} has no real value")
    return float(val.real) if math.isfinite(val.real) else None


def num_json(expr: sp.Expr) -> dict:
    """The ``NUM`` object of the JSON contract: ``{"expr": str, "value": float|None}``."""
    expr = sp.sympify(expr)
    return {"expr": sp.sstr(expr), "value": _value(expr)}


@dataclass(frozen=True)
class Quantity:
    """One exact quantity (exponent, prefactor, allocation, ...) with its context.

    Attributes
    ----------
    name : str
        Path of the quantity in the model's JSON output, e.g. ``"exponents.t"``.
    expr : sympy.Expr
        The exact expression; rationals stay rationals.
    description : str
        What the quantity is, in words.
    assumptions : tuple[str, ...]
        The assumptions it was derived under (domains, regime inequalities).
    regime : str or None
        Name of the regime it belongs to.
    notes : tuple[str, ...]
        Boundary remarks (ties, log corrections, unverified claims).
    """

    name: str
    expr: sp.Expr
    description: str = ""
    assumptions: tuple = ()
    regime: str | None = None
    notes: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "expr", sp.sympify(self.expr))
        object.__setattr__(self, "assumptions", tuple(self.assumptions))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def value(self) -> float | None:
        """Float value (from the exact expression), or None if it has free symbols."""
        return _value(self.expr)

    def evalf(self, dps: int = 15) -> mpmath.mpf:
        """Value to ``dps`` significant digits as an mpmath number."""
        if self.expr.free_symbols:
            raise ValueError(f"{self.name} depends on {sorted(map(str, self.expr.free_symbols))}; substitute values first")
        with mpmath.workdps(dps + 5):
            return mpmath.mpf(sp.N(self.expr, dps + 5))

    def subs(self, values: dict) -> "Quantity":
        """The same quantity with symbols replaced (e.g. ``{alpha: 2}``)."""
        return Quantity(self.name, self.expr.subs(values), self.description, self.assumptions, self.regime, self.notes)

    def latex(self) -> str:
        return sp.latex(self.expr)

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def __repr__(self) -> str:
        val = self.value
        approx = f" ≈ {val:.6g}" if val is not None and not self.expr.is_Integer else ""
        return f"Quantity({self.name} = {sp.sstr(self.expr)}{approx})"

    def explain(self) -> str:
        """A readable account: what, the exact form, the value, where it holds."""
        lines = [f"{self.name}: {self.description}" if self.description else self.name,
                 f"  exact:  {sp.sstr(self.expr)}"]
        if self.value is not None:
            lines.append(f"  value:  {self.value:.10g}")
        if self.regime:
            lines.append(f"  regime: {self.regime}")
        lines += [f"  assumes: {a}" for a in self.assumptions]
        lines += [f"  note:   {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return num_json(self.expr)


@dataclass(frozen=True)
class Regime:
    """A named region of parameter space, e.g. the hard regime ``0 < beta < 1``.

    ``conditions`` maps symbols to the intervals that define the region; they are
    the assumptions under which the regime's closed forms are derived.
    """

    name: str
    conditions: dict = field(default_factory=dict)
    description: str = ""
    notes: tuple = ()

    def assumptions(self) -> tuple[str, ...]:
        return tuple(describe_interval(str(s), iv) for s, iv in self.conditions.items())

    def __str__(self) -> str:
        conds = ", ".join(self.assumptions())
        return f"{self.name} ({conds})" if conds else self.name


@dataclass(frozen=True)
class ComputeOptimalResult:
    """Compute-optimal rule: ``X* ~ C^{a_X}`` and ``L* - L_inf ~ C^{-r_C}``."""

    cost: str
    loss: Quantity
    allocation: dict
    prefactors: dict = field(default_factory=dict)
    notes: tuple = ()

    def to_json(self) -> dict:
        return {"cost": self.cost, "loss": self.loss.to_json(),
                "allocation": {k: q.to_json() for k, q in self.allocation.items()}}


@dataclass
class ModelResult:
    """All that a model says at one parameter point (``Model.analyze``)."""

    model: str
    params: dict
    regime: Regime
    exponents: dict
    compute_optimal: ComputeOptimalResult | None
    prefactors: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def quantities(self) -> dict[str, Quantity]:
        """Every quantity by its JSON path (``exponents.t``, ``compute_optimal.allocation.N``, ...)."""
        out = {f"exponents.{k}": q for k, q in self.exponents.items()}
        if self.compute_optimal is not None:
            out["compute_optimal.loss"] = self.compute_optimal.loss
            out.update({f"compute_optimal.allocation.{k}": q for k, q in self.compute_optimal.allocation.items()})
        out.update({f"prefactors.{k}": q for k, q in self.prefactors.items()})
        return out

    def __getitem__(self, path: str) -> Quantity:
        try:
            return self.quantities()[path]
        except KeyError:
            raise KeyError(f"unknown quantity {path!r}; available: {', '.join(self.quantities())}") from None

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "params": {k: (v if isinstance(v, str) else num_json(v)) for k, v in self.params.items()},
            "regime": self.regime.name,
            "exponents": {k: q.to_json() for k, q in self.exponents.items()},
            "compute_optimal": None if self.compute_optimal is None else self.compute_optimal.to_json(),
            "prefactors": {k: q.to_json() for k, q in self.prefactors.items()},
            "notes": list(self.notes),
        }

    def _rows(self) -> list[tuple[str, sp.Expr]]:
        return [(path, q.expr) for path, q in self.quantities().items()]

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.params.items())
        rows = self._rows()
        width = max((len(p) for p, _ in rows), default=0)
        lines = [f"{self.model}({params})", f"regime: {self.regime}"]
        for path, expr in rows:
            val = _value(expr)
            tail = "" if val is None or expr.is_Integer else f"  ≈ {val:.6g}"
            lines.append(f"  {path:<{width}}  {sp.sstr(expr)}{tail}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def explain(self) -> str:
        return "\n\n".join([repr(self)] + [q.explain() for q in self.quantities().values()])

    def _repr_latex_(self) -> str:
        rows = " \\\\ ".join(f"\\text{{{p.replace('_', '-')}}} & {sp.latex(e)}" for p, e in self._rows())
        return f"$\\begin{{array}}{{ll}} {rows} \\end{{array}}$"


__all__ = ["Quantity", "Regime", "ComputeOptimalResult", "ModelResult", "num_json"]
