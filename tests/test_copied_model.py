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


def test_a_coefficient_is_chosen_by_the_regimes_conditions_not_its_name():
    """The engine hands a coefficient its model's own Regime; random_features places it by its interval of
    beta, so a model reusing these terms with other regime names gets the right branch, and a name that is
    not one of random_features' regimes is refused (it used to fall silently into the easy branch)."""
    import sympy as sp

    from scalingtheory.models import random_features as rf
    from scalingtheory.results import Regime
    from scalingtheory.symbols import beta

    half = sp.Rational(1, 2)
    outside_rkhs = Regime("rough-target", {beta: sp.Interval.Lopen(0, 1)})
    assert rf.prefactor_width(2, half, outside_rkhs) == rf.prefactor_width(2, half, "hard")
    assert rf.prefactor_width(2, half, "hard") != rf.prefactor_width(2, half, "easy")
    with pytest.raises(ValueError, match="unknown regime 'rough-target'"):
        rf.prefactor_width(2, half, "rough-target")
    model = rf.MODEL
    p = model.validate(alpha=2, beta=3)
    seen = []
    term = model.terms[3].but(coefficient=lambda q, regime: seen.append(regime) or 1)
    assert term.coefficient_at(p, model.regime(p)) == 1 and seen == [model.regime(p)]
