"""Hostile input ends fast with a documented status; nothing outside the named place changes.

Every reproducer of issue 11 runs here through the CLI's ``main`` with a time bound (a subprocess where the
interpreter's start, imports or signals are under test); each asserts the exit status of ``scalingtheory.cli.EXIT_CODES``, a one-line message and no traceback.
"""
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scalingtheory.cli import EXIT_CODES, exit_code_table, exit_status
from scalingtheory.models import available

from cli_runner import cli  # noqa: F401 -- test_hardening_more imports it from here

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "scipy", "matplotlib", "pandas", "dask", "pyarrow", "sklearn", "numpy", "mpmath")


def assert_clean(proc, status):
    assert proc.returncode == status, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    if status in (2, 3, 130):   # one line (after any progress bars and warnings)
        assert proc.stderr.strip().splitlines()[-1].startswith("scalingtheory"), proc.stderr


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
    proc = cli("--help", process=True)          # the installed entry point, end to end
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


def _read_until(proc, needle: bytes, bound: float) -> bytes:
    """``proc``'s stderr as it comes, until ``needle`` shows that the process reached the point to test
    (no guessed sleep); ``bound`` only keeps a broken run from hanging the suite."""
    import select

    seen, deadline = b"", time.monotonic() + bound
    while needle not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {needle!r} within {bound} s: {seen[-2000:]!r}"
        if select.select([proc.stderr], [], [], left)[0]:
            chunk = os.read(proc.stderr.fileno(), 65536)
            assert chunk, f"ended ({proc.wait()}) before {needle!r}: {seen[-2000:]!r}"
            seen += chunk
    return seen


