r"""Predicted exponents from an estimated ``(alpha, beta)``, through the toolkit's models.

Nothing here retypes a formula. The exponents are the random-feature model's
(:mod:`scalingtheory.models.random_features`, Bordelon, Atanasov & Pehlevan 2024),
analysed once per regime with symbolic ``alpha, beta``:

* ``P``: the data exponent at infinite width and time, i.e. ridgeless kernel regression,
  :math:`\alpha\min(\beta,2)` (paper Eq. 14);
* ``N``, ``t``: the random-feature width and time exponents;
* ``C``, ``C.N``, ``C.t``: the compute-optimal loss exponent and allocations for ``C = N t``;
* ``P_noisy``: the data exponent with label noise at the optimal ridge. The ridge sets a
  number ``X`` of learned modes; the bias is the model's data term :math:`X^{-r_P}` and the
  noise variance :math:`\sigma^2 X/P` (one unit of noise per learned mode, Cui, Loureiro,
  Krzakala & Zdeborova 2021). With ``Y = P/X`` samples per learned mode the loss is
  :math:`X^{-r_P}+Y^{-1}` under the "cost" :math:`P=XY`, whose optimum the power-law
  algebra (:meth:`scalingtheory.laws.ScalingLaw.compute_optimal`) gives as
  :math:`P^{-r_P/(1+r_P)}` -- Cui et al.'s :math:`2\alpha r/(1+2\alpha r)` with
  :math:`r=\min(\beta,2)/2`.

Intervals: each exponent is evaluated, in each pair's own regime, at every bootstrap pair
``(alpha_b, beta_b)`` and at the corners of every fit's regression box, and the interval is
formed by the rule used for ``alpha`` and ``beta`` themselves
(:func:`scalingtheory.spectrum.estimate.propagate`; every exponent here is monotone in each
of ``alpha`` and ``alpha beta + 1`` and continuous across regimes, so corners bound it).

>>> e = exponent_functions("hard")
>>> e["P"](2.0, 0.5), e["P_noisy"](2.0, 0.5), e["N"](2.0, 0.5)
(1.0, 0.5, 1.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: prediction key -> (quantity of the random-feature model, description)
QUANTITIES = {
    "P": ("exponents.P", "kernel regression (ridgeless) in samples P: alpha min(beta, 2)"),
    "P_noisy": (None, "kernel regression with label noise at the optimal ridge, in P"),
    "N": ("exponents.N", "random-feature regression in width N (P, t -> oo)"),
    "t": ("exponents.t", "gradient-flow time t (N, P -> oo)"),
    "C": ("compute_optimal.loss", "compute-optimal loss L* ~ C^-r for C = N t"),
    "C.N": ("compute_optimal.allocation.N", "compute-optimal width N* ~ C^a"),
    "C.t": ("compute_optimal.allocation.t", "compute-optimal time t* ~ C^a"),
}


@lru_cache(maxsize=None)
def exponent_expressions(regime: str) -> dict:
    """SymPy expressions in ``alpha, beta`` of every prediction, from the model in ``regime``."""
    import sympy as sp

    from ..laws import ScalingLaw
    from ..models import get_model
    from ..models.random_features import REGIMES
    res = get_model("random_features").analyze(regime=regime)
    out = {key: res[path].expr for key, (path, _) in QUANTITIES.items() if path}
    modes, per_mode = sp.symbols("X Y", positive=True)       # learned modes, samples per learned mode
    conditions = next(spec.conditions for spec in REGIMES if spec.name == regime)
    noisy = ScalingLaw.from_expr(modes ** -out["P"] + per_mode ** -1, [modes, per_mode], conditions)
    out["P_noisy"] = sp.simplify(noisy.compute_optimal(modes * per_mode).loss_exponent)
    return out


@lru_cache(maxsize=None)
def exponent_functions(regime: str) -> dict:
    """NumPy callables ``f(alpha, beta)`` of :func:`exponent_expressions`."""
    import sympy as sp

    from ..symbols import alpha, beta
    return {k: sp.lambdify((alpha, beta), e, "numpy") for k, e in exponent_expressions(regime).items()}


def regime_of(alpha_value: float, beta_value: float) -> str:
    """The random-feature regime of numeric ``alpha, beta`` (the model's own classification; Python
    floats are read exactly through their shortest decimal, 8x faster than ``sympy.Float``'s nsimplify)."""
    from ..models.random_features import classify
    return classify(float(alpha_value), float(beta_value))


@dataclass
class Prediction:
    """A predicted exponent with its propagated interval."""
    key: str
    description: str
    expr: str
    value: float
    ci: tuple
    regime: str

    def to_json(self) -> dict:
        return {"value": self.value, "lo": self.ci[0], "hi": self.ci[1], "expr": self.expr,
                "regime": self.regime, "description": self.description}

    def __repr__(self) -> str:
        return f"Prediction({self.key} = {self.expr} = {self.value:.4g} [{self.ci[0]:.4g}, {self.ci[1]:.4g}]; {self.regime})"

    def __float__(self) -> float:
        return float(self.value)


@lru_cache(maxsize=4096)
def _evaluate(alpha_value: float, beta_value: float) -> dict | None:
    if not (np.isfinite(alpha_value) and np.isfinite(beta_value)) or alpha_value <= 1 or beta_value <= 0:
        return None
    try:
        regime = regime_of(alpha_value, beta_value)
    except ValueError:  # outside the numeric range the model supports (e.g. beta ~ 1e-300 at a corner)
        return None
    funcs = exponent_functions(regime)
    return {k: float(f(alpha_value, beta_value)) for k, f in funcs.items()}


def _vectorised(key: str):
    """``f(alphas, betas)`` for one prediction, each pair in its own regime; NaN outside the domain."""
    def f(alphas, betas):
        return np.array([np.nan if ev is None else ev[key]
                         for ev in (_evaluate(float(a), float(b)) for a, b in zip(np.ravel(alphas), np.ravel(betas)))])
    return f


def predictions(estimate) -> tuple[dict, list]:
    """``({key: Prediction}, notes)`` for a :class:`~scalingtheory.spectrum.estimate.SpectrumEstimate`."""
    if estimate.beta is None:
        return {}, ["no prediction: beta is not identified (alpha's interval reaches 0)"]
    a, b = estimate.alpha.value, estimate.beta.value
    point = _evaluate(a, b)
    if point is None:
        return {}, [f"no prediction: alpha = {a:.3g}, beta = {b:.3g} is outside the models' domain "
                    "(alpha > 1, beta > 0)"]
    regime = regime_of(a, b)
    exprs = exponent_expressions(regime)
    out = {k: Prediction(k, desc, str(exprs[k]), point[k], estimate.interval(_vectorised(k)), regime)
           for k, (_, desc) in QUANTITIES.items()}
    notes = []
    if estimate.alpha.ci[0] <= 1 or estimate.beta.ci[0] <= 0:
        notes.append("the (alpha, beta) interval reaches outside alpha > 1, beta > 0; the prediction intervals "
                     "cover only its part inside the models' domain")
    return out, notes


__all__ = ["predictions", "Prediction", "exponent_expressions", "exponent_functions", "QUANTITIES"]
