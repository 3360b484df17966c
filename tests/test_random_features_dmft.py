"""DMFT / deterministic-equivalent solver against independent routes.

Routes: closed forms at N = P = infinity, the digest's printed numbers (Sec. 4),
first-order perturbation theory in 1/N + 1/P, and the exact finite-size solver
(mode by mode and in total loss, within seed-to-seed confidence intervals).
"""
import numpy as np
import pytest
from test_random_features_helpers import power_law_task

from scalingtheory.numerics._shared import blas_threads

from scalingtheory.models.random_features import FINITE_SIZE
from scalingtheory.numerics.dmft import DMFT, inverse_laplace
from scalingtheory.numerics._shared import confidence_interval
from scalingtheory.numerics.rf_exact import draw, simulate



@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with blas_threads(1):
        yield


def test_inverse_laplace_known_pairs():
    t = np.array([0.01, 1.0, 50.0])
    np.testing.assert_allclose(inverse_laplace(lambda z: 1 / (z + 2.0), t), np.exp(-2 * t), atol=1e-13)
    np.testing.assert_allclose(inverse_laplace(lambda z: z ** -1.5, t), 2 * np.sqrt(t / np.pi), rtol=1e-12)


def test_infinite_width_and_data_is_mode_decay():
    lam, w = power_law_task(300)
    th = DMFT(lam, w)
    t = np.array([0.3, 3.0, 300.0])
    exact = (lam * w * w * np.exp(-2 * np.outer(t, lam))).sum(axis=1)
    np.testing.assert_allclose(th.test_loss(t), exact, rtol=1e-10)
    np.testing.assert_allclose(th.bias(t), exact, rtol=1e-10)
    np.testing.assert_allclose(th.transfer_time(t), np.exp(-np.outer(t, lam)), atol=1e-12)


def test_self_consistency_matches_digest_numbers():
    """Digest Sec. 4: z = 1e-2, N = 150, P = 250 -> kappa, df, R_1, R_3, H_k(z)."""
    lam, w = power_law_task(600)
    th = DMFT(lam, w, 150, 250)
    rho = th.kappa(1e-2).real
    df = np.sum(lam / (lam + rho))
    assert abs(rho - 0.014947) < 1e-6 and abs(df - 33.90) < 0.01
    R1, R3 = th.responses(1e-2)
    assert abs(R1[0].real - 0.86439) < 1e-5 and abs(R3[0].real - 0.77399) < 1e-5
    assert abs(R1[0] * R3[0] * rho - 1e-2) < 1e-12            # z = kappa R_1 R_3
    H = th.transfer(1e-2)[0].real
    for k, ref in [(1, 1.4727), (6, 18.011), (51, 84.48), (101, 93.82), (301, 98.74)]:
        assert abs(H[k - 1] - ref) < 1e-4 * ref


def test_infinite_width_ridge_matches_digest_formula():
    """N = inf: E = B / (1 - gamma) with kappa = 0.002694, gamma = 0.273, B = 0.01397."""
    lam, w = power_law_task(600)
    th = DMFT(lam, w, None, 150)
    rho = th.kappa(1e-3).real
    gamma = np.sum(lam ** 2 / (lam + rho) ** 2) / 150
    B = np.sum(lam * w * w * rho ** 2 / (lam + rho) ** 2)
    assert abs(rho - 0.002694) < 1e-6 and abs(gamma - 0.273) < 1e-3 and abs(B - 0.01397) < 1e-5
    assert th.ridge_loss(1e-3)[0] == pytest.approx(B / (1 - gamma), rel=1e-10)


@pytest.mark.parametrize("N,P", [(100, 250), (80, 400), (400, 80), (None, 150), (150, None)])
def test_ridge_risk_within_simulation_ci(N, P):
    lam, w = power_law_task(600)
    sims = [draw(lam, w, N, P, rng=100 + s).ridge_loss(1e-3)[0] for s in range(24)]
    mean, (lo, hi) = confidence_interval(sims)
    half = (hi - lo) / 2
    assert abs(DMFT(lam, w, N, P).ridge_loss(1e-3)[0] - mean) < half


def test_first_order_finite_size_correction():
    """H_k(z) = 1/(z+l) + (1/N + 1/P) l/(z+l)^2 df(z) + O(1/N^2) (digest Sec. 2.2)."""
    lam, w = power_law_task(400)
    z = 0.05
    first = lam / (z + lam) ** 2 * np.sum(lam / (z + lam))
    for sizes in [(None, 1.0), (1.0, None), (1.0, 2.0)]:
        errs = []
        for n in (1000.0, 2000.0):
            NP = [None if x is None else x * n for x in sizes]
            H = DMFT(lam, w, *NP).transfer(z)[0].real
            errs.append(np.max(np.abs(H - 1 / (z + lam) - first * sum(1 / x for x in NP if x))))
        assert 3.5 < errs[0] / errs[1] < 4.5, sizes          # remainder is O(1/n^2)


@pytest.mark.parametrize("N,P", [(120, 240), (240, 120), (120, None)])
def test_loss_curves_within_simulation_ci(N, P):
    lam, w = power_law_task(1200)
    t = np.array([1.0, 30.0, 1e3, 1e5])
    sim = simulate(lam, w, N, P, t, seeds=range(1, 13))
    th = DMFT(lam, w, N, P)
    # the deterministic equivalent is exact up to O(1/N + 1/P) relative corrections: the model's one allowance
    finite = FINITE_SIZE * (1 / N + (0 if P is None else 1 / P))
    L = th.test_loss(t)
    assert np.all(np.abs(L - sim.test_mean) < (sim.test_ci[1] - sim.test_ci[0]) / 2 + finite * L)
    if P is not None:
        Ltr = th.train_loss(t)
        assert np.all(np.abs(Ltr - sim.train_mean) < (sim.train_ci[1] - sim.train_ci[0]) / 2 + finite * Ltr + 1e-9)
        assert np.all(Ltr <= L)


def test_transfer_functions_mode_by_mode():
    lam, w = power_law_task(800)
    t = np.array([3.0, 300.0])
    diag = [draw(lam, w, 100, 200, rng=s, keep_modes=True).transfer_diagonal(t) for s in range(12)]
    mean, (lo, hi) = confidence_interval(diag)
    half = (hi - lo) / 2
    H = DMFT(lam, w, 100, 200).transfer_time(t)
    inside = np.abs(H - mean) < half
    assert inside.mean() > 0.9                        # 95% CIs, mode by mode
    se = half / 2.2                                   # t_{0.975, 11} = 2.20
    assert np.mean(((H - mean) / se) ** 2) < 2.0      # chi^2 / dof ~ 11/9


def test_bad_input():
    lam, w = power_law_task(50)
    with pytest.raises(ValueError, match="N must be a positive number"):
        DMFT(lam, w, -60, None)
    with pytest.raises(ValueError, match="P must be a positive number"):
        DMFT(lam, w, 10, 0)
    with pytest.raises(ValueError, match="times must be finite and > 0"):
        DMFT(lam, w, 10, 20).test_loss([0.0])
    with pytest.raises(ValueError, match="ridge must be > 0"):
        DMFT(lam, w, 10, 20).ridge_loss(-1.0)
