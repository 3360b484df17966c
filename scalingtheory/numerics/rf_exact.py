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

**Variance-reduced draws** (issue 24). Finite-size effects are :math:`O(1/N)` or :math:`O(1/P)` means under
:math:`O(N^{-1/2})` or :math:`O(P^{-1/2})` draw-to-draw noise. :func:`early_excess` and :func:`gap_draws`
subtract from each draw its first-order response to that noise (:func:`projection_response`,
:func:`gap_control_variate`; mean exactly zero), :func:`excess_coefficient` and :func:`early_gap_rate`
are the exact leading coefficients, and :func:`power_slope` fits a log-log slope with a bootstrap ``ci``.

The averaged quantities of :func:`simulate` carry Student-t confidence intervals
over independent draws of ``A`` and of the data, one per seed of the sequence ``seeds``
(``numpy.random.default_rng(seed)``), and ``ci`` is a ``(low, high)`` pair.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ..limits import SEEDS
from ._shared import check_ridge, check_times, confidence_interval, seed_tuple

__all__ = ["RandomFeatureDraw", "SimulationResult", "draw", "simulate", "confidence_interval",
           "projection_response", "early_excess", "excess_coefficient", "gap_control_variate", "gap_draws",
           "early_gap_rate", "power_slope", "SlopeEstimate", "ExcessDraws", "GapDraws"]


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
    data: dict | None = field(default=None, repr=False)   # keep_data: F, y, K_pop, b_pop

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


def draw(eigenvalues, target, N, P=None, rng=None, keep_modes=False, keep_data=False):
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
    keep_data : bool
        Keep the features ``F``, targets ``y`` and the population ``K_pop``, ``b_pop``
        (``K_pop`` is ``None`` at infinite width, where it is ``diag(lambda)``), which
        :func:`gap_control_variate` needs.

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
    data = ({"F": F, "y": y, "K_pop": None if A is None else K_pop, "b_pop": b_pop, "lam": lam}
            if keep_data else None)
    return RandomFeatureDraw(N, P, M, d, basis, c, h, Q, L0, float(y @ y) / P, g2, AT, w, right, data)


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


