r"""Three-layer networks on the circle whose trained layers are the solvable model's (issue 23).

Bordelon, Atanasov & Pehlevan (ICLR 2025, Fig. 10) train a two-layer *linear* network on top of fixed
features; here the fixed features are a frozen random first layer on the circle:

.. math::

    f(\theta) = \frac{1}{\gamma N\sqrt M}\sum_{n=1}^N a_n\sum_{m=1}^M W_{nm}\, s(u_m\cdot x + c_m),
    \qquad x = (\cos\theta, \sin\theta),\quad s = \mathbf 1[\,\cdot > 0],

with a frozen first layer :math:`u_m\sim\mathcal N(0, I_2)`, :math:`c_m\sim\mathcal N(0,1)` (``M`` units), a
trained middle layer :math:`W\in\mathbb R^{N\times M}` started at zero (so :math:`f\equiv0`; the solvable
model's :math:`w(0)=0`) and a trained readout :math:`a_n\sim\mathcal N(0,1)`, trained by online SGD on
:math:`\tfrac12(y-f)^2` at learning rate :math:`\eta_0\gamma^2N` (the mean-field / muP scaling of
:mod:`scalingtheory.numerics.circle_network`). With :math:`z_m = s(u_m\cdot x+c_m)` the NTK is

.. math::

    K(\theta,\theta') = \eta_0\Big[\frac{|a|^2}{N}\,\frac{z\cdot z'}{M} + \frac{z^\top W^\top W z'}{NM}\Big]:

at initialisation the random-feature kernel of the ``M`` units (``gamma -> 0``: the lazy limit, kernel
regression with it). Training grows :math:`W\propto a\,G^\top` and then every :math:`a_n` by the same
factor, so the first part is the feature kernel times the isotropic gain :math:`|a|^2/N` and the second
grows along the learned function: the solvable model's :math:`(1+\gamma q)I + \gamma vv^\top/(1+\gamma q)`
(derivation Sec. 2). A ReLU middle layer replaces the gain by a per-unit reweighting
:math:`a_n^2 s'(h_n)s'(h_n')`, which does not reproduce the rich exponent (derivation Sec. 10).

**Capacity.** Each unit is the indicator of an arc of half-width :math:`d_m=\arccos(-c_m/|u_m|)` centred at
the direction of :math:`u_m`, with Fourier coefficient :math:`\hat z_m(k)=e^{-ik\theta_m}\sin(kd_m)/(\pi k)`:
the feature kernel has :math:`\lambda_k\propto k^{-2}`, the same :math:`\alpha=2` as the two-layer ReLU
network's NTK (whose :math:`k^{-2}` comes from the same step functions :math:`\phi'`). ReLU units would
give :math:`\alpha=4` and a learning front too slow to resolve here. :func:`ntk_spectrum` is exact.

The middle layer is linear, so ``f = z . v`` with :math:`v=W^\top a/(\gamma N\sqrt M)` and one SGD step is a
rank-one update of ``W`` (cost ``O(N M)`` per step instead of ``O(B N M)``); the population loss is exact
(``f`` is piecewise constant between the arcs' ends, :func:`population_loss`).

>>> net = init_network(4, 6, seeds=(0,))
>>> float(np.max(np.abs(forward(net, np.array([[0.3, 2.0]]), 0.5))))
0.0
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from scalingtheory.limits import SEEDS
from scalingtheory.numerics._shared import seed_tuple
from scalingtheory.numerics.circle_network import (TABLE, CircleTask, Measurement, Run, check_training, circle_target,
                                                   fit_exponent)


@dataclass
class ThreeLayer:
    """``S`` networks (one per seed): frozen first layer ``u (S, M, 2)``, ``c (S, M)``; trained ``W (S, N, M)``,
    ``a (S, N)``."""

    u: np.ndarray
    c: np.ndarray
    W: np.ndarray
    a: np.ndarray

    @property
    def width(self) -> int:
        """Middle-layer width ``N``."""
        return self.W.shape[1]

    @property
    def features(self) -> int:
        """First-layer units ``M``."""
        return self.W.shape[2]

    def copy(self) -> "ThreeLayer":
        return ThreeLayer(self.u, self.c, self.W.copy(), self.a.copy())


def init_network(width: int, features: int, seeds=SEEDS, centres: int | None = None) -> ThreeLayer:
    r"""Gaussian first layer and readout, middle layer at zero (so ``f = 0``), one network per seed.

    ``centres``: the ``features`` units are ``features / centres`` Gaussian draws :math:`(u_j, c_j)`, each
    rotated to ``centres`` equally spaced directions (a random common offset): every arc width at every
    centre. The units' kernel is then exactly diagonal in the Fourier modes below ``centres`` (the sum
    over centres of :math:`e^{-i(k-k')\theta_i}` vanishes unless :math:`k\equiv k'`), with the same
    :math:`\lambda_k` in expectation: the random centres' mode mixing, the cause of the finite-width
    transient :math:`M^{-1}t^{-(1-1/\alpha)}`, is removed (derivation Sec. 10).

    >>> net = init_network(3, 8, seeds=(0,), centres=4)
    >>> np.round(np.hypot(net.u[0, :, 0], net.u[0, :, 1]).reshape(4, 2), 6).std(axis=0).tolist()
    [0.0, 0.0]
    """
    for name, v in (("width", width), ("features", features)):
        if isinstance(v, bool) or int(v) != v or v < 2:
            raise ValueError(f"{name} must be an integer >= 2, got {v}")
    if centres is not None and (isinstance(centres, bool) or int(centres) != centres or centres < 1
                                or features % int(centres)):
        raise ValueError(f"centres must be a positive integer dividing features = {features}, got {centres}")
    rngs = [np.random.default_rng([s, 3]) for s in seed_tuple(seeds)]
    draws = int(features) if centres is None else int(features) // int(centres)
    u = np.array([r.standard_normal((draws, 2)) for r in rngs])
    c = np.array([r.standard_normal(draws) for r in rngs])
    a = np.array([r.standard_normal(int(width)) for r in rngs])
    if centres is not None:
        phi = (np.array([r.uniform(0, 2 * np.pi) for r in rngs])[:, None]
               + 2 * np.pi * np.arange(int(centres))[None, :] / int(centres))                   # (S, centres)
        radius = np.hypot(u[..., 0], u[..., 1])                                                # (S, draws)
        u = np.stack([radius[:, None, :] * np.cos(phi)[:, :, None], radius[:, None, :] * np.sin(phi)[:, :, None]],
                     axis=-1).reshape(len(rngs), int(features), 2)
        c = np.broadcast_to(c[:, None, :], (len(rngs), int(centres), draws)).reshape(len(rngs), int(features))
    return ThreeLayer(u, c, np.zeros((len(rngs), int(width), int(features))), a)


def _units(net: ThreeLayer, theta: np.ndarray) -> np.ndarray:
    """Frozen first-layer outputs ``z (S, B, M)`` at angles ``theta (S, B)``."""
    h = (np.cos(theta)[:, :, None] * net.u[:, None, :, 0] + np.sin(theta)[:, :, None] * net.u[:, None, :, 1]
         + net.c[:, None, :])
    return (h > 0).astype(float)


def _scale(net: ThreeLayer, gamma: float) -> float:
    return 1.0 / (gamma * net.width * np.sqrt(net.features))


def forward(net: ThreeLayer, theta: np.ndarray, gamma: float) -> np.ndarray:
    """Outputs ``(S, B)`` at angles ``theta (S, B)``."""
    v = np.einsum("sn,snm->sm", net.a, net.W) * _scale(net, gamma)
    return np.einsum("sbm,sm->sb", _units(net, theta), v)


def gradients(net: ThreeLayer, theta: np.ndarray, y: np.ndarray, gamma: float):
    r"""Batch loss :math:`\frac1{2B}\sum_\mu(f_\mu-y_\mu)^2` per network ``(S,)`` and its gradients
    ``(dW (S, N, M), da (S, N))``."""
    z = _units(net, theta)
    f = forward(net, theta, gamma)
    g = np.einsum("sb,sbm->sm", (f - y) / theta.shape[1], z) * _scale(net, gamma)     # (S, M)
    return 0.5 * np.mean((f - y) ** 2, axis=1), net.a[:, :, None] * g[:, None, :], np.einsum("snm,sm->sn", net.W, g)


def sgd_step(net: ThreeLayer, theta: np.ndarray, y: np.ndarray, gamma: float, eta: float) -> None:
    """One SGD step in place at learning rate ``eta gamma^2 N`` (both gradients at the same point)."""
    _, dW, da = gradients(net, theta, y, gamma)
    rate = eta * gamma**2 * net.width
    net.W -= rate * dW
    net.a -= rate * da


def _arcs(net: ThreeLayer):
    """Each unit's arc ``z_m = 1`` on ``[start, start + length]`` (mod 2 pi): ``(start, length)``, ``(S, M)``."""
    r = np.hypot(net.u[..., 0], net.u[..., 1])
    half = np.arccos(np.clip(-net.c / r, -1.0, 1.0))            # 0: never on, pi: always on
    return np.arctan2(net.u[..., 1], net.u[..., 0]) - half, 2 * half


