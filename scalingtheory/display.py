r"""Small rendering helpers shared by result objects (Jupyter, LaTeX, Markdown).

Names become LaTeX by one rule (:func:`tex_name`): Greek names become Greek letters,
a single letter with an index is subscripted, every other word is upright
(``\mathrm``); dotted paths such as ``compute_optimal.loss`` stay as written.
Text for LaTeX text mode is escaped by :func:`tex_escape`; :func:`html_table` and
:func:`markdown_table` lay out rows of cells (already formatted strings).

In Jupyter, results are HTML tables whose math is LaTeX between ``\(`` and ``\)``: the
notebook's MathJax typesets it (JupyterLab, Notebook, and the HTML of ``jupyter nbconvert``
all process these delimiters inside HTML output). :class:`Html` marks a cell that is already
HTML; :func:`math_html` is one formula and :func:`scrolling` wraps a table so that a wide one
scrolls sideways inside its output instead of overflowing it.

>>> tex_name("alpha"), tex_name("c1"), tex_name("n_s"), tex_name("eta")
('\\alpha', 'c_{1}', 'n_{s}', '\\eta')
>>> tex_name("regime"), tex_name("compute_optimal.loss"), tex_name("x_small"), tex_name("L_inf")
('\\mathrm{regime}', '\\mathrm{compute\\_optimal.loss}', 'x_{\\mathrm{small}}', 'L_{\\infty}')
>>> tex_escape("50% & a_b")
'50\\% \\& a\\_b'
>>> print(math_html(r"\frac{1}{2} < x"))
\(\frac{1}{2} &lt; x\)
>>> print(html_table(["x", Html(r"\(x\)")], [["<1>", Html("<b>2</b>")]]))
<table><thead><tr><th>x</th><th>\(x\)</th></tr></thead><tbody><tr><td>&lt;1&gt;</td><td><b>2</b></td></tr></tbody></table>
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
    if name in ("inf", "oo"):   # the index of L_inf
        return r"\infty"
    if len(name) == 1:
        return name
    m = _INDEXED.match(name)
    if m:
        return f"{tex_name(m.group(1))}_{{{m.group(2)}}}"
    head, sep, tail = name.partition("_")
    if sep and "." not in name and (head in GREEK or len(head) == 1) and tail:
        return f"{tex_name(head)}_{{{tex_name(tail)}}}"
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


_TOKEN = re.compile(r"(?P<code>`[^`]*`)|(?P<word>e\.g\.|i\.e\.|[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)+|[A-Za-z]+'[A-Za-z]+"
                    r"|[A-Za-z_]\w*(?:\.[A-Za-z_][\w*]*)+)"
                    r"|(?P<ident>[A-Za-z][A-Za-z0-9_]*)|(?P<num>\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
                    r"|(?P<op>->|>>|<<|<=|>=|[-+*/^=<>~])|(?P<open>[(\[])|(?P<close>[)\]])|(?P<space>\s+)"
                    r"|(?P<comma>,)|(?P<other>.)")
#: names typeset as symbols or operators inside math
_MATH_WORDS = {"oo": r"\infty", "inf": r"\infty", "eps": r"\epsilon", "min": r"\min", "max": r"\max",
               "log": r"\log", "ln": r"\ln", "exp": r"\exp"}
_MATH_OPS = {"->": r"\to", ">>": r"\gg", "<<": r"\ll", "<=": r"\leq", ">=": r"\geq", "~": r"\sim"}
#: a range's dash inside a formula (matplotlib's math text has no \text: an en dash there)
_DASH = r"\text{--}"
_RELATIONS = frozenset(("^", "=", "<", ">", "<=", ">=", ">>", "<<", "->", "~"))


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]


def _is_math(toks: list, i: int) -> bool:
    """Does token ``i`` make its run math: a Greek or indexed name, a single letter (not the article
    a), a function call, ``log X``, or an operator such as ``^``, ``=``, ``->``?"""
    kind, tok = toks[i]
    after = toks[i + 1][1] if i + 1 < len(toks) else ""
    if kind == "op":
        return tok in _RELATIONS
    if kind != "ident":
        return False
    head, sep, tail = tok.partition("_")
    if tok in GREEK:       # "delta / calibrated / backtest" lists method names, "beta/(1+beta)" divides
        rest = [t for t in toks[i + 1:i + 5] if t[0] != "space"]
        return not (rest[:1] == [("op", "/")] and len(rest) > 1 and rest[1][0] in ("ident", "word")
                    and not _is_math(toks, toks.index(rest[1], i + 1)))
    if tok in ("oo", "eps") or (sep and (head in GREEK or len(head) == 1) and tail):
        return True
    if tok in ("log", "ln"):
        return after == "(" or (after.isspace() and i + 2 < len(toks) and _is_math(toks, i + 2))
    return (len(tok) == 1 and tok not in "aA") or (tok in _MATH_WORDS and after == "(")


def _joins(name: str) -> bool:
    """A name that joins a formula without starting one: the article-like ``a``, ``min``/``log``
    without a call, an indexed lowercase letter such as ``c1`` (not ``M1`` or ``A0``)."""
    return name in ("a", "A") or name in _MATH_WORDS or (len(name) <= 3 and name[0].islower() and name[1:].isdigit())


def _runs(toks: list) -> list[tuple[int, int]]:
    """``(start, stop)`` of the math spans: runs of math and joining tokens holding a math token,
    without edge spaces, commas and unmatched parentheses."""
    out, i = [], 0
    while i < len(toks):
        j = i
        while j < len(toks) and toks[j][0] not in ("word", "other", "code") and (
                toks[j][0] != "ident" or _is_math(toks, j) or _joins(toks[j][1])):
            j += 1
        for a, b in _balanced(toks, i, j):   # a formula has an operand: not the "=" of "regime=auto"
            if any(_is_math(toks, k) for k in range(a, b)) and any(toks[k][0] in ("ident", "num")
                                                                     for k in range(a, b)):
                out.append(_trim(toks, *_math_pieces(toks, a, b)))
        i = max(j, i + 1)
    return out


def _balanced(toks: list, start: int, stop: int) -> list[tuple[int, int]]:
    """The run split at its unmatched parentheses (``t_x ~ gamma^-(2) (gamma = ...``)."""
    opened, unmatched = [], []
    for k in range(start, stop):
        if toks[k][0] == "open":
            opened.append(k)
        elif toks[k][0] == "close":
            (opened.pop() if opened else unmatched.append(k))
    cuts = [start - 1] + sorted(unmatched + opened) + [stop]
    return [(a + 1, b) for a, b in zip(cuts, cuts[1:]) if b > a + 1]


def _math_pieces(toks: list, start: int, stop: int) -> tuple[int, int]:
    """The run without leading and trailing comma-separated pieces that hold no math (``..., 50%``)."""
    depth, cuts = 0, [start - 1]
    for k in range(start, stop):
        depth += {"open": 1, "close": -1}.get(toks[k][0], 0)
        if toks[k][0] == "comma" and depth == 0:
            cuts.append(k)
    cuts.append(stop)
    pieces = [(a + 1, b) for a, b in zip(cuts, cuts[1:])]
    kept = [(a, b) for a, b in pieces if any(_is_math(toks, k) for k in range(a, b))]
    return kept[0][0], kept[-1][1]


def _trim(toks: list, start: int, stop: int) -> tuple[int, int]:
    """Without edge spaces and commas, and without an edge ``a`` that is the article (no operator beside it)."""
    def article(k: int, step: int) -> bool:     # "a" with a space and then no operator beside it
        near, beside = k + step, k + 2 * step
        return toks[k][1] in ("a", "A") and 0 <= near < len(toks) and toks[near][0] == "space" and not (
            0 <= beside < len(toks) and toks[beside][0] == "op")

    def glued(k: int) -> bool:    # "-1" of "Figure-1": part of the word before it
        return k > 0 and toks[k][0] in ("op", "num") and toks[k][1] not in _RELATIONS and (
            k - 1 == first or toks[k - 1][0] in ("word", "ident", "other") and not _is_math(toks, k - 1))

    first = -1
    while start < stop and (toks[start][0] in ("space", "comma") or article(start, 1) or glued(start)):
        first = start if glued(start) else first
        start += 1
    while stop > start and (toks[stop - 1][0] in ("space", "comma") or article(stop - 1, -1)):
        stop -= 1
    return start, stop


def _math_latex(toks: list) -> str:
    """LaTeX of a math span: ``^`` takes a group, a name, a number or a fraction such as ``-3/8``
    (``C^2/5`` is ``C^{2/5}``); ``N*`` is the optimum ``N^*``; ``1e3`` is ``10^{3}``."""
    out, i = [], 0
    while i < len(toks):
        kind, tok = toks[i]
        if tok == "^":
            i, exponent = _exponent(toks, i + 1)
            out.append(f"^{{{exponent}}}")
            continue
        if tok == "*" and (i + 1 == len(toks) or toks[i + 1][0] not in ("ident", "num")):   # L*(C), N* = ...
            out.append("^*")
        elif kind == "ident":
            out.append(_MATH_WORDS.get(tok) or tex_name(tok))
        elif kind == "num":
            out.append(_number(tok))
        elif tok == "-" and 0 < i < len(toks) - 1 and toks[i - 1][0] == toks[i + 1][0] == "num" and \
                toks[i + 2:i + 3] != [("op", "/")]:
            out.append(_DASH)      # a range, 16-128 (not 1-1/alpha): no subtraction
        elif kind == "space":    # before a parenthesis: "beta <= 1 (a - 1 <= b)" is no product
            after = toks[i + 1][0] if i + 1 < len(toks) else ""
            product = after == "ident" and toks[i - 1][0] in ("ident", "close")
            out.append(r"\ " if after == "open" else r"\," if product else " ")   # \, : alpha min, N T
        else:
            out.append(_MATH_OPS.get(tok, {"*": r"\,"}.get(tok, tok)))
        i += 1
    return "".join(out).strip()


def _closing(toks: list, i: int) -> int:
    """Index of the parenthesis closing the one at ``i`` (the last token when unbalanced)."""
    depth = 0
    for j in range(i, len(toks)):
        depth += {"open": 1, "close": -1}.get(toks[j][0], 0)
        if depth == 0:
            return j
    return len(toks) - 1


def _exponent(toks: list, i: int) -> tuple[int, str]:
    """``(next index, LaTeX)`` of the exponent starting at token ``i``."""
    sign = ""
    if i < len(toks) and toks[i][1] == "-":
        sign, i = "-", i + 1
    if i < len(toks) and toks[i][0] == "open":
        j = _closing(toks, i)
        inner = _math_latex(toks[i + 1:j])
        return j + 1, f"{sign}({inner})" if sign and j - i > 2 else f"{sign}{inner}"
    j = i + 1
    if i + 2 < len(toks) and toks[i][0] == "num" and toks[i + 1][1] == "/" and toks[i + 2][0] == "num":
        j = i + 3
    elif i + 1 < len(toks) and toks[i][0] == "ident" and toks[i + 1][0] == "open":   # ^-min(a-1, 2b)
        j = _closing(toks, i + 1) + 1
    return j, sign + _math_latex(toks[i:j])


def _number(tok: str) -> str:
    mantissa, sep, power = tok.partition("e")
    if not sep:
        return tok
    power = str(int(power))
    return f"10^{{{power}}}" if float(mantissa) == 1 else f"{mantissa}\\times 10^{{{power}}}"


def math_text(text, fmt: str = "latex") -> str:
    """Plain text with its formulas typeset: ``latex`` (text escaped, formulas in ``$...$``),
    ``markdown`` or ``mpl`` (matplotlib; formulas in ``$...$``), ``html`` (text escaped, formulas by
    :func:`math_html`). One rule for every note, caption and remark of a report, every note drawn in a
    figure and every note of a result in Jupyter.

    >>> print(math_text("rich: 2 beta/(1+beta) at t -> oo; N* ~ C^2/5 (Eq. 4)"))
    rich: $2 \\beta/(1+\\beta)$ at $t \\to \\infty$; $N^* \\sim C^{2/5}$ (Eq. 4)
    >>> print(math_text("width N^-(alpha min(beta, 1)), transient N^-1 t^-(1-1/alpha), 50% a_b"))
    width $N^{-(\\alpha\\,\\min(\\beta, 1))}$, transient $N^{-1} t^{-(1-1/\\alpha)}$, 50\\% $a_{b}$
    >>> print(math_text("run `spectrum --quick`: a finite-width transient (gamma = strength)", "markdown"))
    run `spectrum --quick`: a finite-width transient ($\\gamma =$ strength)
    >>> print(math_text("law N^-min(a-1, 2b), t^-(1-1/alpha) at N = 16-128; Figure-1 y(1e6), 5e-09 relative"))
    law $N^{-\\min(a-1, 2b)}, t^{-(1-1/\\alpha)}$ at $N = 16\\text{--}128$; Figure-1 $y(10^{6})$, 5e-09 relative
    >>> print(math_text("boundary beta = 1 (N = 16-128) & costs $5", "html"))
    boundary \\(\\beta = 1\\ (N = 16–128)\\) &amp; costs <span>$</span>5
    """
    toks = _tokens(str(text))
    out, last = [], 0
    for start, stop in _runs(toks):
        out.append(_plain(toks[last:start], fmt))
        formula = _math_latex(toks[start:stop])
        formula = formula.replace(_DASH, chr(0x2013)) if fmt in ("mpl", "html") else formula
        out.append(math_html(formula) if fmt == "html" else f"${formula}$")
        last = stop
    out.append(_plain(toks[last:], fmt))
    return "".join(out)


def _plain(toks: list, fmt: str) -> str:
    """Text outside formulas: escaped for LaTeX, with `code` in typewriter (``--`` kept as two hyphens)."""
    if fmt == "mpl":     # matplotlib reads a lone $ as the start of math
        return "".join((t[1:-1] if kind == "code" else t).replace("$", r"\$") for kind, t in toks)
    if fmt == "html":    # a lone $ in its own element: MathJax pairs delimiters within one text node only
        return html.escape("".join(t for _, t in toks), quote=False).replace("$", "<span>$</span>")
    if fmt != "latex":
        return "".join(t for _, t in toks)
    return "".join(r"\texttt{" + tex_escape(t[1:-1]).replace("-", "-{}") + "}" if kind == "code" else tex_escape(t)
                   for kind, t in toks)


class Html(str):
    """Text that is already HTML: :func:`html_table` puts it in a cell as it is."""


def _esc(cell) -> str:
    return cell if isinstance(cell, Html) else html.escape(str(cell))


def math_html(latex: str) -> Html:
    """One formula for an HTML output: LaTeX between MathJax's inline delimiters, HTML-escaped
    (the browser hands MathJax the unescaped text)."""
    return Html(r"\(" + html.escape(latex, quote=False) + r"\)")


def scrolling(table: str) -> Html:
    """``table`` in a block that scrolls sideways when it is wider than the output area."""
    return Html(f'<div style="max-width:100%;overflow-x:auto">{table}</div>')


def html_table(header: list, rows: list, caption: str = "", notes=()) -> str:
    """An HTML table, an optional caption and notes below it; cells are escaped unless :class:`Html`."""
    return _table(header, _rows_html(rows), caption, notes)


def _rows_html(rows: list) -> str:
    return "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows)


def _table(header: list, body: str, caption, notes) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    out = f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if notes:
        out += "<ul>" + "".join(f"<li>{_esc(n)}</li>" for n in notes) + "</ul>"
    return out


def grouped_html_table(header: list, groups: list, caption: str = "", notes=()) -> str:
    """One HTML table of several groups of rows, ``[(heading, rows), ...]``: each group opens with its
    heading on a row across every column (how a :class:`~scalingtheory.api.ResultSet` shows its results).

    >>> print(grouped_html_table(["q", "v"], [("first", [["a", "1"]]), (Html("<b>2nd</b>"), [["b", "2"]])]))
    <table><thead><tr><th>q</th><th>v</th></tr></thead><tbody><tr><th colspan="2" style="text-align:left">first</th></tr><tr><td>a</td><td>1</td></tr><tr><th colspan="2" style="text-align:left"><b>2nd</b></th></tr><tr><td>b</td><td>2</td></tr></tbody></table>
    """
    body = "".join(f'<tr><th colspan="{len(header)}" style="text-align:left">{_esc(heading)}</th></tr>'
                   + _rows_html(rows) for heading, rows in groups)
    return _table(header, body, caption, notes)


class Reported:
    """A result with a plain-text ``report()`` (theory results, fits); ``explain()`` is the same report, the
    name the theory results had first."""

    def report(self) -> str:
        raise NotImplementedError

    def explain(self) -> str:
        """The same as :meth:`report`."""
        return self.report()


def markdown_table(header: list, rows: list) -> str:
    r"""A Markdown (GFM) table; ``|`` inside cells is escaped as text and written ``\vert`` inside ``$...$``
    math (an escaped pipe would reach MathJax as ``\|``, the norm bars).

    >>> print(markdown_table(["q", "v"], [["a|b", r"$\left|x\right| + \|y\|$"]]))
    | q | v |
    |---|---|
    | a\|b | $\left\vert x\right\vert  + \Vert y\Vert $ |
    """
    lines = ["| " + " | ".join(map(_markdown_cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(_markdown_cell, row)) + " |" for row in rows]
    return "\n".join(lines)


_MATH = re.compile(r"(\$\$?)(.+?)\1", re.S)


def _markdown_cell(cell) -> str:
    text, out, end = str(cell), [], 0
    for m in _MATH.finditer(text):
        out += [text[end:m.start()].replace("|", r"\|"),
                m[1] + m[2].replace(r"\|", r"\Vert ").replace("|", r"\vert ") + m[1]]
        end = m.end()
    return "".join(out) + text[end:].replace("|", r"\|")


__all__ = ["tex_escape", "tex_name", "math_text", "math_html", "scrolling", "Html", "html_table", "grouped_html_table",
           "markdown_table", "Reported", "GREEK"]