def test_ctrl_c_exits_130_without_traceback(tmp_path):
    """SIGINT once the report's workers run (its progress bar's first output, written when the sections'
    numerics have started): exit 130, one line, no traceback, nothing written into --out."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", SCALINGTHEORY_PROGRESS="1")
    env.pop("TQDM_DISABLE", None)   # the progress bar (forced on a pipe) is the readiness signal
    # SIGINT handled as in a terminal even where the test runner was started with it ignored (a background job)
    proc = subprocess.Popen([sys.executable, "-m", "scalingtheory", "report", "--quick", "--out", str(tmp_path / "r")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        seen = _read_until(proc, b"report:", bound=300)
        proc.send_signal(signal.SIGINT)      # to the report's process only, as the workers leave Ctrl-C to it
        out, err = proc.communicate(timeout=60)
    finally:                                 # a failed run leaves no worker behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    err = (seen + err).decode()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1].endswith("interrupted")
    assert not (tmp_path / "r").exists() or sorted(p.name for p in (tmp_path / "r").iterdir()) == []


# ---------------------------------------------------------------- start-up imports only what is used

def test_bare_import_and_help_load_no_heavy_library():
    assert loaded("import scalingtheory") <= {"sympy", "mpmath"}   # SymPy only once a name is used
    assert loaded("import scalingtheory as st; st.parse_formula('beta')") & {"scipy", "matplotlib"} == set()
    assert loaded("from scalingtheory.cli import main\n"
                  "try:\n    main(['--help'])\nexcept SystemExit:\n    pass") == set()
    assert loaded("from scalingtheory.cli import main\nmain(['exponent', '--model', 'random_features', "
                  "'--alpha', '2', '--beta', '1/2', '--json'])") & {"scipy", "matplotlib"} == set()


#: models whose exact answers need no NumPy (the numeric routes import it where they run)
NO_NUMPY_FOR_EXPONENT = {"random_features", "feature_learning"}


@pytest.mark.parametrize("model", available())
def test_exponent_loads_no_plotting_or_fitting_library(model):
    heavy = loaded(f"import io, contextlib\nfrom scalingtheory.cli import main\n"
                   f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['exponent', '--model', '{model}', '--json'])")
    assert heavy & {"scipy", "matplotlib", "pandas", "dask", "pyarrow", "sklearn"} == set()
    if model in NO_NUMPY_FOR_EXPONENT:
        assert "numpy" not in heavy


# ---------------------------------------------------------------- parameters: text checked before conversion,
# values inside a domain answer in bounded time or are refused naming the parameter and its numeric range

@pytest.mark.parametrize("args, needle", [
    (["--model", "random_features", "--alpha", "1e99999999"], "alpha ~ 1e+99999999 is too large"),
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


# ---------------------------------------------------------------- verify: bounded after substitution

VERIFY_RF = ["verify", "--model", "random_features", "--quantity", "exponents.t", "--alpha", "3", "--points", "6"]


@pytest.mark.parametrize("formula, status, needle", [
    ("alpha**alpha**alpha**alpha", 2, "too large to evaluate"),      # 3**3**3**3 is never built
    ("10**(alpha*10**9)", 2, "numeric factor 1000000000 too large"),   # refused as written (was: at evaluation)
    ("gamma_fn(alpha*10**9)", 2, "argument"),
    ("zeta(2*alpha*10**8)", 2, "argument"),                           # was a MemoryError
    ("(alpha**1000)**1000", 2, "nested powers multiply"),
    ("((alpha+beta+1)**1000)**1000", 2, "nested powers multiply"),
    ("exp(9999)**1000", 2, "exp(...): numeric argument too large"),    # merged into exp(9999000)
    ("log(0)", 2, "not a finite real number"),                         # was NOT EQUAL (1)
    ("0**-1", 2, "not a finite real number"),
    ("sqrt(-1)", 2, "not a finite real number"),
])
def test_verify_hostile_formulas_end_fast_with_their_status(formula, status, needle):
    start = time.monotonic()
    proc = cli(*VERIFY_RF, formula, timeout=60)
    assert_clean(proc, status)
    assert needle in proc.stderr
    assert time.monotonic() - start < 40   # 10 s on an idle 2-core machine; the bound here allows for load


def test_verify_formula_not_real_somewhere_is_a_disagreement():
    proc = cli(*VERIFY_RF[:-2], "--points", "8", "beta + sqrt(1 - beta)", timeout=60)
    assert_clean(proc, 1)
    assert "NOT EQUAL" in proc.stdout


def test_verify_toolkit_failure_is_status_3_not_a_disagreement(monkeypatch):
    from scalingtheory import verify as v
    from scalingtheory.models import get_model

    model = get_model("feature_learning")

    def broken(**kw):   # the closed form is fine; its value at every sampled point fails
        if "alpha" in kw:
            raise RuntimeError("expression has no real value")
        return model.analyze(**kw)
    monkeypatch.setattr(v, "get_model", lambda name: type("M", (), {
        "validate": model.validate, "parameters": model.parameters, "name": model.name,
        "analyze": staticmethod(broken)})())
    with pytest.raises(RuntimeError, match="could not evaluate exponents.t at any point"):
        v.verify("feature_learning", "exponents.t", "beta", points=3, regime="hard")
    assert exit_status(RuntimeError("x"))[0] == 3


def test_verify_symbolic_step_is_budgeted(monkeypatch):
    """A simplification that never ends is cut at the budget; the numeric route decides."""
    from scalingtheory import verify as v

    monkeypatch.setattr(v, "SYMBOLIC_BUDGET", 0.5)
    monkeypatch.setattr(v, "_symbolic_difference", lambda *a: time.sleep(60))
    start = time.monotonic()
    res = v.verify("feature_learning", "exponents.t", "2*beta/(1+beta)", points=4, regime="hard")
    assert res.equal and res.method == "numeric" and time.monotonic() - start < 30
    assert any("no symbolic proof within 0.5 s" in n for n in res.notes)


def test_verify_accepts_sympy_expressions_and_greek_letters():
    import sympy as sp

    from scalingtheory.verify import verify
    b = sp.Symbol("beta")   # a plain symbol: matched by name to the model's positive beta
    assert verify("feature_learning", "exponents.t", 2 * b / (1 + b), points=4, regime="hard").equal
    assert verify("feature_learning", "exponents.t", "2*β/(1 + β)", points=4, regime="hard").equal
    assert not verify("feature_learning", "exponents.t", sp.Symbol("β"), points=4, regime="hard").equal
    with pytest.raises(ValueError, match="Integral is not allowed"):
        verify("feature_learning", "exponents.t", sp.Integral(b, b), regime="hard")


# ---------------------------------------------------------------- file safety

def snapshot(root: Path) -> dict:
    """Every path under ``root`` (not following symlinks) with its content or link target."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            out[str(path)] = ("link", os.readlink(path))
        elif path.is_file():
            out[str(path)] = ("file", path.read_bytes(), path.stat().st_mode)
        else:
            out[str(path)] = ("dir",)
    return out


def test_report_refuses_a_users_directory_before_computing(tmp_path):
    d1 = tmp_path / "d1"
    d1.mkdir()
    (d1 / "report.md").write_text("my own notes")
    before = snapshot(tmp_path)
    start = time.monotonic()
    proc = cli("report", "--quick", "--out", str(d1), timeout=60)
    assert_clean(proc, 2)
    assert "holds no earlier report" in proc.stderr and "--force" in proc.stderr
    assert snapshot(tmp_path) == before and time.monotonic() - start < 30


