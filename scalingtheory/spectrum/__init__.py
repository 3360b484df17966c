"""From a data set to its exponents: ``alpha``, ``beta`` from a kernel spectrum, the models'
predictions, and learning curves measured on the same data.

``st.spectrum(X, y, kernel="rbf")`` is :func:`scalingtheory.spectrum.estimate.spectrum`; the
package itself is callable too, so ``st.spectrum(...)`` works also after
``import scalingtheory.spectrum`` has made the package an attribute of ``scalingtheory``.
"""
import importlib
import sys
import types

#: the package's names, imported from :mod:`.estimate` on first use (PEP 562): ``spectrum --help``,
#: which reads :mod:`.datasets` and :mod:`.kernels`, loads no NumPy
_EXPORTS = ("spectrum", "SpectrumEstimate")


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(".estimate", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        from .estimate import spectrum

        return spectrum(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

__all__ = ["spectrum", "SpectrumEstimate"]
