r"""Exact finite-size solver of the random-feature dynamical model.

Model (Bordelon, Atanasov & Pehlevan 2024, "A Dynamical Model of Neural Scaling
Laws", Sec. 2).  Teacher features :math:`\psi(x)\in\mathbb R^M` are Gaussian with
covariance :math:`\Lambda=\mathrm{diag}(\lambda_k)`; the target is
:math:`y=w^*\cdot\psi`.  The student of width ``N`` is
:math:`f(x)=N^{-1/2}\,w\cdot A\psi(x)` with a fixed projection
:math:`A\in\mathbb R^{N\times M}`, :math:`A_{ik}\sim\mathcal N(0,1)`; only
``w`` is trained, from ``w(0) = 0``.  In mode space the error vector is
:math:`v=w^*-N^{-1/2}A^\top w` and the test loss is

.. math::  L = v^\top\Lambda v = \sum_k \lambda_k v_k^2 .

Training is gradient flow (or gradient descent with step :math:`\eta`, time
:math:`t=\eta n`) on :math:`\tfrac12\hat L`:

* full batch (data reuse, ``P`` samples, feature matrix
  :math:`F=\Psi A^\top/\sqrt N\in\mathbb R^{P\times N}`):
  :math:`\dot w = F^\top(y-Fw)/P`, i.e. :math:`\dot v=-(A^\top A/N)\hat\Sigma v`
  with :math:`\hat\Sigma=\Psi^\top\Psi/P`;
* online (fresh data at every step, ``P = None`` meaning :math:`P=\infty`):
  :math:`\dot v=-(A^\top A/N)\Lambda v`.

Both are linear ODEs :math:`\dot w=b-Kw` with a symmetric PSD ``N x N`` matrix
``K`` (:math:`F^\top F/P` or :math:`A\Lambda A^\top/N`), solved exactly in the
eigenbasis :math:`K=V\,\mathrm{diag}(d)V^\top`:

.. math::  w(t)=V\,\mathrm{diag}\big(\varphi_t(d)\big)V^\top b,\qquad
           \varphi_t(d)=\frac{1-e^{-dt}}{d}\ \text{(flow)},\quad
           \varphi_n(d)=\frac{1-(1-\eta d)^n}{d}\ \text{(GD)},

and ridge regression with ridge ``z`` is the filter :math:`\varphi(d)=1/(d+z)`
(its residual is :math:`z(z+K_M)^{-1}w^*`, the resolvent studied by the DMFT).
The test loss is the quadratic form
:math:`L=L_0-2\,a^\top h+a^\top Q a` with :math:`a=\varphi(d)\odot c`,
:math:`h=B^\top A\Lambda w^*/\sqrt N`, :math:`Q=B^\top(A\Lambda A^\top/N)B`,
so one draw costs two dense products of size ``N x M x max(N, P)`` and one
symmetric eigendecomposition of size ``min(N, P)``; any number of times then
costs ``O(min(N, P)^2)`` each.

The averaged quantities of :func:`simulate` carry Student-t confidence intervals
over independent draws of ``A`` and of the data, one per seed of the sequence ``seeds``
(``numpy.random.default_rng(seed)``), and ``ci`` is a ``(low, high)`` pair.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._shared import check_ridge, check_times, confidence_interval, seed_tuple

__all__ = ["RandomFeatureDraw", "SimulationResult", "draw", "simulate", "confidence_interval"]


def _flow_filter(d, t):
    """(1 - exp(-d t)) / d, equal to t in the limit d -> 0 (shape (T, r))."""
    d = np.clip(d, 0.0, None)[None, :]
    t = t[:, None]
    x = d * t
    safe = np.where(d > 0, d, 1.0)
    return np.where(x > 1e-300, -np.expm1(-x) / safe, t)


def _gd_filter(d, steps, lr):
    """(1 - (1 - lr d)^n) / d, equal to lr n in the limit d -> 0 (shape (T, r))."""
    d = np.clip(d, 0.0, None)[None, :]
    n = steps[:, None]
    x = lr * d
    safe = np.where(d > 0, d, 1.0)
    small = x < 0.5                                   # accurate (1 - x)^n for small x
    decay = np.where(small, -np.expm1(n * np.log1p(-np.where(small, x, 0.0))),
                     1.0 - np.power(1.0 - x, n))
    return np.where(d > 0, decay / safe, lr * n)


@dataclass
class RandomFeatureDraw:
    r"""Spectral data of one draw (projection ``A`` and, if ``P`` is finite, data).

    Attributes: ``d`` eigenvalues of ``K`` (nonzero part, length ``r``), ``basis``
    the ``N x r`` matrix ``B`` with ``w = B (phi(d) * c)``, ``c`` coefficients,
    ``h`` and ``Q`` the linear and quadratic parts of the test loss,
    ``L0 = sum_k lambda_k w*_k^2``, ``y_norm2 = |y|^2 / P`` (``None`` online),
    ``g2`` the squared gradient components entering the train loss.
    """

    N: int
    P: int | None
    M: int
    d: np.ndarray
    basis: np.ndarray
    c: np.ndarray
    h: np.ndarray
    Q: np.ndarray
    L0: float
    y_norm2: float | None
    g2: np.ndarray
    AT: np.ndarray | None = field(repr=False)   # A^T (None: infinite width)
    target: np.ndarray = field(repr=False)
    right: np.ndarray | None = field(default=None, repr=False)

    @property
    def stability_limit(self):
        """Largest stable gradient-descent step, ``2 / max eig(K)``."""
        return 2.0 / float(np.max(self.d))

    def _filter(self, times, learning_rate):
        t = check_times(times)
        if learning_rate is None:
            return _flow_filter(self.d, t)
        lr = float(learning_rate)
        if not np.isfinite(lr) or lr <= 0 or lr >= self.stability_limit:
            raise ValueError(
                f"learning_rate must satisfy 0 < learning_rate < 2/max eig(K) = "
                f"{self.stability_limit:.6g}, got {learning_rate!r}")
        steps = np.rint(t / lr)
        if not np.allclose(steps * lr, t, rtol=1e-9, atol=1e-12):
            raise ValueError("times must be integer multiples of learning_rate for discrete GD "
                             f"(t = learning_rate * steps), got {times!r}")
        return _gd_filter(self.d, steps, lr)

    def _loss_from_coefficients(self, a):
        """``L0 - 2 a.h + a^T Q a`` row by row for coefficient rows ``a`` (T, r)."""
        return self.L0 - 2.0 * a @ self.h + ((a @ self.Q) * a).sum(axis=1)

    def test_loss(self, times, learning_rate=None):
        r"""Test loss :math:`\sum_k\lambda_k v_k(t)^2` at the given times.

        ``learning_rate=None``: gradient flow.  Otherwise gradient descent with that
        step; ``times`` must then be multiples of it (``t = lr * steps``).
        """
        return self._loss_from_coefficients(self._filter(times, learning_rate) * self.c)

    def train_loss(self, times, learning_rate=None):
        r"""Training loss :math:`|y-Fw(t)|^2/P`; equals the test loss online.

        With :math:`g=V^\top F^\top y/P` it is
        :math:`|y|^2/P-\sum_j g_j^2\,(2\varphi(d_j)-d_j\varphi(d_j)^2)`, which for the
        flow filter is :math:`|y|^2/P-\sum_j g_j^2(1-e^{-2d_jt})/d_j`.
        """
        if self.P is None:
            return self.test_loss(times, learning_rate)
        phi = self._filter(times, learning_rate)
        return self.y_norm2 - (self.g2 * (2.0 * phi - self.d * phi ** 2)).sum(axis=1)

    def ridge_loss(self, ridge):
        r"""Test loss of ridge regression with ridge ``z`` (filter :math:`1/(d+z)`).

        Its mode residual is :math:`z(z+K_M)^{-1}w^*` with
        :math:`K_M=(A^\top A/N)\hat\Sigma`: the Laplace-domain object of the DMFT.
        """
        z = check_ridge(ridge)
        a = self.c[None, :] / (self.d[None, :] + z[:, None])
        return self._loss_from_coefficients(a)

    def _lift(self, x):
        """Map student-space rows ``x`` (.., N) to mode space: ``x A / sqrt(N)``."""
        return x if self.AT is None else x @ self.AT.T / np.sqrt(self.N)

    def _mode_error(self, a):
        return self.target[None, :] - self._lift(a @ self.basis.T)

    def mode_errors(self, times, learning_rate=None):
        r"""Mode errors :math:`v_k(t)=w^*_k-(A^\top w(t))_k/\sqrt N`, shape ``(T, M)``.

        Their average over draws is :math:`H_k(t)\,w^*_k` (paper Eq. 10).
        """
        return self._mode_error(self._filter(times, learning_rate) * self.c)

    def _diagonal_weights(self):
        """``E[j, k] = (X B)_{kj} R_{jk}`` with ``K_M = X Y``, ``diag f(K_M) = f(0) - ...``."""
        if self.right is None:
            raise ValueError("draw(..., keep_modes=True) is needed for diagonal transfer functions")
        return self._lift(self.basis.T) * self.right

    def transfer_diagonal(self, times, learning_rate=None):
        r"""Diagonal of the propagator, :math:`[e^{-K_M t}]_{kk}`, shape ``(T, M)``.

        Push-through with :math:`K_M=XY`, :math:`X=A^\top/\sqrt N`:
        :math:`e^{-XYt}=I-X\varphi_t(YX)Y`.  Its average over draws is the DMFT
        transfer function :math:`H_k(t)` (paper Eq. 10) without the sampling noise
        of the off-diagonal terms that :meth:`mode_errors` carries.
        """
        return 1.0 - self._filter(times, learning_rate) @ self._diagonal_weights()

    def resolvent_diagonal(self, ridge):
        r"""Diagonal of :math:`(z+K_M)^{-1}`, shape ``(len(z), M)``; mean is :math:`H_k(z)`."""
        z = check_ridge(ridge)
        phi = 1.0 / (self.d[None, :] + z[:, None])
        return (1.0 - phi @ self._diagonal_weights()) / z[:, None]


def validate_modes(eigenvalues, target):
    """``(lambda, w*)`` as float arrays; ValueError unless positive / finite and of equal shape."""
    lam = np.asarray(eigenvalues, dtype=float)
    w = np.asarray(target, dtype=float)
    if lam.ndim != 1 or lam.size == 0 or not np.all(np.isfinite(lam)) or np.any(lam <= 0):
        raise ValueError("eigenvalues must be a non-empty 1-D array of positive numbers")
    if w.shape != lam.shape or not np.all(np.isfinite(w)):
        raise ValueError(f"target must be finite with the shape of eigenvalues {lam.shape}")
    return lam, w


def _validate_task(eigenvalues, target, N, P):
    lam, w = validate_modes(eigenvalues, target)
    M = lam.size
    if N is None:
        return lam, w, None, None if P is None else _validate_task(lam, w, M, P)[3]
    if int(N) != N or N < 1:
        raise ValueError(f"N must be a positive integer, got {N!r}")
    if N > M:
        raise ValueError(f"N must satisfy N <= M = {M} (number of modes), got N = {N}")
    if P is not None and (int(P) != P or P < 1):
        raise ValueError(f"P must be a positive integer or None (online), got {P!r}")
    return lam, w, int(N), None if P is None else int(P)


def _empirical_modes(F, G, y, keep_modes: bool) -> tuple:
    """``(d, basis, c, g2, right)``: eigen-decomposition of the empirical feature covariance
    :math:`F^\\top F/P` (through the smaller of :math:`F^\\top F` and :math:`FF^\\top`), the targets' projections
    ``c``, their squared norms ``g2`` and, with ``keep_modes``, the ``min(N, P) x M`` factor."""
    P, N = F.shape
    if N <= P:
        d, V = np.linalg.eigh(F.T @ F / P)
        c = V.T @ (F.T @ y) / P                       # g = V^T F^T y / P
        right = (F @ V).T @ G / P if keep_modes else None                # V^T F^T Psi / P
        return d, V, c, c ** 2, right
    d, U = np.linalg.eigh(F @ F.T / P)
    uy = U.T @ y
    basis = F.T @ U                                   # w = F^T U diag(phi) U^T y / P
    right = U.T @ G / P if keep_modes else None       # (V^T F^T Psi / P) rescaled to basis
    return d, basis, uy / P, d * uy ** 2 / P, right   # g2 = |V^T F^T y / P|^2


def draw(eigenvalues, target, N, P=None, rng=None, keep_modes=False):
    r"""Draw ``A`` (and ``P`` data points) and diagonalise the dynamics exactly.

    Parameters
    ----------
    eigenvalues, target : arrays of length ``M``
        :math:`\lambda_k` and :math:`w^*_k`.
    N : int, ``1 <= N <= M``, or None
        Width (number of random features); ``None``: infinite width
        (:math:`A^\top A/N=I`, kernel regression on all ``M`` modes).
    P : int or None
        Number of training samples (full batch, data reused); ``None``: online
        (:math:`P=\infty`, population gradient flow).
    rng : numpy Generator, seed or None
    keep_modes : bool
        Also form the ``min(N, P) x M`` factor needed by
        :meth:`RandomFeatureDraw.transfer_diagonal` (one more product of size
        ``N x P x M``).

    Examples
    --------
    >>> import numpy as np
    >>> k = np.arange(1, 201)
    >>> lam, w = k ** -1.5, np.sqrt(k ** -2.0 / k ** -1.5)
    >>> dr = draw(lam, w, N=50, P=80, rng=0)
    >>> L = dr.test_loss([0.0, 10.0, 1e4])
    >>> bool(abs(L[0] - np.sum(lam * w**2)) < 1e-12 and L[0] > L[1] > 0)
    True
    """
    lam, w, N, P = _validate_task(eigenvalues, target, N, P)
    rng = np.random.default_rng(rng)
    M = lam.size
    sq = np.sqrt(lam)
    if N is None:                                     # infinite width: A^T A / N = I
        N, A = M, None
        K_pop, b_pop = np.diag(lam), lam * w
    else:
        A = rng.standard_normal((N, M))
        As = A * sq                                   # A Lambda^{1/2}
        K_pop = As @ As.T / N                         # A Lambda A^T / N
        b_pop = A @ (lam * w) / np.sqrt(N)            # A Lambda w* / sqrt(N)
    AT = None if A is None else A.T
    L0 = float(np.sum(lam * w * w))
    if P is None:
        d, V = np.linalg.eigh(K_pop)
        c = V.T @ b_pop
        right = (V.T @ K_pop if A is None else V.T @ (As * sq) / np.sqrt(N)) if keep_modes else None
        return RandomFeatureDraw(N, None, M, d, V, c, c.copy(), np.diag(d), L0, None, c ** 2,
                                 AT, w, right)
    G = rng.standard_normal((P, M)) * sq              # Psi, rows ~ N(0, Lambda)
    y = G @ w
    F = G if A is None else G @ A.T / np.sqrt(N)      # P x N student features
    d, basis, c, g2, right = _empirical_modes(F, G, y, keep_modes)
    h = basis.T @ b_pop
    Q = (basis.T * lam) @ basis if A is None else basis.T @ K_pop @ basis
    return RandomFeatureDraw(N, P, M, d, basis, c, h, Q, L0, float(y @ y) / P, g2, AT, w, right)


@dataclass
class SimulationResult:
    """Per-draw curves, their mean and its confidence interval ``ci`` as a ``(low, high)`` pair."""

    times: np.ndarray
    test: np.ndarray            # (seeds, T)
    train: np.ndarray           # (seeds, T)
    level: float = 0.95

    @property
    def test_mean(self):
        return confidence_interval(self.test, self.level)[0]

    @property
    def test_ci(self):
        """``(low, high)`` of the mean test loss at confidence ``level``."""
        return confidence_interval(self.test, self.level)[1]

    @property
    def train_mean(self):
        return confidence_interval(self.train, self.level)[0]

    @property
    def train_ci(self):
        """``(low, high)`` of the mean train loss at confidence ``level``."""
        return confidence_interval(self.train, self.level)[1]


def simulate(eigenvalues, target, N, P, times, seeds=tuple(range(8)), learning_rate=None,
             progress=False):
    """Test and train loss curves over one independent draw per seed (see :func:`draw`).

    ``seeds`` is a sequence of integer seeds (:func:`~scalingtheory.numerics._shared.seed_tuple`):
    draw ``i`` uses ``numpy.random.default_rng(seeds[i])``, so results are reproducible and a
    longer sequence extends a shorter run.
    """
    from tqdm.auto import tqdm

    seeds = seed_tuple(seeds)
    t = check_times(times)
    test, train = [], []
    for s in tqdm(seeds, disable=not progress, desc=f"draws N={N} P={P}"):
        dr = draw(eigenvalues, target, N, P, np.random.default_rng(s))
        test.append(dr.test_loss(t, learning_rate))
        train.append(dr.train_loss(t, learning_rate))
    return SimulationResult(t, np.array(test), np.array(train))
