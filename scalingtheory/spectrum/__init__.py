"""From a data set to its exponents: ``alpha``, ``beta`` from a kernel spectrum, the models'
predictions, and learning curves measured on the same data (``st.spectrum``)."""
from .estimate import SpectrumEstimate, spectrum

__all__ = ["spectrum", "SpectrumEstimate"]
