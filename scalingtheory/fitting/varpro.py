r"""Approach 3 by variable projection: exact linear parameters inside a dense exponent grid.

Objective (Hoffmann et al. 2022, Sec. 3.3 and Eq. 3; Besiroglu et al. 2024, Sec. 2):
with log residuals :math:`r_i = \log \hat L(X_i;\theta) - \log L_i`,

.. math:: S(\theta) = \sum_i \rho(r_i), \qquad
   \rho_\delta(r) = \begin{cases} r^2/2 & |r| \le \delta \\ \delta(|r| - \delta/2) & |r| > \delta \end{cases}

(``loss="huber"``, Hoffmann's and Besiroglu's :math:`\delta = 10^{-3}`) or
:math:`\rho(r) = r^2/2` (``loss="mse"``).

Algorithm (:func:`fit_varpro`):

1. *Grid with the linear parameters projected out.* For every point :math:`\phi` of a
   dense grid of the nonlinear parameters (default: each in [0.01, 3], about 10^4 points
   in all; fewer beyond 5,000 runs, so that grid x runs stays below 5e7), the linear parameters :math:`c \ge 0` solve the weighted non-negative least
   squares problem :math:`\min_c \| (h + Gc - L)/L \|_2` with ``scipy.optimize.nnls``
   (exact, a finite active-set algorithm). Its weights make the residual the relative
   error :math:`(\hat L - L)/L = r + O(r^2)`, so the projection is the log-space
   least-squares solution to first order (``derivations/multi_resource.py``).
2. *Local refinement.* From the ``n_starts`` best mutually distinct grid points, all
   parameters are refined on the exact objective :math:`S` by
   ``scipy.optimize.least_squares`` (trust-region reflective, analytic Jacobian,
   ``loss="huber", f_scale=delta``, whose cost is exactly :math:`\sum\rho_\delta(r_i)`),
   with :math:`c \ge 0`. The result reports how many starts reached the best objective.

*Parameters of any law.* Besides the linear coefficients a law has exponent-like parameters (they
appear only in exponents: ``a`` in ``N**-a``) and scale-like ones (``Nc`` in ``(Nc/N)**(p/q)``,
``R`` in ``exp(-D/R)``, ``A`` inside ``(A*N**-a + B)**c``; :attr:`LawModel.scales`). Exponents take
the grid axis ``GRID_RANGE`` and the bounds :data:`NONLINEAR_BOUNDS`; scales take a log-spaced axis
over the data's own scales (1, every resource, the response) widened by :data:`START_DECADES` and are
refined as :math:`\log\theta` within :data:`SCALE_DECADES` beyond them (:func:`search_box`), so no
bound on the scale of the data decides an answer and a change of units is a shift. A parameter that
ends at a bound (:func:`pinned`) or on which the law does not depend at the runs (:func:`flat`) is
reported as not identified.

*Route.* With linear coefficients the grid projects them out (``route="varpro"``, :data:`N_STARTS`
refined starts). A law without any (Kaplan's ``((Nc/N)**(p/q) + Dc/D)**q``) is evaluated itself on
the grid and refined from :data:`NLS_STARTS` starts: full nonlinear least squares from many starts
(``route="nls"``).

>>> import numpy as np
>>> from scalingtheory.fitting.model import LawModel
>>> rng = np.random.default_rng(0)
>>> N, D = 10**rng.uniform(7, 10, 60), 10**rng.uniform(9, 12, 60)
>>> L = 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28
>>> m = LawModel("E + A*N**-a + B*D**-b", ["N", "D", "loss"], "loss")
>>> res = fit_varpro(m, (N, D), L, loss="mse")
>>> {k: round(float(v), 4) for k, v in zip(m.names, res.theta)}
{'A': 406.4, 'B': 410.7, 'E': 1.69, 'a': 0.34, 'b': 0.28}
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field

import numpy as np

from .least_squares import distinct_best
from .model import LawModel  # noqa: F401  (doctests)

LOSSES = ("huber", "mse")
#: grid range of every exponent-like parameter, and the total number of grid points
GRID_RANGE = (0.01, 3.0)
GRID_POINTS = 10_000
#: hard bounds of the exponent-like parameters during refinement (at a bound: not identified)
NONLINEAR_BOUNDS = (0.0, 50.0)
#: scale-like parameters (``Nc`` of Kaplan's law, ``R`` of a data-constrained law, ``A`` inside a power) are
#: refined in log space; their starts span the data's scales (1, every resource, the response) widened by
#: START_DECADES on each side, their hard bounds by SCALE_DECADES
START_DECADES = 3.0
SCALE_DECADES = 20.0
N_STARTS = 8
#: refined starts of the full nonlinear route (a law with no linear coefficient, e.g. Kaplan's form)
NLS_STARTS = 24
#: a nonlinear parameter within this fraction of its bounds' span from a bound is reported as pinned there
PINNED_RTOL = 1e-6
#: largest Huber threshold on log residuals (a factor e^10); beyond it Huber is the squared loss on any fit
MAX_DELTA = 10.0
MAX_NONLINEAR = 6
#: numbers held per block of grid points, and the grid-size x data-size budget of one fit
BLOCK_VALUES = 2_000_000
GRID_WORK = 50_000_000
#: a start "reached the optimum" when its objective is within this relative distance of the best
REACHED_RTOL = 1e-6


def objective(r, loss: str = "huber", delta: float = 1e-3):
    """:math:`\\sum_i \\rho(r_i)` over the last axis (module docstring); ``inf`` where a residual is not finite.

    >>> round(objective(np.array([0.5e-3, 2e-3]), "huber", 1e-3), 15)  # 0.125e-6 + 1e-3*(2e-3 - 0.5e-3)
    1.625e-06
    """
    r = np.asarray(r, float)
    a = np.abs(r)
    rho = 0.5 * r**2 if loss == "mse" else np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))
    with np.errstate(invalid="ignore"):
        total = np.where(np.all(np.isfinite(r), axis=-1), np.sum(np.where(np.isfinite(rho), rho, 0.0), axis=-1), np.inf)
    return float(total) if total.ndim == 0 else total


def scale_window(X, y, decades: float) -> tuple[float, float]:
    """``(lo, hi)``: the span of the data's own scales (1, every resource, the response) widened by ``decades``.

    >>> scale_window((np.array([1e7, 1e9]),), np.array([2.0, 3.0]), 3)
    (0.001, 1000000000000.0)
    """
    values = np.concatenate([np.asarray(v, float).ravel() for v in (*X, y)] + [np.ones(1)])
    return float(values.min() * 10.0**-decades), float(values.max() * 10.0**decades)


def search_box(model, X, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lo, hi, log)``: refinement bounds of every parameter and which are refined in log space.

    Linear coefficients ``>= 0``; exponent-like parameters within :data:`NONLINEAR_BOUNDS`;
    scale-like parameters (:attr:`LawModel.scales`) within the data's scales widened by
    :data:`SCALE_DECADES` (:func:`scale_window`), in log space. A parameter ending at one of
    these bounds is not identified by the data (``FittedLaw.not_identified``).
    """
    lo, hi = np.full(len(model.params), 0.0), np.full(len(model.params), np.inf)
    lo[model.nonlinear_index], hi[model.nonlinear_index] = NONLINEAR_BOUNDS
    log = model.log_mask
    lo[log], hi[log] = scale_window(X, y, SCALE_DECADES)
    return lo, hi, log


