"""BNSL symbolic results checked against independent routes (mpmath derivatives, digest values)."""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import sympy as sp

from scalingtheory.models import bnsl
from scalingtheory.models.bnsl import (FIGURE1_PARAMS, FIGURE1_VALUES, MODEL, BNSLModel, bnsl_symbols,
                                       curvature_factor, evaluate, hard_limit, hard_limit_factor_check, inflections,
                                       latex_law, log_slope, nonmonotone_intervals, segment_asymptotes,
                                       segment_exponents, sigmoid_slope, slope, slope_identity, x)
from scalingtheory.fitting.forms import BNSL, M3


def _mp_y(params, dps=40):
    """y(x) as an mpmath function built directly from Eq. 1 (independent of the log-space code)."""
    n = bnsl.n_breaks(params)
    mpmath.mp.dps = dps
    P = {k: mpmath.mpf(str(v)) for k, v in params.items()}

    def y(xv):
        out = P["b"] * xv ** (-P["c0"])
        for i in range(1, n + 1):
            out *= (1 + (xv / P[f"d{i}"]) ** (1 / P[f"f{i}"])) ** (-P[f"c{i}"] * P[f"f{i}"])
        return P["a"] + out

    return y


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_slope_identity_proved_by_sympy(n):
    assert slope_identity(n)


def test_log_slope_matches_mpmath_derivative_on_figure1():
    y = _mp_y(FIGURE1_PARAMS)
    a = mpmath.mpf("1e-3")
    for xv in ["1e3", "1e10", "1e17", "1e24", "2e20"]:
        t0 = mpmath.log(mpmath.mpf(xv))
        numeric = mpmath.diff(lambda t: mpmath.log(y(mpmath.exp(t)) - a), t0)
        assert float(slope(FIGURE1_PARAMS, [float(xv)])[0]) == pytest.approx(float(numeric), rel=1e-9, abs=1e-12)


def test_slopes_printed_in_digest():
    got = slope(FIGURE1_PARAMS, [1e3, 1e10, 1e17, 1e24])
    np.testing.assert_allclose(got, [-0.0503, -0.5384, 0.2647, -1.8290], atol=5e-5)


def test_symbolic_slope_equals_sigmoid_form_numerically():
    vals = {s: sp.Float(v) for s, v in zip(sum(bnsl_symbols(2)[2:], ()), [0.3, 0.7, -0.4, 50, 5e4, 0.3, 2.0])}
    for xv in [1.0, 80.0, 3e3, 1e6]:
        lhs = log_slope(2).subs(vals).subs(x, xv)
        rhs = sigmoid_slope(2).subs(vals).subs(x, xv)
        assert float(lhs) == pytest.approx(float(rhs), rel=1e-13)


def test_figure1_values_match_reference_to_printed_precision():
    ours = evaluate(FIGURE1_PARAMS, [float(k) for k in FIGURE1_VALUES])
    for (xv, ref), val in zip(FIGURE1_VALUES.items(), ours):
        digits = len(repr(ref).split("e")[0].replace(".", "").replace("-", "").lstrip("0"))
        rounding = 0.5 * 10 ** (math.floor(math.log10(abs(ref))) - digits + 1)
        assert abs(val - ref) <= max(1e-6 * abs(ref), rounding), xv


def test_figure1_log_space_numpy_agrees_with_mpmath_to_1e12():
    xs = [1.0, 1e6, 1e14, 1e17, 2e20, 1e22, 1e26]
    y = _mp_y(FIGURE1_PARAMS)
    np.testing.assert_allclose(evaluate(FIGURE1_PARAMS, xs), [float(y(mpmath.mpf(v))) for v in xs], rtol=1e-12)
    np.testing.assert_allclose([float(v) for v in evaluate(FIGURE1_PARAMS, xs, dps=30)],
                               [float(y(mpmath.mpf(v))) for v in xs], rtol=1e-14)


