"""A command imports only what it uses (issue 16, item 1); see also tests/test_hardening.py.

Each probe runs the command in a fresh interpreter and lists the heavy libraries it left in
``sys.modules``. Timings are not tested here: ``benchmarks/bench_startup.py`` measures them.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "scipy", "matplotlib", "pandas", "dask", "pyarrow", "sklearn", "numpy")


def loaded_by_cli(*args: str) -> set[str]:
    """Heavy top-level modules left in ``sys.modules`` by ``scalingtheory <args>`` (stdout discarded)."""
    probe = ("import contextlib, io, sys\nfrom scalingtheory.cli import main\n"
             f"with contextlib.redirect_stdout(io.StringIO()):\n    status = main({list(args)!r})\n"
             f"print(status, *(m for m in {HEAVY!r} if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    status, *mods = proc.stdout.split()
    assert status == "0", proc.stderr
    return set(mods)


def test_one_resource_fit_loads_no_sympy_or_plotting(tmp_path):
    """``fit`` of a CSV uses NumPy and SciPy's least squares; reading the columns must not pull in
    the multi-resource ``fit_law`` package (SymPy) through ``scalingtheory.fitting.data``."""
    x = np.logspace(1, 4, 30)
    y = 0.2 + 5 * x**-0.5 * (1 + (x / 300) ** 2) ** -0.25
    path = tmp_path / "curve.csv"
    path.write_text("x,y\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(x, y)))
    heavy = loaded_by_cli("fit", str(path), "--x", "x", "--y", "y", "--json")
    assert {"numpy", "scipy"} <= heavy
    assert heavy & {"sympy", "matplotlib", "pandas", "dask", "pyarrow", "sklearn"} == set()


def test_fit_law_is_still_reached_through_the_package():
    from scalingtheory import fitting
    from scalingtheory.fitting import law

    assert fitting.fit_law is law.fit_law and fitting.FittedLaw is law.FittedLaw
