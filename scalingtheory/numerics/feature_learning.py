r"""Finite-width simulations of the projected two-layer linear network (feature learning).

Network and training rule: see :mod:`scalingtheory.numerics.mean_field` (Bordelon,
Atanasov & Pehlevan 2025, Sec. 2, Fig. 10c): features :math:`\psi(x)\sim\mathcal N(0,\Lambda)`
with :math:`M` modes, frozen projection :math:`A_0\in\mathbb R^{N\times M}`, trainable
:math:`N\times N` middle layer :math:`B` (``B(0) = I``) and readout :math:`w` (``w(0)=0``),

.. math::

    f(x) = \tfrac1N w^\top B h(x), \quad h = A_0\psi, \qquad
    w \mathrel{+}= \eta\, B\hat g, \quad B \mathrel{+}= \tfrac{\eta\gamma}{N}\, w\,\hat g^\top,
    \qquad \hat g = \widehat{\mathbb E}[h\,(y - f)] ,

where :math:`\widehat{\mathbb E}` is the population average (gradient descent on the
population loss), the average over a fixed set of ``P`` samples (full-batch GD), or over a
fresh batch of ``B`` samples each step (online SGD). ``gamma = 0`` freezes ``B``: the lazy
random-feature model.

Reduction to ``N`` dimensions. Because :math:`(h, y)` is jointly Gaussian with
:math:`\operatorname{Cov}h = N K_0`, :math:`K_0 = A_0\Lambda A_0^\top/N`,
:math:`\operatorname{Cov}(h,y) = b = A_0\Lambda w^*` and :math:`\operatorname{Var} y = L_0 =
w^{*\top}\Lambda w^*`, every quantity depends on :math:`A_0` only through the eigenpairs
:math:`(\mu_j, U)` of :math:`K_0`. In that eigenbasis (:func:`project`):
:math:`\tilde h_j = \sqrt{N\mu_j}\,\xi_j`, :math:`y = \sum_j \tilde b_j\tilde h_j/(N\mu_j)
+ \sqrt{L_{\rm floor}}\,\xi_0`, and the test loss of :math:`z = B^\top w` is
:math:`L = L_{\rm floor} + \sum_j \mu_j (\tilde w_j - z_j/\sqrt N)^2` with
:math:`\tilde w_j = \tilde b_j/(\mu_j\sqrt N)` and the projection residual
:math:`L_{\rm floor}(N) = L_0 - \sum_j \mu_j\tilde w_j^2` (the best loss any predictor in
the row space of :math:`A_0` reaches). So a step costs :math:`O(N^2)` whatever ``M``.

For gradient flow the finite-``N`` dynamics are *exactly* the mean-field equation (MF)
of :mod:`~scalingtheory.numerics.mean_field` on the problem
:math:`(\mu, \tilde w, L_{\rm floor})` (derivation in ``derivations/feature_learning.py``),
which :func:`gradient_flow` integrates to horizons of :math:`10^6` steps in milliseconds.
:func:`simulate` runs the network itself (discrete steps, any of the three data modes),
averaged over seeds with confidence intervals.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from scalingtheory.numerics.dmft import talbot_nodes
from scalingtheory.numerics.mean_field import Problem, gradient_flow_losses
from scalingtheory.limits import SEEDS
from scalingtheory.renames import renamed
from scalingtheory.numerics._shared import confidence_interval, seed_tuple
from scalingtheory.spectra import PowerLawSpectrum


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value}")
    return int(value)


@functools.lru_cache(maxsize=128, typed=True)
def project(alpha, beta, modes: int, width: int, seed: int = 0) -> Problem:
    r"""The width-``N`` problem :math:`(\mu, \tilde w, L_{\rm floor})` for one draw of :math:`A_0`.

    ``modes`` (``M``) is the number of feature modes, ``width`` (``N``) the hidden width;
    ``N <= M`` is required (for ``N >= M`` the projection is injective and the
    :math:`N = \infty` problem applies with :math:`P_0\ne I`, which this module does not model).
    The truncation tail :math:`\sum_{k>M}\lambda_k w_k^{*2}` is added to the floor.
    Cost :math:`O(N^2 M)`; cached (lazy and rich runs, figures and checks share their draws),
    so the returned arrays are read-only.
    """
    M = _positive_int(modes, "modes")
    N = _positive_int(width, "width")
    if N > M:
        raise ValueError(f"width must satisfy width <= modes ({M}), got {N}")
    spec = PowerLawSpectrum(alpha, beta)
    lam, wstar = spec.eigenvalues(M), spec.target_weights(M)
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((N, M)) * np.sqrt(lam)  # A0 Lambda^{1/2}
    mu, U = np.linalg.eigh(G @ G.T / N)
    btil = U.T @ (G @ (np.sqrt(lam) * wstar))
    keep = mu > mu.max() * 1e-13
    mu, btil = mu[keep], btil[keep]
    target = btil / (mu * np.sqrt(N))
    total = float(np.sum(lam * wstar**2)) + float(spec.tail_sum(M))
    floor = max(total - float(np.sum(mu * target**2)), 0.0)
    order = np.argsort(mu)[::-1]
    out = Problem(mu[order], target[order], floor)
    out.eigenvalues.flags.writeable = out.target.flags.writeable = False
    return out


def width_floor(alpha, beta, modes: int, width: int, seeds=SEEDS) -> np.ndarray:
    """Projection residual ``L_floor(N)`` (the ``t -> oo`` loss, lazy and rich) for each seed of the
    sequence ``seeds``."""
    return np.array([project(alpha, beta, modes, width, s).floor for s in seed_tuple(seeds)])


def gradient_flow(alpha, beta, modes: int, width: int, gamma: float, times, eta: float = 1.0,
                  seeds=SEEDS, rel_step: float = 0.02) -> np.ndarray:
    """Exact finite-``N`` gradient-flow test loss, shape ``(len(seeds), len(times))`` (``seeds``: a
    sequence of integer seeds)."""
    return gradient_flow_losses([project(alpha, beta, modes, width, s) for s in seed_tuple(seeds)], gamma, times, eta,
                                rel_step)


@dataclass
class Simulation:
    """Seed-averaged learning curve with a confidence interval.

    Attributes
    ----------
    times : ndarray
        Step counts at which the test loss was recorded.
    losses : ndarray
        ``(n_seeds, n_times)`` test losses (population loss of the network).
    level : float
        Confidence level of ``ci`` (Student t interval of the mean over seeds).
    """

    times: np.ndarray
    losses: np.ndarray
    level: float = 0.95

    @property
    def mean(self) -> np.ndarray:
        return self.losses.mean(axis=0)

    @property
    def ci(self) -> tuple[np.ndarray, np.ndarray]:
        """``(low, high)`` of the mean at confidence ``level`` (NaN for a single seed)."""
        return confidence_interval(self.losses, self.level)[1]


MODES = ("population", "data", "online")


def _run_one(problem: Problem, width: int, gamma: float, eta: float, record: np.ndarray, mode: str,
             samples: int, batch: int, rng: np.random.Generator) -> np.ndarray:
    """One network run in the eigenbasis of ``K0``; returns the test loss at ``record`` steps."""
    mu, wt, floor = problem.eigenvalues, problem.target, problem.floor
    n = mu.size
    scale = np.sqrt(width * mu)
    coef = wt / np.sqrt(width)          # E[y | h] = coef . h
    noise = np.sqrt(floor)
    btil = mu * wt * np.sqrt(width)     # Cov(h, y)
    if mode == "data":
        H = rng.standard_normal((samples, n)) * scale
        Y = H @ coef + noise * rng.standard_normal(samples)
    w = np.zeros(n)
    Bm = np.eye(n)
    out = np.empty(record.size)
    j = 0
    for step in range(int(record[-1]) + 1):
        z = Bm.T @ w
        while j < record.size and record[j] == step:
            out[j] = floor + np.sum(mu * (wt - z / np.sqrt(width)) ** 2)
            j += 1
        if step == record[-1]:
            break
        if mode == "population":
            g = btil - mu * z
        else:
            if mode == "online":
                H = rng.standard_normal((batch, n)) * scale
                Y = H @ coef + noise * rng.standard_normal(batch)
            g = H.T @ (Y - H @ z / width) / H.shape[0]
        w_old = w
        w = w + eta * (Bm @ g)
        if gamma:
            Bm += (eta * gamma / width) * np.outer(w_old, g)
    return out


def simulate(alpha, beta, modes: int, width: int, gamma: float, steps: int, eta: float = 0.5,
             mode: str = "population", samples: int | None = None, batch: int | None = None,
             seeds=SEEDS, n_records: int = 30, level: float = 0.95, progress: bool | None = None) -> Simulation:
    r"""Train the network by discrete steps and record the test loss, averaged over ``seeds``.

    Parameters
    ----------
    alpha, beta : capacity (> 1) and source (> 0) exponents.
    modes, width : ``M`` feature modes and hidden width ``N <= M``.
    gamma : feature-learning strength ``>= 0`` (0 = lazy).
    steps : number of steps (the time ``t``).
    eta : learning rate; stability needs :math:`\eta\,\mu_{\max}(1+\gamma q) < 2`.
    mode : ``"population"`` (GD on the population loss), ``"data"`` (full-batch GD on
        ``samples`` fixed samples), ``"online"`` (SGD with a fresh batch of ``batch`` samples).
    seeds : a sequence of integer seeds; each draws its own :math:`A_0` (and data).
    n_records : number of log-spaced recording steps.
    progress : show a tqdm bar over seeds (default: when stderr is a TTY).
    """
    steps = _positive_int(steps, "steps")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if not (np.isfinite(gamma) and gamma >= 0):
        raise ValueError(f"gamma must satisfy gamma >= 0, got {gamma}")
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta must satisfy eta > 0, got {eta}")
    samples = _positive_int(0 if samples is None else samples, "samples") if mode == "data" else None
    batch = _positive_int(0 if batch is None else batch, "batch") if mode == "online" else None
    width = _positive_int(width, "width")
    record = np.unique(np.concatenate([[0], np.geomspace(1, steps, n_records).round().astype(int)]))
    seeds = seed_tuple(seeds)
    show = sys.stderr.isatty() if progress is None else progress
    losses = []
    for s in tqdm(seeds, desc="seeds", disable=not show):
        problem = project(alpha, beta, modes, width, s)
        rng = np.random.default_rng([s, 1])
        with np.errstate(over="ignore", invalid="ignore"):
            losses.append(_run_one(problem, width, gamma, eta, record, mode, samples, batch, rng))
    losses = np.array(losses)
    if not np.all(np.isfinite(losses)):
        raise FloatingPointError("the simulation diverged; lower eta (stability: eta mu_max (1 + gamma q) < 2)")
    return Simulation(record, losses, level)


@dataclass
class Frontier:
    """Numerical compute-optimal frontier ``L*(C) = min_N L(N, C/N)``.

    ``loss_exponent`` and ``width_exponent`` are least-squares slopes of ``-log L*`` and
    ``log N*`` against ``log C`` (to compare with ``r_C`` and ``a_N`` of the closed forms);
    ``loss_ci`` / ``width_ci`` their ``(low, high)`` intervals where the frontier was bootstrapped
    over seeds (:func:`compute_optimal_frontier` with ``bootstrap``).
    """

    computes: np.ndarray
    loss: np.ndarray
    width: np.ndarray
    loss_ci: tuple | None = None
    width_ci: tuple | None = None

    @property
    def loss_exponent(self) -> float:
        return float(-np.polyfit(np.log(self.computes), np.log(self.loss), 1)[0])

    @property
    def width_exponent(self) -> float:
        return float(np.polyfit(np.log(self.computes), np.log(self.width), 1)[0])

    def local_exponents(self) -> tuple[np.ndarray, np.ndarray]:
        """``(C_mid, r_C)``: the loss exponent between successive computes (its drift with ``C``)."""
        lc, ll = np.log(self.computes), np.log(self.loss)
        return np.exp(0.5 * (lc[1:] + lc[:-1])), -np.diff(ll) / np.diff(lc)


@renamed(n_boot="bootstrap")
def compute_optimal_frontier(alpha, beta, gamma: float, modes: int, widths, computes, seeds=SEEDS,
                             eta: float = 1.0, batch: int | None = None,
                             progress: bool | None = None, bootstrap: int = 0, level: float = 0.95) -> Frontier:
    r"""Minimise the exactly solved loss over ``N`` at fixed ``C = N t``.

    For each width the seed-averaged curve :math:`L_N(t)` comes from :func:`gradient_flow`
    (``batch=None``) or, for lazy online SGD with batch ``batch`` (``gamma = 0`` only), from the
    exact recursion :func:`lazy_sgd_loss` (``t`` = steps); the ``M``-mode problem is used (the
    truncation tail is removed, so keep ``N << M``). At each ``C`` the minimum over the width grid
    is refined by a parabola in :math:`\log N`. For lazy SGD at widths beyond ~10^3 use
    :func:`sgd_frontier_theory` (deterministic equivalent of the seed average, all modes).

    Seed ``s`` draws the same first rows of :math:`A_0` at every width, so the curves of one seed are
    correlated across widths and a few seeds bias the frontier's slope (2 seeds: ``r_C`` 0.281 for
    lazy and 0.347 for rich at :math:`\alpha=2,\beta=1/2`, :math:`C\le10^5`; 16 seeds: 0.336 and 0.404,
    theory 1/3 and 2/5). ``bootstrap > 0`` resamples the seeds ``bootstrap`` times and returns the
    percentile intervals ``loss_ci`` and ``width_ci`` at ``level``.
    """
    widths = np.array(sorted({_positive_int(n, "width") for n in widths}))
    seeds, computes = seed_tuple(seeds), np.asarray(computes, dtype=float)
    if widths.size < 3:
        raise ValueError("widths must contain at least 3 distinct widths")
    if np.any(computes / widths.max() <= 0) or not np.all(np.isfinite(computes)):
        raise ValueError("computes must be finite and > 0")
    if batch is not None and gamma != 0:
        raise ValueError(f"online SGD (batch) is solved exactly for gamma = 0 only, got gamma = {gamma}")
    tail = float(PowerLawSpectrum(alpha, beta).tail_sum(_positive_int(modes, "modes")))
    tgrid = np.geomspace(max(computes.min() / widths.max() / 2, 1.0), computes.max() / widths.min() * 2, 256)
    show = sys.stderr.isatty() if progress is None else progress

    def curves(n: int) -> np.ndarray:
        if batch is None:
            return gradient_flow(alpha, beta, modes, n, gamma, tgrid, eta, seeds) - tail
        steps = np.unique(tgrid.round().astype(int))
        runs = []
        for s in seeds:
            pb = project(alpha, beta, modes, n, s)
            runs.append(lazy_sgd_loss(Problem(pb.eigenvalues, pb.target, pb.floor - tail), eta, batch,
                                      int(steps[-1]), steps)[1])
        return np.exp([np.interp(np.log(tgrid), np.log(steps), np.log(r)) for r in runs])

    with np.errstate(over="ignore", invalid="ignore"):
        per_seed = np.array([curves(n) for n in tqdm(widths, desc="widths", disable=not show)])  # (W, S, T)
        logL = np.log(per_seed.mean(axis=1))
    if not np.all(np.isfinite(logL)):
        raise FloatingPointError("a loss curve diverged or reached zero; lower eta (online SGD is stable for "
                                 "eta mu_max < 2/(1 + 1/batch) and eta tr(K)/(2 batch) < 1) or use fewer modes")
    out = _minimise_over_widths(widths, tgrid, logL, computes)
    if bootstrap:
        rng = np.random.default_rng(0)
        boots = [_minimise_over_widths(widths, tgrid, np.log(per_seed[:, rng.integers(0, len(seeds), len(seeds))]
                                                             .mean(axis=1)), computes) for _ in range(int(bootstrap))]
        q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
        out.loss_ci = tuple(float(v) for v in np.percentile([b.loss_exponent for b in boots], q))
        out.width_ci = tuple(float(v) for v in np.percentile([b.width_exponent for b in boots], q))
    return out


def _minimise_over_widths(widths: np.ndarray, tgrid: np.ndarray, logL: np.ndarray, computes: np.ndarray) -> Frontier:
    """``min_N L_N(C/N)`` from log-loss curves ``logL[width, time]``, refined by a parabola in ``log N``."""
    lw = np.log(widths)
    best_L, best_N = [], []
    for c in computes:
        vals = np.array([np.interp(np.log(c / n), np.log(tgrid), row) for n, row in zip(widths, logL)])
        i = int(np.clip(np.argmin(vals), 1, widths.size - 2))
        c2, c1, c0 = np.polyfit(lw[i - 1:i + 2], vals[i - 1:i + 2], 2)
        x = np.clip(-c1 / (2 * c2), lw[i - 1], lw[i + 1]) if c2 > 0 else lw[np.argmin(vals)]
        best_N.append(np.exp(x))
        best_L.append(np.exp(np.polyval([c2, c1, c0], x)))
    return Frontier(computes, np.array(best_L), np.array(best_N))


def lazy_sgd_loss(problem: Problem, eta: float, batch: int, steps: int, record=None) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact expected test loss of lazy (``gamma = 0``) online SGD with Gaussian features.

    For a fresh batch of ``B`` Gaussian samples per step, the error :math:`\Delta` (in the basis of
    ``problem``) has second moment :math:`\Sigma`, and Isserlis' theorem
    :math:`\mathbb E[\psi\psi^\top\Sigma\psi\psi^\top] = 2\Lambda\Sigma\Lambda + \Lambda\,\mathrm{tr}(\Lambda\Sigma)`
    closes the diagonal :math:`d_k=\Sigma_{kk}`:

    .. math::

        d_k \leftarrow d_k\big[(1-\eta\lambda_k)^2 + \tfrac{\eta^2}{B}\lambda_k^2\big]
        + \tfrac{\eta^2}{B}\lambda_k L, \qquad L = L_{\rm floor} + \sum_k\lambda_k d_k ,

    (the floor acts as label noise). The excess over full-gradient descent is the SGD-noise term,
    a convolution of :math:`K(\tau)=\sum_k\lambda_k^2(1-\eta\lambda_k)^{2\tau}\sim\tau^{-(2-1/\alpha)}`
    with the loss. Returns ``(record, loss)``; ``O(M)`` per step.
    """
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta must satisfy eta > 0, got {eta}")
    batch, steps = _positive_int(batch, "batch"), _positive_int(steps, "steps")
    lam, floor = problem.eigenvalues, problem.floor
    record = (np.unique(np.geomspace(1, steps, 40).round().astype(int)) if record is None
              else np.asarray(record, dtype=int))
    d = problem.target**2
    decay = (1 - eta * lam) ** 2 + eta**2 / batch * lam**2
    out, j = np.empty(record.size), 0
    for step in range(int(record.max()) + 1):
        loss = floor + lam @ d
        while j < record.size and record[j] == step:
            out[j] = loss
            j += 1
        d = d * decay + (eta**2 / batch) * lam * loss
    return record, out


