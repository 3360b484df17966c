"""ScalingLaw: exact compute-optimal rules checked against Hoffmann et al. (2022) Eq. 4 and SciPy."""
import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from scalingtheory.laws import ScalingLaw, Term
from scalingtheory.symbols import C, D, N, P, alpha, beta, t

E, A, B, a, b = sp.symbols("E A B a b", positive=True)
CHINCHILLA = ScalingLaw.from_expr(E + A * N**-a + B * D**-b, [N, D])
OPT = CHINCHILLA.compute_optimal(6 * N * D)


def test_chinchilla_exponents():
    assert sp.simplify(OPT.allocation[N] - b / (a + b)) == 0
    assert sp.simplify(OPT.allocation[D] - a / (a + b)) == 0
    assert sp.simplify(OPT.loss_exponent - a * b / (a + b)) == 0
    assert CHINCHILLA.floor == E and OPT.notes == []


def test_chinchilla_prefactors_equal_hoffmann_eq4():
    """Hoffmann et al. (2022) Eq. 4: N_opt = G (C/6)^{b/(a+b)}, D_opt = G^-1 (C/6)^{a/(a+b)},
    G = (a A / (b B))^{1/(a+b)}; the loss then follows by substitution."""
    G = (a * A / (b * B)) ** (1 / (a + b))
    n_opt = G * (C / 6) ** (b / (a + b))
    d_opt = (C / 6) ** (a / (a + b)) / G
    ours_n = OPT.allocation_prefactors[N] * C ** OPT.allocation[N]
    ours_d = OPT.allocation_prefactors[D] * C ** OPT.allocation[D]
    ours_l = OPT.loss_prefactor * C ** (-OPT.loss_exponent)
    vals = {a: sp.Rational(34, 100), b: sp.Rational(28, 100), A: sp.Rational(4064, 10), B: sp.Rational(4107, 10),
            C: sp.Integer(10) ** 23}
    for ours, theirs in ((ours_n, n_opt), (ours_d, d_opt), (ours_l, A * n_opt**-a + B * d_opt**-b)):
        assert abs(sp.N((ours / theirs).subs(vals), 40) - 1) < 1e-35
    # and symbolically identical after simplification (positive symbols)
    assert sp.simplify(sp.log(ours_n) - sp.log(n_opt)).equals(0)


def test_hoffmann_published_fit_numbers():
    """Hoffmann's fitted E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28 give a = 0.4516..., b = 0.5483...
    (their Table/Eq. 4 discussion: N_opt ~ C^0.46, D_opt ~ C^0.54 for the parametric fit)."""
    vals = {a: sp.Rational(34, 100), b: sp.Rational(28, 100)}
    assert OPT.allocation[N].subs(vals) == sp.Rational(14, 31)
    assert abs(float(OPT.allocation[N].subs(vals)) - 0.46) < 0.01
    assert abs(float(OPT.allocation[D].subs(vals)) - 0.54) < 0.01


def test_rational_input_gives_rational_output():
    law = ScalingLaw.from_expr(2 + 3 * N ** -sp.Rational(1, 3) + D ** -sp.Rational(1, 2), [N, D])
    opt = law.compute_optimal(N * D)
    assert opt.allocation == {N: sp.Rational(3, 5), D: sp.Rational(2, 5)}
    assert opt.loss_exponent == sp.Rational(1, 5) and isinstance(opt.loss_exponent, sp.Rational)


_OPT_NUMERIC = sp.lambdify((A, B, a, b, C), (OPT.allocation_prefactors[N] * C ** OPT.allocation[N],
                                              OPT.loss_prefactor * C ** (-OPT.loss_exponent)), "mpmath")


