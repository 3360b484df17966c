"""The main job: ``scalingtheory report`` writes a self-contained report.

For every available model: its exponent table at the model's table points (exact
entries), its figures (PNG), its theory-vs-numerics agreement checks and any
summary it provides (e.g. the BNSL benchmark). Output: ``report.md``,
``report.tex`` (and ``report.pdf`` where ``pdflatex`` exists), ``tables/`` and
``figures/``. Everything is built in a temporary directory and moved into the
output directory only when complete, so a failed run leaves the user's files as
they were; files other than the report's own are never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tqdm.auto import tqdm

from .. import __version__, safe_io
from ..models import available, get_model
from . import tables

LATEX_PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[margin=1.5cm,landscape]{geometry}
\usepackage{booktabs,graphicx,amsmath,float}
\begin{document}
"""


def _agreement_markdown(rows: list[dict]) -> str:
    lines = ["| quantity | theory | numerics | rel. deviation | note |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['quantity']} | {r['theory']:.6g} | {r['numerics']:.6g} | {r['rel_dev']:.2e} | "
                     f"{r.get('note', '')} |")
    return "\n".join(lines)


def _agreement_latex(rows: list[dict]) -> str:
    esc = tables._tex_escape
    lines = [r"\begin{tabular}{lrrrl}", r"\toprule", r"quantity & theory & numerics & rel.\ dev. & note \\",
             r"\midrule"]
    lines += [f"{esc(r['quantity'])} & {r['theory']:.6g} & {r['numerics']:.6g} & {r['rel_dev']:.2e} & "
              f"{esc(r.get('note', ''))} \\\\" for r in rows]
    lines += [r"\bottomrule", r"\end{tabular}", ""]
    return "\n".join(lines)


def markdown_to_latex(text: str) -> str:
    """LaTeX for the simple Markdown that models' summaries use: headings, tables, paragraphs."""
    esc = tables._tex_escape
    out, rows = [], []

    def flush_table():
        if not rows:
            return
        cells = [[esc(c.strip().strip("*`")) for c in r.strip().strip("|").split("|")] for r in rows
                 if not set(r.replace("|", "").strip()) <= set("-: ")]
        width = max(len(r) for r in cells)
        out.append(r"{\scriptsize\begin{tabular}{" + "l" * width + "}\\toprule")
        out.append(" & ".join(cells[0]) + r" \\ \midrule")
        out.extend(" & ".join(r + [""] * (width - len(r))) + r" \\" for r in cells[1:])
        out.append(r"\bottomrule\end{tabular}}" + "\n")
        rows.clear()

    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            rows.append(line)
            continue
        flush_table()
        if line.startswith("#"):
            out.append(f"\\subsection*{{{esc(line.lstrip('#').strip())}}}")
        elif line.strip():
            out.append(esc(line.strip().lstrip("-* ").replace("`", "")) + "\n")
    flush_table()
    return "\n".join(out)


