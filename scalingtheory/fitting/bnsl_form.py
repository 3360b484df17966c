"""The broken neural scaling law of Caballero et al. (ICLR 2023), Eq. 1, as a fitting form (:class:`BNSL`).

>>> import numpy as np
>>> f = BNSL(1)
>>> theta = f.theta_from_params(dict(a=0.1, b=2.0, c0=0.1, c1=1.0, d1=100.0, f1=0.5))
>>> float(np.exp(f.log_predict(theta, np.array([100.0])))[0])  # a + b 100^-c0 2^-(c1 f1)
0.99230...
"""

from __future__ import annotations

import numpy as np

from ..limits import check_count
from .form import FLOOR_GAP, Form, batched_lstsq, expit, floor_grid, latex_number, log_floor_plus, softplus


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
        return log_floor_plus(self.log_excess(theta, x), theta[..., 0, None])

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
        floors = floor_grid(y)
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
        s = rf"{latex_number(p['a'], digits)} + {latex_number(p['b'], digits)}\,x^{{-{latex_number(p['c0'], digits)}}}"
        for i in range(1, self.n + 1):
            s += (
                rf"\left(1 + \left(\frac{{x}}{{{latex_number(p[f'd{i}'], digits)}}}\right)^{{1/{latex_number(p[f'f{i}'], digits)}}}"
                rf"\right)^{{-{latex_number(p[f'c{i}'], digits)} \cdot {latex_number(p[f'f{i}'], digits)}}}"
            )
        return "y = " + s.replace("--", "")


__all__ = ["BNSL"]