@pytest.mark.parametrize("out", ["afile/sub", "afile"])
def test_unusable_out_is_refused_before_computing(tmp_path, out):
    (tmp_path / "afile").write_text("x")
    before = snapshot(tmp_path)
    for command in (["report", "--quick"], ["plot", "--quick"]):
        proc = cli(*command, "--out", out, timeout=60, cwd=tmp_path)
        assert_clean(proc, 2)
        assert "is a file" in proc.stderr or "not a directory" in proc.stderr
    assert snapshot(tmp_path) == before


def test_report_never_writes_through_symlinks(tmp_path):
    from scalingtheory import safe_io

    outside, d1 = tmp_path / "outside", tmp_path / "d1"
    (outside / "figs").mkdir(parents=True)
    (outside / "victim.txt").write_text("victim")
    d1.mkdir()
    (d1 / safe_io.MARKER).write_text('{"tool": "scalingtheory", "kind": "report", "files": ["report.tex"]}')
    (d1 / "report.tex").symlink_to(outside / "victim.txt")
    (d1 / "figures").symlink_to(outside / "figs")
    before = snapshot(tmp_path)
    proc = cli("report", "--quick", "--model", "bnsl", "--out", str(d1), timeout=600)
    assert_clean(proc, 2)
    assert "symlink" in proc.stderr
    assert snapshot(tmp_path) == before


def test_publish_replaces_its_own_files_only(tmp_path):
    from scalingtheory import safe_io

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text("new")
    out = tmp_path / "out"
    safe_io.publish({"a.md": src / "a.md", "sub/b.md": src / "a.md"}, out, "report")
    (out / "a.md").write_text("old run")
    (out / "mine.txt").write_text("user")
    safe_io.check_dir(out, "report")                       # holds an earlier report: usable
    safe_io.publish({"a.md": src / "a.md"}, out, "report")  # replaces its own file
    assert (out / "a.md").read_text() == "new" and (out / "mine.txt").read_text() == "user"
    (src / "mine.txt").write_text("toolkit")
    with pytest.raises(ValueError, match="was not written by scalingtheory"):
        safe_io.publish({"mine.txt": src / "mine.txt"}, out, "report")
    with pytest.raises(ValueError, match="outside"):
        safe_io.publish({"../escape.md": src / "a.md"}, out, "report")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (out / "a.md").stat().st_mode & 0o777 == 0o666 & ~umask
    assert not [p for p in out.rglob("*.tmp*")]


def test_interrupted_write_leaves_the_old_file(tmp_path):
    from scalingtheory import safe_io

    target = tmp_path / "t.tex"
    target.write_text("old")

    def interrupted(tmp):
        tmp.write_text("half")
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        safe_io.atomic_write(target, interrupted, replace=True)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["t.tex"]


def test_table_output_is_atomic_and_refuses_symlinks(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("victim")
    (tmp_path / "link.tex").symlink_to(victim)
    args = ["table", "--model", "feature_learning", "--points", "alpha=2,beta=1/2", "--format", "csv"]
    proc = cli(*args, "--output", str(tmp_path / "link.tex"))
    assert_clean(proc, 2)
    assert "symlink" in proc.stderr and victim.read_text() == "victim"
    assert_clean(cli(*args, "--output", str(tmp_path / "missing" / "t.csv")), 2)
    proc = cli(*args, "--output", str(tmp_path / "t.csv"))
    assert_clean(proc, 0)
    assert (tmp_path / "t.csv").read_text().startswith("model,")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "t.csv").stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.tex", "t.csv", "victim.txt"]


# ---------------------------------------------------------------- fit input

def curve_rows(n=30):
    """A decreasing power law with its floor, L = 0.5 + 3 x^-0.3 (x over six decades)."""
    xs = [10 ** (3 + 6 * i / (n - 1)) for i in range(n)]
    return xs, [0.5 + 3 * x ** -0.3 for x in xs]


