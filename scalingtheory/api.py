"""The REPL entry points: ``st.optimal(...)``, ``st.exponents(...)``, ``st.models()``.

>>> import scalingtheory as st
>>> "random_features" in st.models()
True
"""

from __future__ import annotations

import html
import re

import sympy as sp

from .models import analyze_cached as _analyze_all
from .models import available, each_open_choice, get_model
from .params import Choice
from .report import tables
from .display import Html, markdown_table, tex_name
from .results import ModelResult, _approx, _markdown_math, _short, _value_cell, jupyter_table, math_cell, name_cell


class ResultSet(list):
    """A list of :class:`ModelResult` that prints as one table and renders in Jupyter as one table,
    its formulas typeset (each result a group of rows under its parameters and regime; the notes
    numbered once below).

    Indexed by a position it is a list; indexed by a quantity path it gives that quantity of every
    result, by regime (:class:`QuantityMap`):

    >>> import scalingtheory as st
    >>> from scalingtheory.symbols import alpha, beta
    >>> t = st.optimal("feature_learning", alpha=alpha, beta=beta, training="rich")["exponents.t"]
    >>> t
    exponents.t by regime:
      hard        2*beta/(beta + 1)
      easy        beta
      super-easy  (2*alpha - 1)/alpha
    >>> t["hard"].expr
    2*beta/(beta + 1)
    >>> float(st.optimal("random_features", alpha=2, beta="1/2")["exponents.t"])   # one result: its number
    0.5
    """

    def __getitem__(self, key):
        if isinstance(key, str):
            return QuantityMap.of(self, key)
        got = super().__getitem__(key)
        return ResultSet(got) if isinstance(key, slice) else got

    def __repr__(self) -> str:
        if not self:
            return "ResultSet([])"
        blocks = [repr(r) for r in self]
        return "\n\n".join(blocks)

    def _notes(self) -> list[str]:
        """Every result's notes, each once, in order (the numbers the groups refer to)."""
        return list(dict.fromkeys(n for r in self for n in r.notes))

    def _repr_html_(self) -> str:
        notes = self._notes()
        groups = []
        for r in self:
            refs = ", ".join(str(notes.index(n) + 1) for n in r.notes)
            heading = Html(r.heading_html() + (f"; notes {refs}" if refs else ""))
            groups.append((heading, r._table_rows(math_cell, name_cell)))
        return jupyter_table(["quantity", "exact", "value"], groups, notes=[f"[{i}] {n}" for i, n in enumerate(notes, 1)],
                             grouped=True)

    def _repr_markdown_(self) -> str:
        labels, kind = _labels(list(self)) if self else ([], "result")
        rows = [[label if i == 0 else "", *row] for label, r in zip(labels, self)
                for i, row in enumerate(r._table_rows(_markdown_math))]
        notes = "".join(f"\n{i}. {n}" for i, n in enumerate(self._notes(), 1))
        return markdown_table([kind, "quantity", "exact", "value"], rows) + ("\n" + notes if notes else "")

    def _repr_latex_(self) -> str:
        labels, _ = _labels(list(self)) if self else ([], "result")
        rows = " \\\\ ".join(f"\\mathrm{{{_upright(label)}}} & & \\\\ " + " \\\\ ".join(
            f"\\quad {tex_name(p)} & {sp.latex(e)}" for p, e in r._rows()) for label, r in zip(labels, self))
        return f"$\\begin{{array}}{{ll}} {rows} \\end{{array}}$"

    def to_json(self) -> list[dict]:
        return [r.to_json() for r in self]

    def latex(self) -> str:
        """One booktabs table per model (``\\usepackage{booktabs}``)."""
        return tables.render(list(self), "latex")


def _upright(label: str) -> str:
    """``label`` for ``\\mathrm{...}`` (MathJax and LaTeX): ``_`` escaped, spaces kept, no other specials."""
    return re.sub(r"[^\w .,=/+*():-]", "", label).replace("_", r"\_").replace(" ", r"\ ")


