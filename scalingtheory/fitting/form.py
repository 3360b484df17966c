r"""A functional form of a learning curve (:class:`Form`): parameters carried in internal coordinates
``theta`` (logarithms of positive scales), the log prediction and its analytic Jacobian, box bounds, a start
grid, and the units of y; with the numerical helpers the forms share.

>>> softplus(np.array([-800.0, 0.0, 800.0])).tolist()  # log(1 + e^z) without overflow
[0.0, 0.6931471805599453, 800.0]
"""

from __future__ import annotations

import numpy as np


#: Smallest gap kept between a fitted floor and the smallest observed y (relative).
FLOOR_GAP = 1e-6


def expit(z):
    """The logistic function :math:`1/(1+e^{-z})` (SciPy's ``expit``, imported on first use)."""
    from scipy.special import expit as logistic

    return logistic(z)


def softplus(z):
    """``log(1 + exp(z))`` without overflow."""
    return np.logaddexp(0.0, z)


def log_floor_plus(log_floor_term, floor):
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


def floor_grid(y, fractions=(0.0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.98, 0.995)):
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

        >>> from scalingtheory.fitting.bnsl_form import BNSL
        >>> f = BNSL(0)
        >>> p = f.params(f.in_units(f.theta_from_params(dict(a=0.5, b=3.0, c0=0.4)), -2))
        >>> p["a"], round(p["b"], 12), p["c0"]  # a exactly a quarter; ln b moved by -2 ln 2
        (0.125, 0.75, 0.4)
        """
        theta = np.array(theta, float)
        for name in self.y_linear:     # ldexp of the value: 2**e2 alone overflows at |e2| = 1024
            i = self.theta_names.index(name)
            theta[..., i] = np.ldexp(theta[..., i], e2)
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


def latex_number(v, digits):
    """A float as LaTeX with ``digits`` significant digits (``1.2 \\times 10^{-3}``)."""
    s = f"{v:.{digits}g}"
    if "e" in s:
        m, e = s.split("e")
        return rf"{m} \times 10^{{{int(e)}}}"
    return s


__all__ = ["Form", "FLOOR_GAP", "expit", "softplus", "log_floor_plus", "batched_lstsq", "floor_grid",
           "latex_number"]
