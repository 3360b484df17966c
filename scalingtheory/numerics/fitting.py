r"""Fitting engine for learning curves: log-space least squares, cheap multi-start, intervals.

Objective (all forms of :mod:`scalingtheory.numerics.forms`): minimise

.. math:: S(\theta) = \sum_j \bigl(\log \hat y(x_j;\theta) - \log y_j\bigr)^2

under box bounds, i.e. the mean squared log error whose square root (RMSLE) is the
metric of the Revisiting benchmark (Alabdulmohsin et al. 2022) and of BNSL (Caballero
et al. 2023, Sec. 3). The released BNSL script fits :math:`\log(1+y)` after a
163,840-point brute grid; we fit :math:`\log y` directly (our choice, it is the metric).

Algorithm (:func:`fit`):

1. :func:`prepare_data` validates and orders the data (documented handling of bad input);
2. ``form.candidates`` evaluates a coarse grid on the *nonlinear* coordinates (floor,
   break locations, sharpnesses) with the coordinates that are linear in
   :math:`\log(y-\text{floor})` solved exactly (variable projection, batched normal
   equations): a few thousand candidates instead of 163,840, all vectorised;
3. the ``n_starts`` best mutually distinct candidates are refined by
   ``scipy.optimize.least_squares`` (trust-region reflective, bounds, analytic Jacobian; for more
   than 6 parameters the starts are raced, :data:`RACE`);
4. the best optimum gets a covariance :math:`s^2 (J^\top J)^{+}` with
   :math:`s^2 = S/(m-p)`, a delta-method prediction band, and on request a residual
   bootstrap (:meth:`FitResult.bootstrap`), a drift-widened band
   (:meth:`FitResult.calibrate`) or a rolling-origin conformal band
   (:meth:`FitResult.backtest`), the one that covers held-out extrapolation points.

:func:`select_breaks` chooses the number of BNSL breaks (0 to :data:`DEFAULT_MAX_BREAKS`) by
:data:`DEFAULT_CRITERION` ``"bic-one"`` unless told otherwise: the BIC of the log residuals, searched
forward from one break, each step (a break fewer or one more) taken only if it lowers the BIC by
more than :data:`BIC_EVIDENCE` = 2 (:func:`choose_breaks`). Also available (:data:`CRITERIA`):
the lowest AIC, AICc or BIC, and held-out validation or a rolling-origin backtest on the last
points of the training range (never on test data).

>>> import numpy as np
>>> x = np.logspace(1, 4, 25)
>>> res = fit(x, 0.5 + 3.0 * x**-0.4, form="m2")
>>> round(res.params["c"], 6), round(res.params["eps_inf"], 6)
(-0.4, 0.5)
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np

from scalingtheory.limits import check_count
from scalingtheory.numerics.fit_choices import CRITERIA, DEFAULT_CRITERION, DEFAULT_MAX_BREAKS, MAX_BREAK_MARGIN, SPACES
from scalingtheory.numerics.forms import BNSL, Form, expit, get_form


def rmsle(y_hat, y) -> float:
    """Root mean squared log error ``sqrt(mean((log y_hat - log y)^2))``; NaN if any prediction is <= 0."""
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if np.any(~(y_hat > 0)):
        return float("nan")
    return float(np.sqrt(np.mean((np.log(y_hat) - np.log(y)) ** 2)))


def prepare_data(x, y, name_x: str = "x", name_y: str = "y"):
    """Validate a learning curve and return ``(x, y, notes)`` sorted by ``x``.

    Handling (each case tested):

    * different lengths, fewer than 2 points, NaN/inf, ``x <= 0`` or ``y <= 0``
      (logarithms are taken of both) -> ``ValueError`` naming the column;
    * constant ``y`` -> ``ValueError`` (no curve to fit);
    * unsorted ``x`` -> sorted, with a note;
    * exactly repeated ``(x, y)`` rows (e.g. the 4x LM rows of the Revisiting CSV) ->
      dropped, with a note; repeated ``x`` with *different* ``y`` are kept as repeated
      measurements (least squares averages them), with a note.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    notes = []
    if x.shape != y.shape:
        raise ValueError(f"{name_x} and {name_y} must have the same length, got {x.size} and {y.size}")
    for arr, nm in ((x, name_x), (y, name_y)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{nm} must be finite, got {int(np.sum(~np.isfinite(arr)))} NaN/inf value(s)")
        if np.any(arr <= 0):
            raise ValueError(f"{nm} must be > 0 (it enters through its logarithm), got min {arr.min():g}")
    if x.size < 2:
        raise ValueError(f"need at least 2 points, got {x.size}")
    if np.ptp(y) == 0:
        raise ValueError(f"{name_y} is constant ({y[0]:g}): there is no curve to fit")
    if np.any(np.diff(x) < 0):
        notes.append(f"{name_x} was not sorted; sorted ascending")
    order = np.lexsort((y, x))
    x, y = x[order], y[order]
    keep = np.ones(x.size, bool)
    keep[1:] = (np.diff(x) != 0) | (np.diff(y) != 0)
    if not keep.all():
        notes.append(f"dropped {int((~keep).sum())} exactly duplicated ({name_x}, {name_y}) row(s)")
        x, y = x[keep], y[keep]
    if np.any(np.diff(x) == 0):
        notes.append(f"repeated {name_x} values with different {name_y} kept as repeated measurements")
    return x, y, notes


def _distinct_best(cands, obj, lo, hi, k, min_dist=0.05):
    """Indices of up to ``k`` lowest-objective candidates that differ by ``min_dist`` (scaled by the box)."""
    width = np.where(np.isfinite(hi - lo), hi - lo, 1.0)
    width = np.where(width > 0, width, 1.0)
    chosen = []
    for i in np.argsort(obj):
        if not np.isfinite(obj[i]) or len(chosen) >= k:
            break
        if all(np.max(np.abs(cands[i] - cands[j]) / width) > min_dist for j in chosen):
            chosen.append(i)
    return chosen


def _transform(space, ly):
    """Map ``log y`` to the fitting space: ``log y`` itself or ``log(1 + y)``."""
    return ly if space == "log" else np.logaddexp(0.0, ly)


def _refine(form: Form, theta0, x, ly, lo, hi, tol=1e-12, max_nfev=3000, space="log", w=None):
    """One bounded least-squares refinement from ``theta0``; residuals in ``space`` (see :func:`fit`),
    each multiplied by the square root of its weight ``w`` (the count of a bin mean) when given."""
    target = _transform(space, ly)
    sw = None if w is None else np.sqrt(w)

    def fun(th):
        r = _transform(space, form.log_predict(th, x)) - target
        r = np.where(np.isfinite(r), r, 1e3)
        return r if sw is None else sw * r

    def jac(th):
        J = form.jacobian(th, x)
        if space == "log1p":  # d log(1 + y)/d theta = y/(1 + y) * d log y/d theta
            J = J * expit(form.log_predict(th, x))[:, None]
        J = np.where(np.isfinite(J), J, 0.0)
        return J if sw is None else sw[:, None] * J

    from scipy.optimize import least_squares

    theta0 = np.clip(theta0, lo, hi)
    return least_squares(fun, theta0, jac=jac, bounds=(lo, hi), method="trf",
                         ftol=tol, xtol=tol, gtol=tol, max_nfev=max_nfev)


class Prediction(np.ndarray):
    r"""Predicted values :math:`\hat y(x)` (the array itself) with their band ``lo, hi``.

    Attributes ``x``, ``lo``, ``hi``, ``level`` and ``method`` (the interval method of
    :meth:`FitResult.predict_interval`); arrays derived from it (slices, arithmetic) are
    plain NumPy arrays. ``to_json()`` gives ``[{"x", "y", "lo", "hi"}]`` (null for
    non-finite bounds).
    """

    def __new__(cls, x, y, lo, hi, level, method):
        obj = np.asarray(y, float).view(cls)
        obj.x, obj.lo, obj.hi, obj.level, obj.method = np.asarray(x, float), lo, hi, level, method
        return obj

    def __array_finalize__(self, obj):
        self.x = self.lo = self.hi = self.level = self.method = None

    def __array_wrap__(self, arr, context=None, return_scalar=False):
        arr = np.asarray(arr)
        return arr[()] if return_scalar else arr

    def __getitem__(self, key):
        return np.asarray(self)[key]

    def rows(self) -> list[tuple]:
        return list(zip(np.ravel(self.x), np.ravel(np.asarray(self)), np.ravel(self.lo), np.ravel(self.hi)))

    def to_json(self) -> list[dict]:
        return [{"x": float(a), "y": _finite(b), "lo": _finite(c), "hi": _finite(d)} for a, b, c, d in self.rows()]

    def __repr__(self) -> str:
        if self.lo is None:
            return repr(np.asarray(self))
        head = f"Prediction ({self.level:.0%} {self.method} band):"
        return "\n".join([head] + [f"  x = {a:.6g}: y = {b:.6g}  [{c:.6g}, {d:.6g}]" for a, b, c, d in self.rows()])

    def __str__(self) -> str:
        return repr(self) if self.lo is not None else str(np.asarray(self))

    def _repr_html_(self) -> str:
        if self.lo is None:
            return None
        cells = "".join(f"<tr><td>{a:.6g}</td><td>{b:.6g}</td><td>{c:.6g}</td><td>{d:.6g}</td></tr>"
                        for a, b, c, d in self.rows())
        return (f"<table><caption>{self.level:.0%} {html.escape(str(self.method))} band</caption>"
                f"<tr><th>x</th><th>y</th><th>lo</th><th>hi</th></tr>{cells}</table>")


@dataclass
class FitResult:
    """A fitted learning curve (in the spirit of lmfit's ``ModelResult``).

    Attributes: ``form`` (the :class:`~scalingtheory.numerics.forms.Form`), ``theta``
    (internal coordinates), ``x, y`` (training data after :func:`prepare_data`),
    ``cost`` (:math:`S/2`), ``cov`` (covariance of ``theta`` or ``None``), ``notes``,
    ``selection`` (scores per number of breaks when chosen automatically),
    ``boot_theta`` (bootstrap replicates after :meth:`bootstrap`), ``n_starts``, ``nfev``,
    ``pinned`` (parameters at a bound: ``{name: (side, bound)}``), ``criterion`` (how the
    number of breaks was chosen), ``interval`` (the default band method of :meth:`predict`),
    ``names`` (labels of x and y, e.g. a DataFrame's column names), ``weights`` (of the points, when
    they are bin means), ``bins`` (``(x, y, counts)`` of a long curve's bin means, used by the band refits).
    """

    form: Form
    theta: np.ndarray
    x: np.ndarray
    y: np.ndarray
    cost: float
    cov: np.ndarray | None
    notes: list = field(default_factory=list)
    selection: dict = field(default_factory=dict)
    boot_theta: np.ndarray | None = None
    n_starts: int = 0
    nfev: int = 0
    pinned: dict = field(default_factory=dict)
    space: str = "log"
    drift: float | None = None
    backtest_errors: np.ndarray | None = None
    criterion: str | None = None
    interval: str | None = None
    names: tuple = ("x", "y")
    weights: np.ndarray | None = None
    bins: tuple | None = None

    def _data(self):
        """``(x, y, weights)`` the band refits use: the bin means of a long curve (:func:`bin_means`) or the points."""
        return self.bins if self.bins is not None else (self.x, self.y, self.weights)

    # -- parameters ------------------------------------------------------------------
    @property
    def params(self) -> dict[str, float]:
        """Fitted parameters with the papers' names (``b``, ``d1`` rather than their logs)."""
        return self.form.params(self.theta)

    @property
    def stderr(self) -> dict[str, float]:
        """Standard errors of :attr:`params` (delta method from :attr:`cov`; NaN if unavailable)."""
        if self.cov is None:
            return {k: float("nan") for k in self.params}
        sd = np.sqrt(np.clip(np.diag(self.cov), 0, None)) * self.form.dparams_dtheta(self.theta)
        return dict(zip(self.form.param_names, map(float, sd)))

    @property
    def dof(self) -> int:
        return self.x.size - self.form.n_params

    @property
    def residuals(self) -> np.ndarray:
        """Log residuals ``log y_hat - log y`` on the training points."""
        return self.form.log_predict(self.theta, self.x) - np.log(self.y)

    @property
    def rmsle_train(self) -> float:
        return float(np.sqrt(np.mean(self.residuals**2)))

    @property
    def sigma(self) -> float:
        """Residual scale ``sqrt(S/(m-p))`` in log units (NaN without degrees of freedom)."""
        return float(np.sqrt(np.sum(self.residuals**2) / self.dof)) if self.dof > 0 else float("nan")

    def information_criterion(self, kind: str = "bic") -> float:
        r"""Gaussian information criterion of the log residuals (lower is better).

        ``aic``: :math:`m\ln(S/m) + 2p`; ``aicc``: AIC plus the small-sample correction
        :math:`2p(p+1)/(m-p-1)` (Hurvich & Tsai 1989; ``inf`` when :math:`m \le p+1`);
        ``bic``: :math:`m\ln(S/m) + p\ln m`, with :math:`S` the sum of squared log residuals.

        >>> xs = np.logspace(0, 2, 10)
        >>> r = fit(xs, 2 * xs**-0.5 * np.exp(0.01 * np.sin(7 * xs)), form="m1", interval=None)
        >>> r.information_criterion("aicc") - r.information_criterion("aic")  # 2*2*3/7
        1.714285...
        """
        m, p = self.x.size, self.form.n_params
        S = max(float(np.sum(self.residuals**2)), 1e-300)
        if kind not in ("aic", "aicc", "bic"):
            raise ValueError(f"kind must be 'aic', 'aicc' or 'bic', got {kind!r}")
        if kind == "aicc" and m <= p + 1:
            return math.inf
        extra = 2.0 * p * (p + 1) / (m - p - 1) if kind == "aicc" else 0.0
        return m * math.log(S / m) + (math.log(m) if kind == "bic" else 2.0) * p + extra

    # -- prediction ------------------------------------------------------------------
    def predict(self, x, level: float = 0.95, method: str = "auto") -> Prediction:
        """``y_hat(x)`` of the best fit, as an array carrying its ``level`` band (``.lo``, ``.hi``).

        The band is :meth:`predict_interval`'s with ``method`` (``"auto"``: :attr:`interval`).
        """
        yhat, lo, hi = self.predict_interval(x, level, method)
        return Prediction(x, yhat, lo, hi, level, self._method(method))

    def _method(self, method: str) -> str:
        if method != "auto":
            return method
        if self.interval is not None:
            return self.interval
        return ("bootstrap" if self.boot_theta is not None else "backtest" if self.backtest_errors is not None
                else "calibrated" if self.drift is not None else "delta")

    def predict_interval(self, x, level: float = 0.95, method: str = "auto"):
        """Prediction ``(y_hat, lo, hi)`` at ``x`` with a ``level`` prediction interval.

        ``method="bootstrap"`` uses :attr:`boot_theta` (run :meth:`bootstrap` first):
        percentiles of replicate curves plus a resampled training residual (so the
        interval covers a new *observation*, not only the mean curve). ``"delta"``:
        :math:`\\log\\hat y \\pm z\\sqrt{g^\\top\\Sigma g + s^2}` with ``g`` the Jacobian row.
        ``"calibrated"``: delta plus the extrapolation drift of :meth:`calibrate`,
        :math:`\\kappa^2 \\max(0, \\ln x - \\ln x_{max})^2` under the root.
        ``"backtest"``: rolling-origin conformal band of :meth:`backtest`; with
        :math:`D = \\max(0, \\ln x - \\ln x_{max})` the half-width in log units is
        :math:`\\max(h_\\delta(x),\\, q D)`, :math:`h_\\delta` the delta half-width and :math:`q`
        the conformal ``level`` quantile of the backtest scores :math:`|e_j|/\\delta_j`.
        ``"auto"``: :attr:`interval` when set (by :func:`fit`), else bootstrap when replicates
        exist, else backtest when :attr:`backtest_errors` exist, else calibrated when
        :attr:`drift` is set, else delta. Intervals are NaN when the fit has no residual
        degrees of freedom.
        """
        if not 0 < level < 1:
            raise ValueError(f"level must satisfy 0 < level < 1, got {level}")
        x = np.asarray(x, float)
        ly = self.form.log_predict(self.theta, x)
        method = self._method(method)
        if method == "bootstrap":
            if self.boot_theta is None:
                raise ValueError("method='bootstrap' needs FitResult.bootstrap() to be run first")
            rng = np.random.default_rng(0)
            curves = self.form.log_predict(self.boot_theta, x)
            noise = rng.choice(self.residuals, size=curves.shape) * math.sqrt(self.x.size / max(self.dof, 1))
            q = np.nanpercentile(curves + noise, [50 * (1 - level), 50 * (1 + level)], axis=0)
            return np.exp(ly), np.exp(q[0]), np.exp(q[1])
        if method not in ("delta", "calibrated", "backtest"):
            raise ValueError(f"method must be 'auto', 'delta', 'calibrated', 'backtest' or 'bootstrap', got {method!r}")
        if method == "calibrated" and self.drift is None:
            raise ValueError("method='calibrated' needs FitResult.calibrate() to be run first")
        if method == "backtest" and self.backtest_errors is None:
            raise ValueError("method='backtest' needs FitResult.backtest() to be run first")
        if self.cov is None:
            nan = np.full_like(ly, np.nan)
            return np.exp(ly), nan, nan
        g = self.form.jacobian(self.theta, x)
        var = np.einsum("mi,ij,mj->m", g, self.cov, g) + self.sigma**2
        if method == "calibrated":
            var = var + (self.drift * np.maximum(0.0, np.log(x) - np.log(self.x.max()))) ** 2
        from scipy.stats import norm

        half = norm.ppf(0.5 + level / 2) * np.sqrt(np.clip(var, 0, None))
        if method == "backtest":
            half = np.maximum(half, self.backtest_quantile(level) * np.maximum(0.0, np.log(x) - np.log(self.x.max())))
        return np.exp(ly), np.exp(ly - half), np.exp(ly + half)

    def backtest_quantile(self, level: float = 0.95) -> float:
        """Conformal ``level`` quantile :math:`q` of the backtest scores :math:`s_j = |e_j|/\\delta_j`.

        Split-conformal rule: the :math:`\\lceil (n+1)\\,\\mathrm{level}\\rceil`-th smallest of the
        :math:`n` scores; when that rank exceeds :math:`n` (fewer than about
        ``1/(1-level)`` scores) the largest score is used, so the band is then narrower
        than the conformal guarantee asks (a note is added by :meth:`backtest`).
        """
        if self.backtest_errors is None:
            raise ValueError("backtest_quantile needs FitResult.backtest() to be run first")
        if not 0 < level < 1:
            raise ValueError(f"level must satisfy 0 < level < 1, got {level}")
        delta, err = self.backtest_errors[:, 0], self.backtest_errors[:, 1]
        scores = np.sort(np.abs(err) / delta)
        rank = min(int(math.ceil((scores.size + 1) * level)), scores.size)
        return float(scores[rank - 1])

    def bootstrap(self, n_boot: int = 200, seed: int = 0, progress: bool = False) -> "FitResult":
        """Residual bootstrap in log space: ``n_boot`` refits warm-started at :attr:`theta`.

        Replicate data are ``exp(log y_hat + r*)`` with ``r*`` drawn with replacement from
        the training residuals inflated by ``sqrt(m/(m-p))``. Seeded by ``seed``
        (``numpy.random.default_rng``). Stores and returns ``self`` with :attr:`boot_theta`.
        """
        if check_count("bootstrap", n_boot, "n_boot") < 2:
            raise ValueError(f"n_boot must be >= 2, got {n_boot}")
        from tqdm.auto import tqdm

        rng = np.random.default_rng(seed)
        x, y, w = self._data()
        sw = np.ones(x.size) if w is None else np.sqrt(w)  # bin means: residuals standardised by sqrt(count)
        ly_fit = self.form.log_predict(self.theta, x)
        r = sw * (ly_fit - np.log(y)) * math.sqrt(x.size / max(x.size - self.form.n_params, 1))
        thetas = []
        for _ in tqdm(range(n_boot), disable=not progress, desc="bootstrap"):
            ly_b = ly_fit + rng.choice(r, size=r.size) / sw
            lo, hi = self.form.bounds(x, np.exp(ly_b))
            sol = _refine(self.form, self.theta, x, ly_b, lo, hi, tol=1e-10, max_nfev=500, space=self.space, w=w)
            thetas.append(sol.x)
        self.boot_theta = np.array(thetas)
        return self

    def calibrate(self, holdout: float = 0.25) -> "FitResult":
        """Estimate the extrapolation drift :math:`\\kappa` by a backtest inside the training range.

        The same form is refitted on the first ``1 - holdout`` of the points; on the last
        ones, at log-distances :math:`\\delta_j = \\ln x_j - \\ln x_{cut}` beyond the backtest's
        last point, its log errors :math:`e_j` give
        :math:`\\kappa^2 = \\mathrm{mean}_j \\max(e_j^2 - s^2, 0)/\\delta_j^2` (error variance
        growing linearly in log-distance, our model). On the Revisiting IC curves this
        raised the held-out coverage of the 95% band from 0.53 to about 0.83.
        Stores :attr:`drift` and returns ``self``.
        """
        if not 0 < holdout < 1:
            raise ValueError(f"holdout must satisfy 0 < holdout < 1, got {holdout}")
        x, y, w = self._data()
        m = x.size
        k = max(2, int(round(holdout * m)))
        if m - k < self.form.n_params:
            raise ValueError(f"calibrate needs {self.form.n_params} points before the last {k}; got {m}")
        back = _fit_form(self.form, x[: m - k], y[: m - k], max(self.n_starts, 1), space=self.space,
                         w=None if w is None else w[: m - k])
        e = back.form.log_predict(back.theta, x[m - k:]) - np.log(y[m - k:])
        delta = np.log(x[m - k:]) - np.log(x[m - k - 1])
        s2 = back.sigma**2 if np.isfinite(back.sigma) else 0.0
        self.drift = float(np.sqrt(np.mean(np.maximum(e**2 - s2, 0.0) / delta**2)))
        return self

    def backtest(self, n_origins: int = 8, start: float = 0.5, n_starts: int = 0, warm: bool = True,
                 progress: bool = False) -> "FitResult":
        """Rolling-origin backtest of the extrapolation error, for ``method="backtest"`` bands.

        Origins: ``n_origins`` prefix lengths :math:`k` evenly spaced (rounded, distinct)
        from :math:`\\max(\\lceil \\mathrm{start}\\cdot m\\rceil, p + 1)` to :math:`m - 1`
        (:math:`m` training points, :math:`p` parameters). For each, the same form is refitted
        on the first :math:`k` points, started from this fit's parameters (``warm``, issue 16:
        one local refinement per origin, :data:`BAND_REFIT`, instead of a multi-start search) plus ``n_starts``
        grid starts of :func:`fit` (deterministic: no random numbers are drawn; the band
        chosen in issue 7 used 3 cold starts and no warm start, ``warm=False, n_starts=3``,
        see ``derivations/bnsl.py`` for the coverage of both), and every later training point
        :math:`x_j` gives a log error :math:`e_j = \\log\\hat y_k(x_j) - \\log y_j` at the
        extrapolation distance :math:`\\delta_j = \\ln x_j - \\ln x_{k}` beyond the prefix
        (pairs with :math:`\\delta_j = 0`, repeated x, are skipped). Only training points
        are used: the band never sees held-out data.

        The band (:meth:`predict_interval`) assumes the error grows linearly in the
        log-distance, :math:`|e| \\approx s\\,\\delta` with a curve-specific, non-Gaussian
        :math:`s`, and scales the conformal quantile of :math:`|e_j|/\\delta_j`
        (:meth:`backtest_quantile`) to the requested distance. This rule (linear growth,
        per-pair scores, max with the delta band) was chosen among 36 variants on the
        even-index IC curves of the Revisiting benchmark; see ``derivations/bnsl.py`` for
        the held-out coverage on the other curves. Stores :attr:`backtest_errors`
        (columns :math:`\\delta_j, e_j, k`) and returns ``self``.
        """
        n_origins, n_starts = check_count("origins", n_origins, "n_origins"), check_count("n_starts", n_starts)
        if n_origins < 1 or (n_starts == 0 and not warm):
            raise ValueError(f"backtest needs n_origins >= 1 and a start (warm=True or n_starts >= 1), got "
                             f"n_origins={n_origins}, n_starts={n_starts}, warm={warm}")
        if not 0 < start < 1:
            raise ValueError(f"start must satisfy 0 < start < 1, got {start}")
        from tqdm.auto import tqdm

        x, y, w = self._data()
        m, p = x.size, self.form.n_params
        k_min = max(int(math.ceil(start * m)), p + 1)
        if k_min > m - 1:
            raise ValueError(f"backtest needs more than {p + 1} training points (p + 1 to fit a prefix, "
                             f"one to predict); got {m}")
        origins = np.unique(np.round(np.linspace(k_min, m - 1, n_origins)).astype(int))
        lx, rows = np.log(x), []
        for k in tqdm(origins, disable=not progress, desc="backtest"):
            try:
                back = _fit_form(self.form, x[:k], y[:k], n_starts, space=self.space, w=None if w is None else w[:k],
                                 warm=self.theta if warm else None, **(BAND_REFIT if warm else {}))
            except RuntimeError:  # no finite start on this prefix: the origin contributes nothing
                continue
            delta = lx[k:] - lx[k - 1]
            err = back.form.log_predict(back.theta, x[k:]) - np.log(y[k:])
            ok = (delta > 0) & np.isfinite(err)
            rows.append(np.column_stack([delta[ok], err[ok], np.full(ok.sum(), k)]))
        errors = np.concatenate(rows) if rows else np.empty((0, 3))
        if errors.shape[0] == 0:
            raise RuntimeError("backtest: no prefix fit gave a finite prediction")
        self.backtest_errors = errors
        note = (f"backtest band from only {errors.shape[0]} errors: its 95% quantile is their maximum "
                "(below the conformal guarantee)")
        if errors.shape[0] + 1 < 1 / (1 - 0.95) and note not in self.notes:
            self.notes.append(note)
        return self

    def horizon(self, slope_change: float = 1.0, sharpness: float | None = None, level: float = 0.95,
                noise: float | None = None):
        """Limit of predictability of this BNSL fit: beyond which x a further break (slope change ``slope_change``,
        sharpness ``sharpness``) cannot be located, and beyond which x the extrapolation is not identified
        (:func:`scalingtheory.numerics.horizon.horizon`, which states the method).

        >>> xs = np.logspace(1, 3, 30)
        >>> h = fit(xs, 0.1 + 3 * xs**-0.4, breaks=0, interval=None).horizon(noise=1e-3, sharpness=0.3)
        >>> round(float(np.log10(h.break_horizon / h.x_max)), 2)  # decades beyond the last point
        0.54
        """
        from .horizon import horizon

        return horizon(self, slope_change, sharpness, level, noise)

    # -- output ----------------------------------------------------------------------
    def latex(self, digits: int = 4) -> str:
        return self.form.latex(self.theta, digits)

    def extrapolation_note(self, x, level: float = 0.95) -> str | None:
        """A note when the ``level`` band at some ``x`` spans more than :data:`UNIDENTIFIED_DECADES` decades.

        Such a band says the data do not determine the extrapolation there (the note is
        added to :attr:`notes` once and returned; ``None`` when every band is narrower).
        """
        xs = np.atleast_1d(np.asarray(x, float))
        if xs.size == 0:
            return None
        _, lo, hi = self.predict_interval(xs, level)
        with np.errstate(all="ignore"):
            span = np.log10(hi) - np.log10(lo)
        wide = ~(span <= UNIDENTIFIED_DECADES)  # NaN (no band) counts as unidentified too
        if not wide.any():
            return None
        first = float(xs[wide].min())
        worst = float(np.nanmax(span)) if np.isfinite(span).any() else float("nan")
        note = (f"extrapolation not identified by the data at x >= {first:.4g}: the {level:.0%} band spans "
                + (f"{worst:.1f} decades" if math.isfinite(worst) else "an undefined range") + " there")
        if note not in self.notes:
            self.notes.append(note)
        return note

    def selection_line(self) -> str:
        """``number of breaks chosen by <criterion>: n=0: ..., n=1: ...`` (empty without selection)."""
        if not self.selection:
            return ""
        scores = ", ".join(f"n={k}: {v:.5g}" for k, v in self.selection.items())
        return f"number of breaks by {CRITERION_TEXT.get(self.criterion, self.criterion)}, lower is better: {scores}"

    def report(self) -> str:
        """One-screen plain-text report: fit statistics, parameters (+/- s.e., at-bound flags), band, notes."""
        interval = self._method("auto")
        lines = [f"[[Fit]] form {self.form.name}: {self.form.title}",
                 f"    points {self.x.size} ({self.names[0]} from {self.x.min():.4g} to {self.x.max():.4g}), "
                 f"parameters {self.form.n_params}, starts {self.n_starts}, function evaluations {self.nfev}",
                 f"    RMSLE(train) {self.rmsle_train:.6g}, residual scale {self.sigma:.4g} (log units)",
                 f"    interval method: {INTERVAL_TEXT.get(interval, interval)}",
                 "[[Parameters]]"]
        err = self.stderr
        for k, v in self.params.items():
            flag = f"  [at {self.pinned[k][0]} bound]" if k in self.pinned else ""
            lines.append(f"    {k:8s} = {v: .8g}  +/- {err[k]:.3g}{flag}")
        if self.selection:
            lines.append("[[Number of breaks]] " + self.selection_line())
        for note in self.notes:
            lines.append(f"    note: {note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        pinned = f"; at a bound: {', '.join(self.pinned)}" if self.pinned else ""
        return (f"FitResult({self.form.name}: {params}; RMSLE(train)={self.rmsle_train:.3g}, "
                f"{self.x.size} points{pinned})")

    def _repr_html_(self) -> str:
        err = self.stderr
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{v:.6g}</td><td>{err[k]:.3g}</td>"
                       f"<td>{html.escape(self.pinned[k][0] + ' bound') if k in self.pinned else ''}</td></tr>"
                       for k, v in self.params.items())
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<b>{html.escape(self.form.title)}</b> ({html.escape(self.form.name)}), {self.x.size} points, "
                f"RMSLE(train) {self.rmsle_train:.4g}, band: {html.escape(self._method('auto'))}"
                f"<table><tr><th>parameter</th><th>value</th><th>s.e.</th><th>pinned</th></tr>{rows}</table>"
                + (f"<ul>{notes}</ul>" if notes else ""))

    def to_json(self, predict_x=(), level: float = 0.95) -> dict:
        """The CLI contract: ``{"form", "params", "predict": [{"x","y","lo","hi"}], "rmsle_train", "pinned",
        "interval", "notes", ...}`` (strict JSON: non-finite numbers are ``null``)."""
        px = np.asarray(list(predict_x), float)
        rows = self.predict(px, level).to_json() if px.size else []
        if px.size:
            self.extrapolation_note(px, level)
        family = "bnsl" if isinstance(self.form, BNSL) else self.form.name
        extra = {"breaks": self.form.n} if isinstance(self.form, BNSL) else {}
        if self.selection:
            extra["selection"] = {"criterion": self.criterion, "text": CRITERION_TEXT.get(self.criterion, ""),
                                  "scores": {str(k): _finite(v) for k, v in self.selection.items()}}
        return {"form": family, **extra, "params": self.params, "predict": rows,
                "rmsle_train": self.rmsle_train, "stderr": {k: _finite(v) for k, v in self.stderr.items()},
                "pinned": {k: {"bound": side, "value": v} for k, (side, v) in self.pinned.items()},
                "interval": self._method("auto"), "notes": list(self.notes)}

    def plot(self, ax=None, path=None, x_test=None, y_test=None, x_max=None, level: float = 0.95):
        """Data, fit and ``level`` band on log-log axes, drawn into ``ax``; returns the Axes.

        Without ``ax``: a new pyplot figure (shown inline in Jupyter), or, when ``path`` is
        given, a standalone figure written to ``path`` (PNG). Axis labels are :attr:`names`.
        Drawn by :func:`scalingtheory.plots.fit.fit_curve`.
        """
        from ..plots.fit import fit_curve

        return fit_curve(self, ax, path=path, x_test=x_test, y_test=y_test, x_max=x_max, level=level)


