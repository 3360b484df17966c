"""Deprecated: one-resource curve fitting moved to :mod:`scalingtheory.fitting.curve` (``st.fit``).

This alias keeps ``from scalingtheory.numerics.fitting import fit`` (the documented path until 2026-12)
working with a ``DeprecationWarning``; it will be removed in the next minor release.
"""

import warnings

from ..fitting.curve import FitResult, fit, load_csv, prepare_data, rmsle, select_breaks

warnings.warn("scalingtheory.numerics.fitting moved to scalingtheory.fitting.curve (or use st.fit); "
              "this alias will be removed", DeprecationWarning, stacklevel=2)

__all__ = ["fit", "select_breaks", "FitResult", "prepare_data", "rmsle", "load_csv"]
