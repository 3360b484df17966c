"""Exponent tables: exact entries, and the LaTeX compiles with a real pdflatex."""
import re
import shutil
import subprocess

import pytest

from scalingtheory.models import get_model
from scalingtheory.report import tables


def _results():
    fl = get_model("feature_learning")
    rf = get_model("random_features")
    return [fl.analyze(alpha=2, beta="1/2"), fl.analyze(alpha=2, beta="1/2", training="lazy"),
            fl.analyze(regime="hard"), rf.analyze(alpha="3/2", beta="2/3")]


def test_entries_are_exact_and_formats_agree():
    results = _results()
    tex = tables.to_latex(results, caption="Exponents", label="tab:exp")
    assert r"\frac{2}{5}" in tex                       # rich hard C-exponent at alpha=2, beta=1/2
    assert r"\frac{2 \alpha \beta}{\alpha \beta + \alpha + 2}" in tex   # symbolic entry as LaTeX
    md = tables.to_markdown(results)
    assert r"$\frac{2}{5}$ (0.4)" in md
    csv_text = tables.to_csv(results)
    header = csv_text.splitlines()[0].split(",")
    assert "compute_optimal.loss" in header and "compute_optimal.loss.value" in header
    with pytest.raises(ValueError, match="unknown format 'docx'"):
        tables.render(results, "docx")


def test_latex_table_compiles_with_pdflatex(tmp_path):
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex not installed here (CI installs texlive; see .ci/run)")
    doc = (r"\documentclass{article}" + tables.LATEX_PACKAGES + r"\usepackage[margin=1cm,landscape]{geometry}"
           r"\begin{document}" + tables.to_latex(_results(), caption="Exponents of the models 50% & more")
           + r"\end{document}")
    (tmp_path / "t.tex").write_text(doc)
    proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (tmp_path / "t.pdf").stat().st_size > 1000


def test_report_sections_state_tolerances_flag_deviations_and_compile(tmp_path):
    """Agreement table: tolerance and verdict columns, a deviation beyond tolerance in bold with its reason;
    regime tables: notes numbered beside their rows; long exact forms go to the appendix; LaTeX compiles."""
    from scalingtheory.models import get_model
    from scalingtheory.models.engine import AgreementRow
    from scalingtheory.report import sections

    rows = [AgreementRow("r_N (alpha=2)", 2.0, 2.05, 0.08, "slope over 1 decade", "exact simulation"),
            AgreementRow("r_C rich 50% & x_1", 0.4, 0.35, 0.1, "two decades of C", caveat="pre-asymptotic range")]
    md, tex = sections.agreement_tables(rows)
    assert "| tolerance | verdict |" in md and "| within |" in md
    assert "**1.25e-01**" in md and "**beyond: pre-asymptotic range**" in md
    assert r"\textbf{beyond: pre-asymptotic range}" in tex and r"50\% \& $x_{1}$" in tex
    assert r"$r_{N}\ (\alpha=2)$" in tex and "two decades of $C$" in tex     # formulas typeset, words upright
    model = get_model("random_features")
    book = sections.Appendix()
    reg_md, reg_tex = sections.regime_tables(model, [model.analyze(**p) for p in model.table_points()], book)
    text = "\n".join(reg_md)
    assert text.count("**Regime ") == 3 and "| notes |" in text and "\n1. " in text
    assert book.entries and all(len(str(e)) > sections.MAX_INLINE for _, e in book.entries)
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex not installed here (CI installs texlive; see .ci/run)")
    from scalingtheory.report.report import LATEX_PREAMBLE
    (tmp_path / "s.tex").write_text(LATEX_PREAMBLE + tex + "\n".join(reg_tex) + book.latex() + r"\end{document}")
    proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_report_keeps_markdown_and_latex_when_pdflatex_fails(tmp_path, monkeypatch):
    from scalingtheory.report import report

    def failing_pdflatex(tex):
        raise RuntimeError("pdflatex failed on report.tex")

    monkeypatch.setattr(report, "_pdflatex", failing_pdflatex)
    monkeypatch.setattr(report, "_model_section", lambda *args: ("## m", r"\section{m}"))
    info = report.build_report(tmp_path / "out", quick=True, models=["bnsl"])
    assert info["pdf"] is False and "pdflatex failed" in info["pdf_error"]
    assert (tmp_path / "out" / "report.md").read_text().startswith("# scalingtheory report")
    assert (tmp_path / "out" / "report.tex").exists()


