r"""Two-layer ReLU networks on the circle trained by online SGD, lazy and rich (issue 23).

The nonlinear experiment of Bordelon, Atanasov & Pehlevan, *How Feature Learning Can Improve
Neural Scaling Laws* (ICLR 2025, Sec. 5): inputs :math:`x=(\cos\theta,\sin\theta)` with
:math:`\theta` uniform on the circle, a target whose Fourier power falls as a power law, and
a two-layer network in the mean-field (muP) parameterisation with richness :math:`\gamma`

.. math::

    f(\theta) = \frac{1}{\gamma N}\sum_{i=1}^N a_i\,\phi(w_i\cdot x + b_i), \qquad \phi = {\rm ReLU},
    \qquad a_i, b_i \sim\mathcal N(0,1),\ w_i\sim\mathcal N(0, I_2),

trained by online SGD on :math:`\tfrac12(y-f)^2` with learning rate :math:`\eta_0\gamma^2 N`
(a fresh batch of ``B`` angles every step). Then :math:`\partial_t f = \eta_0 K e` with the
neural tangent kernel

.. math::

    K(\theta,\theta') = \frac1N\sum_i\big[\phi(h_i)\phi(h_i') + a_i^2\phi'(h_i)\phi'(h_i')(x\cdot x'+1)\big]

of order one at any ``N`` and ``gamma``, while each parameter moves by :math:`O(\eta_0\gamma)`:
:math:`\gamma\to0` is the linearised (lazy, NTK) network and :math:`\gamma=O(1)` trains the
features at every width (mean-field / muP). Neurons come in pairs :math:`(w,b,a)`,
:math:`(w,b,-a)`, so :math:`f\equiv0` at initialisation (the kernel limit then starts from 0).

**Capacity** :math:`\alpha`. The infinite-width NTK is rotation invariant, so Fourier modes
are its eigenfunctions: :math:`\lambda_k = \frac1N\sum_j|\hat g_j(k)|^2` over the per-neuron
features :math:`g_j` (:func:`ntk_spectrum`, FFT on a grid). The kink of the ReLU gives
:math:`|\hat g(k)|^2\sim k^{-2}`, so :math:`\lambda_k\sim k^{-2}` (:math:`\alpha\approx2`);
:func:`measure_alpha` fits it. A smooth activation (tanh) has exponentially decaying
:math:`\lambda_k` and no capacity exponent, which is why ReLU is used.

**Source** :math:`\beta`. With the power of the target in mode pair :math:`k` equal to
:math:`\lambda_k w_k^{*2}\propto k^{-\alpha\beta-1}` (paper Eq. 6), the kernel-limit loss
:math:`L(t)=\sum_k P_k e^{-2\eta_0\lambda_k t}\sim t^{-\beta}`. :func:`circle_target` builds
:math:`y(\theta)=\sum_{k\ge1} c_k\cos(k\theta+\varphi_k)` with :math:`c_k^2\propto k^{-\hat\alpha\beta-1}`
for the measured :math:`\hat\alpha`, random phases, :math:`\mathrm{Var}\,y=1`.

>>> task = circle_target(2.0, 0.5, modes=64, seed=0)
>>> round(float(np.mean(task.test_values**2)), 6)
1.0
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from scalingtheory.limits import SEEDS
from scalingtheory.numerics._shared import confidence_interval, seed_tuple

#: points of the target table that online samples are interpolated from (linear interpolation error
#: h^2 |y''| / 8 <= 1e-4 at 2048 modes of power k^-2, far below any loss measured)
TABLE = 2**18
#: equally spaced test angles of the population loss (the target has < TEST/2 modes)
TEST = 4096


@dataclass(frozen=True)
class CircleTask:
    """Target on the circle: Fourier powers ``power[k-1]`` of modes ``k = 1..modes`` (sum 1 = Var y),
    values on the ``TABLE`` grid (for online samples) and on the ``TEST`` grid (population loss)."""

    alpha: float
    beta: float
    power: np.ndarray
    table: np.ndarray

    @property
    def test_points(self) -> int:
        """Angles of the population-loss grid: ``8 modes`` rounded up to a power of 2, at most ``TEST``."""
        return int(min(TEST, 2 ** np.ceil(np.log2(8 * self.power.size))))

    @property
    def test_values(self) -> np.ndarray:
        return self.table[:: TABLE // self.test_points]

    def sample(self, theta: np.ndarray) -> np.ndarray:
        """Target at angles ``theta`` in ``[0, 2 pi)`` by linear interpolation in the table."""
        u = theta * (TABLE / (2 * np.pi))
        i = np.floor(u).astype(np.int64)
        frac = u - i
        i %= TABLE
        return self.table[i] * (1 - frac) + self.table[(i + 1) % TABLE] * frac

    def kernel_loss(self, eigenvalues, times, eta: float) -> np.ndarray:
        r"""Loss of kernel gradient flow :math:`\sum_k P_k e^{-2\eta\lambda_k t}` (the ``N = oo``,
        ``B = oo`` lazy limit) for eigenvalues ``lambda_k`` of modes ``k = 1..modes``."""
        lam = np.asarray(eigenvalues, float)[: self.power.size]
        return np.exp(-2 * eta * np.outer(np.asarray(times, float), lam)) @ self.power[: lam.size]


def circle_target(alpha: float, beta: float, modes: int = 2048, seed: int = 0) -> CircleTask:
    r"""The power-law target :math:`c_k^2\propto k^{-\alpha\beta-1}`, :math:`k\le` ``modes``, random phases.

    ``alpha`` is the capacity exponent of the network's NTK (measure it with :func:`measure_alpha`),
    ``beta`` the requested source exponent; ``seed`` draws the phases.
    """
    if not (np.isfinite(alpha) and alpha > 1 and np.isfinite(beta) and beta > 0):
        raise ValueError(f"need alpha > 1 and beta > 0, got alpha = {alpha}, beta = {beta}")
    if isinstance(modes, bool) or int(modes) != modes or not 1 <= modes < TEST // 2:
        raise ValueError(f"modes must be an integer in [1, {TEST // 2 - 1}], got {modes}")
    k = np.arange(1, int(modes) + 1, dtype=float)
    power = k ** (-alpha * beta - 1)
    power /= power.sum()
    phases = np.random.default_rng([seed, 23]).uniform(0, 2 * np.pi, k.size)
    spec = np.zeros(TABLE // 2 + 1, complex)
    spec[1: k.size + 1] = np.sqrt(2 * power) * np.exp(1j * phases) * (TABLE / 2)
    table = np.fft.irfft(spec, TABLE)
    table.flags.writeable = False
    return CircleTask(float(alpha), float(beta), power, table)


@dataclass
class Network:
    """Parameters of ``S`` independent networks (one per seed), arrays of shape ``(S, N)``."""

    wc: np.ndarray
    ws: np.ndarray
    b: np.ndarray
    a: np.ndarray

    @property
    def width(self) -> int:
        return self.a.shape[1]

    def copy(self) -> "Network":
        return Network(self.wc.copy(), self.ws.copy(), self.b.copy(), self.a.copy())


def init_network(width: int, seeds=SEEDS) -> Network:
    """Paired Gaussian initialisation (``f = 0`` at ``t = 0``), one network per seed; ``width`` even."""
    if isinstance(width, bool) or int(width) != width or width < 2 or width % 2:
        raise ValueError(f"width must be an even integer >= 2, got {width}")
    half = int(width) // 2
    draws = [np.random.default_rng([s, 0]).standard_normal((4, half)) for s in seed_tuple(seeds)]
    p = np.array(draws)                               # (S, 4, N/2)
    pair = lambda x, sgn=1: np.concatenate([x, sgn * x], axis=1)  # noqa: E731
    return Network(pair(p[:, 0]), pair(p[:, 1]), pair(p[:, 2]), pair(p[:, 3], -1))


def forward(net: Network, theta: np.ndarray, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """``(f, h)``: outputs ``(S, B)`` at angles ``theta`` ``(S, B)`` and preactivations ``(S, B, N)``."""
    h = (np.cos(theta)[:, :, None] * net.wc[:, None, :] + np.sin(theta)[:, :, None] * net.ws[:, None, :]
         + net.b[:, None, :])
    f = np.matmul(np.maximum(h, 0.0), net.a[:, :, None])[:, :, 0] / (gamma * net.width)
    return f, h


def gradients(net: Network, theta: np.ndarray, y: np.ndarray, gamma: float,
              initial: Network | None = None) -> tuple[np.ndarray, Network]:
    r"""Batch loss :math:`\frac1{2B}\sum_\mu(f_\mu-y_\mu)^2` per network ``(S,)`` and its gradient (a
    :class:`Network`); with ``initial``, of the network linearised around ``initial`` (``net`` then holds
    the displacement :math:`\delta`, see :func:`population_loss`)."""
    if initial is None:
        f, h = forward(net, theta, gamma)
        a = net.a
    else:
        f, h = _linear_forward(net, initial, theta, gamma)
        a = initial.a
    e = (f - y) / (gamma * a.shape[1] * theta.shape[1])       # dloss/df / (gamma N)
    ga = np.matmul(e[:, None, :], np.maximum(h, 0.0))[:, 0, :]
    d = (h > 0) * e[:, :, None]
    gwc = np.matmul(np.cos(theta)[:, None, :], d)[:, 0, :]
    gws = np.matmul(np.sin(theta)[:, None, :], d)[:, 0, :]
    return 0.5 * np.mean((f - y) ** 2, axis=1), Network(gwc * a, gws * a, d.sum(axis=1) * a, ga)


def _features(net: Network, theta: np.ndarray):
    """Per-neuron NTK features at angles ``theta`` (1-d): ``phi(h)``, ``a phi'(h) (cos, sin, 1)``;
    arrays ``(S, n, N)``."""
    h = (np.cos(theta)[None, :, None] * net.wc[:, None, :] + np.sin(theta)[None, :, None] * net.ws[:, None, :]
         + net.b[:, None, :])
    step = (h > 0) * net.a[:, None, :]
    return (np.maximum(h, 0.0), step * np.cos(theta)[None, :, None], step * np.sin(theta)[None, :, None], step)


def ntk_spectrum(net: Network, kmax: int, grid: int = TEST) -> np.ndarray:
    r"""Fourier diagonal of the empirical NTK, :math:`\lambda_k=\frac1N\sum_j|\hat g_j(k)|^2`, ``k = 1..kmax``,
    per network: shape ``(S, kmax)`` (the eigenvalue of the kernel integral operator on mode ``k``,
    for cosine and sine alike; exact eigenvalues of the rotation-invariant ``N = oo`` kernel)."""
    if isinstance(kmax, bool) or int(kmax) != kmax or not 1 <= kmax < grid // 2:
        raise ValueError(f"kmax must be an integer in [1, {grid // 2 - 1}], got {kmax}")
    theta = 2 * np.pi * np.arange(grid) / grid
    out = np.zeros((net.a.shape[0], int(kmax)))
    for lo in range(0, net.width, 256):
        part = Network(net.wc[:, lo:lo + 256], net.ws[:, lo:lo + 256], net.b[:, lo:lo + 256], net.a[:, lo:lo + 256])
        for g in _features(part, theta):
            spec = np.fft.rfft(g, axis=1)[:, 1: int(kmax) + 1, :] / grid
            out += np.sum(np.abs(spec) ** 2, axis=2)
    return out / net.width


@dataclass(frozen=True)
class PowerFit:
    """Least-squares exponent of ``y ~ x^-exponent`` with its interval ``ci`` (``level``, over ``samples``)."""

    exponent: float
    ci: tuple
    samples: int
    method: str


def fit_exponent(x, ys, level: float = 0.95, method: str = "") -> PowerFit:
    r"""Mean over rows of ``ys`` of the least-squares slope of :math:`-\log y` on :math:`\log x`, with the
    Student-t interval of that mean (each row one seed: an independent estimate).

    >>> x = np.array([1.0, 10.0, 100.0])
    >>> fit = fit_exponent(x, [x**-0.5, 2 * x**-0.5])
    >>> round(fit.exponent, 12), fit.samples
    (0.5, 2)
    """
    lx = np.log(np.asarray(x, float))
    ly = np.log(np.atleast_2d(np.asarray(ys, float)))
    slopes = -np.polyfit(lx, ly.T, 1)[0]
    mean, (lo, hi) = confidence_interval(slopes[:, None], level)
    return PowerFit(float(mean[0]), (float(lo[0]), float(hi[0])), slopes.size, method)


def measure_alpha(width: int = 4096, seeds=SEEDS, kfit=(4, 256)) -> PowerFit:
    r"""Capacity exponent of the initial NTK: slope of ``log lambda_k`` on ``k in kfit`` (all integers),
    one estimate per seed (the paper's alpha of the network's own kernel). The grid has ``8 kfit[1]``
    points or more: aliasing of the :math:`k^{-1}` kink coefficients then moves :math:`\lambda_k` by < 2 %."""
    net = init_network(width, seeds)
    lam = ntk_spectrum(net, kfit[1], grid=int(2 ** np.ceil(np.log2(max(8 * kfit[1], 512)))))
    k = np.arange(kfit[0], kfit[1] + 1)
    return fit_exponent(k, lam[:, k - 1], method=f"LS slope of log lambda_k, k = {kfit[0]}..{kfit[1]}, "
                        f"width {width}")


def population_loss(net: Network, task: CircleTask, gamma: float, initial: Network | None = None) -> np.ndarray:
    """Population loss ``E_theta (f - y)^2`` per network ``(S,)`` on the task's test grid (of the linearised
    network around ``initial`` when given)."""
    n = task.test_points
    theta = 2 * np.pi * np.arange(n) / n
    total = np.zeros(net.a.shape[0])
    for lo in range(0, n, 512):
        th = np.broadcast_to(theta[lo:lo + 512], (net.a.shape[0], min(512, n - lo)))
        f = forward(net, th, gamma)[0] if initial is None else _linear_forward(net, initial, th, gamma)[0]
        total += np.sum((f - task.test_values[lo:lo + 512]) ** 2, axis=1)
    return total / n


def _linear_forward(delta: Network, init: Network, theta: np.ndarray, gamma: float):
    r"""Linearised network :math:`f=\nabla_\theta f_0\cdot\delta`: ``(f, h0)`` with the initial features."""
    h0 = (np.cos(theta)[:, :, None] * init.wc[:, None, :] + np.sin(theta)[:, :, None] * init.ws[:, None, :]
          + init.b[:, None, :])
    move = (np.cos(theta)[:, :, None] * delta.wc[:, None, :] + np.sin(theta)[:, :, None] * delta.ws[:, None, :]
            + delta.b[:, None, :])
    f = (np.matmul(np.maximum(h0, 0.0), delta.a[:, :, None])[:, :, 0]
         + np.matmul((h0 > 0) * move, init.a[:, :, None])[:, :, 0]) / (gamma * init.width)
    return f, h0


def _sgd_step(net: Network, task: CircleTask, gamma: float, eta: float, batch: int, rng, init=None):
    """One online-SGD step on a fresh batch (in place), learning rate ``eta gamma^2 N``."""
    theta = rng.uniform(0.0, 2 * np.pi, (net.a.shape[0], batch))
    grad = gradients(net, theta, task.sample(theta), gamma, init)[1]
    rate = eta * gamma**2 * net.width
    for name in ("wc", "ws", "b", "a"):
        getattr(net, name).__isub__(rate * getattr(grad, name))


@dataclass
class Run:
    """Test loss of online-SGD runs: ``losses[seed, i]`` at step ``times[i]``; ``seconds`` of CPU time."""

    times: np.ndarray
    losses: np.ndarray
    seeds: tuple
    settings: dict
    seconds: float

    @property
    def mean(self) -> np.ndarray:
        return self.losses.mean(axis=0)

    def exponent(self, window) -> PowerFit:
        """Time exponent on steps in ``window = (t0, t1)``: per-seed least-squares slope, CI over seeds."""
        sel = (self.times >= window[0]) & (self.times <= window[1])
        if sel.sum() < 3:
            raise ValueError(f"window {window} holds fewer than 3 recorded steps")
        return fit_exponent(self.times[sel], self.losses[:, sel],
                            method=f"LS slope of log L on log t, t in [{window[0]:g}, {window[1]:g}], "
                            f"{len(self.seeds)} seeds, Student-t 95% CI over seeds")

    def local_slopes(self, per_decade: int = 4) -> tuple[np.ndarray, np.ndarray, tuple]:
        """``(t_mid, slope, (low, high))``: seed-mean slope over sliding windows of one decade / ``per_decade``
        steps and its interval (decade-wide windows starting ``per_decade`` times a decade)."""
        t0 = self.times[self.times > 0]
        starts = 10 ** np.arange(np.log10(t0[0]), np.log10(t0[-1]) - 1 + 1e-9, 1 / per_decade)
        fits = [self.exponent((s, s * 10)) for s in starts]
        return (starts * np.sqrt(10), np.array([f.exponent for f in fits]),
                (np.array([f.ci[0] for f in fits]), np.array([f.ci[1] for f in fits])))


def check_training(gamma: float, eta: float, steps: int, batch: int, n_records: int) -> None:
    """Refuse a richness or learning rate that is not finite and positive, and counts below 1."""
    if not (np.isfinite(gamma) and gamma > 0 and np.isfinite(eta) and eta > 0):
        raise ValueError(f"need gamma > 0 and eta > 0, got gamma = {gamma}, eta = {eta}")
    for name, v in (("steps", steps), ("batch", batch), ("n_records", n_records)):
        if isinstance(v, bool) or int(v) != v or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v}")


def train(task: CircleTask, width: int, gamma: float, steps: int, eta: float = 1.0, batch: int = 16,
          seeds=SEEDS, n_records: int = 40, linearized: bool = False, progress: bool | None = None) -> Run:
    r"""Online SGD of the paired two-layer ReLU network (module docstring) on ``task``, one network per seed.

    ``gamma`` is the richness (``1e-3``: lazy; ``1``: rich), ``eta`` the base learning rate
    :math:`\eta_0` (the parameters' rate is :math:`\eta_0\gamma^2N`), ``batch`` fresh angles per step;
    ``linearized`` trains the network linearised at initialisation instead: kernel SGD with the
    initial NTK of the same draw (the ``gamma -> 0`` limit). Records the population loss at
    ``n_records`` log-spaced steps (and step 0).
    """
    import time

    check_training(gamma, eta, steps, batch, n_records)
    seeds = seed_tuple(seeds)
    start = time.process_time()
    net = init_network(width, seeds)
    init = net.copy() if linearized else None
    if linearized:
        net = Network(*(np.zeros_like(x) for x in (net.wc, net.ws, net.b, net.a)))
    record = np.unique(np.concatenate([[0], np.geomspace(1, steps, n_records).round().astype(int)]))
    rng = np.random.default_rng([seeds[0], len(seeds), 1])
    out, j = np.empty((len(seeds), record.size)), 0
    show = sys.stderr.isatty() if progress is None else progress
    with np.errstate(over="ignore", invalid="ignore"):
        for step in tqdm(range(int(record[-1]) + 1), desc=f"gamma={gamma:g} N={width}", disable=not show,
                         mininterval=2):
            if step == record[j]:
                out[:, j] = population_loss(net, task, gamma, init)
                j += 1
                if j == record.size:
                    break
            _sgd_step(net, task, gamma, eta, batch, rng, init)
    if not np.all(np.isfinite(out)):
        raise FloatingPointError("online SGD diverged; lower eta (eta * K(x, x) / batch must stay below ~1)")
    settings = {"width": width, "gamma": gamma, "eta": eta, "batch": batch, "alpha": task.alpha,
                "beta": task.beta, "modes": task.power.size, "linearized": linearized}
    return Run(record, out, seeds, settings, time.process_time() - start)


@dataclass(frozen=True)
class Measurement:
    """A measured time exponent: the run, the fitted capacity ``alpha`` of its initial NTK, the window's fit."""

    run: Run
    alpha: PowerFit
    fit: PowerFit
    window: tuple


def measure_time_exponent(beta: float, gamma: float, width: int, steps: int, eta: float = 0.5, batch: int = 64,
                          seeds=SEEDS, modes: int = 2047, decades: float = 1.5, n_records: int = 24,
                          progress: bool | None = None) -> Measurement:
    r"""Train on the target of source exponent ``beta`` for the network's own measured :math:`\hat\alpha`
    and fit the time exponent on the last ``decades`` of ``steps`` (module docstring).

    :math:`\hat\alpha` is the least-squares slope of the Fourier diagonal of the initial NTK of the same
    width and seeds (:func:`measure_alpha`, ``k = 4..256``, fewer at small ``modes``); the target has
    :math:`c_k^2\propto k^{-\hat\alpha\beta-1}`.
    """
    alpha = measure_alpha(width, seeds, kfit=(4, min(256, modes)))
    task = circle_target(alpha.exponent, beta, modes)
    run = train(task, width, gamma, steps, eta, batch, seeds, n_records=n_records, progress=progress)
    window = (steps / 10**decades, steps)
    return Measurement(run, alpha, run.exponent(window), window)


def kernel_flow_loss(net: Network, task: CircleTask, eta: float, times, grid: int = 512) -> np.ndarray:
    r"""Loss of gradient descent with the network's *empirical* initial NTK (kernel regression at the same
    width), per network ``(S, len(times))``: on ``grid`` equally spaced angles the operator
    :math:`T=K/n` has eigenpairs :math:`(\mu_j,u_j)` and :math:`L(t)=\sum_j (u_j^\top y)^2/n\,(1-\eta\mu_j)^{2t}`
    (the population loss of the linearised network under full-batch steps; online SGD adds its noise)."""
    theta = 2 * np.pi * np.arange(grid) / grid
    y = task.sample(theta[None, :])[0]
    t = np.asarray(times, float)
    out = []
    for s in range(net.a.shape[0]):
        one = Network(net.wc[s:s + 1], net.ws[s:s + 1], net.b[s:s + 1], net.a[s:s + 1])
        G = np.concatenate([g[0] for g in _features(one, theta)], axis=1)      # (grid, 4N)
        mu, U = np.linalg.eigh(G @ G.T / (net.width * grid))
        power = (U.T @ y) ** 2 / grid
        out.append(np.abs(1 - eta * mu[None, :]) ** (2 * t[:, None]) @ power)
    return np.array(out)


def full_batch_descent(net: Network, task: CircleTask, gamma: float, eta: float, steps: int, grid: int = 1024) -> Network:
    """Gradient descent (in place) on the ``grid`` equally spaced angles, learning rate ``eta gamma^2 N``: the
    training of :func:`train` without SGD noise (the grid is a quadrature for targets of < ``grid/2`` modes)."""
    theta = np.broadcast_to(2 * np.pi * np.arange(grid) / grid, (net.a.shape[0], grid))
    y = task.sample(theta)
    rate = eta * gamma**2 * net.width
    for _ in range(int(steps)):
        grad = gradients(net, theta, y, gamma)[1]
        for name in ("wc", "ws", "b", "a"):
            getattr(net, name).__isub__(rate * getattr(grad, name))
    return net


def kernel_diagnostics(net: Network, initial: Network, task: CircleTask, gamma: float, kmax: int = 64) -> dict:
    r"""How training changed the first network of ``net`` (against its ``initial`` parameters), for modes
    ``k = 1..kmax``: ``growth`` (:math:`\lambda_k(t)/\lambda_k(0)`, the NTK's Fourier diagonal, :func:`ntk_spectrum`),
    ``residual`` (the share of the target's power left in mode ``k``, :math:`|\hat r_k|^2/P_k`, of the residual
    :math:`r=f_t-y`) and ``kinks`` (coefficient of variation over 32 arcs of the density of ReLU kinks
    weighted by :math:`a_i^2`, the weights of the step features behind the :math:`k^{-2}` tail; a
    Gaussian draw of width 512 gives about 0.5)."""
    one = lambda n: Network(n.wc[:1], n.ws[:1], n.b[:1], n.a[:1])         # noqa: E731
    growth = ntk_spectrum(one(net), kmax)[0] / ntk_spectrum(one(initial), kmax)[0]
    n = task.test_points
    r = forward(one(net), 2 * np.pi * np.arange(n)[None, :] / n, gamma)[0][0] - task.test_values
    residual = 2 * np.abs(np.fft.rfft(r)[1: kmax + 1] / n) ** 2 / task.power[:kmax]
    r_w = np.hypot(net.wc[0], net.ws[0])
    live = np.abs(net.b[0]) < r_w
    half = np.arccos(np.clip(-net.b[0][live] / r_w[live], -1, 1))
    centre = np.arctan2(net.ws[0], net.wc[0])[live]
    kinks = np.mod(np.concatenate([centre + half, centre - half]), 2 * np.pi)
    density = np.histogram(kinks, bins=32, range=(0, 2 * np.pi), weights=np.tile(net.a[0][live] ** 2, 2))[0]
    return {"growth": growth, "residual": residual, "kinks": float(density.std() / density.mean())}