def _finite(v):
    v = float(v)
    return v if math.isfinite(v) else None


#: A band wider than this many decades (hi/lo > 10**2) means the extrapolation is not identified.
UNIDENTIFIED_DECADES = 2.0
INTERVALS = ("backtest", "delta", "calibrated", "bootstrap")
#: What each band method is (printed in reports).
INTERVAL_TEXT = {
    "backtest": "backtest (rolling-origin conformal band from refits on prefixes of the fitting points)",
    "delta": "delta method (parameter covariance and residual scale; ignores misspecification)",
    "calibrated": "calibrated (delta method widened by the drift of a backtest on the last 25% of the points)",
    "bootstrap": "residual bootstrap (percentiles of refits on resampled log residuals)",
}


def _column_names(x, y, names):
    """Labels of x and y: ``names`` if given, else a pandas Series' ``.name``, else ``("x", "y")``."""
    if names is not None:
        return tuple(map(str, names))
    return tuple(str(getattr(v, "name", None) or d) for v, d in ((x, "x"), (y, "y")))


def fit(x, y, form="bnsl", breaks: int | str = "auto", n_starts: int = 6, up_bound: float | None = None,
        criterion: str = DEFAULT_CRITERION, max_breaks: int = DEFAULT_MAX_BREAKS, space: str = "log", names=None,
        interval: str | None = "backtest", n_boot: int = 200, seed: int = 0, origins: int = 8,
        break_margin: float | None = None) -> FitResult:
    r"""Fit a learning-curve form to ``(x, y)`` by bounded log-space least squares (``st.fit``).

    ``x, y``: arrays, lists or a DataFrame's columns (their names label plots and reports,
    or give ``names=(x_label, y_label)``). ``y`` is a lower-is-better quantity > 0 (loss,
    error rate); for a higher-is-better score such as accuracy fit ``1 - accuracy``.

    ``form``: a name of :data:`~scalingtheory.numerics.forms.FORM_NAMES` or a
    :class:`~scalingtheory.numerics.forms.Form`. ``breaks``: number of BNSL breaks, or
    ``"auto"`` (default; :func:`select_breaks` with ``criterion`` and ``max_breaks``;
    ignored for the other forms). ``up_bound`` caps M4's :math:`\varepsilon_0`.
    ``space="log1p"`` fits :math:`\log(1+y)` residuals like the released BNSL script
    (default ``"log"``, the metric); covariances and bands always use the log-space
    Jacobian and residuals. ``interval``: the band of :meth:`FitResult.predict`, one of
    :data:`INTERVALS` (``"backtest"`` falls back to ``"delta"`` with a note when there are
    too few points, ``origins`` backtest origins; ``"bootstrap"`` uses ``n_boot`` replicates
    seeded by ``seed``) or
    ``None`` (no band work now; the delta band on request). ``break_margin`` (decades, BNSL only): let breaks
    lie up to that far beyond (and below) the data, instead of the default rule that keeps at least two
    fitting points beyond every break (:meth:`~scalingtheory.numerics.forms.BNSL.break_range`). It trades
    robustness for reach: a break the data announce by their curvature can be extrapolated (the noiseless
    4-digit-addition simulation cut at x = 405: RMSLE 3e-10 with a margin of 1 decade, 1.4 by default), but
    on real curves a break beyond the data fitted to noise decides the extrapolation (Revisiting BB, one
    break: RMSLE 0.0171 with a 1-decade margin vs 0.0092); :meth:`FitResult.horizon` says how far the
    data can locate one. ``derivations/bnsl.py`` sections 8.1 and 9.

    Raises ``ValueError`` when the data are invalid (:func:`prepare_data`, whose messages
    name the columns) or have fewer points than parameters, and ``RuntimeError`` when no
    start gives a finite objective.

    >>> import numpy as np
    >>> x = np.logspace(1, 4, 30)
    >>> r = fit(x, 0.2 + 5 * x**-0.5 * (1 + (x / 300) ** 2) ** -0.25)
    >>> r.form.name, r.criterion, r.interval
    ('bnsl1', 'bic-one', 'backtest')
    """
    if interval is not None and interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)} or None, got {interval!r}")
    _check_knobs(breaks, n_starts, max_breaks, n_boot, origins)
    bnsl = isinstance(form, BNSL) or str(form).lower() == "bnsl"
    _check_margin(break_margin, bnsl and not isinstance(form, Form))
    names = _column_names(x, y, names)
    x, y, notes = prepare_data(x, y, *names)
    if breaks == "auto" and bnsl and not isinstance(form, Form):
        res = select_breaks(x, y, max_breaks=max_breaks, criterion=criterion, n_starts=n_starts, space=space,
                            break_margin=break_margin)
    else:
        if not isinstance(form, Form):
            form = get_form(form, breaks=1 if breaks == "auto" else breaks, up_bound=up_bound)
            form = BNSL(form.n, d_margin=break_margin) if isinstance(form, BNSL) else form
        res = _fit_points(form, x, y, n_starts, space)
    res.notes = notes + [n for n in res.notes if n not in notes]
    res.names = names
    return _add_band(res, interval, n_boot, seed, origins)


