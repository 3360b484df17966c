"""Every derivation document and every example script runs (examples in --quick mode).

``.ci/run`` builds the documentation site before the tests, and the build runs every derivation (MyST-NB,
executed, a failing cell fails the build) and every example (the gallery, ``--quick``, a nonzero exit fails
the build). Where that build is newer than the script and every file of the package, its page is the
evidence and the script is not run a second time; otherwise (no build, a draft build, a stale one) it runs here.
"""
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
    page = _fresh_page(SITE / "derivations" / f"{path.stem}.html", path)
    if page is not None and 'class="cell_output' in page:      # executed (a draft build has no outputs)
        return
    proc = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_quick(path, tmp_path):
    page = _fresh_page(SITE / "auto_examples" / f"{path.stem}.html", path)
    output = page.split('id="output"')[-1].split('id="code"')[0] if page else ""
    if re.search(r"<pre>(<span></span>)?\s*[^\s<]", output) and "not run in a draft build" not in output:
        return                                  # the gallery ran it and it printed its answer
    proc = subprocess.run([sys.executable, str(path), "--quick", "--out", str(tmp_path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert proc.stdout.strip(), "an example should print its answer"


def _fresh_page(page: Path, script: Path) -> str | None:
    """The built page of ``script`` if the site was built after the last change to it and to the package."""
    if not page.is_file():
        return None
    sources = [script, *(ROOT / "scalingtheory").rglob("*.py")]
    return page.read_text() if page.stat().st_mtime > max(p.stat().st_mtime for p in sources) else None