def bounds(model, X=None, y=None) -> tuple[np.ndarray, np.ndarray]:
    """Refinement bounds ``(lo, hi)`` (:func:`search_box`; without data, scale parameters in ``(0, inf)``)."""
    if X is None:
        lo, hi = np.full(len(model.params), 0.0), np.full(len(model.params), np.inf)
        exponents = model.nonlinear_index[~model.log_mask[model.nonlinear_index]]
        lo[exponents], hi[exponents] = NONLINEAR_BOUNDS
        return lo, hi
    return search_box(model, X, y)[:2]


def grid_axes(model, n_points: int = GRID_POINTS, box=GRID_RANGE, window=(1e-3, 1e3)) -> list[np.ndarray]:
    """One axis per nonlinear parameter, ``n_points ** (1/k)`` values each (at least 3): equally spaced
    in ``box`` for an exponent, log-spaced over ``window`` (:func:`scale_window`) for a scale.

    ``ValueError`` beyond :data:`MAX_NONLINEAR` nonlinear parameters (the grid would be too coarse).
    """
    k = len(model.nonlinear)
    if k > MAX_NONLINEAR:
        raise ValueError(f"the law has {k} nonlinear parameters; the start grid handles at most {MAX_NONLINEAR}")
    per = max(3, int(n_points ** (1.0 / max(k, 1)) + 1e-9))
    return [np.geomspace(*window, per) if p in model.scales else np.linspace(box[0], box[1], per)
            for p in model.nonlinear]


