"""Hardening, second pass: the defects found after issue 11 closed, one test per reproducer.

Each reproducer runs as a CLI subprocess (or an API call) with a time bound and asserts the
exit status of ``scalingtheory.cli.EXIT_CODES``, a one-line message and no traceback.
"""
import json
import os
import time
from pathlib import Path

import pytest

from test_hardening import assert_clean, cli, curve_rows, snapshot, write_csv


# ---------------------------------------------------------------- symlinks among the named directories

def _linked(tmp_path):
    """``tmp_path/w/link -> ../real``, a CSV to fit in ``w``; returns the working directory."""
    (tmp_path / "real").mkdir()
    work = tmp_path / "w"
    work.mkdir()
    (work / "link").symlink_to("../real")
    xs, ys = curve_rows()
    write_csv(work / "c.csv", ["N", "loss"], list(zip(xs, ys)))
    return work


WRITERS = {
    "table": ["table", "--model", "random_features", "--output", "{}/x.tex"],
    "report": ["report", "--quick", "--out", "{}/r"],
    "plot": ["plot", "--quick", "--out", "{}/p"],
    "fit": ["fit", "c.csv", "--x", "N", "--y", "loss", "--plot", "{}/f.png"],
    "fit_law": ["fit", "c.csv", "--law", "E + A*N**(-a)", "--y", "loss", "--plot", "{}/f.png"],
    "spectrum": ["spectrum", "--dataset", "teacher", "--plot", "{}/s.png"],
    "sweep": ["sweep", str(Path(__file__).resolve().parents[1] / "examples" / "sweep_width.json"), "--out", "{}/s"],
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("where", ["link", "link/sub", "link/..", "ABS/link"])
def test_no_writer_writes_through_a_symlinked_directory_the_user_named(tmp_path, writer, where):
    work = _linked(tmp_path)
    if where == "link/sub":
        (tmp_path / "real" / "sub").mkdir()
    where = where.replace("ABS", str(work))
    before = snapshot(tmp_path)
    start = time.monotonic()
    proc = cli(*(a.format(where) for a in WRITERS[writer]), timeout=60, cwd=work)
    assert_clean(proc, 2)
    assert "refusing to write through the symlink" in proc.stderr and "link (-> ../real)" in proc.stderr
    assert snapshot(tmp_path) == before and time.monotonic() - start < 30   # refused before computing


def test_the_real_directory_is_still_usable(tmp_path):
    work = _linked(tmp_path)
    proc = cli("table", "--model", "random_features", "--output", "../real/x.tex", cwd=work)
    assert_clean(proc, 0)
    assert (tmp_path / "real" / "x.tex").read_text().strip()


def test_system_links_at_the_top_of_the_file_system_are_allowed(tmp_path, monkeypatch):
    """``/tmp -> private/tmp`` (macOS) is layout, not a trap: links down to SYSTEM_LINK_DEPTH pass."""
    from scalingtheory import safe_io

    work = _linked(tmp_path)
    target = work / "link" / "t.txt"
    with pytest.raises(ValueError, match="symlink"):
        safe_io.atomic_write(target, lambda tmp: tmp.write_text("x"))
    monkeypatch.setattr(safe_io, "SYSTEM_LINK_DEPTH", len((work / "link").parts) - 1)
    safe_io.atomic_write(target, lambda tmp: tmp.write_text("x"))
    assert (tmp_path / "real" / "t.txt").read_text() == "x"


def test_a_directory_swapped_for_a_symlink_before_the_rename_is_refused(tmp_path):
    from scalingtheory import safe_io

    (tmp_path / "real").mkdir()
    (tmp_path / "d").mkdir()

    def swap(tmp):   # the write happens in d; then d is replaced by a link elsewhere
        tmp.write_text("x")
        os.rename(tmp_path / "d", tmp_path / "moved")
        (tmp_path / "d").symlink_to(tmp_path / "real")
    with pytest.raises(ValueError, match="symlink"):
        safe_io.atomic_write(tmp_path / "d" / "t.txt", swap)
    assert list((tmp_path / "real").iterdir()) == []


# ---------------------------------------------------------------- large magnitudes: the bound is on digits

@pytest.mark.parametrize("C", ["1e31", "1e40", "3.5e99"])
def test_plausible_budgets_beyond_1e30_answer(C):
    """Compute budgets of 1e31..1e99 FLOPs answer (they were refused as 'a number with 32 digits')."""
    import sympy as sp

    proc = cli("query", "--model", "random_features", "budget", "--C", C, "--alpha", "2", "--beta", "1/2",
               "--json", timeout=60)
    assert_clean(proc, 0)
    data = json.loads(proc.stdout)
    c = float(sp.Rational(C))   # hard regime at alpha 2, beta 1/2: N* ~ C^(1/3), t* ~ C^(2/3)
    assert data["N*"]["value"] * data["t*"]["value"] == pytest.approx(c, rel=1e-9)


@pytest.mark.parametrize("C, needle", [("1e101", "C ~ 1e+101 is too large (numbers from 1e-100 to 1e+100"),
                                       ("1e99999999", "C ~ 1e+99999999 is too large"),
                                       ("1e-99999999", "C ~ 1e-99999999 is too small"),
                                       ("1234567890123456789012345678901e5", "31 significant digits")])
def test_absurd_magnitudes_and_digit_counts_are_still_refused_fast(C, needle):
    start = time.monotonic()
    proc = cli("query", "--model", "random_features", "budget", "--C", C, "--alpha", "2", "--beta", "1/2")
    assert_clean(proc, 2)
    assert needle in proc.stderr and time.monotonic() - start < 20


# ---------------------------------------------------------------- SymPy input passes the text's checks

def _chinchilla_table(n=40):
    import numpy as np
    rng = np.random.default_rng(0)
    N, D = 10 ** rng.uniform(7, 10, n), 10 ** rng.uniform(9, 12, n)
    return {"N": N, "D": D, "loss": 1.7 + 400 * N ** -0.34 + 410 * D ** -0.28}


@pytest.mark.parametrize("make, needle", [
    (lambda N, D, a, A, E: E + A * N ** (-a * 10**9), "numeric factor -?1000000000 too large"),
    (lambda N, D, a, A, E: E + (A * N ** -a) ** (10**9), "too large"),
    (lambda N, D, a, A, E: E + A * N ** -a * __import__("sympy").factorial(D), "factorial'? is not allowed"),
    (lambda N, D, a, A, E: E + A * __import__("sympy").exp(-a * N * 10**6), "exp argument"),
])
def test_a_sympy_law_gets_the_checks_of_a_text_law(make, needle):
    import sympy as sp

    from scalingtheory.fitting.law import fit_law
    from scalingtheory.parsing import FormulaError, parse_formula

    N, D, a, A, E = sp.symbols("N D a A E", positive=True)
    law = make(N, D, a, A, E)
    start = time.monotonic()
    with pytest.raises(ValueError, match=needle):
        fit_law(_chinchilla_table(), law, bootstrap=0)
    with pytest.raises(FormulaError, match=needle):   # the text of the same law is refused the same way
        parse_formula(sp.sstr(law), {s.name: s for s in (N, D, a, A, E)})
    assert time.monotonic() - start < 10


def test_a_sympy_cost_goes_through_the_parser():
    import sympy as sp

    from scalingtheory.fitting.optimum import parse_cost

    N, D, C = sp.symbols("N D C", positive=True)
    assert parse_cost(6 * N * D, (N, D)) == 6 * N * D
    with pytest.raises(ValueError, match="name 'C' is not allowed"):
        parse_cost(6 * N * C, (N, D))
    with pytest.raises(ValueError, match="Integral is not allowed"):
        parse_cost(sp.Integral(N, D), (N, D))


def test_verify_refuses_a_sympy_formula_with_a_merged_exponent_fast():
    import sympy as sp

    from scalingtheory.symbols import alpha
    from scalingtheory.verify import verify

    start = time.monotonic()
    with pytest.raises(ValueError, match="numeric factor 1000000000 too large"):
        verify("random_features", "exponents.t", sp.Integer(10) ** (alpha * 10**9), alpha=3)
    assert time.monotonic() - start < 10


# ---------------------------------------------------------------- fit_law: laws that cannot be scaling laws

@pytest.mark.parametrize("law", ["E + A*exp(N)", "A*exp(N**a)", "E + A*N**a", "E - A*N**-a", "E + A*N**a*D**-b"])
def test_a_law_rising_with_a_resource_is_bad_input_before_fitting(tmp_path, law):
    data = _chinchilla_table()
    path = write_csv(tmp_path / "runs.csv", ["N", "D", "loss"], list(zip(data["N"], data["D"], data["loss"])))
    start = time.monotonic()
    proc = cli("fit", str(path), "--law", law, "--y", "loss", "--bootstrap", "0", timeout=60)
    assert_clean(proc, 2)   # E + A*exp(N) was exit 3 ("no grid point gives a positive prediction")
    assert "rises with N for every positive value of its parameters" in proc.stderr
    assert time.monotonic() - start < 20


def test_a_degenerate_fit_says_so():
    """exp(-N) is 0 at N >= 1e7: its coefficient plays no part and the fitted law is a constant."""
    from scalingtheory.fitting.law import fit_law

    fit = fit_law(_chinchilla_table(), "E + A*exp(-N)", bootstrap=0)
    notes = " ".join(fit.notes)
    assert "the term of A" in notes and "plays no part" in notes
    assert "degenerate fit: the fitted law is constant over the runs" in notes


def test_pinned_exponent_and_unused_term_are_noted_not_on_a_good_fit():
    import numpy as np

    from scalingtheory.fitting.law import fit_law

    data = _chinchilla_table()
    flat = dict(data, loss=1.7 + 410 * data["D"] ** -0.28)   # the loss does not depend on N
    notes = " ".join(fit_law(flat, "E + A*N**-a + B*D**-b", bootstrap=0).notes)
    assert "the term of A" in notes or "is pinned at its search bound" in notes
    good = fit_law(data, "E + A*N**-a + B*D**-b", bootstrap=0)
    assert not [n for n in good.notes if "pinned" in n or "plays no part" in n or "degenerate" in n]
    assert np.allclose([good.params[k] for k in ("a", "b")], [0.34, 0.28], rtol=1e-6)


# ---------------------------------------------------------------- option spelling: negative values, dashes

@pytest.mark.parametrize("args, status, needle", [
    (["exponent", "--model", "bnsl", "--c1", "-1e25"], 2, "c1 = -10000000000000000000000000 is outside"),
    (["exponent", "--model", "bnsl", "--c1", "-5/2", "--c0", "-.5", "--json"], 0,
     "segment decay rates of y - a: -1/2, -3"),   # c0 = -1/2, c0 + c1 = -3
    (["exponent", "--model", "random_features", "--alpha", "-1e25"], 2, "alpha must satisfy alpha > 1"),
    (["query", "--model", "bnsl", "predict", "--x", "1e3", "--c1", "-1e-3", "--json"], 0, '"y"'),
    (["verify", "--model", "random_features", "--quantity", "exponents.t", "--alpha", "3", "--points", "4",
      "-1/2"], 1, "counterexample"),
])
def test_negative_numbers_are_values_not_options(args, status, needle):
    """--c1 -1e25 needed --c1=-1e25 (argparse took -1e25 for an option: 'expected one argument')."""
    proc = cli(*args, timeout=60)
    assert_clean(proc, status)
    assert needle in proc.stdout + proc.stderr and "expected one argument" not in proc.stderr


def test_query_options_are_dashed_and_the_old_spelling_stays():
    base = ["query", "--model", "sparse_parity", "emergence_time", "--skill", "3", "--alpha", "3/5", "--json"]
    dashed, old = cli(*base, "--epsilon-v", "1/10"), cli(*base, "--epsilon_v", "1/10")
    assert_clean(dashed, 0)
    assert_clean(old, 0)
    assert json.loads(dashed.stdout) == json.loads(old.stdout) != json.loads(cli(*base).stdout)
    for spelling in (["--epsilon_v=1/10"], ["--epsilon", "1/10"]):   # '=' form; an abbreviation stays unambiguous
        proc = cli(*base, *spelling)
        assert_clean(proc, 0)
        assert json.loads(proc.stdout) == json.loads(dashed.stdout)
    listing = cli("query", "--model", "sparse_parity", "--list").stdout
    assert "[--epsilon-v VALUE]" in listing and "--epsilon_v" not in listing


@pytest.mark.parametrize("x", ["2", "612.6"])
@pytest.mark.parametrize("f1", ["1e-29", "1e-5", "1e29"])
def test_bnsl_predict_with_extreme_break_widths_answers_fast(f1, x):
    """(x/d1)**(1/f1) at f1 = 1e-29 never finished (SymPy built 2**(10**29)); now a 30-digit value.

    Checked against mpmath at 50 digits: y = a + b x^-c0 (1 + (x/d1)^(1/f1))^(-c1 f1)."""
    import mpmath

    start = time.monotonic()
    args = dict(x=x, a="0.4", b="2", c0="0.05", c1="5", d1="612.6")
    proc = cli("query", "--model", "bnsl", "predict", *[s for k, v in args.items() for s in (f"--{k}", v)],
               "--f1", f1, "--json", timeout=60)
    assert_clean(proc, 0)
    assert time.monotonic() - start < 20
    with mpmath.workdps(50):
        v = {k: mpmath.mpf(s) for k, s in args.items()}
        f = mpmath.mpf(f1)
        y = v["a"] + v["b"] * v["x"] ** -v["c0"] * (1 + (v["x"] / v["d1"]) ** (1 / f)) ** (-v["c1"] * f)
    assert json.loads(proc.stdout)["y"]["value"] == pytest.approx(float(y), rel=1e-12)


@pytest.mark.parametrize("value", ["1e29", "1e100"])
def test_loss_at_huge_resources_is_a_number_not_a_python_limit(value):
    """t, N, P = 1e29 at alpha = beta = 100: the exact loss had 290,000 digits and printing it ended in
    'Exceeds the limit (4300 digits) for integer string conversion' (exit 2)."""
    proc = cli("query", "--model", "random_features", "loss_at", "--t", value, "--N", value, "--P", value,
               "--alpha", "100", "--beta", "100", "--json", timeout=60)
    assert_clean(proc, 0)
    import mpmath
    import sympy as sp

    from scalingtheory.models import get_model
    from scalingtheory.symbols import RESOURCES

    model = get_model("random_features")   # the law lambdified to mpmath at 40 digits (no exact number)
    p = model.validate(alpha=100, beta=100)
    law = model.law(p, model.regime(p)).expr
    with mpmath.workdps(40):
        expected = sp.lambdify([RESOURCES[k] for k in "tNP"], law, "mpmath")(*[mpmath.mpf(value)] * 3)
    loss = json.loads(proc.stdout)["loss"]
    assert loss["value"] == pytest.approx(float(expected), rel=1e-12)
    assert any(n.startswith("30-digit value: the exact form is too large") for n in loss["notes"])   # as in the text
    text = cli("query", "--model", "random_features", "loss_at", "--t", value, "--N", value, "--P", value,
               "--alpha", "100", "--beta", "100").stdout
    assert "30-digit value: the exact form is too large" in text


# ---------------------------------------------------------------- a toolkit failure is status 3, not bad input

def test_compute_prefactor_is_scale_free_in_S():
    """A and its slope scale as S^2 (Eq. 238-239 depend on S/r besides the factor S^2), so A_C(S, r, eta)
    = S^2 A_C(1, r/S, eta S) with the same lambda*; at S = 1e29 the root search used to compare a residual
    of order S^2 = 1e58 with 1e-22 and raised 'could not find root' (exit 2)."""
    import mpmath

    from scalingtheory.models.sparse_parity import compute_prefactor
    big, lam_big = compute_prefactor("0.6", "1e29", "1/100", "1e-29")
    one, lam_one = compute_prefactor("0.6", 1, "1e-31", 1)
    assert mpmath.almosteq(big, mpmath.mpf(10) ** 58 * one, 1e-15) and mpmath.almosteq(lam_big, lam_one, 1e-15)


def test_a_root_search_that_fails_is_a_failure_not_bad_input(monkeypatch):
    import mpmath

    from scalingtheory.cli import exit_status
    from scalingtheory.models.sparse_parity import compute_prefactor

    def no_root(*args, **kwargs):
        raise ValueError("Could not find root within given tolerance.")
    monkeypatch.setattr(mpmath, "findroot", no_root)
    with pytest.raises(RuntimeError, match="no optimal lambda") as info:
        compute_prefactor("0.61", 1, "1/100", 1)
    assert exit_status(info.value)[0] == 3


def test_verify_where_the_toolkit_fails_at_every_valid_point_exits_3(monkeypatch):
    """verify took a ValueError of analyze at a point validate accepted for 'outside the domain' and ended
    in 'no point of the domain could be evaluated' (exit 2): the toolkit failed there, the input was fine."""
    from scalingtheory.cli import exit_status
    from scalingtheory.models import get_model
    from scalingtheory.verify import verify
    model = get_model("sparse_parity")
    real = model.analyze

    def analyze(**params):
        if "alpha" in params:   # a sampled point (the closed form is asked with alpha free)
            raise ValueError("Could not find root within given tolerance.")
        return real(**params)
    monkeypatch.setitem(vars(model), "analyze", analyze)
    with pytest.raises(RuntimeError, match="could not evaluate exponents.t at any point") as info:
        verify("sparse_parity", "exponents.t", "alpha/(alpha+1)", points=2, S="1e29", eta="1e-29")
    assert exit_status(info.value)[0] == 3


def test_verify_at_a_huge_S_and_a_tiny_eta_answers():
    """The issue's reproducer: S = 1e29, eta = 1e-29 lie in the documented domain (S > 0, eta > 0)."""
    proc = cli("verify", "--model", "sparse_parity", "--S", "1e29", "--eta", "1e-29", "--alpha", "0.6",
               "--quantity", "exponents.t", "alpha/(alpha+1)", timeout=120)
    assert_clean(proc, 0)
