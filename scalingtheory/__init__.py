"""scalingtheory: exact exponents and numerics for the theory of neural scaling laws.

>>> import scalingtheory as st
>>> from scalingtheory.symbols import N, D
>>> law = st.ScalingLaw.from_expr(N**-st.Rational(1, 3) + D**-st.Rational(1, 2), [N, D])
>>> law.compute_optimal(N*D).allocation
{D: 2/5, N: 3/5}

The names below are imported on first use (PEP 562), so ``import scalingtheory`` and
the command line start without loading libraries a task does not need.
"""

import importlib
import sys
import types

from ._version import __version__

#: public name -> module that defines it
_EXPORTS = {
    "Rational": "sympy",
    "exponents": ".api", "optimal": ".api", "table": ".api",
    "fit_law": ".fitting", "FittedLaw": ".fitting",
    "ScalingLaw": ".laws", "Term": ".laws", "ComputeOptimal": ".laws",
    "get_model": ".models",
    "parse_formula": ".parsing", "FormulaError": ".parsing",
    "ModelResult": ".results", "Quantity": ".results", "Regime": ".results",
    "PowerLawSpectrum": ".spectra",
    "fit": ".fitting.curve",
    "spectrum": ".spectrum",
}


def __getattr__(name: str):
    if name == "sweep":  # the sweep package (callable as st.sweep(spec, out)); Dask and pyarrow load when it runs
        return importlib.import_module(".sweep", __name__)
    if name not in _EXPORTS:
        raise AttributeError(f"module 'scalingtheory' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | {"models", "sweep"})


class _Package(types.ModuleType):
    """``st.models`` is the function :func:`scalingtheory.api.models`, also once the subpackage
    :mod:`scalingtheory.models` is imported (the import system records a subpackage as an attribute of
    its parent; ``sys.modules`` still holds it, which is what ``from scalingtheory.models import ...`` uses)."""

    @property
    def models(self):
        from .api import models
        return models

    @models.setter
    def models(self, value):
        pass


sys.modules[__name__].__class__ = _Package


__all__ = ["__version__", "Rational", "ScalingLaw", "Term", "ComputeOptimal", "PowerLawSpectrum",
           "Quantity", "Regime", "ModelResult", "parse_formula", "FormulaError",
           "get_model", "models", "optimal", "exponents", "sweep", "fit_law", "FittedLaw", "fit", "spectrum"]
