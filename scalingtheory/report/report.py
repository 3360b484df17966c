"""The main job: ``scalingtheory report`` writes a self-contained report.

For every available model, as a paper appendix (:mod:`.sections`): a table per regime at the
model's table points with the notes beside their rows, the theory-vs-numerics agreement with each
check's tolerance and verdict, the model's findings and extra tables, its figures (drawn by
:mod:`scalingtheory.plots`); long exact forms in a closing appendix. Output: ``report.md``,
``report.tex`` (and ``report.pdf`` where ``pdflatex`` exists), ``checks.json`` (every agreement
row, strict JSON: :meth:`~scalingtheory.models.engine.AgreementRow.to_json`; the tables are rendered from the same rows), ``tables/`` and
``figures/``. Everything is built in a temporary directory and moved into the
output directory only when complete, so a failed run leaves the user's files as
they were; files other than the report's own are never touched.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tqdm.auto import tqdm

from .. import safe_io
from .._version import __version__
from ..display import math_text, tex_escape
from ..models import available, get_model
from . import sections, tables
from .sections import Appendix

LATEX_PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[margin=1.5cm,landscape]{geometry}
\usepackage{booktabs,graphicx,amsmath,float,array}
\usepackage[export]{adjustbox}
\newsavebox{\widebox}
\newcommand{\fitwidth}[1]{\sbox{\widebox}{#1}\ifdim\wd\widebox>\linewidth
  \resizebox{\linewidth}{!}{\usebox{\widebox}}\else\usebox{\widebox}\fi}
\begin{document}
"""


def _figure_size() -> str:
    """``\\includegraphics`` options: :data:`scalingtheory.figure_style.INCLUDE_SIZE`."""
    from ..figure_style import INCLUDE_SIZE

    return INCLUDE_SIZE


#: figures at their own size, at most the text block less room for the caption
FIGURE_SIZE = _figure_size()


def _figure_caption(path: Path) -> str:
    from ..plots import caption

    stem = Path(path).stem
    return agreement_caption(stem.removeprefix("agreement_")) if stem.startswith("agreement_") else caption(path)


def _model_numerics(name: str, work: Path, quick: bool) -> tuple:
    """A model's checks, findings, extra tables and figures (in a worker process: only plain values
    -- floats, strings, paths -- come back, so nothing SymPy prints is re-built by pickling).

    The figures and the checks of one model run in the same process, so a run they share (e.g. the
    sparse-parity emergence experiment, cached per process) is computed once. The quick report draws the
    figures of its measurements only (:data:`QUICK_FIGURES`)."""
    from ..plots import write_figures

    model = get_model(name)
    rows = [row.but(model=name, size="quick" if quick else "full") for row in model.agreement(quick=quick)]
    chart = _agreement_chart({name: rows}, work / "figures" / f"agreement_{name}.png")   # under the table
    findings = model.findings()
    extra = sections.extra_tables(model, quick)
    figures = [chart] if chart is not None else []
    figures += write_figures(model, work / "figures", quick, theory=not quick)
    return rows, findings, extra, [Path(p).relative_to(work) for p in figures]


#: what the quick report says of the figures it leaves to the default report (:func:`scalingtheory.plots.write_figures`)
QUICK_FIGURES = ("This quick report draws the figures of its measurements; the figures of the closed forms alone "
                 "(phase diagrams, exponent maps, exact loss sums, the BNSL decomposition), which no check measures, "
                 "are in the default report (`scalingtheory report`).")