def _labels(results: list) -> tuple[list[str], str]:
    """The shortest names that tell ``results`` apart (the regime, the model, both, or the full title)
    and what they name."""
    ways = (("regime", lambda r: r.regime.name) if len({r.model for r in results}) == 1 else
            ("model", lambda r: r.model), ("model: regime", lambda r: f"{r.model}: {r.regime.name}"),
            ("result", lambda r: f"{r.title()}: {r.regime.name}"))
    for kind, way in ways:
        labels = [way(r) for r in results]
        if len(set(labels)) == len(labels):
            return labels, kind
    return [f"{i}: {label}" for i, label in enumerate(labels)], "result"


class QuantityMap(dict):
    """One quantity of every result of a :class:`ResultSet`, by regime (or by model where several
    answer): ``{"hard": Quantity, "easy": Quantity, ...}``. It renders as a table; ``float()`` of a
    map with one entry is that entry's number."""

    path, kind = "", "regime"

    @classmethod
    def of(cls, results: list, path: str) -> "QuantityMap":
        have = [r for r in results if path in r.quantities()]
        if not have:
            known = list(dict.fromkeys(p for r in results for p in r.quantities()))
            raise KeyError(f"unknown quantity {path!r}; available: {', '.join(known)} "
                           "(or index by position: results[0])")
        labels, kind = _labels(have)
        out = cls(zip(labels, (r.quantities()[path] for r in have)))
        out.path, out.kind = path, kind
        return out

    def __missing__(self, key):
        raise KeyError(f"{self.path}: no result named {key!r}; pick one of {', '.join(map(repr, self))}")

    def __float__(self) -> float:
        if len(self) != 1:
            raise TypeError(f"{self.path} has {len(self)} values, one per {self.kind} ({', '.join(self)}); "
                            f"pick one, e.g. [{next(iter(self))!r}]")
        return float(next(iter(self.values())))

    def __repr__(self) -> str:
        col = max(map(len, self), default=0)
        return "\n".join([f"{self.path} by {self.kind}:"] + [f"  {k:<{col}}  {_short(q.expr)}{_approx(q.expr)}"
                                                           for k, q in self.items()])

    def _rows(self, cell=sp.sstr) -> list[list[str]]:
        return [[k, cell(q.expr), _value_cell(q.expr)] for k, q in self.items()]

    def latex(self) -> str:
        rows = " \\\\ ".join(f"\\mathrm{{{_upright(k)}}} & {q.latex()}" for k, q in self.items())
        return f"{tex_name(self.path)}:\\quad \\begin{{array}}{{ll}} {rows} \\end{{array}}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def _repr_html_(self) -> str:
        return jupyter_table([self.kind, "exact", "value"], self._rows(math_cell), Html(f"<code>{html.escape(self.path)}</code>"))

    def _repr_markdown_(self) -> str:
        return f"**{self.path}**\n\n" + markdown_table([self.kind, "exact", "value"], self._rows(_markdown_math))

    def to_json(self) -> dict:
        """``{label: {"expr", "value"}}``."""
        return {k: q.to_json() for k, q in self.items()}


#: the rule for omitted parameters, stated once (``st.models()``, ``scalingtheory models``, ``--help``)
OMITTED_RULE = ("an omitted numeric parameter stays symbolic: the answer is the exact closed form, one per "
                "regime where the regime depends on it (as st.optimal gives); a parameter shown with a value "
                "takes that value when omitted; a choice takes the value shown")


def omitted(model) -> dict[str, str]:
    """What each parameter of ``model`` becomes when omitted, read from ``model.validate()`` itself.

    >>> omitted(get_model("random_features"))["beta"], omitted(get_model("sparse_parity"))["r"]
    ('symbolic', '1/100')
    """
    given = model.validate()
    out = {}
    for p in model.parameters:
        value = given[p.name]
        if isinstance(p, Choice) or not isinstance(value, sp.Basic):
            out[p.name] = str(value)
        elif value == p.symbol:
            out[p.name] = "symbolic"
        else:
            names = ", ".join(sorted(map(str, value.free_symbols)))
            out[p.name] = f"{sp.sstr(value)} (from {names})" if names else sp.sstr(value)
    return out