def test_segment_exponents_and_asymptotes_match_figure1_script():
    a, b, c, d, f = bnsl_symbols(3)
    assert segment_exponents(c)[2] == c[0] + c[1] + c[2]
    script = [b * x ** -c[0], b * d[0] ** -c[0] * (x / d[0]) ** -(c[0] + c[1]),
              b * d[0] ** -c[0] * (d[1] / d[0]) ** -(c[0] + c[1]) * (x / d[1]) ** -(c[0] + c[1] + c[2])]
    for ours, theirs in zip(segment_asymptotes(3), script):
        assert sp.simplify(sp.powsimp(sp.expand_power_base(ours / theirs, force=True), force=True)) == 1
    rates = [float(r.subs({s: float(FIGURE1_PARAMS[s.name]) for s in c})) for r in segment_exponents(c)]
    np.testing.assert_allclose(rates, [0.05, 0.54, -0.271, 1.829], atol=1e-12)


def test_asymptote_approached_between_well_separated_sharp_breaks():
    p = {"a": 0, "b": 3.0, "c0": 0.2, "c1": 0.5, "c2": 1.0, "d1": 1e2, "d2": 1e8, "f1": 0.05, "f2": 0.05}
    seg = sp.lambdify(x, segment_asymptotes(2)[1].subs(bnsl.parameter_values(p)))
    assert float(evaluate(p, [1e5])[0]) == pytest.approx(seg(1e5), rel=1e-12)


def test_hard_limit():
    L, lims = hard_limit_factor_check()
    assert lims == (L, 0, 0)
    p = {"a": 0.1, "b": 2.0, "c0": 0.3, "c1": 0.8, "d1": 1e3, "f1": 1e-3}
    hard = sp.lambdify(x, hard_limit(1).subs(bnsl.parameter_values(p)))
    for xv in [10.0, 500.0, 2e3, 1e6]:  # a factor >= 2 from the break: error ~ 2^(-1/f) underflows
        assert float(evaluate(p, [xv])[0]) == pytest.approx(float(hard(xv)), rel=1e-12)


def test_curvature_factor_against_mpmath_second_derivative():
    p = {"a": 0.41, "b": 2.28, "c0": 0.055, "c1": 5.66, "d1": 612.6, "f1": 0.059}
    factor = sp.lambdify(x, curvature_factor(1).subs(bnsl.parameter_values(p)), "mpmath")
    y = _mp_y(p)
    s_fun, ds_fun = bnsl._slope_functions(1)
    for xv in ["300", "612.6", "700", "2000"]:
        X = mpmath.mpf(xv)
        num = mpmath.diff(y, X, 2) * X**2 / (y(X) - mpmath.mpf("0.41"))
        assert float(factor(X)) == pytest.approx(float(num), rel=1e-8)
        args = (float(mpmath.log(X)), 0.055, 5.66, 612.6, 0.059)
        s, ds = s_fun(*args), ds_fun(*args)
        assert s * s - s + ds == pytest.approx(float(num), rel=1e-8)


def test_nonmonotone_interval_of_figure1():
    ivs = nonmonotone_intervals(FIGURE1_PARAMS)
    assert len(ivs) == 1
    lo, hi = ivs[0]
    assert 1e14 < lo < 1e15 and 1e20 < hi < 2e20
    np.testing.assert_allclose(slope(FIGURE1_PARAMS, [lo, hi]), 0, atol=1e-9)
    ys = evaluate(FIGURE1_PARAMS, np.logspace(np.log10(lo) + 0.01, np.log10(hi) - 0.01, 50))
    assert np.all(np.diff(ys) > 0)
    assert nonmonotone_intervals(MODEL.defaults()) == []


def test_sharp_delayed_inflection_detected_and_absent_for_power_law():
    ivs = inflections(MODEL.defaults())  # 4-digit addition fit: plateau, then a sharp drop at d1 ~ 613
    assert len(ivs) == 1 and ivs[0][0] < 612.6 < ivs[0][1]
    xs = np.linspace(ivs[0][0] * 1.01, ivs[0][1] * 0.99, 200)
    ys = evaluate(MODEL.defaults(), xs)
    assert np.all(np.diff(ys, 2) < 0)  # concave on linear axes: an independent finite-difference check
    plain = {"a": 0.1, "b": 2.0, "c0": 0.3, "c1": 0.0, "d1": 100.0, "f1": 0.5}
    assert inflections(plain) == []


