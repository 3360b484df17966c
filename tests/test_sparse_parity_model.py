"""Symbolic sparse-parity model (Nam et al. 2024): dynamics, times, exponents, prefactors.

Every closed form is compared with an independent route: a numerical ODE solution, a
root search on numeric curves, mpmath quadrature, or a number printed in the paper/digest.
"""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from scalingtheory.models import get_model
from scalingtheory.models import sparse_parity as sp_model
from scalingtheory.models.sparse_parity import (MODEL, S, compute_prefactor, emergence_time_expr, epsilon, eta,
                                                gradient_flow, logistic_solution, p, prefactor_D, prefactor_lambda,
                                                prefactor_N, prefactor_T, prefactor_T_integral, r,
                                                saturation_time_expr, skill_loss_expr)
from scalingtheory.numerics import sparse_parity as num
from scalingtheory.symbols import alpha, t

ALPHAS = ("0.3", "0.6", "0.9")


def _sub(a, S_v=1, r_v="1/100", eta_v=1):
    return {alpha: sp.Rational(a), S: sp.Rational(S_v), r: sp.Rational(r_v), eta: sp.Rational(eta_v)}


def test_registry_returns_model():
    assert get_model("sparse_parity") is MODEL


# ------------------------------------------------------------------ Eqs. (31)-(35), (11), (27)
def test_gradient_flow_conserves_balance_and_gives_logistic_rate():
    flow = gradient_flow()
    assert sp.simplify(flow["conserved_rate"]) == 0  # Lemma 1: a^2 - b^2 conserved
    R = flow["R"]
    assert sp.simplify(flow["R_dot"] - (-2 * eta * p * R * (R - S))) == 0  # Eq. (34) as printed


def test_logistic_solution_solves_ode_symbolically():
    sol = logistic_solution()
    assert sp.simplify(sp.diff(sol, t) + 2 * eta * p * sol * (sol - S)) == 0
    assert sp.simplify(sol.subs(t, 0) - r) == 0
    R = sp.Function("R")            # and dsolve derives the same from Eq. (34) (the toolkit only verifies it)
    flow = gradient_flow()
    derived = sp.dsolve(sp.Eq(R(t).diff(t), flow["R_dot"].subs(flow["R"], R(t))), R(t), ics={R(0): r}).rhs
    assert sp.simplify(derived - sol) == 0