def test_cli_tables_for_every_model(capsys):
    """`table --model all` and `table --symbolic` (LaTeX): exponent and prefactor tables for each model (split
    into parts where wide); choices upright. Compiled on a portrait page by the test below."""
    from scalingtheory.cli import main

    assert main(["table", "--model", "all", "--format", "latex"]) == 0
    assert main(["table", "--symbolic", "--format", "latex"]) == 0
    body = capsys.readouterr().out
    assert len(re.findall(r"\\caption\{Exact exponents of random\\_features( \(1/\d\))?\}", body)) == 2
    assert len(re.findall(r"\\caption\{Prefactors of random\\_features( \(1/\d\))?\}", body)) == 2
    assert r"\textrm{super-easy}" in body and r"\mathrm{super-easy}" not in body


def test_report_notes_are_typeset_as_math_not_plain_text():
    """Notes, captions and remarks of a report carry their formulas as math (``$N^{-(\\alpha ...)}$``), never
    the plain text ``C^2/5``, ``t^-chi`` or ``2 beta/(1+beta)``, nor raw reST roles; in LaTeX and Markdown."""
    from scalingtheory.models import available, get_model
    from scalingtheory.report import sections

    for name in available():
        model = get_model(name)
        md, tex = sections.regime_tables(model, [model.analyze(**p) for p in model.table_points()],
                                         sections.Appendix())
        notes = [line for line in "\n".join(md + tex).splitlines()    # notes and captions (not table cells)
                 if re.match(r"\d+\. |\*\*Regime|\\item|\\caption", line)]
        assert len(notes) >= 3
        for text in notes:
            plain = re.sub(r"\$[^$]*\$", "", text)              # the text outside formulas
            assert not re.search(r"\^|\b(alpha|beta|chi|gamma|eta)\b|->|:math:|<=", plain), (name, plain[:3000])
            assert ":math:" not in text and "textasciicircum" not in text
    model = get_model("feature_learning")
    md, tex = sections.regime_tables(model, [model.analyze(**p) for p in model.table_points()], sections.Appendix())
    assert r"$t^{-\chi}$ (time bottleneck) $\to N^{-(\alpha\,\min(\beta, 1))}$" in "\n".join(tex)
    assert r"would give $2 \beta/(1+\beta)$" in "\n".join(md)


def test_exponent_fractions_in_text_are_grouped():
    from scalingtheory.display import math_text

    assert math_text("N* ~ C^2/5") == r"$N^* \sim C^{2/5}$"          # not (C^2)/5
    assert math_text("A_T t^-3/8 (Eq. 321)") == r"$A_{T}\,t^{-3/8}$ (Eq. 321)"
    assert math_text("x^(alpha+1)/2") == r"$x^{\alpha+1}/2$"          # a group ends at its parenthesis
    assert math_text("coverage (delta / calibrated / backtest)") == "coverage (delta / calibrated / backtest)"
    assert math_text("regime=auto, M1 fit, A0, e.g. x") == "regime=auto, M1 fit, A0, e.g. $x$"   # names stay text


_PORTRAIT = (r"\documentclass{article}\usepackage[a4paper,margin=2.5cm]{geometry}" + tables.LATEX_PACKAGES
             + r"\begin{document}")


@pytest.mark.parametrize("points, symbolic", [(None, False), ("alpha=2,beta=1/2", False), (None, True)])
def test_every_model_in_latex_fits_a_portrait_page(tmp_path, points, symbolic):
    """`table --model all`: every model is tabulated or named with its reason; math cells are LaTeX (no
    ASCII oo, ->, **); long entries become notes; pdflatex on a portrait A4 page reports no overfull box."""
    from scalingtheory.models import available

    results, skipped = tables.collect("all", points, symbolic)
    assert {r.model for r in results} | {m for m, _, _ in skipped} == set(available())
    tex = tables.render(results, "latex", skipped)
    assert not re.search(r"\boo\b|->|\*\*", tex), re.findall(r".{30}(?:\boo\b|->|\*\*).{10}", tex)
    for model, _, reason in skipped:
        assert f"\\item {tables.tex_escape(model)} at" in tex and reason
    for block in re.findall(r"\\begin\{tabular\}\{(l+)(c*)\}", tex):
        assert len(block[1]) <= tables.MAX_COLUMNS
    if symbolic:
        assert re.search(r"\\noindent\[1\]~", tex)      # random_features' prefactors: numbered notes
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex not installed here (CI installs texlive; see .ci/run)")
    (tmp_path / "t.tex").write_text(_PORTRAIT + tex + r"\end{document}")
    proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]
    log = (tmp_path / "t.log").read_text(errors="replace")
    assert "Overfull" not in log, re.findall(r"Overfull.*", log)


