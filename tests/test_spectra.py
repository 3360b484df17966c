"""PowerLawSpectrum: exact tails (Hurwitz zeta) against independent routes at 30+ digits."""
import mpmath
import numpy as np
import pytest
import sympy as sp

from scalingtheory.spectra import PowerLawSpectrum
from scalingtheory.symbols import alpha, beta


@pytest.mark.parametrize("a, b", [(2, "1/2"), ("3/2", "2/3"), (3, 2), ("5/4", "1/10")])
def test_tail_sum_matches_direct_summation(a, b):
    spec = PowerLawSpectrum(a, b)
    n = 7
    s = mpmath.mpf(sp.N(spec.source_exponent, 60))
    with mpmath.workdps(40):
        # independent route: Riemann zeta minus the finite head sum
        direct = mpmath.zeta(s) - mpmath.fsum(mpmath.mpf(k) ** (-s) for k in range(1, n + 1))
        assert abs(spec.tail_sum(n, dps=40) / direct - 1) < mpmath.mpf(10) ** -32


@pytest.mark.parametrize("a, b", [(2, "1/2"), ("3/2", "2/3"), (3, 2)])
def test_euler_maclaurin_tail_agrees_to_35_digits(a, b):
    spec = PowerLawSpectrum(a, b)
    n = 1000
    expansion = spec.tail_expansion(order=12)
    k = list(expansion.free_symbols)[0]
    with mpmath.workdps(60):
        approx = mpmath.mpf(sp.N(expansion.subs(k, n), 60))
        exact = spec.tail_sum(n, dps=60)
        assert abs(approx / exact - 1) < mpmath.mpf(10) ** -35


@pytest.mark.parametrize("a, b", [(2, "1/2"), ("3/2", "2/3"), (3, 2)])
def test_leading_tail_is_power_law_with_relative_error_order_one_over_n(a, b):
    """sum_{k>n} k^-(ab+1) = n^-(ab)/(ab) (1 - ab/(2n) + ...): check the 1/n correction."""
    spec = PowerLawSpectrum(a, b)
    ab = spec.alpha * spec.beta
    with mpmath.workdps(40):
        for n in (10**3, 10**6, 10**9):
            lead = mpmath.mpf(n) ** (-float(ab)) / float(ab)
            rel = spec.tail_sum(n, dps=40) / lead - 1
            # relative error of the leading power law is -(alpha beta)/(2n) + O(n^-2)
            predicted = -float(ab) / (2 * n)
            assert abs(rel - predicted) < 5 * (float(ab) + 1) ** 2 / n**2


def test_symbolic_tail_and_leading_term():
    spec = PowerLawSpectrum()
    n = sp.Symbol("n", positive=True)
    lead = spec.tail_expansion(n, order=0)
    assert sp.simplify(lead - n ** (-alpha * beta) / (alpha * beta)) == 0
    assert spec.tail(n) == sp.zeta(alpha * beta + 1, n + 1)
    assert sp.simplify(spec.target_weight_squared() * spec.eigenvalue() - spec.target_power()) == 0


def test_ab_mapping_round_trip_and_reference_points():
    # digest facts: alpha=1.5, beta=2/3 <-> b=1.5, a=2; alpha=2, beta=1/2 <-> a=b=2
    assert PowerLawSpectrum("3/2", "2/3").to_ab() == (2, sp.Rational(3, 2))
    assert PowerLawSpectrum(2, "1/2").to_ab() == (2, 2)
    s = PowerLawSpectrum.from_ab("23/20", 2)
    assert (s.alpha, s.beta) == (2, sp.Rational(3, 40))
    a, b = PowerLawSpectrum().to_ab()
    assert a == 1 + alpha * beta and b == alpha


def test_numpy_truncation():
    spec = PowerLawSpectrum(2, "1/2")
    lam, w = spec.eigenvalues(1000), spec.target_weights(1000)
    k = np.arange(1, 1001)
    np.testing.assert_allclose(lam, k ** -2.0)
    np.testing.assert_allclose(lam * w**2, k ** -2.0, rtol=1e-13)
    signed = spec.target_weights(1000, rng=np.random.default_rng(0))
    np.testing.assert_allclose(np.abs(signed), w)
    assert 0 < spec.truncation_tail(1000) < 1e-3
    # total power = zeta(alpha beta + 1) up to the truncated tail
    assert np.isclose((lam * w**2).sum() + float(spec.tail_sum(1000)), float(mpmath.zeta(2)), rtol=1e-12)


@pytest.mark.parametrize("a, b, msg", [(1, 1, "alpha > 1"), ("0.5", 1, "alpha > 1"), (2, 0, "beta > 0"),
                                       (2, -1, "beta > 0"), (float("nan"), 1, "alpha"), (2, "x", "beta")])
def test_bad_parameters(a, b, msg):
    with pytest.raises(ValueError, match=msg):
        PowerLawSpectrum(a, b)


def test_rkhs_condition():
    assert PowerLawSpectrum(2, "1/2").rkhs_norm_finite() == sp.false
    assert PowerLawSpectrum(2, 3).rkhs_norm_finite() == sp.true
