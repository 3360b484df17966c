r"""Model-specific questions (``scalingtheory query``): how a model declares them, and the two
answers every law-based model shares.

A question is a model method listed in ``Model.queries`` and marked with :func:`query`, which
gives the plain-text summary shown by ``scalingtheory query --model M --list`` and the help of
each argument (with its unit). It takes its own arguments and the model parameters (omitted
ones follow the rule of ``scalingtheory models``) and returns a
:class:`~scalingtheory.results.Quantity` or an :class:`~scalingtheory.results.Answer`.

Law-based models answer two questions from their own :class:`~scalingtheory.laws.ScalingLaw`
``L = sum_k A_k prod_X X^{-r_kX}``; the engine builds them (:func:`law_question`) from the model's
declarations: its resources, cost, units and the questions' texts
(:attr:`~scalingtheory.models.engine.DeclaredModel.law_questions`):

* :func:`loss_at`: the law at given resources (an omitted resource is unlimited, its terms vanish);
* :func:`compute_budget`: the compute-optimal point at budget ``C``, :math:`X^* = G_X C^{a_X}` and
  :math:`L^* = A_C C^{-r_C}` from :meth:`ScalingLaw.compute_optimal` (the balance of the active
  terms, asymptotic in ``C``); where the model does not know its terms' constants only the
  scaling :math:`X^*\propto C^{a_X}` is given.
"""

from __future__ import annotations

import inspect

import sympy as sp

from ..params import exact
from ..results import Answer, Quantity


def query(summary: str, **arguments: str):
    """Mark a model method as a question: ``summary`` and ``arguments`` (name -> help) are plain text."""
    def mark(method):
        method.query_summary = summary
        method.query_arguments = arguments
        return method
    return mark


def resource_value(value, name: str) -> sp.Expr:
    """A resource (time, width, samples, compute) as an exact positive number, or ``oo``."""
    if value is None or value is sp.oo or (isinstance(value, str) and value.strip() in ("oo", "inf")):
        return sp.oo
    val = exact(value, name)
    if not val > 0:
        raise ValueError(f"{name} must be > 0, got {val}")
    return val


def _point(model, params: dict):
    p = model.validate(**params)
    regime = model.regime(p)
    return p, regime, model.law(p, regime)


def loss_at(model, resources: dict, params: dict, unit: str) -> Quantity:
    """The model's law at ``resources`` (``{"t": ..., "N": ..., "P": ...}``; None = unlimited)."""
    from ..parsing import exact_or_numeric
    from ..symbols import RESOURCES

    values = {RESOURCES[name]: resource_value(v, name) for name, v in resources.items()}  # before the regime
    p, regime, law = _point(model, params)
    expr, notes = exact_or_numeric(law.expr, values)   # t**(-alpha*beta) at 1e29, alpha = beta = 100: 290,000 digits
    where = ", ".join(f"{k} = {sp.sstr(v)}" for k, v in zip(resources, values.values()))
    return Quantity("loss", expr, f"asymptotic loss L({', '.join(resources)}) of the {regime.name} regime at {where}",
                    regime.assumptions(), regime.name,
                    ("the sum of the regime's leading terms (model.law); it describes the loss once every "
                     "resource is large",) + notes, unit)


def _at_budget(prefactor: sp.Expr, power: sp.Expr, C: sp.Expr) -> tuple[sp.Expr, tuple]:
    """``prefactor * C**power`` by the bounded route of :func:`loss_at` (exact, else 30 digits): the product
    is never formed by SymPy first (``alpha = 2, beta = 1e-9`` gives a prefactor holding ``10**3000000000``,
    whose product with ``C**(1/3)`` SymPy never finished)."""
    from ..parsing import exact_or_numeric

    c = sp.Dummy("C", positive=True)
    return exact_or_numeric(sp.Mul(prefactor, sp.Pow(c, power), evaluate=False), {c: C})


