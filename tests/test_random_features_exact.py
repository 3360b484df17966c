"""Exact finite-size solver of the random-feature model against independent routes.

Routes: brute-force matrix exponentials and literal gradient-descent loops on tiny
problems (same random draw), and the simulation numbers quoted in the digest
(shared/references/dynamical_model.md, Sec. 4), which come from an independent
implementation.
"""
import numpy as np
import pytest
from test_random_features_helpers import power_law_task

from scalingtheory.numerics._shared import blas_threads
from scipy.linalg import expm

from scalingtheory.numerics._shared import confidence_interval
from scalingtheory.numerics.rf_exact import draw, simulate

M_TINY = 30



@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with blas_threads(1):
        yield


def _brute(lam, w, N, P, seed):
    """Regenerate the same draw and return (K_M, Sigma_hat, F, y, A, b, K) explicitly."""
    rng = np.random.default_rng(seed)
    M = lam.size
    A = rng.standard_normal((N, M)) if N else np.sqrt(M) * np.eye(M)
    Nn = N or M
    if P:
        G = rng.standard_normal((P, M)) * np.sqrt(lam)
        y = G @ w
        F = G @ A.T / np.sqrt(Nn)
        K, b = F.T @ F / P, F.T @ y / P
    else:
        y = F = None
        K, b = A @ np.diag(lam) @ A.T / Nn, A @ (lam * w) / np.sqrt(Nn)
    return A, Nn, y, F, K, b


CASES = [(10, 25), (25, 10), (10, None), (None, 12)]


@pytest.mark.parametrize("N,P", CASES)
def test_gradient_flow_matches_matrix_exponential(N, P):
    lam, w = power_law_task(M_TINY)
    dr = draw(lam, w, N, P, rng=3, keep_modes=True)
    A, Nn, y, F, K, b = _brute(lam, w, N, P, 3)
    times = [0.0, 0.5, 3.0, 40.0]
    test, train, diag = [], [], []
    for t in times:
        Z = np.zeros((Nn + 1, Nn + 1))
        Z[:Nn, :Nn], Z[:Nn, Nn] = -K, b              # w(t) = int_0^t e^{-Ks} b ds
        wt = expm(Z * t)[:Nn, Nn]
        v = w - A.T @ wt / np.sqrt(Nn)
        test.append(v @ (lam * v))
        train.append(np.sum((y - F @ wt) ** 2) / P if P else v @ (lam * v))
    np.testing.assert_allclose(dr.test_loss(times), test, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dr.train_loss(times), train, rtol=1e-10, atol=1e-13)
    # mode errors reproduce the loss; propagator diagonal matches expm(-K_M t)
    v = dr.mode_errors([3.0])[0]
    assert abs(np.sum(lam * v * v) - test[2]) < 1e-12
    rng = np.random.default_rng(3)
    rng.standard_normal((N, M_TINY)) if N else None
    Sig = np.diag(lam)
    if P:
        G = rng.standard_normal((P, M_TINY)) * np.sqrt(lam)
        Sig = G.T @ G / P
    KM = A.T @ A / Nn @ Sig
    np.testing.assert_allclose(dr.transfer_diagonal([2.5])[0], np.diag(expm(-2.5 * KM)),
                               atol=1e-12)
    np.testing.assert_allclose(dr.resolvent_diagonal(0.1)[0],
                               np.diag(np.linalg.inv(0.1 * np.eye(M_TINY) + KM)), atol=1e-11)


@pytest.mark.parametrize("N,P", CASES)
def test_gradient_descent_matches_literal_loop(N, P):
    lam, w = power_law_task(M_TINY)
    dr = draw(lam, w, N, P, rng=5)
    A, Nn, y, F, K, b = _brute(lam, w, N, P, 5)
    lr = 0.95 * dr.stability_limit                    # oscillating but stable regime
    wt, test, train, steps = np.zeros(Nn), [], [], (0, 1, 7, 50)
    for n in range(max(steps) + 1):
        if n in steps:
            v = w - A.T @ wt / np.sqrt(Nn)
            test.append(v @ (lam * v))
            train.append(np.sum((y - F @ wt) ** 2) / P if P else v @ (lam * v))
        wt = wt + lr * (b - K @ wt)
    t = np.array(steps) * lr
    np.testing.assert_allclose(dr.test_loss(t, lr), test, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dr.train_loss(t, lr), train, rtol=1e-10, atol=1e-13)


