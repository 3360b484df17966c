"""Variance-reduced exact draws of the random-feature model (issue 24, item 2) against independent routes.

* the control variates are the first-order terms of the exact finite-size loss: compared with finite
  differences of matrix exponentials on tiny problems, and with the exact gap identity;
* the exact 1/N coefficient (second-order perturbation theory) against the DMFT solver (its planar
  part) and against exact draws (the whole);
* the slope estimator on synthetic draws whose slope is known (coverage of its interval).
"""
import numpy as np
import pytest
from scipy.linalg import expm
from test_random_features_helpers import power_law_task

from scalingtheory.numerics import rf_exact as rx
from scalingtheory.numerics._shared import blas_threads, confidence_interval
from scalingtheory.numerics.dmft import DMFT


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with blas_threads(1):
        yield


def test_projection_response_is_the_first_order_term_of_the_exact_loss():
    lam, w = power_law_task(12)
    A = np.random.default_rng(4).standard_normal((7, 12))
    E = A.T @ A / 7 - np.eye(12)
    u, s = np.sqrt(lam) * w, np.sqrt(lam)

    def loss(eps, t):
        S = s[:, None] * (np.eye(12) + eps * E) * s[None, :]
        return u @ expm(-2 * t * S) @ u

    for t in (0.3, 2.0):
        h = 1e-4
        numeric = (loss(h, t) - loss(-h, t)) / (2 * h)
        assert abs(rx.projection_response(lam, w, A.T, [t])[0] - numeric) < 1e-7 * max(1, abs(numeric))
        # and the full draw: L(1) of the exact solver is loss(1)
        assert abs(rx.draw(lam, w, 7, None, np.random.default_rng(4)).test_loss([t])[0] - loss(1.0, t)) < 1e-12


def test_draws_are_nested_across_widths():
    """Common random numbers: seed s at width N is the first N rows of the wider draw (early_excess relies on it)."""
    lam, w = power_law_task(50)
    narrow, wide = (rx.draw(lam, w, n, None, np.random.default_rng(9)).AT for n in (10, 40))
    np.testing.assert_array_equal(narrow, wide[:, :10])


def test_planar_coefficient_is_the_dmft_one_over_n_term():
    """Second-order perturbation theory (divided differences) against the DMFT solver at N = 1e5."""
    lam, w = power_law_task(300)
    times = np.array([0.1, 1.0, 3.0])
    planar, self_ = rx.excess_coefficient(lam, w, times)
    L_inf = (lam * w * w * np.exp(-2 * np.outer(times, lam))).sum(axis=1)
    dmft = (DMFT(lam, w, 1e5, None).test_loss(times) - L_inf) * 1e5
    np.testing.assert_allclose(planar, dmft, rtol=2e-4)
    np.testing.assert_allclose(self_, 2 * times ** 2 * (lam ** 3 * w * w * np.exp(-2 * np.outer(times, lam))).sum(1))


def test_exact_draws_resolve_the_whole_one_over_n_coefficient():
    """N [E L(t, N) - L(t, oo)] -> planar + self; the DMFT's planar part alone is excluded (t = 1)."""
    lam, w = power_law_task(150)
    n, t = 150, 1.0
    ex = rx.early_excess(lam, w, [n], [t], seeds=range(200))
    mean, (lo, hi) = confidence_interval(n * ex.corrected[:, 0, 0])
    planar, self_ = rx.excess_coefficient(lam, w, [t])
    assert lo < planar[0] + self_[0] < hi
    assert not lo < planar[0] < hi
    # the control variate keeps the mean (raw draws agree, with a far wider interval) and cuts the spread
    raw_mean, (raw_lo, raw_hi) = confidence_interval(n * ex.raw[:, 0, 0])
    assert raw_lo < mean < raw_hi and (raw_hi - raw_lo) > 5 * (hi - lo)


