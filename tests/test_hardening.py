"""Hostile input ends fast with a documented status; nothing outside the named place changes.

Every reproducer of issue 11 runs here as a CLI subprocess with a timeout; each asserts the
exit status of ``scalingtheory.cli.EXIT_CODES``, a one-line message and no traceback.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scalingtheory.cli import EXIT_CODES, exit_code_table, exit_status

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "scipy", "matplotlib", "pandas", "dask", "pyarrow", "sklearn", "numpy", "mpmath")


def cli(*args, timeout=60, cwd=None):
    """Run the CLI in a subprocess; the timeout is the bound the issue sets for a hostile input."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "scalingtheory", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)


def assert_clean(proc, status):
    assert proc.returncode == status, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    if status in (2, 3, 130):
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def loaded(code: str) -> set[str]:
    """Heavy top-level modules imported by running ``code`` in a fresh interpreter."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    probe = f"{code}\nimport sys\nprint('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.splitlines()[-1].split()[1:])


# ---------------------------------------------------------------- exit statuses, one table

def test_exit_code_table_is_in_help_and_readme():
    assert sorted(EXIT_CODES) == [0, 1, 2, 3, 130]
    proc = cli("--help")
    assert_clean(proc, 0)
    assert exit_code_table() in proc.stdout
    for command in ("verify", "fit", "report"):
        assert exit_code_table() in cli(command, "--help").stdout
    assert exit_code_table(markdown=True) in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("exc, status", [
    (ValueError("x"), 2), (FileNotFoundError(2, "No such file", "f.csv"), 2), (NotADirectoryError("d"), 2),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"), 2), (RuntimeError("solver"), 3), (OverflowError("big"), 3),
    (MemoryError(), 3), (RecursionError(), 3), (OSError(28, "No space left on device"), 3), (KeyError("k"), 3),
    (KeyboardInterrupt(), 130),
])
def test_every_exception_has_a_status_and_one_line(exc, status):
    code, message = exit_status(exc)
    assert code == status and code in EXIT_CODES
    assert message and "\n" not in message


def test_ctrl_c_exits_130_without_traceback(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-m", "scalingtheory", "report", "--quick", "--out", str(tmp_path / "r")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1].endswith("interrupted")
    assert not (tmp_path / "r" / "report.md").exists()


# ---------------------------------------------------------------- start-up imports only what is used

def test_bare_import_and_help_load_no_heavy_library():
    assert loaded("import scalingtheory") <= {"sympy", "mpmath"}   # SymPy only once a name is used
    assert loaded("import scalingtheory as st; st.parse_formula('beta')") & {"scipy", "matplotlib"} == set()
    assert loaded("from scalingtheory.cli import main\n"
                  "try:\n    main(['--help'])\nexcept SystemExit:\n    pass") == set()
    assert loaded("from scalingtheory.cli import main\nmain(['exponent', '--model', 'random_features', "
                  "'--alpha', '2', '--beta', '1/2', '--json'])") & {"scipy", "matplotlib"} == set()


# ---------------------------------------------------------------- parameters: text checked before conversion,
# values inside a domain answer in bounded time or are refused naming the parameter and its numeric range

@pytest.mark.parametrize("args, needle", [
    (["--model", "random_features", "--alpha", "1e99999999"], "alpha: a number with 100000000 digits"),
    (["--model", "random_features", "--beta", "1" * 5000], "beta: number text too long"),
    (["--model", "random_features", "--beta", "1e6"], "beta = 1000000 is outside the numeric range"),
    (["--model", "random_features", "--beta", "1e20"], "0 < beta <= 100"),
    (["--model", "random_features", "--a", "3", "--b", "1e6"], "1 < alpha <= 100"),
    (["--model", "feature_learning", "--alpha", "1e6", "--beta", "1"], "1 < alpha <= 100"),
    (["--model", "sparse_parity", "--alpha", "1e6"], "1/100 <= alpha <= 5"),
    (["--model", "sparse_parity", "--alpha", "1e20"], "1/100 <= alpha <= 5"),
    (["--model", "sparse_parity", "--alpha", "1e-29"], "alpha = 1/100000000000000000000000000000 is outside"),
    (["--model", "bnsl", "--c0", "1e25"], "-100 <= c0 <= 100"),
])
def test_parameter_reproducers_are_refused_naming_the_parameter(args, needle):
    proc = cli("exponent", *args, "--json", timeout=30)
    assert_clean(proc, 2)
    assert needle in proc.stderr


@pytest.mark.parametrize("args", [
    ["--model", "random_features", "--alpha", "100", "--beta", "100"],
    ["--model", "random_features", "--alpha", "99.123456789", "--beta", "50.987654321"],
    ["--model", "feature_learning", "--alpha", "100", "--beta", "1e-12"],
    ["--model", "sparse_parity", "--alpha", "5"],
    ["--model", "sparse_parity", "--alpha", "0.01"],
    ["--model", "bnsl", "--c0", "100", "--c1", "100", "--d1", "1e29", "--b", "1e-25"],
])
def test_edges_of_the_numeric_ranges_answer_quickly(args):
    proc = cli("exponent", *args, "--json", timeout=30)
    assert_clean(proc, 0)
    assert json.loads(proc.stdout)["model"] == args[1]
