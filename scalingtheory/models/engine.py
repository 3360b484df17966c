r"""The generic engine that reads a model's declaration (issue 14).

A theory model is a *declaration*, in the spirit of SymPy's ``stats/crv_types.py``: its
parameters, its regimes (:class:`RegimeSpec`, interval conditions written once), its loss terms
(:class:`LossTerm`: resource powers, coefficient, when the term is present, the paper's equation),
its notes (:class:`Note`), its theory-vs-numerics checks (:class:`Check`) and its queries.
:class:`DeclaredModel` derives everything else from these declarations:

* classification of numeric parameters (:meth:`DeclaredModel.classify`), decided exactly with
  :func:`scalingtheory.inequalities.sign` when some parameters stay symbolic;
* the symbolic regime: its conditions become the assumptions of the law, so ``Min``/``Max`` in
  exponents are resolved by :mod:`scalingtheory.inequalities` (dependent intervals such as
  :math:`1<\beta\le 2-1/\alpha` included);
* the law (:class:`~scalingtheory.laws.ScalingLaw`), hence exponents and the compute-optimal rule;
* boundary notes, representative points, prefactors, and typed agreement rows
  (:class:`AgreementRow`, the deviation computed once).

>>> from scalingtheory.symbols import beta
>>> note = Note("on the boundary", when=sp.Eq(beta, 1))
>>> note.applies({}, "hard", {beta: 1}), note.applies({}, "hard", {})
(True, False)
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from ..inequalities import sign
from ..laws import ScalingLaw, Term
from ..params import Choice, Parameter
from ..renames import warn_deprecated
from ..results import ComputeOptimalResult, Quantity, Regime
from .base import Model


@dataclass(frozen=True)
class RegimeSpec:
    """A regime: ``conditions`` map parameter symbols to intervals (endpoints may use other
    parameters); ``representative`` is a point inside (names -> exact values)."""

    name: str
    conditions: dict
    description: str
    representative: dict = field(default_factory=dict)


def regime_choice(regimes: tuple, description: str) -> Choice:
    """The ``regime`` parameter of a model with ``regimes``: ``auto`` (classify numeric parameters) or one
    of their names, written once in the :class:`RegimeSpec` declarations.

    >>> regime_choice((RegimeSpec("slow", {}, "x"), RegimeSpec("fast", {}, "y")), "pick one").choices
    ('auto', 'slow', 'fast')
    """
    return Choice("regime", ("auto", *(spec.name for spec in regimes)), "auto", description)


@dataclass(frozen=True)
class LossTerm:
    r"""One loss term :math:`A\prod_X X^{-r_X}`.

    ``powers`` map resource symbols to exponents in the parameter symbols (``Min``/``Max`` allowed:
    the regime resolves them); ``coefficient`` is an expression or a function of ``(p, regime)``;
    ``when`` restricts the term to regimes (``"regime": (...)``) or choices (``"training": "rich"``);
    ``unknown_at`` is a condition (a tie with a log correction) where the coefficient is left as
    the symbol ``A_<key>``; ``equation`` cites the paper.
    """

    name: str
    label: str
    powers: dict
    coefficient: object = 1
    when: dict = field(default_factory=dict)
    unknown_at: object = sp.false
    equation: str = ""

    @property
    def key(self) -> str:
        """The JSON key of the term's prefactor: its resources, sorted and joined by ``*``."""
        return "*".join(sorted(str(x) for x in self.powers))

    def present(self, p: dict, regime: str) -> bool:
        return _matches(self.when, p, regime)

    def coefficient_at(self, p: dict, regime: Regime):
        """The coefficient at validated parameters ``p`` (a callable is given ``p`` and the model's own
        :class:`~scalingtheory.results.Regime`, whose conditions place it whatever its name)."""
        c = self.coefficient
        return c(_bounded_rationals(p), regime) if callable(c) else c

    def but(self, **changes) -> "LossTerm":
        """A copy with some fields changed (a model building on another model's terms)."""
        return dataclasses.replace(self, **changes)