def write_csv(path, header, rows, sep=",", bom=False, newline="\n"):
    text = newline.join([sep.join(header)] + [sep.join(map(repr, r)) for r in rows]) + newline
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("case, needle", [
    ("one_x", "1 distinct value"),
    ("narrow", "spans only"),
    ("rising", "rises with x"),
    ("subnormal", "below the smallest normal float"),
    ("nonfinite", "must be finite"),
    ("duplicated", "duplicated column name"),
    ("big_cell", "a field longer than"),
    ("many_rows", "fits are limited to 10,000"),
    ("predict_inf", "--predict values must be a finite number > 0, got 'inf'"),
    ("predict_1e309", "got '1e309'"),
    ("level_nan", "--level must be in (0, 1)"), ("level_0", "--level must be in (0, 1)"),
    ("level_1", "--level must be in (0, 1)"), ("level_1.5", "--level must be in (0, 1)"),
    ("level_-1", "--level must be in (0, 1)"),
])
def test_fit_refuses_degenerate_input_fast(tmp_path, case, needle):
    xs, ys = curve_rows()
    header, rows, extra = ["x", "loss"], list(zip(xs, ys)), []
    if case == "one_x":
        rows = [(1000.0, y) for y in ys]
    elif case == "narrow":
        rows = [(1 + 1e-12 * i, y) for i, y in enumerate(ys)]
    elif case == "rising":
        rows = [(x, 1 / y) for x, y in zip(xs, ys)]
    elif case == "subnormal":
        rows = [(x, y * 1e-320) for x, y in zip(xs, ys)]
    elif case == "nonfinite":
        rows[3] = (xs[3], float("nan"))
    elif case == "duplicated":
        header, rows = ["x", "loss", "x"], [(x, y, x) for x, y in zip(xs, ys)]
    elif case == "many_rows":
        rows = [(1e3 * (1 + i / 1000), 1 / (1 + i / 1000)) for i in range(20_001)]
    elif case.startswith(("predict", "level")):
        option, value = case.split("_")
        extra = [f"--{option}", value]
    path = write_csv(tmp_path / "c.csv", header, rows)
    if case == "big_cell":
        path.write_text("x,loss\n1," + "9" * 200_000 + "\n")
    before = snapshot(tmp_path)
    proc = cli("fit", str(path), "--x", "x", "--y", "loss", "--json", *extra, timeout=60)
    assert_clean(proc, 2)
    assert needle in proc.stderr and proc.stdout == ""
    assert snapshot(tmp_path) == before


def test_datafile_reads_what_spreadsheets_write(tmp_path):
    from scalingtheory.datafile import columns, read_table
    xs, ys = curve_rows(5)
    rows = list(zip(xs, ys))
    expected = {"x": xs, "loss": ys}
    for name, kw in {"bom_crlf_semicolon": dict(sep=";", bom=True, newline="\r\n"),
                     "tab": dict(sep="\t"), "spaces": dict(sep=", ")}.items():
        path = write_csv(tmp_path / f"{name}.csv", ["x", "loss"], rows, **kw)
        got = columns(path, ["x", "loss"])
        assert {k: v.tolist() for k, v in got.items()} == expected, name
    path = write_csv(tmp_path / "pipe.csv", ["x", "loss"], rows, sep="|")
    assert list(read_table(path, delimiter="|")) == ["x", "loss"]
    (tmp_path / "latin1.csv").write_bytes("x,lo\xdfs\n1,2\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        read_table(tmp_path / "latin1.csv")


def test_fit_reads_bom_semicolon_and_writes_plot_with_user_permissions(tmp_path):
    xs, ys = curve_rows()
    path = write_csv(tmp_path / "c.csv", ["x", "loss"], list(zip(xs, ys)), sep=";", bom=True, newline="\r\n")
    proc = cli("fit", str(path), "--x", "x", "--y", "loss", "--form", "m2", "--backtest", "0",
               "--predict", "1e10", "--json", "--plot", str(tmp_path / "fit.png"), timeout=300)
    assert_clean(proc, 0)
    out = json.loads(proc.stdout)   # strict JSON: json.loads would accept NaN, so check the text too
    assert "NaN" not in proc.stdout and "Infinity" not in proc.stdout
    assert out["predict"][0]["y"] == pytest.approx(0.5 + 3 * 1e10 ** -0.3, rel=0.02)
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "fit.png").stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "fit.png"]


def test_json_text_is_strict():
    from scalingtheory.commands import json_text
    text = json_text({"predict": [{"x": float("inf"), "y": float("nan")}], "notes": ["kept"]})
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON token {c}"))
    assert data["predict"] == [{"x": None, "y": None}] and data["notes"][0] == "kept" and len(data["notes"]) == 3


@pytest.mark.parametrize("args, flag", [
    (["table", "--model", "feature_learning", "--points", "alpha=2,beta=1/2", "--format", "csv", "--output"], "--force"),
])
def test_named_output_file_is_never_replaced_without_force(tmp_path, args, flag):
    mine = tmp_path / "mine.csv"
    mine.write_text("user data")
    proc = subprocess.run([sys.executable, "-m", "scalingtheory", *args, str(mine)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "exists; pass --force" in proc.stderr and "Traceback" not in proc.stderr
    assert mine.read_text() == "user data"
    proc = subprocess.run([sys.executable, "-m", "scalingtheory", *args, str(mine), flag],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert mine.read_text() != "user data"
