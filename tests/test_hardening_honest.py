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


def test_temporary_names_fit_255_bytes_and_longer_names_are_refused_first(tmp_path):
    from scalingtheory.safe_io import NAME_MAX, atomic_write, check_file
    name = "p" * (NAME_MAX - 5) + ".png"                               # 254 bytes: the issue's --plot name
    atomic_write(tmp_path / name, lambda tmp: tmp.write_bytes(b"png"))
    assert (tmp_path / name).read_bytes() == b"png" and len(list(tmp_path.iterdir())) == 1
    with pytest.raises(ValueError, match="longer than 255 bytes"):
        check_file(tmp_path / ("q" * 252 + ".png"))                    # refused before any work


def test_a_killed_writer_leaves_a_temporary_file_that_the_next_run_removes(tmp_path):
    import subprocess
    import sys
    code = ("import os, signal, sys\nfrom scalingtheory.safe_io import atomic_write\n"
            "atomic_write(sys.argv[1], lambda tmp: (tmp.write_bytes(b'half'), os.kill(os.getpid(), signal.SIGKILL)))")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out.csv")], capture_output=True)
    assert proc.returncode == -9
    (stale,) = tmp_path.iterdir()
    assert stale.name.startswith(".out.") and stale.name.endswith(".tmp.csv")
    (tmp_path / ".user.tmp").write_text("mine")                        # not the toolkit's naming: kept
    from scalingtheory.safe_io import atomic_write
    atomic_write(tmp_path / "out.csv", lambda tmp: tmp.write_text("a\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".user.tmp", "out.csv"]


def test_a_killed_report_leaves_no_worker_computing(tmp_path):
    """SIGKILL of the report's main process: its pool workers end within seconds (they computed on for
    over a minute before), through safe_io.exit_with_parent."""
    import os
    import subprocess
    import sys
    import time
    psutil = pytest.importorskip("psutil")
    code = ("import sys\nfrom scalingtheory.report.report import build_report\n"
            "build_report(sys.argv[1], quick=True, workers=2)")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "rep")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        parent, end = psutil.Process(proc.pid), time.monotonic() + 60
        while len(parent.children()) < 2 and time.monotonic() < end:
            time.sleep(0.2)
        workers = parent.children(recursive=True)
        assert workers, "the report started no worker"
        time.sleep(1.0)                                                   # workers past their initializer
    finally:
        proc.kill()
        proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    for p in alive:
        p.kill()
    assert not alive, alive
    assert not (tmp_path / "rep").exists()                                # killed while computing: nothing


def test_an_interrupted_publish_leaves_its_marker(tmp_path, monkeypatch):
    """A disk-full or killed copy half-way left files without the marker, so the rerun was refused."""
    from scalingtheory import safe_io
    src = tmp_path / "src"
    (src / "figures").mkdir(parents=True)
    for name in ("report.md", "figures/a.png", "figures/b.png"):
        (src / name).write_text(name)
    files = {name: src / name for name in ("report.md", "figures/a.png", "figures/b.png")}
    real, calls = safe_io.atomic_write, []

    def full_disk(path, write, replace=False):
        calls.append(path)
        if str(path).endswith("a.png"):
            raise OSError(28, "No space left on device")
        return real(path, write, replace)
    monkeypatch.setattr(safe_io, "atomic_write", full_disk)
    with pytest.raises(OSError):
        safe_io.publish(files, tmp_path / "out", "report")
    monkeypatch.setattr(safe_io, "atomic_write", real)
    assert (tmp_path / "out" / safe_io.MARKER).exists()
    written = safe_io.publish(files, tmp_path / "out", "report")           # the rerun replaces its own files
    assert len(written) == 3 and (tmp_path / "out" / "figures" / "b.png").read_text() == "figures/b.png"


def test_library_warnings_stay_off_stderr_unless_verbose(capsys, monkeypatch):
    import warnings

    from scalingtheory.commands import models
    real = models.run

    def noisy(args):
        warnings.warn("divide by zero encountered in log", RuntimeWarning)
        return real(args)
    monkeypatch.setattr(models, "run", noisy)
    status, out, err = run(capsys, "models")
    assert status == 0 and out and err == ""
    status, out, err = run(capsys, "models", "--verbose")
    assert status == 0 and err == "scalingtheory models: warning: RuntimeWarning: divide by zero encountered in log\n"


def test_deep_sympy_expressions_and_long_sums(capsys):
    from scalingtheory.parsing import FormulaError, parse_formula
    from scalingtheory.symbols import alpha
    deep = alpha
    for _ in range(250):                                                  # 500 levels, built without evaluation
        deep = sp.Add(sp.exp(deep, evaluate=False), 1, evaluate=False)
    with pytest.raises(FormulaError, match="nested too deeply"):           # was RecursionError
        parse_formula(deep)
    terms = [f"alpha**{i % 5}/{i + 1}" for i in range(61)]                # was 'nested too deeply'
    assert parse_formula(" + ".join(terms)) == sum(alpha ** (i % 5) / sp.Integer(i + 1) for i in range(61))
    assert parse_formula("alpha - 1 - 2*alpha/3*4 + 1") == alpha - 8 * alpha / 3


def test_query_budget_with_a_rational_exponent_of_huge_denominator_is_bounded():
    """beta = 1e-9, alpha = 100 at an integer C: the allocation exponent p/q has q near 1e9, and SymPy's
    perfect-root extraction raised C's factors to exponents near q (found by hypothesis 6.170: it never
    returned). The bound now counts max(|p|, q), and the answer is the 30-digit value."""
    import time

    from scalingtheory.models import get_model

    start = time.perf_counter()
    answer = get_model("random_features").budget(C=21429198106146936, alpha="100", beta="1e-9")
    assert time.perf_counter() - start < 20
    assert str(answer["N*"].expr).startswith("2.3187085013530009")    # 30 digits, about 10^19801980
