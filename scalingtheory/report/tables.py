"""Exponent tables in LaTeX (booktabs), Markdown and CSV from :class:`ModelResult` objects.

Entries are the exact expressions: fractions render as ``\\frac``, symbolic entries
as LaTeX (in Markdown as ``$...$`` math too); Markdown and CSV add the float value.

>>> import sympy as sp
>>> from scalingtheory.results import ModelResult, Quantity, Regime
>>> r = ModelResult("demo", {"alpha": sp.Integer(2)}, Regime("hard"),
...                 {"t": Quantity("exponents.t", sp.Rational(1, 2))}, None)
>>> print(to_markdown([r]))
| model | parameters | regime | $r_{t}$ |
|---|---|---|---|
| demo | $\\alpha=2$ | hard | $\\frac{1}{2}$ (0.5) |
"""

from __future__ import annotations

import csv
import html
import io
from typing import TYPE_CHECKING

from ..display import html_table, markdown_table, tex_escape, tex_name

if TYPE_CHECKING:  # SymPy is imported where an entry is rendered: ``table --help`` loads none of it
    from ..results import ModelResult

_ORDER = ("exponents.", "compute_optimal.loss", "compute_optimal.allocation.", "compute_optimal.prefactors.",
          "prefactors.")


def _column_key(path: str) -> tuple:
    res_order = ["t", "T", "N", "P", "D", "B", "C"]
    for i, prefix in enumerate(_ORDER):
        if path.startswith(prefix):
            tail = path[len(prefix):]
            return (i, res_order.index(tail) if tail in res_order else len(res_order), tail)
    return (len(_ORDER), 0, path)


#: the column kinds ``render`` puts in separate tables (prefactors make a model's table too wide for a page)
KINDS = {"exponents": ("exponents.", "compute_optimal.loss", "compute_optimal.allocation."),
         "prefactors": ("compute_optimal.prefactors.", "prefactors.")}


def columns(results: list[ModelResult], kind: str | None = None) -> list[str]:
    """Quantity paths present in any result, in a fixed reading order (only those of ``kind`` if given)."""
    paths = {p for r in results for p in r.quantities() if kind is None or p.startswith(KINDS[kind])}
    if "compute_optimal.loss" in paths:
        paths.discard("exponents.C")  # the same quantity (Model.analyze), shown once
    return sorted(paths, key=_column_key)


#: column letters: decay rate r_X, allocation a_X (X* ~ C^a), allocation prefactor G_X (X* = G C^a), prefactor A_X
_LETTERS = {"exponents": "r", "compute_optimal.allocation": "a", "compute_optimal.prefactors": "G", "prefactors": "A"}


def _header(path: str, name_of) -> str:
    kind, _, name = path.rpartition(".")
    if path == "compute_optimal.loss":
        return "r_C"
    if path == "compute_optimal.prefactors.L":
        return "A_C"  # L* - L_inf = A_C C^-r_C
    letter = _LETTERS.get(kind)
    return f"{letter}_{name_of(name)}" if letter else name_of(path)


def header_latex(path: str) -> str:
    """Column title: ``r_X`` (decay rate in X), ``r_C`` (compute-optimal loss), ``a_X`` (allocation),
    ``G_X`` and ``A_C`` (compute-optimal prefactors), ``A_X`` (prefactor; ``A_{N\\,t}`` of a term in N and t); names by
    :func:`scalingtheory.display.tex_name` (``r_{x_{\\mathrm{small}}}``)."""
    return _header(path, lambda name: "{" + r"\,".join(tex_name(part) for part in name.split("*")) + "}")


def header_text(path: str) -> str:
    """Plain-text column title: ``r_t``, ``r_C``, ``a_N``, ``G_N``, ``A_x_small``."""
    return _header(path, str)


def _given(r: ModelResult) -> dict:
    """The parameters given as numbers or choices (not values derived from symbols, e.g. a = 1 + alpha beta)."""
    return {k: v for k, v in r.params.items() if isinstance(v, str) or not v.free_symbols}


