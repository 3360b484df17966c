"""Fuzzing every CLI subcommand and public API entry point with hostile strings and numbers.

Each case asserts: the outcome is a result or a documented error (``ValueError`` for bad input,
``RuntimeError`` for a toolkit failure; on the CLI an exit status of ``EXIT_CODES``), no
traceback, an end within its time bound, and nothing written outside a temporary directory.
The default run (CI) takes about a minute; ``pytest -m slow tests/test_fuzz.py`` runs more
examples and every subcommand in a subprocess.
"""
import contextlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import scalingtheory as st_
from scalingtheory.cli import EXIT_CODES, main
from scalingtheory.parsing import BoundError, FormulaError, evaluate, parse_formula

ROOT = Path(__file__).resolve().parents[1]
CI = settings(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SLOW = settings(CI, max_examples=300)

NAMES = ["alpha", "beta", "gamma", "a", "b", "t", "N", "D", "P", "pi", "α", "β", "__class__", "os", "x"]
NUMBERS = ["0", "1", "2", "-1", "1/2", "3", "9999", "10**9", "1e300", "1e-320", "2.5", "0.0", "10**1000"]
FUNCS = ["exp", "log", "gamma_fn", "zeta", "sqrt", "min", "max", "abs", "Abs", "eval", "__import__", "getattr"]
OPS = ["+", "-", "*", "/", "**", "^", "//", "%", "@", "<", "and", "if"]

atoms = st.sampled_from(NAMES + NUMBERS)
formulas = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(OPS), inner).map(lambda t: f"({t[0]}{t[1]}{t[2]})"),
        st.tuples(st.sampled_from(FUNCS), st.lists(inner, min_size=0, max_size=2)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        inner.map(lambda s: f"-{s}")),
    max_leaves=12)
hostile_text = st.one_of(formulas, st.text(max_size=80),
                         st.sampled_from(["", " ", "9**9**9**9", "alpha**alpha**alpha**alpha", "(alpha**1000)**1000",
                                          "exp(9999)**1000", "zeta(2*alpha*10**8)", "lambda: 0", "[1]*10**9",
                                          "'a'*10**9", "\x00", "1" * 3000, "(" * 200 + ")" * 200, "β" * 50]))
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.fractions(max_denominator=10**6).map(str),
    st.sampled_from(["1e99999999", "-1e99999999", "1/0", "0/0", "-0", "1e-400", "nan", "inf", "-inf", "0x10",
                     "1_000", "１２", "2**3", "1e6", "1e20", "1e-29", "1/3", " 3 ", "", "1" * 300, "1e", "--1"]),
    st.text(max_size=12))


def in_process(args: list[str], bound: float = 30.0) -> tuple[int, str]:
    """``main(args)`` in this process: its status (argparse exits included) and stderr."""
    err = io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(args)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
    elapsed = time.monotonic() - start
    assert status in EXIT_CODES, (args, status, err.getvalue())
    assert "Traceback" not in err.getvalue(), (args, err.getvalue())
    assert elapsed < bound, (args, elapsed)
    return status, err.getvalue()


@pytest.fixture
def jail(tmp_path, monkeypatch):
    """Run in an empty temporary directory; afterwards the project tree has not changed."""
    monkeypatch.chdir(tmp_path)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in ROOT.iterdir())
    yield tmp_path
    assert sorted((p.name, p.stat().st_mtime_ns) for p in ROOT.iterdir()) == before


# ---------------------------------------------------------------- API entry points

@CI
@given(text=hostile_text)
def test_parse_formula_is_whitelisted_and_fast(text):
    start = time.monotonic()
    try:
        expr = parse_formula(text)
    except FormulaError:
        return
    finally:
        assert time.monotonic() - start < 2
    values = {s: 3 for s in expr.free_symbols}
    try:
        evaluate(expr, values, 30)
    except BoundError:
        pass
    except FormulaError as exc:
        assert "no value" not in str(exc)
    assert time.monotonic() - start < 2


@CI
@given(model=st.sampled_from(["random_features", "feature_learning", "bnsl", "nonsense"]),
       name=st.sampled_from(["alpha", "beta", "c0", "c1", "d1", "f1", "a", "b", "training", "regime", "zzz"]),
       value=numbers)
