r"""Power-law spectra and targets (source and capacity conditions).

Convention of Bordelon, Atanasov & Pehlevan (2025, "How feature learning can improve
neural scaling laws", Eq. 6): capacity :math:`\alpha > 1` and source :math:`\beta > 0` with

.. math::

    \lambda_k = k^{-\alpha}, \qquad \lambda_k (w^*_k)^2 = k^{-(\alpha\beta + 1)},
    \qquad \sum_{k>n} \lambda_k (w^*_k)^2 \simeq \frac{n^{-\alpha\beta}}{\alpha\beta}.

The tail is exactly a Hurwitz zeta value, :math:`\zeta(\alpha\beta+1, n+1)`, whose
Euler--Maclaurin expansion (:meth:`PowerLawSpectrum.tail_expansion`) starts with the
power law above. In the (a, b) notation of Bordelon, Atanasov & Pehlevan (2024,
"A dynamical model of neural scaling laws", Eq. 13), :math:`\lambda_k \sim k^{-b}` and
:math:`\lambda_k (w^*_k)^2 \sim k^{-a}`, so :math:`b = \alpha` and :math:`a = 1 + \alpha\beta`.

>>> s = PowerLawSpectrum(2, "1/2")
>>> s.to_ab()
(2, 2)
>>> s.tail_sum(10, dps=20)
mpf('0.095166335681685...')
>>> s.eigenvalues(3)
array([1.        , 0.25      , 0.11111111])
"""

from __future__ import annotations

import mpmath
import sympy as sp

from . import symbols
from .params import Parameter

#: numeric alpha and beta up to 100: beyond, exact prefactors such as gamma(beta) grow past thousands of digits
ALPHA = Parameter("alpha", sp.Interval.open(1, sp.oo), 2, "capacity: lambda_k = k^-alpha", symbols.alpha,
                  supported=sp.Interval(1, 100))
BETA = Parameter("beta", sp.Interval.open(0, sp.oo), sp.Rational(1, 2),
                 "source: tail power sum_{k>n} lambda_k w_k^2 ~ n^-(alpha beta)", symbols.beta,
                 supported=sp.Interval(0, 100))

_k = sp.Symbol("k", positive=True, integer=True)
_n = sp.Symbol("n", positive=True, integer=True)


class PowerLawSpectrum:
    """Eigenvalues ``k^-alpha`` and target power ``lambda_k w_k^2 = k^-(alpha beta + 1)``.

    ``alpha`` and ``beta`` are exact numbers (validated: alpha > 1, beta > 0) or the
    symbols of :mod:`scalingtheory.symbols` for symbolic work.
    """

    def __init__(self, alpha=symbols.alpha, beta=symbols.beta):
        self.alpha = ALPHA.validate(alpha)
        self.beta = BETA.validate(beta)

    @classmethod
    def from_ab(cls, a, b) -> "PowerLawSpectrum":
        """From the 2024 paper's notation: ``b = alpha``, ``a = 1 + alpha beta`` (needs a > 1, b > 1)."""
        a = Parameter("a", sp.Interval.open(1, sp.oo)).validate(a)
        b = Parameter("b", sp.Interval.open(1, sp.oo)).validate(b)
        return cls(b, (a - 1) / b)

    def to_ab(self) -> tuple:
        """``(a, b) = (1 + alpha beta, alpha)``."""
        return (1 + self.alpha * self.beta, self.alpha)

    def __repr__(self) -> str:
        return f"PowerLawSpectrum(alpha={self.alpha}, beta={self.beta})"

    @property
    def source_exponent(self) -> sp.Expr:
        """``s = alpha beta + 1``: the per-mode target power decays as ``k^-s``."""
        return self.alpha * self.beta + 1

    # -- symbolic -------------------------------------------------------------------

    def eigenvalue(self, k=_k) -> sp.Expr:
        return k ** (-self.alpha)

    def target_power(self, k=_k) -> sp.Expr:
        """``lambda_k (w*_k)^2``."""
        return k ** (-self.source_exponent)

    def target_weight_squared(self, k=_k) -> sp.Expr:
        """``(w*_k)^2 = k^(alpha - alpha beta - 1)``."""
        return sp.powsimp(self.target_power(k) / self.eigenvalue(k))

    def tail(self, n=_n) -> sp.Expr:
        """Exact tail ``sum_{k>n} lambda_k w_k^2 = zeta(alpha beta + 1, n + 1)`` (Hurwitz)."""
        return sp.zeta(self.source_exponent, n + 1)

    def tail_expansion(self, n=_n, order: int = 1) -> sp.Expr:
        r"""Euler--Maclaurin expansion of the tail with ``order`` correction terms.

        .. math::

            \sum_{k>n} k^{-s} = \frac{n^{1-s}}{s-1} - \frac{n^{-s}}{2}
              + \sum_{j\ge 1} \frac{B_{2j}}{(2j)!} (s)_{2j-1}\, n^{-s-2j+1} + \dots

        ``order=0`` is the leading power law ``n^{-alpha beta}/(alpha beta)``.
        """
        s = self.source_exponent
        out = n ** (1 - s) / (s - 1)
        if order >= 1:
            out -= n ** (-s) / 2
        for j in range(1, order):
            out += sp.bernoulli(2 * j) / sp.factorial(2 * j) * sp.rf(s, 2 * j - 1) * n ** (-s - 2 * j + 1)
        return out

    def rkhs_norm_finite(self) -> sp.Expr:
        """Condition for ``sum_k (w*_k)^2 < oo`` (target inside the RKHS): ``beta > 1``."""
        return sp.StrictGreaterThan(self.beta, 1)

    # -- numeric --------------------------------------------------------------------

    def _float(self, expr) -> float:
        if expr.free_symbols:
            raise ValueError(f"{self} is symbolic; give numeric alpha and beta for numerics")
        return float(expr)

    def tail_sum(self, n: int, dps: int = 30) -> mpmath.mpf:
        """``sum_{k>n} lambda_k w_k^2`` to ``dps`` digits (Hurwitz zeta)."""
        with mpmath.workdps(dps):
            s = mpmath.mpmathify(sp.N(self.source_exponent, dps + 10))
            return +mpmath.zeta(s, n + 1)

    def modes(self, K: int) -> np.ndarray:
        import numpy as np

        if int(K) != K or K < 1:
            raise ValueError(f"K (number of modes) must be a positive integer, got {K}")
        return np.arange(1, int(K) + 1, dtype=float)

    def eigenvalues(self, K: int) -> np.ndarray:
        """``lambda_k = k^-alpha`` for ``k = 1..K``."""
        return self.modes(K) ** (-self._float(self.alpha))

    def target_power_array(self, K: int) -> np.ndarray:
        """``lambda_k (w*_k)^2 = k^-(alpha beta + 1)`` for ``k = 1..K``."""
        return self.modes(K) ** (-self._float(self.source_exponent))

    def target_weights(self, K: int, rng: np.random.Generator | None = None) -> np.ndarray:
        """``w*_k = k^((alpha - alpha beta - 1)/2)``, with random signs when ``rng`` is given."""
        import numpy as np

        w = np.sqrt(self.target_power_array(K) / self.eigenvalues(K))
        return w if rng is None else w * rng.choice([-1.0, 1.0], size=w.shape)

    def truncation_tail(self, K: int) -> float:
        """Target power lost by keeping only ``K`` modes (relative to the total)."""
        return float(self.tail_sum(K, dps=20) / mpmath.zeta(float(self.source_exponent)))


__all__ = ["PowerLawSpectrum", "ALPHA", "BETA"]
