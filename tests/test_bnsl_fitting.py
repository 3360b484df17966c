"""Fitting engine: Jacobians, reference fits of the BNSL paper, recovery, intervals, bad input."""

import numpy as np
import pytest
from scipy.optimize import brentq

from scalingtheory.models.bnsl import (ADDITION_REFERENCE_RMSLE, ADDITION_SPLIT, ADDITION_X, ADDITION_Y,
                                       NOISELESS_PARAMS, NOISELESS_REFERENCE_RMSLE)
from scalingtheory.fitting.curve import fit, prepare_data, rmsle, select_breaks
from scalingtheory.fitting.forms import BNSL, M1, M2, M3, M4, get_form

XA, YA = np.array(ADDITION_X, float), np.array(ADDITION_Y)


@pytest.mark.parametrize("form", [BNSL(0), BNSL(1), BNSL(2), BNSL(3), M1(), M2(), M3(), M4(up_bound=1.0)])
def test_analytic_jacobian_matches_central_differences(form):
    rng = np.random.default_rng(1)
    xs = np.logspace(1, 7, 40)
    ys = 0.3 + 0.6 * xs**-0.2
    lo, hi = form.bounds(xs, ys)
    for _ in range(3):
        lo_f = np.where(np.isfinite(lo), lo, -3.0)
        hi_f = np.where(np.isfinite(hi), hi, 3.0)
        theta = lo_f + (hi_f - lo_f) * rng.uniform(0.2, 0.8, size=lo.size)
        J = form.jacobian(theta, xs)
        h = 1e-6 * np.maximum(1.0, np.abs(theta))
        num = np.column_stack([(form.log_predict(theta + hk * e, xs) - form.log_predict(theta - hk * e, xs)) / (2 * hk)
                               for hk, e in zip(h, np.eye(theta.size))])
        np.testing.assert_allclose(J, num, rtol=1e-5, atol=1e-7)


def test_m4_implicit_solution_against_brentq_on_the_original_equation():
    form = M4()
    p = {"eps_inf": 0.2, "eps_0": 1.0, "beta": 30.0, "c": -0.35, "alpha": 0.8}
    xs = np.logspace(2, 8, 9)
    ours = form.predict(form.theta_from_params(p), xs)
    for xv, yv in zip(xs, ours):
        eq = lambda e: (e - p["eps_inf"]) / (p["eps_0"] - e) ** p["alpha"] - p["beta"] * xv ** p["c"]  # noqa: E731
        assert yv == pytest.approx(brentq(eq, p["eps_inf"] + 1e-15, p["eps_0"] - 1e-15, xtol=1e-15), rel=1e-12)


@pytest.mark.parametrize("make, p", [(M4, {"eps_inf": 0.2, "eps_0": 1.0, "beta": 30.0, "c": -0.35, "alpha": 0.8}),
                                     (lambda: BNSL(1), {"a": 0.2, "b": 30.0, "c0": 0.35, "c1": 0.8, "d1": 1e5, "f1": 0.5})])
def test_reused_last_call_only_at_the_same_theta_and_x(make, p):
    """M4's root and BNSL's log(y - a) of the last (theta, x) are kept for the Jacobian at the same point; a
    new theta or x (same shape, or a batch of theta) must be computed afresh: each answer equals a fresh form's."""
    theta = make().theta_from_params(p)
    other = theta + np.linspace(0.05, 0.4, theta.size)
    xs, ys = np.logspace(2, 8, 9), np.logspace(3, 9, 9)
    form = make()
    for th, xv in ((theta, xs), (theta, ys), (other, ys), (np.stack([theta, other]), ys), (theta, xs)):
        np.testing.assert_array_equal(form.log_predict(th, xv), make().log_predict(th, xv))
        if th.ndim == 1:
            np.testing.assert_array_equal(form.jacobian(th, xv), make().jacobian(th, xv))


