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

A quantity behaves as its number where one is meant: ``float(q)``, comparisons with
numbers (exact: ``0.5`` is read as ``1/2``) and arithmetic, which gives SymPy expressions.

>>> float(q), q > 0.5, q == sp.Rational(2, 3), 3 * q, q + sp.Symbol("x")
(0.6666666666666666, True, True, 2, x + 2/3)

Every result renders in Jupyter (``_repr_html_``, ``_repr_latex_``, ``_repr_markdown_``
where a table fits) and has ``to_json()``; those with math have ``latex()``.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from dataclasses import dataclass, field
from numbers import Number

import mpmath
import sympy as sp

from .display import Html, Reported, grouped_html_table, html_table, markdown_table, math_html, math_text, scrolling, tex_escape, tex_name
from .params import LATEX, describe_interval, exact


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


def _approx(expr: sp.Expr, digits: int = 6) -> str:
    """`` ≈ value`` for an inexact-looking closed number, else empty."""
    val = _value(expr)
    return "" if val is None or expr.is_Integer or expr.is_Float else f" ≈ {val:.{digits}g}"


def _short(expr: sp.Expr, width: int = 70) -> str:
    text = sp.sstr(expr)
    return text if len(text) <= width else text[:width - 1] + "…"


def _value_cell(expr: sp.Expr) -> str:
    val = _value(expr)
    return "" if val is None else f"{val:.6g}"


#: printed characters per line of a formula shown in Jupyter; a wider one is folded (:func:`fold_latex`)
FOLD_WIDTH = 40


def _printed_width(tex: str) -> int:
    """Rough printed width of LaTeX, in characters: a command such as ``\\alpha`` counts one; braces,
    scripts, spaces and ``\\left``/``\\right`` count none (``\\frac{a}{b}`` counts a and b: an upper bound)."""
    return len(re.sub(r"[{}^_ ]", "", re.sub(r"\\[A-Za-z]+", "x", re.sub(r"\\(left|right|frac)(?![A-Za-z])", "", tex))))


def fold_latex(expr, width: int = FOLD_WIDTH) -> str:
    r"""LaTeX of ``expr``; one wider than ``width`` printed characters is folded into lines (an
    ``array``) at its top-level factors (a product) or terms (a sum), so a wide prefactor stays in
    its cell.

    >>> from scalingtheory.symbols import alpha, beta
    >>> fold_latex(alpha / (alpha + 1))
    '\\frac{\\alpha}{\\alpha + 1}'
    >>> print(fold_latex(sp.gamma(beta) ** (alpha / (alpha + 1)) * sp.pi ** (1 / beta) * sp.sin(sp.pi * beta), 12))
    \begin{array}{l}\pi^{\frac{1}{\beta}} \sin{\left(\pi \beta \right)} \\ \quad\cdot \Gamma^{\frac{\alpha}{\alpha + 1}}\left(\beta\right)\end{array}
    """
    expr = sp.sympify(expr)
    tex = sp.latex(expr)
    if _printed_width(tex) <= width or not (expr.is_Mul or expr.is_Add):
        return tex
    if expr.is_Add:
        parts = [sp.latex(t) for t in expr.as_ordered_terms()]
        parts = parts[:1] + [p if p.startswith("-") else "+ " + p for p in parts[1:]]
        glue = r" \\ \quad "
    else:
        sign = "-" if expr.could_extract_minus_sign() else ""
        factors = (-expr if sign else expr).as_ordered_factors()
        parts = [sp.latex(f) if not f.is_Add else rf"\left({sp.latex(f)}\right)" for f in factors]
        parts[0] = sign + parts[0]
        glue = r" \\ \quad\cdot "
    lines = [parts[0]]
    for part in parts[1:]:
        if _printed_width(lines[-1] + part) > width:
            lines.append(part)
        else:
            lines[-1] += " " + part
    return tex if len(lines) == 1 else r"\begin{array}{l}" + glue.join(lines) + r"\end{array}"


def _markdown_math(expr) -> str:
    return f"${sp.latex(expr)}$"


def math_cell(expr) -> Html:
    """``expr`` as a formula of an HTML table in Jupyter (typeset by MathJax, long ones folded)."""
    return math_html(fold_latex(expr))


def name_cell(name: str) -> Html:
    """A quantity's name: a JSON path (``exponents.t``) as code, an answer's part (``N*``) as math."""
    if "." in name:
        return Html(f"<code>{html.escape(name)}</code>")
    return math_html(tex_name(name.rstrip("*")) + ("^*" if name.endswith("*") else ""))