def _mode_quadrature(alpha: float, beta: float, kmax: float, exact: int = 200, panel: float = 0.25, order: int = 8):
    r"""Nodes :math:`k`, weights, :math:`\lambda_k`, :math:`\lambda_k w_k^{*2}` for sums over all modes.

    Modes :math:`k\le` ``exact`` are summed exactly; :math:`\sum_{k>\text{exact}} f(k)` is
    :math:`\int_{\text{exact}+1/2}^{k_{\rm end}} f(k)\,dk` (midpoint rule, error :math:`O(f''/24)`) by
    Gauss-Legendre panels of width ``panel`` in :math:`\log k`, exact for the smooth, complex-pole-free
    (at distance :math:`\gtrsim 0.3` in :math:`\log k`) summands of :func:`sgd_flow_loss`. Returns
    ``(lam, power, weights, k_end)``.
    """
    x, gw = np.polynomial.legendre.leggauss(order)
    edges = np.arange(np.log(exact + 0.5), np.log(kmax) + panel, panel)
    u = ((edges[1:] + edges[:-1])[:, None] / 2 + panel / 2 * x[None, :]).ravel()
    k = np.concatenate([np.arange(1.0, exact + 1.0), np.exp(u)])
    weights = np.concatenate([np.ones(exact), panel / 2 * np.tile(gw, edges.size - 1) * np.exp(u)])
    return k ** -alpha, k ** (-alpha * beta - 1), weights, float(np.exp(edges[-1]))


