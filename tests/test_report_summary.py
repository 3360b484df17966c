"""The report opens with its verdicts and defines its symbols; every figure has a caption and prints its
text at 7 pt or more; no line of the PDF runs past the margin (issue 26.5)."""

import json
import re
import shutil

import pytest
from PIL import Image

from scalingtheory import figure_style as style
from scalingtheory.report import report


def _check_report(out, info):
    md = (out / "report.md").read_text()
    rows = json.loads((out / "checks.json").read_text())
    counts = {v: sum(r["verdict"] == v for r in rows) for v in ("within", "beyond", "not resolved")}
    top = md.split("\n## ", 3)
    assert top[1].startswith("Summary") and top[2].startswith("Glossary")            # before any model section
    assert (f"{len(rows)} checks of" in top[1] and f"**{counts['within']} within**" in top[1]
            and f"**{counts['beyond']} beyond**" in top[1] and "measured at quick size" in top[1])
    for r in rows:
        if r["verdict"] != "within":
            assert f"{r['model']}, " in top[1] and r["reason"].split(":")[0] in top[1]
    images = re.findall(r"!\[(figure [\w.-]+)\]\((figures/[^)]+)\)\n\n\*([^\n]+)\*", md)
    assert len(images) == len(list((out / "figures").glob("*.png"))) and all(c for c, _, _ in images)
    for _, path, _ in images:
        with Image.open(out / path) as image:
            assert float(image.text[style.PRINT_KEY]) >= style.MIN_PRINT_PT, path
    tex = (out / "report.tex").read_text()
    assert tex.index(r"\section*{Summary}") < tex.index(r"\section*{Glossary}") < tex.index(r"\section{")
    assert tex.count(r"\includegraphics") == tex.count(r"\caption{") - tex.count(r"\begin{table}")
    if shutil.which("pdflatex"):
        assert info["pdf"] and info["overfull_pt"] == [], info["overfull_pt"]
    return md


def test_bnsl_report_opens_with_summary_and_glossary(tmp_path):
    """BNSL alone (quick): summary and glossary first, fitted decimals as typed, math in the table cells."""
    info = report.build_report(tmp_path / "out", quick=True, models=["bnsl"], workers=1)
    md = _check_report(tmp_path / "out", info)
    assert "$a=0.4139$" in md and "4139/10000" not in md.split("## Appendix")[0]
    assert "| $r_{x}$ | $r_{x_{\\mathrm{small}}}$ |" in md and "| $r_{x_{\\mathrm{small}}}$ | small-x decay rate" in md
    assert "RMSLE (wins)" in md and "% of 1)" in md and "tolerance of the check" not in md
    # quick: the figures of its measurements; the closed form's decomposition is the default report's, and it says so
    assert report.QUICK_FIGURES in md and "bnsl_4digit_addition_fit" in md and "bnsl_figure1_decomposition" not in md


@pytest.mark.slow
def test_quick_report_summary_figures_and_margins(tmp_path):
    info = report.build_report(tmp_path / "out", quick=True)
    md = _check_report(tmp_path / "out", info)
    for symbol in ("$G_{t}$", "$A_{C}$", "$A_{N\\,t}$", "$r_{x_{\\mathrm{small}}}$", "Eq. (41) margin"):
        assert f"| {symbol} |" in md, symbol
