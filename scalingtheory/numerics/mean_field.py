r"""Mean-field (width :math:`N\to\infty`) dynamics of the projected two-layer linear network.

Model (Bordelon, Atanasov & Pehlevan 2025, "How Feature Learning Can Improve Neural
Scaling Laws", ICLR 2025, Sec. 2 / Fig. 10c), in the mean-field normalisation of the
digest (``shared/references/feature_learning.md`` Sec. 2.2):

.. math::

    f(x) = \tfrac1N\, w^\top B A_0\, \psi(x), \qquad v = \tfrac1N A_0^\top B^\top w,
    \qquad \Delta = w^* - v, \qquad L = \Delta^\top \Lambda \Delta ,

with frozen projection :math:`A_0\in\mathbb R^{N\times M}` (iid :math:`\mathcal N(0,1)`),
trainable middle layer :math:`B(0)=I_N` and readout :math:`w(0)=0`, trained by gradient
flow :math:`\dot w = \eta B A_0\Lambda\Delta`,
:math:`\dot B = \tfrac{\eta\gamma}{N} w (A_0\Lambda\Delta)^\top` (so
:math:`\dot A = \eta\gamma\, w\Delta^\top\Lambda P_0`, :math:`P_0 = A_0^\top A_0/N`: the
*projected* update). ``gamma`` is the feature-learning strength; ``gamma = 0`` is the lazy
random-feature model.

Exact reduction (derived in ``derivations/feature_learning.py``). Gradient flow conserves
:math:`BB^\top - \tfrac{\gamma}{N} w w^\top = I`; with :math:`q = |w|^2/N` the polar
decomposition of :math:`B` then gives :math:`B^\top B = I + \gamma\, z z^\top/(N(1+\gamma q))`
for :math:`z = B^\top w`, and :math:`|z|^2/N = q(1+\gamma q)`. For :math:`N\to\infty`
(:math:`P_0\to I`) the predictor obeys the closed :math:`M`-dimensional equation

.. math::

    \dot v = \eta\Big[(1+\gamma q)\, I + \frac{\gamma\, v v^\top}{1+\gamma q}\Big]\Lambda (w^*-v),
    \qquad |v|^2 = q + \gamma q^2 , \qquad v(0) = 0 .    \tag{MF}

The same equation with :math:`\Lambda` replaced by the spectrum of
:math:`K_0 = A_0\Lambda A_0^\top/N` describes any finite :math:`N` exactly
(:mod:`scalingtheory.numerics.feature_learning`).

Effective time. Writing :math:`d\tau = \eta(1+\gamma q)\,dt`, (MF) becomes
:math:`\Delta' = -\Lambda\Delta - \gamma v(v^\top\Lambda\Delta)/(1+\gamma q)^2`, a diagonal
stiff part plus a smooth rank-one forcing. We integrate it with the exponential time
differencing scheme ETD2RK (Cox & Matthews 2002) on a geometric grid in :math:`\tau`, so a
horizon :math:`t = 10^6` with :math:`M = 10^4` modes takes a few thousand ``O(M)`` steps.
Dropping the rank-one forcing gives the scalar *kernel-gain* approximation
:func:`effective_time_loss` (modes learned as :math:`w^*_k(1-e^{-\lambda_k\tau})`), which
yields the paper's :math:`\chi(\beta) = 2\beta/(1+\beta)` (Eq. 10) for :math:`\beta<1`:
:math:`|v|^2\sim\tau^{1-\beta}`, gain :math:`\sim\sqrt\gamma\,\tau^{(1-\beta)/2}`,
:math:`\tau\sim t^{2/(1+\beta)}`, :math:`L\sim\tau^{-\beta}`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scalingtheory.spectra import PowerLawSpectrum


@dataclass(frozen=True)
class Problem:
    """A quadratic problem in a diagonal basis: eigenvalues, target weights and a floor.

    The loss of a predictor ``v`` is ``floor + sum_k eigenvalues_k (target_k - v_k)^2``.
    For the width ``N -> oo`` problem, ``eigenvalues`` are the ``lambda_k`` of the first
    ``M`` modes and ``floor`` is the target power beyond them; for finite ``N`` they are
    the spectrum of ``A0 Lambda A0^T / N`` and the projection residual
    (:func:`scalingtheory.numerics.feature_learning.project`).
    """

    eigenvalues: np.ndarray
    target: np.ndarray
    floor: float = 0.0

    def __post_init__(self):
        lam = np.asarray(self.eigenvalues, dtype=float)
        tgt = np.asarray(self.target, dtype=float)
        if lam.ndim != 1 or lam.shape != tgt.shape:
            raise ValueError("eigenvalues and target must be 1-d arrays of equal length")
        if np.any(lam <= 0) or not np.all(np.isfinite(lam)):
            raise ValueError("eigenvalues must be finite and > 0")
        if not np.all(np.isfinite(tgt)):
            raise ValueError("target must be finite")
        if not (np.isfinite(self.floor) and self.floor >= 0):
            raise ValueError(f"floor must be a finite number >= 0, got {self.floor}")
        object.__setattr__(self, "eigenvalues", lam)
        object.__setattr__(self, "target", tgt)

    def loss(self, v: np.ndarray) -> np.ndarray:
        """``floor + sum_k lambda_k (w*_k - v_k)^2`` (``v`` may be stacked along axis 0)."""
        return self.floor + np.sum(self.eigenvalues * (self.target - v) ** 2, axis=-1)


def infinite_width_problem(alpha, beta, modes: int) -> Problem:
    r"""The ``N -> oo`` problem: :math:`\lambda_k = k^{-\alpha}`, :math:`\lambda_k w_k^{*2} = k^{-\alpha\beta-1}`.

    ``floor`` is the exact tail :math:`\sum_{k>M}\lambda_k w_k^{*2}` (Hurwitz zeta), the loss
    of modes that the truncation at ``M = modes`` never learns.
    """
    if int(modes) != modes or modes < 1:
        raise ValueError(f"modes must be an integer >= 1, got {modes}")
    spec = PowerLawSpectrum(alpha, beta)
    return Problem(spec.eigenvalues(int(modes)), spec.target_weights(int(modes)), float(spec.tail_sum(int(modes))))


def _check_common(gamma: float, eta: float, times) -> np.ndarray:
    if not (np.isfinite(gamma) and gamma >= 0):
        raise ValueError(f"gamma must satisfy gamma >= 0, got {gamma}")
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta must satisfy eta > 0, got {eta}")
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times.size == 0 or np.any(times <= 0) or not np.all(np.isfinite(times)):
        raise ValueError("times must be a non-empty 1-d array of finite values > 0")
    return times


def readout_norm(v2: np.ndarray, gamma: float) -> np.ndarray:
    r"""``q`` from :math:`|v|^2 = q + \gamma q^2` (the root ``q >= 0``; ``q = |v|^2`` at ``gamma = 0``)."""
    return 2.0 * v2 / (1.0 + np.sqrt(1.0 + 4.0 * gamma * v2))


def _phi12(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``phi1(z) = (e^z - 1)/z`` and ``phi2(z) = (e^z - 1 - z)/z^2`` for ``z <= 0``, stably."""
    small = np.abs(z) < 1e-4
    zs = np.where(small, 1.0, z)
    em1 = np.expm1(zs)
    phi1 = np.where(small, 1.0 + z / 2 + z * z / 6, em1 / zs)
    phi2 = np.where(small, 0.5 + z / 6 + z * z / 24, (em1 - zs) / (zs * zs))
    return phi1, phi2