def test_model_exponents_exact_and_regimes():
    r = MODEL.analyze(a=0, b=1, c0="1/3", c1="1/6", d1=10, f1="1/2")
    assert r.exponents["x"].expr == sp.Rational(1, 2) and r.exponents["x_small"].expr == sp.Rational(1, 3)
    assert r.regime.name == "saturating"
    assert r.prefactors["x"].expr == 10 ** sp.Rational(1, 6)
    assert MODEL.analyze(a=0, b=1, c0="1/2", c1="-1", d1=10, f1=1).regime.name == "diverging"
    three = BNSLModel(3)
    fig = three.analyze(**FIGURE1_PARAMS)
    assert fig.regime.name == "non-monotone"
    assert fig.exponents["x"].expr == sp.Rational(1829, 1000)
    law = three.law(three.validate(**FIGURE1_PARAMS), fig.regime)
    assert law.exponent(x) == sp.Rational(1829, 1000)
    js = r.to_json()
    assert js["exponents"]["x"] == {"expr": "1/2", "value": 0.5}


def test_model_rejects_bad_parameters():
    with pytest.raises(ValueError, match="f1"):
        MODEL.analyze(f1=0)
    with pytest.raises(ValueError, match="d1"):
        MODEL.analyze(d1=-1)
    with pytest.raises(ValueError, match="breaks"):
        BNSLModel(-1)


def test_latex_law():
    tex = latex_law(FIGURE1_PARAMS)
    assert "\\frac{x}{2 \\times 10^{20}}" in tex and tex.startswith("y = 0.001 + 4660")


def test_m3_is_a_bnsl_special_case():
    xs = np.logspace(0, 8, 30)
    beta, c, gamma = 3.0, 0.4, 1e-4
    m3 = M3().predict(M3().theta_from_params({"beta": beta, "c": c, "gamma": gamma}), xs)
    b1 = BNSL(1)
    as_bnsl = b1.predict(b1.theta_from_params({"a": 0, "b": beta, "c0": c, "c1": -c, "d1": 1 / gamma, "f1": 1}), xs)
    np.testing.assert_allclose(m3, as_bnsl, rtol=1e-12)
    np.testing.assert_allclose(m3, beta * (1 / xs + gamma) ** c, rtol=1e-12)


def test_figures_and_agreement(tmp_path):
    from scalingtheory.plots import write_figures

    paths = write_figures(MODEL, tmp_path, quick=True)
    names = ["bnsl_figure1_decomposition.png", "bnsl_4digit_addition_fit.png", "bnsl_benchmark_curve.png",
             "bnsl_predictability.png"]
    assert [p.name for p in paths] == names
    assert all(p.stat().st_size > 10_000 for p in paths)
    rows = MODEL.agreement()
    assert {r["quantity"] for r in rows} >= {"Figure-1 y(1e26)", "4-digit addition extrapolation RMSLE"}
    for r in rows:
        assert r.passed, r  # printed digits: rounding; RMSLE: optimiser tolerance
    add = next(r for r in rows if "RMSLE" in r.quantity)
    assert add.numerics <= add.theory * (1 + 1e-6)


def test_benchmark_table():
    (caption, header, rows), = MODEL.tables(quick=True)  # packaged data: never skipped
    assert ("IC", "1") == rows[0][:2] and ("all", "4") == rows[-1][:2] and "CC BY 4.0" in caption
    assert "4-curve subset: the first curve of IC, NMT, LM, BB" in caption   # the quick report says what it shows
    assert header[0] == "domain" and all(len(r) == len(header) for r in rows)
    assert not any("s/curve" in h for h in header)      # no timings in the report (they vary run to run)


@settings(max_examples=25, deadline=None)
@given(c=st.lists(st.floats(-2, 3), min_size=3, max_size=3), lnd=st.lists(st.floats(0, 20), min_size=2, max_size=2),
       f=st.lists(st.floats(0.05, 3), min_size=2, max_size=2), lx=st.floats(-5, 25))
def test_sigmoid_slope_is_the_derivative_of_the_log_space_curve(c, lnd, f, lx):
    """Property: the lambdified slope equals a central difference of the NumPy log-space evaluation."""
    p = {"a": 0.0, "b": 1.5, "c0": c[0], "c1": c[1], "c2": c[2], "d1": math.exp(min(lnd)), "d2": math.exp(max(lnd)),
         "f1": f[0], "f2": f[1]}
    h = 1e-5
    form = BNSL(2)
    theta = form.theta_from_params(p)
    fd = (form.log_excess(theta, np.exp([lx + h])) - form.log_excess(theta, np.exp([lx - h])))[0] / (2 * h)
    assert float(slope(p, [math.exp(lx)])[0]) == pytest.approx(fd, abs=1e-6)
