r"""Exact finite-size losses of the multitask sparse parity model (Nam et al. 2024).

Nam, Fonseca, Lee, Mingard & Louis, *An exactly solvable model for emergence and
scaling laws in the multitask sparse parity problem*, NeurIPS 2024 (arXiv:2404.17563).

Skill ``k = 1..n_s`` is asked with frequency (Eq. 1)

.. math:: P_s(k) = A\,k^{-(\alpha+1)},\qquad A^{-1} = \sum_{j=1}^{n_s} j^{-(\alpha+1)},

and under gradient flow the skill strength of the multilinear model is the
logistic curve of Eq. (11),

.. math:: \frac{\mathcal R_k(t)}{S} = \frac{1}{1 + (S/r - 1)\,e^{-2\eta (d_k/D) S t}},

so that the skill loss is :math:`\mathcal L_k = \tfrac{S^2}{2}\,\sigma(\ln(S/r-1) - 2\eta (d_k/D) S t)^2`
with the logistic function :math:`\sigma` (Eq. 27). Everything in this module sums
these terms *exactly* over ``k`` (no integral approximation):

* :func:`time_width_loss` -- Eq. (12)/(328) with ``d_k/D -> P_s(k)`` (infinite data),
  finite ``t``, ``N`` and ``n_s``; one call costs a few NumPy passes per time point;
* :func:`sample_loss` -- Eq. (12) for the fractions ``d_k/D`` of one drawn sample;
* :func:`expected_loss` -- Eq. (12) averaged over ``d_k ~ Binomial(D, P_s(k))``;
* :func:`data_loss` -- the one-shot learner, Eqs. (59)/(322) and (274) (``t -> oo``);
* :func:`width_loss` -- Eq. (325) (``t, D -> oo``), and its mpmath twin :func:`width_loss_mp`
  through the Hurwitz zeta function (any precision, ``n_s = oo`` allowed);
* :func:`theorem4_loss` -- the ``n_s = oo`` loss :math:`\mathcal L_\infty(t, N)` of Eq. (236);
* :func:`compute_frontier` -- :math:`\min_N \mathcal L(C/N, N)` of Eq. (328) for compute ``C = N t``;
* :func:`emergence_times` -- Eq. (40) and the margin of Eq. (41) for every skill at once
  (an :class:`EmergenceTable`).

Conventions: ``r`` is the initial skill strength :math:`\mathcal R_k(0)` (the same for
every skill, as in Theorem 4 and the paper's Fig. 2), ``eta`` the learning rate, ``S``
the target scale; ``t`` is continuous gradient-flow time (the paper's :math:`T`; GD steps with ``eta`` explicit).
The keyword ``T`` of the functions of ``t`` is a deprecated alias of ``t``.

>>> import numpy as np
>>> P = skill_frequencies(0.6, 5)
>>> np.round(P, 4)
array([0.5927, 0.1955, 0.1022, 0.0645, 0.0451])
>>> bool(np.isclose(width_loss(2, 0.6, 5, S=1.0), 0.5 * P[2:].sum(), rtol=1e-15))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from ..params import renamed
from ._shared import blas_threads, check_times

__all__ = [
    "skill_frequencies", "skill_strength", "skill_loss", "d_shot_strength", "width_strength", "time_width_loss", "sample_loss",
    "expected_loss", "data_loss", "width_loss", "width_loss_mp", "theorem4_loss",
    "compute_frontier", "emergence_times", "EmergenceTable", "check_positive", "check_size", "check_init", "blas_threads", "benchmark_exact_loss",
]


# --------------------------------------------------------------------------- validation
def check_positive(name: str, value) -> float:
    """``value`` as a float if it is a finite number > 0, else ``ValueError`` naming ``name``."""
    try:
        val = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number > 0, got {value!r}") from None
    if not math.isfinite(val) or val <= 0:
        raise ValueError(f"{name} must satisfy {name} > 0, got {value!r}")
    return val


def check_size(name: str, value, allow_inf: bool = False) -> int | float:
    """``value`` as an int if it is an integer >= 1 (``math.inf`` if allowed), else ``ValueError``."""
    if allow_inf and isinstance(value, (float, mpmath.mpf)) and math.isinf(value) and value > 0:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not math.isfinite(value) or value != int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer (>= 1), got {value!r}")
    return int(value)


def check_init(r, S, allow_zero: bool = False) -> float:
    """The initial skill strength ``r = R_k(0)``: must satisfy ``0 < r < S`` (Lemma 1)."""
    try:
        val = float(r)
    except (TypeError, ValueError):
        raise ValueError(f"r must be a number with 0 < r < S, got {r!r}") from None
    low_ok = val >= 0 if allow_zero else val > 0
    if not (math.isfinite(val) and low_ok and val < S):
        bound = "0 <= r < S" if allow_zero else "0 < r < S"
        raise ValueError(f"r (the initial skill strength R_k(0)) must satisfy {bound} = {S:g}, got {r!r}")
    return val


def _times(t) -> np.ndarray:
    return check_times(t, "t")


def _shape_like(values: np.ndarray, like) -> np.ndarray | float:
    return float(values[0]) if np.ndim(like) == 0 else values




# --------------------------------------------------------------------------- Eq. (1), (11), (27)
def skill_frequencies(alpha, n_s) -> np.ndarray:
    r"""Zipfian skill frequencies :math:`P_s(k) = k^{-(\alpha+1)}/\sum_{j\le n_s} j^{-(\alpha+1)}` (Eq. 1).

    Summed from the smallest term up, so the normalisation is accurate to a few ulps.

    >>> round(float(skill_frequencies(1.0, 2)[0]), 12)
    0.8
    """
    alpha = check_positive("alpha", alpha)
    n_s = check_size("n_s", n_s)
    weights = np.arange(1, n_s + 1, dtype=float) ** (-(alpha + 1.0))
    return weights / weights[::-1].sum()


@renamed(T="t")
def skill_strength(t, rate, S: float = 1.0, r: float = 0.01) -> np.ndarray:
    r"""Skill strength of Eq. (11): :math:`\mathcal R_k(t) = S\,\sigma(2\,\mathrm{rate}\,S\,t - \ln(S/r-1))`.

    ``rate`` is :math:`\eta\,d_k/D` (or :math:`\eta P_s(k)` for infinite data); ``t`` and ``rate``
    broadcast. Written with the logistic function, so no overflow for any ``t``.

    >>> float(skill_strength(0.0, 0.3, S=2.0, r=0.5))
    0.5
    """
    from scipy.special import expit

    S = check_positive("S", S)
    r = check_init(r, S)
    x = 2.0 * np.asarray(rate, dtype=float) * S * np.asarray(t, dtype=float)
    return S * expit(x - math.log(S / r - 1.0))


def d_shot_strength(d, D_c, S: float = 1.0) -> np.ndarray:
    r"""Extended data model, Eq. (17): :math:`\mathcal R_k(\infty) = S(1 - \sqrt{1 - d_k/D_c})` for
    :math:`d_k < D_c`, else :math:`S` (``d`` and ``D_c`` broadcast).

    Caveat (digest, typo 2): this is the *loss-equivalent* strength :math:`S - \sqrt{2\mathcal L_k}`
    obtained from Eq. (104) through Eq. (10); the Eq.-(7) correlation of the min-norm solution is
    :math:`S d_k/D_c` in expectation. The paper plots Eq. (17) with :math:`d_k \to D P_s(k)`.

    >>> d_shot_strength([0, 600, 800, 2000], 800, S=2.0).tolist()
    [0.0, 1.0, 2.0, 2.0]
    """
    S = check_positive("S", S)
    D_c = np.asarray(D_c, dtype=float)
    if not np.all(np.isfinite(D_c) & (D_c > 0)):
        raise ValueError(f"D_c must satisfy D_c > 0, got {D_c!r}")
    frac = np.clip(np.asarray(d, dtype=float) / D_c, 0.0, 1.0)
    return S * (1.0 - np.sqrt(1.0 - frac))


def width_strength(width, skills, N_c, S: float = 1.0) -> np.ndarray:
    r"""Extended width model, Eq. (21): :math:`q = \lfloor (N-1)/N_c\rfloor + 1`, :math:`(q-1)N_c + \rho = N`,

    :math:`\mathcal R_k = S` for :math:`k < q`, :math:`S\rho/N_c` for :math:`k = q`, 0 for :math:`k > q`
    (a true Eq.-(7) correlation, so not tied to the loss through Eq. (10) at :math:`k = q`); that is
    :math:`S\,\mathrm{clip}((N - (k-1)N_c)/N_c, 0, 1)`. ``width`` and ``skills`` broadcast.

    >>> width_strength(10, np.arange(1, 6), N_c=4).tolist()
    [1.0, 1.0, 0.5, 0.0, 0.0]
    """
    N_c = check_size("N_c", N_c)
    S = check_positive("S", S)
    width = np.asarray(width)
    if not (np.all(width == np.round(width)) and np.all(width >= 1)):
        raise ValueError(f"N must be positive integers, got {width!r}")
    ks = np.asarray(skills, dtype=float)
    return S * np.clip((width - (ks - 1) * N_c) / N_c, 0.0, 1.0)


@renamed(T="t")
def skill_loss(t, rate, S: float = 1.0, r: float = 0.01) -> np.ndarray:
    r"""Skill loss of Eq. (27): :math:`\mathcal L_k = \tfrac{S^2}{2}\,\sigma(\ln(S/r-1) - 2\,\mathrm{rate}\,S t)^2`.

    Equal to :math:`\tfrac12 (S - \mathcal R_k)^2` (Eq. 10) but computed without cancellation,
    so it stays accurate when the skill is learned (:math:`\mathcal L_k \ll S^2`).
    """
    from scipy.special import expit

    S = check_positive("S", S)
    r = check_init(r, S)
    x = 2.0 * np.asarray(rate, dtype=float) * S * np.asarray(t, dtype=float)
    return 0.5 * S * S * expit(math.log(S / r - 1.0) - x) ** 2


# --------------------------------------------------------------------------- Eq. (12) / (328)
def _setup(alpha, n_s, N, S, r, eta):
    r"""Validated ``(N, S, r, eta)``, the frequencies ``P_s`` and the absent-skill loss
    :math:`\tfrac{S^2}{2}\sum_{k>N}P_s(k)` (``N = None`` means ``N = n_s``)."""
    n_s = check_size("n_s", n_s)
    N = n_s if N is None else check_size("N", N)
    if N > n_s:
        raise ValueError(f"N must satisfy N <= n_s = {n_s}, got {N}")
    S, eta = check_positive("S", S), check_positive("eta", eta)
    r = check_init(r, S)
    P = skill_frequencies(alpha, n_s)
    return N, S, r, eta, P, 0.5 * S * S * P[N:][::-1].sum()


def _learned_part(t: np.ndarray, P: np.ndarray, rates: np.ndarray, S: float, r: float) -> np.ndarray:
    r""":math:`\tfrac{S^2}{2}\sum_k P_k\,\sigma(\ln c - 2 S\,\mathrm{rate}_k t)^2` for every ``t``.

    Written as :math:`P_k/(1 + e^{2 S\,\mathrm{rate}_k t - \ln c})^2`; one time point costs seven cheap
    in-place passes over the ``k`` array (multiply, subtract, exp, add, square, divide, pairwise sum).
    ``exp`` overflowing to ``inf`` gives the exact limit 0 of a learned skill.
    """
    from tqdm.auto import tqdm

    out = np.empty(t.size)
    log_c = math.log(S / r - 1.0)
    two_s_rates = 2.0 * S * rates
    buf = np.empty_like(two_s_rates)
    with np.errstate(over="ignore"):
        for i, time in enumerate(tqdm(t, disable=None if t.size * P.size > 10**8 else True, desc="loss(t)")):
            np.multiply(two_s_rates, time, out=buf)
            np.subtract(buf, log_c, out=buf)
            np.exp(buf, out=buf)
            np.add(buf, 1.0, out=buf)
            np.square(buf, out=buf)
            np.divide(P, buf, out=buf)
            out[i] = buf.sum()
    return 0.5 * S * S * out


@renamed(T="t")
def time_width_loss(t, N, alpha, n_s, S: float = 1.0, r: float = 0.01, eta: float = 1.0):
    r"""Expected test loss at infinite data, Eq. (12) with :math:`d_k/D\to P_s(k)` (= Eq. 328):

    .. math:: \mathcal L(t, N) = \frac{S^2}{2}\sum_{k=1}^{N} P_s(k)\,
              \sigma\big(\ln(S/r-1) - 2\eta P_s(k) S t\big)^2 + \frac{S^2}{2}\sum_{k=N+1}^{n_s} P_s(k).

    (Eq. 328 as printed omits the :math:`S^2/2` of the second sum; Eq. 12 has it.)
    ``t`` may be an array; ``N <= n_s``. With ``N = n_s`` this is the time law's exact loss
    (Fig. 2a), with ``t -> oo`` the width law :func:`width_loss`.

    >>> round(float(time_width_loss(1e3, 10**5, 0.6, 10**5)), 5)  # digest spot value
    0.04466
    """
    N, S, r, eta, P, absent = _setup(alpha, n_s, check_size("N", N), S, r, eta)
    return _shape_like(_learned_part(_times(t), P[:N], eta * P[:N], S, r) + absent, t)


@renamed(T="t")
def sample_loss(t, counts, alpha, N=None, S: float = 1.0, r: float = 0.01, eta: float = 1.0):
    r"""Test loss of Eq. (12) after training on one sample with skill counts ``counts[k-1] = d_k``.

    The rate of skill ``k`` is :math:`\eta\,d_k/D` with :math:`D = \sum_k d_k`; the test loss
    weighs skill losses with :math:`P_s(k)` (``n_s = len(counts)``); skills ``k > N`` are absent
    from the model and contribute :math:`S^2 P_s(k)/2`.
    """
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size == 0 or np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError("counts must be a non-empty 1-d array of non-negative integers d_k")
    D = counts.sum()
    if D == 0:
        raise ValueError("counts must contain at least one sample (D = sum(counts) >= 1)")
    N, S, r, eta, P, absent = _setup(alpha, counts.size, N, S, r, eta)
    return _shape_like(_learned_part(_times(t), P[:N], eta * counts[:N] / D, S, r) + absent, t)


@renamed(T="t")
def expected_loss(t, D, N, alpha, n_s, S: float = 1.0, r: float = 0.01, eta: float = 1.0):
    r"""Eq. (12) averaged exactly over the sample, :math:`d_k\sim\mathrm{Binomial}(D, P_s(k))`:

    .. math:: \mathbb E_D[\mathcal L(t)] = \sum_{k\le N} P_s(k)\sum_{d=0}^{D}\binom{D}{d}P_s(k)^d(1-P_s(k))^{D-d}
              \,\mathcal L_k(t; d/D) + \frac{S^2}{2}\sum_{k>N}P_s(k).

    Costs ``N * (D + 1)`` logistic evaluations per time point (meant for ``N*D`` up to ~1e7).
    As ``t -> oo`` it tends to :func:`data_loss` with the same ``r`` (Eq. 274), the gap
    being :math:`O(S^4 r^{-2} D e^{-4\eta S t/D})` (Prop. 8, Eq. 261).
    """
    from scipy.special import expit
    from scipy.stats import binom

    D = check_size("D", D)
    N, S, r, eta, P, absent = _setup(alpha, n_s, check_size("N", N), S, r, eta)
    times = _times(t)
    d = np.arange(D + 1, dtype=float)
    weights = binom.pmf(d[None, :], D, P[:N, None])  # (N, D+1)
    log_c = math.log(S / r - 1.0)
    out = np.array([P[:N] @ (weights @ (0.5 * S * S * expit(log_c - 2.0 * eta * S * time * d / D) ** 2))
                    for time in times])
    return _shape_like(out + absent, t)


# --------------------------------------------------------------------------- Eqs. (59), (274), (322)
def data_loss(D, alpha, n_s, N=None, S: float = 1.0, r: float = 0.0):
    r"""One-shot learner (``t -> oo``), Eqs. (59)/(322) and, for ``N < n_s`` or ``r > 0``, Eq. (274):

    .. math:: \mathbb E_D[\mathcal L] = \frac{(S-r)^2}{2}\sum_{k=1}^{N}P_s(k)\,(1-P_s(k))^D
              + \frac{S^2}{2}\sum_{k=N+1}^{n_s}P_s(k).

    ``r = 0`` (default) is Eq. (322) as plotted in Fig. 2b. ``D`` may be an array of sample
    sizes; :math:`(1-P)^D` is evaluated as :math:`\exp(D\,\mathrm{log1p}(-P))`.

    >>> round(float(data_loss(1000, 0.6, 10**5)), 5)  # digest spot value
    0.03278
    """
    alpha = check_positive("alpha", alpha)
    n_s = check_size("n_s", n_s)
    N = n_s if N is None else check_size("N", N)
    if N > n_s:
        raise ValueError(f"N must satisfy N <= n_s = {n_s}, got {N}")
    S = check_positive("S", S)
    r = check_init(r, S, allow_zero=True)
    sizes = np.atleast_1d(np.asarray(D, dtype=float))
    if np.any(sizes < 0) or np.any(sizes != np.round(sizes)):
        raise ValueError(f"D must be a non-negative integer sample size, got {D!r}")
    P = skill_frequencies(alpha, n_s)
    log_keep = np.log1p(-P[:N])
    buf = np.empty(N)
    out = np.empty(sizes.size)
    with blas_threads(1):
        for i, size in enumerate(sizes):
            np.multiply(log_keep, size, out=buf)
            np.exp(buf, out=buf)
            out[i] = np.dot(P[:N], buf)
    return _shape_like(0.5 * (S - r) ** 2 * out + 0.5 * S * S * P[N:][::-1].sum(), D)


# --------------------------------------------------------------------------- Eq. (325)
def width_loss(N, alpha, n_s, S: float = 1.0):
    r"""Width law at ``t, D -> oo``, Eq. (325): :math:`\mathcal L = \tfrac{S^2}{2}\sum_{k=N+1}^{n_s}P_s(k)`.

    ``N`` may be an array (``0 <= N <= n_s``); all tails come from one reversed cumulative sum.
    """
    alpha = check_positive("alpha", alpha)
    n_s = check_size("n_s", n_s)
    S = check_positive("S", S)
    widths = np.atleast_1d(np.asarray(N))
    if np.any(widths < 0) or np.any(widths > n_s) or np.any(widths != np.round(widths)):
        raise ValueError(f"N must be an integer with 0 <= N <= n_s = {n_s}, got {N!r}")
    P = skill_frequencies(alpha, n_s)
    tails = np.concatenate([np.cumsum(P[::-1])[::-1], [0.0]])  # tails[j] = sum_{k > j} P_k
    return _shape_like(0.5 * S * S * tails[widths.astype(int)], N)


def width_loss_mp(N, alpha, n_s=math.inf, S=1, dps: int = 30) -> mpmath.mpf:
    r"""Eq. (325) with Hurwitz zeta functions at ``dps`` digits; ``n_s = math.inf`` allowed:

    .. math:: \frac{S^2}{2}\,\frac{\zeta(\alpha+1, N+1) - \zeta(\alpha+1, n_s+1)}{\zeta(\alpha+1) - \zeta(\alpha+1, n_s+1)}.

    ``alpha`` and ``S`` may be strings (``"0.6"``) to be read exactly at the working precision.

    >>> width_loss_mp(100, "0.6", dps=20) * 2 * mpmath.zeta(1.6) * 0.6 * 100**0.6 > 1 - 0.05
    True
    """
    with mpmath.workdps(dps):
        a1 = mpmath.mpf(alpha) + 1
        S = mpmath.mpf(S)
        check_positive("alpha", a1 - 1)
        check_positive("S", S)
        N = check_size("N", N)
        n_s = check_size("n_s", n_s, allow_inf=True)
        if N > n_s:
            raise ValueError(f"N must satisfy N <= n_s = {n_s}, got {N}")
        beyond = 0 if n_s == math.inf else mpmath.zeta(a1, n_s + 1)
        return S * S / 2 * (mpmath.zeta(a1, N + 1) - beyond) / (mpmath.zeta(a1) - beyond)


# --------------------------------------------------------------------------- Eq. (236)
@renamed(T="t")
def theorem4_loss(t, N, alpha, S: float = 1.0, r: float = 0.01, eta: float = 1.0):
    r"""The ``n_s = oo``, ``D = oo`` loss of Theorem 4, Eq. (236):

    .. math:: \mathcal L_\infty(t,N) = \sum_{k=1}^{N}\frac{k^{-(\alpha+1)}}{\zeta(\alpha+1)}
              \Phi_{S,r}\!\Big(\frac{\eta S t k^{-(\alpha+1)}}{\zeta(\alpha+1)}\Big)
              + \frac{S^2 N^{-\alpha}}{2\alpha\zeta(\alpha+1)},
              \qquad \Phi_{S,r}(u) = \frac{S^2}{2}\sigma(\ln(S/r-1) - 2u)^2 .

    Theorem 4: with :math:`\lambda = N/(\eta S t)^{1/(\alpha+1)}` fixed,
    :math:`\mathcal L_\infty\,(\eta S t)^{\alpha/(\alpha+1)} \to A(\lambda)` (Eq. 238, 249).
    """
    alpha = check_positive("alpha", alpha)
    N = check_size("N", N)
    S, eta = check_positive("S", S), check_positive("eta", eta)
    r = check_init(r, S)
    zeta = float(mpmath.zeta(alpha + 1))
    P = np.arange(1, N + 1, dtype=float) ** (-(alpha + 1)) / zeta
    learned = _learned_part(_times(t), P, eta * P, S, r)
    return _shape_like(learned + S * S * N ** (-alpha) / (2 * alpha * zeta), t)


# --------------------------------------------------------------------------- Eq. (328), compute
def compute_frontier(C, alpha, n_s, widths=None, S: float = 1.0, r: float = 0.01, eta: float = 1.0):
    r"""Compute-optimal loss :math:`\min_{N} \mathcal L(t = C/N, N)` of Eq. (328) over integer widths.

    Returns ``(loss, N_opt)`` arrays over ``C``. ``widths`` (default: all ``1..n_s`` up to the
    largest useful width, thinned geometrically) is the candidate grid. For each width the
    learned part is a sum over ``k <= N``; the tail comes from one cumulative sum.
    """
    from tqdm.auto import tqdm

    alpha = check_positive("alpha", alpha)
    n_s = check_size("n_s", n_s)
    S, eta = check_positive("S", S), check_positive("eta", eta)
    r = check_init(r, S)
    budgets = np.atleast_1d(np.asarray(C, dtype=float))
    if np.any(~np.isfinite(budgets)) or np.any(budgets <= 0):
        raise ValueError(f"C must be finite and > 0, got {C!r}")
    if widths is None:
        widths = np.unique(np.round(np.geomspace(1, n_s, 400)).astype(int))
    widths = np.asarray(widths)
    if np.any(widths < 1) or np.any(widths > n_s):
        raise ValueError(f"widths must be integers with 1 <= N <= n_s = {n_s}")
    P = skill_frequencies(alpha, n_s)
    tails = np.concatenate([np.cumsum(P[::-1])[::-1], [0.0]])
    losses = np.empty((widths.size, budgets.size))
    for j, width in enumerate(tqdm(widths, disable=None if widths.size * budgets.size > 10**5 else True,
                                   desc="compute frontier")):
        head = P[:width]
        losses[j] = _learned_part(budgets / width, head, eta * head, S, r) + 0.5 * S * S * tails[width]
    best = np.argmin(losses, axis=0)
    return losses[best, np.arange(budgets.size)], widths[best]


def benchmark_exact_loss(n_s: int = 10**6, n_times: int = 100) -> tuple[float, float]:
    """Seconds for :func:`time_width_loss` (``N = n_s``, ``n_times`` time points, alpha = 0.6) and that time
    divided by ``n_times`` allocating ``np.exp`` calls over ``n_s`` values (the issue's benchmark ratio)."""
    import time

    times = np.geomspace(1, 1e4, check_size("n_times", n_times))
    start = time.perf_counter()
    time_width_loss(times, n_s, 0.6, n_s)
    cost = time.perf_counter() - start
    x = np.linspace(-5.0, 0.0, check_size("n_s", n_s))
    start = time.perf_counter()
    for _ in range(n_times):
        np.exp(x)
    return cost, cost / (time.perf_counter() - start)


# --------------------------------------------------------------------------- Eqs. (40)-(41), all skills
@dataclass(frozen=True)
class EmergenceTable:
    """Emergence time ``tau_e``, saturation time ``tau_s`` (Eq. 40) and the stage-like margin (Eq. 41)
    of skills ``k = 1..n_s`` as NumPy arrays; ``margin`` has ``n_s - 1`` entries (none for the last skill).

    Iterating (or indexing by position) gives rows ``{"k", "tau_e", "tau_s", "margin"}`` of floats,
    ``margin`` None for the last skill; indexing by a column name gives the array.
    """

    k: np.ndarray
    tau_e: np.ndarray
    tau_s: np.ndarray
    margin: np.ndarray

    def __len__(self) -> int:
        return int(self.k.size)

    def __getitem__(self, key):
        if isinstance(key, str):
            return getattr(self, key)
        i = range(len(self))[key]
        return {"k": int(self.k[i]), "tau_e": float(self.tau_e[i]), "tau_s": float(self.tau_s[i]),
                "margin": float(self.margin[i]) if i < self.margin.size else None}

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def to_json(self) -> list[dict]:
        """The rows (strict JSON: the last skill's margin is null)."""
        return list(self)

    def __repr__(self) -> str:
        shown = [self[i] for i in sorted({0, 1, 2, len(self) - 1} & set(range(len(self))))]
        lines = [f"EmergenceTable({len(self)} skills)"]
        lines += [f"  k = {r['k']}: tau_e = {r['tau_e']:.6g}, tau_s = {r['tau_s']:.6g}, margin = {r['margin']}"
                  for r in shown]
        return "\n".join(lines)


def emergence_times(alpha, n_s, first_frequency, emergence_scale, saturation_scale) -> EmergenceTable:
    r"""Eq. (40) and the margin of Eq. (41) for all ``n_s`` skills in a few NumPy passes.

    Both times are inversely proportional to the skill frequency, :math:`\tau = E/p_k` with
    :math:`p_k = P_s(1)\,k^{-(\alpha+1)}` (Eq. 1), ``first_frequency`` :math:`= P_s(1)` and the
    scales :math:`E_e = \ln\frac{S/r-1}{1/\epsilon-1}/(2\eta S)`, :math:`E_s = \ln(1/\epsilon-1)/(\eta S)`
    computed by the caller from the SymPy expressions. The margin
    :math:`\tau^{(e)}_{k+1}-\tau^{(e)}_k-\tau^{(s)}_k = \frac{k^{\alpha+1}}{P_s(1)}
    \big(E_e\,\mathrm{expm1}((\alpha+1)\,\mathrm{log1p}(1/k)) - E_s\big)`
    is written without the cancellation of the difference of two large times.

    >>> tab = emergence_times(1.0, 3, 0.5, 1.0, 2.0)
    >>> tab["tau_e"].tolist(), tab["margin"].tolist(), tab[-1]["margin"] is None
    ([2.0, 8.0, 18.0], [2.0, -6.0], True)
    """
    a1 = check_positive("alpha", alpha) + 1.0
    n_s = check_size("n_s", n_s)
    scale = 1.0 / check_positive("P_s(1)", first_frequency)
    ks = np.arange(1, n_s + 1, dtype=float)
    growth = ks ** a1 * scale
    head = ks[:-1]
    margin = growth[:-1] * (emergence_scale * np.expm1(a1 * np.log1p(1.0 / head)) - saturation_scale)
    return EmergenceTable(np.arange(1, n_s + 1), emergence_scale * growth, saturation_scale * growth, margin)