def compute_budget(model, compute, params: dict, units: dict) -> Answer:
    """``X*`` for each resource of the cost and ``L*`` at compute ``C`` (see the module docstring).

    ``units`` maps ``"C"``, ``"L"`` and each resource name to its unit.
    """
    C = resource_value(compute, "C")
    if C is sp.oo:
        raise ValueError("give a finite compute budget --C")
    res = model.analyze(**params)
    co = res.compute_optimal
    known = "L" in co.prefactors
    out = []
    for x, a in co.allocation.items():
        value, note = _at_budget(co.prefactors[x].expr if known else sp.Integer(1), a.expr, C)
        out.append(Quantity(f"{x}*", value, f"compute-optimal {x} at C = {sp.sstr(C)} "
                            f"({x}* {'=' if known else 'proportional to'} {'G ' if known else ''}C^({sp.sstr(a.expr)}))",
                            a.assumptions, a.regime, note, units[x]))
    loss, note = _at_budget(co.prefactors["L"].expr if known else sp.Integer(1), -co.loss.expr, C)
    out.append(Quantity("L*", loss, f"compute-optimal loss at C = {sp.sstr(C)} "
                        f"(L* {'=' if known else 'proportional to'} {'A_C ' if known else ''}C^-({sp.sstr(co.loss.expr)}))",
                        co.loss.assumptions, co.loss.regime, note, units["L"]))
    notes = [f"cost C = {co.cost} ({units['C']})"]
    notes.append("prefactors from the balance of the active terms of the law (asymptotic in C)" if known else
                 "the model's terms carry unknown O(1) constants: only the scaling with C is known "
                 "(the numbers are the powers of C alone)")
    return Answer("budget", out, f"compute-optimal allocation of {model.name} ({res.regime})",
                  tuple(notes) + tuple(co.notes))


def law_question(cls, name: str, summary: str, arguments: dict):
    """The method answering the law's question ``name`` (``loss_at`` or ``budget``) for model class ``cls``.

    ``loss_at`` takes the resources of ``cls.resources`` but ``C``, in that order: the first is required,
    the others default to ``oo`` (unlimited); it is answered only where the law's constants are known
    (``prefactors_known``). ``budget`` takes the compute ``C`` of ``cls.cost``. ``arguments`` gives the
    help of each argument (name -> text); ``cls.units`` the unit of each resource, of ``C`` and of ``L``.

    >>> from scalingtheory.models.random_features import RandomFeaturesModel
    >>> law_question(RandomFeaturesModel, "loss_at", "the loss", {"t": "time", "N": "width"})
    Traceback (most recent call last):
    ...
    TypeError: RandomFeaturesModel.loss_at: give the help of each argument t, N, P (got t, N)
    """
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    if name == "loss_at":
        if not cls.prefactors_known:
            raise TypeError(f"{cls.__name__}.loss_at: the law's constants are unknown (prefactors_known = False)")
        names = [x for x in cls.resources if x != "C"]
        params = [inspect.Parameter(x, kind, **({} if i == 0 else {"default": sp.oo})) for i, x in enumerate(names)]

        def answer(self, *args, **kwargs):
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError as err:     # Python's own text names no function: "missing a required argument: 't'"
                raise TypeError(f"{type(self).__name__}.loss_at(): {err}") from None
            bound.apply_defaults()
            given = bound.arguments
            return loss_at(self, {x: given[x] for x in names}, given["params"], self.units["L"])
    elif name == "budget":
        if cls.cost is None:
            raise TypeError(f"{cls.__name__}.budget: the model declares no cost")
        names, params = ["C"], [inspect.Parameter("C", kind)]

        def answer(self, C, **params):
            return compute_budget(self, C, params, self.units)
    else:
        raise TypeError(f"{cls.__name__}: {name!r} is not a question of the law (loss_at, budget)")
    if list(arguments) != names:
        raise TypeError(f"{cls.__name__}.{name}: give the help of each argument {', '.join(names)} "
                        f"(got {', '.join(arguments)})")
    signature = inspect.Signature([inspect.Parameter("self", kind), *params,
                                   inspect.Parameter("params", inspect.Parameter.VAR_KEYWORD)])
    answer.__signature__ = signature
    answer.__name__ = answer.__qualname__ = name
    answer.__doc__ = summary
    return query(summary, **arguments)(answer)


__all__ = ["query", "loss_at", "compute_budget", "resource_value", "law_question"]