def test_exponents_and_optimal_answer_or_refuse(model, name, value):
    start = time.monotonic()
    for entry in (st_.exponents, st_.optimal):
        try:
            res = entry(model, **{name: value})
            (res if isinstance(res, list) else [res])[0].to_json()
        except ValueError:
            pass
    assert time.monotonic() - start < 20


@settings(CI, max_examples=15)
@given(value=numbers)
def test_sparse_parity_parameters_answer_or_refuse(value):
    start = time.monotonic()
    try:
        st_.exponents("sparse_parity", alpha=value).to_json()
    except ValueError:
        pass
    assert time.monotonic() - start < 20


@settings(CI, max_examples=6)
@given(formula=hostile_text)
def test_verify_answers_or_refuses_within_bound(formula):
    from scalingtheory.verify import verify
    start = time.monotonic()
    try:
        verify("feature_learning", "exponents.t", formula, points=4, regime="hard")
    except (ValueError, RuntimeError):
        pass
    assert time.monotonic() - start < 20


# ---------------------------------------------------------------- CLI subcommands, in process

@settings(CI, max_examples=40)
@given(command=st.sampled_from(["exponent", "verify", "table", "query", "models", "fit", "plot", "report", "nope"]),
       words=st.lists(st.one_of(numbers, hostile_text, st.sampled_from(
           ["--model", "random_features", "bnsl", "--alpha", "--beta", "--quantity", "exponents.t", "--points",
            "--format", "--output", "--out", "/etc/passwd", "../x", "--x", "--y", "--json", "--level", "--list",
            "emergence_time", "--skill", "-h"])), max_size=6))
def test_cli_commands_end_with_a_documented_status(jail, command, words):
    if command in ("plot", "report"):
        (jail / "afile").write_text("")
        words = [*words, "--out", str(jail / "afile" / "sub")]   # unusable: refused before any computation
    if command == "verify" and "--points" in words:
        return   # the point count is fuzzed below with a bound
    in_process([command, *words])


@settings(CI, max_examples=15)
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300)),
       options=st.lists(st.sampled_from(["--level", "0.5", "nan", "--predict", "inf", "1e309", "--delimiter", ";",
                                         "--train-until", "-1", "--breaks", "auto", "--form", "m2"]), max_size=4))
def test_cli_fit_on_hostile_files(jail, content, options):
    path = jail / "c.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    status, _ = in_process(["fit", str(path), "--x", "x", "--y", "loss", "--backtest", "0", *options], bound=60)
    assert sorted(p.name for p in jail.iterdir()) == ["c.csv"]


@settings(CI, max_examples=10)
@given(points=st.text(max_size=60), fmt=st.sampled_from(["latex", "markdown", "csv", "docx"]))
def test_cli_table_points_and_output(jail, points, fmt):
    status, _ = in_process(["table", "--model", "feature_learning", "--points", points, "--format", fmt,
                            "--output", "t.out"])
    assert set(p.name for p in jail.iterdir()) <= {"t.out"}


# ---------------------------------------------------------------- deeper run (pytest -m slow)