def _check_knobs(breaks, n_starts, max_breaks, n_boot, origins) -> None:
    """Every work knob of :func:`fit` within :data:`scalingtheory.limits.LIMITS`, checked before any work
    (``breaks=10**9`` built a 5.8 GB start grid, ``n_boot=10**9`` never ended)."""
    if not (isinstance(breaks, str) and breaks == "auto"):
        check_count("breaks", breaks)
    check_count("n_starts", n_starts)
    check_count("max_breaks", max_breaks)
    check_count("bootstrap", n_boot, "n_boot")
    check_count("origins", origins)


def _check_margin(break_margin, named_bnsl: bool) -> None:
    """``break_margin`` is ``None`` or a number of decades in ``[0, MAX_BREAK_MARGIN]``, given with ``form="bnsl"``
    (a :class:`~scalingtheory.numerics.forms.BNSL` instance carries its own ``d_margin``)."""
    if break_margin is None:
        return
    if not named_bnsl:
        raise ValueError("break_margin applies to form='bnsl' (give a BNSL form its own d_margin)")
    if not (isinstance(break_margin, (int, float)) and not isinstance(break_margin, bool)
            and 0 <= break_margin <= MAX_BREAK_MARGIN):
        raise ValueError(f"break_margin must be a number of decades from 0 to {MAX_BREAK_MARGIN:g}, got "
                         f"{str(break_margin)[:40]}")