def gradient_flow_loss(problem: Problem, gamma: float, times, eta: float = 1.0, rel_step: float = 0.02,
                       return_tau: bool = False):
    r"""Loss :math:`L(t)` of the mean-field equation (MF) at the given ``times`` (exact up to ``rel_step``).

    Integrates (MF) in the effective time :math:`\tau` with ETD2RK: steps
    :math:`h = \text{rel\_step}\cdot\max(\tau, \tau_0)` with :math:`\tau_0 = 1/\lambda_{\max}`,
    the physical time from :math:`dt/d\tau = 1/(\eta(1+\gamma q))` by the trapezoid rule;
    steps are shortened to land on the requested ``times`` (to :math:`O(h^2)` in :math:`t` when
    ``gamma > 0``; :math:`\log L` is interpolated in :math:`\log t` over that tiny gap). At
    ``gamma = 0`` the equation is linear and the closed form :func:`lazy_loss` is returned
    (the scheme would be exact there too, at the cost of the steps).
    The global error is :math:`O(\text{rel\_step}^2)` (checked in the tests against
    :func:`solve_ivp` and by halving the step).

    Parameters
    ----------
    problem : Problem
    gamma : float
        Feature-learning strength, ``gamma >= 0``.
    times : array_like
        Increasing positive times (steps of gradient descent with learning rate ``eta``).
    eta : float
        Learning rate (``t`` is measured in steps, so ``eta`` rescales time).
    rel_step : float
        Relative step in :math:`\tau`, ``0 < rel_step <= 0.2``.
    return_tau : bool
        Also return the effective time :math:`\tau(t)` at ``times``.
    """
    out, tau = gradient_flow_losses([problem], gamma, times, eta, rel_step, return_tau=True)
    return (out[0], tau[0]) if return_tau else out[0]


