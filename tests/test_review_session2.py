"""Review of session 2's plan and metric commands: hostile input ends in one line and its exit status, the work
is bounded, and the fits do not depend on the units of the predictor."""

import types
import warnings

import numpy as np
import pytest
import sympy as sp

import scalingtheory as st
from scalingtheory.cli import main
from scalingtheory.fitting import plan as plan_mod
from scalingtheory.fitting.metric import fit_metric, link
from scalingtheory.limits import MAX_POINTS
from scalingtheory.fitting.synthetic import LAW, chinchilla_runs

COST = "6*N*D"


def _csv(path, columns: dict):
    names = list(columns)
    rows = zip(*(np.asarray(columns[n], float).tolist() for n in names))
    path.write_text(",".join(names) + "\n" + "".join(",".join(repr(v) for v in r) + "\n" for r in rows))
    return str(path)


@pytest.fixture(scope="module")
def fit():
    return st.fit_law(chinchilla_runs(30, seed=2, n_range=(1e7, 1e9), d_range=(1e9, 1e11)), LAW, cost=COST,
                      bootstrap=0)


def _one_line(capsys):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_more_runs_than_candidates_is_refused_not_repeated(fit, tmp_path, capsys):
    """Two candidates and three runs: before, the third pick repeated the first (every gain -inf, argmax 0)."""
    with pytest.raises(ValueError, match="only 2 distinct candidate"):
        plan_mod.plan(fit, 1e23, 3, 1e20, candidates_X=[[1e8, 1e10], [2e8, 2e10], [1e8, 1e10]])
    runs = chinchilla_runs(30, seed=1, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
    data = _csv(tmp_path / "runs.csv", runs)
    cands = _csv(tmp_path / "cands.csv", {"N": [1e8, 2e8], "D": [1e10, 2e10]})
    status = main(["plan", data, "--law", LAW, "--cost", COST, "--budget", "1e23", "--max-run-compute", "1e20",
                   "--runs", "3", "--candidates", cands])
    assert status == 2 and "distinct candidate" in _one_line(capsys)


@pytest.mark.parametrize("rows, message", [
    (np.ones((3, 3)), "rows of 2 resource values"),
    ([[np.nan, 1e10]], "finite and > 0"),
    ([[-1e8, 1e10]], "finite and > 0"),
    ([[1e12, 1e12]], "costs more than max_run_compute"),
])
def test_bad_candidate_rows_are_refused(fit, rows, message):
    with pytest.raises(ValueError, match=message):
        plan_mod.plan(fit, 1e23, 1, 1e20, candidates_X=rows)


def test_candidates_are_bounded_whatever_the_number_of_resources():
    """The default grid had 41^k points (k = 4: 2.8 million, > 120 s for 1,000 runs); now at most MAX_CANDIDATES."""
    names = sp.symbols("N D U V W", positive=True)
    for k in (2, 3, 4, 5):
        fake = types.SimpleNamespace(X=tuple(np.array([1e7, 1e9]) for _ in range(k)),
                                     model=types.SimpleNamespace(resources=names[:k]), hold={})
        grid = plan_mod.candidates(fake, lambda rows: np.ones(len(rows)), 2.0)
        assert 2**k <= grid.shape[0] <= plan_mod.MAX_CANDIDATES, (k, grid.shape)
    big = np.full((plan_mod.MAX_CANDIDATES + 1, 2), 1e8)
    with pytest.raises(ValueError, match="candidate runs; at most"):
        plan_mod._given_candidates(big, 2, lambda rows: np.ones(len(rows)), 2.0)


def test_a_held_resource_stays_at_its_value():
    rng = np.random.default_rng(1)
    N, D, U = (10 ** rng.uniform(7, 10, 40) for _ in range(3))
    loss = (1.7 + 400 * N**-0.34 + 400 * D**-0.28 + 300 * U**-0.3) * (1 + 0.01 * rng.standard_normal(40))
    law = st.fit_law({"N": N, "D": D, "U": U, "loss": loss}, "E + A*N**-a + B*D**-b + G*U**-g", cost=COST,
                     bootstrap=0, hold={"U": 1e9})
    p = plan_mod.plan(law, 1e23, 3, 1e20)
    assert [r["U"] for r in p.runs] == [1e9] * 3
    assert all(r["cost"] == pytest.approx(6 * r["N"] * r["D"], rel=1e-12) for r in p.runs)


def test_a_constant_loss_cannot_be_planned(tmp_path, capsys):
    """Before: a plan with zero-width intervals, 'width xnan' and a RuntimeWarning on stderr (exit 0)."""
    runs = chinchilla_runs(30, seed=1, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
    data = _csv(tmp_path / "flat.csv", {"N": runs["N"], "D": runs["D"], "loss": np.full(30, 2.5)})
    status = main(["plan", data, "--law", LAW, "--cost", COST, "--budget", "1e23", "--max-run-compute", "1e20",
                   "--runs", "3"])
    assert status == 2 and "a loss that does not vary cannot identify a law" in _one_line(capsys)   # as fit --law


def _scores(loss, seed=0):
    rng = np.random.default_rng(seed)
    return rng.binomial(500, link(loss, 5.0, 2.4, 0.25, 0.9)) / 500


def test_metric_fit_does_not_depend_on_the_units_of_the_loss():
    """The loss times 1e300 gives k / 1e300 and x0 * 1e300 (before: overflow warnings, then 'array must not
    contain infs or NaNs', exit 2); no warning either way."""
    loss = np.linspace(1.9, 3.2, 40)
    acc = _scores(loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = fit_metric(loss, acc, bootstrap=0)
        b = fit_metric(loss * 1e300, acc, bootstrap=0)
    assert b.params["k"] * 1e300 == pytest.approx(a.params["k"], rel=1e-6)
    assert b.params["x0"] / 1e300 == pytest.approx(a.params["x0"], rel=1e-6)
    assert b.params["ceiling"] == pytest.approx(a.params["ceiling"], rel=1e-6)


@pytest.mark.parametrize("x, y, message", [
    (np.full(20, 2.5), np.linspace(0.3, 0.8, 20), "x is constant"),
    (np.linspace(2, 3, 20), np.full(20, 0.5), "the metric is constant"),
    (np.linspace(2, 3, 20), np.linspace(0.3, 0.8, 20), "does not rise as the loss falls"),
])
def test_metric_data_that_cannot_fix_the_link_are_refused(x, y, message):
    """Before: each returned a fit with intervals (a rising score: chance 0.66 above ceiling 0.61, no note)."""
    with pytest.raises(ValueError, match=message):
        fit_metric(x, y, bootstrap=0)


def test_metric_notes_a_midpoint_outside_the_data():
    """The true transition (2.4) is below every point: seed 0's fit puts x0 at 2.42 and the ceiling at its bound 1."""
    loss = np.linspace(2.6, 3.4, 30)
    m = fit_metric(loss, _scores(loss, 0), chance=0.25, bootstrap=0)
    assert m.params["x0"] < 2.6
    assert any("lies outside the data (2.6 to 3.4)" in n for n in m.notes), m.notes


def test_metric_command_bounds_and_seed(tmp_path, capsys):
    loss = np.linspace(1.9, 3.2, 30)
    data = _csv(tmp_path / "m.csv", {"loss": loss, "acc": _scores(loss)})
    base = ["metric", data, "--x", "loss", "--y", "acc", "--bootstrap", "0"]
    assert main(base + ["--seed", "-1"]) == 2 and "--seed" in _one_line(capsys)
    many = ",".join(["2.5"] * (MAX_POINTS + 1))
    assert main(base + ["--at", many]) == 2 and "at most" in _one_line(capsys)
    m = fit_metric(loss, _scores(loss), bootstrap=0)
    with pytest.raises(ValueError, match="at most"):
        m.predict_interval(np.full(MAX_POINTS + 1, 2.5))


def test_horizon_takes_numpy_scalars_and_any_level():
    """np.int64 / np.float32 were refused as 'not a number', True taken as 1; level 1e-300 (z = 0) was a
    ZeroDivisionError (fit --horizon --level 1e-300: exit 3, 'internal error')."""
    import json

    from scalingtheory.fitting.curve import fit as fit_curve

    xs = np.logspace(1, 3, 40)
    res = fit_curve(xs, 3 * xs**-0.4 * np.exp(1e-3 * np.random.default_rng(0).standard_normal(40)), breaks=0,
                    interval=None)
    plain = res.horizon(slope_change=1.0, sharpness=0.3, level=0.95)
    numpy = res.horizon(slope_change=np.int64(1), sharpness=np.float32(0.3), level=np.float32(0.95))
    assert numpy.break_horizon == pytest.approx(plain.break_horizon, rel=1e-6)
    json.dumps(numpy.to_json(), allow_nan=False)
    with pytest.raises(ValueError, match="slope_change"):
        res.horizon(slope_change=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low = res.horizon(level=1e-300)
        res.horizon(slope_change=1e300)
    assert low.break_horizon == np.inf and low.to_json()["break_horizon"] is None


@pytest.mark.parametrize("args, message", [
    (["--form", "m4", "--up-bound", "nan"], "--up-bound caps M4's eps_0"),
    (["--form", "m4", "--up-bound", "-1"], "--up-bound caps M4's eps_0"),
    (["--up-bound", "5"], "with --form bnsl"),
    (["--form", "m4", "--up-bound", "0.5"], "must exceed the largest y"),
    (["--seed", "-1", "--bootstrap", "10"], "--seed must be an integer >= 0"),
    (["--predict", ",".join(["2"] * (MAX_POINTS + 1))], "--predict: 1,001 values"),
])
def test_fit_refuses_what_it_used_to_ignore(tmp_path, capsys, args, message):
    """--up-bound nan, -1, below the data or with another form was ignored silently (exit 0); --seed -1 ended in
    numpy's 'expected non-negative integer'; 5,000 --predict values with --bootstrap 10000 took 1.3 GB."""
    xs = np.logspace(1, 4, 30)
    data = _csv(tmp_path / "c.csv", {"x": xs, "y": 3 * xs**-0.4})
    assert main(["fit", data, "--x", "x", "--y", "y", "--backtest", "0"] + args) == 2
    assert message in _one_line(capsys)


def test_rf_exact_work_knobs_are_bounded():
    """power_slope(replicates=1e9) asked for 8 GB; excess_coefficient(block=-1) returned zeros; nodes unbounded."""
    from scalingtheory.numerics import rf_exact

    xs, draws = [10.0, 100.0], [np.full(5, 1.0), np.full(5, 0.1)]
    for bad in (1e9, float("nan"), 50, 100.5, True, "1_000"):
        with pytest.raises(ValueError, match="replicates must be an integer from 100 to 10,000"):
            rf_exact.power_slope(xs, draws, replicates=bad)
    assert rf_exact.power_slope(xs, draws, replicates=np.int64(200)).slope == pytest.approx(-1.0)
    k = np.arange(1, 21.0)
    with pytest.raises(ValueError, match="block must be an integer >= 1"):
        rf_exact.excess_coefficient(k**-1.5, k**-0.25, [1.0], block=-1)
    for bad in (0, 10**7, 2.5):
        with pytest.raises(ValueError, match="nodes must be an integer from 1 to"):
            rf_exact.projection_response(k**-1.5, k**-0.25, np.eye(20)[:, :5], [1.0], nodes=bad)


def test_a_target_the_cost_alone_fixes_is_refused():
    """L = E + A N^-a with C = 6N: N*(C) = C/6 whatever the fit; the plan picked 3 arbitrary runs, 'width xnan'."""
    runs = chinchilla_runs(30, seed=1, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
    law = st.fit_law({"N": runs["N"], "loss": runs["loss"]}, "E + A*N**-a", cost="6*N", bootstrap=0)
    with pytest.raises(ValueError, match="does not depend on the fitted parameters"):
        plan_mod.plan(law, 1e23, 3, 1e20)
    assert len(plan_mod.plan(law, 1e23, 3, 1e20, target="loss").runs) == 3


def test_a_budget_below_every_run_is_noted(fit):
    low = plan_mod.plan(fit, 1e10, 2, 1e20)
    assert any("below the cost of every run" in n for n in low.notes), low.notes
    assert not any("below the cost" in n for n in plan_mod.plan(fit, 1e23, 2, 1e20).notes)