def fourier_units(net: ThreeLayer, kmax: int) -> np.ndarray:
    r"""Fourier coefficients :math:`\hat z_m(k)=e^{-ik\theta_m}\sin(kd_m)/(\pi k)` of the units, ``(S, kmax, M)``."""
    start, length = _arcs(net)
    k = np.arange(1, int(kmax) + 1)[None, :, None]
    return np.exp(-1j * k * (start + length / 2)[:, None, :]) * np.sin(k * length[:, None, :] / 2) / (np.pi * k)


def ntk_spectrum(net: ThreeLayer, kmax: int) -> np.ndarray:
    r"""Fourier diagonal of the NTK over :math:`\eta_0`, ``k = 1..kmax``, per network ``(S, kmax)``, exact:
    :math:`\lambda_k=\frac{|a|^2}{N}\frac1M\sum_m|\hat z_m(k)|^2+\frac1{NM}\sum_n|\sum_mW_{nm}\hat z_m(k)|^2`."""
    if isinstance(kmax, bool) or int(kmax) != kmax or kmax < 1:
        raise ValueError(f"kmax must be an integer >= 1, got {kmax}")
    zk = fourier_units(net, kmax)
    own = np.mean(np.abs(zk) ** 2, axis=2) * np.mean(net.a**2, axis=1)[:, None]
    mixed = np.mean(np.abs(np.einsum("snm,skm->skn", net.W, zk)) ** 2, axis=2) / net.features
    return own + mixed


