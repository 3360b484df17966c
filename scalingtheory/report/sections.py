r"""A model's section of the report, written as a paper appendix, in Markdown and LaTeX.

* one table per regime: the table points of that regime, each quantity exact where it fits on a
  line (else its float, with the exact form in the appendix as ``[E3]``), and a *notes* column
  naming the notes (listed under the table) that concern the row;
* the agreement table: theory, numerics, relative deviation, the check's tolerance, and a
  verdict; a deviation beyond its tolerance is bold with its stated reason;
* the model's findings (plain sentences) and extra tables (plain rows), its figures.

Notes, captions and remarks are typeset by :func:`scalingtheory.display.math_text` (formulas such as
``N^-(alpha min(beta, 1))`` as math, the rest escaped text); names by
:func:`scalingtheory.display.tex_name` (upright words, Greek letters).

>>> book = Appendix()
>>> book.cell(sp.Rational(2, 5)), book.cell(sp.pi**2 * sp.zeta(3) * sp.sqrt(7) / 11)[0]
(('$\\frac{2}{5}$', '$\\frac{2}{5}$'), '2.85 [E1]')
>>> book.cell(sp.Rational(1377, 25000)), book.cell(sp.Integer(3))
(('0.05508', '$0.05508$'), ('3', '$3$'))
"""

from __future__ import annotations

import math

import sympy as sp

from ..display import markdown_table, math_text, tex_escape, tex_name
from . import tables

#: longest exact form shown in a table cell (characters of its text form)
MAX_INLINE = 22


class Appendix:
    """Exact forms too long for a table cell, numbered ``E1, E2, ...`` in order of use."""

    def __init__(self):
        self.entries: list[tuple[str, sp.Expr]] = []

    def cell(self, expr: sp.Expr, label: str = "") -> tuple[str, str]:
        """``(markdown, latex)`` of a table cell: exact if short, else the float and a reference."""
        if expr.is_Float:     # a number computed in floating point: its significant digits only
            return f"{float(expr):.6g}", f"${_float_latex(float(expr), 6)}$"
        plain = tables.decimal(expr, 100) or (str(expr) if expr.is_Integer else None)  # fitted decimals as typed
        if plain is not None:
            return plain, f"${plain}$"
        text = sp.sstr(expr)
        if len(text) <= MAX_INLINE or not expr.is_number:
            return f"${sp.latex(expr)}$", f"${sp.latex(expr)}$"
        self.entries.append((label, expr))
        ref = f"E{len(self.entries)}"
        return f"{float(expr):.3g} [{ref}]", f"${_float_latex(float(expr), 3)}$\\,[{ref}]"

    def markdown(self) -> str:
        return "\n".join(f"- [E{i}] {math_text(label, 'markdown')}: ${sp.latex(e)}$"
                         for i, (label, e) in enumerate(self.entries, 1))

    def latex(self) -> str:
        items = [f"\\item[{{[E{i}]}}] {math_text(label)}:\\\\ \\fitwidth{{$\\displaystyle {sp.latex(e)}$}}"
                 for i, (label, e) in enumerate(self.entries, 1)]  # a long form is scaled to the line, not past it
        return "\\begin{description}\n" + "\n".join(items) + "\n\\end{description}" if items else ""


def _float_latex(value: float, digits: int) -> str:
    """``1.38\\times10^{16}`` for ``1.38e+16``; plain digits otherwise."""
    mantissa, sep, power = f"{value:.{digits}g}".partition("e")
    return f"{mantissa}\\times10^{{{int(power)}}}" if sep else mantissa


def regime_tables(model, results, book: Appendix) -> tuple[list[str], list[str]]:
    """Markdown and LaTeX blocks: one table per regime, notes beside their rows."""
    md, tex = [], []
    cols = tables.columns(results)
    groups: dict[str, list] = {}
    for r in results:
        groups.setdefault(r.regime.name, []).append(r)
    for regime, rows in groups.items():
        notes: list[str] = []
        body_md, body_tex = [], []
        for r in rows:
            refs = []
            for n in r.notes:
                if n not in notes:
                    notes.append(n)
                refs.append(notes.index(n) + 1)
            q = r.quantities()
            cells = [book.cell(q[c].expr, f"{model.name}, {tables._params_text(r)}: {c}") if c in q else ("-", "--")
                     for c in cols]
            refs = ", ".join(map(str, sorted(refs)))
            body_md.append([tables._params_markdown(r)] + [c[0] for c in cells] + [refs])
            body_tex.append([tables._params_latex(r)] + [c[1] for c in cells] + [refs])
        desc = rows[0].regime.description
        md += [f"**Regime {math_text(regime, 'markdown')}**: {math_text(desc, 'markdown')}", "",
               markdown_table(["parameters"] + [f"${tables.header_latex(c)}$" for c in cols] + ["notes"], body_md), ""]
        md += [f"{i}. {math_text(n, 'markdown')}" for i, n in enumerate(notes, 1)] + [""]
        tex += [_latex_table(["parameters"] + [f"${tables.header_latex(c)}$" for c in cols] + ["notes"], body_tex,
                             f"Regime {regime}: {desc}"), _latex_notes(notes)]
    return md, tex


