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
import pytest
import sympy as sp

from scalingtheory.cli import _command_names

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "scipy", "matplotlib", "pandas", "dask", "pyarrow", "sklearn", "numpy")


def loaded_by_cli(*args: str, after: str = "") -> set[str]:
    """Heavy top-level modules left in ``sys.modules`` by ``scalingtheory <args>`` (stdout discarded;
    ``--help`` ends in ``SystemExit(0)``), plus the words printed by the code ``after``, run next."""
    probe = ("import contextlib, io, sys\nfrom scalingtheory.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             f"    try:\n        status = main({list(args)!r})\n    except SystemExit as exc:\n        status = exc.code\n"
             f"print(status, *(m for m in {HEAVY!r} if m in sys.modules))\n{after}")
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    status, *mods = proc.stdout.split()
    assert status == "0", proc.stderr
    return set(mods)


@pytest.mark.parametrize("command", _command_names())
def test_help_of_every_command_loads_no_heavy_library(command):
    """``scalingtheory COMMAND --help`` builds that command's parser only: its choices (table formats,
    kernels, data sets, fit forms) come from modules that import SymPy, NumPy and SciPy where they are used."""
    assert loaded_by_cli(command, "--help") == set()


@pytest.mark.parametrize("args", [["models"], ["query", "--model", "sparse_parity", "--list"]])
def test_sparse_parity_builds_its_time_prefactor_on_first_use(args):
    """Importing the model does not build A_T (Eq. 321): SymPy's ``polylog`` simplifies ``1 - S/r``, which
    imports ``sympy.physics.units`` (~0.2 s). Commands that show no prefactor never build it."""
    after = ("from scalingtheory.models import sparse_parity as m\n"
             "print('built' if m.prefactor_T.cache_info().currsize else 'lazy', 'sympy.physics.units' in sys.modules)")
    heavy = loaded_by_cli(*args, after=after)
    assert "sympy" in heavy and {"lazy", "False"} <= heavy and "built" not in heavy
    assert heavy & {"scipy", "matplotlib", "pandas", "dask", "pyarrow", "sklearn"} == set()


def test_sparse_parity_time_prefactor_is_built_where_it_is_shown():
    from scalingtheory.models import sparse_parity as m

    res = m.MODEL.analyze(alpha="0.6")
    assert res["prefactors.t"].expr == m.prefactor_T().subs({m.alpha: sp.Rational(3, 5), m.S: 1,
                                                             m.r: sp.Rational(1, 100), m.eta: 1})
    assert m.prefactor_T() is m.prefactor_T()


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


def test_no_module_imports_a_heavy_numerical_library_at_import_time():
    """Every module of the package imports SciPy, matplotlib, pandas, scikit-learn, Dask and pyarrow inside the
    functions that use them, so importing any module (e.g. ``scalingtheory.fitting.profile``) loads none of
    them. One interpreter imports the modules in turn and names the first that loads one (varpro,
    parity_network and mean_field imported SciPy at the top). ``sweep.plugin`` subclasses Dask's WorkerPlugin and is
    imported only where a sweep starts its cluster."""
    import pkgutil

    import scalingtheory

    modules = [m.name for m in pkgutil.walk_packages(scalingtheory.__path__, "scalingtheory.")
               if not m.name.rsplit(".", 1)[-1].startswith("__") and m.name != "scalingtheory.sweep.plugin"]
    lazy = [m for m in HEAVY if m not in ("sympy", "numpy")]
    probe = ("import importlib, sys\n"
             f"for name in {modules!r}:\n"
             "    importlib.import_module(name)\n"
             f"    loaded = [m for m in {lazy!r} if m in sys.modules]\n"
             "    if loaded:\n"
             "        print(name, *loaded)\n"
             "        break\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(modules) > 50 and proc.stdout == "", proc.stdout