def simulate(eigenvalues, target, N, P, times, seeds=SEEDS, learning_rate=None,
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


# ============================================================================ variance-reduced estimators
# The finite-size effects below are O(1/N) or O(1/P) means under O(N^-1/2) or O(P^-1/2) draw-to-draw
# fluctuations: plain means need far more than N (or P) draws to resolve them. Each estimator subtracts
# from every draw its first-order response to the sampling noise, whose mean is exactly zero, so the
# remainder is second order: mean and spread both O(1/N), and a few dozen draws resolve it at any N.

#: most Gauss-Legendre nodes of the projection response's quadrature (default 16; ``leggauss`` solves an
#: eigenproblem of their number and each node is one evaluation of the flow)
MAX_NODES = 256


def _legendre(nodes: int):
    """Gauss-Legendre nodes and weights on [0, 1]."""
    if isinstance(nodes, bool) or not isinstance(nodes, numbers.Integral) or not 1 <= nodes <= MAX_NODES:
        raise ValueError(f"nodes must be an integer from 1 to {MAX_NODES}, got {nodes!r}")
    x, wq = np.polynomial.legendre.leggauss(int(nodes))
    return (x + 1.0) / 2.0, wq / 2.0


def _online_loss(lam, w, times):
    r"""Infinite-width online loss :math:`\sum_k\lambda_kw_k^2e^{-2\lambda_kt}`, shape ``(T,)``."""
    return (lam * w * w * np.exp(-2.0 * np.outer(times, lam))).sum(axis=1)


def projection_response(eigenvalues, target, AT, times, nodes: int = 16):
    r"""First-order response :math:`L_1(t)` of the online test loss to the projection noise
    :math:`E=A^\top A/N-I`, for one draw ``A`` (given as ``AT`` = :math:`A^\top`, ``M x N``).

    With :math:`u=\Lambda^{1/2}w^*`, :math:`S=\Lambda^{1/2}(I+E)\Lambda^{1/2}`, the online loss is
    :math:`L=u^\top e^{-2tS}u` and (Duhamel) its part linear in :math:`E` is

    .. math::  L_1(t)=-2t\int_0^1 d\tau\;x_{1-\tau}^\top E\,x_\tau,\qquad
               x_\tau=\Lambda w^*e^{-2t\Lambda\tau},\qquad
               x^\top Ey=(Ax)\cdot(Ay)/N-x\cdot y .

    :math:`\mathbb E[E]=0`, so :math:`\mathbb E[L_1]=0` exactly, whatever the quadrature (``nodes``
    Gauss-Legendre points in :math:`\tau`; the integrand's rates are at most :math:`2t\lambda_1`).

    >>> import numpy as np
    >>> k = np.arange(1, 41.0); lam, w = k ** -1.5, k ** -0.25
    >>> A = np.random.default_rng(0).standard_normal((4000, 40))
    >>> bool(abs(projection_response(lam, w, A.T, [1.0])[0]) < 0.05)   # E -> 0 as N grows
    True
    """
    lam, w = validate_modes(eigenvalues, target)
    t = check_times(times)
    tau, wq = _legendre(nodes)
    N = AT.shape[1]
    x = lam * w
    out = np.empty(t.size)
    for i, ti in enumerate(t):
        left = x[:, None] * np.exp(-2.0 * ti * np.outer(lam, 1.0 - tau))      # M x q
        right = x[:, None] * np.exp(-2.0 * ti * np.outer(lam, tau))
        quad = ((left.T @ AT) * (right.T @ AT)).sum(axis=1) / N - (left * right).sum(axis=0)
        out[i] = -2.0 * ti * (quad @ wq)
    return out


@dataclass
class ExcessDraws:
    r"""Per-draw estimates of :math:`\Delta L(t,N)=L(t,N)-L(t,\infty)` (online), shape
    ``(seeds, widths, times)``: ``raw`` (exact loss minus the infinite-width loss) and ``corrected``
    (minus also the first-order response :func:`projection_response`: same mean, second-order spread)."""

    times: np.ndarray
    widths: tuple
    seeds: tuple
    raw: np.ndarray
    corrected: np.ndarray


def early_excess(eigenvalues, target, widths, times, seeds=SEEDS, nodes: int = 16,
                 progress: bool = False) -> ExcessDraws:
    r"""Exact draws of the finite-width excess :math:`L(t,N)-L(t,\infty)` (online) with the control
    variate :math:`L_1` of :func:`projection_response` subtracted.

    Draw ``s`` at every width uses ``numpy.random.default_rng(seeds[s])``, which fills ``A`` row by
    row: the width-``N`` projection is the first ``N`` rows of every wider one (common random numbers,
    so resample seeds jointly across widths: :func:`power_slope` with ``paired=True``).

    >>> import numpy as np
    >>> k = np.arange(1, 201.0); lam, w = k ** -1.5, k ** -0.25
    >>> ex = early_excess(lam, w, [20, 80], [1.0], seeds=range(16))
    >>> ratio = ex.corrected.std(axis=0) / ex.raw.std(axis=0)     # spread left by the control variate
    >>> bool(np.all(ratio < 0.5))
    True
    """
    from tqdm.auto import tqdm

    lam, w = validate_modes(eigenvalues, target)
    t = check_times(times)
    seeds = seed_tuple(seeds)
    widths = tuple(int(n) for n in widths)
    base = _online_loss(lam, w, t)
    raw = np.empty((len(seeds), len(widths), t.size))
    corrected = np.empty_like(raw)
    for i, s in enumerate(tqdm(seeds, disable=not progress, desc="excess draws")):
        for j, n in enumerate(widths):
            dr = draw(lam, w, n, None, np.random.default_rng(s))
            raw[i, j] = dr.test_loss(t) - base
            corrected[i, j] = raw[i, j] - projection_response(lam, w, dr.AT, t, nodes)
    return ExcessDraws(t, widths, seeds, raw, corrected)


def _divided_exp(lam_k, lam_j, c):
    r"""Second divided difference :math:`f[\lambda_k,\lambda_k,\lambda_j]` of :math:`f(x)=e^{-cx}`:
    :math:`c^2e^{-c\lambda_k}\varphi_2(-c(\lambda_j-\lambda_k))`, :math:`\varphi_2(z)=(e^z-1-z)/z^2`
    (series near 0), shape ``(len(lam_k), len(lam_j))``."""
    z = -c * (lam_j[None, :] - lam_k[:, None])
    small = np.abs(z) < 1e-4
    zs = np.where(small, 1.0, z)
    phi2 = np.where(small, 0.5 + z / 6.0 + z * z / 24.0, (np.expm1(zs) - zs) / (zs * zs))
    return c * c * np.exp(-c * lam_k)[:, None] * phi2


def excess_coefficient(eigenvalues, target, times, block: int = 256):
    r"""Exact :math:`\lim_{N\to\infty}N[\mathbb E\,L(t,N)-L(t,\infty)]` (online, fixed ``M``) as the
    pair ``(planar, self)``.

    Second-order perturbation of :math:`u^\top f(\Lambda+X)u`, :math:`f(x)=e^{-2tx}`,
    :math:`X=\Lambda^{1/2}E\Lambda^{1/2}`, is :math:`\sum_{kjl}u_kX_{kj}X_{jl}u_lf[\lambda_k,\lambda_j,
    \lambda_l]` (Daleckii-Krein). The Wishart moments :math:`\mathbb E[E_{kj}E_{lm}]=(\delta_{kl}
    \delta_{jm}+\delta_{km}\delta_{jl})/N` (exact) give two terms:

    .. math::  \text{planar}=\sum_{kj}\lambda_kw_k^2\,\lambda_k\lambda_j\,f[\lambda_k,\lambda_k,\lambda_j],
               \qquad \text{self}=\sum_k\lambda_kw_k^2\,\lambda_k^2\,\tfrac12f''(\lambda_k)
               =2t^2\sum_k\lambda_k^3w_k^2e^{-2\lambda_kt}.

    Higher orders are :math:`O(N^{-2})`. The planar term is the DMFT's :math:`1/N` coefficient
    (a trace over modes); the self term has no trace and is what the deterministic equivalent drops.

    >>> import numpy as np
    >>> k = np.arange(1, 301.0); lam, w = k ** -1.5, k ** -0.25
    >>> planar, self_ = excess_coefficient(lam, w, [1.0])
    >>> bool(planar[0] > self_[0] > 0)
    True
    """
    lam, w = validate_modes(eigenvalues, target)
    t = check_times(times)
    if isinstance(block, bool) or not isinstance(block, numbers.Integral) or block < 1:
        raise ValueError(f"block must be an integer >= 1, got {block!r}")       # block = -1 returned zeros
    power = lam * w * w
    planar = np.zeros(t.size)
    for i, ti in enumerate(t):
        for s in range(0, lam.size, block):
            k = slice(s, s + block)
            planar[i] += ((power[k] * lam[k]) @ _divided_exp(lam[k], lam, 2.0 * ti) @ lam)
    self_ = 2.0 * t ** 2 * (power * lam ** 2 * np.exp(-2.0 * np.outer(t, lam))).sum(axis=1)
    return planar, self_


def gap_control_variate(dr: RandomFeatureDraw, times):
    r"""First-order part :math:`G_1(t)` of the train-test gap of a full-batch draw (``keep_data=True``).

    Exactly, with :math:`\Delta_y=|y|^2/P-L_0`, :math:`\Delta_g=F^\top y/P-b`,
    :math:`\Delta_K=F^\top F/P-\Sigma_F` (:math:`\Sigma_F=A\Lambda A^\top/N`, :math:`b=A\Lambda w^*/\sqrt N`),

    .. math::  L(t)-\hat L(t)=-\Delta_y+2\Delta_g\cdot w(t)-w(t)^\top\Delta_Kw(t);

    :math:`G_1` replaces :math:`w(t)` by the population flow :math:`w_0(t)=\varphi_t(\Sigma_F)b`.
    Given ``A`` every :math:`\Delta` has mean zero, so :math:`\mathbb E[G_1]=0` exactly.
    """
    if dr.data is None or dr.P is None:
        raise ValueError("gap_control_variate needs a full-batch draw made with keep_data=True")
    t = check_times(times)
    F, y, K, b, lam = (dr.data[k] for k in ("F", "y", "K_pop", "b_pop", "lam"))
    if K is None:                                      # infinite width: Sigma_F = Lambda, diagonal
        w0 = _flow_filter(lam, t) * b[None, :]
        quad_pop = ((w0 * w0) * lam[None, :]).sum(axis=1)
    else:
        d0, V0 = np.linalg.eigh(K)
        w0 = (_flow_filter(d0, t) * (V0.T @ b)[None, :]) @ V0.T
        quad_pop = ((w0 @ K) * w0).sum(axis=1)
    P = dr.P
    g = F.T @ y / P
    return -(dr.y_norm2 - dr.L0) + 2.0 * w0 @ (g - b) - (((w0 @ F.T) ** 2).sum(axis=1) / P - quad_pop)


@dataclass
class GapDraws:
    """Per-draw train-test gaps ``raw`` and ``corrected`` (minus :func:`gap_control_variate`: same mean),
    shape ``(seeds, times)``."""

    times: np.ndarray
    seeds: tuple
    raw: np.ndarray
    corrected: np.ndarray


def gap_draws(eigenvalues, target, N, P, times, seeds=SEEDS, progress: bool = False) -> GapDraws:
    r"""Exact draws of the train-test gap :math:`L(t)-\hat L(t)` under data reuse, with the control
    variate of :func:`gap_control_variate` (``N = None``: infinite width).

    >>> import numpy as np
    >>> k = np.arange(1, 201.0); lam, w = k ** -1.5, k ** -0.25
    >>> g = gap_draws(lam, w, None, 50, [0.01], seeds=range(16))
    >>> bool(g.corrected.std() < 0.01 * g.raw.std())
    True
    """
    from tqdm.auto import tqdm

    lam, w = validate_modes(eigenvalues, target)
    if P is None:
        raise ValueError("the train-test gap needs a finite number of samples P")
    t = check_times(times)
    seeds = seed_tuple(seeds)
    raw, corrected = np.empty((len(seeds), t.size)), np.empty((len(seeds), t.size))
    for i, s in enumerate(tqdm(seeds, disable=not progress, desc=f"gap draws N={N} P={P}")):
        dr = draw(lam, w, N, P, np.random.default_rng(s), keep_data=True)
        raw[i] = dr.test_loss(t) - dr.train_loss(t)
        corrected[i] = raw[i] - gap_control_variate(dr, t)
    return GapDraws(t, seeds, raw, corrected)


def early_gap_rate(eigenvalues, target) -> float:
    r"""Exact :math:`\lim_{t\to0}P\,\mathbb E[L(t)-\hat L(t)]/t=2(\mathrm{tr}\Lambda\,L_0+|\Lambda w^*|^2)`
    (any ``N``, any ``P``).

    :math:`w(t)=tg+O(t^2)` with :math:`g=F^\top y/P`, so the gap is :math:`-\Delta_y+2t\Delta_g\cdot g
    +O(t^2)` and :math:`\mathbb E[\Delta_g\cdot g]=\mathrm{tr\,Cov}(g)=(\mathrm{tr}\Sigma_F\,L_0+|b|^2)/P`
    (Gaussian features: :math:`\mathrm{Cov}(\phi y)=\Sigma_FL_0+bb^\top`), whose average over ``A`` is
    :math:`(\mathrm{tr}\Lambda\,L_0+\sum_k\lambda_k^2w_k^2)/P`. The trace term is the DMFT's; the
    :math:`|b|^2` term has no trace.

    >>> round(early_gap_rate([1.0, 0.5], [1.0, 1.0]), 6)     # 2 (1.5 * 1.5 + 1.25)
    7.0
    """
    lam, w = validate_modes(eigenvalues, target)
    return float(2.0 * (lam.sum() * np.sum(lam * w * w) + np.sum((lam * w) ** 2)))


# ============================================================================ the slope estimator
@dataclass(frozen=True)
class SlopeEstimate:
    """Log-log slope of mean draws against ``xs``, its percentile-bootstrap interval ``ci`` (``None``
    when a bootstrap replicate has a mean <= 0: the draws do not resolve the sign) and the means."""

    slope: float
    ci: tuple | None
    means: np.ndarray
    level: float
    replicates: int


def _ols_slopes(lx, ly):
    """Least-squares slopes of the rows of ``ly`` (R, X) against ``lx`` (X,)."""
    dx = lx - lx.mean()
    return (ly - ly.mean(axis=-1, keepdims=True)) @ dx / (dx @ dx)


def power_slope(xs, samples, level: float = 0.95, replicates: int = 2000, paired: bool = False,
                rng=0) -> SlopeEstimate:
    r"""Slope of :math:`\log\bar y(x)` against :math:`\log x` (least squares over the ``xs``) with a
    percentile-bootstrap ``ci`` over the draws.

    ``samples``: with ``paired=False`` a sequence of 1-D arrays, the independent draws at each ``x``
    (resampled separately); with ``paired=True`` a ``(draws, len(xs))`` array whose rows share their
    randomness (common random numbers; rows resampled jointly). ``rng`` seeds the bootstrap.

    >>> import numpy as np
    >>> g = np.random.default_rng(1)
    >>> xs = np.array([10.0, 100.0, 1000.0])
    >>> draws = [x ** -1.0 * (1 + 0.2 * g.standard_normal(200)) for x in xs]
    >>> est = power_slope(xs, draws)
    >>> bool(est.ci[0] < -1.0 < est.ci[1] and est.ci[1] - est.ci[0] < 0.1)
    True
    """
    x = np.asarray(xs, dtype=float)
    if x.ndim != 1 or x.size < 2 or np.any(~np.isfinite(x)) or np.any(x <= 0) or np.unique(x).size < 2:
        raise ValueError(f"xs must be at least two distinct positive numbers, got {xs!r}")
    from ..limits import LIMITS

    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    top = LIMITS["bootstrap"].high                      # the toolkit's bound on replicates (1e9 asked for 8 GB)
    whole = isinstance(replicates, float) and replicates.is_integer()
    if not ((isinstance(replicates, numbers.Integral) and not isinstance(replicates, bool)) or whole) \
            or not 100 <= int(replicates) <= top:
        raise ValueError(f"replicates must be an integer from 100 to {top:,}, got {replicates!r}")
    gen = np.random.default_rng(rng)
    if paired:
        y = np.asarray(samples, dtype=float)
        if y.ndim != 2 or y.shape[1] != x.size or y.shape[0] < 2:
            raise ValueError(f"paired samples must be a (draws >= 2, {x.size}) array, got shape {y.shape}")
        means = y.mean(axis=0)
        boot = y[gen.integers(0, y.shape[0], (int(replicates), y.shape[0]))].mean(axis=1)
    else:
        cols = [np.asarray(c, dtype=float).ravel() for c in samples]
        if len(cols) != x.size or any(c.size < 2 for c in cols):
            raise ValueError(f"samples must hold at least two draws for each of the {x.size} xs")
        means = np.array([c.mean() for c in cols])
        boot = np.stack([c[gen.integers(0, c.size, (int(replicates), c.size))].mean(axis=1) for c in cols], axis=1)
    if not np.all(np.isfinite(boot)) or np.any(means <= 0):
        raise ValueError("the mean draw must be finite and positive at every x to take its logarithm")
    lx = np.log(x)
    slope = float(_ols_slopes(lx, np.log(means)[None, :])[0])
    if np.any(boot <= 0):
        return SlopeEstimate(slope, None, means, level, int(replicates))
    lo, hi = np.quantile(_ols_slopes(lx, np.log(boot)), [(1 - level) / 2, (1 + level) / 2])
    return SlopeEstimate(slope, (float(lo), float(hi)), means, level, int(replicates))