def _add_band(res: FitResult, interval, n_boot: int, seed: int, origins: int) -> FitResult:
    """Run the work behind ``interval`` and record the method (backtest falls back to delta with a note)."""
    if interval == "backtest":
        try:
            res.backtest(origins)
        except (ValueError, RuntimeError) as exc:
            res.notes.append(f"no backtest band ({exc}); delta-method band")
            interval = "delta"
    elif interval == "calibrated":
        res.calibrate()
    elif interval == "bootstrap":
        res.bootstrap(n_boot, seed=seed)
    res.interval = interval
    return res


#: Evaluations per parameter of the final polish of the best start (the noiseless simulation of the
#: released scripts needs ~300 to reach an extrapolation RMSLE below 1e-6 from a 30-evaluation start),
#: counted for at most :data:`POLISH_PARAMS` parameters: 2 and 3 breaks get a one-break polish budget
#: (on 8 slow IC curves their BICs moved by < 0.5 and the polish CPU halved).
POLISH_BUDGET = 300
POLISH_PARAMS = 6

#: The start grid is ranked on at most this many points (evenly spaced in the sorted data), so its
#: memory (candidates x points x coefficients) stays bounded for long curves; refinements use all points.
GRID_POINTS = 256


def _pinned(form: Form, theta, lo, hi) -> dict:
    """Parameters at (within 1e-9 relative of) a bound: ``{paper name: ("lower"|"upper", bound value)}``."""
    out = {}
    for t, p, v, l, h in zip(form.theta_names, form.param_names, theta, lo, hi):
        for side, bound in (("lower", l), ("upper", h)):
            if np.isfinite(bound) and abs(v - bound) <= 1e-9 * max(1.0, abs(bound)):
                out[p] = (side, float(np.exp(bound)) if t.startswith("ln_") else float(bound))
    return out


