r"""Functional forms of learning curves, evaluated in log space for least-squares fitting.

Every form maps an internal parameter vector ``theta`` and resources ``x > 0`` to
:math:`\log \hat y(x)` (fitting is done on log residuals, the metric of the benchmark
is RMSLE), together with the analytic Jacobian :math:`\partial \log\hat y/\partial\theta`.
Positive scale parameters are carried as logarithms inside ``theta`` (better
conditioned, positivity for free); :meth:`Form.params` maps back to the papers'
named parameters.

Forms
-----
``bnsl``  Broken neural scaling law, Caballero et al. (ICLR 2023) Eq. 1,

.. math:: y = a + b\,x^{-c_0}\prod_{i=1}^{n}\bigl(1+(x/d_i)^{1/f_i}\bigr)^{-c_i f_i},

    evaluated as :math:`\log(y-a) = \log b - c_0\ln x - \sum_i c_i f_i\,
    \operatorname{softplus}((\ln x-\ln d_i)/f_i)` so that sharp breaks (small
    :math:`f_i`) never overflow. ``theta = (a, ln b, c0, c1..cn, ln d1..ln dn, ln f1..ln fn)``.

The four forms of Alabdulmohsin, Neyshabur & Zhai, "Revisiting Neural Scaling Laws in
Language and Vision" (NeurIPS 2022), Eqs. 1-4 of that paper, in its sign convention
(:math:`\varepsilon` is the loss or error, the exponent ``c`` of M1, M2, M4 is negative
for a decreasing curve, that of M3 is non-negative):

``m1``  :math:`\varepsilon = \beta x^{c}` (the pure power law; ``power`` is an alias);
``m2``  :math:`\varepsilon = \varepsilon_\infty + \beta x^{c}`;
``m3``  :math:`\varepsilon = \beta (x^{-1}+\gamma)^{c}`, :math:`\gamma \ge 0, c\ge 0`;
``m4``  :math:`(\varepsilon-\varepsilon_\infty)/(\varepsilon_0-\varepsilon)^{\alpha} = \beta x^{c}`,
        :math:`\alpha\ge 0`, an implicit equation solved for :math:`\varepsilon` in
        :math:`(\varepsilon_\infty, \varepsilon_0)` (unique root, see :meth:`M4.log_predict`).

The estimators are ours, not the released ones: every form is fitted by the same
engine (:mod:`scalingtheory.fitting.curve`), i.e. bounded nonlinear least squares of
:math:`\log\hat y - \log y` started from a vectorised grid in which the parameters
that enter linearly (in :math:`\log(\hat y - \text{floor})`) are solved exactly.

Each form supplies ``candidates(x, y)``: an array of starting vectors built that way.

>>> import numpy as np
>>> f = BNSL(1)
>>> theta = f.theta_from_params(dict(a=0.1, b=2.0, c0=0.1, c1=1.0, d1=100.0, f1=0.5))
>>> float(np.exp(f.log_predict(theta, np.array([100.0])))[0])  # a + b 100^-c0 2^-(c1 f1)
0.99230...
"""

from __future__ import annotations

import numpy as np

from ..limits import check_count
from .curve_choices import FORM_NAMES

#: Smallest gap kept between a fitted floor and the smallest observed y (relative).
FLOOR_GAP = 1e-6


def expit(z):
    """The logistic function :math:`1/(1+e^{-z})` (SciPy's ``expit``, imported on first use)."""
    from scipy.special import expit as logistic

    return logistic(z)


def softplus(z):
    """``log(1 + exp(z))`` without overflow."""
    return np.logaddexp(0.0, z)


def _log_floor_plus(log_floor_term, floor):
    """``log(floor + exp(L))`` for ``floor >= 0`` (broadcasting), exact at ``floor == 0``."""
    with np.errstate(divide="ignore"):
        return np.logaddexp(np.log(floor), log_floor_term)