def test_logistic_solution_matches_numerical_flow_of_a_and_b():
    """Integrate Eqs. (31)-(32) for (a, b) numerically, with a(0) = b(0) = sqrt(r)."""
    vals = {S: 2.0, r: 0.03, eta: 0.7, p: 0.4}
    f = sp.lambdify(t, logistic_solution().subs(vals))

    def rhs(_, y):
        a, b = y
        return [-0.7 * 0.4 * b * (a * b - 2.0), -0.7 * 0.4 * a * (a * b - 2.0)]

    times = np.linspace(0, 12, 25)
    sol = solve_ivp(rhs, (0, 12), [math.sqrt(0.03)] * 2, t_eval=times, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(sol.y[0] * sol.y[1], f(times), rtol=1e-8)


def test_skill_loss_is_half_squared_gap_and_matches_numerics():
    vals = {S: 3.0, r: 0.2, eta: 1.3, p: 0.05}
    expr = skill_loss_expr().subs(vals)
    for time in (0.0, 5.0, 40.0):
        assert math.isclose(float(expr.subs(t, time)), float(num.skill_loss(time, 1.3 * 0.05, 3.0, 0.2)),
                            rel_tol=1e-12)
    assert sp.simplify(skill_loss_expr() - (S - logistic_solution()) ** 2 / 2) == 0


# ------------------------------------------------------------------ Eq. (40), (41)
def test_emergence_and_saturation_times_hit_thresholds():
    vals = {S: 5.0, r: 0.01, eta: 0.02, p: 0.3, epsilon: 0.05}
    te = float(emergence_time_expr().subs(vals))
    ts = float(saturation_time_expr().subs(vals))
    curve = lambda t: float(num.skill_strength(t, 0.02 * 0.3, 5.0, 0.01)) / 5.0  # noqa: E731
    assert math.isclose(brentq(lambda t: curve(t) - 0.05, 0, 1e5), te, rel_tol=1e-10)
    assert math.isclose(brentq(lambda t: curve(t) - 0.95, 0, 1e5) - te, ts, rel_tol=1e-10)
    # Eq. (40) as printed
    assert math.isclose(te, math.log((5 / 0.01 - 1) / (1 / 0.05 - 1)) / (2 * 0.02 * 0.3 * 5), rel_tol=1e-12)
    assert math.isclose(ts, math.log(1 / 0.05 - 1) / (0.02 * 0.3 * 5), rel_tol=1e-12)


def test_emergence_time_scales_as_k_to_alpha_plus_one():
    taus = [MODEL.emergence_time(j, alpha="0.6", S=5).value for j in (1, 2, 4, 8)]
    np.testing.assert_allclose(np.array(taus) / taus[0], np.array([1, 2, 4, 8]) ** 1.6, rtol=1e-12)
    sym = MODEL.emergence_time(sp_model.k, alpha=alpha).expr
    assert sp.simplify(sym.diff(sp_model.k) * sp_model.k / sym - (alpha + 1)) == 0


def test_stage_like_margin_matches_numeric_crossings():
    """Eq. (41) margin against root searches on the numeric logistic curves (n_s = 5, alpha = 0.6, S = 5)."""
    P = num.skill_frequencies(0.6, 5)

    def crossing(j, level):
        return brentq(lambda t: float(num.skill_strength(t, P[j - 1], 5.0, 0.01)) / 5.0 - level, 0, 1e6)

    for j in (1, 2, 3):
        expected = crossing(j + 1, 0.05) - crossing(j, 0.05) - (crossing(j, 0.95) - crossing(j, 0.05))
        got = MODEL.stage_like(j, skills=5, alpha="0.6", S=5).value
        assert math.isclose(got, expected, rel_tol=1e-8, abs_tol=1e-9)
    # digest: for fixed initialisation only the first skills are stage-like
    assert MODEL.stage_like(1, skills=5, alpha="0.6", S=5).value > 0
    assert MODEL.stage_like(3, skills=5, alpha="0.6", S=5).value < 0


# ------------------------------------------------------------------ exponents and compute-optimal rule
def test_exponents_and_allocation_symbolic():
    res = MODEL.analyze(alpha=alpha)
    assert sp.simplify(res["exponents.t"].expr - alpha / (alpha + 1)) == 0
    assert sp.simplify(res["exponents.D"].expr - alpha / (alpha + 1)) == 0
    assert sp.simplify(res["exponents.N"].expr - alpha) == 0
    assert sp.simplify(res["exponents.C"].expr - alpha / (alpha + 2)) == 0
    assert sp.simplify(res["compute_optimal.allocation.N"].expr - 1 / (alpha + 2)) == 0
    assert sp.simplify(res["compute_optimal.allocation.t"].expr - (alpha + 1) / (alpha + 2)) == 0


def test_allocation_solves_lagrange_problem_of_eq71():
    """Minimise T^-(a/(a+1)) + N^-a on N T = C numerically (Eq. 71) and read off the slopes."""
    from scipy.optimize import minimize_scalar

    a = 0.6

    def optimum(log_c):
        res = minimize_scalar(lambda x: math.exp(-a / (a + 1) * (log_c - x)) + math.exp(-a * x),
                              bounds=(-5, log_c + 5), method="bounded", options={"xatol": 1e-12})
        return res.x, res.fun

    (n1, l1), (n2, l2) = optimum(math.log(1e8)), optimum(math.log(1e16))
    res = MODEL.analyze(alpha="0.6")
    span = math.log(1e16) - math.log(1e8)
    assert (n2 - n1) / span == pytest.approx(float(res["compute_optimal.allocation.N"].expr), abs=1e-6)
    assert -(math.log(l2) - math.log(l1)) / span == pytest.approx(float(res["exponents.C"].expr), abs=1e-6)
    assert res["compute_optimal.allocation.N"].expr == sp.Rational(5, 13)


def test_exact_rational_input_stays_rational():
    res = MODEL.analyze(alpha="1/3")
    assert res["exponents.t"].expr == sp.Rational(1, 4)
    assert res["exponents.C"].expr == sp.Rational(1, 7)


# ------------------------------------------------------------------ prefactors against the digest
@pytest.mark.parametrize("a, const, bare", [("0.3", "1.29065", "4.80996"), ("0.6", "1.20012", "3.21915"),
                                             ("0.9", "1.06067", "2.70531")])
def test_time_constants_of_authors(a, const, bare):
    """The authors' Mathematica constants: 2 A_T at S = 1, r = 0.01 (digest 5.4)."""
    A_T = sp.N(prefactor_T().subs(_sub(a)), 30)
    assert f"{float(2 * A_T):.6g}" == const
    integral = sp.N((prefactor_T() * (alpha + 1) * sp.zeta(alpha + 1) ** (1 / (alpha + 1)) * 2).subs(_sub(a)), 20)
    assert f"{float(integral):.6g}" == bare


@pytest.mark.parametrize("a", ALPHAS)
def test_polylog_closed_form_equals_quadrature_of_eq321(a):
    """Closed form (polylog, SymPy -> mpmath) vs. tanh-sinh quadrature of the printed integral."""
    sub = _sub(a, 5, "1/100", 2)
    closed = sp.N(prefactor_T().subs(sub), 30)
    printed = prefactor_T_integral().subs(sub)
    integral = next(iter(printed.atoms(sp.Integral)))
    f = sp.lambdify(sp_model.u, integral.function, modules="mpmath")
    with mpmath.workdps(30):
        # u = t^8 smooths the u^(-1/(alpha+1)) endpoint singularity (plain tanh-sinh stalls at 1e-8..1e-13)
        quad = mpmath.quad(lambda t: 8 * t**7 * f(t**8), [0, 1, 1.3, mpmath.inf])
        route = sp.N(printed.subs(integral, sp.Float(quad, 30)), 30)
        assert abs(closed - route) < 1e-22 * abs(closed)
        # and Theorem 4's A(lambda = oo) = A_T (eta S)^(alpha/(alpha+1))
        a_inf = prefactor_lambda(mpmath.inf, a, 5, "0.01", dps=25)
        scale = mpmath.mpf(10) ** (mpmath.mpf(a) / (1 + mpmath.mpf(a)))
        assert abs(a_inf - mpmath.mpf(str(closed)) * scale) < 1e-20 * a_inf


@pytest.mark.parametrize("a, dval, nval", [("0.3", "1.05878", "0.847756"), ("0.6", "0.883718", "0.729150"),
                                           ("0.9", "0.733070", "0.635013")])
def test_data_and_width_prefactors(a, dval, nval):
    half = sp.Rational(1, 2)
    assert f"{float(sp.N(prefactor_D().subs(_sub(a)) / half, 20)):.6f}" == f"{float(dval):.6f}"
    assert f"{float(sp.N(prefactor_N().subs(_sub(a)) / half, 20)):.6f}" == f"{float(nval):.6f}"


@pytest.mark.parametrize("S_v, a, lam_star, A_C", [
    (5, "0.3", "0.366", "11.906"), (5, "0.6", "0.512", "9.850"), (5, "0.9", "0.607", "8.080"),
    (1, "0.3", "0.430", "0.5647"), (1, "0.6", "0.593", "0.5320"), (1, "0.9", "0.695", "0.4836")])
def test_compute_prefactor_table(S_v, a, lam_star, A_C):
    got_A, got_lam = compute_prefactor(a, S_v, "0.01")
    assert abs(got_lam - mpmath.mpf(lam_star)) <= 0.0005
    digits = len(A_C.split(".")[1])
    # one unit of the last printed digit: the digest's 9.850 is 9.84949... rounded twice
    assert abs(got_A - mpmath.mpf(A_C)) <= 10 ** (-digits)


def test_compute_prefactor_is_a_minimum_and_higher_precision_agrees():
    """Eq. (330) objective evaluated directly around lambda*, and at 40 digits."""
    A_C, lam_star = compute_prefactor("0.6", 1, "0.01", dps=15)
    a = mpmath.mpf("0.6")

    def objective(lv):
        return prefactor_lambda(lv ** ((a + 2) / (a + 1)), "0.6", 1, "0.01") * lv ** (a / (a + 1))

    assert abs(objective(lam_star) - A_C) < 1e-12
    assert objective(lam_star * 0.9) > A_C and objective(lam_star * 1.1) > A_C
    A_hi, lam_hi = compute_prefactor("0.6", 1, "0.01", dps=40)
    assert abs(A_hi - A_C) < 1e-13 and abs(lam_hi - lam_star) < 1e-10


def test_small_r_asymptotic_of_prop7():
    """Prop. 7: int u^(-1/(a+1)) Phi du ~ (log((S-r)/r))^(a/(a+1)) 2^(1/(a+1)) S^2 (a+1)/(4a); ratio -> 1."""
    a = sp.Rational(3, 5)
    ratios = []
    for r_v in ("1/100", "1e-6", "1e-20", "1e-60"):
        sub = _sub("0.6", 1, r_v)
        integral = sp.N((prefactor_T() * (alpha + 1) * sp.zeta(alpha + 1) ** (1 / (alpha + 1))).subs(sub), 25)
        c = 1 / sp.Rational(r_v) - 1
        prop7 = sp.log(c) ** (a / (a + 1)) * 2 ** (1 / (a + 1)) * (a + 1) / (4 * a)
        ratios.append(float(sp.N(prop7 / integral, 20)))
    assert ratios[0] == pytest.approx(1.13, abs=0.01)  # digest: 3.64 vs 3.22 at r = 0.01
    assert all(x > y > 1 for x, y in zip(ratios, ratios[1:]))
    assert ratios[-1] < 1.005


def test_analyze_reports_prefactors_under_resource_names():
    res = MODEL.analyze(alpha="0.6")
    assert set(res.prefactors) == {"t", "D", "N", "C"}
    assert res["prefactors.t"].value == pytest.approx(0.600062, abs=1e-6)
    assert res["prefactors.C"].value == pytest.approx(0.5320, abs=1e-4)
    data = res.to_json()
    assert data["compute_optimal"]["allocation"]["N"]["expr"] == "5/13"
    assert data["exponents"]["C"]["expr"] == "3/13"
    assert any("lambda* = 0.593" in n for n in data["notes"])  # digest: 0.593 for S = 1, alpha = 0.6


# ------------------------------------------------------------------ extended models (Eqs. 14, 17, 21)
def test_calibrated_time_model_scales_rate():
    P = num.skill_frequencies(0.6, 5)
    strengths = sp_model.calibrated_time_strength([0.0, 1000.0], P, kappa_T=1 / 22, S_v=5.0, r_v=0.01, eta_v=0.02)
    assert strengths.shape == (2, 5)
    np.testing.assert_allclose(strengths[0], 0.01)
    np.testing.assert_allclose(strengths[1], num.skill_strength(1000.0 / 22, 0.02 * P, 5.0, 0.01))


def test_d_shot_and_width_models():
    np.testing.assert_allclose(sp_model.d_shot_strength([0, 200, 800, 1600], D_c=800),
                               [0, 1 - math.sqrt(0.75), 1, 1])
    # Eq. (21): N = 10, N_c = 4 -> q = 3, rho = 2 (digest 5.3)
    assert sp_model.width_strength(10, np.arange(1, 6), N_c=4, S_v=5).tolist() == [5, 5, 2.5, 0, 0]
    assert sp_model.width_strength(8, np.arange(1, 4), N_c=4).tolist() == [1, 1, 0]


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("params, match", [
    ({"alpha": 0}, "alpha must satisfy alpha > 0"), ({"alpha": -1}, "alpha"),
    ({"alpha": "0.6", "S": 0}, "S must satisfy S > 0"), ({"alpha": "0.6", "r": 1}, "0 < r < S"),
    ({"alpha": "0.6", "r": -0.1}, "r must satisfy"), ({"alpha": "0.6", "eta": "x"}, "eta"),
])
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        MODEL.analyze(**params)


def test_bad_queries():
    with pytest.raises(ValueError, match=r"skill \(k\) must be a positive integer"):
        MODEL.emergence_time(1.5, alpha="0.6")
    with pytest.raises(ValueError, match=r"skill \(k\) must satisfy 1 <= k <= skills \(n_s\) = 5"):
        MODEL.emergence_time(6, skills=5, alpha="0.6")
    with pytest.raises(ValueError, match="epsilon"):
        MODEL.emergence_time(1, epsilon_v="0.7", alpha="0.6")
    with pytest.raises(ValueError, match="0 < r < S"):
        compute_prefactor("0.6", 1, "2")
    with pytest.raises(ValueError, match="N_c must be a positive integer"):
        sp_model.width_strength(3, [1], N_c=0)


# ------------------------------------------------------------------ figures and agreement (quick)
def test_figures_quick_write_pngs(tmp_path):
    from scalingtheory.plots import write_figures

    paths = write_figures(MODEL, tmp_path, quick=True)
    assert [p.name for p in paths] == ["sparse_parity_emergence.png", "sparse_parity_scaling.png"]
    assert all(p.stat().st_size > 10_000 and p.read_bytes()[:4] == b"\x89PNG" for p in paths)


def test_agreement_rows_are_close():
    """--quick runs every check: the sums within 2 %; every network row (t, D, N: five skills and the slope) shown
    with its route, resource and seeds; those the quick runs cannot resolve say so instead of disappearing."""
    rows = MODEL.agreement(quick=True)
    assert [r.quantity.split(",")[0] for r in rows[:5]] == ["L(t=1e3)", "L(D=1e3)", "L(N=1e3)", "L*(C=1e8)",
                                                            "R_2(t=2000)"]
    for r in rows[:5]:
        assert r.passed and r.tolerance <= 0.02 and r.why, r
    network = rows[5:]
    assert [(r.resource, r.quantity.split(" ")[0]) for r in network] == [
        (x, name) for x, sym in (("t", "tau"), ("D", "D"), ("N", "N"))
        for name in [f"{sym}_{k}" for k in range(1, 6)] + ["emergence"]]
    for r in network:
        assert r.route == "network" and r.size == "quick" and r.seeds and r.params == {"alpha": "3/5"}  # alpha = 0.6, written exactly
        assert r.verdict in ("within", "beyond", "not resolved")
    slopes = [r for r in network if r.quantity.startswith("emergence slope")]
    assert all(r.reason == "not resolved at quick size" for r in slopes)
    assert network[0].verdict in ("within", "beyond") and network[0].ci is not None  # tau_1 resolves at quick size


def test_network_rows_compare_lower_bounds_without_an_interval(monkeypatch):
    """A skill some seed never reached within the grid gives a lower bound: shown (and beyond) only when the bound
    exceeds the model by more than the allowance, compared without the seeds' interval; a model point beyond the
    grid that no seed reached is not resolved; fully reached points keep their t-interval."""
    from scalingtheory.models.engine import _row
    from scalingtheory.numerics import parity_network as pn

    nan = float("nan")
    points = np.array([[10.0, 30.0, nan, nan], [12.0, nan, 13.0, nan], [14.0, 34.0, nan, nan]])
    res = pn.EmergenceResult("N", pn.EmergenceTask(n_s=4), pn.WidthBudget(seeds=(0, 1, 2)),
                             np.array([10.0, 20.0, 40.0]), np.zeros((3, 4)), np.zeros((3, 4)), np.zeros((3, 4)), "N_c",
                             4.0, 0.5, points, np.array([12.0, 20.0, 38.0, 50.0]), nan, (nan, nan), 1.4, np.zeros(1),
                             np.zeros(1), 0.0)
    monkeypatch.setattr(sp_model, "emergence_experiment", lambda resource, quick: res)
    rows = [_row(c, float(c.theory(False)), False) for c in sp_model._network_checks("N", skills=4)]
    assert rows[0].verdict == "within" and rows[0].ci[0] < 12 < rows[0].ci[1]
    assert rows[1].verdict == "beyond" and rows[1].numerics == pytest.approx(104 / 3) and rows[1].ci[0] == rows[1].ci[1]
    assert rows[2].verdict == "not resolved"            # bound (13 + 40 + 40)/3 = 31 < 38 * 1.15: undecided
    assert rows[3].verdict == "not resolved"            # the model puts it beyond the grid; no seed reached it
    assert rows[4].verdict == "not resolved"            # no slope from fewer than three emerged skills


def test_check_notes_carry_the_analysed_exponents():
    """The notes' exponents are the model's own at alpha = 0.6 (engine route: analyze), not typed by hand."""
    res = MODEL.analyze(alpha="0.6")
    notes = {c.quantity.split(",")[0]: c.note for c in MODEL.checks}
    for x, key in (("t", "L(t=1e3)"), ("D", "L(D=1e3)"), ("C", "L*(C=1e8)")):
        assert notes[key].startswith(f"A_{x.upper()} {x}^-{res[f'exponents.{x}'].expr} (Eq. 3")
    assert notes["L(t=1e3)"] == "A_T t^-3/8 (Eq. 321) vs the exact sum Eq. (12)"   # the text as before
    assert notes["L*(C=1e8)"] == "A_C C^-3/13 (Eq. 330) vs min over N of Eq. (328)"


@pytest.mark.parametrize("terms, order", [(0, 2.6), (1, 4.6), (2, 6.6)])
def test_finite_n_s_normalisation_expansion_against_hurwitz(terms, order):
    """Prop. 5 / Eq. (160): the error of the Euler-Maclaurin expansion of H_n^(alpha+1) falls as n^-(alpha+2+2 terms)."""
    errs = []
    for n in (200, 2000):
        approx = sp.N(sp_model.normalisation(terms=terms).subs({alpha: sp.Rational(3, 5), sp_model.n_s: n}), 50)
        with mpmath.workdps(50):
            exact = mpmath.zeta(mpmath.mpf(8) / 5) - mpmath.zeta(mpmath.mpf(8) / 5, n + 1)
            errs.append(abs(mpmath.mpf(str(approx)) - exact))
    assert float(mpmath.log10(errs[0] / errs[1])) == pytest.approx(order, abs=0.1)
    # leading correction of Eq. (161): P_s(k) zeta = 1 + n^-alpha/(alpha zeta) + ...
    n = 10**4
    P1 = num.skill_frequencies(0.6, n)[0]
    z = float(mpmath.zeta(1.6))
    assert (P1 * z - 1) / (n**-0.6 / (0.6 * z)) == pytest.approx(1, abs=0.01)


def test_emergence_table_and_summary():
    rows = MODEL.emergence_table(5, alpha="0.6", S=5)
    assert [row["k"] for row in rows] == [1, 2, 3, 4, 5] and rows[-1]["margin"] is None
    np.testing.assert_allclose([row["tau_e"] / rows[0]["tau_e"] for row in rows], np.arange(1, 6) ** 1.6, rtol=1e-12)
    # saturation/emergence ratio is k-independent: 2 ln(19) / ln(499/19) for S = 5, r = 0.01, eps = 0.05
    for row in rows:
        assert row["tau_s"] / row["tau_e"] == pytest.approx(2 * math.log(19) / math.log(499 / 19), rel=1e-12)
    (caption, header, table), = MODEL.tables()
    assert "Eq. (40)" in caption and len(header) == 4 and [row[0] for row in table] == [1, 2, 3, 4, 5]


def test_emergence_time_large_skill_lists_and_threshold_below_start():
    """n_s = 10^6 uses zeta(alpha+1) - zeta(alpha+1, n_s+1) (no expanded sum) and approaches n_s = oo;
    a threshold below the initial strength r/S is refused instead of giving a negative time."""
    big = MODEL.emergence_time(3, skills=10**6, alpha="0.6").value
    inf = MODEL.emergence_time(3, alpha="0.6").value
    harmonic = MODEL.emergence_time(3, skills=100, alpha="0.6").value
    assert harmonic < big < inf and abs(big / inf - 1) < 1e-3
    with pytest.raises(ValueError, match="epsilon must exceed the initial skill strength"):
        MODEL.emergence_time(1, alpha="0.6", r="1/2")


def test_time_is_t_and_the_keyword_T_is_a_deprecated_alias():
    """One time symbol, t (the paper's T): the closed forms are in t; the old keyword T still works, with a warning."""
    from scalingtheory.numerics import parity_network as pn

    assert t in logistic_solution().free_symbols and "T" not in {s.name for s in logistic_solution().free_symbols}
    times = np.array([10.0, 100.0])
    with pytest.warns(DeprecationWarning, match="keyword T is deprecated"):
        old = num.time_width_loss(T=times, N=5, alpha=0.6, n_s=5)
    np.testing.assert_array_equal(old, num.time_width_loss(times, 5, 0.6, 5))
    with pytest.warns(DeprecationWarning, match="T_values is deprecated"):
        old = sp_model.calibrated_time_strength(T_values=times, skill_freqs=[0.5])
    np.testing.assert_array_equal(old, sp_model.calibrated_time_strength(times, [0.5]))
    with pytest.warns(DeprecationWarning, match='key "T"'):
        assert pn.Record(t=times)["T"] is times
    with pytest.raises(TypeError, match="give one of them"):
        num.skill_strength(times, 0.1, T=times)