def _model_section(model, work: Path, numerics: tuple, agreement: dict, book: Appendix,
                   results: list | None = None) -> tuple[str, str]:
    """Markdown and LaTeX of one model's section; writes its tables (``numerics``: :func:`_model_numerics`);
    the exact results of its tables are appended to ``results`` (the glossary defines their columns)."""
    tabled = [model.analyze(**point) for point in model.table_points()]
    if results is not None:
        results += tabled
    results = tabled
    for fmt, ext in (("latex", "tex"), ("markdown", "md"), ("csv", "csv")):
        (work / "tables" / f"{model.name}.{ext}").write_text(tables.render(results, fmt))
    params_md, params_tex = sections.parameter_line(model)
    md = [f"## {model.name}: {model.title}", "", f"Parameters: {params_md}.", ""]
    tex = [f"\\section{{{tex_escape(model.name)}}}", tex_escape(model.title) + f". Parameters: {params_tex}.", ""]
    reg_md, reg_tex = sections.regime_tables(model, results, book)
    md += reg_md
    tex += reg_tex
    rows, findings, (x_md, x_tex), figures = numerics
    agreement[model.name] = rows
    if rows:
        a_md, a_tex = sections.agreement_tables(rows)
        md += ["### Theory vs numerics", "", a_md, ""]
        tex += [r"\subsection*{Theory vs numerics}", a_tex]
    for text in findings:
        md += [math_text(text, "markdown"), ""]
        tex += [math_text(text), ""]
    md += x_md
    tex += x_tex
    for rel in figures:
        caption = _figure_caption(rel)
        md += [f"![figure {rel.stem}]({rel.as_posix()})", "", f"*{math_text(caption, 'markdown')}*", ""]  # caption below
        tex += [r"\begin{figure}[H]\centering",
                f"\\includegraphics[{FIGURE_SIZE}]{{{rel.as_posix()}}}",
                f"\\caption{{{math_text(caption)}}}", r"\end{figure}"]
    return "\n".join(md), "\n".join(tex)


def _opening(md: list, tex: list, agreement: dict, results: list) -> None:
    """Put the summary of the checks and the glossary after the title (the report's first page)."""
    from .summary import glossary, summary

    s_md, s_tex = summary(agreement)
    g_md, g_tex = glossary(results, md)
    md[2:2] = [s_md, g_md]
    tex[2:2] = [s_tex, g_tex, r"\clearpage"]


def _timed(fn, *args) -> tuple:
    """``(CPU seconds, fn(*args))``: what a section costs in the process it runs in, with the
    processes it starts itself (the Revisiting table's own pool in the default report)."""
    start = time.process_time() + _children_cpu()
    out = fn(*args)
    return time.process_time() + _children_cpu() - start, out


#: what sets the thread count of a BLAS or OpenMP library when it is loaded
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _start_worker(threads: int) -> None:
    """A worker leaves Ctrl-C to the parent, which stops it (no traceback from an idle worker), and
    runs BLAS and OpenMP on ``threads`` threads: two workers each with a thread per core oversubscribe
    the cores, and an idle OpenBLAS thread busy-waits (without a limit the quick report took 42-48 s
    CPU instead of ~37 s). The libraries loaded already are limited through threadpoolctl, those loaded
    later (SciPy's own OpenBLAS, scikit-learn's OpenMP) through the variables they read when loaded."""
    import os
    import signal

    from threadpoolctl import threadpool_limits

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.update(dict.fromkeys(THREAD_VARIABLES, str(threads)))
    threadpool_limits(limits=threads)
    safe_io.exit_with_parent()          # a SIGKILLed report left its workers computing for over a minute


