"""scalingtheory: exact exponents and numerics for the theory of neural scaling laws.

>>> import scalingtheory as st
>>> from scalingtheory.symbols import N, D
>>> law = st.ScalingLaw.from_expr(N**-st.Rational(1, 3) + D**-st.Rational(1, 2), [N, D])
>>> law.compute_optimal(N*D).allocation
{D: 2/5, N: 3/5}
"""

from sympy import Rational

from ._version import __version__
from .api import exponents, models, optimal
from .laws import ComputeOptimal, ScalingLaw, Term
from .models import get_model
from .parsing import FormulaError, parse_formula
from .results import ModelResult, Quantity, Regime
from .spectra import PowerLawSpectrum

__all__ = ["__version__", "Rational", "ScalingLaw", "Term", "ComputeOptimal", "PowerLawSpectrum",
           "Quantity", "Regime", "ModelResult", "parse_formula", "FormulaError",
           "get_model", "models", "optimal", "exponents"]