def decimal(value, max_denominator: int = 1) -> str | None:
    """The decimal of an exact fraction that has one (denominator ``2^i 5^j``) and a denominator above
    ``max_denominator`` that is not a power of 2 (``1/2``, ``3/4`` stay fractions); else None. Parameters
    typed as decimals (``a=0.4139``) read as typed, exponents keep small fractions (``2/5``).

    >>> import sympy as sp
    >>> decimal(sp.Rational(4139, 10000)), decimal(sp.Rational(3063, 5)), decimal(sp.Rational(1, 2))
    ('0.4139', '612.6', None)
    >>> decimal(sp.Rational(2, 5), 100), decimal(sp.Rational(17869, 3125), 100)
    (None, '5.71808')
    """
    import sympy as sp

    if not isinstance(value, sp.Rational) or value.is_Integer:
        return None
    q = int(value.q)
    twos = (q & -q).bit_length() - 1
    rest, fives = q >> twos, 0
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1 or q <= max_denominator or fives == 0:
        return None
    digits = max(twos, fives)
    return f"{int(value.p) * 10**digits // q / 10**digits:.{digits}f}".rstrip("0").rstrip(".") if digits < 16 else None


def value_text(v) -> str:
    """A parameter's value as text: a choice as is, a decimal as typed (:func:`decimal`), else exact."""
    import sympy as sp

    return v if isinstance(v, str) else decimal(v) or sp.sstr(v)


def value_latex(v) -> str:
    """A parameter's value in LaTeX math: a choice upright (a hyphen, not a minus), a decimal as typed."""
    import sympy as sp

    return r"\textrm{" + tex_escape(v) + "}" if isinstance(v, str) else decimal(v) or sp.latex(v)


def _params_text(r: ModelResult) -> str:
    return ", ".join(f"{k}={value_text(v)}" for k, v in _given(r).items())


def _params_markdown(r: ModelResult) -> str:
    """The parameters as Markdown math (``$\\alpha=2$, $\\beta=\\frac{1}{2}$``)."""
    return ", ".join(f"${tex_name(k)}={value_latex(v)}$" for k, v in _given(r).items()) or "symbolic"


def _params_latex(r: ModelResult) -> str:
    return _params_markdown(r)


#: kept for callers of the former private name
_tex_escape = tex_escape


#: the LaTeX packages the tables need
LATEX_PACKAGES = r"\usepackage{booktabs,amsmath,adjustbox}"
#: most quantity columns in one LaTeX table: more are split over several tables, so that a table at
#: ``\small`` fits a portrait page (A4 or letter, 2.5 cm margins) without scaling
MAX_COLUMNS = 5
#: widest entry kept in a cell (printed symbols, :func:`latex_width`); a wider one becomes a numbered note below
MAX_CELL = 24
#: parameters stacked one per line in their cell when there are more than this many
MAX_INLINE_PARAMS = 2


def _params_cell(r: ModelResult) -> str:
    """The parameters in LaTeX: inline, or stacked in a one-column tabular when there are many."""
    parts = [f"${tex_name(k)}={value_latex(v)}$" for k, v in _given(r).items()]
    if len(parts) <= MAX_INLINE_PARAMS:
        return ", ".join(parts) or "symbolic"
    return r"\begin{tabular}[c]{@{}l@{}}" + r" \\ ".join(parts) + r"\end{tabular}"


def latex_width(text: str) -> int:
    r"""About how many symbols LaTeX math prints on one line: a command (``\alpha``) is one, a fraction
    the wider of its numerator and denominator, braces and spaces none.

    >>> latex_width(r"\frac{\alpha \beta + \alpha}{\alpha \beta + \alpha + 2}"), latex_width(r"\pi^{2} / 4")
    (6, 5)
    """
    import re

    frac = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while frac.search(text):   # innermost fractions first: the wider part, in a group
        text = frac.sub(lambda m: "{" + max(m.group(1), m.group(2), key=latex_width) + "}", text)
    text = re.sub(r"\\(left|right|,|;|!|quad|displaystyle)", "", text)
    return len(re.sub(r"[{}\s]", "", re.sub(r"\\[a-zA-Z]+", "x", text)))


def _latex_cell(expr, notes: list) -> str:
    """An entry in LaTeX math; one wider than :data:`MAX_CELL` is a note (``[3]``) appended to ``notes``."""
    import sympy as sp

    text = sp.latex(expr)
    if latex_width(text) <= MAX_CELL:
        return f"${text}$"
    notes.append(text)
    return f"[{len(notes)}]"


