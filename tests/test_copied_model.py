"""A model is one module (issue 27, item 1): ``models/random_features.py`` copied under a new name
(with its derivation), plus the documented golden command, is a new model in every command and passes
the contract tests -- with no other edit. Done in a copy of the package in a temporary folder."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEW = "rfclone"
#: the contract tests a new model must pass (``-k NEW`` picks its cases)
CONTRACT = ("tests/test_model_contract.py", "tests/test_golden.py", "tests/test_query.py")


def _python(tree: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "SCALINGTHEORY_CACHE_DIR": "off"}
    return subprocess.run([sys.executable, *args], cwd=tree, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """The package, its tests and derivations, with ``models/NEW.py`` a byte copy of random_features."""
    tree = tmp_path_factory.mktemp("copied_model")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("scalingtheory", "tests", "derivations"):
        shutil.copytree(ROOT / folder, tree / folder, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tree)
    shutil.copy(ROOT / "scalingtheory/models/random_features.py", tree / f"scalingtheory/models/{NEW}.py")
    shutil.copy(ROOT / "derivations/random_features.py", tree / f"derivations/{NEW}.py")
    (tree / "figures").mkdir()
    done = _python(tree, "-m", "scalingtheory.golden", "--write")
    assert done.returncode == 0 and f"{NEW}.json" in done.stdout, done.stderr
    return tree


def test_the_copy_answers_in_every_command(tree):
    listing = _python(tree, "-m", "scalingtheory", "models")
    assert listing.returncode == 0 and f"{NEW}:" in listing.stdout
    exponent = _python(tree, "-m", "scalingtheory", "exponent", "--model", NEW, "--alpha", "2", "--beta", "3/2",
                       "--json")
    assert exponent.returncode == 0 and json.loads(exponent.stdout)["model"] == NEW
    exprs = lambda path: [{k: q["expr"] for k, q in c["json"]["exponents"].items()}  # noqa: E731
                          for c in json.loads(path.read_text())]
    assert exprs(tree / f"tests/golden/{NEW}.json") == exprs(ROOT / "tests/golden/random_features.json")
    for argv, status in ((["verify", "--model", NEW, "--quantity", "compute_optimal.loss", "--alpha", "2",
                           "--beta", "3/2", "1/2"], (0, 1)),
                         (["query", "--model", NEW, "budget", "--C", "1e12", "--alpha", "2", "--beta", "3/2"], (0,)),
                         (["table", "--model", NEW], (0,)),
                         (["plot", "--model", NEW, "--out", "figures", "--quick"], (0,)),
                         (["exponent", "--model", NEW, "--beta", "-1"], (2,))):
        done = _python(tree, "-m", "scalingtheory", *argv)
        assert done.returncode in status and "Traceback" not in done.stderr, (argv, done.stdout, done.stderr)


@pytest.mark.slow
def test_the_copy_passes_the_contract_tests(tree):
    every_model = "cover_every_model or has_a_derivation or questions_listed_in_plain_text"
    done = _python(tree, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                   "-k", f"{NEW} or {every_model}", *CONTRACT, "tests/test_derivations_and_examples.py", timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