def gradient_flow_losses(problems, gamma: float, times, eta: float = 1.0, rel_step: float = 0.02,
                         return_tau: bool = False):
    r""":func:`gradient_flow_loss` of several problems at once, shape ``(len(problems), len(times))``: one
    NumPy operation per stage of the scheme for all of them (the seeds of a width), each row with its own
    steps and landings, so every row is the loss its problem has alone. Problems with fewer modes are padded
    with modes of target 0, which (MF) leaves at 0 exactly (they enter neither the forcing nor the loss)."""
    times = _check_common(gamma, eta, times)
    if not 0 < rel_step <= 0.2:
        raise ValueError(f"rel_step must satisfy 0 < rel_step <= 0.2, got {rel_step}")
    problems = list(problems)
    if not problems or not all(isinstance(p, Problem) for p in problems):
        raise ValueError("problems must be a non-empty sequence of Problem")
    if gamma == 0:
        out = np.array([lazy_loss(p, times, eta) for p in problems])
        return (out, np.tile(eta * times, (len(problems), 1))) if return_tau else out
    width = max(p.eigenvalues.size for p in problems)
    lam = np.array([np.pad(p.eigenvalues, (0, width - p.eigenvalues.size), constant_values=p.eigenvalues.min())
                    for p in problems])
    wstar = np.array([np.pad(p.target, (0, width - p.target.size)) for p in problems])
    ts, losses, taus = _etd2rk(lam, wstar, np.array([p.floor for p in problems]), gamma, np.sort(times), eta,
                               rel_step)
    out = np.array([_loglog_interp(times, t, L) for t, L in zip(ts, losses)])
    if return_tau:
        return out, np.array([_loglog_interp(times, t, u) for t, u in zip(ts, taus)])
    return out


def _etd2rk(lam, wstar, floor, gamma: float, times, eta: float, rel_step: float):
    """Integrate (MF) for every row of ``lam``, ``wstar`` (rows: problems) to the last of the sorted ``times``
    (the scheme of :func:`gradient_flow_loss`); per row the arrays of its step times, losses, effective times."""
    def forcing(delta):
        v = wstar - delta
        g = 1.0 + gamma * readout_norm(np.einsum("rm,rm->r", v, v), gamma)
        return -(gamma / g**2)[:, None] * v * np.einsum("rm,rm->r", lam * delta, v)[:, None], g

    def loss(delta):                # Problem.loss of the predictor wstar - delta, row by row
        return floor + np.einsum("rm,rm->r", lam * delta, delta)

    rows = lam.shape[0]
    tau0, targets = 1.0 / lam.max(axis=1), np.append(times, np.inf)
    delta, tau, t, nxt = wstar.copy(), np.zeros(rows), np.zeros(rows), np.zeros(rows, dtype=int)
    f_n, g_n = forcing(delta)
    history = [(t.copy(), loss(delta), tau.copy(), np.ones(rows, bool))]
    live = t < times[-1]
    while live.any():
        h = rel_step * np.maximum(tau, tau0)
        landing = live & (t + h / (eta * g_n) >= targets[nxt])
        h = np.where(landing, (targets[nxt] - t) * eta * g_n, np.where(live, h, 0.0))  # land on the next time
        z = -lam * h[:, None]
        phi1, phi2 = _phi12(z)
        a = np.exp(z) * delta + h[:, None] * phi1 * f_n
        f_a, _ = forcing(a)
        delta = a + h[:, None] * phi2 * (f_a - f_n)
        delta[np.abs(delta) < 1e-150] = 0.0  # learned modes: avoid (slow) subnormal arithmetic
        f_new, g_new = forcing(delta)
        t = t + 0.5 * h * (1.0 / g_n + 1.0 / g_new) / eta
        tau = tau + h
        f_n, g_n = f_new, g_new
        nxt = nxt + landing
        history.append((t.copy(), loss(delta), tau.copy(), live))
        live = live & (t < times[-1])
    T, L, U, stepped = (np.array(x) for x in zip(*history))
    return ([col[stepped[:, r], r] for r in range(rows)] for col in (T, L, U))