def batched_lstsq(design, target):
    """Least squares for a batch: ``design`` (G, m, k), ``target`` (G, m) -> coefficients (G, k).

    Normal equations with a relative ridge of 1e-12 (the designs are tiny and well scaled,
    this only keeps exactly collinear columns from raising). Rows with non-finite targets
    give NaN coefficients, which the caller ranks last.
    """
    gram = np.einsum("gmk,gml->gkl", design, design)
    rhs = np.einsum("gmk,gm->gk", design, target)
    scale = np.trace(gram, axis1=1, axis2=2)[:, None, None] / gram.shape[1]
    gram = gram + 1e-12 * scale * np.eye(gram.shape[1])
    bad = ~np.isfinite(rhs).all(axis=1) | ~np.isfinite(gram).all(axis=(1, 2))
    rhs[bad] = 0.0
    gram[bad] = np.eye(gram.shape[1])
    coef = np.linalg.solve(gram, rhs[..., None])[..., 0]
    coef[bad] = np.nan
    return coef


def _floor_grid(y, fractions=(0.0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.98, 0.995)):
    """Candidate floors ``q * min(y)``: the asymptote is below every observed loss."""
    return np.asarray(fractions) * float(np.min(y))


class Form:
    """A learning-curve form: named parameters, bounds, log prediction, Jacobian, starts."""

    name: str = ""
    title: str = ""
    #: Names of the internal coordinates ``theta`` (``ln_b`` means ``theta = ln b``).
    theta_names: tuple[str, ...] = ()
    #: Coordinates in the units of y (a floor) and logarithms of a scale of y (``ln_b``): the ones a change of
    #: the units of y moves (:meth:`in_units`).
    y_linear: tuple[str, ...] = ()
    y_log: tuple[str, ...] = ()

    @property
    def n_params(self) -> int:
        return len(self.theta_names)

    def _reused(self, theta, x, compute):
        """``compute(theta, x)``, or its read-only result of the last call when ``theta`` and ``x`` repeat
        (a least-squares step asks for the residuals, then the Jacobian, at the same point)."""
        theta, x = np.asarray(theta, float), np.asarray(x, float)
        key = (theta.shape, theta.tobytes(), x.shape, x.tobytes())
        last = getattr(self, "_last_call", None)
        if last is not None and last[0] == key:
            return last[1]
        out = np.asarray(compute(theta, x))
        out.flags.writeable = False
        self._last_call = (key, out)
        return out

    @property
    def param_names(self) -> tuple[str, ...]:
        """The papers' parameter names (``ln_b`` -> ``b``)."""
        return tuple(n[3:] if n.startswith("ln_") else n for n in self.theta_names)

    # -- maps between theta and named parameters -------------------------------------
    def params(self, theta) -> dict[str, float]:
        """Named parameters of the paper from the internal vector ``theta``."""
        return {
            p: float(np.exp(v)) if t.startswith("ln_") else float(v)
            for p, t, v in zip(self.param_names, self.theta_names, theta)
        }

    def theta_from_params(self, params: dict) -> np.ndarray:
        """Inverse of :meth:`params`; raises ValueError on a missing or non-positive log parameter."""
        out = []
        for p, t in zip(self.param_names, self.theta_names):
            if p not in params:
                raise ValueError(f"{self.name}: parameter {p} missing (needs {', '.join(self.param_names)})")
            v = float(params[p])
            if t.startswith("ln_"):
                if not v > 0:
                    raise ValueError(f"{self.name}: parameter {p} must be > 0, got {v}")
                v = np.log(v)
            out.append(v)
        return np.asarray(out)

    def dparams_dtheta(self, theta) -> np.ndarray:
        """Diagonal of d(named parameter)/d(theta), for propagating covariances."""
        return np.array([np.exp(v) if t.startswith("ln_") else 1.0 for t, v in zip(self.theta_names, theta)])

    # -- units of y ----------------------------------------------------------------------
    def in_units(self, theta, e2: int) -> np.ndarray:
        r"""``theta`` of the same curve with y multiplied by :math:`2^{e_2}` (a batch too): :attr:`y_linear`
        coordinates times :math:`2^{e_2}` (exact in binary floating point), :attr:`y_log` ones plus :math:`e_2\ln 2`.

        >>> f = BNSL(0)
        >>> p = f.params(f.in_units(f.theta_from_params(dict(a=0.5, b=3.0, c0=0.4)), -2))
        >>> p["a"], round(p["b"], 12), p["c0"]  # a exactly a quarter; ln b moved by -2 ln 2
        (0.125, 0.75, 0.4)
        """
        theta = np.array(theta, float)
        for name in self.y_linear:
            theta[..., self.theta_names.index(name)] *= np.ldexp(1.0, e2)
        for name in self.y_log:
            theta[..., self.theta_names.index(name)] += e2 * np.log(2.0)
        return theta

    def units_jacobian(self, theta, e2: int) -> np.ndarray:
        """``d in_units(theta, e2) / d theta`` (p, p), to carry a covariance between units."""
        scale = [np.ldexp(1.0, e2) if n in self.y_linear else 1.0 for n in self.theta_names]
        return np.diag(scale)

    # -- to be provided by each form ------------------------------------------------
    def log_predict(self, theta, x):
        """``log y_hat``; ``theta`` may be (p,) or a batch (G, p), ``x`` is (m,)."""
        raise NotImplementedError

    def jacobian(self, theta, x):
        """``d log y_hat / d theta`` with shape (m, p)."""
        raise NotImplementedError

    def bounds(self, x, y):
        """Box bounds ``(lower, upper)`` on ``theta`` for data ``(x, y)``."""
        raise NotImplementedError

    def candidates(self, x, y):
        """Starting vectors (G, p) from a grid on the nonlinear coordinates + exact linear solves."""
        raise NotImplementedError

    def latex(self, theta, digits: int = 4) -> str:
        """LaTeX of the fitted law with numbers."""
        raise NotImplementedError

    def predict(self, theta, x):
        """``y_hat`` at ``x``."""
        return np.exp(self.log_predict(np.asarray(theta, float), np.asarray(x, float)))


