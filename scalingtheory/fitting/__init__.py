"""Fits to data: one-resource learning curves (:func:`fit`, BNSL and M1-M4, :mod:`.curve`) and multi-resource
scaling laws (:func:`fit_law`, Chinchilla Approaches 1-3, :mod:`.law`), with intervals.

Both return a result of one protocol (:class:`~scalingtheory.fitting.fitted.Fitted`: ``report()``,
``predict``, ``predict_interval``, ``to_json()``, ``plot(ax)``, Jupyter views). A :class:`FittedLaw`'s ``.law``
is a :class:`scalingtheory.laws.ScalingLaw` with the fitted values, so the exact compute-optimal algebra applies
to it. The entry points are imported on first use (module ``__getattr__``), so a submodule such as
:mod:`scalingtheory.fitting.data` (read by the one-resource ``fit`` command) loads neither SciPy nor SymPy.
"""

__all__ = ["fit", "FitResult", "fit_law", "FittedLaw", "Fitted"]


def __getattr__(name: str):
    if name in ("fit_law", "FittedLaw"):
        from . import law as module
    elif name == "fit":
        from . import curve as module
    elif name == "FitResult":
        from . import curve_result as module
    elif name == "Fitted":
        from . import fitted as module
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(module, name)
