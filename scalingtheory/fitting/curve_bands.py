r"""Prediction bands of a one-resource fit: the delta method, a drift-calibrated band, a rolling-origin
conformal band (backtest) and a residual bootstrap, computed from a fit's data and parameters.

Each function takes the fit (a :class:`~scalingtheory.fitting.least_squares.Solution`, usually the
:class:`~scalingtheory.fitting.curve_result.FitResult` whose methods call it) and the ``(x, y, weights)``
its refits use; :meth:`~scalingtheory.fitting.curve_result.FitResult.predict_interval` states the bands.

>>> from scalingtheory.fitting.forms import get_form
>>> from scalingtheory.fitting.least_squares import solve
>>> x = np.logspace(1, 3, 20)
>>> s = solve(get_form("m1"), x, 2 * x**-0.5 * np.exp(0.01 * np.sin(5 * x)), 3)
>>> y, lo, hi = delta_band(s, [1e4], 0.95)
>>> bool(lo[0] < y[0] < hi[0])
True
"""

from __future__ import annotations

import math

import numpy as np

from ..limits import check_count
from .intervals import check_level, percentile_interval
from .least_squares import BAND_REFIT, refine, solve


def delta_band(fit, x, level: float, drift: float | None = None, backtest_q: float | None = None):
    r"""``(y_hat, lo, hi)``: :math:`\log\hat y \pm z\sqrt{g^\top\Sigma g + s^2}` with ``g`` the Jacobian row,
    plus :math:`\kappa^2 D^2` under the root with a ``drift`` :math:`\kappa`, and a half-width at least
    :math:`q D` with a conformal quantile ``backtest_q`` :math:`q`, :math:`D = \max(0, \ln x - \ln x_{max})`.
    NaN bounds when the fit has no covariance."""
    x = np.asarray(x, float)
    ly = fit.form.log_predict(fit.theta, x)
    if fit.cov is None:
        nan = np.full_like(ly, np.nan)
        return np.exp(ly), nan, nan
    g = fit.form.jacobian(fit.working_theta, x)  # log y_hat moves by a constant between units: the same slopes
    var = np.einsum("mi,ij,mj->m", g, fit.cov, g) + fit.sigma**2
    beyond = np.maximum(0.0, np.log(x) - np.log(fit.x.max()))
    if drift is not None:
        var = var + (drift * beyond) ** 2
    from scipy.stats import norm

    half = norm.ppf(0.5 + level / 2) * np.sqrt(np.clip(var, 0, None))
    if backtest_q is not None:
        half = np.maximum(half, backtest_q * beyond)
    return np.exp(ly), np.exp(ly - half), np.exp(ly + half)


def bootstrap_band(fit, boot_theta, x, level: float):
    """``(y_hat, lo, hi)``: percentile interval (:func:`~scalingtheory.fitting.intervals.percentile_interval`) of
    the replicate curves plus a resampled training residual (so the band covers a new *observation*, not only the
    mean curve); residual draws seeded by 0."""
    x = np.asarray(x, float)
    ly = fit.form.log_predict(fit.theta, x)
    rng = np.random.default_rng(0)
    curves = fit.form.log_predict(boot_theta, x)
    noise = rng.choice(fit.residuals, size=curves.shape) * math.sqrt(fit.x.size / max(fit.dof, 1))
    lo, hi = percentile_interval(curves + noise, level)
    return np.exp(ly), np.exp(lo), np.exp(hi)


def conformal_quantile(errors, level: float = 0.95) -> float:
    """Conformal ``level`` quantile :math:`q` of the backtest scores :math:`s_j = |e_j|/\\delta_j` (``errors``:
    rows :math:`\\delta_j, e_j, k`): the :math:`\\lceil (n+1)\\,\\mathrm{level}\\rceil`-th smallest of the
    :math:`n` scores, the largest when that rank exceeds :math:`n`.

    >>> conformal_quantile(np.array([[1.0, 0.1, 5], [2.0, -0.4, 5], [1.0, 0.3, 6]]), 0.5)
    0.2
    """
    level = check_level(level)
    delta, err = errors[:, 0], errors[:, 1]
    scores = np.sort(np.abs(err) / delta)
    rank = min(int(math.ceil((scores.size + 1) * level)), scores.size)
    return float(scores[rank - 1])


