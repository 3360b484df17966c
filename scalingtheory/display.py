r"""Small rendering helpers shared by result objects (Jupyter, LaTeX, Markdown).

Names become LaTeX by one rule (:func:`tex_name`): Greek names become Greek letters,
a single letter with an index is subscripted, every other word is upright
(``\mathrm``); dotted paths such as ``compute_optimal.loss`` stay as written.
Text for LaTeX text mode is escaped by :func:`tex_escape`; :func:`html_table` and
:func:`markdown_table` lay out rows of cells (already formatted strings).

>>> tex_name("alpha"), tex_name("c1"), tex_name("n_s"), tex_name("eta")
('\\alpha', 'c_{1}', 'n_{s}', '\\eta')
>>> tex_name("regime"), tex_name("compute_optimal.loss"), tex_name("x_small")
('\\mathrm{regime}', '\\mathrm{compute\\_optimal.loss}', 'x_{\\mathrm{small}}')
>>> tex_escape("50% & a_b")
'50\\% \\& a\\_b'
>>> print(markdown_table(["name", "value"], [["a|b", "1"]]))
| name | value |
|---|---|
| a\|b | 1 |
"""

from __future__ import annotations

import html
import re

GREEK = frozenset("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
                  "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega".split())

_TEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#", "$": r"\$",
                "{": r"\{", "}": r"\}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
                "<": r"\textless{}", ">": r"\textgreater{}"}
_INDEXED = re.compile(r"^([A-Za-z])_?([0-9]+|[A-Za-z])$")


def tex_escape(text) -> str:
    """``text`` made safe for LaTeX text mode (``_`` -> ``\\_``, ``%`` -> ``\\%``, ...)."""
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(text))


def tex_name(name: str) -> str:
    """LaTeX (math mode) for a parameter or quantity name: Greek letters, indexed letters, else upright."""
    name = str(name)
    if name in GREEK:
        return "\\" + name
    if len(name) == 1:
        return name
    m = _INDEXED.match(name)
    if m:
        return f"{tex_name(m.group(1))}_{{{m.group(2)}}}"
    head, sep, tail = name.partition("_")
    if sep and "." not in name and (head in GREEK or len(head) == 1) and tail:
        return f"{tex_name(head)}_{{{tex_name(tail)}}}"
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def html_table(header: list, rows: list, caption: str = "", notes=()) -> str:
    """An HTML table (cells are escaped), an optional caption and notes below it."""
    esc = html.escape
    head = "".join(f"<th>{esc(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    out = f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if notes:
        out += "<ul>" + "".join(f"<li>{esc(str(n))}</li>" for n in notes) + "</ul>"
    return out


def markdown_table(header: list, rows: list) -> str:
    """A Markdown (GFM) table; ``|`` inside cells is escaped."""
    cell = lambda c: str(c).replace("|", r"\|")  # noqa: E731
    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines)


__all__ = ["tex_escape", "tex_name", "html_table", "markdown_table", "GREEK"]