def pinned_note(pinned: dict) -> str:
    """The note for parameters at a bound (their standard errors are conditional on them)."""
    parts = [f"{p} = {v:.4g} ({side} bound{': no floor' if p == 'a' and v == 0 else ''})"
             for p, (side, v) in pinned.items()]
    return "parameters pinned at a bound (standard errors conditional on them): " + ", ".join(parts)


#: Racing of the starts in :func:`_fit_form` for forms of more than ``min_params`` parameters (BNSL with 2 or 3
#: breaks, whose refinements creep along ridges to their budget): every start is refined for ``budget``
#: evaluations per parameter, then only the ``keep`` lowest continue to the full budget (successive halving).
#: On the 26 two- and three-break fits of the 13 slowest Revisiting curves (6 starts): keep 4 used 71% of the
#: evaluations and moved no fit's best cost by more than 1.5 in BIC units (m ln of the cost ratio); keep 3 used
#: 57% but lost the best 3-break basin of two curves (7.5 and 12.4); for one break it lost the best basin of an
#: 11-point LM curve, so fits of up to 6 parameters keep every start to the full budget.
RACE = {"budget": 5, "keep": 4, "min_params": 6}


def _race(form: Form, starts, x, ly, lo, hi, budget: int, space: str, w):
    """Best least-squares solution from ``starts`` and the evaluations used: :data:`RACE` legs, tolerance 1e-10."""
    p = form.n_params

    def leg(theta, evals):
        return _refine(form, theta, x, ly, lo, hi, tol=1e-10, space=space, max_nfev=max(evals, 1) * p, w=w)

    raced = len(starts) > RACE["keep"] and p > RACE["min_params"]
    first = min(RACE["budget"], budget) if raced else budget
    sols = [leg(s, first) for s in starts]
    nfev = sum(s.nfev for s in sols)
    if first < budget:
        for i in np.argsort([s.cost for s in sols])[: RACE["keep"]]:
            if sols[i].status == 0:  # stopped by the budget, not by a tolerance: continue it
                more = leg(sols[i].x, budget - first)
                nfev += more.nfev
                sols[i] = more if more.cost <= sols[i].cost else sols[i]
    return min(sols, key=lambda s: s.cost), nfev