class _Serial:
    """The executor interface run in this process (one worker, or no ``fork``-safe pool wanted)."""

    def submit(self, fn, *args):
        from concurrent.futures import Future

        future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def _executor(workers: int):
    """A process pool of ``workers`` (the report's sections are independent), else :class:`_Serial`."""
    if workers <= 1:
        return _Serial()
    import os
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                               initargs=(max(1, (os.cpu_count() or 1) // workers),))


def _result(job):
    """``job.result()``, waited for in short slices: a signal reaches this (main) thread only between
    them, so Ctrl-C stops the report at once (a plain ``result()`` defers it until the job ends)."""
    from concurrent.futures import TimeoutError as Pending

    while True:
        try:
            return job.result(timeout=0.2)
        except Pending:
            pass


def _stop(pool, workers: set) -> None:
    """Stop the pool now (interrupt or failure): queued sections cancelled, its ``workers`` terminated."""
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        proc.terminate()


def _agreement_chart(agreement: dict, path: Path) -> Path | None:
    """The chart of ``agreement`` (``{model: rows}``) at print size (:func:`scalingtheory.plots.agreement.chart_size`)."""
    from .. import figure_style as style
    from ..plots.agreement import agreement_chart, chart_size

    width, height = chart_size(sum(len(rows) for rows in agreement.values()))
    fig, ax = style.figure(width=width, height=height)
    return style.save(fig, path) if agreement_chart(ax, agreement) else None


def agreement_caption(model: str) -> str:
    """The caption of a model's agreement chart."""
    return (f"Agreement of {model}'s closed forms with numerics: relative deviation of every check of the table "
            "above (bars: within tolerance blue, beyond vermillion, not resolved at this size grey) and its "
            "tolerance (black tick).")


#: what the report writes into its directory
OUTPUTS = ("report.md", "report.tex", "report.pdf", "checks.json", "tables", "figures")


#: worker processes of the report: its model sections (and "theory meets data") are independent;
#: two keep a 2-core machine busy
WORKERS = 2
#: the section after the models' (:func:`scalingtheory.spectrum.compare.report_section`)
DATA = "theory meets data"
#: the sections in the order their numerics start, each taken by the first free worker, chosen so that
#: the two workers end together and the sections this process assembles first (reading order: bnsl,
#: feature_learning, ...) are done before the last one: it assembles them (1.8 s, 0.9 of it
#: sparse_parity's) while "theory meets data" still runs. Quick CPU seconds (issue 16, 13:40 UTC, idle):
#: sparse_parity 7.0 then bnsl 3.4 on one worker, random_features 5.4, feature_learning 4.6, theory meets
#: data 1.9 (1.5 after bnsl: scipy.stats imported) on the other; sections done 13.0 s after the start
#: (14.1 s: bnsl second on the other worker, feature_learning last at 12.8 s). A section not listed
#: starts last.
START_ORDER = ("sparse_parity", "random_features", "feature_learning", "bnsl", DATA)


def start_order(names) -> list:
    """``names`` in :data:`START_ORDER` (others after, as given)."""
    return sorted(names, key=lambda n: START_ORDER.index(n) if n in START_ORDER else len(START_ORDER))


def _sections(names, with_data: bool, work: Path, quick: bool, workers: int, md: list, tex: list, agreement: dict,
              book: Appendix, cpu: dict, results: list | None = None) -> None:
    """Append every model's section (and, with ``with_data``, "theory meets data") to ``md`` and ``tex``;
    ``cpu[name]`` is the CPU seconds of the section's numerics (in its worker).

    The numerics of the sections (:func:`_model_numerics`) run in ``workers`` processes, the longest
    first (:data:`START_ORDER`); this process meanwhile derives the exact tables and assembles the
    sections in the order of ``names`` (appendix entries are numbered here, in reading order)."""
    import multiprocessing

    import matplotlib.backends.backend_agg  # noqa: F401  (the workers draw every figure, agreement charts
    import matplotlib.figure  # noqa: F401                  included; forked, they inherit the import: 0.4 s CPU each)

    before = set(multiprocessing.active_children())
    pool = _executor(min(workers, len(names) + with_data))
    try:
        jobs = {}
        for name in start_order([*names, DATA] if with_data else names):
            if name == DATA:  # the whole report: theory meets data (scalingtheory.spectrum.compare)
                from ..spectrum.compare import report_section
                jobs[name] = pool.submit(_timed, report_section, work / "figures", quick)
            else:
                jobs[name] = pool.submit(_timed, _model_numerics, name, work, quick)
        for name in tqdm(names, desc="report", unit="model", disable=not safe_io.interactive()):
            cpu[name], numerics = _result(jobs[name])
            m, t = _model_section(get_model(name), work, numerics, agreement, book, results)
            md.append(m)
            tex.append(t)
        if with_data:
            cpu[DATA], sec = _result(jobs[DATA])
            md.append(sec["markdown"])
            tex.append(sec["latex"])
    except BaseException:
        _stop(pool, set(multiprocessing.active_children()) - before)
        raise
    pool.shutdown()


def build_report(out_dir: str | Path = "scalingtheory-report", quick: bool = False,
                 models: list[str] | None = None, force: bool = False, workers: int | None = None) -> dict:
    """Write the report into ``out_dir`` (created if needed) by the rules of :mod:`scalingtheory.safe_io`:
    a non-empty directory must hold an earlier report (else ``force``), checked before any computation.
    ``workers`` processes compute the sections (default :data:`WORKERS`; 1: all in this process).

    Returns ``{"files": [...], "pdf": bool, "pdf_error": str | None, "overfull_pt": [how far each line the PDF
    sets too wide runs past the margin, points], "cpu": {"sections": {name: s},
    "alongside": s, "pdflatex": s, "main": s}}`` (CPU seconds of each section's numerics, of this
    process while they ran, of pdflatex, of this process in all); a pdflatex failure does not
    discard the Markdown, LaTeX and figures.
    """
    start = time.process_time()
    out_dir = safe_io.check_dir(out_dir, "report", force, reserved=OUTPUTS)
    names = models or available()
    with tempfile.TemporaryDirectory(prefix="scalingtheory-report-") as tmp:
        work = Path(tmp)
        (work / "tables").mkdir()
        (work / "figures").mkdir()
        md = [f"# scalingtheory report (version {__version__})",
              "Exact exponents (SymPy) with numerical checks, generated by `scalingtheory report`."
              + (" " + QUICK_FIGURES if quick else "")]
        tex = [LATEX_PREAMBLE, f"\\title{{scalingtheory report (version {__version__})}}\\maketitle"
               + (f"\n{math_text(QUICK_FIGURES)}" if quick else "")]
        agreement, book, cpu = {}, Appendix(), {"sections": {}, "alongside": time.process_time()}
        results: list = []
        _sections(names, models is None, work, quick, WORKERS if workers is None else workers, md, tex, agreement, book,
                  cpu["sections"], results)
        _opening(md, tex, agreement, results)
        cpu["alongside"] = time.process_time() - cpu["alongside"]
        if book.entries:
            md += ["## Appendix: exact forms", book.markdown()]
            tex += [r"\appendix", r"\section{Exact forms}", book.latex()]
        tex.append(r"\end{document}")
        (work / "report.md").write_text("\n\n".join(md) + "\n")
        (work / "checks.json").write_text(checks_json(agreement))
        (work / "report.tex").write_text("\n".join(tex) + "\n")
        compiled = _children_cpu()
        try:
            pdf, pdf_error = _pdflatex(work / "report.tex"), None
        except RuntimeError as exc:  # keep the finished Markdown, LaTeX and figures
            pdf, pdf_error = False, str(exc)
        cpu["pdflatex"] = _children_cpu() - compiled
        log = work / "report.log"
        overfull = re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)[^\n]*", log.read_text(errors="replace")) \
            if pdf and log.exists() else []
        files = safe_io.publish({path.relative_to(work): path for path in sorted(work.rglob("*"))
                                 if path.is_file() and path.suffix in {".md", ".tex", ".pdf", ".png", ".csv", ".json"}},
                                out_dir, "report", force)
    return {"files": files, "pdf": pdf, "pdf_error": pdf_error, "overfull_pt": [float(w) for w in overfull],
            "cpu": {**cpu, "main": time.process_time() - start}}


def checks_json(agreement: dict) -> str:
    """``checks.json``: every agreement row of every model (``{model: [AgreementRow]}``) as one strict-JSON
    list (:meth:`~scalingtheory.models.engine.AgreementRow.to_json`), the same rows the Markdown and LaTeX agreement tables show."""
    import json

    return json.dumps([row.to_json() for rows in agreement.values() for row in rows], indent=1,
                      allow_nan=False) + "\n"


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (0 where :mod:`resource` is missing: Windows)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pdflatex(tex: Path) -> bool:
    """Compile ``tex`` with pdflatex when available; True when a PDF was produced. A second pass
    runs only when LaTeX asks for it ("Rerun ...": cross-references); each pass is ~1.2 s CPU."""
    exe = shutil.which("pdflatex")
    if exe is None:
        return False
    for _ in range(2):
        proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", tex.name],
                              cwd=tex.parent, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            log = proc.stdout[-2000:]
            raise RuntimeError(f"pdflatex failed on {tex.name}:\n{log}")
        if "Rerun" not in proc.stdout:
            break
    return tex.with_suffix(".pdf").exists()


__all__ = ["build_report", "checks_json"]
