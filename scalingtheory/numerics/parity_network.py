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
  skill strengths :math:`\mathcal R_k(t) = \mathbb E_X[g_k(k,X) f_T(k,X)]` (Eq. 7) on fixed
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
import time
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from scalingtheory.renames import renamed, warn_deprecated
from scalingtheory.numerics._shared import confidence_interval, seed_tuple
from scalingtheory.numerics.sparse_parity import (blas_threads, check_init, check_positive, check_size, d_shot_strength,
                                                 skill_frequencies, skill_strength, width_strength)

__all__ = ["MultitaskSparseParity", "multilinear_gd", "d_shot_min_norm", "TwoLayerReLU", "train_time_emergence",
           "ReLUEnsemble", "Adam", "ensemble_strengths", "train_width_emergence", "train_data_emergence",
           "fit_logistic", "fit_rate", "fit_d_c", "fit_n_c", "emergence_steps", "crossings", "log_slope",
           "EmergenceTask", "NetworkBudget", "DataBudget", "WidthBudget", "EmergenceResult",
           "time_emergence_experiment", "data_emergence_experiment", "width_emergence_experiment",
           "isolated_skill_times"]


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


class Record(dict):
    """A run's record (``{"t": steps, "R": strengths, ...}``); the key ``"T"`` is a deprecated alias of ``"t"``.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     Record(t=[0, 1])["T"]
    [0, 1]
    """

    def __missing__(self, key):
        if key != "T":
            raise KeyError(key)
        warn_deprecated('the key "T" of a run\'s record is deprecated; use "t"')
        return self["t"]