def _fit_form(form: Form, x, y, n_starts, notes=(), space="log", warm=None, budget: int = 30,
              polish: bool = True, w=None) -> FitResult:
    """Multi-start bounded least squares of ``form``: ``n_starts`` grid starts, plus ``warm`` if given.

    Each start gets ``budget`` function evaluations per parameter (30: on the first 12 IC curves
    the 2-break optimum is the one of a 100-evaluation budget to 0.2% in cost, at 2-3x less
    CPU; for more than 6 parameters only the best 4 after 5 per parameter, :data:`RACE`); the best is polished (tolerance 1e-15, :data:`POLISH_BUDGET` evaluations per parameter, at most
    :data:`POLISH_PARAMS` of them) unless
    ``polish`` is false. ``w``: weights of the points (bin counts of :func:`bin_means`; default 1).
    """
    if space not in SPACES:
        raise ValueError(f"space must be one of {', '.join(SPACES)}, got {space!r}")
    if x.size < form.n_params:
        raise ValueError(f"form {form.name} has {form.n_params} parameters but only {x.size} points were given")
    ly = np.log(y)
    lo, hi = form.bounds(x, y)
    starts = [] if warm is None else [np.clip(warm, lo, hi)]
    if n_starts > 0:
        sub = np.unique(np.round(np.linspace(0, x.size - 1, min(x.size, GRID_POINTS))).astype(int))
        cands = np.clip(form.candidates(x[sub], y[sub]), lo, hi)
        with np.errstate(all="ignore"):
            obj = np.sum((1.0 if w is None else w[sub]) * (form.log_predict(cands, x[sub]) - ly[sub]) ** 2, axis=-1)
        obj = np.where(np.isfinite(obj) & np.all(np.isfinite(cands), axis=1), obj, np.inf)
        starts += [cands[i] for i in _distinct_best(cands, obj, lo, hi, n_starts)]
    if not starts:
        raise RuntimeError(f"form {form.name}: no starting point gives a finite objective")
    best, nfev = _race(form, starts, x, ly, lo, hi, budget, space, w)
    if polish:
        best_polished = _refine(form, best.x, x, ly, lo, hi, tol=1e-15, space=space,
                                max_nfev=POLISH_BUDGET * min(form.n_params, POLISH_PARAMS), w=w)
        nfev += best_polished.nfev
        if best_polished.cost <= best.cost:
            best = best_polished
    notes = list(notes)
    pinned = _pinned(form, best.x, lo, hi)
    if pinned:
        notes.append(pinned_note(pinned))
    cov = None
    m, p = x.size, form.n_params
    sw = np.ones(m) if w is None else np.sqrt(w)
    if m > p:
        J = sw[:, None] * form.jacobian(best.x, x)
        J = np.where(np.isfinite(J), J, 0.0)
        free = np.array([n not in pinned for n in form.param_names])
        cov = np.zeros((p, p))
        s2 = np.sum((sw * (form.log_predict(best.x, x) - ly)) ** 2) / (np.sum(sw**2) - p)
        Jf = J[:, free]
        cov[np.ix_(free, free)] = s2 * np.linalg.pinv(Jf.T @ Jf, rcond=1e-12)
    else:
        notes.append("no residual degrees of freedom: no covariance or prediction band")
    return FitResult(form=form, theta=best.x, x=x, y=y, cost=float(best.cost), cov=cov, notes=notes,
                     n_starts=len(starts), nfev=nfev, pinned=pinned, space=space, weights=w)


