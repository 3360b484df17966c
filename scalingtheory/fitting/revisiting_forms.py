r"""The four forms of Alabdulmohsin, Neyshabur & Zhai, "Revisiting Neural Scaling Laws in Language and Vision"
(NeurIPS 2022), Eqs. 1-4, as fitting forms (:class:`M1` to :class:`M4`), in that paper's sign convention.

>>> import numpy as np
>>> M2().predict(M2().theta_from_params(dict(eps_inf=0.5, beta=3.0, c=-1.0)), np.array([3.0])).tolist()
[1.5]
"""

from __future__ import annotations

import numpy as np

from .form import FLOOR_GAP, Form, batched_lstsq, expit, floor_grid, latex_number, log_floor_plus, softplus


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
        return rf"\varepsilon = {latex_number(p['beta'], digits)}\,x^{{{latex_number(p['c'], digits)}}}"


class M2(Form):
    r"""M2 of Alabdulmohsin et al. (2022), Eq. 2: :math:`\varepsilon=\varepsilon_\infty+\beta x^{c}`."""

    name = "m2"
    title = "M2: power law plus constant (Alabdulmohsin et al. 2022, Eq. 2)"
    theta_names = ("eps_inf", "ln_beta", "c")
    y_linear, y_log = ("eps_inf",), ("ln_beta",)

    def log_predict(self, theta, x):
        theta = np.asarray(theta, float)
        return log_floor_plus(theta[..., 1, None] + theta[..., 2, None] * np.log(x), theta[..., 0, None])

    def jacobian(self, theta, x):
        lx = np.log(x)
        power = np.exp(theta[1] + theta[2] * lx)
        yhat = theta[0] + power
        return np.column_stack([1.0 / yhat, power / yhat, power / yhat * lx])

    def bounds(self, x, y):
        return np.array([0.0, -np.inf, -20.0]), np.array([np.min(y) * (1 - FLOOR_GAP), np.inf, 20.0])

    def candidates(self, x, y):
        lx = np.log(x)
        floors = floor_grid(y)
        design = np.broadcast_to(np.column_stack([np.ones_like(lx), lx]), (len(floors), len(x), 2)).copy()
        with np.errstate(divide="ignore"):
            coef = batched_lstsq(design, np.log(y[None, :] - floors[:, None]))
        return np.column_stack([floors, coef])

    def latex(self, theta, digits=4):
        p = self.params(theta)
        return rf"\varepsilon = {latex_number(p['eps_inf'], digits)} + {latex_number(p['beta'], digits)}\,x^{{{latex_number(p['c'], digits)}}}"


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
            rf"\varepsilon = {latex_number(p['beta'], digits)}\,\left(x^{{-1}} + {latex_number(p['gamma'], digits)}\right)"
            rf"^{{{latex_number(p['c'], digits)}}}"
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
        floors = floor_grid(y)
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
            rf"\frac{{\varepsilon - {latex_number(p['eps_inf'], digits)}}}{{({latex_number(p['eps_0'], digits)} - \varepsilon)"
            rf"^{{{latex_number(p['alpha'], digits)}}}}} = {latex_number(p['beta'], digits)}\,x^{{{latex_number(p['c'], digits)}}}"
        )


__all__ = ["M1", "M2", "M3", "M4"]