def test_m4_with_a_vanishing_alpha_warns_of_no_overflow_and_solves_the_equation():
    """alpha = 1e-310 (a fit driven towards alpha -> 0): (K + log 2)/alpha and K/alpha overflowed
    (RuntimeWarning printed by every report). Then (eps_0 - eps)^alpha = 1 and the equation reads
    eps = eps_inf + beta x^c, capped at eps_0 where beta x^c exceeds eps_0 - eps_inf."""
    import warnings

    form = M4()
    p = {"eps_inf": 0.2, "eps_0": 1.0, "beta": 30.0, "c": -0.35, "alpha": 1e-310}
    xs = np.logspace(2, 8, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = form.predict(form.theta_from_params(p), xs)
    expected = np.minimum(p["eps_inf"] + p["beta"] * xs ** p["c"], p["eps_0"])
    assert expected[0] == p["eps_0"] and expected[-1] < p["eps_0"]   # both branches
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_four_digit_addition_reference_matched_or_beaten():
    res = fit(XA[:ADDITION_SPLIT], YA[:ADDITION_SPLIT], breaks=1, space="log1p")  # the released objective
    ext = rmsle(res.predict(XA[ADDITION_SPLIT:]), YA[ADDITION_SPLIT:])
    assert ext <= ADDITION_REFERENCE_RMSLE * (1 + 1e-6)
    assert res.params["d1"] == pytest.approx(612.5836, rel=1e-5)  # the released script's optimum
    res_log = fit(XA[:ADDITION_SPLIT], YA[:ADDITION_SPLIT], breaks=1)  # our default objective
    assert rmsle(res_log.predict(XA[ADDITION_SPLIT:]), YA[ADDITION_SPLIT:]) < 0.0115
    assert res_log.rmsle_train <= res.rmsle_train  # it is the log-space optimum


def test_noiseless_simulation_split_405_beats_reference():
    form = BNSL(1)
    xs = np.arange(1, 4096, dtype=float)
    ys = form.predict(form.theta_from_params(NOISELESS_PARAMS), xs)
    # the break (d1 = 612.6) lies beyond the fitting range (x <= 405): only the opt-in d_margin rule may put it there
    res = fit(xs[:405], ys[:405], form=BNSL(1, d_margin=1.0), interval=None)
    ext = rmsle(res.predict(xs[405:]), ys[405:])
    assert ext <= NOISELESS_REFERENCE_RMSLE
    assert ext < 1e-6
    assert res.params["d1"] == pytest.approx(NOISELESS_PARAMS["d1"], rel=1e-6)
    default = fit(xs[:405], ys[:405], breaks=1, interval=None)  # breaks only where the data locate them
    assert default.params["d1"] <= xs[402] * (1 + 1e-9) and default.pinned["d1"][0] == "upper"
    assert "d1 = 403 (upper bound)" in " ".join(default.notes)


@pytest.mark.parametrize("name,params", [
    ("m1", {"beta": 5.0, "c": -0.3}),
    ("m2", {"eps_inf": 0.3, "beta": 4.0, "c": -0.5}),
    ("m3", {"beta": 2.0, "c": 0.4, "gamma": 1e-5}),
    ("m4", {"eps_inf": 0.2, "eps_0": 0.95, "beta": 40.0, "c": -0.4, "alpha": 0.6}),
    ("bnsl", {"a": 0.1, "b": 3.0, "c0": 0.1, "c1": 0.6, "d1": 1e4, "f1": 0.3}),
])
def test_parameters_recovered_from_noiseless_data(name, params):
    form = get_form(name, up_bound=1.0 if name == "m4" else None)
    xs = np.logspace(2, 7, 40)
    ys = form.predict(form.theta_from_params(params), xs)
    res = fit(xs, ys, form=name, up_bound=1.0 if name == "m4" else None)
    assert res.rmsle_train < 1e-7
    for k, v in params.items():
        assert res.params[k] == pytest.approx(v, rel=1e-3, abs=1e-6), k


def test_prediction_interval_coverage_on_simulated_noise():
    """Delta-method 95% bands cover fresh in-range observations at about the nominal rate."""
    rng = np.random.default_rng(7)
    form = BNSL(1)
    truth = form.theta_from_params({"a": 0.2, "b": 5.0, "c0": 0.2, "c1": 0.5, "d1": 1e4, "f1": 0.5})
    xs = np.logspace(2, 6, 60)
    clean = form.log_predict(truth, xs)
    covered = []
    for _ in range(5):
        res = fit(xs, np.exp(clean + 0.02 * rng.standard_normal(xs.size)), breaks=1)
        _, lo, hi = res.predict_interval(xs)
        fresh = np.exp(clean + 0.02 * rng.standard_normal(xs.size))
        covered.append(np.mean((fresh >= lo) & (fresh <= hi)))
    assert 0.88 <= np.mean(covered) <= 0.995


def test_bootstrap_is_seeded_and_brackets_the_fit():
    res = fit(XA[:ADDITION_SPLIT], YA[:ADDITION_SPLIT], breaks=1, space="log1p")
    b1 = res.bootstrap(40, seed=3).boot_theta.copy()
    b2 = res.bootstrap(40, seed=3).boot_theta
    np.testing.assert_array_equal(b1, b2)
    yh, lo, hi = res.predict_interval(XA[ADDITION_SPLIT:], method="bootstrap")
    assert np.all(lo <= yh) and np.all(yh <= hi)
    with pytest.raises(ValueError, match="level"):
        res.predict_interval(XA, level=1.5)


def test_break_selection_finds_second_break():
    rng = np.random.default_rng(0)
    form = BNSL(2)
    truth = form.theta_from_params({"a": 0.05, "b": 2.0, "c0": 0.05, "c1": 0.6, "c2": -0.4, "d1": 1e3, "d2": 1e5,
                                    "f1": 0.2, "f2": 0.2})
    xs = np.logspace(1, 7, 60)
    ys = np.exp(form.log_predict(truth, xs) + 0.002 * rng.standard_normal(xs.size))
    res = select_breaks(xs, ys, max_breaks=2, criterion="bic")
    assert res.form.n == 2 and set(res.selection) == {0, 1, 2}
    assert res.selection[2] < res.selection[1] < res.selection[0]
    val = select_breaks(xs, ys, max_breaks=2, criterion="validation")
    assert val.form.n >= 1 and "chosen by validation RMSLE" in " ".join(val.notes)


def test_report_json_and_plot(tmp_path):
    res = fit(XA[:ADDITION_SPLIT], YA[:ADDITION_SPLIT], breaks=1)
    text = res.report()
    assert "d1" in text and "RMSLE" in text
    js = res.to_json([800, 900])
    assert js["form"] == "bnsl" and js["breaks"] == 1 and set(js["params"]) == {"a", "b", "c0", "c1", "d1", "f1"}
    assert [set(r) for r in js["predict"]] == [{"x", "y", "lo", "hi"}] * 2
    assert js["rmsle_train"] == pytest.approx(res.rmsle_train)
    res.plot(path=tmp_path / "f.png", x_test=XA[ADDITION_SPLIT:], y_test=YA[ADDITION_SPLIT:])
    assert (tmp_path / "f.png").stat().st_size > 1000


# -- bad input ------------------------------------------------------------------------------------------

def test_bad_input_errors():
    xs, ys = np.logspace(1, 3, 10), np.linspace(2, 1, 10)
    with pytest.raises(ValueError, match="6 parameters but only 5 points"):
        fit(xs[:5], ys[:5], breaks=1)
    with pytest.raises(ValueError, match="x must be > 0"):
        fit(np.r_[0.0, xs[1:]], ys)
    with pytest.raises(ValueError, match="y must be finite"):
        fit(xs, np.r_[np.nan, ys[1:]])
    with pytest.raises(ValueError, match="constant"):
        fit(xs, np.ones(10))
    with pytest.raises(ValueError, match="same length"):
        fit(xs, ys[:-1])
    with pytest.raises(ValueError, match="breaks must be an integer"):
        fit(xs, ys, breaks=-1)
    with pytest.raises(ValueError, match="form must be one of"):
        fit(xs, ys, form="chinchilla")
    with pytest.raises(ValueError, match="space"):
        fit(xs, ys, space="linear")


def test_unsorted_and_duplicated_input_handling():
    xs, ys = np.logspace(1, 3, 10), np.linspace(2, 1, 10)
    perm = np.random.default_rng(0).permutation(10)
    x2, y2, notes = prepare_data(np.r_[xs[perm], xs[:3]], np.r_[ys[perm], ys[:3]])
    np.testing.assert_array_equal(x2, xs)
    np.testing.assert_array_equal(y2, ys)
    assert any("sorted" in n for n in notes) and any("dropped 3" in n for n in notes)
    x3, _, notes3 = prepare_data(np.r_[xs, xs[0]], np.r_[ys, 3.0])
    assert x3.size == 11 and any("repeated" in n for n in notes3)
    assert fit(xs[perm], ys[perm], form="m2").params == pytest.approx(fit(xs, ys, form="m2").params)


def test_calibrated_band_widens_only_beyond_the_data():
    rng = np.random.default_rng(2)
    form = BNSL(1)
    truth = form.theta_from_params({"a": 0.2, "b": 5.0, "c0": 0.2, "c1": 0.5, "d1": 1e4, "f1": 0.5})
    xs = np.logspace(2, 6, 50)
    res = fit(xs, np.exp(form.log_predict(truth, xs) + 0.01 * rng.standard_normal(xs.size)), breaks=1)
    with pytest.raises(ValueError, match="calibrate"):
        res.predict_interval(xs, method="calibrated")
    assert res.calibrate().drift >= 0
    probe = np.array([1e4, 1e6, 1e7, 1e8])
    _, lo_d, hi_d = res.predict_interval(probe, method="delta")
    _, lo_c, hi_c = res.predict_interval(probe, method="calibrated")
    np.testing.assert_allclose(hi_c[:2], hi_d[:2], rtol=1e-12)  # inside the data: unchanged
    width = np.log(hi_c / lo_c) - np.log(hi_d / lo_d)
    assert np.all(width[2:] >= 0) and width[3] >= width[2]
    with pytest.raises(ValueError, match="needs 6 points"):
        fit(xs[:7], np.exp(form.log_predict(truth, xs[:7])), breaks=1).calibrate()


# -- rolling-origin conformal band ---------------------------------------------------------------------

def _power_fit(m=30, noise=0.01, seed=4):
    rng = np.random.default_rng(seed)
    xs = np.logspace(2, 5, m)
    return fit(xs, 3.0 * xs**-0.3 * np.exp(noise * rng.standard_normal(m)), form="m1", interval=None)


def test_backtest_quantile_is_the_split_conformal_rank():
    res = _power_fit()
    rng = np.random.default_rng(0)
    for n in (5, 19, 39, 117):
        delta = rng.uniform(0.1, 2.0, n)
        scores = rng.permutation(np.arange(1, n + 1)) / 10.0  # distinct scores 0.1 .. n/10
        res.backtest_errors = np.column_stack([delta, scores * delta * rng.choice([-1, 1], n), np.zeros(n)])
        q = res.backtest_quantile(0.95)
        # smallest score s with #{scores <= s} >= (n + 1) * 0.95, capped at the largest score
        count_needed = min((n + 1) * 0.95, n)
        expected = min(s for s in scores if np.sum(scores <= s) >= count_needed - 1e-12)
        assert q == pytest.approx(expected, rel=1e-12), n
    with pytest.raises(ValueError, match="level"):
        res.backtest_quantile(1.0)


def test_backtest_errors_are_prefix_refits_on_training_points_only():
    res = _power_fit().backtest(n_origins=3, start=0.5)
    again = _power_fit().backtest(n_origins=3, start=0.5)
    np.testing.assert_array_equal(res.backtest_errors, again.backtest_errors)  # deterministic
    m = res.x.size
    assert sorted(set(res.backtest_errors[:, 2].astype(int))) == [15, 22, 29]  # round(linspace(15, 29, 3))
    k = 22
    rows = res.backtest_errors[res.backtest_errors[:, 2] == k]
    manual = fit(res.x[:k], res.y[:k], form="m1", n_starts=3)  # independent refit through the public API
    np.testing.assert_allclose(rows[:, 1], np.log(manual.predict(res.x[k:]) / res.y[k:]), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(rows[:, 0], np.log(res.x[k:] / res.x[k - 1]), rtol=1e-13)
    assert rows.shape[0] == m - k


def test_backtest_band_formula_inside_and_beyond_the_data():
    res = _power_fit().backtest()
    q = res.backtest_quantile(0.9)
    probe = np.array([1e3, 1e5, 3e5, 1e7])
    yh, lo_d, hi_d = res.predict_interval(probe, level=0.9, method="delta")
    _, lo_b, hi_b = res.predict_interval(probe, level=0.9, method="backtest")
    half_d = np.log(hi_d / yh)
    dist = np.maximum(0.0, np.log(probe / res.x.max()))
    np.testing.assert_allclose(np.log(hi_b / yh), np.maximum(half_d, q * dist), rtol=1e-10)
    np.testing.assert_allclose(np.log(yh / lo_b), np.maximum(half_d, q * dist), rtol=1e-10)
    np.testing.assert_allclose(hi_b[:2], hi_d[:2], rtol=1e-12)  # inside the data: the delta band
    assert res.predict_interval(probe, level=0.9)[2] == pytest.approx(hi_b)  # "auto" picks the backtest band


def test_backtest_band_covers_held_out_points_of_shipped_ic_curves():
    """Real IC curve (tests/data subset): the delta band misses most held-out points, the backtest band not."""
    from pathlib import Path

    from scalingtheory.fitting.revisiting import load_curves

    curve = load_curves(Path(__file__).parent / "data" / "revisiting_subset.csv", domains=["IC"])[0]
    assert curve.key == "IC | c_5 | BiT/50/1" and curve.x_test.size == 98
    res = fit(curve.x_fit, curve.y_fit, breaks=1)

    def coverage(method):
        _, lo, hi = res.predict_interval(curve.x_test, method=method)
        return np.mean((curve.y_test >= lo) & (curve.y_test <= hi)), np.log(hi[-1] / lo[-1]) / 2

    cov_delta, _ = coverage("delta")
    res.backtest()
    cov_bt, half_bt = coverage("backtest")
    assert cov_delta < 0.5 and cov_bt >= 0.9
    assert half_bt < 0.15  # not vacuous: within 16% of the prediction at the farthest held-out point


def test_backtest_bad_input():
    res = _power_fit()
    with pytest.raises(ValueError, match="backtest"):
        res.predict_interval(res.x, method="backtest")
    with pytest.raises(ValueError, match="n_origins"):
        res.backtest(n_origins=0)
    with pytest.raises(ValueError, match="a start"):
        res.backtest(n_starts=0, warm=False)
    with pytest.raises(ValueError, match="start"):
        res.backtest(start=1.0)
    xs = np.logspace(1, 3, 7)
    with pytest.raises(ValueError, match="backtest needs more than 7"):
        fit(xs, 2 + xs**-0.5, breaks=1, interval=None).backtest()