def lazy_loss(problem: Problem, times, eta: float = 1.0) -> np.ndarray:
    r"""Closed form of (MF) at ``gamma = 0``: :math:`L(t) = \text{floor} + \sum_k \lambda_k w_k^{*2} e^{-2\eta\lambda_k t}`.

    Without feature learning (MF) is linear and diagonal, :math:`\Delta_k(t) = w^*_k e^{-\eta\lambda_k t}`
    and :math:`\tau = \eta t`; :func:`gradient_flow_loss` returns this at ``gamma = 0``.

    >>> pb = Problem(np.array([1.0, 0.5]), np.array([1.0, 2.0]), 0.25)
    >>> bool(np.isclose(lazy_loss(pb, [1.0])[0], 0.25 + np.exp(-2) + 2 * np.exp(-1)))
    True
    """
    times = _check_common(0.0, eta, times)
    power = problem.eigenvalues * problem.target ** 2
    out = np.empty(times.size)
    for rows in np.array_split(np.arange(times.size), max(1, times.size * power.size // 2_000_000)):
        out[rows] = problem.floor + np.exp(-2.0 * eta * np.outer(times[rows], problem.eigenvalues)) @ power
    return out


def _loglog_interp(x: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Interpolate ``log y`` linearly in ``log x`` (the first point ``xs = 0`` is skipped)."""
    return np.exp(np.interp(np.log(x), np.log(xs[1:]), np.log(ys[1:])))


def effective_time_loss(problem: Problem, gamma: float, times, eta: float = 1.0) -> np.ndarray:
    r"""Scalar kernel-gain approximation of (MF): only the gain :math:`1+\gamma q` is kept.

    Modes are learned as :math:`v_k = w^*_k(1-e^{-\lambda_k\tau})` with
    :math:`d\tau/dt = \eta(1+\gamma q(\tau))`, :math:`|v(\tau)|^2 = q + \gamma q^2`;
    i.e. :math:`t(\tau) = \int_0^\tau d\tau'/(\eta(1+\gamma q(\tau')))`, evaluated by
    quadrature on a geometric grid. Exponents agree with (MF) (rank-one forcing changes
    constants only, see the derivation); used as an independent route in the tests.
    """
    times = _check_common(gamma, eta, times)
    lam, wstar = problem.eigenvalues, problem.target
    # the gain is at most 1 + gamma q(|w*|^2), so tau(t) <= eta g_max t
    g_max = 1.0 + gamma * readout_norm(wstar @ wstar, gamma)
    tau_hi = max(eta * g_max * float(times.max()), 10.0 / lam.max())
    taus = np.concatenate([[0.0], np.geomspace(1e-3 / lam.max(), tau_hi, 4000)])
    v2, loss = np.empty(taus.size), np.empty(taus.size)
    for rows in np.array_split(np.arange(taus.size), max(1, taus.size * lam.size // 2_000_000)):
        v = wstar[None, :] * -np.expm1(-np.outer(taus[rows], lam))
        v2[rows], loss[rows] = np.sum(v * v, axis=1), problem.loss(v)
    gain = 1.0 + gamma * readout_norm(v2, gamma)
    inv = 1.0 / (eta * gain)
    ts = np.concatenate([[0.0], np.cumsum(0.5 * np.diff(taus) * (inv[1:] + inv[:-1]))])
    return _loglog_interp(times, ts, loss)


def reference_solution(problem: Problem, gamma: float, times, eta: float = 1.0, rtol: float = 1e-9):
    """(MF) integrated by SciPy's implicit ``Radau`` solver (dense Jacobian: small ``M`` only).

    An independent check of :func:`gradient_flow_loss`; cost grows as ``M^3``.
    """
    from scipy.integrate import solve_ivp
    times = _check_common(gamma, eta, times)
    lam, wstar = problem.eigenvalues, problem.target
    if lam.size > 400:
        raise ValueError(f"reference_solution is for at most 400 modes, got {lam.size}")

    def rhs(_, v):
        q = readout_norm(v @ v, gamma)
        g = 1.0 + gamma * q
        r = lam * (wstar - v)
        return eta * (g * r + (gamma / g) * v * (v @ r))

    sol = solve_ivp(rhs, (0.0, float(times.max())), np.zeros_like(wstar), method="Radau",
                    t_eval=times, rtol=rtol, atol=1e-14)
    if not sol.success:
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    return problem.loss(sol.y.T)


__all__ = ["Problem", "infinite_width_problem", "readout_norm", "gradient_flow_loss", "gradient_flow_losses",
           "lazy_loss", "effective_time_loss", "reference_solution"]
