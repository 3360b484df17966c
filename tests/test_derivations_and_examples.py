"""Every derivation document and every example script runs (examples in --quick mode)."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DERIVATIONS = sorted((ROOT / "derivations").glob("*.py"))
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_every_model_has_a_derivation():
    from scalingtheory.models import available
    assert {p.stem for p in DERIVATIONS} >= set(available())


@pytest.mark.parametrize("path", DERIVATIONS, ids=lambda p: p.stem)
def test_derivation_runs(path, tmp_path):
    proc = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_quick(path, tmp_path):
    proc = subprocess.run([sys.executable, str(path), "--quick", "--out", str(tmp_path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert proc.stdout.strip(), "an example should print its answer"