def jupyter_table(header: list, rows: list, caption: str = "", notes=(), grouped: bool = False) -> Html:
    """The HTML a result shows in Jupyter: caption and notes with their formulas typeset
    (:func:`scalingtheory.display.math_text`), in a block that scrolls rather than overflows.
    ``grouped``: ``rows`` are ``[(heading, rows), ...]`` (:func:`scalingtheory.display.grouped_html_table`)."""
    typeset = lambda text: text if isinstance(text, Html) else Html(math_text(text, "html"))  # noqa: E731
    table = grouped_html_table if grouped else html_table
    return scrolling(table(header, rows, typeset(caption) if caption else "", [typeset(n) for n in notes]))


def _operand(other):
    """``other`` as a SymPy expression for arithmetic and comparisons; None when it is not a number."""
    if isinstance(other, Quantity):
        return other.expr
    if isinstance(other, sp.Basic):
        return other
    if not isinstance(other, Number) or isinstance(other, bool):
        return None
    try:
        return exact(other, "operand")
    except ValueError:
        return None


def _arithmetic(op):
    def forward(self, other):
        o = _operand(other)
        return NotImplemented if o is None else op(self.expr, o)

    def backward(self, other):
        o = _operand(other)
        return NotImplemented if o is None else op(o, self.expr)

    return forward, backward


def _comparison(op, symbol):
    def compare(self, other):
        o = _operand(other)
        if o is None:
            return NotImplemented
        rel = op(self.expr, o)
        if rel in (sp.true, sp.false) or isinstance(rel, bool):
            return bool(rel)
        raise TypeError(f"cannot decide {self.name} {symbol} {other}: {sp.sstr(self.expr)} depends on "
                        f"{', '.join(sorted(map(str, self.expr.free_symbols)))}")

    return compare


