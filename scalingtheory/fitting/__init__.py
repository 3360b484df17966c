"""Fitting multi-resource scaling laws to tabular data (Chinchilla Approaches 1-3) with intervals.

:func:`fit_law` is the entry point; it returns a :class:`FittedLaw` whose ``.law`` is a
:class:`scalingtheory.laws.ScalingLaw` with the fitted values, so the exact
compute-optimal algebra applies to it. SciPy is imported here: ``import scalingtheory``
reaches this package only when ``fit_law`` is first used.
"""

from .law import FittedLaw, fit_law

__all__ = ["fit_law", "FittedLaw"]
