"""Exponent tables: exact entries, and the LaTeX compiles with a real pdflatex."""
import shutil
import subprocess

import pytest

from scalingtheory.models import get_model
from scalingtheory.report import tables


def _results():
    fl = get_model("feature_learning")
    rf = get_model("random_features")
    return [fl.analyze(alpha=2, beta="1/2"), fl.analyze(alpha=2, beta="1/2", training="lazy"),
            fl.analyze(task="hard"), rf.analyze(alpha="3/2", beta="2/3")]


def test_entries_are_exact_and_formats_agree():
    results = _results()
    tex = tables.to_latex(results, caption="Exponents", label="tab:exp")
    assert r"\frac{2}{5}" in tex                       # rich hard C-exponent at alpha=2, beta=1/2
    assert r"\frac{2 \alpha \beta}{\alpha \beta + \alpha + 2}" in tex   # symbolic entry as LaTeX
    md = tables.to_markdown(results)
    assert "2/5 (0.4)" in md
    csv_text = tables.to_csv(results)
    header = csv_text.splitlines()[0].split(",")
    assert "compute_optimal.loss" in header and "compute_optimal.loss.value" in header
    with pytest.raises(ValueError, match="unknown format 'docx'"):
        tables.render(results, "docx")


def test_latex_table_compiles_with_pdflatex(tmp_path):
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex not installed here (CI installs texlive; see .ci/run)")
    doc = (r"\documentclass{article}\usepackage{booktabs}\usepackage[margin=1cm,landscape]{geometry}"
           r"\begin{document}" + tables.to_latex(_results(), caption="Exponents of the models 50% & more")
           + r"\end{document}")
    (tmp_path / "t.tex").write_text(doc)
    proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (tmp_path / "t.pdf").stat().st_size > 1000


def test_summary_markdown_becomes_compilable_latex(tmp_path):
    from scalingtheory.report.report import markdown_to_latex
    tex = markdown_to_latex("### Benchmark 50% & more\nmean RMSLE of x_1\n| form | RMSLE |\n|---|---|\n"
                            "| **BNSL** | 0.04 |\n| M4 | 0.05 |\n- note with ^ and ~")
    assert r"\subsection*{Benchmark 50\% \& more}" in tex and r"\toprule" in tex and "BNSL & 0.04" in tex
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.skip("pdflatex not installed here (CI installs texlive; see .ci/run)")
    (tmp_path / "s.tex").write_text(r"\documentclass{article}\usepackage{booktabs}\begin{document}" + tex
                                    + r"\end{document}")
    proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_report_keeps_markdown_and_latex_when_pdflatex_fails(tmp_path, monkeypatch):
    from scalingtheory.report import report

    def failing_pdflatex(tex):
        raise RuntimeError("pdflatex failed on report.tex")

    monkeypatch.setattr(report, "_pdflatex", failing_pdflatex)
    monkeypatch.setattr(report, "_model_section", lambda model, work, quick, agreement: ("## m", r"\section{m}"))
    info = report.build_report(tmp_path / "out", quick=True, models=["bnsl"])
    assert info["pdf"] is False and "pdflatex failed" in info["pdf_error"]
    assert (tmp_path / "out" / "report.md").read_text().startswith("# scalingtheory report")
    assert (tmp_path / "out" / "report.tex").exists()