def test_gap_identity_and_control_variate():
    """L - L_train = -D_y + 2 D_g.w - w D_K w exactly (brute force), and E[G1] = 0 (first order)."""
    lam, w = power_law_task(30)
    times = np.array([0.0, 0.01, 1.0, 50.0])
    for N, P in ((12, 20), (None, 15)):
        dr = rx.draw(lam, w, N, P, np.random.default_rng(2), keep_data=True)
        F, y, b = dr.data["F"], dr.data["y"], dr.data["b_pop"]
        K = np.diag(lam) if dr.data["K_pop"] is None else dr.data["K_pop"]
        Kh, g = F.T @ F / P, F.T @ y / P
        gap = []
        for t in times:
            Z = np.zeros((K.shape[0] + 1,) * 2)
            Z[:-1, :-1], Z[:-1, -1] = -Kh, g
            wt = expm(Z * t)[:-1, -1]
            gap.append(-(y @ y / P - dr.L0) + 2 * (g - b) @ wt - wt @ (Kh - K) @ wt)
        np.testing.assert_allclose(dr.test_loss(times) - dr.train_loss(times), gap, atol=1e-12)
        cv = rx.gap_control_variate(dr, times)
        assert abs(cv[0] - gap[0]) < 1e-12                    # at t = 0 the gap is first order
    draws = rx.gap_draws(lam, w, None, 15, [1.0], seeds=range(300))
    cv = draws.raw - draws.corrected
    mean, (lo, hi) = confidence_interval(cv[:, 0])
    assert lo < 0 < hi


def test_early_gap_is_the_exact_rate_not_the_planar_one():
    lam, w = power_law_task(200)
    P, t = 40, 1e-3
    g = rx.gap_draws(lam, w, None, P, [t], seeds=range(200))
    mean, (lo, hi) = confidence_interval(g.corrected[:, 0] * P / t)
    rate = rx.early_gap_rate(lam, w)
    assert lo < rate < hi
    planar = 2 * lam.sum() * np.sum(lam * w * w)             # the DMFT's early gap
    assert abs(DMFT(lam, w, None, P).test_loss([t])[0] - DMFT(lam, w, None, P).train_loss([t])[0]
               - planar * t / P) < 0.02 * planar * t / P
    assert not lo < planar < hi
    with pytest.raises(ValueError, match="keep_data"):
        rx.gap_control_variate(rx.draw(lam, w, 10, 20, rng=0), [1.0])
    with pytest.raises(ValueError, match="finite number of samples"):
        rx.gap_draws(lam, w, 10, None, [1.0])


def _synthetic(gen, xs, slope, draws, spread, paired):
    """Draws with mean c x^slope: lognormal noise (heavy right tail), rows shared when paired."""
    sigma = np.sqrt(np.log1p(spread ** 2))
    shape = (draws, 1) if paired else (draws, len(xs))
    common = gen.standard_normal(shape)
    z = (0.7 * common + np.sqrt(0.51) * gen.standard_normal((draws, len(xs)))) if paired else common
    y = 3.0 * xs ** slope * np.exp(sigma * z - sigma ** 2 / 2)
    return y if paired else list(y.T)


@pytest.mark.parametrize("slope,paired", [(-1.0, False), (-0.7, True), (-2.0, False)])
def test_power_slope_recovers_a_known_slope_with_its_coverage(slope, paired):
    gen = np.random.default_rng(11)
    xs = np.array([10.0, 32.0, 100.0, 316.0, 1000.0])
    hits, estimates = 0, []
    for rep in range(150):
        est = rx.power_slope(xs, _synthetic(gen, xs, slope, 48, 0.5, paired), paired=paired,
                             replicates=400, rng=rep)
        hits += est.ci[0] <= slope <= est.ci[1]
        estimates.append(est.slope)
    assert abs(np.mean(estimates) - slope) < 0.01                     # unbiased to 1 %
    assert 0.88 <= hits / 150 <= 0.99                                  # 95 % interval covers


def test_power_slope_refuses_what_it_cannot_estimate():
    xs = [10.0, 100.0]
    with pytest.raises(ValueError, match="distinct positive"):
        rx.power_slope([10.0, 10.0], [[1.0, 2.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="positive at every x"):
        rx.power_slope(xs, [[1.0, 2.0], [-1.0, -2.0]])
    with pytest.raises(ValueError, match="at least two draws"):
        rx.power_slope(xs, [[1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="paired samples"):
        rx.power_slope(xs, np.ones((5, 3)), paired=True)
    est = rx.power_slope(xs, [[1.0, 1.2], [-1.0, 1.5]])               # a resample can be <= 0
    assert est.ci is None and est.slope < 0