def _sgd_flow_args(alpha, beta, width, eta, batch, steps) -> tuple:
    """``(alpha, beta, eta/batch, tau = eta * steps)`` checked (ValueError naming the bad argument)."""
    a, b = float(alpha), float(beta)
    if not (np.isfinite(a) and a > 1):
        raise ValueError(f"alpha must satisfy alpha > 1, got {alpha}")
    if not (np.isfinite(b) and b > 0):
        raise ValueError(f"beta must satisfy beta > 0, got {beta}")
    if not (np.isfinite(width) and width > 0):
        raise ValueError(f"width must be a positive number, got {width}")
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta must satisfy eta > 0, got {eta}")
    noise = 0.0 if batch is None else eta / _positive_int(batch, "batch")
    tau = eta * np.atleast_1d(np.asarray(steps, dtype=float))
    if tau.ndim != 1 or not np.all(np.isfinite(tau)) or np.any(tau <= 0):
        raise ValueError("steps must be a 1-d array of finite values > 0")
    return a, b, noise, tau


def _kappa(sums, width, s: np.ndarray) -> np.ndarray:
    r""":math:`\kappa(s)` solving :math:`\kappa(1-\mathrm{df}(\kappa)/N) = s/2` by Newton's method, started
    from :math:`s/2+\kappa_0` with :math:`\mathrm{df}(\kappa_0) = N` (bisection in :math:`\log\kappa`)."""
    lo, hi = 0.0, 1.0
    while sums(np.array([hi]))[0][0] > width:
        hi *= 2.0
    for _ in range(200):
        mid = np.sqrt(lo * hi) if lo > 0 else hi * 1e-6
        lo, hi = (mid, hi) if sums(np.array([mid]))[0][0] > width else (lo, mid)
        if lo > 0 and hi / lo - 1 < 1e-14:
            break
    kap = s / 2 + hi
    for _ in range(200):
        df, ddf, _ = sums(kap)
        step = (kap * (1 - df / width) - s / 2) / (1 - df / width - kap * ddf / width)
        kap = kap - step
        if np.all(np.abs(step) <= 1e-13 * np.abs(kap)):
            return kap
    raise RuntimeError("kappa self-consistency did not converge")