def _num(v, digits):
    """A float as LaTeX with ``digits`` significant digits (``1.2 \\times 10^{-3}``)."""
    s = f"{v:.{digits}g}"
    if "e" in s:
        m, e = s.split("e")
        return rf"{m} \times 10^{{{int(e)}}}"
    return s


class BNSL(Form):
    r"""Broken neural scaling law with ``n`` breaks, Caballero et al. (2023) Eq. 1.

    Log-log slope of :math:`y-a` (exact, see :mod:`scalingtheory.models.bnsl`):
    :math:`-c_0-\sum_i c_i\,\sigma((\ln x-\ln d_i)/f_i)`. Bounds: :math:`0\le a<\min y`,
    :math:`f_i \in [f_{min}, 10]` with :math:`f_{min} = \max(10^{-2},` ``f_spacing``
    :math:`\times` median spacing of :math:`\ln x)` (a transition narrower than the sampling
    is not resolved by the data; ``f_spacing=0.5`` lowered the benchmark RMSLE in NMT and BB
    and left IC unchanged), slopes :math:`|c_i| \le 20`, and break locations that cannot
    decide an extrapolation unseen: :math:`x_{(0)}\,10^{-d_{below}} \le d_i \le x_{(m-1-k)}`
    over the :math:`m` distinct sorted x, i.e. at least ``d_edge`` :math:`= k` (default 2)
    fitting points beyond every break. A break beyond the data is pinned only by the
    curvature before it, and then decides the extrapolation (issue 12: a second break at
    1.7 x the last point with :math:`c_2` at its bound of 20); a break before the data
    (up to ``d_below`` = 1 decade) only shapes the curvature the data show, and the slope
    after it, which decides the extrapolation, is observed. (Requiring ``d_edge`` points
    below the breaks too raised the mean one-break IC RMSLE from 0.0401 to 0.0434.)
    ``d_margin`` (decades) replaces the rule by the data's log-range widened on each side,
    for a user who knows a break lies just beyond the data.
    """

    title = "Broken neural scaling law (Caballero et al. 2023, Eq. 1)"

    def __init__(self, breaks: int = 1, d_margin: float | None = None, f_range=(1e-2, 10.0), f_spacing: float = 0.5,
                 d_edge: int = 2, d_below: float = 1.0):
        check_count("breaks", breaks)
        if int(d_edge) != d_edge or d_edge < 0:
            raise ValueError(f"d_edge must be an integer >= 0, got {d_edge!r}")
        self.n = int(breaks)
        self.d_margin = None if d_margin is None else float(d_margin)
        self.d_edge = int(d_edge)
        self.d_below = float(d_below)
        self.f_range = f_range
        self.f_spacing = float(f_spacing)
        self.name = f"bnsl{self.n}"
        n = self.n
        self.theta_names = (
            ("a", "ln_b", "c0")
            + tuple(f"c{i}" for i in range(1, n + 1))
            + tuple(f"ln_d{i}" for i in range(1, n + 1))
            + tuple(f"ln_f{i}" for i in range(1, n + 1))
        )
        self.y_linear, self.y_log = ("a",), ("ln_b",)

    def _split(self, theta):
        theta = np.asarray(theta, float)
        n = self.n
        a, lnb, c0 = theta[..., 0], theta[..., 1], theta[..., 2]
        c = theta[..., 3 : 3 + n]
        u = theta[..., 3 + n : 3 + 2 * n]
        f = np.exp(theta[..., 3 + 2 * n : 3 + 3 * n])
        return a, lnb, c0, c, u, f

    def log_excess(self, theta, x):
        """``log(y - a)`` (broadcast over a batch of theta; the last call's result is reused, :meth:`Form._reused`)."""
        return self._reused(theta, x, self._log_excess)

    def _log_excess(self, theta, x):
        a, lnb, c0, c, u, f = self._split(theta)
        lx = np.log(np.asarray(x, float))
        out = lnb[..., None] - c0[..., None] * lx
        for i in range(self.n):
            z = (lx - u[..., i, None]) / f[..., i, None]
            out = out - (c[..., i] * f[..., i])[..., None] * softplus(z)
        return out

    def log_predict(self, theta, x):
        theta = np.asarray(theta, float)
        return _log_floor_plus(self.log_excess(theta, x), theta[..., 0, None])

    def jacobian(self, theta, x):
        r"""``d log y / d theta`` (m, p), all breaks at once: with :math:`w = (y-a)/y`, :math:`z_i = (\ln x - \ln d_i)/f_i`,
        columns :math:`1/y,\ w,\ -w\ln x`, then per break :math:`-w f_i\,\mathrm{sp}(z_i)`, :math:`w c_i\sigma(z_i)`,
        :math:`-w c_i f_i(\mathrm{sp}(z_i) - z_i\sigma(z_i))` (sp = softplus, :math:`\sigma` = logistic)."""
        a, lnb, c0, c, u, f = self._split(theta)
        lx = np.log(np.asarray(x, float))
        excess = np.exp(self.log_excess(theta, x))
        yhat = a + excess
        w = excess / yhat  # d log y / d log(y - a)
        z = (lx - u[:, None]) / f[:, None]  # (n, m)
        sp, sig = softplus(z), expit(z)
        n = self.n
        J = np.empty((lx.size, 3 + 3 * n))
        J[:, 0], J[:, 1], J[:, 2] = 1.0 / yhat, w, -w * lx
        J[:, 3 : 3 + n] = (-f[:, None] * sp * w).T
        J[:, 3 + n : 3 + 2 * n] = (c[:, None] * sig * w).T
        J[:, 3 + 2 * n :] = (-(c * f)[:, None] * (sp - z * sig) * w).T
        return J

    def bounds(self, x, y):
        n = self.n
        d_lo, d_hi = self.break_range(x)
        ymin = float(np.min(y))
        f_min = self.f_min(x)
        lo = [0.0, -np.inf, -20.0] + [-20.0] * n + [d_lo] * n + [np.log(f_min)] * n
        hi = [ymin * (1 - FLOOR_GAP), np.inf, 20.0] + [20.0] * n + [d_hi] * n
        hi += [np.log(self.f_range[1])] * n
        return np.array(lo), np.array(hi)

    def f_min(self, x) -> float:
        """Sharpest break the fit resolves: :math:`\\max(10^{-2},` ``f_spacing`` :math:`\\times` median spacing of
        :math:`\\ln x)` (the lower bound of every :math:`f_i`).

        >>> BNSL(1).f_min(np.logspace(0, 3, 31))  # 0.5 x ln(10)/10
        0.1151...
        """
        lx = np.log(np.asarray(x, float))
        spacing = float(np.median(np.diff(lx))) if lx.size > 1 else 0.0
        return max(self.f_range[0], self.f_spacing * spacing)

    def break_range(self, x) -> tuple[float, float]:
        """Bounds of :math:`\\ln d_i`: ``d_below`` decades below the data, the ``d_edge``-th distinct log x
        from the top (or the ``d_margin`` rule).

        >>> BNSL(1).break_range(np.array([1.0, 10, 100, 1000, 10000, 1e5]))  # ln 0.1; 2 points beyond d = 1000
        (-2.30258..., 6.90775...)
        """
        ulx = np.unique(np.log(np.asarray(x, float)))
        if self.d_margin is not None:
            margin = self.d_margin * np.log(10.0)
            return float(ulx[0] - margin), float(ulx[-1] + margin)
        k = min(self.d_edge, ulx.size - 1)
        return float(ulx[0] - self.d_below * np.log(10.0)), float(ulx[-1 - k])

    def candidates(self, x, y, n_d: int | None = None, f_grid=(0.05, 0.3, 1.0)):
        """Grid on (a, ln d_i, f_i); (ln b, c0, c_i) solved exactly in log(y - a).

        Break locations run over ``n_d`` log-spaced points covering the bounds, with
        ``d_1 < d_2 < ...`` (breaks are ordered, which removes the n! relabelings).
        """
        n = self.n
        lx = np.log(x)
        lo, hi = self.bounds(x, y)
        floors = _floor_grid(y)
        if n == 0:
            combos = np.zeros((1, 0))
            fcombos = np.zeros((1, 0))
        else:
            n_d = n_d or {1: 16, 2: 10, 3: 7}.get(n, 6)
            ugrid = np.linspace(lo[3 + n], hi[3 + n], n_d)
            idx = np.array(np.meshgrid(*[np.arange(n_d)] * n, indexing="ij")).reshape(n, -1).T
            idx = idx[np.all(np.diff(idx, axis=1) > 0, axis=1)] if n > 1 else idx
            combos = ugrid[idx]
            fcombos = np.array(np.meshgrid(*[np.asarray(f_grid)] * n, indexing="ij")).reshape(n, -1).T
        # full product floors x break locations x sharpnesses
        G = len(floors) * len(combos) * len(fcombos)
        fa = np.repeat(floors, len(combos) * len(fcombos))
        uu = np.tile(np.repeat(combos, len(fcombos), axis=0), (len(floors), 1))
        ff = np.tile(fcombos, (len(floors) * len(combos), 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            target = np.log(y[None, :] - fa[:, None])
        design = np.empty((G, len(x), 2 + n))
        design[:, :, 0] = 1.0
        design[:, :, 1] = -lx
        for i in range(n):
            design[:, :, 2 + i] = -ff[:, i, None] * softplus((lx[None, :] - uu[:, i, None]) / ff[:, i, None])
        coef = batched_lstsq(design, target)
        return np.column_stack([fa, coef, uu, np.log(ff)])

    def latex(self, theta, digits: int = 4) -> str:
        p = self.params(theta)
        s = rf"{_num(p['a'], digits)} + {_num(p['b'], digits)}\,x^{{-{_num(p['c0'], digits)}}}"
        for i in range(1, self.n + 1):
            s += (
                rf"\left(1 + \left(\frac{{x}}{{{_num(p[f'd{i}'], digits)}}}\right)^{{1/{_num(p[f'f{i}'], digits)}}}"
                rf"\right)^{{-{_num(p[f'c{i}'], digits)} \cdot {_num(p[f'f{i}'], digits)}}}"
            )
        return "y = " + s.replace("--", "")


class M1(Form):
    r"""M1 of Alabdulmohsin et al. (2022), Eq. 1: :math:`\varepsilon = \beta x^{c}`, the pure power law."""

    name = "m1"
    title = "M1: pure power law beta x^c (Alabdulmohsin et al. 2022, Eq. 1)"
    theta_names = ("ln_beta", "c")
    y_log = ("ln_beta",)

    def log_predict(self, theta, x):
        theta = np.asarray(theta, float)
        return theta[..., 0, None] + theta[..., 1, None] * np.log(x)

    def jacobian(self, theta, x):
        lx = np.log(x)
        return np.column_stack([np.ones_like(lx), lx])

    def bounds(self, x, y):
        return np.array([-np.inf, -20.0]), np.array([np.inf, 20.0])

    def candidates(self, x, y):
        lx = np.log(x)
        design = np.column_stack([np.ones_like(lx), lx])[None]
        return batched_lstsq(design, np.log(y)[None])

    def latex(self, theta, digits=4):
        p = self.params(theta)
        return rf"\varepsilon = {_num(p['beta'], digits)}\,x^{{{_num(p['c'], digits)}}}"


class M2(Form):
    r"""M2 of Alabdulmohsin et al. (2022), Eq. 2: :math:`\varepsilon=\varepsilon_\infty+\beta x^{c}`."""

    name = "m2"
    title = "M2: power law plus constant (Alabdulmohsin et al. 2022, Eq. 2)"
    theta_names = ("eps_inf", "ln_beta", "c")
    y_linear, y_log = ("eps_inf",), ("ln_beta",)

    def log_predict(self, theta, x):
        theta = np.asarray(theta, float)
        return _log_floor_plus(theta[..., 1, None] + theta[..., 2, None] * np.log(x), theta[..., 0, None])

    def jacobian(self, theta, x):
        lx = np.log(x)
        power = np.exp(theta[1] + theta[2] * lx)
        yhat = theta[0] + power
        return np.column_stack([1.0 / yhat, power / yhat, power / yhat * lx])

    def bounds(self, x, y):
        return np.array([0.0, -np.inf, -20.0]), np.array([np.min(y) * (1 - FLOOR_GAP), np.inf, 20.0])

    def candidates(self, x, y):
        lx = np.log(x)
        floors = _floor_grid(y)
        design = np.broadcast_to(np.column_stack([np.ones_like(lx), lx]), (len(floors), len(x), 2)).copy()
        with np.errstate(divide="ignore"):
            coef = batched_lstsq(design, np.log(y[None, :] - floors[:, None]))
        return np.column_stack([floors, coef])

    def latex(self, theta, digits=4):
        p = self.params(theta)
        return rf"\varepsilon = {_num(p['eps_inf'], digits)} + {_num(p['beta'], digits)}\,x^{{{_num(p['c'], digits)}}}"


class M3(Form):
    r"""M3 of Alabdulmohsin et al. (2022), Eq. 3 (Zhai et al. 2021): :math:`\varepsilon = \beta(x^{-1}+\gamma)^{c}`.

    Internally :math:`\log(x^{-1}+\gamma)` = ``logaddexp(-ln x, ln gamma)``. It is the
    special case ``a = 0, c0 = c, c1 = -c, d1 = 1/gamma, f1 = 1`` of BNSL (tested).
    """

    name = "m3"
    title = "M3: beta (1/x + gamma)^c (Zhai et al. 2021; Alabdulmohsin et al. 2022, Eq. 3)"
    theta_names = ("ln_beta", "c", "ln_gamma")
    y_log = ("ln_beta",)

    def log_predict(self, theta, x):
        theta = np.asarray(theta, float)
        return theta[..., 0, None] + theta[..., 1, None] * np.logaddexp(-np.log(x), theta[..., 2, None])

    def jacobian(self, theta, x):
        lx = np.log(x)
        return np.column_stack([np.ones_like(lx), np.logaddexp(-lx, theta[2]), theta[1] * expit(theta[2] + lx)])

    def bounds(self, x, y):
        lx = np.log(x)
        return np.array([-np.inf, 0.0, -lx.max() - 30.0]), np.array([np.inf, 20.0, -lx.min() + 30.0])

    def candidates(self, x, y):
        lx = np.log(x)
        lg = np.concatenate([np.linspace(-lx.max() - 5, -lx.min() + 3, 25), [-lx.max() - 29]])
        design = np.stack([np.ones((len(lg), len(x))), np.logaddexp(-lx[None, :], lg[:, None])], axis=2)
        coef = batched_lstsq(design, np.broadcast_to(np.log(y), (len(lg), len(x))).copy())
        coef[:, 1] = np.clip(coef[:, 1], 0.0, 20.0)
        return np.column_stack([coef, lg])

    def latex(self, theta, digits=4):
        p = self.params(theta)
        return (
            rf"\varepsilon = {_num(p['beta'], digits)}\,\left(x^{{-1}} + {_num(p['gamma'], digits)}\right)"
            rf"^{{{_num(p['c'], digits)}}}"
        )


class M4(Form):
    r"""M4 of Alabdulmohsin et al. (2022), Eq. 4:
    :math:`(\varepsilon-\varepsilon_\infty)/(\varepsilon_0-\varepsilon)^{\alpha}=\beta x^{c}`.

    Writing :math:`\varepsilon = \varepsilon_\infty + B u` with :math:`B = \varepsilon_0-\varepsilon_\infty`
    and :math:`u\in(0,1)`, the equation reads :math:`\log u - \alpha\log(1-u) = K`,
    :math:`K=\ln\beta + c\ln x + (\alpha-1)\ln B`. In :math:`t=\operatorname{logit}u` the left
    side is :math:`h(t) = -\operatorname{softplus}(-t)+\alpha\operatorname{softplus}(t)` with
    :math:`h'(t) = 1-u+\alpha u > 0`, so the root is unique for :math:`\alpha \ge 0`; it is
    found by safeguarded Newton to machine precision (the released code instead scans
    10,000 grid values of :math:`u`).
    ``up_bound`` caps :math:`\varepsilon_0` (1 for error rates, as in the Revisiting notebook).
    """

    name = "m4"
    title = "M4: (eps - eps_inf)/(eps_0 - eps)^alpha = beta x^c (Alabdulmohsin et al. 2022, Eq. 4)"
    theta_names = ("eps_inf", "eps_0", "ln_beta", "c", "alpha")
    y_linear = ("eps_inf", "eps_0")

    def __init__(self, up_bound: float | None = None, alpha_max: float = 20.0):
        self.up_bound = up_bound
        self.alpha_max = alpha_max

    def in_units(self, theta, e2: int) -> np.ndarray:
        r"""As :meth:`Form.in_units`; the left side of Eq. 4 scales as :math:`y^{1-\alpha}`, so
        :math:`\ln\beta` moves by :math:`(1-\alpha)\,e_2\ln 2`."""
        theta = super().in_units(theta, e2)
        theta[..., 2] += (1.0 - theta[..., 4]) * e2 * np.log(2.0)
        return theta

    def units_jacobian(self, theta, e2: int) -> np.ndarray:
        A = super().units_jacobian(theta, e2)
        A[2, 4] = -e2 * np.log(2.0)
        return A

    @staticmethod
    def _logit_root(K, alpha):
        """Solve h(t) = -softplus(-t) + alpha softplus(t) = K for t (broadcast).

        Bracket: :math:`t - \\log 2 \\le h(t) \\le t + \\alpha\\log 2` for t <= 0 and
        :math:`h(t) \\ge \\alpha t - \\log 2` for t >= 0, so the root lies in
        ``[K - alpha log2 - 1, max(K + log2, (K + log2)/alpha) + 1]`` (no root if alpha = 0 and
        K >= 0: t then ends at the upper end, i.e. eps -> eps_0). Safeguarded Newton with
        :math:`h' = 1 - u + \\alpha u > 0`; a step leaving the bracket is replaced by bisection.
        """
        K, alpha = np.broadcast_arrays(np.asarray(K, float), np.asarray(alpha, float))
        log2, cap = np.log(2.0), 1e6   # cap: the largest t of the bracket
        lo = np.minimum(K - alpha * log2, 0.0) - 1.0
        # quotients by alpha only where they stay inside +-cap (a tiny alpha would overflow), else +-cap
        ratio = np.divide(K + log2, alpha, out=np.copysign(cap, K + log2),
                          where=(alpha > 0) & (np.abs(K + log2) < cap * alpha))
        hi = np.minimum(np.maximum(np.where(alpha > 0, np.maximum(K + log2, ratio), K + log2), 0.0), cap) + 1.0
        start = np.divide(K, alpha, out=hi.copy(), where=(K >= 0) & (K < hi * alpha))
        t = np.clip(np.where(K < 0, K, start), lo, hi)  # h ~ t for t << 0, ~ alpha t for t >> 0
        for _ in range(200):
            h = -softplus(-t) + alpha * softplus(t) - K
            scale = 1.0 + np.abs(K) + (1.0 + alpha) * np.abs(t)  # size of the terms: rounding floor of h
            if np.all((np.abs(h) <= 1e-14 * scale) | ~np.isfinite(h) | (hi - lo < 1e-15 * (1 + np.abs(t)))):
                break
            above = h > 0
            hi = np.where(above, t, hi)
            lo = np.where(above, lo, t)
            slope = expit(-t) + alpha * expit(t)
            # Newton only where its step is shorter than the bracket (a longer one leaves it: no overflow)
            step = t - np.divide(h, slope, out=np.full_like(h, np.inf), where=np.abs(h) < slope * (hi - lo))
            t = np.where((step >= lo) & (step <= hi), step, 0.5 * (lo + hi))
        return t

    def _root(self, theta, x):
        einf, e0, lnbeta, c, alpha = (theta[..., i, None] for i in range(5))
        with np.errstate(invalid="ignore", divide="ignore"):
            K = lnbeta + c * np.log(x) + (alpha - 1.0) * np.log(e0 - einf)
        return self._logit_root(K, alpha)

    def _solve(self, theta, x):
        """``(eps_inf, B, t)`` at ``theta``; the root ``t`` of the last call is reused (:meth:`Form._reused`)."""
        theta = np.asarray(theta, float)
        einf = theta[..., 0, None]
        return einf, theta[..., 1, None] - einf, self._reused(theta, x, self._root)

    def log_predict(self, theta, x):
        einf, B, t = self._solve(theta, x)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.log(einf + B * expit(t))

    def jacobian(self, theta, x):
        einf, e0, alpha = float(theta[0]), float(theta[1]), float(theta[4])
        B = e0 - einf
        t = self._solve(theta, x)[2]
        u, om = expit(t), expit(-t)  # u and 1 - u, each without cancellation
        w = B * u
        yhat = einf + w
        # F = log w - ln beta - c ln x - alpha log(B - w);  dF/dlog w = 1 + alpha u/(1-u) = D/(1-u)
        D = om + alpha * u
        dB = alpha / (B * D)  # d log w / dB
        common = w * om / D / yhat  # w (d log w / d ln beta) / yhat
        return np.column_stack([(1.0 - w * dB) / yhat, w * dB / yhat, common, common * np.log(x),
                                common * (np.log(B) - softplus(t))])

    def bounds(self, x, y):
        ymin, ymax = float(np.min(y)), float(np.max(y))
        e0_hi = self.up_bound if self.up_bound is not None and self.up_bound > ymax else 10.0 * ymax
        lo = np.array([0.0, ymax * (1 + FLOOR_GAP), -np.inf, -20.0, 0.0])
        hi = np.array([ymin * (1 - FLOOR_GAP), max(e0_hi, ymax * (1 + 2 * FLOOR_GAP)), np.inf, 0.0, self.alpha_max])
        return lo, hi

    def candidates(self, x, y):
        lx = np.log(x)
        lo, hi = self.bounds(x, y)
        floors = _floor_grid(y)
        e0s = lo[1] + (hi[1] - lo[1]) * np.array([0.0, 0.01, 0.05, 0.2, 0.5, 1.0])
        einf, e0 = (v.ravel() for v in np.meshgrid(floors, e0s, indexing="ij"))
        G = len(einf)
        with np.errstate(divide="ignore", invalid="ignore"):
            target = np.log(y[None, :] - einf[:, None])
            design = np.stack([np.ones((G, len(x))), np.broadcast_to(lx, (G, len(x))), np.log(e0[:, None] - y[None, :])], axis=2)
        coef = batched_lstsq(design, target)
        coef[:, 1] = np.clip(coef[:, 1], -20.0, 0.0)
        coef[:, 2] = np.clip(coef[:, 2], 0.0, self.alpha_max)
        return np.column_stack([einf, e0, coef])

    def latex(self, theta, digits=4):
        p = self.params(theta)
        return (
            rf"\frac{{\varepsilon - {_num(p['eps_inf'], digits)}}}{{({_num(p['eps_0'], digits)} - \varepsilon)"
            rf"^{{{_num(p['alpha'], digits)}}}}} = {_num(p['beta'], digits)}\,x^{{{_num(p['c'], digits)}}}"
        )


def get_form(name: str, breaks: int = 1, up_bound: float | None = None) -> Form:
    """The form called ``name`` (one of :data:`FORM_NAMES`); ``breaks`` applies to ``bnsl`` only.

    >>> get_form("power").name
    'm1'
    """
    key = str(name).lower()
    if key == "bnsl":
        return BNSL(breaks)
    if key in ("m1", "power"):
        return M1()
    if key == "m2":
        return M2()
    if key == "m3":
        return M3()
    if key == "m4":
        return M4(up_bound=up_bound)
    raise ValueError(f"form must be one of {', '.join(FORM_NAMES)}, got {name!r}")


__all__ = ["Form", "BNSL", "M1", "M2", "M3", "M4", "FORM_NAMES", "get_form", "softplus", "batched_lstsq"]