@settings(max_examples=60, deadline=None)
@given(st.floats(0.05, 2.0), st.floats(0.05, 2.0), st.floats(0.1, 1e4), st.floats(0.1, 1e4), st.integers(15, 27))
def test_symbolic_optimum_matches_scipy_minimisation(ea, eb, pa, pb, log10c):
    """For random exponents and prefactors over 12 decades of C: argmin over log N at fixed C = 6 N D.

    The floor E does not move the argmin; it is left out of the objective so that the minimiser
    resolves the reducible loss to full relative precision."""
    cost = 10.0**log10c
    logc6 = math.log(cost / 6)

    def log_loss(u):  # u = log N, D = C/(6N); log of the loss, overflow-free
        return np.logaddexp(math.log(pa) - ea * u, math.log(pb) - eb * (logc6 - u))

    def slope(u):  # d log_loss / du: the two terms' shares weighted by their slopes
        w = 1 / (1 + np.exp((math.log(pb) - eb * (logc6 - u)) - (math.log(pa) - ea * u)))
        return -ea * w + eb * (1 - w)

    res = optimize.minimize_scalar(log_loss, bounds=(-5000, 5000), method="bounded",
                                   options={"xatol": 1e-12, "maxiter": 5000})
    # for tiny exponents the loss is flat near its minimum, so the minimiser's argmin is only good
    # to ~sqrt(eps / curvature); polish it on the stationarity condition inside a bracket around it
    u_star = optimize.brentq(slope, res.x - 1, res.x + 1, xtol=1e-14)
    with mpmath.workdps(30):
        n_sym, l_sym = _OPT_NUMERIC(pa, pb, ea, eb, mpmath.mpf(cost))
    assert abs(u_star - float(mpmath.log(n_sym))) < 1e-6          # N* to 1e-6 relative
    assert abs(log_loss(u_star) - float(mpmath.log(l_sym))) < 1e-6  # L* to 1e-6 relative


def test_three_resources_separable_against_scipy():
    law = ScalingLaw.from_expr(N ** -sp.Rational(1, 2) + 2 * t ** -sp.Rational(1, 3) + 3 * P ** -1, [N, t, P])
    opt = law.compute_optimal(N * t * P)
    s = opt.loss_exponent
    assert s == sp.Rational(1, 2 + 3 + 1) and opt.allocation == {N: sp.Rational(1, 3), t: sp.Rational(1, 2), P: sp.Rational(1, 6)}
    cost = 1e12
    f = lambda u: math.exp(-u[0] / 2) + 2 * math.exp(-u[1] / 3) + 3 * math.exp(-(math.log(cost) - u[0] - u[1]))
    res = optimize.minimize(f, [10, 10], method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-16, "maxiter": 10000})
    l_sym = float(opt.loss_prefactor * sp.Float(cost) ** (-s))
    assert abs(res.fun / l_sym - 1) < 1e-8
    assert abs(math.exp(res.x[0]) / float(opt.allocation_prefactors[N] * cost ** opt.allocation[N]) - 1) < 1e-4


def test_mixed_term_exponents_against_numerical_slopes():
    """L = t^-1/2 + N^-1 + N^-1 t^-1/2 (a finite-width correction): exact LP vertex vs the slope of the
    numerically minimised loss over 10 decades of C = N t."""
    law = ScalingLaw([Term(1, {t: sp.Rational(1, 2)}), Term(1, {N: 1}), Term(1, {N: 1, t: sp.Rational(1, 2)})])
    opt = law.compute_optimal(N * t)
    assert opt.allocation == {N: sp.Rational(1, 3), t: sp.Rational(2, 3)} and opt.loss_exponent == sp.Rational(1, 3)
    logs_c = np.linspace(30, 53, 6)
    best = []
    for lc in logs_c:
        f = lambda u: math.exp(-(lc - u) / 2) + math.exp(-u) + math.exp(-u - (lc - u) / 2)
        r = optimize.minimize_scalar(f, bounds=(0, lc), method="bounded", options={"xatol": 1e-12})
        best.append((r.x, math.log(r.fun)))
    u, logl = np.array(best).T
    assert abs(np.polyfit(logs_c, u, 1)[0] - 1 / 3) < 1e-3
    assert abs(np.polyfit(logs_c, logl, 1)[0] + 1 / 3) < 1e-3