@dataclass(frozen=True, eq=False)
class Quantity(Reported):
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
    unit : str
        Unit of a dimensional answer (e.g. ``"T: gradient-flow time"``); empty for exponents.
    """

    name: str
    expr: sp.Expr
    description: str = ""
    assumptions: tuple = ()
    regime: str | None = None
    notes: tuple = ()
    unit: str = ""

    def __post_init__(self):
        from .parsing import MAX_DIGITS, bounded_numbers

        expr = sp.sympify(self.expr)
        bounded = bounded_numbers(expr)
        object.__setattr__(self, "expr", bounded)
        object.__setattr__(self, "assumptions", tuple(self.assumptions))
        object.__setattr__(self, "notes", tuple(self.notes) + (() if bounded is expr else (
            f"exact form too large to write out: its numbers of more than {MAX_DIGITS} digits are given to 15 "
            "digits",)))

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
        return dataclasses.replace(self, expr=self.expr.subs(values))

    # -- as a number ---------------------------------------------------------------------

    def __float__(self) -> float:
        if self.expr.free_symbols:
            raise TypeError(f"{self.name} = {sp.sstr(self.expr)} depends on "
                            f"{', '.join(sorted(map(str, self.expr.free_symbols)))}; substitute values first")
        val = self.value
        if val is None:
            raise OverflowError(f"{self.name} = {sp.sstr(self.expr)} does not fit a float")
        return val

    def _sympy_(self) -> sp.Expr:
        return self.expr

    def __eq__(self, other):
        if isinstance(other, Quantity):
            return (self.name, self.expr, self.description, self.assumptions, self.regime, self.notes,
                    self.unit) == (other.name, other.expr, other.description, other.assumptions, other.regime,
                                   other.notes, other.unit)
        o = _operand(other)
        return NotImplemented if o is None else sp.simplify(self.expr - o) == 0

    def __hash__(self) -> int:
        return hash((self.name, self.expr))

    __lt__ = _comparison(lambda a, b: a < b, "<")
    __le__ = _comparison(lambda a, b: a <= b, "<=")
    __gt__ = _comparison(lambda a, b: a > b, ">")
    __ge__ = _comparison(lambda a, b: a >= b, ">=")
    __add__, __radd__ = _arithmetic(lambda a, b: a + b)
    __sub__, __rsub__ = _arithmetic(lambda a, b: a - b)
    __mul__, __rmul__ = _arithmetic(lambda a, b: a * b)
    __truediv__, __rtruediv__ = _arithmetic(lambda a, b: a / b)
    __pow__, __rpow__ = _arithmetic(lambda a, b: a ** b)

    def __neg__(self) -> sp.Expr:
        return -self.expr

    # -- rendering -----------------------------------------------------------------------

    def latex(self) -> str:
        """LaTeX of the exact expression."""
        return sp.latex(self.expr)

    def _repr_latex_(self) -> str:
        val = _value(self.expr)
        approx = "" if val is None or self.expr.is_Integer else f" \\approx {val:.6g}"
        unit = f"\\quad \\text{{[{tex_escape(self.unit)}]}}" if self.unit else ""
        return f"${tex_name(self.name)} = {self.latex()}{approx}{unit}$"

    def _repr_html_(self) -> str:
        row = [name_cell(self.name), math_cell(self.expr), _value_cell(self.expr), self.unit, self.regime or ""]
        return jupyter_table(["quantity", "exact", "value", "unit", "regime"], [row], self.description,
                             self.assumptions + self.notes)

    def __repr__(self) -> str:
        unit = f" [{self.unit}]" if self.unit else ""
        return f"Quantity({self.name} = {_short(self.expr)}{_approx(self.expr)}{unit})"

    def report(self) -> str:
        """A readable account: what, the exact form, the value, where it holds (alias: ``explain()``)."""
        lines = [f"{self.name}: {self.description}" if self.description else self.name,
                 f"  exact:  {sp.sstr(self.expr)}"]
        if self.value is not None:
            lines.append(f"  value:  {self.value:.10g}" + (f" ({self.unit})" if self.unit else ""))
        elif self.unit:
            lines.append(f"  unit:   {self.unit}")
        if self.regime:
            lines.append(f"  regime: {self.regime}")
        lines += [f"  assumes: {a}" for a in self.assumptions]
        lines += [f"  note:   {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json(self) -> dict:
        """``{"expr", "value"}`` (the contract's ``NUM``), plus ``"unit"`` and ``"notes"`` (a list of
        strings) when the quantity has them."""
        out = num_json(self.expr)
        if self.unit:
            out["unit"] = self.unit
        if self.notes:
            out["notes"] = list(self.notes)
        return out


def _interval_latex(symbol, interval: sp.Interval) -> str:
    """``0 < \\beta \\le 1`` for ``beta in (0, 1]``."""
    return describe_interval(tex_name(str(symbol)), interval, LATEX)


@dataclass(frozen=True)
class Regime:
    """A named region of parameter space, e.g. the hard regime ``0 < beta < 1``.

    ``conditions`` maps symbols to the intervals that define the region; they are
    the assumptions under which the regime's closed forms are derived.

    >>> from scalingtheory.symbols import beta
    >>> Regime("hard", {beta: sp.Interval.Lopen(0, 1)}).latex()
    '\\\\mathrm{hard}:\\\\ 0 < \\\\beta \\\\le 1'
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

    def __repr__(self) -> str:
        return f"Regime({self})"

    def conditions_latex(self) -> str:
        """The conditions in math, ``0 < \\beta \\le 1,\\ \\alpha > 1``."""
        return ",\\ ".join(_interval_latex(s, iv) for s, iv in self.conditions.items())

    def latex(self) -> str:
        """The name (upright) and its conditions in math."""
        conds = self.conditions_latex()
        name = r"\mathrm{" + tex_escape(self.name).replace(" ", r"\ ") + "}"
        return f"{name}:\\ {conds}" if conds else name

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def _repr_html_(self) -> str:
        rows = [[math_html(_interval_latex(s, iv))] for s, iv in self.conditions.items()] or [["(no conditions)"]]
        return jupyter_table([f"regime {self.name}"], rows, self.description, self.notes)

    def to_json(self) -> dict:
        return {"name": self.name, "conditions": list(self.assumptions()), "description": self.description,
                "notes": list(self.notes)}


def rule_rows(loss, allocation: dict, prefactors: dict | None = None) -> list[tuple[str, str, sp.Expr]]:
    """``(label, LaTeX, exponent)`` rows of a compute-optimal rule: ``L* ~ C^-r``, ``X* ~ C^a``.

    Shared by :class:`ComputeOptimalResult` and :class:`scalingtheory.laws.ComputeOptimal`.
    """
    rows = [("L* - L_inf ~ C^-r_C", r"L^* - L_\infty \propto C^{-r_C}", sp.sympify(loss))]
    rows += [(f"{x}* ~ C^a_{x}", f"{tex_name(str(x))}^* \\propto C^{{a_{{{tex_name(str(x))}}}}}", sp.sympify(e))
             for x, e in allocation.items()]
    rows += [(f"{x}* = G_{x} C^a_{x}: G_{x}" if str(x) != "L" else "A_C in L* - L_inf = A_C C^-r_C",
              f"G_{{{tex_name(str(x))}}}" if str(x) != "L" else "A_C", sp.sympify(g))
             for x, g in (prefactors or {}).items() if g is not None]
    return rows