# ----------------------------------------------------------------------------- multilinear model
def multilinear_gd(task: MultitaskSparseParity, D: int, N: int, steps: int, eta: float = 0.05,
                   r: float = 0.01, record_every: int = 1, seed: int = 0) -> dict:
    r"""Gradient descent of Eq. (9) on ``D`` samples of ``task`` with the empirical loss of Eq. (28).

    The feature matrix :math:`G_{jk} = g_k(i^{(j)}, x^{(j)})` (``D x N``) and the targets
    :math:`y_j = f^*(i^{(j)}, x^{(j)})` are built from the sample; each step is
    :math:`a \leftarrow a - \eta\,b\odot G^\top(f - y)/D`, :math:`b \leftarrow b - \eta\,a\odot G^\top(f-y)/D`
    with :math:`a(0) = b(0) = \sqrt r`. ``t`` counts steps (gradient-flow time with ``eta`` explicit).

    Returns ``{"t": steps recorded, "R": (len(t), N) skill strengths a_k b_k, "counts": d_k (n_s,)}``.
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
    return Record(t=np.array(times, dtype=float), R=np.array(strengths),
                  counts=np.bincount(skills, minlength=task.n_s))


def d_shot_min_norm(D_c: int, d: int, S: float = 1.0, n_b: int = 24, m: int = 3, draws: int = 200,
                    seed: int = 0) -> dict:
    r"""The :math:`D_c`-shot learner of Eqs. (15)-(16) at ``t -> oo``: minimum-norm fit on ``d`` samples of one skill.

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
    r"""Train :class:`TwoLayerReLU` by SGD on fresh batches and record :math:`\mathcal R_k(t)` (Eqs. 7, 318).

    ``lr`` is for the halved MSE; the paper's ``lr = 0.02`` with PyTorch's un-halved ``MSELoss``
    corresponds to ``lr = 0.04`` here. Returns ``{"t": steps, "R": (len(t), n_s), "loss": batch losses}``.
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
    return Record(t=np.array(times, dtype=float), R=np.array(R), loss=np.array(losses))


# ----------------------------------------------------------------------------- ensembles of networks
class ReLUEnsemble:
    r"""``M`` independent one-hidden-layer ReLU networks on the same inputs, trained as one.

    Network ``m`` has ``widths[m]`` hidden units, :math:`f_m(x) = \sum_{j\in m} w_{2,j}\,\mathrm{relu}(W_{1,:j}^\top x
    + b_{1,j}) + b_{2,m}`; all weights and biases start i.i.d. :math:`\mathcal N(0, \sigma^2)` (the authors' ``FCN``).
    The hidden units of all networks form one layer and a 0/1 membership matrix sums each network's units, so one
    matrix product serves every network; the loss is a sum over networks, so their gradients stay independent.

    >>> x = np.random.default_rng(1).standard_normal((5, 4))
    >>> ReLUEnsemble(4, [1, 3], 0.5, np.random.default_rng(0))(x).shape
    (5, 2)
    >>> one = ReLUEnsemble(4, [3], 0.5, np.random.default_rng(0), dtype=np.float64)   # the same draws as
    >>> bool(np.allclose(one(x)[:, 0], TwoLayerReLU(4, 3, 0.5, np.random.default_rng(0), dtype=np.float64)(x)))
    True
    """

    def __init__(self, n_in: int, widths, sigma: float, rng: np.random.Generator, dtype=np.float32):
        n_in = check_size("n_in", n_in)
        widths = np.array([check_size("width", w) for w in np.atleast_1d(widths)], dtype=int)
        sigma = check_positive("sigma", sigma)
        units, self.M = int(widths.sum()), widths.size
        self.member = np.zeros((units, self.M), dtype)
        self.member[np.arange(units), np.repeat(np.arange(self.M), widths)] = 1
        self.params = {"W1": sigma * rng.standard_normal((n_in, units)), "b1": sigma * rng.standard_normal(units),
                       "w2": sigma * rng.standard_normal(units), "b2": sigma * rng.standard_normal(self.M)}
        self.params = {name: value.astype(dtype) for name, value in self.params.items()}

    def __call__(self, x: np.ndarray) -> np.ndarray:
        p = self.params
        return (np.maximum(x @ p["W1"] + p["b1"], 0) * p["w2"]) @ self.member + p["b2"]

    def gradients(self, x: np.ndarray, y: np.ndarray, weight) -> tuple[dict, np.ndarray]:
        r"""Gradients of :math:`\sum_m \tfrac12\sum_j \omega_{jm}(f_m(x_j) - y_j)^2` and the ``M`` losses;
        ``weight`` :math:`\omega` is ``1/B`` (every network's mean over the batch) or a ``(B, M)`` array."""
        p = self.params
        pre = x @ p["W1"] + p["b1"]
        hidden = np.maximum(pre, 0)
        err = (hidden * p["w2"]) @ self.member + p["b2"] - y[:, None]
        resid = err * weight
        back = resid @ self.member.T
        grad_w2 = np.einsum("bh,bh->h", hidden, back)
        back *= p["w2"]
        back *= pre > 0
        grads = {"W1": x.T @ back, "b1": back.sum(axis=0), "w2": grad_w2, "b2": resid.sum(axis=0)}
        return grads, 0.5 * (err * resid).sum(axis=0)


class Adam:
    """Adam (Kingma & Ba 2015) as ``torch.optim.Adam``: L2 weight decay ``weight_decay * theta`` is added to the
    gradient before the moment estimates (not AdamW's decoupled decay); updates ``params`` in place."""

    def __init__(self, params: dict, lr: float, weight_decay: float = 0.0, betas=(0.9, 0.999), eps: float = 1e-8):
        self.lr, self.weight_decay, self.betas, self.eps = check_positive("lr", lr), float(weight_decay), betas, eps
        self.moments = {name: (np.zeros_like(v), np.zeros_like(v)) for name, v in params.items()}
        self.t = 0

    def step(self, params: dict, grads: dict) -> None:
        self.t += 1
        b1, b2 = self.betas
        step, root = self.lr / (1 - b1**self.t), math.sqrt(1 - b2**self.t)
        for name, value in params.items():
            g = grads[name] + self.weight_decay * value if self.weight_decay else grads[name]
            m, v = self.moments[name]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            value -= (step * m / (np.sqrt(v) / root + self.eps)).astype(value.dtype)


def ensemble_strengths(net: ReLUEnsemble, evals) -> np.ndarray:
    r""":math:`\mathcal R_k = \mathbb E_X[g_k f_m]` (Eq. 7) of every network ``m`` on the evaluation sets
    ``evals`` (one ``(x, skills, g)`` per skill, drawn with :math:`I = k`, Eq. 318): shape ``(M, n_s)``."""
    return np.array([np.mean(net(x) * g[:, None], axis=0) for x, _, g in evals]).T


def train_width_emergence(task: MultitaskSparseParity, widths, steps: int = 20_000, batch: int = 500,
                          lr: float = 0.01, weight_decay: float = 5e-4, sigma: float = 0.01, n_eval: int = 2000,
                          seed: int = 0, progress: bool | None = None) -> dict:
    r"""Width emergence (Fig. 1c): a network of each width in ``widths`` trained on fresh batches (``D = oo``)
    by Adam on the halved MSE (the authors' width runs use Adam: lr 0.01, weight decay 5e-4) for ``steps`` steps
    (``t -> oo``); all share the batches, each has its own initialisation. Returns
    ``{"N": widths, "R": (len(widths), n_s) final skill strengths, "loss": (len(widths),) last batch losses}``."""
    widths = [check_size("width", w) for w in widths]
    steps, batch, n_eval = (check_size(n, v) for n, v in (("steps", steps), ("batch", batch), ("n_eval", n_eval)))
    rng = np.random.default_rng(seed)
    net = ReLUEnsemble(task.n_inputs, widths, sigma, rng)
    opt = Adam(net.params, lr, weight_decay)
    evals = [task.sample(n_eval, rng, skill=k, dtype=np.float32) for k in range(1, task.n_s + 1)]
    with blas_threads(1):
        for _ in tqdm(range(steps), disable=progress is False or None, desc="Adam (width)"):
            x, _, g = task.sample(batch, rng, dtype=np.float32)
            grads, loss = net.gradients(x, task.S * g, 1.0 / batch)
            opt.step(net.params, grads)
        return {"N": np.array(widths), "R": ensemble_strengths(net, evals), "loss": loss}


def train_data_emergence(task: MultitaskSparseParity, sizes, steps: int = 3000, width: int = 64, lr: float = 0.01,
                         sigma: float = 0.01, n_eval: int = 2000, seed: int = 0, progress: bool | None = None,
                         batch: int = 256) -> dict:
    r"""Data emergence (Fig. 1b): one network per dataset size ``D`` in ``sizes``, trained by Adam on the halved
    empirical MSE (Eq. 28) of a fixed dataset for ``steps`` steps (``t -> oo``), each step on ``batch`` points
    drawn from the ``D`` with replacement (all ``D`` when ``D <= batch``).

    The datasets are nested (network ``m`` sees the first ``D_m`` points of one draw of ``max(sizes)``), so the
    counts :math:`d_k` grow with ``D`` as along one data stream. Returns ``{"D": sizes, "R": (len(sizes), n_s)``
    skill strengths on fresh points, ``"counts": (len(sizes), n_s)`` the :math:`d_k` of each dataset,
    ``"train_loss": (len(sizes),)}``."""
    sizes = sorted({check_size("D", d) for d in sizes})
    steps, width, n_eval, batch = (check_size(n, v) for n, v in (("steps", steps), ("width", width),
                                                                 ("n_eval", n_eval), ("batch", batch)))
    rng = np.random.default_rng(seed)
    x, skills, g = task.sample(sizes[-1], rng, dtype=np.float32)
    evals = [task.sample(n_eval, rng, skill=k, dtype=np.float32) for k in range(1, task.n_s + 1)]
    R, losses = [], []
    with blas_threads(1):
        for D in tqdm(sizes, disable=progress is False or None, desc="Adam (data)"):
            net = ReLUEnsemble(task.n_inputs, [width], sigma, rng)
            opt = Adam(net.params, lr)
            for _ in range(steps):
                rows = rng.integers(0, D, batch) if batch < D else slice(0, D)
                grads, _ = net.gradients(x[rows], task.S * g[rows], 1.0 / min(batch, D))
                opt.step(net.params, grads)
            R.append(ensemble_strengths(net, evals)[0])
            losses.append(float(net.gradients(x[:D], task.S * g[:D], 1.0 / D)[1][0]))
    counts = np.array([np.bincount(skills[:D], minlength=task.n_s) for D in sizes])
    return {"D": np.array(sizes), "R": np.array(R), "counts": counts, "train_loss": np.array(losses)}


# ----------------------------------------------------------------------------- calibration helpers
@renamed(T="t")
def fit_logistic(t, R, S: float) -> tuple[float, float]:
    r"""Least-squares fit of :math:`\mathcal R/S = 1/(1 + (S/r - 1)e^{-\Gamma t})` (Eq. 11/14 shape).

    Returns ``(Gamma, r)``: the growth rate (``2 eta kappa_T P_s(k) S`` in Eq. 14) and the
    effective initial skill strength, fitted in ``log Gamma`` and ``log(S/r - 1)``. Only the onset,
    up to the first point with :math:`\mathcal R/S \ge 1/2`, is fitted: that is what emergence
    times depend on, and networks can pause on partial plateaus above it. The start values come
    from the crossings of 0.05 and 0.5.
    """
    from scipy.optimize import least_squares

    t, R = np.asarray(t, dtype=float), np.asarray(R, dtype=float)
    S = check_positive("S", S)
    t_eps, t_half = emergence_steps(t, R[:, None], S, 0.05)[0], emergence_steps(t, R[:, None], S, 0.5)[0]
    if not (np.isfinite(t_half) and t_half > t_eps):
        raise ValueError("R must rise from below 0.05 S to above S/2 to fit a logistic onset")
    onset = t <= t[np.searchsorted(t, t_half)]
    t, target = t[onset], R[onset] / S
    rate0 = math.log(19.0) / (t_half - t_eps)
    guess = np.array([math.log(rate0), rate0 * t_half])

    def residual(theta):
        rate, log_c = math.exp(theta[0]), theta[1]
        return 1.0 / (1.0 + np.exp(log_c - rate * t)) - target

    fit = least_squares(residual, guess)
    rate, log_c = math.exp(fit.x[0]), fit.x[1]
    return rate, S / (1.0 + math.exp(log_c))


@renamed(T="t")
def emergence_steps(t, R, S: float, epsilon: float = 0.05) -> np.ndarray:
    r"""First time each column of ``R`` reaches :math:`\mathcal R_k/S = \epsilon` (linear interpolation;
    NaN if never). ``R`` has shape ``(len(t), n_s)``."""
    t, R = np.asarray(t, dtype=float), np.atleast_2d(np.asarray(R, dtype=float) / check_positive("S", S))
    out = np.full(R.shape[1], np.nan)
    for j in range(R.shape[1]):
        above = np.flatnonzero(R[:, j] >= epsilon)
        if above.size == 0:
            continue
        i = above[0]
        if i == 0:
            out[j] = t[0]
            continue
        lo, hi = R[i - 1, j], R[i, j]
        out[j] = t[i - 1] + (epsilon - lo) / (hi - lo) * (t[i] - t[i - 1])
    return out


@renamed(T="t")
def fit_rate(t, R, S: float, r: float) -> float:
    r"""The one constant of the time calibration: least-squares rate :math:`\Gamma` of
    :math:`\mathcal R/S = 1/(1 + (S/r - 1)e^{-\Gamma t})` (Eq. 14) with the initial strength ``r`` held fixed.

    Fitted on the onset, up to the first point with :math:`\mathcal R/S \ge 1/2` (as :func:`fit_logistic`),
    in :math:`\ln\Gamma` over a bracket of :math:`10^{\pm 3}` around the rate whose curve crosses 1/2 where the
    data do.

    >>> t = np.linspace(0, 2000, 201)
    >>> R = skill_strength(t, 0.004, 5.0, 0.02)   # Gamma = 2 * 0.004 * 5
    >>> round(fit_rate(t, R, 5.0, 0.02), 6)
    0.04
    """
    from scipy.optimize import minimize_scalar
    from scipy.special import expit

    t, R = np.asarray(t, dtype=float), np.asarray(R, dtype=float)
    S, r = check_positive("S", S), check_init(r, check_positive("S", S))
    t_half = emergence_steps(t, R[:, None], S, 0.5)[0]
    if not (np.isfinite(t_half) and t_half > 0):
        raise ValueError("R must rise to above S/2 after t = 0 to fit the rate of its onset")
    onset = t <= t[np.searchsorted(t, t_half)]
    t, target = t[onset], R[onset] / S
    log_c = math.log(S / r - 1.0)
    centre = math.log(log_c / t_half)

    def cost(log_rate):
        return float(np.sum((expit(math.exp(log_rate) * t - log_c) - target) ** 2))

    fit = minimize_scalar(cost, bounds=(centre - 7, centre + 7), method="bounded", options={"xatol": 1e-10})
    return math.exp(fit.x)


def fit_d_c(D, R, S: float) -> float:
    r"""The one constant of the data calibration: least-squares :math:`D_c` of Eq. (17),
    :math:`\mathcal R/S = 1 - \sqrt{1 - D/D_c}`, on a one-skill run (``d_1 = D``), in :math:`\ln D_c`.

    >>> D = np.array([100, 200, 300, 400, 600, 800])
    >>> round(fit_d_c(D, d_shot_strength(D, 500, 5.0), 5.0), 3)
    500.0
    """
    from scipy.optimize import minimize_scalar

    D, target = np.asarray(D, dtype=float), np.asarray(R, dtype=float) / check_positive("S", S)

    def cost(log_dc):
        return float(np.sum((d_shot_strength(D, math.exp(log_dc)) - target) ** 2))

    lo, hi = math.log(D.min()) - 3, math.log(D.max()) + 3
    grid = np.linspace(lo, hi, 121)  # the cost has flat pieces (clip): start from the best grid point
    best = grid[int(np.argmin([cost(x) for x in grid]))]
    fit = minimize_scalar(cost, bounds=(best - 0.05, best + 0.05), method="bounded", options={"xatol": 1e-10})
    return math.exp(fit.x if fit.fun <= cost(best) else best)


def fit_n_c(N, R, S: float) -> int:
    r"""The one constant of the width calibration: the integer :math:`N_c` (basis functions per skill) whose
    Eq. (21) for one skill, :math:`\mathcal R/S = \min(N/N_c, 1)`, is closest in least squares to a one-skill
    run; ties go to the smaller :math:`N_c`.

    >>> fit_n_c([1, 2, 3, 4, 5, 6], [0.25, 0.5, 0.75, 1, 1, 1], 1.0)
    4
    """
    N = np.asarray(N)
    target = np.asarray(R, dtype=float) / check_positive("S", S)
    costs = [float(np.sum((width_strength(N, 1, n_c) - target) ** 2)) for n_c in range(1, int(N.max()) + 1)]
    return int(np.argmin(costs)) + 1


def crossings(grid, R, S: float, threshold: float, log: bool = False) -> np.ndarray:
    r"""Where each column of ``R`` first reaches :math:`\mathcal R_k/S = ` ``threshold`` along ``grid``
    (:func:`emergence_steps`; interpolated in :math:`\ln` grid when ``log``); NaN if never."""
    grid = np.asarray(grid, dtype=float)
    out = emergence_steps(np.log(grid) if log else grid, R, S, threshold)
    return np.exp(out) if log else out


def log_slope(points) -> float:
    """Least-squares slope of ``log x_k`` on ``log k`` over the finite ``x_k`` (NaN below three: two points always
    lie on a line, so a slope from them has no check of the power law).

    >>> round(log_slope(np.arange(1, 6) ** 1.6), 12)
    1.6
    """
    points = np.asarray(points, dtype=float)
    ks = np.log(np.arange(1, points.size + 1))
    seen = np.isfinite(points) & (points > 0)
    return float(np.polyfit(ks[seen], np.log(points[seen]), 1)[0]) if seen.sum() >= 3 else float("nan")


# ----------------------------------------------------------------------------- the emergence experiments
@dataclass(frozen=True)
class EmergenceTask:
    """The task of the emergence experiments (Fig. 1): skill exponent ``alpha`` (Eq. 1), ``n_s``
    skills of strength ``S`` (Eq. 4) on ``n_b`` bits with ``m`` relevant bits each, and the emergence
    threshold :math:`\\mathcal R_k/S = \\epsilon` in time (Eq. 40; the paper's 0.05)."""

    alpha: float = 0.6
    n_s: int = 5
    S: float = 5.0
    n_b: int = 32
    m: int = 3
    epsilon: float = 0.05

    def build(self, n_s: int | None = None, seed: int = 0) -> MultitaskSparseParity:
        """The data of this task with ``n_s`` skills (default: the task's), relevant bits drawn by ``seed``."""
        return MultitaskSparseParity(n_s or self.n_s, self.n_b, self.m, self.alpha, self.S, seed=seed)


#: where data and width emergence are read: R_k/S = 1/2 (Eqs. 17, 21 rise from 0 to S)
HALF = 0.5
#: seed of the one-skill calibration runs (distinct from the seeds of the n_s-skill runs)
CALIBRATION_SEED = 10_000
#: the initial skill strength of the time model, R_k(0) = sigma^2 / 3.6, as the authors' code plots Eq. (14)
#: for an MLP of initial scale sigma (``plot_emergence_all.theo_time``): taken, not fitted here
R0_PER_SIGMA2 = 1 / 3.6


class _Seeded:
    """``seeds`` of a budget: a sequence of distinct integer seeds, one run each (:func:`seed_tuple`)."""

    def __post_init__(self):
        object.__setattr__(self, "seeds", seed_tuple(self.seeds))


@dataclass(frozen=True)
class NetworkBudget(_Seeded):
    """Time emergence: ``width`` hidden units, SGD with ``batch`` fresh points and learning rate ``lr``
    (halved MSE), initial scale ``sigma``, ``steps`` steps per seed on the ``n_s``-skill task and
    ``calib_steps`` on the one-skill calibration task, skill strengths measured on ``n_eval`` points per
    skill; ``seeds`` is a sequence of integer seeds, one run each (:func:`~scalingtheory.numerics._shared.seed_tuple`)."""

    width: int = 200
    batch: int = 500
    lr: float = 0.04
    sigma: float = 0.01
    steps: int = 25_000
    calib_steps: int = 3_000
    n_eval: int = 2000
    seeds: tuple = (0, 1, 2)

    def train(self, task: MultitaskSparseParity, steps: int, eval_every: int, seed: int, progress) -> dict:
        """:func:`train_time_emergence` of ``task`` with this network."""
        return train_time_emergence(task, self.width, self.batch, self.lr, steps, self.sigma, eval_every,
                                    self.n_eval, seed=seed, progress=progress)


@dataclass(frozen=True)
class DataBudget(_Seeded):
    """Data emergence: one network of ``width`` units per dataset size in ``sizes`` (``calib_sizes`` for the
    one-skill calibration), ``steps`` (``calib_steps``) Adam steps at ``lr`` on ``batch`` points of its dataset, initial scale
    ``sigma``, ``n_eval`` fresh points per skill, one dataset draw per seed of ``seeds``."""

    sizes: tuple = (250, 500, 1000, 2000, 4000, 8000, 16_000)
    calib_sizes: tuple = (100, 150, 200, 250, 300, 400, 600)
    width: int = 64
    batch: int = 256
    steps: int = 12_000
    calib_steps: int = 1500
    lr: float = 0.01
    sigma: float = 0.01
    n_eval: int = 1000
    seeds: tuple = (0, 1)

    def train(self, task: MultitaskSparseParity, sizes, steps: int, seed: int, progress) -> dict:
        return train_data_emergence(task, sizes, steps, self.width, self.lr, self.sigma, self.n_eval, seed,
                                    progress, self.batch)


@dataclass(frozen=True)
class WidthBudget(_Seeded):
    """Width emergence: one network per width in ``widths`` (``calib_widths``, each ``calib_repeats`` times,
    for the one-skill calibration), Adam at ``lr`` with ``weight_decay`` on ``batch`` fresh points for
    ``steps`` steps (``calib_steps``), initial scale ``sigma``, ``n_eval`` points per skill, one run per seed."""

    widths: tuple = tuple(range(2, 25, 2))
    calib_widths: tuple = tuple(range(1, 9))
    calib_repeats: int = 3
    batch: int = 256
    steps: int = 20_000
    calib_steps: int = 2000
    lr: float = 0.02
    weight_decay: float = 5e-4
    sigma: float = 0.01
    n_eval: int = 1000
    seeds: tuple = (0, 1)

    def train(self, task: MultitaskSparseParity, widths, steps: int, seed: int, progress) -> dict:
        return train_width_emergence(task, widths, steps, self.batch, self.lr, self.weight_decay, self.sigma,
                                     self.n_eval, seed, progress)


@dataclass(frozen=True)
class EmergenceResult:
    r"""What one emergence experiment measured, along ``resource`` ``"t"`` (SGD steps), ``"D"`` (dataset
    size) or ``"N"`` (hidden units).

    ``grid`` the resource values; ``R_net``/``R_net_sd`` the seed mean and standard deviation of the
    network's skill strengths ``(len(grid), n_s)``; ``R_model`` the calibrated model (Eq. 14, 17 or 21);
    ``constant``/``value`` its one fitted constant (``kappa_T``, ``D_c`` or ``N_c``), fitted on the one-skill
    run ``calib_grid``/``calib_R``; ``threshold`` the :math:`\mathcal R_k/S` at which a skill has emerged;
    ``points_net`` ``(seeds, n_s)`` each seed's emergence points and ``points_model`` the model's;
    ``slope_net`` (seed mean, ``slope_ci`` its 95 % t-interval) and ``slope_model`` the log-log slopes of the
    points in ``k`` (the model's: :math:`\alpha + 1` in t and D, Eq. 40 and 17); ``seconds`` CPU seconds.
    """

    resource: str
    task: EmergenceTask
    budget: object
    grid: np.ndarray
    R_net: np.ndarray
    R_net_sd: np.ndarray
    R_model: np.ndarray
    constant: str
    value: float
    threshold: float
    points_net: np.ndarray
    points_model: np.ndarray
    slope_net: float
    slope_ci: tuple
    slope_model: float
    calib_grid: np.ndarray
    calib_R: np.ndarray
    seconds: float

    def point(self, k: int) -> tuple:
        """``(mean, (low, high))`` of skill ``k``'s (1-based) emergence point over the seeds, 95 % t-interval.

        A seed where the skill had not emerged by the end of the grid counts at the grid's end, so the mean is then
        a lower bound (:meth:`reached` says how many seeds reached it); NaN bounds with one seed; NaN if the
        calibrated model itself puts the point beyond the grid and no seed reached it (the run cannot tell).
        """
        points = self.points_net[:, k - 1]
        if not np.isfinite(points).any() and not self.points_model[k - 1] <= self.grid[-1]:
            return math.nan, (math.nan, math.nan)
        mean, (low, high) = confidence_interval(np.where(np.isfinite(points), points, self.grid[-1])[:, None])
        return float(mean[0]), (float(low[0]), float(high[0]))

    def reached(self, k: int) -> int:
        """How many seeds saw skill ``k`` emerge within the grid."""
        return int(np.isfinite(self.points_net[:, k - 1]).sum())


def _summarise(resource, task, budget, grid, runs, R_model, constant, value, threshold, points_model, calib, started):
    """The :class:`EmergenceResult` of per-seed curves ``runs`` ``(seeds, len(grid), n_s)``."""
    log = resource != "t"
    points = np.array([crossings(grid, run, task.S, threshold, log) for run in runs])
    slopes = np.array([log_slope(p) for p in points])
    slopes = slopes[np.isfinite(slopes)]
    slope, ci = (float(np.mean(slopes)) if slopes.size else math.nan), (math.nan, math.nan)
    if slopes.size >= 2:
        _, (low, high) = confidence_interval(slopes[:, None])
        ci = (float(low[0]), float(high[0]))
    return EmergenceResult(resource, task, budget, np.asarray(grid, dtype=float), np.mean(runs, axis=0),
                           np.std(runs, axis=0), R_model, constant, float(value), threshold, points,
                           np.asarray(points_model, dtype=float), slope, ci, log_slope(points_model),
                           np.asarray(calib[0], dtype=float), np.asarray(calib[1], dtype=float),
                           time.process_time() - started)


def time_emergence_experiment(task: EmergenceTask = EmergenceTask(), budget: NetworkBudget = NetworkBudget(),
                              progress: bool | None = None) -> EmergenceResult:
    r"""Fig. 1a: calibrate Eq. (14) on ``n_s = 1`` (one constant), predict ``n_s`` skills in time.

    1. Train the network on the one-skill task (``P_s(1) = 1``) and fit the one constant :math:`\kappa_T`
       (the paper's ":math:`B^2`", 1/22 for its MLP) through the rate :math:`\Gamma_1 = 2\,\mathrm{lr}\,\kappa_T S`
       (:func:`fit_rate`), with :math:`\mathcal R(0) = \sigma^2/3.6` held fixed (:data:`R0_PER_SIGMA2`); NaN (and NaN
       predictions) if the run never reaches :math:`S/2`.
    2. Without refitting, Eq. (14) predicts skill ``k`` of the ``n_s``-skill task with rate :math:`\Gamma_1 P_s(k)`:
       emergence (:math:`\mathcal R_k/S = \epsilon`) at :math:`\tau_k = \ln\frac{S/r-1}{1/\epsilon-1}/(\Gamma_1 P_s(k))`.
    3. Each seed's emergence steps and their log-log slope in ``k`` (theory :math:`\alpha + 1`) are measured.
    """
    started = time.process_time()
    r = budget.sigma**2 * R0_PER_SIGMA2
    calib = budget.train(task.build(1), budget.calib_steps, max(1, budget.calib_steps // 150), CALIBRATION_SEED,
                         progress)
    try:
        kappa_T = fit_rate(calib["t"], calib["R"][:, 0], task.S, r) / (2 * budget.lr * task.S)
    except ValueError:  # the one-skill run never reached S/2: no calibration, the model's predictions are NaN
        kappa_T = math.nan
    eval_every = max(1, budget.steps // 200)
    runs = [budget.train(task.build(seed=seed), budget.steps, eval_every, seed, progress)["R"]
            for seed in budget.seeds]
    t = np.arange(0, budget.steps + 1, eval_every, dtype=float)
    rates = budget.lr * kappa_T * skill_frequencies(task.alpha, task.n_s)
    tau_model = math.log((task.S / r - 1) / (1 / task.epsilon - 1)) / (2 * task.S * rates)
    return _summarise("t", task, budget, t, runs, skill_strength(t[:, None], rates[None, :], task.S, r), "kappa_T",
                      kappa_T, task.epsilon, tau_model, (calib["t"], calib["R"][:, 0]), started)


def isolated_skill_times(task: EmergenceTask = EmergenceTask(), budget: NetworkBudget = NetworkBudget(),
                         progress: bool | None = None) -> np.ndarray:
    r"""Control for the time experiment: each skill ``k`` trained *alone*, with the share of the batch and of the
    learning rate it has inside the ``n_s``-skill network, and its emergence step.

    In the ``n_s``-skill network a step of batch ``B`` holds :math:`b_k \approx P_s(k)B` points of skill ``k``, whose
    part of the gradient is ``lr`` :math:`\cdot b_k/B` times their mean. Here the one-skill task is trained with
    batch :math:`b_k` = ``round(P_s(k) B)`` and learning rate ``lr`` :math:`b_k/B` for ``budget.steps`` steps (a step
    here is a step of the ``n_s``-skill run); the other skills are absent. The model (decoupled skills, Eq. 29)
    predicts :math:`\tau_k P_s(k)` independent of ``k``. Returns ``(len(seeds), n_s)`` emergence steps
    (:math:`\mathcal R/S = \epsilon`); seed ``s`` of skill ``k`` trains with ``seed = 1000 k + s``.
    """
    P = skill_frequencies(task.alpha, task.n_s)
    one = task.build(1)
    out = np.full((len(budget.seeds), task.n_s), np.nan)
    for j, share in enumerate(P):
        b = max(1, int(round(share * budget.batch)))
        for i, seed in enumerate(budget.seeds):
            run = train_time_emergence(one, budget.width, b, budget.lr * b / budget.batch, budget.steps,
                                       budget.sigma, max(1, budget.steps // 200), budget.n_eval,
                                       seed=1000 * (j + 1) + seed, progress=progress)
            out[i, j] = emergence_steps(run["t"], run["R"], task.S, task.epsilon)[0]
    return out


def data_emergence_experiment(task: EmergenceTask = EmergenceTask(n_b=16), budget: DataBudget = DataBudget(),
                              progress: bool | None = None) -> EmergenceResult:
    r"""Fig. 1b: calibrate Eq. (17) on ``n_s = 1`` (one constant :math:`D_c`), predict ``n_s`` skills in data.

    1. Networks trained to convergence on ``D`` points of the one-skill task give :math:`\mathcal R_1(D)`;
       :func:`fit_d_c` fits :math:`D_c` (the paper: 800 for its width-1000 MLP on 32 bits).
    2. Without refitting, Eq. (17) with :math:`d_k = D P_s(k)` (the paper's plot) predicts every skill; skill ``k``
       reaches :math:`\mathcal R_k/S = 1/2` at :math:`D_k = \tfrac34 D_c/P_s(k) \propto k^{\alpha+1}`.
    3. Each seed (one dataset draw, nested sizes) gives its :math:`D_k` (interpolated in :math:`\ln D`).
    """
    started = time.process_time()
    calib = budget.train(task.build(1), budget.calib_sizes, budget.calib_steps, CALIBRATION_SEED, progress)
    D_c = fit_d_c(calib["D"], calib["R"][:, 0], task.S)
    runs = [budget.train(task.build(seed=seed), budget.sizes, budget.steps, seed, progress)["R"]
            for seed in budget.seeds]
    grid = np.array(sorted(set(budget.sizes)), dtype=float)
    P = skill_frequencies(task.alpha, task.n_s)
    R_model = d_shot_strength(grid[:, None] * P[None, :], D_c, task.S)
    return _summarise("D", task, budget, grid, runs, R_model, "D_c", D_c, HALF, 0.75 * D_c / P,
                      (calib["D"], calib["R"][:, 0]), started)


def width_emergence_experiment(task: EmergenceTask = EmergenceTask(), budget: WidthBudget = WidthBudget(),
                               progress: bool | None = None) -> EmergenceResult:
    r"""Fig. 1c: calibrate Eq. (21) on ``n_s = 1`` (one constant :math:`N_c`), predict ``n_s`` skills in width.

    1. Networks of every width in ``calib_widths`` (``calib_repeats`` each, one run) trained at ``D, t -> oo`` on
       the one-skill task; :func:`fit_n_c` fits :math:`N_c` to their mean :math:`\mathcal R_1(N)` (the paper: 4).
    2. Without refitting, Eq. (21) predicts every skill: skill ``k`` reaches :math:`\mathcal R_k/S = 1/2` at
       :math:`N_k = (k - \tfrac12) N_c`, whatever :math:`P_s(k)` (frequency only sets the order).
    3. Each seed (one network per width) gives its :math:`N_k` (interpolated in :math:`\ln N`).
    """
    started = time.process_time()
    widths = [w for w in budget.calib_widths for _ in range(budget.calib_repeats)]
    calib = budget.train(task.build(1), widths, budget.calib_steps, CALIBRATION_SEED, progress)
    grid = np.array(sorted(set(budget.calib_widths)))
    R_calib = np.array([calib["R"][calib["N"] == w, 0].mean() for w in grid])
    N_c = fit_n_c(grid, R_calib, task.S)
    runs = [budget.train(task.build(seed=seed), budget.widths, budget.steps, seed, progress)["R"]
            for seed in budget.seeds]
    N = np.array(budget.widths, dtype=float)
    ks = np.arange(1, task.n_s + 1)
    R_model = width_strength(N[:, None].astype(int), ks[None, :], N_c, task.S)
    return _summarise("N", task, budget, N, runs, R_model, "N_c", N_c, HALF, (ks - HALF) * N_c, (grid, R_calib),
                      started)