def test_mixed_term_can_be_the_binding_constraint():
    """t^-2 + N^-2 + N^-1 t^-1/2 under C = N t: the separable balance N ~ t ~ C^1/2 would leave the
    mixed term at C^-3/4; shifting compute to N balances t^-2 with the mixed term at N ~ C^3/5,
    giving s = 4/5 (hand derivation: 2(1 - x) = (1 + x)/2 at x = 3/5)."""
    law = ScalingLaw([Term(1, {t: 2}), Term(1, {N: 2}), Term(1, {N: 1, t: sp.Rational(1, 2)})])
    opt = law.compute_optimal(N * t)
    logs_c = np.linspace(40, 80, 5)
    vals = []
    for lc in logs_c:
        f = lambda u: math.exp(-2 * (lc - u)) + math.exp(-2 * u) + math.exp(-u - (lc - u) / 2)
        r = optimize.minimize_scalar(f, bounds=(0, lc), method="bounded", options={"xatol": 1e-12})
        vals.append(math.log(r.fun))
    assert abs(np.polyfit(logs_c, vals, 1)[0] + float(opt.loss_exponent)) < 2e-3
    assert opt.loss_exponent == sp.Rational(4, 5)
    assert opt.allocation == {N: sp.Rational(3, 5), t: sp.Rational(2, 5)}


def test_exponent_per_resource_and_min_structure():
    dom = {alpha: sp.Interval.open(1, sp.oo), beta: sp.Interval.open(0, sp.oo)}
    law = ScalingLaw([Term(1, {t: beta}), Term(1, {N: alpha * beta}), Term(1, {N: 2 * alpha}),
                      Term(1, {N: 1, t: 1 - 1 / alpha})], assumptions=dom)
    assert law.exponent(t) == beta
    assert law.exponent(N) == sp.Min(alpha * beta, 2 * alpha)
    assert law.exponent(P) == 0
    hard = ScalingLaw(law.terms, assumptions={alpha: sp.Interval.open(1, sp.oo), beta: sp.Interval.open(0, 1)})
    assert hard.exponent(N) == alpha * beta          # decided under beta < 1
    assert law.subs({beta: 3}).exponent(N) == 2 * alpha


def test_tie_is_reported_not_resolved():
    dom = {alpha: sp.Interval.open(1, sp.oo), beta: sp.Interval.open(0, sp.oo)}
    law = ScalingLaw([Term(1, {t: beta}), Term(1, {N: 1}), Term(1, {t: 1})], assumptions=dom)
    opt = law.compute_optimal(N * t)
    assert any("beta = 1" in n for n in opt.notes)
    assert isinstance(opt.loss_exponent, sp.Piecewise)
    # at numbers on either side the Piecewise resolves to the right branch
    assert opt.loss_exponent.subs(beta, sp.Rational(1, 2)) == sp.Rational(1, 3)
    assert opt.loss_exponent.subs(beta, 2) == sp.Rational(1, 2)


def test_bottleneck_regions():
    law = ScalingLaw.from_expr(t**-beta + N**-alpha, [t, N])
    regions = {str(bn.term): bn.conditions for bn in law.bottlenecks()}
    assert regions[str(t**-beta)] == (sp.StrictLessThan(t**beta, N**alpha, evaluate=False),)


def test_errors():
    with pytest.raises(ValueError, match="decay rate"):
        ScalingLaw([Term(1, {N: -1})])
    with pytest.raises(ValueError, match="at least one term"):
        ScalingLaw([])
    law = ScalingLaw.from_expr(N**-1 + D**-1, [N, D])
    with pytest.raises(ValueError, match="cost"):
        law.compute_optimal(t)
    with pytest.raises(ValueError, match="product of powers"):
        ScalingLaw.from_expr(sp.log(N), [N])
    opt = law.compute_optimal(N)
    assert any("unlimited" in n for n in opt.notes)
