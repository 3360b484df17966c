"""Fitting multi-resource scaling laws to tabular data (Chinchilla Approaches 1-3) with intervals.

:func:`fit_law` is the entry point; it returns a :class:`FittedLaw` whose ``.law`` is a
:class:`scalingtheory.laws.ScalingLaw` with the fitted values, so the exact
compute-optimal algebra applies to it. SciPy and SymPy are imported when ``fit_law`` or
``FittedLaw`` is first used (module ``__getattr__``), so a submodule such as
:mod:`scalingtheory.fitting.data` (read by the one-resource ``fit`` command) loads neither.
"""

__all__ = ["fit_law", "FittedLaw"]


def __getattr__(name: str):
    if name in __all__:
        from . import law

        return getattr(law, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