def test_table_all_names_what_it_cannot_evaluate(capsys):
    """--model all at points some models do not take: a note under the table and a line on stderr each."""
    from scalingtheory.cli import main

    assert main(["table", "--model", "all", "--points", "alpha=2,beta=1/2", "--format", "markdown"]) == 0
    out, err = capsys.readouterr()
    assert "**Not tabulated**" in out and "- sparse_parity at alpha=2, beta=1/2: beta is not a parameter" in out
    assert "bnsl not tabulated at alpha=2, beta=1/2: alpha, beta are not parameters of bnsl" in err
    assert main(["table", "--model", "all", "--points", "alpha=2,beta=1/2", "--format", "csv"]) == 0
    assert 'sparse_parity,"alpha=2, beta=1/2","not evaluated: beta is not a parameter' in capsys.readouterr().out
    assert main(["table", "--model", "sparse_parity", "--points", "alpha=2,beta=1/2"]) == 2
    assert "--points: beta is not a parameter of sparse_parity" in capsys.readouterr().err


def test_st_table_is_the_command_in_python():
    import scalingtheory as st

    t = st.table("random_features", points=[{"alpha": 2, "beta": "1/2"}], format="latex")
    assert str(t) == t.latex() == tables.render(t.results, "latex") and t.skipped == []
    assert r"\frac{1}{3}" in str(t) and "| random_features |" in t._repr_markdown_()
    with pytest.raises(ValueError, match="no table rows: no model accepts these points"):
        st.table(points="gamma=1")


def _math_segments(text: str) -> list[str]:
    """The ``$$...$$`` and ``$...$`` formulas of Markdown text, ``\\|`` (a pipe escaped in a table cell) read back."""
    return [(a or b).replace(r"\|", "|") for a, b in re.findall(r"\$\$(.+?)\$\$|\$(.+?)\$", text)]


@pytest.mark.parametrize("points, symbolic", [(None, False), ("alpha=2,beta=1/2", False), (None, True)])
def test_every_model_in_markdown_has_its_math_typeset(tmp_path, points, symbolic):
    """`table --format markdown`: every cell's math is LaTeX in $...$ (no Python 2**(2/3), oo, sqrt(...) outside
    it), every exact entry is there (in its cell or a numbered note) and every formula compiles with pdflatex."""
    import sympy as sp

    results, skipped = tables.collect("all", points, symbolic)
    md = tables.render(results, "markdown", skipped)
    rows = [line for line in md.splitlines() if line.startswith(("|", "["))]
    prose = re.sub(r"\$\$.+?\$\$|\$.+?\$", "", "\n".join(rows))
    assert not re.search(r"\boo\b|->|\*\*|sqrt\(|\bpi\b|\bzeta\(|\bgamma\(", prose), prose[:2000]
    formulas = _math_segments(md)
    for r in results:
        for path, q in r.quantities().items():
            if tables.decimal(q.expr, 100) is None:
                assert sp.latex(q.expr) in formulas, (r.model, path, sp.latex(q.expr))
    if symbolic:
        assert re.search(r"^\[1\] \$\$", md, re.M)       # random_features' prefactors: numbered notes
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex not installed here (CI installs texlive; see .ci/run)")
    body = "\n\n".join(f"${f}$" for f in sorted(set(formulas)))
    (tmp_path / "m.tex").write_text(_PORTRAIT + body + r"\end{document}")
    proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "m.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_pipes_in_markdown_math_stay_bars_for_a_markdown_parser():
    """|x| in a Markdown table cell: a GFM parser with $-math (markdown-it, as MyST and Jupyter's renderer
    read it) must hand MathJax bars, not the escaped pipe `\\|` (MathJax's norm), and still split the cells."""
    markdown_it = pytest.importorskip("markdown_it")
    dollarmath = pytest.importorskip("mdit_py_plugins.dollarmath")
    import sympy as sp

    from scalingtheory.display import markdown_table

    x = sp.Symbol("x")
    table = markdown_table(["q", "v"], [[f"${sp.latex(sp.Abs(x - 1) / 2)}$ if a|b", "2"]])
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").use(dollarmath.dollarmath_plugin).parse(table)
    inline = [t for t in tokens if t.type == "inline"]
    assert len(inline) == 4                                      # two header and two body cells: a|b stays text
    (math,) = [c.content for t in inline if t.children for c in t.children if c.type == "math_inline"]
    assert "\\|" not in math and math.count("\\vert") == 2, math
