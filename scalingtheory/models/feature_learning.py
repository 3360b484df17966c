r"""Feature learning beyond the kernel limit: lazy vs rich scaling laws.

Bordelon, Atanasov & Pehlevan, "How Feature Learning Can Improve Neural Scaling Laws",
ICLR 2025 (arXiv:2409.17858). Solvable model: a two-layer linear network over power-law
features (:math:`\lambda_k = k^{-\alpha}`, :math:`\sum_{k>n}\lambda_k w_k^{*2}\sim n^{-\alpha\beta}`,
paper Eq. 6) with a frozen random projection :math:`A_0`, a trainable :math:`N\times N`
middle layer and a readout, trained by projected gradient descent with feature-learning
strength :math:`\gamma` (:math:`\gamma=0`: lazy random-feature model,
:mod:`scalingtheory.models.random_features`).

Loss terms (constants dropped; derivation and numerical checks in
``derivations/feature_learning.py``):

==========================================  =====================================  ==============
term                                        meaning                                present
==========================================  =====================================  ==============
:math:`t^{-\chi(\beta)}`                    time bottleneck, Eq. (10)              always
:math:`B^{-1} t^{-(2-1/\alpha)}`            online-SGD noise (batch ``B``)         ``sgd``
:math:`N^{-1} t^{-(1-1/\alpha)}`            finite-width transient                 :math:`\beta>1`
:math:`N^{-\alpha\min(\beta,1)}`            width bottleneck (projection floor)    always
:math:`P^{-\alpha\min(\beta,2)}`            data bottleneck (``P`` reused samples) always
==========================================  =====================================  ==============

with :math:`\chi_{\rm lazy} = \beta` and :math:`\chi_{\rm rich} = \beta\max(1, 2/(1+\beta))`.
Regimes: hard :math:`0<\beta\le 1`, easy :math:`1<\beta\le 2-1/\alpha`, super-easy
:math:`\beta > 2-1/\alpha`. Compute-optimal rules for :math:`C = N t` are derived from these
terms by :meth:`scalingtheory.laws.ScalingLaw.compute_optimal`.

>>> r = MODEL.analyze(alpha=2, beta="1/2", training="rich")
>>> r.regime.name, r.exponents["t"].expr, r.compute_optimal.loss.expr
('hard', 2/3, 2/5)
>>> MODEL.analyze(alpha=2, beta="1/2", training="lazy").compute_optimal.loss.expr
1/3
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sympy as sp

from ..inequalities import resolve_minmax
from ..laws import ScalingLaw, Term
from ..params import Choice
from ..results import Quantity, Regime
from ..spectra import ALPHA, BETA
from ..symbols import B, N, P, alpha, beta, t
from .base import Model

TRAINING = Choice("training", ("lazy", "rich"), "rich",
                  "lazy: gamma -> 0 (frozen features, random-feature model); rich: gamma > 0 (feature learning)")
OPTIMIZER = Choice("optimizer", ("sgd", "gf"), "sgd",
                   "sgd: online SGD with a fixed batch B (adds the SGD-noise term); "
                   "gf: gradient flow / full-batch GD (no optimizer noise)", aliases={"gd": "gf"})
TASK = Choice("task", ("auto", "hard", "easy", "super-easy"), "auto",
              "regime; 'auto' classifies a numeric beta, a named regime gives symbolic formulas")

REGIMES = ("hard", "easy", "super-easy")
_ALPHA_DOMAIN = sp.Interval.open(1, sp.oo)
#: positive helper variable parametrising beta inside the easy / super-easy regimes
_s = sp.Symbol("s_beta", positive=True)
_EASY_TOP = 2 - 1 / alpha


def chi(beta_value, training: str) -> sp.Expr:
    r"""Time exponent :math:`\chi` of :math:`L(t)\sim t^{-\chi}` at :math:`N, B=\infty` (paper Eq. 10).

    Lazy: :math:`\chi = \beta` (each mode relaxes as :math:`e^{-\lambda_k t}`). Rich:
    :math:`\chi = \beta\max(1, 2/(1+\beta))`, i.e. :math:`2\beta/(1+\beta)` for hard tasks.

    >>> chi(sp.Rational(1, 2), "rich"), chi(sp.Rational(1, 2), "lazy"), chi(2, "rich")
    (2/3, 1/2, 2)
    """
    TRAINING.validate(training)
    if training == "lazy":
        return sp.sympify(beta_value)
    return sp.sympify(beta_value) * sp.Max(1, 2 / (1 + sp.sympify(beta_value)))


def crossover_exponent(beta_value) -> sp.Expr:
    r"""``c`` in the lazy-to-rich crossover time :math:`t_\times\sim\gamma^{-c}` of hard tasks.

    Before the crossover the gain is :math:`1+\gamma q` with :math:`q\simeq|v|^2\sim t^{1-\beta}`
    (Sec. 3 of the derivation), so the rich gain becomes O(1) at :math:`\gamma t^{1-\beta}\sim 1`:
    :math:`c = 1/(1-\beta)` for :math:`\beta<1` (no crossover for :math:`\beta\ge 1`).

    >>> crossover_exponent(sp.Rational(1, 2))
    2
    """
    b = sp.sympify(beta_value)
    if b.is_number and b >= 1:
        raise ValueError(f"beta must satisfy beta < 1 for a lazy-to-rich crossover, got {b}")
    return 1 / (1 - b)


def classify(alpha_value, beta_value) -> str:
    """Regime name of numeric ``alpha > 1``, ``beta > 0`` (boundaries go to the lower regime).

    >>> classify(2, "1/2"), classify(2, "6/5"), classify(2, 2), classify(2, 1)
    ('hard', 'easy', 'super-easy', 'hard')
    """
    a, b = ALPHA.validate(alpha_value), BETA.validate(beta_value)
    if b <= 1:
        return "hard"
    return "easy" if b <= 2 - 1 / a else "super-easy"


def paquette_parameters(alpha_value, beta_value) -> tuple:
    r"""Map to Paquette et al. (2024, "4+3 phases") :math:`(\alpha_P, \beta_P)`.

    Their spectrum :math:`j^{-2\alpha_P}` and target :math:`b_j\sim j^{-\beta_P}` give
    :math:`\alpha = 2\alpha_P` and :math:`\alpha\beta+1 = 2\alpha_P+2\beta_P`.

    >>> paquette_parameters(2, sp.Rational(1, 2))     # Phase I: 2 beta_P < 1
    (1, 0)
    >>> paquette_parameters(4, 2)                     # Phase III: beta_P > alpha_P
    (2, 5/2)
    """
    a, b = sp.sympify(alpha_value), sp.sympify(beta_value)
    return a / 2, (a * b + 1 - a) / 2


class FeatureLearningModel(Model):
    """Two-layer linear network with projected GD (Bordelon, Atanasov & Pehlevan 2025)."""

    name = "feature_learning"
    title = "Feature learning beyond the kernel limit (Bordelon, Atanasov & Pehlevan, ICLR 2025)"
    parameters = (ALPHA, BETA, TRAINING, OPTIMIZER, TASK)
    cost = N * t
    resources = ("t", "N", "P", "C")

    # -- regimes ---------------------------------------------------------------------

    def regime(self, p: dict) -> Regime:
        numeric = not isinstance(p["beta"], sp.Symbol) and not isinstance(p["alpha"], sp.Symbol)
        if numeric:
            name = classify(p["alpha"], p["beta"])
            if p["task"] not in ("auto", name):
                raise ValueError(f"task {p['task']!r} contradicts alpha={p['alpha']}, beta={p['beta']}, "
                                 f"which is {name!r}")
        elif p["task"] == "auto":
            if not isinstance(p["beta"], sp.Symbol) and p["beta"] <= 1:
                name = "hard"
            else:
                raise ValueError("give numeric alpha and beta, or a task (hard, easy, super-easy) "
                                 "for symbolic formulas")
        else:
            name = p["task"]
            beta_value = p["beta"]
            if not isinstance(beta_value, sp.Symbol) and (beta_value <= 1) != (name == "hard"):
                raise ValueError(f"task {name!r} contradicts beta={beta_value} "
                                 f"({'hard needs beta <= 1' if name == 'hard' else name + ' needs beta > 1'})")
        conditions = {alpha: _ALPHA_DOMAIN}
        if name == "hard":
            conditions[beta] = sp.Interval.Lopen(0, 1)
            desc = "beta <= 1: target outside the RKHS of the initial NTK; feature learning improves the time exponent"
        elif name == "easy":
            conditions[beta] = sp.Interval.Lopen(1, _EASY_TOP)
            desc = "1 < beta <= 2 - 1/alpha: target in the RKHS; lazy and rich share all exponents"
        else:
            conditions[beta] = sp.Interval.open(_EASY_TOP, sp.oo)
            desc = "beta > 2 - 1/alpha: SGD noise outruns the signal term; lazy and rich share all exponents"
        return Regime(name, conditions, desc, tuple(self._boundary_notes(p, name)))

    def _boundary_notes(self, p: dict, name: str) -> list[str]:
        a, b = p["alpha"], p["beta"]
        if isinstance(a, sp.Symbol) or isinstance(b, sp.Symbol):
            return []
        notes = []
        if b == 1:
            notes.append("beta = 1 is the hard/easy boundary: the RKHS norm of the target diverges "
                         "logarithmically; chi_lazy = chi_rich = 1 and the width floor N^-alpha is reached "
                         "from both sides, expect log corrections")
        if b == 2 - 1 / a and p["optimizer"] == "sgd":
            notes.append("beta = 2 - 1/alpha is the easy/super-easy boundary: the signal term t^-beta and the "
                         "SGD-noise term t^-(2-1/alpha) tie (log correction); exponents are continuous")
        if b == 2:
            notes.append("beta = 2: the data bottleneck saturates (P^-(alpha min(beta, 2)) has a log correction)")
        return notes

    def _substitution(self, p: dict, regime: Regime):
        """``beta`` (symbolic) written through a positive variable that keeps it inside the regime.

        Returns ``(beta expression, back-substitution for s_beta)``; ``(beta, None)`` when not needed.
        """
        if not isinstance(p["beta"], sp.Symbol) or regime.name == "hard":
            return p["beta"], None
        top = 2 - 1 / p["alpha"]
        if regime.name == "easy":
            return 1 + (top - 1) * _s / (1 + _s), (beta - 1) / (top - beta)
        return top + _s, beta - top

    # -- the law ---------------------------------------------------------------------

    def terms(self, p: dict, regime: Regime) -> list[Term]:
        """The loss terms of the regime (see the module table), with exact exponents."""
        b, _ = self._substitution(p, regime)
        a = p["alpha"]
        assume = self._law_assumptions(p, regime)
        res = lambda e: resolve_minmax(sp.sympify(e), assume)  # noqa: E731
        out = [Term(1, {t: res(chi(b, p["training"]))}, "t^-chi (time bottleneck)")]
        if p["optimizer"] == "sgd":
            out.append(Term(1 / B, {t: 2 - 1 / a}, "B^-1 t^-(2-1/alpha) (SGD noise)"))
        if regime.name != "hard":
            out.append(Term(1, {N: 1, t: 1 - 1 / a}, "N^-1 t^-(1-1/alpha) (finite-width transient)"))
        out.append(Term(1, {N: res(a * sp.Min(b, 1))}, "N^-(alpha min(beta, 1)) (width bottleneck)"))
        out.append(Term(1, {P: res(a * sp.Min(b, 2))}, "P^-(alpha min(beta, 2)) (data bottleneck)"))
        return out

    def _law_assumptions(self, p: dict, regime: Regime) -> dict:
        out = {}
        if isinstance(p["alpha"], sp.Symbol):
            out[alpha] = _ALPHA_DOMAIN
        if isinstance(p["beta"], sp.Symbol) and regime.name == "hard":
            out[beta] = regime.conditions[beta]
        return out

    def law(self, p: dict, regime: Regime) -> ScalingLaw:
        """Asymptotic loss ``sum of terms`` (symbolic beta in easy/super-easy is carried by ``s_beta``)."""
        return ScalingLaw(self.terms(p, regime), 0, self._law_assumptions(p, regime))

    def _restore(self, q: Quantity, p: dict, regime: Regime) -> Quantity:
        """Undo :meth:`_substitution`: express ``q`` in ``beta`` again (exponents are rational)."""
        _, back = self._substitution(p, regime)
        if back is None:
            return q
        return Quantity(q.name, sp.factor(sp.cancel(q.expr.subs(_s, back))), q.description, q.assumptions,
                        q.regime, q.notes)

    def exponents(self, p: dict, regime: Regime, law: ScalingLaw) -> dict:
        return {k: self._restore(q, p, regime) for k, q in super().exponents(p, regime, law).items()}

    def compute_optimal(self, p: dict, regime: Regime, law: ScalingLaw):
        """Exponents from the power-law algebra; prefactors are withheld (the terms' O(1) constants are unknown)."""
        co = super().compute_optimal(p, regime, law)
        note = "prefactors not reported: the loss terms carry unknown O(1) constants" + (
            " (only the 1/B of the SGD-noise term is kept)" if p["optimizer"] == "sgd" else "")
        return dataclasses.replace(
            co, loss=self._restore(co.loss, p, regime),
            allocation={k: self._restore(q, p, regime) for k, q in co.allocation.items()},
            prefactors={}, notes=tuple(n for n in co.notes if not n.startswith("prefactors")) + (note,))

    # -- notes -----------------------------------------------------------------------

    def dominance(self, p: dict, regime: Regime) -> list[str]:
        r"""Labels of the dominant term along :math:`t = N^x` as ``x`` grows (the paper's "A -> B").

        At fixed large ``N`` a term :math:`N^{-r_N}t^{-r_t}` decays like :math:`N^{-(r_N + x r_t)}`;
        the dominant term minimises :math:`r_N + x r_t`. Data are unlimited (online). For symbolic
        parameters the order is taken at a representative point of the regime (it can change
        only at the regime boundaries, where exponents tie).
        """
        law = self.law(p, regime)
        rep = {alpha: 2, beta: {"hard": sp.Rational(1, 2), "easy": sp.Rational(5, 4),
                                "super-easy": 2}[regime.name], _s: 1}
        lines = []
        for term in law.terms:
            if P in term.powers:
                continue
            rN = sp.sympify(term.powers.get(N, 0)).subs(rep)
            rt = sp.sympify(term.powers.get(t, 0)).subs(rep)
            lines.append((term, rN, rt))
        seq, x = [], sp.Integer(0)
        while True:
            val = lambda ln, xx: ln[1] + xx * ln[2]  # noqa: E731
            best = min(lines, key=lambda ln: (val(ln, x), val(ln, x + 1)))
            if not seq or seq[-1] is not best[0]:
                seq.append(best[0])
            later = [(ln[1] - best[1]) / (best[2] - ln[2]) for ln in lines
                     if ln[2] < best[2] and (ln[1] - best[1]) / (best[2] - ln[2]) > x]
            if not later:
                break
            x = min(later)
        return [str(term) for term in seq]

    def notes(self, p: dict, regime: Regime) -> list[str]:
        out = list(regime.notes)
        out.append("dominant term as t grows at fixed N (online data): " + " -> ".join(self.dominance(p, regime)))
        if regime.name == "hard":
            out.append("rich training improves the time exponent from beta to 2 beta/(1+beta); the width and data "
                       "bottleneck exponents are unchanged (the predictor stays in the row space of A0, and the "
                       "t -> oo minimiser is the lazy one)" if p["training"] == "rich" else
                       "lazy training: chi = beta; rich training would give 2 beta/(1+beta)")
        else:
            out.append("beta > 1: the rich gain 1 + gamma q saturates, so lazy and rich share all exponents "
                       "(rich only rescales time)")
        if p["optimizer"] == "gf":
            out.append("gradient flow: no SGD-noise term, so the super-easy regime follows the easy balance")
        if p["training"] == "rich" and regime.name == "hard" and p["beta"] != 1:
            out.append("rich exponents are asymptotic: they appear after the lazy-to-rich crossover "
                       f"t_x ~ gamma^-({crossover_exponent(p['beta'])}) (gamma = feature-learning strength)")
        return out

    def table_points(self) -> list[dict]:
        """One point per regime (hard, easy, super-easy at alpha = 2), lazy and rich."""
        return [{"alpha": 2, "beta": beta_value, "training": training}
                for beta_value in ("1/2", "5/4", "3") for training in ("lazy", "rich")]

    def figures(self, out_dir: Path, quick: bool = False) -> list[Path]:
        from ..report.phase_diagrams import feature_learning_figures

        return feature_learning_figures(self, Path(out_dir), quick)

    def agreement(self, quick: bool = True) -> list[dict]:
        from ..report.phase_diagrams import feature_learning_agreement

        return feature_learning_agreement(self, quick)


MODEL = FeatureLearningModel()

__all__ = ["FeatureLearningModel", "MODEL", "chi", "crossover_exponent", "classify", "paquette_parameters",
           "REGIMES"]