def measure_alpha(width: int = 128, features: int = 4096, seeds=SEEDS, kfit=(4, 256), centres: int | None = None):
    """Capacity exponent of the initial NTK (LS slope of ``log lambda_k``, ``k in kfit``), one estimate per seed."""
    lam = ntk_spectrum(init_network(width, features, seeds, centres), kfit[1])
    k = np.arange(kfit[0], kfit[1] + 1)
    return fit_exponent(k, lam[:, k - 1], method=f"LS slope of log lambda_k, k = {kfit[0]}..{kfit[1]}, width {width}, "
                        f"{features} first-layer units")


class _ExactLoss:
    r"""Exact population loss :math:`\frac1{2\pi}\int(f-y)^2` of ``f = z . v`` on ``task``: ``f`` is piecewise
    constant between the sorted arc ends, and :math:`\int_{\rm arc} y` comes from the antiderivative of the
    tabulated target (``y`` has zero mean, so it is periodic)."""

    def __init__(self, net: ThreeLayer, task: CircleTask):
        start, length = _arcs(net)
        step = 2 * np.pi / TABLE
        anti = np.concatenate([[0.0], np.cumsum((task.table + np.roll(task.table, -1)) / 2) * step])   # Y on the grid
        Y = lambda th: np.interp(np.mod(th, 2 * np.pi), np.arange(TABLE + 1) * step, anti)        # noqa: E731
        self.cross = (Y(start + length) - Y(start)) / (2 * np.pi)
        a0 = np.mod(start, 2 * np.pi)
        a1 = np.mod(start + length, 2 * np.pi)
        self.full = length >= 2 * np.pi - 1e-12
        self.empty = length <= 1e-12
        live = ~(self.full | self.empty)
        self.points = np.concatenate([a0, a1], axis=1)                      # (S, 2M)
        self.sign = np.concatenate([np.where(live, 1.0, 0.0), np.where(live, -1.0, 0.0)], axis=1)
        self.order = np.argsort(self.points, axis=1)
        self.gaps = np.diff(np.concatenate([np.take_along_axis(self.points, self.order, 1),
                                            np.full((start.shape[0], 1), 2 * np.pi)], axis=1), axis=1)
        self.first = np.take_along_axis(self.points, self.order, 1)[:, :1]
        self.wraps = (a1 < a0) & live                                     # arcs covering angle 0
        self.power = float(np.sum(task.power))

    def _segments(self, v: np.ndarray):
        """``f`` on ``[0, first point)`` ``(S, 1)`` and after each sorted arc end ``(S, 2M)``."""
        at0 = np.sum(v * (self.wraps | self.full), axis=1, keepdims=True)
        jumps = np.take_along_axis(np.concatenate([v, v], axis=1) * self.sign, self.order, 1)
        return at0, at0 + np.cumsum(jumps, axis=1)

    def __call__(self, v: np.ndarray) -> np.ndarray:
        at0, seg = self._segments(v)
        f2 = (at0[:, 0] ** 2 * self.first[:, 0] + np.sum(seg**2 * self.gaps, axis=1)) / (2 * np.pi)
        return f2 - 2 * np.sum(v * self.cross, axis=1) + self.power

    def gradient(self, v: np.ndarray) -> np.ndarray:
        r"""The population gradient :math:`\mathbb E_\theta[(f-y)z_m]=\frac1{2\pi}\int_{{\rm arc}_m}(f-y)`
        ``(S, M)`` (the ``B -> oo`` limit of a batch's :math:`\frac1B\sum_\mu(f_\mu-y_\mu)z_m(\theta_\mu)`):
        the integral of the piecewise-constant ``f`` up to each arc end, differenced over each arc."""
        at0, seg = self._segments(v)
        upto = np.concatenate([at0 * self.first, at0 * self.first + np.cumsum(seg * self.gaps, axis=1)[:, :-1]], axis=1)
        total = at0[:, 0] * self.first[:, 0] + np.sum(seg * self.gaps, axis=1)          # int_0^{2 pi} f
        F = np.empty_like(upto)
        np.put_along_axis(F, self.order, upto, axis=1)                                   # at a0 (first M), a1
        m = v.shape[1]
        arc = F[:, m:] - F[:, :m] + np.where(self.wraps, total[:, None], 0.0)
        arc = np.where(self.full, total[:, None], np.where(self.empty, 0.0, arc))
        return arc / (2 * np.pi) - self.cross