def _rule_latex(cost, rows) -> str:
    lines = " \\\\ ".join(f"{tex} & {sp.latex(e)}" for _, tex, e in rows)
    return f"C = {sp.latex(sp.sympify(cost))}:\\quad \\begin{{array}}{{ll}} {lines} \\end{{array}}"


def _rule_html(cost, rows, notes) -> str:
    return jupyter_table(["compute-optimal rule", "exact", "value"],
                         [[math_html(tex), math_cell(e), _value_cell(e)] for _, tex, e in rows], f"cost C = {cost}", notes)


def _rule_repr(kind: str, cost, loss, allocation: dict) -> str:
    parts = [f"r_C = {_short(sp.sympify(loss), 40)}"] + [f"a_{x} = {_short(sp.sympify(e), 40)}"
                                                       for x, e in allocation.items()]
    return f"{kind}(C = {cost}: {', '.join(parts)})"


@dataclass(frozen=True)
class ComputeOptimalResult:
    """Compute-optimal rule: ``X* ~ C^{a_X}`` and ``L* - L_inf ~ C^{-r_C}``."""

    cost: str
    loss: Quantity
    allocation: dict
    prefactors: dict = field(default_factory=dict)
    notes: tuple = ()

    def _rows(self):
        return rule_rows(self.loss.expr, {x: q.expr for x, q in self.allocation.items()},
                         {x: q.expr for x, q in self.prefactors.items()})

    def to_json(self) -> dict:
        return {"cost": self.cost, "loss": self.loss.to_json(),
                "allocation": {k: q.to_json() for k, q in self.allocation.items()},
                "prefactors": {k: q.to_json() for k, q in self.prefactors.items()}}

    def __repr__(self) -> str:
        return _rule_repr("ComputeOptimalResult", self.cost, self.loss.expr,
                          {x: q.expr for x, q in self.allocation.items()})

    def latex(self) -> str:
        from .parsing import parse_formula   # not sp.sympify: it reads the N of "N*t" as SymPy's N()

        names = {n: sp.Symbol(n) for n in re.findall(r"[A-Za-z_]\w*", self.cost)}
        return _rule_latex(parse_formula(self.cost, names), self._rows())

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def _repr_html_(self) -> str:
        return _rule_html(self.cost, self._rows(), self.notes)


@dataclass(frozen=True)
class Answer(Reported):
    """The answer to a model's question that has several parts (e.g. ``N*``, ``t*`` and ``L*`` at a budget).

    >>> a = Answer("budget", [Quantity("N*", 8, unit="features"), Quantity("L*", sp.Rational(1, 4))])
    >>> a["N*"].value, a.to_json()["L*"]
    (8.0, {'expr': '1/4', 'value': 0.25})
    """

    name: str
    quantities: tuple
    title: str = ""
    notes: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "quantities", tuple(self.quantities))
        object.__setattr__(self, "notes", tuple(self.notes))

    def __getitem__(self, name: str) -> Quantity:
        for q in self.quantities:
            if q.name == name:
                return q
        raise KeyError(f"unknown part {name!r}; parts: {', '.join(q.name for q in self.quantities)}")

    def to_json(self) -> dict:
        """``{part: {"expr", "value", "unit"}}``."""
        return {q.name: q.to_json() for q in self.quantities}

    def report(self) -> str:
        """The title, each part's account and the notes (alias: ``explain()``)."""
        head = [self.title] if self.title else []
        return "\n".join(head + [q.report() for q in self.quantities] + [f"note: {n}" for n in self.notes])

    def __repr__(self) -> str:
        parts = ", ".join(f"{q.name} = {_short(q.expr, 30)}{_approx(q.expr, 4)}" for q in self.quantities)
        return f"Answer({self.name}: {parts})"

    def _rows(self, cell=sp.sstr, name=str) -> list[list[str]]:
        return [[name(q.name), cell(q.expr), _value_cell(q.expr), q.unit] for q in self.quantities]

    def latex(self) -> str:
        rows = " \\\\ ".join(f"{tex_name(q.name.rstrip('*'))}{'^*' if q.name.endswith('*') else ''} & {q.latex()}"
                               for q in self.quantities)
        return f"\\begin{{array}}{{ll}} {rows} \\end{{array}}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def _repr_html_(self) -> str:
        return jupyter_table(["quantity", "exact", "value", "unit"], self._rows(math_cell, name_cell), self.title,
                             self.notes)

    def _repr_markdown_(self) -> str:
        return (f"**{self.title or self.name}**\n\n" + markdown_table(["quantity", "exact", "value", "unit"],
                                                                     self._rows(_markdown_math))
                + ("\n\n" + "\n".join(f"- {n}" for n in self.notes) if self.notes else ""))


