r"""Multitask sparse parity data, the multilinear model and a two-layer ReLU network in NumPy.

Simulations for Nam, Fonseca, Lee, Mingard & Louis (NeurIPS 2024, arXiv:2404.17563):

* :class:`MultitaskSparseParity` -- the data of Eq. (1) (Michaud et al. 2023): ``n_s`` one-hot
  control bits choose skill :math:`i` with :math:`P_s(i)\propto i^{-(\alpha+1)}`; ``n_b`` uniform
  skill bits; skill :math:`k` reads ``m`` relevant bits (disjoint across skills, as in the
  authors' code), :math:`g_k(i,x) = (-1)^{\sum_j M_j(i,x)}\,\delta_{ik}` (Eq. 2), target
  :math:`f^* = S\sum_k g_k` (Eq. 4).
* :func:`multilinear_gd` -- gradient descent of the multilinear model
  :math:`f = \sum_{k\le N} a_k b_k g_k` (Eq. 9) on ``D`` sampled points, with the gradient
  computed from the data matrix (not from the decoupled equations). Its skill strengths follow
  Eq. (11) with :math:`d_k/D` read off the sample, up to the :math:`O(\eta)` error of the
  Euler discretisation of the gradient flow.
* :class:`TwoLayerReLU` and :func:`train_time_emergence` -- a one-hidden-layer ReLU network
  trained by SGD on fresh batches (``D = oo``) with the halved MSE of Eq. (5), measuring the
  skill strengths :math:`\mathcal R_k(T) = \mathbb E_X[g_k(k,X) f_T(k,X)]` (Eq. 7) on fixed
  evaluation sets drawn with :math:`I = k` (App. K.3, Eq. 318).
* :func:`fit_logistic` and :func:`emergence_steps` -- calibration of the extended time model
  (Eq. 14) on an ``n_s = 1`` run and the emergence times :math:`\mathcal R_k/S = \epsilon` of a curve.

All randomness comes from ``numpy.random.default_rng(seed)``.

>>> task = MultitaskSparseParity(n_s=3, n_b=12, m=3, alpha=0.6, S=2.0, seed=1)
>>> x, skill, g = task.sample(4, np.random.default_rng(0))
>>> x.shape, sorted(set(g.tolist())) <= [-1.0, 1.0]
((4, 15), True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from scalingtheory.numerics._shared import seed_tuple
from scalingtheory.numerics.sparse_parity import (blas_threads, check_init, check_positive, check_size,
                                                 skill_frequencies, skill_strength)

__all__ = ["MultitaskSparseParity", "multilinear_gd", "d_shot_min_norm", "TwoLayerReLU", "train_time_emergence",
           "fit_logistic", "emergence_steps", "EmergenceTask", "NetworkBudget", "EmergenceResult",
           "time_emergence_experiment"]


@dataclass
class MultitaskSparseParity:
    """Multitask sparse parity task (Eq. 1): ``n_s`` skills, ``n_b`` bits, ``m`` relevant bits per skill."""

    n_s: int
    n_b: int
    m: int
    alpha: float
    S: float = 1.0
    seed: int = 0
    positions: np.ndarray = field(init=False, repr=False)
    freqs: np.ndarray = field(init=False, repr=False)
    cdf: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.n_s, self.n_b, self.m = (check_size(n, v) for n, v in (("n_s", self.n_s), ("n_b", self.n_b),
                                                                      ("m", self.m)))
        if self.m * self.n_s > self.n_b:
            raise ValueError(f"n_b must be >= m * n_s = {self.m * self.n_s} (disjoint relevant bits), got {self.n_b}")
        self.alpha = check_positive("alpha", self.alpha)
        self.S = check_positive("S", self.S)
        rng = np.random.default_rng(self.seed)
        self.positions = rng.choice(self.n_b, size=self.m * self.n_s, replace=False).reshape(self.n_s, self.m)
        self.freqs = skill_frequencies(self.alpha, self.n_s)
        self.cdf = self.freqs.cumsum()
        self.cdf /= self.cdf[-1]

    @property
    def n_inputs(self) -> int:
        return self.n_s + self.n_b

    def sample(self, n: int, rng: np.random.Generator, skill: int | None = None, dtype=np.float64):
        """``n`` i.i.d. points: inputs ``(n, n_s + n_b)`` (control one-hot, then bits), skills (0-based),
        and :math:`g_i(i, x) = \\pm 1` (Eq. 2). ``skill`` (1-based) fixes :math:`I = k` (Eq. 318)."""
        n = check_size("n", n)
        if skill is None:  # the draws of rng.choice(n_s, n, p=freqs), without re-validating p on every batch
            skills = self.cdf.searchsorted(rng.random(n), side="right")
        else:
            skill = check_size("skill", skill)
            if skill > self.n_s:
                raise ValueError(f"skill must satisfy 1 <= skill <= n_s = {self.n_s}, got {skill}")
            skills = np.full(n, skill - 1)
        bits = rng.integers(0, 2, size=(n, self.n_b), dtype=np.int8)
        parity = bits[np.arange(n)[:, None], self.positions[skills]].sum(axis=1) % 2
        inputs = np.zeros((n, self.n_inputs), dtype=dtype)
        inputs[np.arange(n), skills] = 1
        inputs[:, self.n_s:] = bits
        return inputs, skills, (1.0 - 2.0 * parity).astype(dtype)


# ----------------------------------------------------------------------------- multilinear model
def multilinear_gd(task: MultitaskSparseParity, D: int, N: int, steps: int, eta: float = 0.05,
                   r: float = 0.01, record_every: int = 1, seed: int = 0) -> dict:
    r"""Gradient descent of Eq. (9) on ``D`` samples of ``task`` with the empirical loss of Eq. (28).

    The feature matrix :math:`G_{jk} = g_k(i^{(j)}, x^{(j)})` (``D x N``) and the targets
    :math:`y_j = f^*(i^{(j)}, x^{(j)})` are built from the sample; each step is
    :math:`a \leftarrow a - \eta\,b\odot G^\top(f - y)/D`, :math:`b \leftarrow b - \eta\,a\odot G^\top(f-y)/D`
    with :math:`a(0) = b(0) = \sqrt r`. ``T`` counts steps (gradient-flow time with ``eta`` explicit).

    Returns ``{"T": steps recorded, "R": (len(T), N) skill strengths a_k b_k, "counts": d_k (n_s,)}``.
    """
    D, N, steps, record_every = (check_size(n, v) for n, v in (("D", D), ("N", N), ("steps", steps),
                                                                  ("record_every", record_every)))
    if N > task.n_s:
        raise ValueError(f"N must satisfy N <= n_s = {task.n_s}, got {N}")
    eta = check_positive("eta", eta)
    r = check_init(r, task.S)
    rng = np.random.default_rng(seed)
    _, skills, g = task.sample(D, rng)
    G = np.zeros((D, N))
    mine = skills < N
    G[np.flatnonzero(mine), skills[mine]] = g[mine]
    y = task.S * g
    a = np.full(N, math.sqrt(r))
    b = a.copy()
    gram, proj = G.T @ G, G.T @ y  # G^T (G v - y) = gram v - proj: an N x N product per step, not D x N
    times, strengths = [0], [a * b]
    for step in range(1, steps + 1):
        grad = (gram @ (a * b) - proj) / D
        a, b = a - eta * grad * b, b - eta * grad * a
        if step % record_every == 0:
            times.append(step)
            strengths.append(a * b)
    return {"T": np.array(times, dtype=float), "R": np.array(strengths),
            "counts": np.bincount(skills, minlength=task.n_s)}


def d_shot_min_norm(D_c: int, d: int, S: float = 1.0, n_b: int = 24, m: int = 3, draws: int = 200,
                    seed: int = 0) -> dict:
    r"""The :math:`D_c`-shot learner of Eqs. (15)-(16) at ``T -> oo``: minimum-norm fit on ``d`` samples of one skill.

    Basis: :math:`D_c` distinct Walsh functions :math:`w_j` of ``n_b`` uniform bits (orthonormal), with
    :math:`w_1 = g_k` the parity of the ``m`` relevant bits and the others random distinct parities;
    :math:`e_l = \sum_j Q_{jl} w_j` with a random orthogonal :math:`Q` whose first row is :math:`1/\sqrt{D_c}`,
    so the :math:`e_l` are orthonormal and :math:`\sum_l e_l/\sqrt{D_c} = g_k` (Eq. 16). Gradient flow from small
    initialisation converges to the minimum-norm interpolant (Lemmas 2-3), :math:`c = \Phi^+ y`. Returns the
    means over ``draws`` of the correlation :math:`\mathcal R = \mathbb E_X[g_k f]` (Eq. 7) and of the skill loss
    :math:`\mathcal L_k`. Eq. (104): :math:`\mathbb E\mathcal L_k = \frac{S^2}{2}(1 - d/D_c)`; then
    :math:`\mathbb E\mathcal R = S d/D_c` by Eq. (8), whereas Eq. (17) is the loss-equivalent :math:`S - \sqrt{2\mathcal L_k}`.
    """
    D_c, d, draws, n_b, m = (check_size(n, v) for n, v in (("D_c", D_c), ("d", d), ("draws", draws),
                                                             ("n_b", n_b), ("m", m)))
    if m > n_b or D_c > 2**n_b - 1:
        raise ValueError(f"need m <= n_b and D_c < 2^n_b, got m = {m}, n_b = {n_b}, D_c = {D_c}")
    S = check_positive("S", S)
    rng = np.random.default_rng(seed)
    masks = [sum(1 << i for i in range(m))]  # the relevant bits: w_1 = g_k
    while len(masks) < D_c:  # further distinct non-empty parities
        cand = int(rng.integers(1, 2**n_b))
        if cand not in masks:
            masks.append(cand)
    masks = np.array(masks, dtype=np.int64)
    subsets = ((masks[:, None] >> np.arange(n_b)[None, :]) & 1).astype(np.int64)  # (D_c, n_b)
    target = np.full(D_c, S / math.sqrt(D_c))  # f* = S g_k = sum_l (S/sqrt(D_c)) e_l
    R, L = np.empty(draws), np.empty(draws)
    for i in range(draws):
        basis = np.linalg.qr(np.column_stack([np.ones(D_c), rng.standard_normal((D_c, D_c - 1))]))[0]
        Q = (basis * np.sign(basis[0, 0])).T  # orthogonal, first row 1/sqrt(D_c)
        x = rng.integers(0, 2, size=(d, n_b))
        phi = (1.0 - 2.0 * ((x @ subsets.T) % 2)) @ Q  # e_l(x_i)
        coef = np.linalg.pinv(phi) @ (phi @ target)
        R[i] = coef.sum() / math.sqrt(D_c)
        L[i] = 0.5 * np.sum((target - coef) ** 2)
    return {"R": R.mean(), "L": L.mean(), "R_sd": R.std(ddof=1), "L_sd": L.std(ddof=1)}


# ----------------------------------------------------------------------------- two-layer ReLU network
class TwoLayerReLU:
    r"""One-hidden-layer ReLU network :math:`f(x) = w_2^\top \mathrm{relu}(W_1^\top x + b_1) + b_2`.

    All weights and biases start i.i.d. :math:`\mathcal N(0, \sigma^2)` (as in the authors' ``FCN``).
    :meth:`sgd_step` does one SGD step on the halved MSE :math:`\frac{1}{2B}\sum_j (y_j - f(x_j))^2` (Eq. 5).
    """

    def __init__(self, n_in: int, width: int, sigma: float, rng: np.random.Generator, dtype=np.float32):
        n_in, width = check_size("n_in", n_in), check_size("width", width)
        sigma = check_positive("sigma", sigma)
        self.W1 = (sigma * rng.standard_normal((n_in, width))).astype(dtype)
        self.b1 = (sigma * rng.standard_normal(width)).astype(dtype)
        self.w2 = (sigma * rng.standard_normal(width)).astype(dtype)
        self.b2 = dtype(sigma * rng.standard_normal())

    def __call__(self, x: np.ndarray) -> np.ndarray:
        hidden = np.matmul(x, self.W1, out=self._buffer("hidden", (x.shape[0], self.W1.shape[1])))
        hidden += self.b1
        return np.maximum(hidden, 0, out=hidden) @ self.w2 + self.b2

    def _buffer(self, name: str, shape: tuple, dtype=None) -> np.ndarray:
        """A work array reused across steps: fresh (batch, width) temporaries of a few hundred kB cost
        page faults on every step (half the time of a step at width 200, batch 500)."""
        buffers = self.__dict__.setdefault("_buffers", {})
        key = (name, shape)
        if key not in buffers:
            buffers[key] = np.empty(shape, dtype or self.W1.dtype)
        return buffers[key]

    def sgd_step(self, x: np.ndarray, y: np.ndarray, lr: float) -> float:
        shape = (x.shape[0], self.W1.shape[1])
        pre = np.matmul(x, self.W1, out=self._buffer("pre", shape))
        pre += self.b1
        hidden = np.maximum(pre, 0, out=self._buffer("relu", shape))
        resid = hidden @ self.w2 + self.b2 - y
        scale = resid / y.size
        back = np.multiply(scale[:, None], self.w2, out=self._buffer("back", shape))
        back *= np.greater(pre, 0, out=self._buffer("mask", shape, bool))
        self.w2 -= lr * (hidden.T @ scale)
        self.b2 -= lr * scale.sum()
        grad = np.matmul(x.T, back, out=self._buffer("grad", self.W1.shape))
        grad *= lr
        self.W1 -= grad
        self.b1 -= lr * back.sum(axis=0)
        return 0.5 * float(resid @ resid) / y.size


def train_time_emergence(task: MultitaskSparseParity, width: int = 200, batch: int = 500, lr: float = 0.04,
                         steps: int = 20_000, sigma: float = 0.01, eval_every: int = 100, n_eval: int = 4000,
                         seed: int = 0, progress: bool | None = None) -> dict:
    r"""Train :class:`TwoLayerReLU` by SGD on fresh batches and record :math:`\mathcal R_k(T)` (Eqs. 7, 318).

    ``lr`` is for the halved MSE; the paper's ``lr = 0.02`` with PyTorch's un-halved ``MSELoss``
    corresponds to ``lr = 0.04`` here. Returns ``{"T": steps, "R": (len(T), n_s), "loss": batch losses}``.
    """
    for name, value in (("width", width), ("batch", batch), ("steps", steps), ("eval_every", eval_every),
                        ("n_eval", n_eval)):
        check_size(name, value)
    lr = check_positive("lr", lr)
    rng = np.random.default_rng(seed)
    net = TwoLayerReLU(task.n_inputs, width, sigma, rng)
    evals = [task.sample(n_eval, rng, skill=k, dtype=np.float32) for k in range(1, task.n_s + 1)]

    def strengths():
        return [float(np.mean(net(x) * g)) for x, _, g in evals]

    times, R, losses = [0], [strengths()], []
    with blas_threads(1):
        for step in tqdm(range(1, steps + 1), disable=progress is False or None, desc="SGD"):
            x, _, g = task.sample(batch, rng, dtype=np.float32)
            losses.append(net.sgd_step(x, task.S * g, lr))
            if step % eval_every == 0:
                times.append(step)
                R.append(strengths())
    return {"T": np.array(times, dtype=float), "R": np.array(R), "loss": np.array(losses)}


# ----------------------------------------------------------------------------- calibration helpers
def fit_logistic(T, R, S: float) -> tuple[float, float]:
    r"""Least-squares fit of :math:`\mathcal R/S = 1/(1 + (S/r - 1)e^{-\Gamma T})` (Eq. 11/14 shape).

    Returns ``(Gamma, r)``: the growth rate (``2 eta kappa_T P_s(k) S`` in Eq. 14) and the
    effective initial skill strength, fitted in ``log Gamma`` and ``log(S/r - 1)``. Only the onset,
    up to the first point with :math:`\mathcal R/S \ge 1/2`, is fitted: that is what emergence
    times depend on, and networks can pause on partial plateaus above it. The start values come
    from the crossings of 0.05 and 0.5.
    """
    from scipy.optimize import least_squares

    T, R = np.asarray(T, dtype=float), np.asarray(R, dtype=float)
    S = check_positive("S", S)
    t_eps, t_half = emergence_steps(T, R[:, None], S, 0.05)[0], emergence_steps(T, R[:, None], S, 0.5)[0]
    if not (np.isfinite(t_half) and t_half > t_eps):
        raise ValueError("R must rise from below 0.05 S to above S/2 to fit a logistic onset")
    onset = T <= T[np.searchsorted(T, t_half)]
    T, target = T[onset], R[onset] / S
    rate0 = math.log(19.0) / (t_half - t_eps)
    guess = np.array([math.log(rate0), rate0 * t_half])

    def residual(theta):
        rate, log_c = math.exp(theta[0]), theta[1]
        return 1.0 / (1.0 + np.exp(log_c - rate * T)) - target

    fit = least_squares(residual, guess)
    rate, log_c = math.exp(fit.x[0]), fit.x[1]
    return rate, S / (1.0 + math.exp(log_c))


def emergence_steps(T, R, S: float, epsilon: float = 0.05) -> np.ndarray:
    r"""First time each column of ``R`` reaches :math:`\mathcal R_k/S = \epsilon` (linear interpolation;
    NaN if never). ``R`` has shape ``(len(T), n_s)``."""
    T, R = np.asarray(T, dtype=float), np.atleast_2d(np.asarray(R, dtype=float) / check_positive("S", S))
    out = np.full(R.shape[1], np.nan)
    for j in range(R.shape[1]):
        above = np.flatnonzero(R[:, j] >= epsilon)
        if above.size == 0:
            continue
        i = above[0]
        if i == 0:
            out[j] = T[0]
            continue
        lo, hi = R[i - 1, j], R[i, j]
        out[j] = T[i - 1] + (epsilon - lo) / (hi - lo) * (T[i] - T[i - 1])
    return out


# ----------------------------------------------------------------------------- the time-emergence experiment
@dataclass(frozen=True)
class EmergenceTask:
    """The task of the time-emergence experiment (Fig. 1a): skill exponent ``alpha`` (Eq. 1), ``n_s``
    skills of strength ``S`` (Eq. 4) on ``n_b`` bits with ``m`` relevant bits each, and the emergence
    threshold :math:`\\mathcal R_k/S = \\epsilon`."""

    alpha: float = 0.6
    n_s: int = 5
    S: float = 5.0
    n_b: int = 32
    m: int = 3
    epsilon: float = 0.05


@dataclass(frozen=True)
class NetworkBudget:
    """The network and the size of its runs: ``width`` hidden units, SGD with ``batch`` fresh points
    and learning rate ``lr`` (halved MSE), initial scale ``sigma``, ``steps`` steps per seed on the
    ``n_s``-skill task and ``calib_steps`` on the one-skill calibration task, skill strengths measured
    on ``n_eval`` points per skill; ``seeds`` is a sequence of integer seeds, one run each
    (see :func:`~scalingtheory.numerics._shared.seed_tuple`)."""

    width: int = 200
    batch: int = 500
    lr: float = 0.04
    sigma: float = 0.01
    steps: int = 25_000
    calib_steps: int = 3_000
    n_eval: int = 2000
    seeds: tuple = (0, 1, 2)

    def __post_init__(self):
        object.__setattr__(self, "seeds", seed_tuple(self.seeds))

    def train(self, task: MultitaskSparseParity, steps: int, eval_every: int, seed: int, progress) -> dict:
        """:func:`train_time_emergence` of ``task`` with this network."""
        return train_time_emergence(task, self.width, self.batch, self.lr, steps, self.sigma, eval_every,
                                    self.n_eval, seed=seed, progress=progress)


#: seed of the one-skill calibration run (distinct from the seeds of the n_s-skill runs)
CALIBRATION_SEED = 10_000


@dataclass(frozen=True)
class EmergenceResult:
    """What :func:`time_emergence_experiment` measured.

    ``T`` evaluation steps; ``R_net``/``R_net_sd`` the seed mean and standard deviation of the network's
    skill strengths ``(len(T), n_s)``; ``R_model`` the calibrated Eq. (14); ``kappa_T`` and ``r_eff`` the
    calibration; ``tau_net``/``tau_model`` the emergence steps; ``slope_net``/``slope_model`` the
    least-squares slopes of :math:`\\log\\tau_k` on :math:`\\log k` (theory: :math:`\\alpha + 1`);
    ``T_calib``/``R_calib`` the calibration run.
    """

    task: EmergenceTask
    budget: NetworkBudget
    T: np.ndarray
    R_net: np.ndarray
    R_net_sd: np.ndarray
    R_model: np.ndarray
    kappa_T: float
    r_eff: float
    tau_net: np.ndarray
    tau_model: np.ndarray
    slope_net: float
    slope_model: float
    T_calib: np.ndarray
    R_calib: np.ndarray


def _calibrate(task: EmergenceTask, budget: NetworkBudget, progress) -> tuple:
    """Step 1: ``(kappa_T, r_eff, T_calib, R_calib)`` from the logistic fit (Eq. 14) of a one-skill run."""
    one = MultitaskSparseParity(1, task.n_b, task.m, task.alpha, task.S, seed=0)
    calib = budget.train(one, budget.calib_steps, max(1, budget.calib_steps // 150), CALIBRATION_SEED, progress)
    rate, r_eff = fit_logistic(calib["T"], calib["R"][:, 0], task.S)
    return rate / (2 * budget.lr * task.S), r_eff, calib["T"], calib["R"][:, 0]


def _log_slope(tau: np.ndarray) -> float:
    """Least-squares slope of ``log tau_k`` on ``log k`` over the finite ``tau_k`` (NaN below two)."""
    ks = np.log(np.arange(1, tau.size + 1))
    seen = np.isfinite(tau)
    return float(np.polyfit(ks[seen], np.log(tau[seen]), 1)[0]) if seen.sum() >= 2 else float("nan")


def time_emergence_experiment(task: EmergenceTask = EmergenceTask(), budget: NetworkBudget = NetworkBudget(),
                              progress: bool | None = None) -> EmergenceResult:
    r"""Fig. 1a of the paper at laptop size: calibrate Eq. (14) on ``n_s = 1``, predict ``n_s`` skills.

    1. Train the network on the one-skill task (``P_s(1) = 1``) and fit the logistic of Eq. (14):
       rate :math:`\Gamma_1 = 2\,\mathrm{lr}\,\kappa_T S` and effective :math:`\mathcal R(0)`
       (the paper: :math:`\kappa_T = 1/22`, :math:`\mathcal R(0) = \sigma^2/3.6` for its MLP).
    2. Without refitting, Eq. (14) predicts skill ``k`` of the ``n_s``-skill task with rate
       :math:`\Gamma_1 P_s(k)`; the network is trained on that task for each seed of ``budget.seeds``.
    3. Emergence steps :math:`\mathcal R_k/S = \epsilon` of the seed-averaged network curves are
       compared with the model's, and their log-log slope in ``k`` with :math:`\alpha + 1`.
    """
    kappa_T, r_eff, T_calib, R_calib = _calibrate(task, budget, progress)
    eval_every = max(1, budget.steps // 200)
    runs = [budget.train(MultitaskSparseParity(task.n_s, task.n_b, task.m, task.alpha, task.S, seed=seed),
                         budget.steps, eval_every, seed, progress)["R"] for seed in budget.seeds]
    T = np.arange(0, budget.steps + 1, eval_every, dtype=float)
    rates = budget.lr * kappa_T * skill_frequencies(task.alpha, task.n_s)
    R_net = np.mean(runs, axis=0)
    tau_net = emergence_steps(T, R_net, task.S, task.epsilon)
    tau_model = np.log((task.S / r_eff - 1) / (1 / task.epsilon - 1)) / (2 * task.S * rates)
    return EmergenceResult(task, budget, T, R_net, np.std(runs, axis=0),
                           skill_strength(T[:, None], rates[None, :], task.S, r_eff), kappa_T, r_eff,
                           tau_net, tau_model, _log_slope(tau_net), _log_slope(tau_model), T_calib, R_calib)