def _latex_notes(notes: list, first: int) -> list[str]:
    """The notes from number ``first`` on, one per line, each scaled to the line if wider."""
    return [r"\par\smallskip\footnotesize"] + [
        f"\\noindent[{i}]~\\adjustbox{{max width=0.9\\linewidth}}{{$\\displaystyle {text}$}}\\par"
        for i, text in enumerate(notes[first - 1:], first)]


def to_latex(results: list[ModelResult], caption: str | None = None, label: str | None = None,
             kind: str | None = None, notes: list | None = None) -> str:
    """Booktabs ``table`` environments (``\\usepackage{booktabs,amsmath,adjustbox}``: :data:`LATEX_PACKAGES`)
    that fit a portrait page by construction: at most :data:`MAX_COLUMNS` quantity columns per table (more
    continue in the next table), many parameters stacked in their cell, an entry longer than
    :data:`MAX_CELL` as a numbered note under the table, and ``adjustbox``'s ``max width`` as the last resort
    (it never enlarges). ``kind``: see :func:`columns`; ``notes`` numbers notes across several calls."""
    from ..display import math_text

    cols = columns(results, kind)
    notes = [] if notes is None else notes
    several = len({r.model for r in results}) > 1
    chunks = [cols[i:i + MAX_COLUMNS] for i in range(0, len(cols), MAX_COLUMNS)] or [[]]
    out = []
    for n, chunk in enumerate(chunks, 1):
        first = len(notes) + 1
        head = (["model"] if several else []) + ["parameters", "regime"] + [f"${header_latex(c)}$" for c in chunk]
        lines = [r"\begin{table}[ht]", r"\centering\small"]
        if caption:
            part = f" ({n}/{len(chunks)})" if len(chunks) > 1 else ""
            lines.append(f"\\caption{{{tex_escape(caption)}{part}}}")
        if label and n == 1:
            lines.append(f"\\label{{{label}}}")
        lines += [r"\begin{adjustbox}{max width=\linewidth}",
                  r"\begin{tabular}{" + "l" * (len(head) - len(chunk)) + "c" * len(chunk) + "}",
                  r"\toprule", " & ".join(head) + r" \\", r"\midrule"]
        for r in results:
            q = r.quantities()
            cells = ([tex_escape(r.model)] if several else []) + [_params_cell(r), math_text(r.regime.name)]
            cells += [_latex_cell(q[c].expr, notes) if c in q else "--" for c in chunk]
            lines.append(" & ".join(cells) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}", r"\end{adjustbox}"]
        if len(notes) >= first:
            lines += _latex_notes(notes, first)
        lines.append(r"\end{table}")
        out.append("\n".join(lines) + "\n")
    return "".join(out)


def _cell(q) -> str:
    import sympy as sp

    if q is None:
        return "–"
    val = q.value
    text = sp.sstr(q.expr)
    return text if val is None or q.expr.is_Integer else f"{text} ({val:.4g})"


def _text_rows(results: list[ModelResult], cols: list[str]) -> list[list[str]]:
    return [[r.model, _params_text(r) or "symbolic", r.regime.name] + [_cell(r.quantities().get(c)) for c in cols]
            for r in results]


def _markdown_cell(q, notes: list) -> str:
    """An entry in Markdown: a fitted decimal as typed (:func:`decimal`), else its LaTeX math as in a LaTeX
    table (:func:`_latex_cell`: a long one is a numbered note), with its float value."""
    if q is None:
        return "–"
    plain = decimal(q.expr, 100)
    if plain is not None:
        return plain
    cell = _latex_cell(q.expr, notes)
    return cell if q.value is None or q.expr.is_Integer else f"{cell} ({q.value:.4g})"


