r"""Learning curves measured on the data: kernel ridge regression in ``P`` and random-feature
regression in ``N``, and their exponents with intervals.

**Setup (stated, fixed).** Each repeat draws a fresh seeded split: a quarter of the points is
the test set, the rest the training pool of ``P_max`` points.

* Kernel ridge regression on ``P`` training points drawn from the pool,
  :math:`\hat f(x)=k_P(x)^\top(K_{PP}+P\lambda I)^{-1}y`, tiny ridge
  :math:`\lambda=10^{-8}\,\overline{K_{ii}}` (well below the eigenvalues of ``K/n`` in the
  fitting ranges, i.e. the ridgeless limit the theory's ``P`` exponent describes); ``P`` on a
  logarithmic grid of 8 points from ``P_max/32`` to ``P_max``.
* Random-feature regression with ``N`` features :math:`F=\Phi G/\sqrt N`, where
  :math:`\Phi\Phi^\top=K` (eigenfeatures of the Gram matrix of all points) and ``G`` is a
  Gaussian projection -- the linear random-feature model of Bordelon, Atanasov & Pehlevan
  (2024) on this kernel's features -- trained to convergence (least squares, same tiny
  ridge) on the whole pool; ``N`` from ``P_max/128`` to ``P_max/4`` (8 points), away from
  the interpolation peak at ``N = P``. Features are nested in ``N`` within a repeat.

The loss is the test mean squared error averaged over outputs.

**Exponent.** Minus the least-squares slope of log(mean loss over repeats) against
log(size). Interval: union over three ranges (all points, without the two smallest sizes,
without the two largest) of the 2.5--97.5% percentiles of a seeded bootstrap over repeats
(200 resamples), widened to hold the point values -- the rule used for the spectrum.

>>> sizes = np.array([10., 20, 40, 80, 160, 320])
>>> losses = np.vstack([sizes ** -0.5 * f for f in (0.9, 1.0, 1.1)])
>>> e = measure_exponent(sizes, losses)
>>> round(e["value"], 6), e["range"]
(0.5, [10.0, 320.0])
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

RIDGE = 1e-8
TEST_FRACTION = 0.25
POINTS = 8
P_SPAN = 32
N_SPAN = 32
#: widest random-feature model: N <= P_max / N_TOP
N_TOP = 4
BOOTSTRAP = 200


def decay_rate(sizes, curve) -> float:
    """Minus the least-squares slope of ``log curve`` on ``log sizes``."""
    return -float(np.polyfit(np.log(sizes), np.log(curve), 1)[0])


def measure_exponent(sizes, losses, seed: int = 0, level: float = 0.95) -> dict:
    """Decay rate of ``losses`` (repeats x sizes) in ``sizes``, with the interval of the module docstring."""
    sizes, losses = np.asarray(sizes, float), np.asarray(losses, float)
    if np.any(losses <= 0) or not np.all(np.isfinite(losses)):
        raise RuntimeError("a measured loss is zero or not finite; no exponent")
    ranges = [slice(None), slice(2, None), slice(None, -2)]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(losses), size=(BOOTSTRAP, len(losses)))
    q = 100 * (1 - level) / 2
    point = decay_rate(sizes, losses.mean(axis=0))
    lo, hi = point, point
    for r in ranges:
        s = sizes[r]
        rate = decay_rate(s, losses[:, r].mean(axis=0))
        lo, hi = min(lo, rate), max(hi, rate)
        boot = [decay_rate(s, losses[p][:, r].mean(axis=0)) for p in picks]
        lo, hi = min(lo, np.percentile(boot, q)), max(hi, np.percentile(boot, 100 - q))
    return {"value": point, "ci": (float(lo), float(hi)), "range": [float(sizes[0]), float(sizes[-1])],
            "method": f"union over 3 ranges (all sizes, without the 2 smallest, without the 2 largest) of "
                      f"{level:.0%} percentile intervals of a seeded bootstrap over {len(losses)} repeats "
                      f"({BOOTSTRAP} resamples)"}


@dataclass
class LearningCurve:
    """Test losses (repeats x sizes) against a resource, and the measured exponent."""
    resource: str
    sizes: np.ndarray
    losses: np.ndarray
    setup: str
    exponent: dict = field(default=None)

    def __post_init__(self):
        if self.exponent is None:
            self.exponent = measure_exponent(self.sizes, self.losses)

    def __repr__(self) -> str:
        e = self.exponent
        return (f"LearningCurve({self.setup}: loss ~ {self.resource}^-{e['value']:.3g} [{e['ci'][0]:.3g}, "
                f"{e['ci'][1]:.3g}], {self.resource} = {self.sizes[0]:g}..{self.sizes[-1]:g})")

    def to_json(self) -> dict:
        e = self.exponent
        return {"value": e["value"], "lo": e["ci"][0], "hi": e["ci"][1], "range": e["range"],
                "method": e["method"], "setup": self.setup, "sizes": [float(s) for s in self.sizes],
                "loss": [float(v) for v in self.losses.mean(axis=0)]}


def _split(n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    perm = rng.permutation(n)
    n_test = int(round(TEST_FRACTION * n))
    return perm[:n_test], perm[n_test:]


def _fit_predict(A, b, A_test, ridge) -> np.ndarray:
    """``A_test (A + ridge I)^{-1} b`` for a symmetric PSD ``A`` (least squares if singular)."""
    import scipy.linalg as sl
    M = A + ridge * np.eye(len(A))
    try:
        coef = sl.solve(M, b, assume_a="pos", check_finite=False)
    except (sl.LinAlgError, np.linalg.LinAlgError):
        coef = sl.lstsq(M, b, check_finite=False)[0]
    return A_test @ coef


def _mse(Y_test, pred) -> float:
    return float(np.mean((Y_test - pred) ** 2))


def krr_curve(K, Y, repeats: int = 5, seed: int = 0, progress: bool = False) -> LearningCurve:
    """Kernel ridge regression test loss at increasing ``P`` (module docstring)."""
    from .progress import steps
    n = len(K)
    rng = np.random.default_rng(seed)
    ridge = RIDGE * float(np.mean(np.diag(K)))
    p_max = n - int(round(TEST_FRACTION * n))
    sizes = np.unique(np.round(np.geomspace(p_max / P_SPAN, p_max, POINTS))).astype(int)
    losses = np.empty((repeats, len(sizes)))
    for r in steps(range(repeats), progress, "kernel regression"):
        test, pool = _split(n, rng)
        for j, P in enumerate(sizes):
            tr = rng.choice(pool, P, replace=False)
            mean = Y[tr].mean(axis=0)
            pred = _fit_predict(K[np.ix_(tr, tr)], Y[tr] - mean, K[np.ix_(test, tr)], P * ridge) + mean
            losses[r, j] = _mse(Y[test], pred)
    setup = (f"kernel ridge regression, ridge {RIDGE:g} x mean K_ii (per sample), {repeats} seeded "
             f"repeats, test {TEST_FRACTION:.0%} of {n}")
    return LearningCurve("P", sizes.astype(float), losses, setup)


def rf_curve(K, Y, repeats: int = 5, seed: int = 0, progress: bool = False) -> LearningCurve:
    """Random-feature regression test loss at increasing width ``N`` on the whole pool."""
    from scipy.linalg import eigh

    from .progress import step, steps
    n = len(K)
    with step(progress, "random-feature eigensystem"):
        mu, U = eigh(K, check_finite=False)
    phi = U * np.sqrt(np.clip(mu, 0, None))            # Phi Phi^T = K
    rng = np.random.default_rng(seed + 1)
    ridge = RIDGE * float(np.mean(np.diag(K)))
    p_max = n - int(round(TEST_FRACTION * n))
    n_max = p_max // N_TOP
    sizes = np.unique(np.round(np.geomspace(max(2, n_max / N_SPAN), n_max, POINTS))).astype(int)
    losses = np.empty((repeats, len(sizes)))
    for r in steps(range(repeats), progress, "random features"):
        test, pool = _split(n, rng)
        G = rng.standard_normal((n, n_max))
        feats = phi @ G
        mean = Y[pool].mean(axis=0)
        for j, N in enumerate(sizes):
            F = feats[:, :N] / np.sqrt(N)
            pred = _fit_predict(F[pool].T @ F[pool], F[pool].T @ (Y[pool] - mean), F[test], len(pool) * ridge)
            losses[r, j] = _mse(Y[test], pred + mean)
    setup = (f"random-feature regression (Gaussian projection of the kernel's eigenfeatures), trained on "
             f"P = {p_max} points, ridge {RIDGE:g} x mean K_ii (per sample), {repeats} seeded repeats")
    return LearningCurve("N", sizes.astype(float), losses, setup)


__all__ = ["krr_curve", "rf_curve", "measure_exponent", "LearningCurve", "RIDGE"]