class ModelCatalog(dict):
    """``{model name: {parameter: "domain; omitted: ..."}}``, printed as a readable list."""

    def __repr__(self) -> str:
        lines = []
        for name, params in self.items():
            lines.append(f"{name}: {get_model(name).title}")
            lines += [f"    {p}: {dom}" for p, dom in params.items()]
        return "\n".join(lines + [f"omitted parameters: {OMITTED_RULE}"])

    def _repr_markdown_(self) -> str:
        rows = [[name, p, dom] for name, params in self.items() for p, dom in params.items()]
        return markdown_table(["model", "parameter", "domain; omitted"], rows) + f"\n\nOmitted parameters: {OMITTED_RULE}."


def models() -> ModelCatalog:
    """The available models, the domains of their parameters and what an omitted one becomes."""
    out = ModelCatalog()
    for name in available():
        model = get_model(name)
        rule = omitted(model)
        out[name] = {p.name: f"{p.domain_text}; omitted: {rule[p.name]}" for p in model.parameters}
    return out


def exponents(model: str, **params) -> ModelResult:
    """Exponents, regime and compute-optimal rule of one model at one point (omitted parameters stay
    symbolic; where the answer then splits by regime, give the regime or use :func:`optimal`)."""
    return get_model(model).analyze(**params)


def _fits(model, params: dict) -> bool:
    names = {p.name for p in model.parameters}
    if not set(params) <= names:
        return False
    numeric = [p for p in model.parameters if not isinstance(p, Choice)]
    if not any(p.name in params for p in numeric) and not all(isinstance(v, sp.Symbol) for v in params.values()):
        return False
    try:
        model.validate(**params)
    except ValueError:
        return False
    return True


def optimal(model: str | None = None, **params) -> ResultSet:
    """Compute-optimal exponents (and all other exponents) for ``params``.

    >>> import scalingtheory as st
    >>> r = st.optimal("feature_learning", alpha=2, beta="1/2")
    >>> r[0]["compute_optimal.loss"].expr
    2/5
    >>> from scalingtheory.symbols import alpha, beta
    >>> [x.regime.name for x in st.optimal("feature_learning", alpha=alpha, beta=beta)]
    ['hard', 'easy', 'super-easy']


    With ``model=None``, every model whose parameters accept ``params`` answers
    (e.g. ``optimal(alpha=2, beta=0.5)`` asks the random-feature and the
    feature-learning models). Parameters given as SymPy symbols or omitted stay
    symbolic, so the closed forms come back.
    """
    if model is not None:
        return ResultSet(_analyze_all(get_model(model), params))
    chosen = [get_model(n) for n in available() if _fits(get_model(n), params)]
    if not chosen:
        raise ValueError(f"no model takes the parameters {sorted(params)} with these values; "
                         f"models and their parameters:\n{models()!r}")
    return ResultSet([r for m in chosen for r in _analyze_all(m, params)])


def table(model: str = "all", points=None, symbolic: bool = False, format: str = "markdown") -> tables.Table:
    r"""The exponent table of ``scalingtheory table``: ``model`` (a name or ``"all"``) at ``points``
    (``"alpha=2,beta=1/2; alpha=3"``, a list of dicts, or None: each model's table points), ``symbolic``:
    closed forms, one row per regime. ``str()`` is the table in ``format`` (latex, markdown, csv, html;
    ``.latex()`` any time); it renders in Jupyter. With ``"all"`` the models that cannot be evaluated at the
    points are listed in ``.skipped`` and under the table.

    >>> t = table(points="alpha=2,beta=1/2", format="latex")
    >>> [m for m, _, _ in t.skipped], r"\frac{2}{5}" in str(t)
    (['bnsl', 'sparse_parity'], True)
    """
    return tables.Table(*tables.collect(model, points, symbolic), format)


__all__ = ["optimal", "exponents", "models", "omitted", "table", "each_open_choice", "OMITTED_RULE", "ResultSet", "QuantityMap"]