def sgd_flow_loss(alpha, beta, width, eta: float, batch, steps, nodes: int = 32) -> np.ndarray:
    r"""Deterministic equivalent of the :math:`A_0`-averaged loss of lazy online SGD at width ``N``.

    Continuous-time limit of :func:`lazy_sgd_loss` (time :math:`\tau=\eta t`, the
    :math:`O(\eta^2\mu^2)` correction of the per-step decay dropped):
    :math:`\dot d_j=-2\mu_j d_j+\tfrac{\eta}{B}\mu_j L`, i.e. the Volterra equation
    :math:`L=\sigma^2+F+\tfrac{\eta}{B}K*L` with :math:`\sigma^2+F(\tau)=\theta^\top e^{-2\hat\Lambda\tau}\theta`
    and :math:`K(\tau)=\mathrm{tr}\,\hat\Lambda^2e^{-2\hat\Lambda\tau}`, where
    :math:`\hat\Lambda=\Lambda^{1/2}A_0^\top A_0\Lambda^{1/2}/N` (nonzero spectrum = that of
    :math:`K_0`) and :math:`\theta=\Lambda^{1/2}w^*`. The one-point equivalent
    :math:`w(\hat\Lambda+w)^{-1}\simeq\kappa(\Lambda+\kappa)^{-1}`, :math:`w=\kappa(1-\mathrm{df}(\kappa)/N)`
    (:mod:`scalingtheory.numerics.dmft`) gives :math:`\theta^\top(\hat\Lambda+w)^{-1}\theta=r(\kappa)/w`
    and :math:`\mathrm{tr}\,\hat\Lambda^2(\hat\Lambda+w)^{-1}=\mathrm{tr}\Lambda-w\,\mathrm{df}(\kappa)`, so
    with :math:`w=s/2`

    .. math::

        \hat L(s)=\frac{r(\kappa)/s}{1-\frac{\eta}{2B}\big(\mathrm{tr}\Lambda-\tfrac s2\,\mathrm{df}(\kappa)\big)},

    inverted on the parabolic contour of :func:`~scalingtheory.numerics.dmft.talbot_nodes` (one contour
    per time). All modes :math:`k=1..\infty` enter through :func:`_mode_quadrature` (tails beyond
    :math:`k_{\rm end}=10^4N` to first order in :math:`\lambda_k/\kappa`), so the cost is independent of
    ``N`` and of the horizon: widths :math:`10^7` and :math:`10^9` steps take milliseconds.
    ``batch=None`` is gradient flow (no noise). ``steps`` are SGD steps ``t``; returns the loss there.
    Valid for :math:`\eta\,\mathrm{tr}\Lambda/(2B)<1` (else the SGD recursion diverges).
    """
    a, b, noise, tau = _sgd_flow_args(alpha, beta, width, eta, batch, steps)
    lam, power, wts, k_end = _mode_quadrature(a, b, 1e4 * float(width))
    s1, r1 = k_end ** (1 - a) / (a - 1), k_end ** (-a * b) / (a * b)   # tails: sum lam, sum lam w*^2
    trace = float(wts @ lam) + s1
    if noise * trace / 2 >= 1:
        raise ValueError(f"eta/batch must satisfy eta tr(Lambda)/(2 batch) < 1 (tr = {trace:.4g}), got {noise}")

    def sums(kap):
        """``(df, df', r)`` at the array ``kap``: the degrees of freedom, their derivative, the residual."""
        g = 1.0 / (lam[None, :] + kap[:, None])
        return (g @ (wts * lam) + s1 / kap, -((g * g) @ (wts * lam)) - s1 / kap**2,
                kap * (g @ (wts * power)) + r1)

    phi, cw = talbot_nodes(nodes)
    s = (phi[None, :] / tau[:, None]).ravel()
    kap = _kappa(sums, width, s)
    df, _, r = sums(kap)
    Lhat = (r / s / (1 - noise / 2 * (trace - s / 2 * df))).reshape(tau.size, nodes)
    return (cw * np.exp(phi) * Lhat).sum(axis=1).real / tau


