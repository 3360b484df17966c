"""The toolkit's SymPy symbols: one registry, one symbol per meaning, with the assumptions that
make algebra sound.

Every model builds its expressions from these symbols, so results of different models can be
compared, tabulated and substituted into each other. No two symbols here print alike (a SymPy
symbol is its printed name plus its assumptions, so two meanings under one name would be one
object, or two objects that print the same): where two papers use one letter for different things,
the paper whose letter is the model's own parameter keeps it and the other is qualified.

Exponents of power-law families (feature-learning convention, Bordelon, Atanasov & Pehlevan 2025):

* ``alpha`` -- capacity, eigenvalues :math:`\\lambda_k = k^{-\\alpha}` (in sparse parity the skill
  frequencies :math:`P_s(k) \\propto k^{-(\\alpha+1)}`, Nam et al. 2024 Eq. 1);
* ``beta``  -- source, :math:`\\sum_{k>n} \\lambda_k (w^*_k)^2 \\sim n^{-\\alpha\\beta}`;
* ``gamma`` -- feature-learning strength (0 = lazy);
* ``a_rf, b_rf`` (printed ``a_RF``, ``b_RF``) -- the (a, b) notation of Bordelon, Atanasov &
  Pehlevan (ICML 2024), Eq. 13: :math:`\\lambda_k \\sim k^{-b}`, :math:`\\lambda_k w_k^2 \\sim k^{-a}`,
  so :math:`b = \\alpha`, :math:`a = 1 + \\alpha\\beta`;
* ``k`` -- the rank of a component of a power-law ordered family (mode ``k`` of a spectrum, skill ``k``).

Resources: ``t, T`` (time; ``T`` is the symbol of Nam et al.), ``N`` (width / parameters), ``P``
(samples), ``D`` (data), ``B`` (batch size), ``C`` (compute); ``x`` the one resource of a
learning-curve form.

Broken neural scaling law (Caballero, Gupta, Rish & Krueger, ICLR 2023, Eq. 1),
:math:`y = a + b\\,x^{-c_0}\\prod_i (1 + (x/d_i)^{1/f_i})^{-c_i f_i}`, in the paper's letters:
``bnsl_a`` (printed ``a``, the limit, :math:`a \\ge 0`) and ``bnsl_b`` (printed ``b``, the scale);
the :math:`c_i, d_i, f_i` of ``n`` breaks come from :func:`scalingtheory.models.bnsl.bnsl_symbols`.

Multitask sparse parity (Nam, Fonseca, Lee, Mingard & Louis, NeurIPS 2024): ``S`` target scale,
``r`` initial skill strength, ``eta`` learning rate, ``n_s`` number of skills, ``epsilon`` emergence
threshold, ``p`` sample fraction :math:`d_k/D` (or :math:`P_s(k)`), ``u`` and ``lam`` (printed
``lambda``) the integration variable of the prefactor integrals and Theorem 4's width/time ratio.

Symbols carry ``positive=True`` (BNSL's limit ``nonnegative``); sharper domains (``alpha > 1``) are
carried as explicit assumptions (intervals) by the objects that need them.

>>> from scalingtheory.symbols import alpha, beta, t
>>> (t**(-alpha*beta)).is_positive
True
>>> str(a_rf + bnsl_a)
'a + a_RF'
"""

import sympy as sp

alpha = sp.Symbol("alpha", positive=True)
beta = sp.Symbol("beta", positive=True)
gamma = sp.Symbol("gamma", nonnegative=True)
a_rf = sp.Symbol("a_RF", positive=True)
b_rf = sp.Symbol("b_RF", positive=True)
k = sp.Symbol("k", positive=True, integer=True)

t = sp.Symbol("t", positive=True)
T = sp.Symbol("T", positive=True)
N = sp.Symbol("N", positive=True)
P = sp.Symbol("P", positive=True)
D = sp.Symbol("D", positive=True)
B = sp.Symbol("B", positive=True)
C = sp.Symbol("C", positive=True)
x = sp.Symbol("x", positive=True)

bnsl_a = sp.Symbol("a", nonnegative=True)
bnsl_b = sp.Symbol("b", positive=True)

S = sp.Symbol("S", positive=True)
r = sp.Symbol("r", positive=True)
eta = sp.Symbol("eta", positive=True)
n_s = sp.Symbol("n_s", positive=True, integer=True)
epsilon = sp.Symbol("epsilon", positive=True)
p = sp.Symbol("p", positive=True)
u = sp.Symbol("u", positive=True)
lam = sp.Symbol("lambda", positive=True)

#: Resource name -> symbol, as named in the papers.
RESOURCES = {s.name: s for s in (t, T, N, P, D, B, C)}

__all__ = ["alpha", "beta", "gamma", "a_rf", "b_rf", "k", "t", "T", "N", "P", "D", "B", "C", "x", "bnsl_a",
           "bnsl_b", "S", "r", "eta", "n_s", "epsilon", "p", "u", "lam", "RESOURCES"]
