"""Shared SymPy symbols of the toolkit, with the assumptions that make algebra sound.

Every model builds its expressions from these symbols, so results of different
models can be compared, tabulated and substituted into each other.

Notation (feature-learning convention, Bordelon, Atanasov & Pehlevan 2025):

* ``alpha`` -- capacity, eigenvalues :math:`\\lambda_k = k^{-\\alpha}`;
* ``beta``  -- source, :math:`\\sum_{k>n} \\lambda_k (w^*_k)^2 \\sim n^{-\\alpha\\beta}`;
* ``a, b``  -- the (a, b) notation of the 2024 dynamical-model paper,
  :math:`b = \\alpha`, :math:`a = 1 + \\alpha\\beta`;
* ``gamma`` -- feature-learning strength (0 = lazy);
* resources ``t, T`` (time), ``N`` (width / parameters), ``P`` (samples),
  ``D`` (data), ``B`` (batch size), ``C`` (compute).

Symbols carry ``positive=True`` only; sharper domains (``alpha > 1``) are carried
as explicit assumptions (intervals) by the objects that need them.

>>> from scalingtheory.symbols import alpha, beta, t
>>> (t**(-alpha*beta)).is_positive
True
"""

import sympy as sp

alpha = sp.Symbol("alpha", positive=True)
beta = sp.Symbol("beta", positive=True)
gamma = sp.Symbol("gamma", nonnegative=True)
a = sp.Symbol("a", positive=True)
b = sp.Symbol("b", positive=True)

t = sp.Symbol("t", positive=True)
T = sp.Symbol("T", positive=True)
N = sp.Symbol("N", positive=True)
P = sp.Symbol("P", positive=True)
D = sp.Symbol("D", positive=True)
B = sp.Symbol("B", positive=True)
C = sp.Symbol("C", positive=True)

#: Resource name -> symbol, as named in the papers.
RESOURCES = {s.name: s for s in (t, T, N, P, D, B, C)}

__all__ = ["alpha", "beta", "gamma", "a", "b", "t", "T", "N", "P", "D", "B", "C", "RESOURCES"]