def sgd_frontier_theory(alpha, beta, widths, computes, eta: float = 0.25, batch=1, per_decade: int = 9) -> Frontier:
    r"""Compute-optimal frontier of lazy online SGD from :func:`sgd_flow_loss` (``N`` up to ~1e9).

    Same minimisation as :func:`compute_optimal_frontier` (``C = N t``, ``t`` in steps) on the
    deterministic-equivalent loss, with ``per_decade`` log-spaced times per decade.
    """
    widths = np.array(sorted({float(n) for n in widths}))
    computes = np.asarray(computes, dtype=float)
    if widths.size < 3 or widths[0] <= 0:
        raise ValueError("widths must contain at least 3 distinct positive widths")
    if not np.all(np.isfinite(computes)) or np.any(computes <= 0):
        raise ValueError("computes must be finite and > 0")
    lo, hi = max(computes.min() / widths.max() / 2, 1.0), computes.max() / widths.min() * 2
    tgrid = np.geomspace(lo, hi, max(int(np.ceil(np.log10(hi / lo) * per_decade)) + 1, 2))
    logL = np.array([np.log(sgd_flow_loss(alpha, beta, n, eta, batch, tgrid)) for n in widths])
    return _minimise_over_widths(widths, tgrid, logL, computes)


def local_slopes(times, losses) -> tuple[np.ndarray, np.ndarray]:
    r"""Local decay rates :math:`-d\log L/d\log t` at the geometric midpoints of ``times``."""
    times, losses = np.asarray(times, float), np.asarray(losses, float)
    lt, ll = np.log(times), np.log(losses)
    return np.exp(0.5 * (lt[1:] + lt[:-1])), -np.diff(ll) / np.diff(lt)


__all__ = ["project", "width_floor", "gradient_flow", "Simulation", "MODES", "simulate", "Frontier",
           "compute_optimal_frontier", "lazy_sgd_loss", "sgd_flow_loss", "sgd_frontier_theory", "local_slopes"]