def _bounded_rationals(p: dict) -> dict:
    """``p`` with each rational whose numerator or denominator exceeds
    :data:`~scalingtheory.limits.MAX_EXACT_PARAMETER` as a 30-digit float (prefactors stay bounded in time; the 30 digits of the
    bounded route of ``loss_at`` and ``budget``).

    >>> _bounded_rationals({"alpha": sp.Rational(123456789, 98765432), "beta": sp.Rational(1, 3)})
    {'alpha': 1.24999998987499998987499998987, 'beta': 1/3}
    """
    from ..limits import MAX_EXACT_PARAMETER

    def bounded(v):
        big = isinstance(v, sp.Rational) and max(abs(v.p), v.q) > MAX_EXACT_PARAMETER
        return sp.Float(v, 30) if big else v
    return {k: bounded(v) for k, v in p.items()}


@dataclass(frozen=True)
class Note:
    """A remark attached where ``when`` holds: regimes, choices, and an exact ``condition``
    on the parameters (added only when it is decided true). ``text`` may be a function of ``p``."""

    text: object
    when: object = sp.true
    only: dict = field(default_factory=dict)

    def applies(self, p: dict, regime: str, values: dict) -> bool:
        """Does the note hold at ``p`` (choices), in ``regime``, with ``values`` ``{symbol: value}``?
        (``when`` is an exact condition, or a function of ``p``.)"""
        if not _matches(self.only, p, regime):
            return False
        return bool(self.when(p)) if callable(self.when) else sp.sympify(self.when).subs(values) is sp.true

    def render(self, p: dict) -> str:
        return self.text(p) if callable(self.text) else self.text


def _matches(required: dict, p: dict, regime: str) -> bool:
    """Do the regime and choices of ``p`` satisfy ``required`` (a value or a tuple of values each)?"""
    for name, allowed in required.items():
        value = regime if name == "regime" else p.get(name)
        if value not in (allowed if isinstance(allowed, tuple) else (allowed,)):
            return False
    return True


#: the independent routes of a check (``Check.route``): trained networks, exact finite-size
#: draws or solver, the DMFT, the mean-field ODE, exact sums, a simulation, a numerical solver, a number
#: printed in a paper, a fit
ROUTES = ("network", "exact", "dmft", "mean_field", "sums", "simulation", "solver", "reference", "fit")
#: the resources a check may vary (``Check.resource``; None: none)
RESOURCES = ("t", "N", "P", "D", "C")
#: the verdicts of an agreement row
VERDICTS = ("within", "beyond", "not resolved")
#: the reason of a check measured at quick size that only its full size resolves
NOT_RESOLVED_QUICK = "not resolved at quick size"


@dataclass(frozen=True)
class Check:
    """A theory-vs-numerics check.

    ``path`` names the result quantity (``exponents.N``) analysed at ``point``; without a path,
    ``theory(budget)`` gives the reference number. ``measure(budget)`` is the numeric route;
    ``tolerance`` the largest relative deviation accepted and ``why`` its justification;
    ``caveat`` the known reason when a run exceeds it (pre-asymptotic range, finite size).

    A sampled measurement (a mean over random draws) also gives ``interval(budget)``, the
    ``(low, high)`` confidence interval of that mean from the same run; ``tolerance`` is then the
    allowance beyond sampling error, and the check passes when
    ``|mean - theory| <= (high - low)/2 + tolerance |theory|``.

    The record of the check (a row of ``checks.json``, :meth:`AgreementRow.to_json`): ``route`` is the independent numeric
    route (one of :data:`ROUTES`), ``resource`` the resource varied (one of :data:`RESOURCES`, or
    None), ``params`` the model parameters of the row (default: ``point`` with exact values);
    ``seeds`` the seeds of a stochastic measurement (a sequence, or a function of ``quick``).
    Every check runs at quick size too; ``resolves_quick=False`` marks one whose quick size cannot
    resolve it: it is still measured and shown, with the verdict "not resolved".

    >>> Check("r", lambda q: 1.0, 0.1, "why", route="exact", point={"beta": "1/2"}).record_params()
    {'beta': '1/2'}
    """

    quantity: str
    measure: Callable
    tolerance: float
    why: str
    note: str = ""
    path: str | None = None
    point: dict = field(default_factory=dict)
    theory: Callable | None = None
    caveat: str = ""
    interval: Callable | None = None
    route: str | None = None
    resource: str | None = None
    params: dict | None = None
    resolves_quick: bool = True
    seeds: object = None

    def __post_init__(self):
        if self.route is not None and self.route not in ROUTES:
            raise ValueError(f"check {self.quantity!r}: route {self.route!r} is not one of {', '.join(ROUTES)}")
        if self.resource is not None and self.resource not in RESOURCES:
            raise ValueError(f"check {self.quantity!r}: resource {self.resource!r} is not one of "
                             f"{', '.join(RESOURCES)} or None")

    def record_params(self) -> dict:
        """The row's model parameters, exact values as JSON (``params``, else ``point``)."""
        return exact_params(self.point if self.params is None else self.params)

    def seeds_at(self, quick: bool) -> list | None:
        """The seeds of the measurement at this size (None: deterministic or not recorded)."""
        seeds = self.seeds(quick) if callable(self.seeds) else self.seeds
        return None if seeds is None else [int(s) for s in seeds]