def _latex_table(header: list[str], rows: list[list[str]], caption: str, align: str = "") -> str:
    """A booktabs table, scaled down to the text width when wider (``\\fitwidth`` of the preamble);
    the caption is plain text (typeset by :func:`~scalingtheory.display.math_text`)."""
    align = align or "l" + "c" * (len(header) - 2) + "l"
    lines = [r"\begin{table}[H]\centering\small", f"\\caption{{{math_text(caption)}}}",
             f"\\fitwidth{{\\begin{{tabular}}{{{align}}}", r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    lines += [" & ".join(r) + r" \\" for r in rows]
    return "\n".join(lines + [r"\bottomrule", r"\end{tabular}}", r"\end{table}"])


def _latex_notes(notes: list[str]) -> str:
    if not notes:
        return ""
    items = "\n".join(f"\\item {math_text(n)}" for n in notes)
    return "{\\footnotesize\\begin{enumerate}\n" + items + "\n\\end{enumerate}}"


def verdict_text(row) -> str:
    """The verdict cell: ``within``, ``beyond: <reason>``, ``not resolved at quick size`` (or ``not resolved:
    <reason>``)."""
    if row.verdict == "within":
        return "within"
    return row.reason if row.reason.startswith(row.verdict) else f"{row.verdict}: {row.reason}"


def _number(value: float, fmt: str = ".6g") -> str:
    return f"{value:{fmt}}" if math.isfinite(value) else "-"


def agreement_tables(rows) -> tuple[str, str]:
    """Markdown and LaTeX of the agreement table (route, tolerance, verdict; beyond tolerance in bold),
    rendered from the same :class:`~scalingtheory.models.engine.AgreementRow` objects as ``checks.json``."""
    head = ["quantity", "route", "theory", "numerics", "rel. deviation", "tolerance", "verdict",
            "numeric route; why this tolerance"]
    md_rows, tex_rows = [], []
    md = lambda s: math_text(s, "markdown")  # noqa: E731
    for r in rows:
        beyond = r.verdict == "beyond"
        verdict, dev = verdict_text(r), _number(r.rel_dev, ".2e")
        why = f"{r.note}; {r.why}" if r.note else r.why
        md_rows.append([md(r.quantity), r.route or "-", _number(r.theory), _number(r.numerics),
                        f"**{dev}**" if beyond else dev, f"{r.tolerance:.0e}",
                        f"**{md(verdict)}**" if beyond else md(verdict), md(why)])
        bold = (lambda s: f"\\textbf{{{s}}}") if beyond else (lambda s: s)
        tex_rows.append([math_text(r.quantity), tex_escape(r.route or "-"), _number(r.theory), _number(r.numerics),
                         bold(dev), f"{r.tolerance:.0e}", bold(math_text(verdict)), math_text(why)])
    ragged = r">{\raggedright\arraybackslash}"
    tex = _latex_table(head, tex_rows, "Theory vs numerics", f"llrrrr{ragged}p{{3.2cm}}{ragged}p{{7cm}}").replace(
        r"\small", r"\scriptsize")
    return markdown_table(head, md_rows), tex


def extra_tables(model, quick: bool) -> tuple[list[str], list[str]]:
    """The model's plain tables (e.g. the emergence table) in Markdown and LaTeX."""
    md, tex = [], []
    fmt = lambda v: "-" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))  # noqa: E731
    for caption, header, rows in model.tables(quick=quick):
        body = [[fmt(v) for v in row] for row in rows]
        md += [f"*{math_text(caption, 'markdown')}*", "",
               markdown_table([math_text(h, "markdown") for h in header], body), ""]
        tex.append(_latex_table([math_text(h) for h in header], [[tex_escape(c) for c in r] for r in body], caption,
                                "l" * len(header)).replace(r"\small", r"\scriptsize"))
    return md, tex


def parameter_line(model) -> tuple[str, str]:
    """The model's parameter names as math (upright words, Greek letters) for Markdown and LaTeX alike."""
    line = ", ".join(f"${tex_name(p.name)}$" for p in model.parameters)
    return line, line


__all__ = ["Appendix", "regime_tables", "agreement_tables", "verdict_text", "extra_tables", "parameter_line", "MAX_INLINE"]