#: Budget of a warm-started refit (a long curve's refinement on all its points from the optimum on its bin
#: means): 30 evaluations per parameter, no polish.
WARM_REFIT = {"budget": 30, "polish": False}

#: Budget of a backtest origin's refit from the full fit (issue 16 item 5): 15 evaluations per parameter, no
#: polish. On all 92 Revisiting curves (before the segment rule) the held-out coverage of the default band was IC
#: 0.941 against 0.945 with 30 (13 curves changed), NMT 1.00, LM 0.983 and BB 0.904 as with 30, at half the band's
#: CPU (``derivations/bnsl.py`` section 8.4).
BAND_REFIT = {"budget": 15, "polish": False}

#: Curves with more points are fitted on their :func:`bin_means` first, then refined on all points.
MAX_POINTS = 1000


def bin_means(x, y, n_bins: int = MAX_POINTS):
    r"""Means of a sorted curve in ``n_bins`` equal-width bins of :math:`\ln x`: ``(x_b, y_b, counts)``.

    :math:`x_b = \exp\overline{\ln x}` and :math:`y_b = \exp\overline{\ln y}` over each non-empty bin.
    The weighted sum :math:`\sum_b n_b(\log\hat y(x_b) - \log y_b)^2` is the points' :math:`S` minus
    the within-bin scatter (a constant) up to the curvature of :math:`\log\hat y` across one bin
    (width: the log-range over ``n_bins``), so both have the same optimum to that order.

    >>> xb, yb, n = bin_means(np.arange(1.0, 101.0), np.full(100, 2.0), 4)
    >>> n.astype(int).tolist(), yb.tolist()  # 1-3, 4-9, 10-31, 32-100 (edges 10**0.5, 10, 10**1.5)
    ([3, 6, 22, 69], [2.0, 2.0, 2.0, 2.0])
    """
    lx, ly = np.log(x), np.log(y)
    edges = np.linspace(lx[0], lx[-1], n_bins + 1)
    idx = np.clip(np.searchsorted(edges, lx, side="right") - 1, 0, n_bins - 1)
    counts = np.bincount(idx, minlength=n_bins)
    keep = counts > 0
    sums = np.bincount(idx, lx, n_bins)[keep], np.bincount(idx, ly, n_bins)[keep]
    return np.exp(sums[0] / counts[keep]), np.exp(sums[1] / counts[keep]), counts[keep].astype(float)


def _fit_points(form: Form, x, y, n_starts: int, space: str = "log", **kw) -> FitResult:
    """:func:`_fit_form` on the points (``kw``: its ``warm``, ``polish``); a curve longer than :data:`MAX_POINTS`
    is fitted on its bin means (weighted by their counts), then refined on all points from there (:data:`WARM_REFIT`)."""
    if x.size <= MAX_POINTS:
        return _fit_form(form, x, y, n_starts, space=space, **kw)
    bins = bin_means(x, y)
    coarse = _fit_form(form, bins[0], bins[1], n_starts, space=space, w=bins[2], **kw)
    res = _fit_form(form, x, y, 0, space=space, warm=coarse.theta, **WARM_REFIT)
    res.bins = bins
    res.notes.append(f"{x.size} points: fitted on {bins[0].size} bin means (equal bins in ln x weighted by their "
                     "counts), then refined on all points; the band's refits use the bin means")
    return res


#: BIC drop needed for each step away from one break: Kass & Raftery's boundary of "positive" evidence
#: (1995, JASA 90:773, Sec. 3.2: 2-6 positive, 6-10 strong, > 10 very strong), i.e. a Bayes factor above e.
#: Fixed from that scale, not fitted to a benchmark (derivations/bnsl.py section 8.3 shows 0, 6, 10 beside it).
BIC_EVIDENCE = 2.0


def prefix_score(form: Form, x, y, origins, n_starts: int = 3, space: str = "log") -> float:
    """Extrapolation score inside the training range: RMSLE of prefix fits on the points after them.

    For each prefix length ``k`` in ``origins`` the ``form`` is fitted (cold multi-start,
    ``n_starts``) on the first ``k`` points and its log errors on points ``k..m-1`` are
    pooled; the score is the root mean square of all pooled errors (``inf`` when no
    prefix can be fitted). ``origins=[m - h]`` is the single holdout of
    ``criterion="validation"``; several origins give ``criterion="backtest"``.
    """
    errs = []
    for k in origins:
        if k < form.n_params + 2 or k >= x.size:
            continue
        try:
            res = _fit_points(form, x[:k], y[:k], n_starts, space)
        except RuntimeError:
            continue
        errs.append(form.log_predict(res.theta, x[k:]) - np.log(y[k:]))
    if not errs:
        return float("inf")
    e = np.concatenate(errs)
    return float(np.sqrt(np.mean(e**2))) if np.all(np.isfinite(e)) else float("inf")


def selection_origins(m: int, criterion: str, holdout: float = 0.25) -> list[int]:
    """Prefix lengths used by ``criterion``: ``[m - round(holdout m)]`` or four from 0.6 m to 0.9 m."""
    if criterion == "validation":
        return [m - max(1, int(round(holdout * m)))]
    return sorted({int(round(q * m)) for q in (0.6, 0.7, 0.8, 0.9)} - {m})


def choose_breaks(scores: dict, criterion: str) -> int:
    """The number of breaks ``criterion`` picks from its ``scores`` ``{n: score}``.

    The lowest finite score; for ``"bic-one"`` (scores are BICs) a forward search from one
    break, the form of the BNSL paper: zero breaks if their BIC is lower than one break's by
    more than :data:`BIC_EVIDENCE`, else add breaks one at a time while each addition lowers
    the BIC by more than :data:`BIC_EVIDENCE` (counts it never reaches need not be scored).

    >>> bics = {0: -10.0, 1: -30.0, 2: -31.0, 3: -40.0}
    >>> choose_breaks(bics, "bic"), choose_breaks(bics, "bic-one"), choose_breaks({0: -10.0, 1: -30.0, 2: -35.0}, "bic-one")
    (3, 1, 2)
    """
    finite = {n: s for n, s in scores.items() if np.isfinite(s)}
    if not finite:
        raise RuntimeError("no number of breaks gave a finite selection score")
    if criterion != "bic-one" or 1 not in finite:
        return min(finite, key=finite.get)
    if 0 in finite and finite[0] < finite[1] - BIC_EVIDENCE:
        return 0
    n = 1
    while n + 1 in finite and finite[n + 1] < finite[n] - BIC_EVIDENCE:
        n += 1
    return n


