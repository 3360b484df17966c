"""The interface every model implements, so that outer layers need no special cases.

A model declares its parameters (with exact domains), splits parameter space into
regimes, and gives the asymptotic loss of each regime as a
:class:`~scalingtheory.laws.ScalingLaw`. From that law the default
:meth:`Model.analyze` derives the per-resource exponents and the compute-optimal
rule, so that no allocation exponent is ever typed by hand. Models override
:meth:`Model.exponents` or :meth:`Model.compute_optimal` only where their physics
is not a sum of power laws.
"""

from __future__ import annotations

import abc
import functools

import sympy as sp

from ..laws import ScalingLaw
from ..params import Choice, Parameter
from ..results import ComputeOptimalResult, ModelResult, Quantity, Regime


class Model(abc.ABC):
    """Base class of the toolkit's models.

    Subclasses set ``title``, ``parameters`` and ``cost`` and implement
    :meth:`regime` and :meth:`law`.
    """

    title: str = ""
    parameters: tuple = ()
    cost: sp.Expr | None = None
    #: resources reported in ``exponents`` (names as in the papers), in order
    resources: tuple = ()
    #: names of methods answering model-specific questions (``scalingtheory query``); each takes
    #: its own arguments plus the model parameters as keywords and returns a Quantity
    queries: tuple = ()
    #: run sizes of the figures (a :class:`~scalingtheory.models.engine.Budget`)
    figure_sizes = None
    #: False when the loss terms' constants are unknown: compute-optimal prefactors are not derived
    prefactors_known: bool = True
    #: parameters computed from the others (shown in results, not read back by ``models.result_from_json``)
    derived_parameters: tuple = ()
    #: one call of every question in :attr:`queries`: ``{question: argv after the question}``
    #: (``scalingtheory query --model M question ARGV``; read by the contract tests)
    query_examples: dict = {}

    @property
    def name(self) -> str:
        """The model's name: its module's (``models/<name>.py``), so a copied module is a new model."""
        return type(self).__module__.rpartition(".")[2]

    def golden_points(self) -> list[dict]:
        """Parameters of the golden ``exponent --json`` cases (``python -m scalingtheory.golden``):
        the table points, then each named regime symbolically (else every parameter symbolic)."""
        regime = next((p for p in self.parameters if p.name == "regime"), None)
        symbolic = [{"regime": r} for r in regime.choices if r != "auto"] if regime is not None else [{}]
        return [{k: str(v) for k, v in pt.items()} for pt in self.table_points()] + symbolic

    # -- parameters -----------------------------------------------------------------

    def parameter(self, name: str) -> Parameter | Choice:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ValueError(f"model {self.name!r} has no parameter {name!r}; "
                         f"parameters: {', '.join(p.name for p in self.parameters)}")

    def validate(self, **params) -> dict:
        """Exact, validated parameters; omitted numeric parameters become their symbols.

        Raises ``ValueError`` naming the parameter and its valid range.
        """
        known = {p.name for p in self.parameters}
        unknown = set(params) - known
        if unknown:
            raise ValueError(f"model {self.name!r} has no parameter {', '.join(sorted(unknown))}; "
                             f"parameters: {', '.join(p.name for p in self.parameters)}")
        out = {}
        for p in self.parameters:
            value = params.get(p.name)
            if value is None:
                out[p.name] = p.default if isinstance(p, Choice) else p.symbol
            else:
                out[p.name] = p.validate(value)
        return out

    def defaults(self) -> dict:
        """Default parameter point (used by tables and the report)."""
        return {p.name: p.default for p in self.parameters}

    def domain(self, p: dict) -> dict:
        """Intervals of the parameters left symbolic in ``p`` (assumptions for sign decisions)."""
        return {par.symbol: par.domain for par in self.parameters
                if isinstance(par, Parameter) and p.get(par.name) == par.symbol}

    # -- theory ---------------------------------------------------------------------

    @abc.abstractmethod
    def regime(self, p: dict) -> Regime:
        """The regime of the validated parameters ``p``."""

    @abc.abstractmethod
    def law(self, p: dict, regime: Regime) -> ScalingLaw:
        """Asymptotic loss of the regime as a sum of power laws in the resources."""

    def notes(self, p: dict, regime: Regime) -> list[str]:
        """Remarks on boundaries, log corrections and caveats at ``p``."""
        return list(regime.notes)

    def prefactors(self, p: dict, regime: Regime) -> dict:
        """Known prefactors as ``{resource: Quantity}`` (default: none)."""
        return {}

    def _assumptions(self, p: dict, regime: Regime) -> tuple:
        return regime.assumptions()

    def exponents(self, p: dict, regime: Regime, law: ScalingLaw) -> dict:
        """Decay rate of the loss in each resource alone, from the law."""
        from ..symbols import RESOURCES
        assume = self._assumptions(p, regime)
        out = {}
        for name in self.resources:
            if name == "C" or RESOURCES[name] not in law.resources:
                continue
            out[name] = Quantity(f"exponents.{name}", law.exponent(RESOURCES[name]),
                                 f"decay rate r of L - L_inf ~ {name}^-r", assume, regime.name)
        return out

    def compute_optimal(self, p: dict, regime: Regime, law: ScalingLaw) -> ComputeOptimalResult | None:
        """Compute-optimal rule under ``self.cost``, derived by the power-law algebra."""
        if self.cost is None:
            return None
        opt = _optimum(_LawKey(law), self.cost, self.prefactors_known)
        assume = self._assumptions(p, regime)
        notes = tuple(opt.notes)
        loss = Quantity("compute_optimal.loss", opt.loss_exponent,
                        "r_C in L* - L_inf ~ C^-r_C", assume, regime.name, notes)
        alloc = {str(x): Quantity(f"compute_optimal.allocation.{x}", e, f"a in {x}* ~ C^a",
                                  assume, regime.name, notes)
                 for x, e in opt.allocation.items()}
        prefs = {}
        if opt.allocation_prefactors is not None:
            prefs = {str(x): Quantity(f"compute_optimal.prefactors.{x}", g, f"G in {x}* = G C^a", assume, regime.name)
                     for x, g in opt.allocation_prefactors.items()}
            prefs["L"] = Quantity("compute_optimal.prefactors.L", opt.loss_prefactor,
                                  "A_C in L* - L_inf = A_C C^-r_C", assume, regime.name)
        return ComputeOptimalResult(sp.sstr(self.cost), loss, alloc, prefs, notes)

    def analyze(self, **params) -> ModelResult:
        """Everything the theory says at this parameter point (exact; symbolic where omitted)."""
        p = self.validate(**params)
        regime = self.regime(p)
        law = self.law(p, regime)
        exps = self.exponents(p, regime, law)
        co = self.compute_optimal(p, regime, law)
        if co is not None and "C" in self.resources:
            exps["C"] = Quantity("exponents.C", co.loss.expr, "decay rate of the compute-optimal loss in C",
                                 co.loss.assumptions, regime.name, co.notes)
        notes = self.notes(p, regime)
        if co is not None:
            notes += [n for n in co.notes if n not in notes]
        shown = {k: v for k, v in p.items() if not isinstance(v, sp.Symbol)}
        return ModelResult(self.name, shown, regime, exps, co, self.prefactors(p, regime), notes)

    # -- outputs --------------------------------------------------------------------

    def table_points(self) -> list[dict]:
        """Parameter points shown in exponent tables and the report (default: the defaults)."""
        return [self.defaults()]

    def findings(self) -> list[str]:
        """What the model's checks found, as plain sentences (the report formats them); default none."""
        return []

    def tables(self, quick: bool = True) -> list:
        """Extra tables for the report as ``(caption, header, rows)`` of plain values; default none."""
        return []

    def agreement(self, quick: bool = True) -> list:
        """Theory-vs-numerics checks as :class:`~scalingtheory.models.engine.AgreementRow` (default none)."""
        return []

    def __repr__(self) -> str:
        params = ", ".join(p.domain_text for p in self.parameters)
        return f"<model {self.name}: {self.title}; {params}>"


class _LawKey:
    """A :class:`ScalingLaw` made hashable by its content (terms, floor, assumptions)."""

    __slots__ = ("law", "key", "_hash")

    def __init__(self, law: ScalingLaw):
        self.law = law
        self.key = (tuple((t.coefficient, tuple(sorted(t.powers.items(), key=str)), t.label) for t in law.terms),
                    law.floor, tuple(sorted(law.assumptions.items(), key=str)))
        self._hash = hash(self.key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return isinstance(other, _LawKey) and self.key == other.key


@functools.lru_cache(maxsize=512)
def _optimum(law: _LawKey, cost: sp.Expr, prefactors: bool):
    """``law.compute_optimal(cost)``, cached: the derivation depends only on the law's content (for
    symbolic parameters: only on the regime), and callers never modify the result."""
    return law.law.compute_optimal(cost, prefactors=prefactors)


__all__ = ["Model"]