def exact_params(params: dict) -> dict:
    """Parameters as strict-JSON values, one spelling per value (the rule of ``checks.json``'s ``params``): an
    integer as a JSON integer, any other number as the string of its exact rational ``"p/q"`` (a decimal is
    read as written: ``0.5`` and ``"0.5"`` are ``"1/2"``, ``0.01`` is ``"1/100"``), never a JSON float; a choice or
    a label as text. The same beta was ``"0.5"`` in one row and ``"1/2"`` in another.

    >>> exact_params({"alpha": 2, "beta": sp.Rational(1, 2), "r": 0.01, "a": "1e-3", "g": 4.0, "training": "rich"})
    {'alpha': 2, 'beta': '1/2', 'r': '1/100', 'a': '1/1000', 'g': 4, 'training': 'rich'}
    """
    out = {}
    for name, value in params.items():
        if isinstance(value, bool) or value is None or (isinstance(value, str) and not _is_number(value)):
            out[name] = value
            continue
        exact = sp.Rational(str(value)) if isinstance(value, (float, str)) else sp.sympify(value)
        out[name] = int(exact) if exact.is_Integer else str(exact)
    return out


def _is_number(text: str) -> bool:
    try:
        sp.Rational(text)
    except (TypeError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class AgreementRow:
    """One measured agreement: theory, numerics, relative deviation (computed once), verdict.

    ``ci`` is the numerics' confidence interval where they are a sampled mean; ``tolerance`` then
    already holds its half-width relative to the theory (see :class:`Check`). The record fields
    (``model``, ``route``, ``resource``, ``params``, ``size``, ``seconds``, ``seeds``) are those of
    ``checks.json`` (:meth:`to_json`); ``resolved`` is False for a check its size cannot resolve.

    >>> row = AgreementRow("r", 0.5, 0.52, 0.05, "why")
    >>> row.verdict, AgreementRow("r", 0.5, float("nan"), 0.05, "why").verdict
    ('within', 'not resolved')
    """

    quantity: str
    theory: float
    numerics: float
    tolerance: float
    why: str
    note: str = ""
    caveat: str = ""
    ci: tuple | None = None
    model: str = ""
    route: str | None = None
    resource: str | None = None
    params: dict = field(default_factory=dict)
    size: str = ""
    seconds: float | None = None
    seeds: list | None = None
    resolved: bool = True
    rel_dev: float = field(init=False)

    def __post_init__(self):
        theory, numerics = float(self.theory), float(self.numerics)
        object.__setattr__(self, "theory", theory)
        object.__setattr__(self, "numerics", numerics)
        dev = abs(numerics - theory) / abs(theory) if theory != 0 else math.inf
        object.__setattr__(self, "rel_dev", dev)
        object.__setattr__(self, "params", exact_params(self.params))     # one spelling per value (exact_params)

    @property
    def verdict(self) -> str:
        """``within`` / ``beyond`` the tolerance, or ``not resolved`` (size too small, no finite measurement)."""
        if not self.resolved or not math.isfinite(self.rel_dev):
            return "not resolved"
        return "within" if self.rel_dev <= self.tolerance else "beyond"

    @property
    def reason(self) -> str:
        """Why the verdict: the tolerance's justification (within), the stated cause (beyond), or what
        was not resolved."""
        if not self.resolved:
            return NOT_RESOLVED_QUICK if self.size == "quick" else "not resolved at this size"
        if not math.isfinite(self.rel_dev):
            return "no finite measurement"
        return self.why if self.verdict == "within" else (self.caveat or "unexplained")

    @property
    def passed(self) -> bool:
        return self.verdict == "within"

    def __getitem__(self, key):  # rows read like the dicts they replace
        return getattr(self, key)

    def get(self, key, default=None):
        return getattr(self, key, default)

    def but(self, **changes) -> "AgreementRow":
        """A copy with some fields changed (the report adds ``model`` and ``size``)."""
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict:
        """The row's ``checks.json`` object (strict JSON: a number that is not finite is null)."""
        finite = lambda v: v if v is not None and math.isfinite(v) else None  # noqa: E731
        return {"model": self.model, "check": self.quantity, "route": self.route, "resource": self.resource,
                "params": dict(self.params), "theory": finite(self.theory), "measured": finite(self.numerics),
                "ci": None if self.ci is None else [finite(float(v)) for v in self.ci],
                "deviation": finite(self.rel_dev), "tolerance": finite(self.tolerance), "verdict": self.verdict,
                "reason": self.reason, "size": self.size or None,
                "seconds": None if self.seconds is None else round(self.seconds, 3), "seeds": self.seeds}


@dataclass(frozen=True)
class Budget:
    """Run sizes of a model's numerics: ``quick`` (report ``--quick``, tests) and ``full``;
    ``source`` says where the sizes come from (what they were measured to resolve)."""

    quick: dict
    full: dict
    source: str = ""

    def sizes(self, quick: bool) -> dict:
        return self.quick if quick else self.full


class DeclaredModel(Model):
    """A :class:`~scalingtheory.models.base.Model` whose theory is a declaration."""

    regimes: tuple = ()
    terms: tuple = ()
    #: notes of a regime's boundaries (attached to the regime), then the model's notes
    boundary_notes: tuple = ()
    model_notes: tuple = ()
    #: notes appended to the compute-optimal rule
    optimum_notes: tuple = ()
    checks: tuple = ()
    #: deprecated parameter names still accepted, with a DeprecationWarning (``{"task": "regime"}``)
    aliases: dict = {}
    #: the law's questions the model answers (``loss_at``, ``budget``), built by the engine
    #: (:func:`~scalingtheory.models.queries.law_question`): ``{question: (summary, {argument: help})}``
    law_questions: dict = {}
    #: units of the answers: each resource's, ``"C"`` (compute) and ``"L"`` (loss)
    units: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        from .queries import law_question

        for name, (summary, arguments) in cls.__dict__.get("law_questions", {}).items():
            setattr(cls, name, law_question(cls, name, summary, arguments))

    # -- parameters and regimes ----------------------------------------------------------

    def validate(self, **params) -> dict:
        """As :meth:`Model.validate`; a deprecated name in :attr:`aliases` counts as its new name (and warns)."""
        for old, new in self.aliases.items():
            value = params.pop(old, None)
            if value is not None:
                warn_deprecated(f"{self.name}: {old} is a deprecated alias of {new}; give {new}")
                if params.get(new) not in (None, value):
                    raise ValueError(f"{old} is another name of {new}; give one of them")
                params[new] = value
        return super().validate(**params)

    def regime_spec(self, name: str) -> RegimeSpec:
        return next(r for r in self.regimes if r.name == name)

    def _domain(self) -> dict:
        return {par.symbol: par.domain for par in self.parameters if isinstance(par, Parameter)}

    def values(self, p: dict, numeric: bool = False) -> dict:
        """``{symbol: value}`` of the validated parameters (only the numeric ones if ``numeric``)."""
        return {par.symbol: p[par.name] for par in self.parameters if isinstance(par, Parameter)
                and not (numeric and p[par.name].free_symbols)}

    def _applicable(self, notes, p: dict, regime: str) -> list[str]:
        values = self.values(p, numeric=True)
        return [n.render(p) for n in notes if n.applies(p, regime, values)]

    def _contains(self, spec: RegimeSpec, p: dict) -> bool | None:
        """Is the point ``p`` in the regime (True/False), or undecided while parameters are symbolic?"""
        values = self.values(p, numeric=True)
        assume = {s: iv for s, iv in self._domain().items() if s not in values}
        verdict = True
        for sym, interval in spec.conditions.items():
            value, iv = p[sym.name], interval.subs(values)
            if value.free_symbols:
                verdict = None if verdict else verdict
                continue
            sides = [(value - iv.inf, iv.left_open), (iv.sup - value, iv.right_open)]
            for gap, strict in sides:
                s = 1 if gap == sp.oo else sign(gap, assume)
                if s is None:
                    verdict = None if verdict else verdict
                elif s == -1 or (s == 0 and strict):
                    return False
        return verdict

    def classify(self, **params) -> str:
        """Name of the regime of numeric parameters (a boundary goes to the regime whose interval
        closes there; with symbolic parameters, the only regime not excluded)."""
        return self._classify(self.validate(**params))

    def _classify(self, p: dict) -> str:
        verdicts = {spec.name: self._contains(spec, p) for spec in self.regimes}
        inside = [name for name, v in verdicts.items() if v]
        possible = [name for name, v in verdicts.items() if v is not False]
        if len(inside) == 1 or len(possible) == 1:
            return (inside or possible)[0]
        needed = sorted({s.name for spec in self.regimes for s in spec.conditions if p[s.name].free_symbols})
        raise ValueError(f"give numeric {' and '.join(needed)}, or a regime ({', '.join(verdicts)}) "
                         "for symbolic formulas")

    def regime(self, p: dict) -> Regime:
        chosen = p.get("regime", "auto")
        if chosen == "auto":
            name = self._classify(p)
        else:
            name = chosen
            if self._contains(self.regime_spec(name), p) is False:
                raise ValueError(self._contradiction(name, p))
        spec = self.regime_spec(name)
        notes = tuple(self._applicable(self.boundary_notes, p, name))
        return Regime(name, {**self._domain_of(spec), **spec.conditions}, spec.description, notes)

    def _contradiction(self, name: str, p: dict) -> str:
        used = set().union(*[{s} | sp.sympify(iv).free_symbols for spec in self.regimes
                             for s, iv in spec.conditions.items()])
        given = ", ".join(f"{s} = {v}" for s, v in self.values(p, numeric=True).items() if s in used)
        try:
            actual = f", which is {self._classify(p)!r}"
        except ValueError:
            actual = ""
        return f"regime {name!r} contradicts {given}{actual}"

    def _domain_of(self, spec: RegimeSpec) -> dict:
        """Domains of the parameters the regime's conditions use (``alpha > 1`` beside ``beta``'s interval)."""
        used = set().union(*[{s} | sp.sympify(iv).free_symbols for s, iv in spec.conditions.items()])
        return {s: iv for s, iv in self._domain().items() if s in used and s not in spec.conditions}

    def representative(self, name: str) -> dict:
        """A validated point inside regime ``name`` (its declared representative)."""
        return self.validate(**self.regime_spec(name).representative)

    # -- the law ---------------------------------------------------------------------------

    def law_assumptions(self, p: dict, regime: Regime) -> dict:
        """The regime's conditions on the parameters left symbolic, with numeric ones substituted."""
        values = self.values(p, numeric=True)
        return {**self.domain(p), **{s: sp.sympify(iv).subs(values) for s, iv in regime.conditions.items()
                                     if s not in values}}

    def active_terms(self, p: dict, regime: Regime) -> list[LossTerm]:
        return [term for term in self.terms if term.present(p, regime.name)]

    def law(self, p: dict, regime: Regime) -> ScalingLaw:
        """The sum of the regime's declared terms, exact in the parameters."""
        values = self.values(p)
        out = []
        for term in self.active_terms(p, regime):
            coeff = term.coefficient_at(p, regime)
            if sp.sympify(term.unknown_at).subs(values) is sp.true:
                coeff = sp.Symbol(f"A_{term.key.replace('*', '')}", positive=True)
            out.append(Term(sp.sympify(coeff).subs(values),
                            {x: sp.sympify(r).subs(values) for x, r in term.powers.items()}, term.label))
        return ScalingLaw(out, 0, self.law_assumptions(p, regime))

    def prefactors(self, p: dict, regime: Regime) -> dict:
        """The terms' coefficients keyed by their resources (``t``, ``N``, ``N*t``, ...)."""
        if not self.prefactors_known:
            return {}
        out = {}
        for term in self.law(p, regime).terms:
            key = "*".join(sorted(str(x) for x in term.resources))
            out[key] = Quantity(f"prefactors.{key}", term.coefficient,
                                f"coefficient of the {term.label} term {sp.sstr(term.monomial)}",
                                regime.assumptions(), regime.name)
        return out

    def notes(self, p: dict, regime: Regime) -> list[str]:
        return list(regime.notes) + self._applicable(self.model_notes, p, regime.name)

    def exponents(self, p: dict, regime: Regime, law: ScalingLaw) -> dict:
        return {k: _over_common_denominator(q) for k, q in super().exponents(p, regime, law).items()}

    def optimum_extra_notes(self, p: dict, regime: Regime, co: ComputeOptimalResult) -> tuple:
        """Computed notes on the compute-optimal rule (default: none)."""
        return ()

    def compute_optimal(self, p: dict, regime: Regime, law: ScalingLaw):
        co = super().compute_optimal(p, regime, law)
        co = dataclasses.replace(co, loss=_over_common_denominator(co.loss), allocation={
            k: _over_common_denominator(q) for k, q in co.allocation.items()})
        extra = self.optimum_extra_notes(p, regime, co)
        extra += tuple(self._applicable(self.optimum_notes, p, regime.name))
        if not self.prefactors_known:
            return dataclasses.replace(co, prefactors={}, notes=tuple(
                n for n in co.notes if not n.startswith("prefactors")) + extra)
        return dataclasses.replace(co, notes=co.notes + extra)

    # -- checks ------------------------------------------------------------------------------

    def agreement(self, quick: bool = True) -> list[AgreementRow]:
        """Run every declared check at the size ``quick`` selects (a check that size cannot resolve is
        measured and shown, verdict "not resolved"); each row records its CPU seconds."""
        rows = []
        for check in self.checks:
            start = time.process_time()
            theory = (self.analyze(**check.point)[check.path].value if check.path is not None
                      else check.theory(quick))
            row = _row(check, float(theory), quick)
            rows.append(row.but(model=self.name, seconds=time.process_time() - start))
        return rows


def _row(check: Check, theory: float, quick: bool) -> AgreementRow:
    """The check's row; a sampled measurement's tolerance is its CI half-width plus the check's allowance."""
    record = {"route": check.route, "resource": check.resource, "params": check.record_params(),
              "size": "quick" if quick else "full", "seeds": check.seeds_at(quick),
              "resolved": check.resolves_quick or not quick}
    if check.interval is None:
        return AgreementRow(check.quantity, theory, check.measure(quick), check.tolerance, check.why, check.note,
                            check.caveat, **record)
    low, high = (float(v) for v in check.interval(quick))
    half = (high - low) / 2 / abs(theory)
    why = (f"CI of the mean [{low:.4g}, {high:.4g}] (+-{half:.1e} relative) + allowance "
           f"{check.tolerance:.1e}: {check.why}")
    return AgreementRow(check.quantity, theory, check.measure(quick), half + check.tolerance, why, check.note,
                        check.caveat, (low, high), **record)


def _over_common_denominator(q: Quantity) -> Quantity:
    """A symbolic exponent as one fraction (``2 - 1/alpha`` -> ``(2*alpha - 1)/alpha``)."""
    return dataclasses.replace(q, expr=sp.together(q.expr)) if q.expr.free_symbols and q.expr.is_Add else q


def dominance(law: ScalingLaw, fast: sp.Symbol, slow: sp.Symbol, point: dict, skip=()) -> list[Term]:
    r"""Dominant terms along :math:`{\rm fast} = {\rm slow}^x` as ``x`` grows (the paper's "A -> B").

    At fixed large ``slow`` a term :math:`{\rm slow}^{-r_s}{\rm fast}^{-r_f}` decays like
    :math:`{\rm slow}^{-(r_s + x r_f)}`; the dominant term minimises :math:`r_s + x r_f`. Terms in a
    resource of ``skip`` are left out; exponents are evaluated at ``point`` (``{symbol: value}``).
    """
    lines = [(term, sp.sympify(term.powers.get(slow, 0)).subs(point), sp.sympify(term.powers.get(fast, 0)).subs(point))
             for term in law.terms if not set(term.powers) & set(skip)]
    seq, x = [], sp.Integer(0)
    val = lambda ln, xx: ln[1] + xx * ln[2]  # noqa: E731
    while True:
        best = min(lines, key=lambda ln: (val(ln, x), val(ln, x + 1)))
        if not seq or seq[-1] is not best[0]:
            seq.append(best[0])
        later = [(ln[1] - best[1]) / (best[2] - ln[2]) for ln in lines
                 if ln[2] < best[2] and (ln[1] - best[1]) / (best[2] - ln[2]) > x]
        if not later:
            return seq
        x = min(later)


__all__ = ["RegimeSpec", "LossTerm", "Note", "Check", "AgreementRow", "Budget", "DeclaredModel", "dominance",
           "exact_params", "ROUTES", "RESOURCES", "VERDICTS", "NOT_RESOLVED_QUICK"]
