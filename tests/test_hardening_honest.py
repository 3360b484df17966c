"""Issue 28 (items 3-6, the spectrum/sweep/query/CLI part): every reproducer ends with its documented
outcome within seconds. Commands run in process (``cli.main``) under an alarm, so a regression to
a hang fails the test instead of blocking the suite."""
import signal
from contextlib import contextmanager

import pytest
import sympy as sp

from scalingtheory.cli import main


@contextmanager
def deadline(seconds):
    def fail(*_):
        raise AssertionError(f"did not finish within {seconds} s")
    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(capsys, *argv, seconds=60):
    with deadline(seconds):
        status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("C, alpha, beta", [("1e31", "2", "1e-9"), ("2", "2", "1e-9"), ("1e31", "1.0000001", "1/2"),
                                            ("1e31", "100", "100")])
def test_query_budget_takes_the_bounded_route(capsys, C, alpha, beta):
    """These hung (no answer in 180 s) or ended with Python's 4300-digit text; now exact when the exact form
    is small, else 30 digits with a note. N* t* = C is the cost's own identity, checked on the printed values."""
    from scalingtheory.models import get_model
    with deadline(60):
        ans = get_model("random_features").budget(C=sp.Float(C) if "e" in C else sp.Rational(C), alpha=alpha, beta=beta)
    n, t = (sp.Float(ans[x].expr, 30) for x in ("N*", "t*"))
    assert abs(n * t / sp.Float(C, 30) - 1) < 1e-20, (n, t)
    status, out, err = run(capsys, "query", "--model", "random_features", "budget", "--C", C, "--alpha", alpha,
                           "--beta", beta, "--json")
    assert status == 0 and err == "" and "4300" not in out


def test_budget_stays_exact_where_the_exact_form_is_small(capsys):
    from scalingtheory.models import get_model
    ans = get_model("random_features").budget(C=10**12, alpha=2, beta=sp.Rational(1, 2))
    assert ans["N*"].expr == 10000 * 2 ** sp.Rational(1, 3) * sp.pi and not ans["N*"].notes


def _spectrum_npy(capsys, path, y="1"):
    return run(capsys, "spectrum", str(path), "--y", y)


def test_npz_named_npy_and_a_lying_header_are_refused_before_loading(capsys, tmp_path):
    import io
    import os

    import numpy as np
    from numpy.lib import format as npy
    np.savez(tmp_path / "z.npz", a=np.ones((200, 3)))
    os.replace(tmp_path / "z.npz", tmp_path / "z.npy")
    status, _, err = _spectrum_npy(capsys, tmp_path / "z.npy")                 # was AttributeError, exit 3
    assert status == 2 and ".npz archive" in err and err.count("\n") == 1
    head = io.BytesIO()
    npy.write_array_header_1_0(head, {"descr": "<f8", "fortran_order": False, "shape": (10**11, 3)})
    (tmp_path / "lie.npy").write_bytes(head.getvalue() + np.ones(600).tobytes())
    status, _, err = _spectrum_npy(capsys, tmp_path / "lie.npy")              # was MemoryError, exit 3
    assert status == 2 and "header claims shape (100000000000, 3)" in err and err.count("\n") == 1


def test_full_width_digit_is_not_a_column_index(capsys, tmp_path):
    import numpy as np
    np.save(tmp_path / "ok.npy", np.ones((150, 3)))
    status, _, err = _spectrum_npy(capsys, tmp_path / "ok.npy", "\uff11")
    assert status == 2 and "column index" in err


@pytest.mark.parametrize("argv, says", [
    (("spectrum", "--dataset", "digits", "--bootstrap", "1_000"), "invalid int value: '1_000'"),
    (("spectrum", "--dataset", "digits", "--bootstrap", "1000"), "from 2 to 200"),
    (("spectrum", "--dataset", "digits", "--repeats", "1000"), "from 2 to 100"),
    (("fit",), "arguments are required"),
    (("nosuch",), "invalid choice"),
])
def test_usage_errors_and_bounds_are_one_line(capsys, argv, says):
    """argparse's rejections print one line and a pointer to --help (its 2-14-line usage block before);
    a work knob out of its range (scalingtheory.limits) names the range, exit 2, before any work."""
    try:
        with deadline(30):
            status = main(list(argv))
    except SystemExit as exc:
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2 and says in err and err.count("\n") == 1 and "usage:" not in err, err
    assert "--help`" in err or "must be an integer from" in err


def test_a_formula_starting_with_minus_is_read_as_the_formula(capsys):
    status, out, err = run(capsys, "verify", "--model", "random_features", "--quantity", "exponents.P", "-alpha*beta",
                           "--alpha", "2", "--beta", "1/2")
    assert status == 1 and "arguments are required" not in err and "NOT EQUAL" in out and "-alpha*beta" in out