def bootstrap_thetas(fit, data, n_boot: int, seed: int, progress: bool = False) -> np.ndarray:
    """``n_boot`` residual-bootstrap refits in log space warm-started at ``fit.theta``, on ``data`` =
    ``(x, y, weights)``: replicate data ``exp(log y_hat + r*)`` with ``r*`` drawn with replacement from the
    residuals inflated by ``sqrt(m/(m-p))`` (``numpy.random.default_rng(seed)``)."""
    from tqdm.auto import tqdm

    rng = np.random.default_rng(seed)
    x, y, w = data
    sw = np.ones(x.size) if w is None else np.sqrt(w)  # bin means: residuals standardised by sqrt(count)
    ly_fit = fit.form.log_predict(fit.theta, x)
    r = sw * (ly_fit - np.log(y)) * math.sqrt(x.size / max(x.size - fit.form.n_params, 1))
    thetas = []
    for _ in tqdm(range(n_boot), disable=not progress, desc="bootstrap"):
        ly_b = ly_fit + rng.choice(r, size=r.size) / sw
        lo, hi = fit.form.bounds(x, np.exp(ly_b))
        sol = refine(fit.form, fit.theta, x, ly_b, lo, hi, tol=1e-10, max_nfev=500, space=fit.space, w=w)
        thetas.append(sol.x)
    return np.array(thetas)


def extrapolation_drift(fit, data, holdout: float = 0.25) -> float:
    """Extrapolation drift :math:`\\kappa^2 = \\mathrm{mean}_j \\max(e_j^2 - s^2, 0)/\\delta_j^2` of a refit on the
    first ``1 - holdout`` of ``data`` scored on the rest (:meth:`FitResult.calibrate` states the model)."""
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must satisfy 0 < holdout < 1, got {holdout}")
    x, y, w = data
    m = x.size
    k = max(2, int(round(holdout * m)))
    if m - k < fit.form.n_params:
        raise ValueError(f"calibrate needs {fit.form.n_params} points before the last {k}; got {m}")
    back = solve(fit.form, x[: m - k], y[: m - k], max(fit.n_starts, 1), space=fit.space,
                 w=None if w is None else w[: m - k])
    e = back.form.log_predict(back.theta, x[m - k:]) - np.log(y[m - k:])
    delta = np.log(x[m - k:]) - np.log(x[m - k - 1])
    s2 = back.sigma**2 if np.isfinite(back.sigma) else 0.0
    return float(np.sqrt(np.mean(np.maximum(e**2 - s2, 0.0) / delta**2)))


def backtest_errors(fit, data, n_origins: int = 8, start: float = 0.5, n_starts: int = 0, warm: bool = True,
                    progress: bool = False) -> np.ndarray:
    """Rows :math:`(\\delta_j, e_j, k)` of the rolling-origin backtest on ``data`` (:meth:`FitResult.backtest`
    states the origins, the refits and the band)."""
    n_origins, n_starts = check_count("origins", n_origins, "n_origins"), check_count("n_starts", n_starts)
    if n_origins < 1 or (n_starts == 0 and not warm):
        raise ValueError(f"backtest needs n_origins >= 1 and a start (warm=True or n_starts >= 1), got "
                         f"n_origins={n_origins}, n_starts={n_starts}, warm={warm}")
    if not 0 < start < 1:
        raise ValueError(f"start must satisfy 0 < start < 1, got {start}")
    x, y, w = data
    m, p = x.size, fit.form.n_params
    k_min = max(int(math.ceil(start * m)), p + 1)
    if k_min > m - 1:
        raise ValueError(f"backtest needs more than {p + 1} training points (p + 1 to fit a prefix, "
                         f"one to predict); got {m}")
    origins = np.unique(np.round(np.linspace(k_min, m - 1, n_origins)).astype(int))
    rows = [_origin_errors(fit, x, y, w, k, n_starts, warm) for k in _progress(origins, progress)]
    rows = [r for r in rows if r is not None]
    errors = np.concatenate(rows) if rows else np.empty((0, 3))
    if errors.shape[0] == 0:
        raise RuntimeError("backtest: no prefix fit gave a finite prediction")
    return errors


def _progress(origins, progress: bool):
    from tqdm.auto import tqdm

    return tqdm(origins, disable=not progress, desc="backtest")


def _origin_errors(fit, x, y, w, k: int, n_starts: int, warm: bool):
    """The log errors on points ``k..`` of a refit on the first ``k`` (``None`` when no start is finite)."""
    try:
        back = solve(fit.form, x[:k], y[:k], n_starts, space=fit.space, w=None if w is None else w[:k],
                     warm=fit.theta if warm else None, **(BAND_REFIT if warm else {}))
    except RuntimeError:  # no finite start on this prefix: the origin contributes nothing
        return None
    lx = np.log(x)
    delta = lx[k:] - lx[k - 1]
    err = back.form.log_predict(back.theta, x[k:]) - np.log(y[k:])
    ok = (delta > 0) & np.isfinite(err)
    return np.column_stack([delta[ok], err[ok], np.full(ok.sum(), k)])


__all__ = ["delta_band", "bootstrap_band", "conformal_quantile", "bootstrap_thetas", "extrapolation_drift", "backtest_errors"]
