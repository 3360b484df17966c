"""Every derivation document and every example script runs (examples in --quick mode).

``.ci/run`` builds the documentation site before the tests, and the build runs every derivation (MyST-NB,
executed, a failing cell fails the build) and every example (the gallery, ``--quick``, a nonzero exit fails
the build). Where that build's run of the script started after the last change to the script and to every
file of the package (data included), its page is the evidence and the script is not run a second time;
otherwise (no build, a draft build, a stale one, a source edited while the build ran) it runs here. The
start of a run: the notebook the build writes from a derivation before executing it, the folder the gallery
makes for an example before running it (a page is written at the end of the build, minutes later).
"""
import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "_build" / "html"
DERIVATIONS = sorted((ROOT / "derivations").glob("*.py"))
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_every_model_has_a_derivation():
    from scalingtheory.models import available
    assert {p.stem for p in DERIVATIONS} >= set(available())


@pytest.mark.parametrize("path", DERIVATIONS, ids=lambda p: p.stem)
def test_derivation_runs(path, tmp_path):
    page = _fresh_page(SITE / "derivations" / f"{path.stem}.html", ROOT / "docs" / "derivations" / f"{path.stem}.ipynb",
                       _sources(path))
    if page is not None and 'class="cell_output' in page:      # executed (a draft build has no outputs)
        return
    proc = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_quick(path, tmp_path):
    page = _fresh_page(SITE / "auto_examples" / f"{path.stem}.html", SITE.parent / "gallery-runs" / path.stem,
                       _sources(path))
    output = page.split('id="output"')[-1].split('id="code"')[0] if page else ""
    if re.search(r"<pre>(<span></span>)?\s*[^\s<]", output) and "not run in a draft build" not in output:
        return                                  # the gallery ran it and it printed its answer
    proc = subprocess.run([sys.executable, str(path), "--quick", "--out", str(tmp_path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert proc.stdout.strip(), "an example should print its answer"


def _sources(script: Path) -> list[Path]:
    """What a run of ``script`` reads: the script and every file of the package (its data too)."""
    return [script, *_package_files()]


@functools.cache
def _package_files() -> tuple[Path, ...]:
    """The package's files, listed once per session, not the bytecode that the tests' own imports write."""
    return tuple(p for p in (ROOT / "scalingtheory").rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _fresh_page(page: Path, started: Path, sources: list[Path]) -> str | None:
    """The built ``page`` if its run (whose start ``started``'s time marks) began after the last change to
    ``sources``, else None."""
    if not (page.is_file() and started.exists()):
        return None
    newest = max(p.stat().st_mtime for p in sources)
    return page.read_text() if min(page.stat().st_mtime, started.stat().st_mtime) > newest else None


def test_a_page_counts_only_if_its_run_started_after_the_last_change(tmp_path):
    """Stale (a source newer than the run's start, though the page was written after it), no start mark, a
    data file of the package: the script runs again."""
    import os

    page, started, script, data = (tmp_path / n for n in ("p.html", "p.ipynb", "s.py", "d.csv"))
    for f, when in ((script, 100), (data, 100), (started, 200), (page, 300)):
        f.write_text("x")
        os.utime(f, (when, when))
    assert _fresh_page(page, started, [script, data]) == "x"
    os.utime(data, (250, 250))                                    # edited while the build ran
    assert _fresh_page(page, started, [script, data]) is None
    assert _fresh_page(page, tmp_path / "none", [script]) is None
    assert any(p.suffix == ".gz" for p in _sources(script))       # the packaged data set is a source
