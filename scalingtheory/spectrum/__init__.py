"""From a data set to its exponents: ``alpha``, ``beta`` from a kernel spectrum, the models'
predictions, and learning curves measured on the same data.

``st.spectrum(X, y, kernel="rbf")`` is :func:`scalingtheory.spectrum.estimate.spectrum`; the
package itself is callable too, so ``st.spectrum(...)`` works also after
``import scalingtheory.spectrum`` has made the package an attribute of ``scalingtheory``.
"""
import sys
import types

from .estimate import SpectrumEstimate, spectrum


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return spectrum(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

__all__ = ["spectrum", "SpectrumEstimate"]