def unobserved_segment(res: FitResult) -> int | None:
    r"""The first break ``i`` of a BNSL fit followed by fewer than ``d_edge`` distinct fitting x before the next
    break (``None`` when every segment between consecutive breaks holds them, or with fewer than 2 breaks).

    Between the sorted breaks :math:`d_i < d_{i+1}` the log-log slope of :math:`y-a` is
    :math:`-(c_0+\dots+c_i)`; two points observe a slope, and with fewer the segment's slope is carried
    only by the curvature of the two transitions around it: two sharp breaks with no point between them
    act on the data as one (a step, a bump), and their parameters are not identified. This is the rule of
    :meth:`~scalingtheory.numerics.forms.BNSL.break_range` (``d_edge`` = 2 fitting points beyond every
    break) applied to the segments between breaks, which box bounds cannot express: the fits
    :func:`select_breaks` scores are checked after fitting, and a count with such a segment is not eligible.

    >>> xs = np.logspace(0, 3, 16)
    >>> r = fit(xs, xs**-0.5, breaks=2, interval=None)
    >>> r.theta[5:7] = np.log([10.0, 12.0]); unobserved_segment(r)  # no x strictly between d1 = 10 and d2 = 12
    1
    >>> r.theta[5:7] = np.log([12.0, 2.0]); unobserved_segment(r)  # 2 and 12 (sorted): 10**0.4, 10**0.6, 10**0.8 between
    """
    form = res.form
    if not isinstance(form, BNSL) or form.n < 2:
        return None
    lx = np.unique(np.log(res.x))
    d = np.sort(res.theta[3 + form.n:3 + 2 * form.n])
    inside = np.searchsorted(lx, d[1:], "left") - np.searchsorted(lx, d[:-1], "right")
    short = np.flatnonzero(inside < form.d_edge)
    return int(short[0]) + 1 if short.size else None


def scored_fit(n: int, x, y, n_starts: int = 6, space: str = "log", break_margin: float | None = None) -> FitResult:
    """The fit of ``n`` breaks an information criterion scores in :func:`select_breaks`: ``n_starts`` grid
    starts, no polish (3 starts instead of 6 saved 25% CPU but missed a 3-break optimum by 50 in BIC)."""
    return _fit_points(BNSL(n, d_margin=break_margin), x, y, n_starts, space, polish=False)


def polished(res: FitResult, space: str = "log") -> FitResult:
    """``res`` refined and polished by :func:`_fit_form` from its parameters (the chosen count's final fit)."""
    best = _fit_points(res.form, res.x, res.y, 0, space, warm=res.theta)
    best.n_starts, best.nfev = res.n_starts, best.nfev + res.nfev
    return best


def select_breaks(x, y, max_breaks: int = DEFAULT_MAX_BREAKS, criterion: str = DEFAULT_CRITERION,
                  holdout: float = 0.25, n_starts: int = 6, space: str = "log",
                  break_margin: float | None = None) -> FitResult:
    r"""Fit BNSL with the number of breaks ``n in 0..max_breaks`` chosen by ``criterion``.

    ``"bic-one"`` (the default, :data:`DEFAULT_CRITERION`, as in :func:`fit` and the CLI): the BIC
    :math:`m\ln(S/m) + p\ln m` of each count's fit on all points, searched forward from one break:
    zero breaks if their BIC is lower by more than :data:`BIC_EVIDENCE` = 2, else one break more
    while each addition lowers the BIC by more than 2 (:func:`choose_breaks`; counts beyond the
    first step that fails are not fitted; ``derivations/bnsl.py`` section 8.3 measures it).
    ``"aic"``, ``"aicc"``, ``"bic"``: the lowest :meth:`FitResult.information_criterion` on all
    points. For these four, a count whose fit leaves fewer than ``d_edge`` = 2 fitting points
    between two consecutive breaks is not eligible (:func:`unobserved_segment`; a note says so,
    its score is still listed; the forward search cannot step to it). ``"validation"``: fit each
    ``n`` on the first ``1 - holdout`` of the (sorted) training points and score RMSLE on the rest,
    i.e. an extrapolation test inside the training range; ``"backtest"``: the same pooled over four prefixes (0.6 to 0.9 of the points,
    :func:`prefix_score`). Lower is better for every criterion. Only ``n`` with at least 2
    residual degrees of freedom on the smallest prefix are tried; the information criteria score
    each count before the final polish of :func:`_fit_form` (:func:`scored_fit`), which only the
    chosen count gets (:func:`polished`; on 5 slow IC curves the polish moved a BIC by < 1). The
    winner is fitted on all points; the scores are kept in ``FitResult.selection`` and the criterion in
    ``FitResult.criterion``. ``break_margin``: the ``d_margin`` of every :class:`~scalingtheory.numerics.forms.BNSL`
    tried (breaks up to that many decades beyond the data; default ``None``, the ``d_edge`` rule).
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {', '.join(CRITERIA)}, got {criterion!r}")
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must satisfy 0 < holdout < 1, got {holdout}")
    max_breaks, n_starts = check_count("max_breaks", max_breaks), check_count("n_starts", n_starts)
    x, y, notes = prepare_data(x, y)
    m = x.size
    origins = selection_origins(m, criterion, holdout) if criterion in ("validation", "backtest") else [m]
    ns = [n for n in range(int(max_breaks) + 1) if 3 + 3 * n + 2 <= min(origins)]
    if not ns:
        raise ValueError(f"breaks='auto' needs at least 5 fitting points (+3 per break) "
                         + (f"before its last holdout; got {min(origins)} of {m}" if min(origins) < m else f"; got {m}"))
    scores, eligible, fits = {}, {}, {}
    for n in ns:
        if criterion == "bic-one" and n >= 3 and choose_breaks(eligible, criterion) < n - 1:
            break  # the forward search stopped before n - 1: n cannot be chosen
        if criterion in ("validation", "backtest"):
            scores[n] = eligible[n] = prefix_score(BNSL(n, d_margin=break_margin), x, y, origins, n_starts if criterion == "validation" else 3,
                                                   space)
            continue
        fits[n] = scored_fit(n, x, y, n_starts, space, break_margin)
        scores[n] = fits[n].information_criterion(criterion.split("-")[0])
        short = unobserved_segment(fits[n])
        if short is None:
            eligible[n] = scores[n]
        else:
            notes.append(f"{n} breaks not eligible: fewer than {fits[n].form.d_edge} fitting points between "
                         f"breaks {short} and {short + 1} of their fit (the slope between them is not observed)")
    n_best = choose_breaks(eligible, criterion)
    best = (polished(fits[n_best], space) if n_best in fits
            else _fit_points(BNSL(n_best, d_margin=break_margin), x, y, n_starts, space))
    best.selection, best.criterion = scores, criterion
    best.notes = list(notes) + [f"number of breaks {n_best} chosen by {CRITERION_NAME[criterion]} (scores above)"] + best.notes
    return best


CRITERION_NAME = {"validation": "validation RMSLE", "backtest": "backtest RMSLE", "aic": "AIC", "aicc": "AICc",
                  "bic": "BIC", "bic-one": f"BIC, forward from one break in steps lowering it by > {BIC_EVIDENCE:g}"}
#: What each selection score measures (printed beside the scores).
CRITERION_TEXT = {
    "validation": "validation RMSLE (fit on the first 75% of the points, scored on the rest)",
    "backtest": "backtest RMSLE (fits on prefixes of 60-90% of the points, scored on the points after them)",
    "aic": "AIC of the log residuals (m ln(S/m) + 2p)",
    "aicc": "AICc of the log residuals (AIC + 2p(p+1)/(m-p-1))",
    "bic": "BIC of the log residuals (m ln(S/m) + p ln m)",
    "bic-one": "BIC of the log residuals (m ln(S/m) + p ln m); from one break, a break fewer or more only if "
               f"the BIC drops by > {BIC_EVIDENCE:g} (counts not reached are not fitted)",
}


def load_csv(path, x_col: str, y_col: str, delimiter: str | None = None):
    """Columns ``x_col`` and ``y_col`` of a CSV file with a header, read by :func:`scalingtheory.datafile.columns`
    (BOM, CRLF, sniffed delimiters; ``ValueError`` naming the column or row for anything else)."""
    from ..datafile import columns

    cols = columns(path, [x_col, y_col], delimiter)
    return cols[x_col], cols[y_col]


__all__ = ["fit", "select_breaks", "FitResult", "prepare_data", "rmsle", "load_csv"]