@dataclass
class ModelResult(Reported):
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
            out.update({f"compute_optimal.prefactors.{k}": q for k, q in self.compute_optimal.prefactors.items()})
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

    def title(self) -> str:
        """``model(parameters)``: the parameters given as numbers or choices (not those derived from symbols)."""
        shown = [f"{k}={v}" for k, v in self.params.items() if isinstance(v, str) or not v.free_symbols]
        return f"{self.model}({', '.join(shown)})"

    def table(self, width: int | None = None) -> str:
        """The plain-text table (what the CLI prints); exact forms cut at ``width`` characters."""
        rows = self._rows()
        col = max((len(p) for p, _ in rows), default=0)
        lines = [self.title(), f"regime: {self.regime}"]
        for path, expr in rows:
            text = sp.sstr(expr) if width is None else _short(expr, width)
            lines.append(f"  {path:<{col}}  {text}{_approx(expr).replace(' ≈', '  ≈')}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return self.table(width=70)

    def report(self) -> str:
        """The table, then each quantity's account (alias: ``explain()``)."""
        return "\n\n".join([str(self)] + [q.report() for q in self.quantities().values()])

    def latex(self) -> str:
        """An ``array`` of the quantities (paths upright) and their exact values."""
        rows = " \\\\ ".join(f"{tex_name(p)} & {sp.latex(e)}" for p, e in self._rows())
        return f"\\begin{{array}}{{ll}} {rows} \\end{{array}}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def _table_rows(self, cell=sp.sstr, name=str) -> list[list[str]]:
        return [[name(p), cell(e), _value_cell(e)] for p, e in self._rows()]

    def heading_html(self) -> Html:
        """``model(parameters)``, regime and its conditions, with the math typeset (Jupyter)."""
        conditions = f" ({math_html(self.regime.conditions_latex())})" if self.regime.conditions else ""
        return Html(f"<b>{html.escape(self.title())}</b>, regime {html.escape(self.regime.name)}{conditions}")

    def _repr_html_(self) -> str:
        return jupyter_table(["quantity", "exact", "value"], self._table_rows(math_cell, name_cell),
                             self.heading_html(), self.notes)

    def _repr_markdown_(self) -> str:
        notes = "".join(f"\n- {math_text(n, 'markdown')}" for n in self.notes)
        return (f"**{self.title()}**, regime {math_text(str(self.regime), 'markdown')}\n\n"
                + markdown_table(["quantity", "exact", "value"], self._table_rows(_markdown_math))
                + ("\n" + notes if notes else ""))


def check_stored(derived, stored, path: str = "") -> None:
    """Everything in ``stored`` (a result's ``to_json()`` as saved) equals the same path of ``derived``: numbers
    (``value``) relative 1e-9, expressions and names as printed; a key or a shape the derived result lacks is
    ``ValueError`` (notes are free text, not compared). :func:`scalingtheory.models.result_from_json` derives the
    result again and calls this."""
    where = path or "the result"
    if isinstance(stored, dict):
        if not isinstance(derived, dict):
            raise ValueError(f"stored {where} is a mapping, but the derived one is {_clipped_repr(derived)}")
        for key, value in stored.items():
            sub = f"{path}.{key}".strip(".")
            if key == "notes":
                continue
            if key not in derived:
                raise ValueError(f"stored {sub} is not in the derived result")
            if key == "value":
                _check_value(derived[key], value, sub)
            else:
                check_stored(derived[key], value, sub)
    elif stored != derived:
        raise ValueError(f"stored {where} = {_clipped_repr(stored)} differs from the derived {_clipped_repr(derived)}")


def _clipped_repr(value, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _check_value(have, value, path: str) -> None:
    """A stored number (``None``: not stated) equals the derived one to relative 1e-9."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, Number) or isinstance(value, complex):
        raise ValueError(f"stored {path} = {_clipped_repr(value)} is not a number")
    if have is None or abs(have - value) > 1e-9 * max(abs(value), 1e-300):
        raise ValueError(f"stored {path} = {value} differs from the derived {have}")


__all__ = ["Quantity", "Regime", "ComputeOptimalResult", "ModelResult", "Answer", "num_json", "rule_rows",
           "check_stored"]
