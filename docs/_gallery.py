"""The gallery of ``examples/``: each script runs at its quick size and its page shows its text, output,
figures and code.

Each example runs as its users run it, in its own process (``python examples/NAME.py --quick --out DIR``),
so its exit status is checked (a status other than 0 fails the build, with the script's last output) and
its ``raise SystemExit(main())`` ends only that process. sphinx-gallery, which the site used first,
executes examples inside the Sphinx process, where that statement ended the whole build. Examples run two
at a time (the machine's cores); the PNG files each writes into its ``--out`` folder are its figures.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: seconds one example may take at its quick size before the build fails
TIMEOUT = 600


def _run(script: Path, out: Path) -> tuple[str, list[Path]]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, str(script), "--quick", "--out", str(out)], cwd=out, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"gallery: {script.name} --quick exited with status {proc.returncode}:\n"
                           f"{proc.stdout[-2000:]}{proc.stderr[-3000:]}")
    return proc.stdout, sorted(out.rglob("*.png"))


def _page(script: Path, stdout: str, figures: list[str]) -> str:
    doc = ast.get_docstring(ast.parse(script.read_text()))
    title, _, body = doc.partition("\n")
    lines = [title, "=" * len(title), "", body.strip(), "",
             f"Run it: ``python examples/{script.name} --out DIR`` (``--quick`` for the sizes shown here).", ""]
    for fig in figures:
        lines += [f".. image:: {fig}", "   :width: 90%", ""]
    lines += ["Output", "------", "", ".. code-block:: text", ""]
    lines += [f"   {line}" if line.strip() else "" for line in stdout.rstrip().splitlines()] + [""]
    lines += ["Code", "----", "", f".. literalinclude:: ../../examples/{script.name}", "   :language: python", ""]
    return "\n".join(lines)


def build(root: Path, docs: Path, run: bool = True) -> None:
    """Run every ``root/examples/*.py`` and write ``docs/auto_examples/`` (pages, figures, index);
    ``run=False`` (a draft build) writes the pages without running the examples."""
    target = docs / "auto_examples"
    shutil.rmtree(target, ignore_errors=True)
    (target / "images").mkdir(parents=True)
    scripts = sorted((root / "examples").glob("*.py"))
    work = docs / "_build" / "gallery-runs"
    if not run:
        runs = [("(not run in a draft build)", [])] * len(scripts)
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = list(pool.map(lambda s: _run(s, work / s.stem), scripts))
    entries = []
    for script, (stdout, pngs) in zip(scripts, runs):
        names = []
        for png in pngs:
            name = f"{script.stem}__{png.relative_to(work / script.stem).as_posix().replace('/', '__')}"
            shutil.copyfile(png, target / "images" / name)
            names.append(f"images/{name}")
        (target / f"{script.stem}.rst").write_text(_page(script, stdout, names))
        entries.append((script.stem, names[0] if names else None))
    header = (docs / "gallery_header.rst").read_text()
    toc = [".. toctree::", "   :maxdepth: 1", ""] + [f"   {stem}" for stem, _ in entries]
    thumbs = []
    for stem, thumb in entries:
        if thumb:
            thumbs += [f".. image:: {thumb}", "   :width: 30%", f"   :target: {stem}.html", ""]
    (target / "index.rst").write_text("\n".join([header.rstrip(), ""] + thumbs + toc + [""]))