def subprocess_cli(args, cwd, timeout=120):
    """The CLI in a subprocess (arguments a shell can pass: no NUL, encodable)."""
    assume(all("\x00" not in a and a.encode("utf-8", "surrogatepass") == a.encode("utf-8", "ignore") for a in args))
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", HOME=str(cwd))
    proc = subprocess.run([sys.executable, "-m", "scalingtheory", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)
    assert proc.returncode in EXIT_CODES, (args, proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, (args, proc.stderr)
    return proc


@pytest.mark.slow
@SLOW
@given(text=hostile_text)
def test_parse_formula_deep(text):
    test_parse_formula_is_whitelisted_and_fast.hypothesis.inner_test(text)


@pytest.mark.slow
@settings(CI, max_examples=40)
@given(formula=hostile_text, alpha=st.sampled_from(["3", "1.5", "100", None]))
def test_verify_cli_deep(tmp_path_factory, formula, alpha):
    cwd = tmp_path_factory.mktemp("fuzz")
    args = ["verify", "--model", "random_features", "--quantity", "exponents.t", "--points", "6"]
    start = time.monotonic()
    subprocess_cli([*args, *(["--alpha", alpha] if alpha else []), formula], cwd)
    assert time.monotonic() - start < 60 and list(cwd.iterdir()) == []


@pytest.mark.slow
@settings(CI, max_examples=60)
@given(command=st.sampled_from(["exponent", "table", "query", "models", "fit", "plot", "report"]),
       words=st.lists(st.one_of(numbers, st.sampled_from(
           ["--model", "random_features", "sparse_parity", "feature_learning", "bnsl", "--alpha", "--beta",
            "--c0", "--f1", "--points", "--format", "csv", "--output", "--json", "--list", "emergence_time",
            "--skill", "--out", "../escape", "/dev/null"])), max_size=6))
def test_every_subcommand_in_a_subprocess(tmp_path_factory, command, words):
    cwd = tmp_path_factory.mktemp("fuzz")
    if command in ("plot", "report"):
        words = [*words, "--quick", "--out", str(cwd / "out")]
    subprocess_cli([command, *words], cwd, timeout=600)
    assert all(str(p).startswith(str(cwd)) for p in cwd.rglob("*"))


# -- the API's numeric keyword arguments (issue 28.7): a bounded answer or a ValueError/TypeError ---------------

kw_values = st.one_of(
    st.integers(min_value=-10**12, max_value=10**12), st.sampled_from([0, 1, 2, 3, 201, 10**9, 10**18, -1]),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(), st.text(max_size=8),
    st.sampled_from(["1_000", "１", 2.5, 1e300, [3], {"n": 1}]))


def _bounded_call(fn, bound=20.0):
    start = time.perf_counter()
    try:
        fn()
    except (ValueError, TypeError):
        pass
    assert time.perf_counter() - start < bound


@pytest.fixture(scope="module")
def small_data():
    import numpy as np
    X = np.random.default_rng(0).standard_normal((120, 3))
    return X, np.sin(X[:, 0]) + X[:, 1]


@settings(CI, max_examples=25)
@given(name=st.sampled_from(["bootstrap", "n_max", "seed", "repeats"]), value=kw_values)
def test_spectrum_numeric_keywords_answer_or_refuse(small_data, name, value):
    from scalingtheory.spectrum.compare import theory_meets_data
    from scalingtheory.spectrum.estimate import spectrum
    X, y = small_data
    sizes = {"bootstrap": 2, "repeats": 2, **{name: value}}
    if name == "repeats":
        _bounded_call(lambda: theory_meets_data(X, y, **sizes))
    else:
        sizes.pop("repeats")
        _bounded_call(lambda: spectrum(X, y, **sizes))


@settings(CI, max_examples=40)
@given(key=st.sampled_from(["seeds", "tolerance", "vary", "fixed_M", "fit_range"]), value=kw_values)
def test_sweep_spec_numbers_answer_or_refuse(key, value):
    from scalingtheory.sweep.spec import parse_spec
    spec = {"model": "random_features", "route": "exact", "grid": {"alpha": [2], "beta": ["1/2"]},
            "vary": {"N": [16, 32]}, "fixed": {"P": "inf", "t": "inf", "M": 200}, "seeds": [0, 1]}
    if key == "vary":
        spec["vary"] = {"N": [value, 32]}
    elif key == "fixed_M":
        spec["fixed"]["M"] = value
    elif key == "fit_range":
        spec["fit_range"] = {"N": [value, 32]}
    else:
        spec[key] = value
    if key == "tolerance":
        spec["tolerance_reason"] = "stated"
    _bounded_call(lambda: parse_spec(spec), bound=5.0)


@settings(CI, max_examples=12)
@given(C=st.one_of(numbers, kw_values.filter(lambda v: isinstance(v, (int, float)))),
       beta=st.sampled_from(["1/2", "1e-9", "100", "3/2"]), alpha=st.sampled_from(["2", "1.0000001", "100"]))
def test_query_budget_answers_or_refuses_within_bound(C, beta, alpha):
    from scalingtheory.models import get_model
    _bounded_call(lambda: get_model("random_features").budget(C=C, alpha=alpha, beta=beta), bound=20.0)
