"""Exponent tables in LaTeX (booktabs), Markdown and CSV from :class:`ModelResult` objects.

Entries are the exact expressions: fractions render as ``\\frac``, symbolic entries
as LaTeX; Markdown and CSV add the float value.

>>> import sympy as sp
>>> from scalingtheory.results import ModelResult, Quantity, Regime
>>> r = ModelResult("demo", {"alpha": sp.Integer(2)}, Regime("hard"),
...                 {"t": Quantity("exponents.t", sp.Rational(1, 2))}, None)
>>> print(to_markdown([r]))
| model | parameters | regime | r_t |
|---|---|---|---|
| demo | alpha=2 | hard | 1/2 (0.5) |
"""

from __future__ import annotations

import csv
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
    ``G_X`` and ``A_C`` (compute-optimal prefactors), ``A_X`` (prefactor); names by
    :func:`scalingtheory.display.tex_name` (``r_{x_{\\mathrm{small}}}``)."""
    return _header(path, lambda name: "{" + tex_name(name) + "}")


def header_text(path: str) -> str:
    """Plain-text column title: ``r_t``, ``r_C``, ``a_N``, ``G_N``, ``A_x_small``."""
    return _header(path, str)


def _given(r: ModelResult) -> dict:
    """The parameters given as numbers or choices (not values derived from symbols, e.g. a = 1 + alpha beta)."""
    return {k: v for k, v in r.params.items() if isinstance(v, str) or not v.free_symbols}


def _params_text(r: ModelResult) -> str:
    return ", ".join(f"{k}={v}" for k, v in _given(r).items())


def _params_latex(r: ModelResult) -> str:
    import sympy as sp

    parts = []
    for k, v in _given(r).items():
        value = r"\textrm{" + tex_escape(v) + "}" if isinstance(v, str) else sp.latex(v)  # a hyphen, not a minus
        parts.append(f"${tex_name(k)}={value}$")
    return ", ".join(parts) or "symbolic"


#: kept for callers of the former private name
_tex_escape = tex_escape


def to_latex(results: list[ModelResult], caption: str | None = None, label: str | None = None,
             kind: str | None = None) -> str:
    """A booktabs ``table`` environment (needs ``\\usepackage{booktabs,amsmath}``); ``kind``: see :func:`columns`."""
    import sympy as sp

    cols = columns(results, kind)
    head = " & ".join(["model", "parameters", "regime"] + [f"${header_latex(c)}$" for c in cols])
    lines = [r"\begin{table}[ht]", r"\centering", r"\begin{tabular}{lll" + "c" * len(cols) + "}",
             r"\toprule", head + r" \\", r"\midrule"]
    for r in results:
        q = r.quantities()
        cells = [tex_escape(r.model), _params_latex(r), tex_escape(r.regime.name)]
        cells += [f"${sp.latex(q[c].expr)}$" if c in q else "--" for c in cols]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    if caption:
        lines.append(f"\\caption{{{tex_escape(caption)}}}")
    if label:
        lines.append(f"\\label{{{label}}}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


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


def to_markdown(results: list[ModelResult], kind: str | None = None) -> str:
    cols = columns(results, kind)
    return markdown_table(["model", "parameters", "regime"] + [header_text(c) for c in cols],
                          _text_rows(results, cols))


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


def render(results: list[ModelResult], fmt: str) -> str:
    """``results`` in ``fmt``: per model, a table of exponents and one of prefactors where there are any
    (LaTeX: captioned booktabs tables; Markdown and HTML: under a heading), except CSV, which is one
    table whose columns are the union."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt == "csv":
        return to_csv(results)
    blocks = []
    for model, rows in by_model(results).items():
        kinds = [k for k in KINDS if columns(rows, k)]
        if fmt == "latex":
            captions = {"exponents": f"Exact exponents of {model}", "prefactors": f"Prefactors of {model}"}
            blocks += [to_latex(rows, caption=captions[k], kind=k) for k in kinds]
        elif fmt == "markdown":
            blocks.append(f"### {model}\n\n" + "\n\n".join(to_markdown(rows, k) for k in kinds) + "\n")
        else:
            blocks.append(f"<h3>{model}</h3>" + "".join(to_html(rows, kind=k) for k in kinds))
    return "\n".join(blocks)


__all__ = ["to_latex", "to_markdown", "to_csv", "to_html", "render", "by_model", "columns", "FORMATS", "KINDS"]