def to_markdown(results: list[ModelResult], kind: str | None = None, notes: list | None = None) -> str:
    r"""A Markdown table whose math is typeset (``$...$``, as the report's): parameters, column titles
    (:func:`header_latex`), regimes (:func:`scalingtheory.display.math_text`) and entries; an entry longer
    than :data:`MAX_CELL` is a numbered note under the table (``notes`` numbers them across several calls).

    >>> import sympy as sp
    >>> from scalingtheory.results import ModelResult, Quantity, Regime
    >>> r = ModelResult("demo", {"alpha": sp.Integer(2)}, Regime("hard"),
    ...                 {"t": Quantity("exponents.t", 2 ** sp.Rational(2, 3) / sp.pi)}, None)
    >>> print(to_markdown([r]))
    | model | parameters | regime | $r_{t}$ |
    |---|---|---|---|
    | demo | $\alpha=2$ | hard | $\frac{2^{\frac{2}{3}}}{\pi}$ (0.5053) |
    """
    from ..display import math_text

    cols = columns(results, kind)
    notes = [] if notes is None else notes
    first = len(notes) + 1
    rows = [[r.model, _params_markdown(r), math_text(r.regime.name, "markdown")]
            + [_markdown_cell(r.quantities().get(c), notes) for c in cols] for r in results]
    table = markdown_table(["model", "parameters", "regime"] + [f"${header_latex(c)}$" for c in cols], rows)
    return table + "".join(f"\n\n[{i}] $${text}$$" for i, text in enumerate(notes[first - 1:], first))


def to_html(results: list[ModelResult], caption: str = "", kind: str | None = None) -> str:
    """An HTML table (for Jupyter): exact entries with their float values."""
    cols = columns(results, kind)
    return html_table(["model", "parameters", "regime"] + [header_text(c) for c in cols],
                      _text_rows(results, cols), caption)


def to_csv(results: list[ModelResult]) -> str:
    """One row per result; each quantity as two columns, ``PATH`` (exact) and ``PATH.value``."""
    import sympy as sp

    cols = columns(results)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["model", "parameters", "regime"] + [x for c in cols for x in (c, f"{c}.value")])
    for r in results:
        q = r.quantities()
        row = [r.model, _params_text(r), r.regime.name]
        for c in cols:
            row += [sp.sstr(q[c].expr), "" if q[c].value is None else repr(q[c].value)] if c in q else ["", ""]
        writer.writerow(row)
    return buf.getvalue()


FORMATS = {"latex": to_latex, "markdown": to_markdown, "csv": to_csv, "html": to_html}


def by_model(results: list[ModelResult]) -> dict[str, list[ModelResult]]:
    """The results grouped by model, in order of first appearance."""
    groups: dict[str, list[ModelResult]] = {}
    for r in results:
        groups.setdefault(r.model, []).append(r)
    return groups


def point_text(point: dict) -> str:
    """``alpha=2, beta=1/2`` (``its defaults`` for an empty point)."""
    return ", ".join(f"{k}={v}" for k, v in point.items()) or "its defaults"


def _skipped_text(skipped, fmt: str) -> str:
    """The models a table could not evaluate, with the reason, in ``fmt`` (empty when none)."""
    if not skipped:
        return ""
    items = [(model, point_text(point), reason) for model, point, reason in skipped]
    if fmt == "latex":
        from ..display import math_text

        return ("\\paragraph{Not tabulated}\n\\begin{itemize}\n"
                + "".join(f"\\item {tex_escape(m)} at {math_text(p)}: {tex_escape(why)}\n" for m, p, why in items)
                + "\\end{itemize}\n")
    if fmt == "html":
        return "<p><b>Not tabulated</b></p><ul>" + "".join(
            f"<li>{html.escape(m)} at {html.escape(p)}: {html.escape(why)}</li>" for m, p, why in items) + "</ul>"
    return "**Not tabulated**\n\n" + "".join(f"- {m} at {p}: {why}\n" for m, p, why in items)