def test_small_step_descent_approaches_flow():
    lam, w = power_law_task(200)
    dr = draw(lam, w, 40, 60, rng=0)
    t = np.array([1.0, 10.0, 100.0])
    gap = [np.max(np.abs(dr.test_loss(t, lr) / dr.test_loss(t) - 1)) for lr in (0.1, 0.01)]
    assert gap[1] < gap[0] / 5                        # O(lr) convergence to gradient flow


@pytest.mark.parametrize("N,P,reference", [
    (100, 250, 0.0540), (80, 400, 0.0605), (400, 80, 0.0436),
    (None, 150, 0.01942), (150, None, 0.02765)])
def test_ridge_loss_matches_digest_simulations(N, P, reference):
    """Digest Sec. 4: M = 600, lambda_k = k^-1.5, lambda_k w_k^2 = k^-2, ridge z = 1e-3."""
    lam, w = power_law_task(600)
    losses = [draw(lam, w, N, P, rng=s).ridge_loss(1e-3)[0] for s in range(30)]
    mean, (lo, hi) = confidence_interval(losses)
    half = (hi - lo) / 2
    assert abs(mean - reference) < half + 0.01 * reference


def test_resolvent_diagonal_matches_digest_dmft_values():
    """Digest Sec. 4: diag (z + K_M)^{-1}, z = 1e-2, N = 150, P = 250 (DMFT values)."""
    lam, w = power_law_task(600)
    diag = [draw(lam, w, 150, 250, rng=1000 + s, keep_modes=True).resolvent_diagonal(1e-2)[0]
            for s in range(20)]
    mean, (lo, hi) = confidence_interval(diag)
    half = (hi - lo) / 2
    for k, ref in [(1, 1.4727), (6, 18.011), (51, 84.48), (101, 93.82), (301, 98.74)]:
        assert abs(mean[k - 1] - ref) < 1.5 * half[k - 1] + 0.005 * ref, k


def test_simulate_reproducible_and_extendable():
    lam, w = power_law_task(100)
    a = simulate(lam, w, 20, 30, [1.0, 10.0], seeds=range(7, 10))
    b = simulate(lam, w, 20, 30, [1.0, 10.0], seeds=range(7, 12))
    np.testing.assert_array_equal(a.test, b.test[:3])
    assert np.all(a.train_mean <= a.test_mean)        # training loss below test loss
    lo, hi = b.test_ci
    assert np.all(np.isfinite(lo)) and np.all(hi > b.test_mean) and np.all(lo < b.test_mean)


def test_bad_input():
    lam, w = power_law_task(50)
    with pytest.raises(ValueError, match="N must satisfy N <= M"):
        draw(lam, w, 60, 10)
    with pytest.raises(ValueError, match="N must be a positive integer"):
        draw(lam, w, 0, 10)
    with pytest.raises(ValueError, match="P must be a positive integer"):
        draw(lam, w, 10, -3)
    with pytest.raises(ValueError, match="eigenvalues"):
        draw(-lam, w, 10, 10)
    dr = draw(lam, w, 10, 20, rng=0)
    with pytest.raises(ValueError, match="learning_rate must satisfy"):
        dr.test_loss([1.0], learning_rate=1.01 * dr.stability_limit)
    with pytest.raises(ValueError, match="times must be finite and >= 0"):
        dr.test_loss([-1.0])
    with pytest.raises(ValueError, match="integer multiples"):
        dr.test_loss([0.123], learning_rate=0.1)
    with pytest.raises(ValueError, match="seeds"):
        simulate(lam, w, 10, 10, [1.0], seeds=())
    with pytest.raises(TypeError, match="sequence of integer seeds"):
        simulate(lam, w, 10, 10, [1.0], seeds=8)