def agreement_figure(rows: dict, path: Path) -> Path | None:
    """Bar chart of the relative theory-vs-numerics deviation of every check, by model (log scale)."""
    from matplotlib.figure import Figure

    items = [(f"{model}: {r['quantity']}", abs(r["rel_dev"])) for model, rs in rows.items() for r in rs]
    if not items:
        return None
    labels, devs = zip(*items)
    fig = Figure(figsize=(8, 0.3 * len(items) + 1.2))
    ax = fig.subplots()
    ax.barh(range(len(items)), [max(d, 1e-16) for d in devs], color="tab:blue")
    ax.set_yticks(range(len(items)), [label[:70] for label in labels], fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("|theory - numerics| / |theory|")
    ax.set_title("measured agreement of closed forms with numerics")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def _model_section(model, work: Path, quick: bool, agreement: dict) -> tuple[str, str]:
    """Markdown and LaTeX of one model's section; writes its tables and figures into ``work``."""
    results = [model.analyze(**point) for point in model.table_points()]
    for fmt, ext in (("latex", "tex"), ("markdown", "md"), ("csv", "csv")):
        (work / "tables" / f"{model.name}.{ext}").write_text(tables.render(results, fmt))
    md = [f"## {model.name}: {model.title}", "", tables.to_markdown(results), ""]
    tex = [f"\\section{{{tables._tex_escape(model.name)}}}", tables._tex_escape(model.title), "",
           tables.to_latex(results, caption=f"Exponents of {model.name}")]
    notes = sorted({n for r in results for n in r.notes})
    md += [f"- {n}" for n in notes] + ([""] if notes else [])
    if notes:
        tex += [r"\begin{itemize}"] + [f"\\item {tables._tex_escape(n)}" for n in notes] + [r"\end{itemize}"]
    start = time.perf_counter()
    rows = model.agreement(quick=quick)
    agreement[model.name] = rows
    if rows:
        md += ["### Theory vs numerics", "", _agreement_markdown(rows), ""]
        tex += [r"\subsection*{Theory vs numerics}", _agreement_latex(rows)]
    summary = model.summary(quick=quick)
    if summary:
        md += [summary, ""]
        tex.append(markdown_to_latex(summary))
    for path in model.figures(work / "figures", quick=quick):
        rel = Path(path).relative_to(work)
        md += [f"![{rel.stem}]({rel.as_posix()})", ""]
        tex += [r"\begin{figure}[H]\centering", f"\\includegraphics[width=0.6\\linewidth]{{{rel.as_posix()}}}",
                f"\\caption{{{tables._tex_escape(rel.stem)}}}", r"\end{figure}"]
    md.append(f"_numerics and figures: {time.perf_counter() - start:.1f} s_")
    return "\n".join(md), "\n".join(tex)


#: what the report writes into its directory
OUTPUTS = ("report.md", "report.tex", "report.pdf", "tables", "figures")


def build_report(out_dir: str | Path = "scalingtheory-report", quick: bool = False,
                 models: list[str] | None = None, force: bool = False) -> dict:
    """Write the report into ``out_dir`` (created if needed) by the rules of :mod:`scalingtheory.safe_io`:
    a non-empty directory must hold an earlier report (else ``force``), checked before any computation.

    Returns ``{"files": [...], "pdf": bool, "pdf_error": str | None}``; a pdflatex failure
    does not discard the Markdown, LaTeX and figures.
    """
    out_dir = safe_io.check_dir(out_dir, "report", force, reserved=OUTPUTS)
    names = models or available()
    with tempfile.TemporaryDirectory(prefix="scalingtheory-report-") as tmp:
        work = Path(tmp)
        (work / "tables").mkdir()
        (work / "figures").mkdir()
        md = [f"# scalingtheory report (version {__version__})",
              "Exact exponents (SymPy) with numerical checks, generated by `scalingtheory report`."]
        tex = [LATEX_PREAMBLE, f"\\title{{scalingtheory report (version {__version__})}}\\maketitle"]
        agreement = {}
        for name in tqdm(names, desc="report", unit="model"):
            m, t = _model_section(get_model(name), work, quick, agreement)
            md.append(m)
            tex.append(t)
        fig = agreement_figure(agreement, work / "figures" / "agreement.png")
        if fig is not None:
            md.append("## Agreement of closed forms with numerics\n\n![agreement](figures/agreement.png)")
            tex += [r"\section{Agreement of closed forms with numerics}", r"\begin{figure}[H]\centering",
                    r"\includegraphics[width=0.8\linewidth]{figures/agreement.png}", r"\end{figure}"]
        tex.append(r"\end{document}")
        (work / "report.md").write_text("\n\n".join(md) + "\n")
        (work / "report.tex").write_text("\n".join(tex) + "\n")
        try:
            pdf, pdf_error = _pdflatex(work / "report.tex"), None
        except RuntimeError as exc:  # keep the finished Markdown, LaTeX and figures
            pdf, pdf_error = False, str(exc)
        files = safe_io.publish({path.relative_to(work): path for path in sorted(work.rglob("*"))
                                 if path.is_file() and path.suffix in {".md", ".tex", ".pdf", ".png", ".csv"}},
                                out_dir, "report", force)
    return {"files": files, "pdf": pdf, "pdf_error": pdf_error}


def _pdflatex(tex: Path) -> bool:
    """Compile ``tex`` with pdflatex when available; True when a PDF was produced."""
    exe = shutil.which("pdflatex")
    if exe is None:
        return False
    for _ in range(2):
        proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", tex.name],
                              cwd=tex.parent, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            log = proc.stdout[-2000:]
            raise RuntimeError(f"pdflatex failed on {tex.name}:\n{log}")
    return tex.with_suffix(".pdf").exists()


__all__ = ["build_report"]