def render(results: list[ModelResult], fmt: str, skipped=()) -> str:
    """``results`` in ``fmt``: per model, a table of exponents and one of prefactors where there are any
    (LaTeX: captioned booktabs tables that fit a portrait page, long entries as notes numbered through the
    document; Markdown and HTML: under a heading), except CSV, which is one table whose columns are the
    union. ``skipped``: ``(model, point, reason)`` of the models not evaluated, listed after the tables
    (CSV: one row each, the reason in the regime column)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([m, point_text(p), f"not evaluated: {why}"]
                                                        for m, p, why in skipped)
        return to_csv(results) + buf.getvalue()
    blocks, notes = [], []
    for model, rows in by_model(results).items():
        kinds = [k for k in KINDS if columns(rows, k)]
        if fmt == "latex":
            captions = {"exponents": f"Exact exponents of {model}", "prefactors": f"Prefactors of {model}"}
            blocks += [to_latex(rows, caption=captions[k], kind=k, notes=notes) for k in kinds]
        elif fmt == "markdown":
            blocks.append(f"### {model}\n\n" + "\n\n".join(to_markdown(rows, k, notes) for k in kinds) + "\n")
        else:
            blocks.append(f"<h3>{model}</h3>" + "".join(to_html(rows, kind=k) for k in kinds))
    if skipped:
        blocks.append(_skipped_text(skipped, fmt))
    return "\n".join(blocks)


#: most parameter points one table takes (each point is a full analysis of every model that takes it, up to ~1 s CPU)
MAX_POINTS = 20


def parse_points(text: str) -> list[dict]:
    """``"alpha=2,beta=1/2; alpha=3"`` -> ``[{"alpha": "2", "beta": "1/2"}, {"alpha": "3"}]``."""
    points = []
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        point = {}
        for item in chunk.split(","):
            name, sep, value = item.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise ValueError(f"--points: expected name=value, got {item.strip()!r}")
            if name.strip() in point:
                raise ValueError(f"--points: {name.strip()} given twice in {chunk.strip()!r}")
            point[name.strip()] = value.strip()
        points.append(point)
    if not points:
        raise ValueError("--points is empty")
    if len(points) > MAX_POINTS:
        raise ValueError(f"--points: {len(points)} points; a table takes at most {MAX_POINTS}")
    return points


def _model_rows(model, points, symbolic: bool, every: bool, skipped: list) -> list:
    """The results of one model at ``points`` (None: its table points; symbolic: one per regime); with
    ``every`` (``--model all``) a point the model cannot take is appended to ``skipped``, else refused."""
    from ..models import analyze_cached

    if points is None:
        points = [{}] if symbolic else model.table_points()
    names = [q.name for q in model.parameters]
    rows = []
    for point in points:
        unknown = sorted(set(point) - set(names))
        try:
            if unknown:
                raise ValueError(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not "
                                 f"{'a parameter' if len(unknown) == 1 else 'parameters'} of {model.name}; "
                                 f"parameters: {', '.join(names)}")
            rows += analyze_cached(model, point) if symbolic else [model.analyze(**point)]
        except ValueError as exc:
            if not every:
                raise ValueError(f"--points: {exc}" if unknown else str(exc)) from None
            skipped.append((model.name, dict(point), str(exc)))
    return rows


def collect(model: str = "all", points=None, symbolic: bool = False) -> tuple[list, list]:
    """``(results, skipped)`` of a table: ``model`` (a name or ``"all"``) at ``points`` (text as for
    ``--points``, a list of dicts, or None: each model's table points), ``symbolic``: closed forms, one row per
    regime. With ``"all"``, a model that cannot be evaluated at a point is not dropped silently: it is
    listed in ``skipped`` as ``(model, point, reason)``."""
    from ..models import available, get_model

    if isinstance(points, str):
        points = parse_points(points)
    names = available() if model == "all" else [get_model(model).name]
    skipped: list = []
    results = [r for name in names for r in _model_rows(get_model(name), points, symbolic, model == "all", skipped)]
    if not results:
        why = "; ".join(f"{m}: {reason}" for m, _, reason in skipped)
        raise ValueError(f"no table rows: no model accepts these points ({why})" if why else "no table rows")
    return results, skipped


class Table:
    """A rendered exponent table (:func:`scalingtheory.table`): ``results`` and the ``skipped`` models;
    ``str()`` is its text in ``fmt``; renders in Jupyter as Markdown (and LaTeX for nbconvert)."""

    def __init__(self, results: list, skipped: list, fmt: str = "markdown"):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
        self.results, self.skipped, self.fmt = results, skipped, fmt

    def text(self, fmt: str | None = None) -> str:
        return render(self.results, fmt or self.fmt, self.skipped)

    def latex(self) -> str:
        return self.text("latex")

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return self.text("markdown")

    def _repr_latex_(self) -> str:
        return self.text("latex")


__all__ = ["to_latex", "to_markdown", "to_csv", "to_html", "render", "by_model", "columns", "FORMATS", "KINDS",
           "collect", "parse_points", "Table", "MAX_POINTS", "LATEX_PACKAGES", "MAX_COLUMNS", "MAX_CELL"]