def _rank_one(W: np.ndarray, a: np.ndarray, g: np.ndarray) -> None:
    """``W -= a g^T`` in place (BLAS ``dger`` where SciPy has it, else NumPy)."""
    try:
        from scipy.linalg.blas import dger
    except ImportError:                                     # pragma: no cover
        W -= np.outer(a, g)
        return
    if W.flags.f_contiguous:
        dger(-1.0, a, g, a=W, overwrite_a=True)
    else:                                                   # C order: W^T is Fortran-ordered
        dger(-1.0, g, a, a=W.T, overwrite_a=True)


def population_loss(net: ThreeLayer, task: CircleTask, gamma: float) -> np.ndarray:
    """Exact population loss ``E_theta (f - y)^2`` per network ``(S,)``."""
    return _ExactLoss(net, task)(np.einsum("sn,snm->sm", net.a, net.W) * _scale(net, gamma))


def train(task: CircleTask, width: int, features: int, gamma: float, steps: int, eta: float = 0.5,
          batch: int | None = 16, seeds=SEEDS, n_records: int = 40, progress: bool | None = None,
          centres: int | None = None) -> Run:
    r"""Online SGD of the three-layer network (module docstring) on ``task``, one network per seed; the
    population loss (exact) at ``n_records`` log-spaced steps and step 0. Same knobs as
    :func:`scalingtheory.numerics.circle_network.train` plus ``features`` (first-layer units ``M``);
    ``batch=None`` descends the exact population gradient instead (:meth:`_ExactLoss.gradient`, the
    ``B -> oo`` limit: gradient descent of the same networks, no SGD noise); ``centres`` places the first
    layer's units on equally spaced centres (:func:`init_network`)."""
    check_training(gamma, eta, steps, 1 if batch is None else batch, n_records)
    seeds = seed_tuple(seeds)
    start = time.process_time()
    net = init_network(width, features, seeds, centres)
    loss = _ExactLoss(net, task)
    sc, rate = _scale(net, gamma), eta * gamma**2 * width
    record = np.unique(np.concatenate([[0], np.geomspace(1, steps, n_records).round().astype(int)]))
    rng = np.random.default_rng([seeds[0], len(seeds), 3])
    out, j = np.empty((len(seeds), record.size)), 0
    v = np.einsum("sn,snm->sm", net.a, net.W) * sc
    show = sys.stderr.isatty() if progress is None else progress
    with np.errstate(over="ignore", invalid="ignore"):
        for step in tqdm(range(int(record[-1]) + 1), desc=f"3-layer gamma={gamma:g} N={width}", disable=not show,
                         mininterval=2):
            if step == record[j]:
                out[:, j] = loss(v)
                j += 1
                if j == record.size:
                    break
            if batch is None:
                g = loss.gradient(v) * (rate * sc)                                      # (S, M)
            else:
                theta = rng.uniform(0.0, 2 * np.pi, (len(seeds), int(batch)))
                z = _units(net, theta)                                                # (S, B, M)
                e = (np.matmul(z, v[:, :, None])[:, :, 0] - task.sample(theta)) * (rate * sc / batch)
                g = np.matmul(e[:, None, :], z)[:, 0, :]
            da = np.matmul(net.W, g[:, :, None])[:, :, 0]
            for s in range(len(seeds)):                                                 # rank one: W -= a g^T
                _rank_one(net.W[s], net.a[s], g[s])
            net.a -= da
            v = np.matmul(net.a[:, None, :], net.W)[:, 0, :] * sc
    if not np.all(np.isfinite(out)):
        raise FloatingPointError("online SGD diverged; lower eta")
    settings = {"width": width, "features": features, "gamma": gamma, "eta": eta, "batch": batch, "alpha": task.alpha,
                "beta": task.beta, "modes": task.power.size, "network": "three-layer", "centres": centres}
    return Run(record, out, seeds, settings, time.process_time() - start)


def measure_time_exponent(beta: float, gamma: float, width: int, features: int, steps: int, eta: float = 0.5,
                          batch: int = 16, seeds=SEEDS, modes: int = 255, decades: float = 1.5,
                          n_records: int = 24, progress: bool | None = None, centres: int | None = None) -> Measurement:
    r"""Train on the target of source exponent ``beta`` for the measured :math:`\hat\alpha` of the initial NTK
    (:func:`measure_alpha`, same width, units, centres and seeds) and fit the time exponent on the last
    ``decades``."""
    alpha = measure_alpha(width, features, seeds, kfit=(4, min(256, modes)), centres=centres)
    task = circle_target(alpha.exponent, beta, modes)
    run = train(task, width, features, gamma, steps, eta, batch, seeds, n_records=n_records, progress=progress,
                centres=centres)
    window = (steps / 10**decades, steps)
    return Measurement(run, alpha, run.exponent(window), window)
