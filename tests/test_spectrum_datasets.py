"""The packaged handwritten digits: the file is the documented one, its arrays are scikit-learn's,
and nothing on the digits route needs scikit-learn."""
import fnmatch
import hashlib
import importlib.util
import re
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from scalingtheory.datasets import DIGITS_ATTRIBUTION, digits
from scalingtheory.datasets.digits import DIGITS_FILE
from scalingtheory.spectrum.datasets import load

ROOT = Path(__file__).resolve().parents[1]
#: Class distribution of the test set, "Class Labels" on https://archive.ics.uci.edu/dataset/80
UCI_TEST_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_match_the_uci_description_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)   # any import of scikit-learn fails
    X, Y, info = load("digits")
    assert X.shape == (1797, 64) and X.dtype == np.float64 and info == {"name": "digits", "classes": 10}
    assert np.all(X == np.round(X)) and X.min() == 0 and X.max() == 16          # counts of on pixels in 4x4 blocks
    assert Y.shape == (1797, 10) and np.all(Y.sum(axis=1) == 1)
    assert Y.sum(axis=0).astype(int).tolist() == UCI_TEST_COUNTS


def test_file_is_the_documented_one_and_ships_with_the_package():
    readme = (DIGITS_FILE.parent / "README.md").read_text()
    digest = hashlib.sha256(DIGITS_FILE.read_bytes()).hexdigest()
    assert re.search(rf"{DIGITS_FILE.name} \| {digest}", readme)
    for text in (readme, (ROOT / "README.md").read_text(), DIGITS_ATTRIBUTION):
        assert "Alpaydin" in text and "archive.ics.uci.edu/dataset/80" in text and "CC BY 4.0" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "Alpaydin" in project["project"]["license"]["text"]
    patterns = project["tool"]["setuptools"]["package-data"]["scalingtheory.datasets"]
    data = DIGITS_FILE.parent
    for path in data.iterdir():   # every file of the data folder is package data (`pip install .` ships it)
        assert any(fnmatch.fnmatch(f"data/{path.name}", p) for p in patterns), path.name


def test_packaged_arrays_equal_scikit_learns_and_the_build_script_reproduces_the_file(tmp_path):
    sk_datasets = pytest.importorskip("sklearn.datasets")
    X, y = digits()
    X_sk, y_sk = sk_datasets.load_digits(return_X_y=True)
    assert X.dtype == X_sk.dtype and X.shape == X_sk.shape and np.array_equal(X, X_sk)
    assert y.dtype.kind == y_sk.dtype.kind == "i" and np.array_equal(y, y_sk)
    spec = importlib.util.spec_from_file_location("build_digits_data", ROOT / "benchmarks" / "build_digits_data.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.OUT == DIGITS_FILE
    assert script.build(tmp_path / "digits.csv.gz").read_bytes() == DIGITS_FILE.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["digits.csv.gz"]