def project(G, h, y):
    """Linear coefficients ``c >= 0`` minimising ``||(h + G c - y)/y||`` (NNLS), for a stack of bases.

    ``G`` has shape ``(..., m, k)`` and ``h`` ``(..., m)``; columns are scaled to unit norm
    for the solver and the coefficients scaled back. Returns ``(coef, prediction)``; with no
    linear coefficient (``k = 0``) the prediction is ``h``.
    """
    from scipy.optimize import nnls

    if G.shape[-1] == 0:
        return np.zeros(G.shape[:-2] + (0,)), np.asarray(h, float)
    W = G / y[:, None]
    scale = np.linalg.norm(W, axis=-2, keepdims=True)
    scale = np.where(scale > 0, scale, 1.0)
    Ws, t = W / scale, (y - h) / y
    flat_W, flat_t = Ws.reshape((-1,) + Ws.shape[-2:]), t.reshape((-1, t.shape[-1]))
    coef = np.array([nnls(w, b)[0] for w, b in zip(flat_W, flat_t)])
    coef = coef.reshape(G.shape[:-2] + (G.shape[-1],)) / scale[..., 0, :]
    return coef, h + np.einsum("...mk,...k->...m", G, coef)


def profile_grid(model, X, y, loss, delta, axes):
    """Grid points (rows of nonlinear values), their projected coefficients and objectives.

    The basis is evaluated for a block of grid points at once (broadcasting a column of
    grid values against a row of data; at most :data:`BLOCK_VALUES` numbers per block);
    points with a non-finite basis are skipped.
    """
    chunk = max(1, min(256, BLOCK_VALUES // (len(y) * max(len(model.linear), 1))))
    ly = np.log(y)
    phis = np.array(list(itertools.product(*axes))) if axes else np.zeros((1, 0))
    coefs = np.zeros((len(phis), len(model.linear)))
    obj = np.full(len(phis), np.inf)
    Xb = tuple(x[None, :] for x in X)
    for start in range(0, len(phis), chunk):
        block = phis[start:start + chunk]
        G, h = model.design(tuple(block[:, j:j + 1] for j in range(block.shape[1])), Xb, (len(block), len(y)))
        ok = np.all(np.isfinite(G), axis=(1, 2)) & np.all(np.isfinite(h), axis=1)
        if not ok.any():
            continue
        coef, pred = project(G[ok], h[ok], y)
        with np.errstate(all="ignore"):
            r = np.where(pred > 0, np.log(np.where(pred > 0, pred, 1.0)) - ly, np.inf)
        idx = start + np.flatnonzero(ok)
        coefs[idx], obj[idx] = coef, objective(r, loss, delta)
    return phis, coefs, obj


def refine(model, theta0, X, y, loss="huber", delta=1e-3, max_nfev=2000, free=None, box=None):
    r"""Local refinement of all parameters on the exact objective (``scipy.optimize.least_squares``).

    ``free``: boolean mask of the parameters refined; the others stay at their value in
    ``theta0`` (a profile). ``box``: ``(lo, hi, log)`` of :func:`search_box` (default: from
    ``X, y``); the parameters marked ``log`` are refined as :math:`\log\theta` (scale-free).
    The returned ``x`` is the full parameter vector.
    """
    from scipy.optimize import least_squares

    ly = np.log(y)
    lo, hi, log = search_box(model, X, y) if box is None else box
    base = np.clip(np.asarray(theta0, float), lo, hi)
    free = np.ones(base.size, bool) if free is None else np.asarray(free, bool)
    lg = log[free]
    to_t = lambda v: np.where(lg, np.log(np.where(lg, v, 1.0)), v)  # noqa: E731

    def full(t):
        th = base.copy()
        th[free] = np.where(lg, np.exp(np.where(lg, t, 0.0)), t)
        return th

    def fun(t):
        r = np.log(model.predict(full(t), X)) - ly
        return np.where(np.isfinite(r), r, 1e3)

    def jac(t):
        th = full(t)
        J = model.log_jacobian(th, X)[:, free] * np.where(lg, th[free], 1.0)
        return np.where(np.isfinite(J), J, 0.0)

    kw = {"loss": "huber", "f_scale": delta} if loss == "huber" else {}
    t_lo, t_hi = to_t(lo[free]), to_t(hi[free])
    with warnings.catch_warnings(), np.errstate(all="ignore"):   # overflow at far trial steps is handled (1e3)
        warnings.simplefilter("ignore", RuntimeWarning)
        sol = least_squares(fun, np.clip(to_t(base[free]), t_lo, t_hi), jac=jac, bounds=(t_lo, t_hi), method="trf",
                            x_scale="jac", ftol=1e-12, xtol=1e-12, gtol=1e-12, max_nfev=max_nfev, **kw)
    sol.x = full(sol.x)
    return sol


@dataclass
class VarproFit:
    """Outcome of :func:`fit_varpro`: best ``theta``, its objective, and how the search went.

    ``route``: ``"varpro"`` (linear coefficients projected out on the start grid) or ``"nls"``
    (no linear coefficient: the law itself on the start grid, :data:`NLS_STARTS` refined starts);
    ``box``: the refinement bounds ``(lo, hi, log)`` (:func:`search_box`); ``at_bound``: the
    parameters that ended at one of them (not identified).
    """

    theta: np.ndarray
    objective: float
    grid_points: int
    starts: int
    reached: int
    start_objectives: list = field(default_factory=list)
    at_bound: tuple = ()
    nfev: int = 0
    route: str = "varpro"
    box: tuple = ()


def pinned(model, theta, box) -> tuple:
    """Names of the nonlinear parameters within :data:`PINNED_RTOL` of a bound (in the refined space)."""
    lo, hi, log = box
    t = lambda v: np.where(log, np.log(np.where(log, v, 1.0)), v)  # noqa: E731
    v, l, h = t(theta), t(lo), t(hi)
    tol = PINNED_RTOL * (h - l)   # a value this close to a bound is pinned there (a = 5e-14: N**a ~ 1)
    nonlinear = {p.name for p in model.nonlinear}
    return tuple(n for n, vi, li, hi_, ti in zip(model.names, v, l, h, tol)
                 if n in nonlinear and (vi <= li + ti or vi >= hi_ - ti))


#: a parameter whose relative sensitivity rms(theta * d log L / d theta) is below this is flat: not identified
FLAT_RTOL = 1e-9


def flat(model, theta, X) -> tuple:
    """Names of the nonlinear parameters the law does not depend on at ``theta`` over the runs ``X``
    (relative sensitivity below :data:`FLAT_RTOL`; e.g. ``R`` of a data-constrained law when no run repeats data).

    >>> m = LawModel("E + A*N**-a + B*(U + U*R*(1 - exp(-(D/U - 1)/R)))**-b", ["N", "D", "U", "loss"], "loss")
    >>> X = (np.array([1e8, 1e9, 1e10]), np.array([1e10, 1e11, 1e12]), np.array([1e10, 1e11, 1e12]))
    >>> flat(m, np.array([400.0, 1500.0, 1.8, 15.0, 0.35, 0.35]), X)
    ('R',)
    """
    with np.errstate(all="ignore"):
        J = model.log_jacobian(theta, X) * theta
    rms = np.sqrt(np.mean(np.where(np.isfinite(J), J, 0.0) ** 2, axis=0))
    nonlinear = {p.name for p in model.nonlinear}
    return tuple(n for n, r in zip(model.names, rms) if n in nonlinear and not r > FLAT_RTOL)


def fit_varpro(model, X, y, loss: str = "huber", delta: float = 1e-3, n_starts: int | None = None,
               grid_points: int = GRID_POINTS, box=GRID_RANGE) -> VarproFit:
    """Start grid (linear coefficients projected out where the law has them), then refinement of the
    best distinct points: :data:`N_STARTS` of them, :data:`NLS_STARTS` on the full nonlinear route."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    if not 0 < delta <= MAX_DELTA:
        raise ValueError(f"delta must satisfy 0 < delta <= {MAX_DELTA} (a log residual), got {delta}; "
                         "for squared residuals use loss='mse'")
    n_starts = (N_STARTS if model.route == "varpro" else NLS_STARTS) if n_starts is None else n_starts
    window = scale_window(X, y, START_DECADES)
    axes = grid_axes(model, min(grid_points, max(400, GRID_WORK // len(y))), box, window)
    phis, coefs, obj = profile_grid(model, X, y, loss, delta, axes)
    logs = model.log_mask[model.nonlinear_index]
    cands = np.where(logs, np.log(np.where(logs, phis, 1.0)), phis)
    span_lo = np.where(logs, np.log(window[0]), box[0])
    span_hi = np.where(logs, np.log(window[1]), box[1])
    chosen = distinct_best(cands, obj, span_lo, span_hi, n_starts)
    if not chosen:
        raise ValueError(f"law {model.text} gives no positive, finite loss at every run for any start on the "
                         f"search grid (exponents {box[0]:g}..{box[1]:g}, scales {window[0]:.3g}..{window[1]:.3g}; "
                         "does it overflow or change sign at these resources?)")
    full_box = search_box(model, X, y)
    sols = [refine(model, model.assemble(coefs[i], phis[i]), X, y, loss, delta, box=full_box) for i in chosen]
    ly = np.log(y)
    objs = [objective(np.log(model.predict(s.x, X)) - ly, loss, delta) for s in sols]
    best = int(np.argmin(objs))
    reached = sum(o <= objs[best] * (1 + REACHED_RTOL) + 1e-15 for o in objs)
    theta = sols[best].x
    return VarproFit(theta=theta, objective=objs[best], grid_points=len(phis), starts=len(sols), reached=reached,
                     start_objectives=objs, at_bound=pinned(model, theta, full_box) + flat(model, theta, X),
                     nfev=sum(s.nfev for s in sols),
                     route=model.route, box=full_box)


__all__ = ["fit_varpro", "refine", "objective", "project", "profile_grid", "search_box", "scale_window", "pinned",
           "LOSSES", "VarproFit"]
