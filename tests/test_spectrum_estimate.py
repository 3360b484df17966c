"""st.spectrum: alpha and beta recovered from Gram matrices with a known spectrum; bad input refused.

The synthetic Gram matrices are built independently of the estimator: a power-law spectrum
lambda_k = k^-alpha on Haar-random eigenvectors, and targets whose power in mode k is
k^-(alpha beta + 1) times chi-square scatter (Gaussian coefficients), as for real data.
"""
import json

import numpy as np
import pytest

import scalingtheory as st
from scalingtheory.spectrum.datasets import load_teacher
from scalingtheory.spectrum.estimate import eigensystem, spectrum


def synthetic(n, alpha, beta, outputs=4, noise=0.0, seed=0):
    """``(K, Y)``: K = n U diag(k^-alpha) U^T, Y = U c with c_k^2 ~ n k^-(alpha beta + 1) (+ label noise)."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    k = np.arange(1, n + 1.0)
    K = n * (U * k ** -alpha) @ U.T
    coef = np.sqrt(n * k ** -(alpha * beta + 1))[:, None] * rng.standard_normal((n, outputs))
    Y = U @ coef + np.sqrt(noise) * rng.standard_normal((n, outputs))
    return (K + K.T) / 2, Y


@pytest.mark.parametrize("alpha, beta", [(1.5, 0.5), (2.0, 1.5), (3.0, 0.3), (1.3, 2.5)])
def test_known_power_law_recovered_within_interval(alpha, beta):
    K, Y = synthetic(1000, alpha, beta, outputs=10, seed=int(10 * alpha + beta))   # like digits: 10 outputs
    est = spectrum(y=Y, gram=K, kernel="synthetic", bootstrap=8)
    for e, truth in ((est.alpha, alpha), (est.beta, beta)):
        assert e.ci[0] <= truth <= e.ci[1], (e, truth)
    # informative: alpha within +-0.05, the data exponent alpha beta within +-0.4
    assert est.alpha.ci[1] - est.alpha.ci[0] < 0.1
    assert alpha * (est.beta.ci[1] - est.beta.ci[0]) < 0.8, est.beta.ci
    assert est.noise["fraction"] < 0.05


def test_linear_teacher_recovered_through_the_kernel():
    X, Y, info = load_teacher(n=600)
    est = spectrum(X, Y, "linear", bootstrap=10)
    assert est.alpha.ci[0] <= info["alpha"] <= est.alpha.ci[1]
    assert est.beta.ci[0] <= info["beta"] <= est.beta.ci[1]
    assert est.alpha.range == (2, 60) and est.bandwidth is None


def test_label_noise_floor_and_beta_range_cut():
    sigma2 = 0.02
    K, Y = synthetic(600, 2.0, 1.0, noise=sigma2, seed=3)
    est = spectrum(y=Y, gram=K, kernel="synthetic", bootstrap=10)
    assert 0.7 * sigma2 <= est.noise["sigma2"] <= 1.5 * sigma2
    assert est.noise["k_flat"] < 300 and est.beta.range[1] < est.alpha.range[1]
    assert est.beta.ci[0] <= 1.0 <= est.beta.ci[1]
    assert any("noise floor" in note for note in est.notes)


def test_multi_output_powers_are_averaged():
    K, Y = synthetic(200, 2.0, 1.0, outputs=3, seed=5)
    _, p_all = eigensystem(K, Y)
    per_output = [eigensystem(K, Y[:, [j]])[1] for j in range(3)]
    # atol: the mode along the constant vector (eigenvalue 0 of H K H) holds ~1e-32 of rounding
    np.testing.assert_allclose(p_all, np.mean(per_output, axis=0), rtol=1e-12, atol=1e-14 * p_all.sum())
    np.testing.assert_allclose(p_all.sum(), Y.var(axis=0).mean(), rtol=1e-10)   # Parseval, centred target


def test_rendering_json_and_plot():
    from matplotlib.figure import Figure
    K, Y = synthetic(300, 2.0, 1.0, seed=7)
    est = st.spectrum(y=Y, gram=K, kernel="synthetic", bootstrap=4)
    out = json.loads(json.dumps(est.to_json(), allow_nan=False))
    assert set(out) >= {"n", "kernel", "alpha", "beta", "noise", "notes"}
    assert set(out["alpha"]) == {"value", "lo", "hi", "range", "method"}
    assert "alpha" in repr(est) and "<table>" in est._repr_html_() and "bootstrap" in est.report()
    ax = est.plot(Figure().subplots())
    assert len(ax.lines) >= 3
    assert est.power_law().alpha > 1


def test_callable_kernel_and_named_kernels_agree():
    X = np.random.default_rng(0).standard_normal((150, 3))
    y = np.sin(X[:, 0])
    rbf = lambda A, B: np.exp(-((A[:, None, :] - B[None]) ** 2).sum(-1) / 2.0)  # noqa: E731
    a = spectrum(X, y, rbf, bootstrap=3)
    b = spectrum(X, y, "rbf", bandwidth=1.0, bootstrap=3)
    assert a.alpha.value == pytest.approx(b.alpha.value, rel=1e-9) and a.kernel == "<lambda>"


def test_subsampling_is_seeded_and_noted():
    X = np.random.default_rng(1).standard_normal((400, 2))
    a = spectrum(X, X[:, 0] ** 2, "laplace", n_max=200, bootstrap=3, seed=4)
    b = spectrum(X, X[:, 0] ** 2, "laplace", n_max=200, bootstrap=3, seed=4)
    assert a.n == 200 and a.alpha.value == b.alpha.value and a.alpha.ci == b.alpha.ci
    assert any("subsampled 200 of 400" in note for note in a.notes)


X_OK = np.random.default_rng(2).standard_normal((120, 3))


@pytest.mark.parametrize("kwargs, message", [
    (dict(X=X_OK[:40], y=X_OK[:40, 0]), "at least 100 samples"),
    (dict(X=X_OK, y=np.ones(120)), "constant"),
    (dict(X=np.where(np.arange(360).reshape(120, 3) == 7, np.nan, X_OK), y=X_OK[:, 0]), "NaN or infinite"),
    (dict(X=X_OK, y=np.where(np.arange(120) == 3, np.inf, X_OK[:, 0])), "NaN or infinite"),
    (dict(X=X_OK, y=X_OK[:, 0], n_max=10 ** 6), "n_max"),
    (dict(X=X_OK[:110], y=X_OK[:, 0]), "rows"),
    (dict(X=X_OK, y=X_OK[:, 0], kernel="cubic"), "unknown kernel"),
    (dict(X=X_OK, y=X_OK[:, 0], bandwidth=-1.0), "bandwidth"),
    (dict(y=X_OK[:, 0], gram=np.triu(np.ones((120, 120)))), "symmetric"),
    (dict(y=X_OK[:, 0]), "X or a Gram"),
    (dict(X=X_OK, y=X_OK[:, 0], bootstrap=1), "bootstrap"),
])
def test_bad_input_is_refused_in_one_line(kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        spectrum(**kwargs)
    assert "\n" not in str(info.value)


def test_flat_spectrum_leaves_beta_unidentified():
    """An identity Gram matrix has every eigenvalue 1 (no decay: alpha = 0), so beta = (s - 1) / alpha
    has no value: beta is None with a note, the JSON says null, nothing is predicted."""
    import matplotlib
    matplotlib.use("Agg")
    from scalingtheory.spectrum.predict import predictions
    y = np.random.default_rng(3).standard_normal(150)
    est = spectrum(y=y, gram=np.eye(150), bootstrap=4)
    assert est.alpha.ci[0] <= 0 <= est.alpha.ci[1] and abs(est.alpha.value) < 1e-9
    assert est.beta is None and any(note.startswith("beta not identified") for note in est.notes)
    out = json.loads(json.dumps(est.to_json(), allow_nan=False))
    assert out["beta"] is None and "nan" not in json.dumps(out).lower()
    assert "not identified" in est.report() and "not identified" in est._repr_html_()
    assert predictions(est) == ({}, ["no prediction: beta is not identified (alpha's interval reaches 0)"])
    est.plot()
    with pytest.raises(ValueError, match="beta not identified"):
        est.power_law()
