"""One symbol registry (scalingtheory.symbols): no two symbols print alike but mean different things.

A SymPy symbol is its printed name plus its assumptions, so a model that declared its own ``a`` would
either be the registry's ``a`` (one object, two meanings) or print like it (two objects, one name).
"""
import importlib
import pkgutil

import sympy as sp

import scalingtheory
from scalingtheory import symbols
from scalingtheory.models import available, get_model

REGISTRY = {name: value for name, value in vars(symbols).items() if isinstance(value, sp.Symbol)}


def test_registry_names_print_uniquely():
    printed = {}
    for name, sym in REGISTRY.items():
        printed.setdefault(str(sym), set()).add(sym)
    assert {k: v for k, v in printed.items() if len(v) > 1} == {}


def _modules():
    for info in pkgutil.walk_packages(scalingtheory.__path__, "scalingtheory."):
        if info.name.split(".")[1] in {"models", "numerics", "spectra", "laws", "inequalities", "params", "verify",
                                       "parsing", "results", "symbols"}:
            yield importlib.import_module(info.name)


def test_module_symbols_are_the_registry_ones():
    """A module-level symbol printed like a registry symbol is that symbol (same assumptions)."""
    by_name = {str(s): s for s in REGISTRY.values()}
    clashes = [(m.__name__, attr, str(v)) for m in _modules() for attr, v in vars(m).items()
               if isinstance(v, sp.Symbol) and str(v) in by_name and v is not by_name[str(v)]
               and v != by_name[str(v)]]
    assert clashes == []


def test_model_parameter_symbols_do_not_shadow_other_meanings():
    """Every model parameter's symbol is the registry's when it prints like one (BNSL's a, b are the
    registry's bnsl_a, bnsl_b; random_features' a, b print a_RF, b_RF), and the printed names of the
    parameters of all models together mean one thing each."""
    by_name = {str(s): s for s in REGISTRY.values()}
    seen = {}
    for name in available():
        for p in get_model(name).parameters:
            sym = getattr(p, "symbol", None)
            if sym is None:
                continue
            assert by_name.get(str(sym), sym) == sym, (name, p.name)
            seen.setdefault(str(sym), set()).add(sym)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_bnsl_keeps_the_papers_letters():
    from scalingtheory.models.bnsl import bnsl_expr, bnsl_symbols

    a, b, c, d, f = bnsl_symbols(1)
    assert (a, b) == (symbols.bnsl_a, symbols.bnsl_b) and a.is_nonnegative and a.is_positive is None
    assert str(bnsl_expr(1)) == "a + b/(x**c0*((x/d1)**(1/f1) + 1)**(c1*f1))"  # Caballero et al., Eq. 1
    assert symbols.bnsl_b != symbols.b_rf and str(symbols.b_rf) == "b_RF"
