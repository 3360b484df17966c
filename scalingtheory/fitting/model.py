r"""A law to fit, read from text or SymPy: its resources, linear and nonlinear parameters.

The free symbols of the law that name columns of the data are the *resources*; the
others are *parameters*. A parameter :math:`c_j` is **linear** when the law is affine in
it with no product of two linear parameters, so that, once the nonlinear parameters
:math:`\phi` (the exponents) are fixed,

.. math:: L(X;\, c, \phi) = h(X; \phi) + \sum_j c_j\, g_j(X; \phi),
   \qquad g_j = \partial L/\partial c_j,\quad h = L|_{c=0} .

For Chinchilla's form ``E + A*N**-a + B*D**-b`` (Hoffmann et al. 2022, Eq. 2) the linear
parameters are ``E, A, B`` with :math:`g = (1, N^{-a}, D^{-b})` and :math:`h = 0`; the
nonlinear ones are ``a, b``. Linear parameters are taken >= 0 (coefficients of a
sum of decaying terms); :mod:`scalingtheory.fitting.varpro` solves for them exactly.

>>> m = LawModel("E + A*N**-a + B*D**-b", ["N", "D", "loss"], "loss")
>>> m.resources, m.linear, m.nonlinear
((N, D), (A, B, E), (a, b))
>>> LawModel("E + A*params**-a", ["N", "loss"], "loss")
Traceback (most recent call last):
...
ValueError: law E + A*params**-a: no symbol names a column (columns: N, loss); ...
"""

from __future__ import annotations

import ast

import numpy as np
import sympy as sp

from ..parsing import CONSTANTS, FUNCTIONS, MAX_LENGTH, parse_formula


def _names_in(text: str) -> list[str]:
    """Identifiers used in a formula (ast only parses; nothing is evaluated)."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        parse_formula(text)  # raises the parser's own message
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, MemoryError, RecursionError):
        parse_formula(text)
        raise
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return sorted(names - calls - set(CONSTANTS) - set(FUNCTIONS))


def parse_law(law, columns) -> sp.Expr:
    """The law as a SymPy expression whose symbols are all ``positive=True``.

    ``law`` is text (read by :func:`scalingtheory.parsing.parse_formula`, an AST
    whitelist, never ``eval``) or a SymPy expression, which passes the same whitelist and size checks.
    """
    if isinstance(law, sp.Basic):
        return parse_formula(law, {s.name: sp.Symbol(s.name, positive=True) for s in law.free_symbols})
    return parse_formula(law, {n: sp.Symbol(n, positive=True) for n in _names_in(law)})


def _only_in_exponents(expr, p) -> bool:
    """Whether every occurrence of ``p`` in ``expr`` lies in the exponent of a power (an exponent-like
    parameter such as ``a`` in ``N**-a``); otherwise ``p`` sets a scale (``Nc`` in ``(Nc/N)**a``,
    ``R`` in ``exp(-D/R)``, ``A`` in ``(A*N**-a + B)**c``).

    >>> a, c, A, N = sp.symbols("a c A N", positive=True)
    >>> _only_in_exponents((A*N**-a + 1)**c, a), _only_in_exponents((A*N**-a + 1)**c, A)
    (True, False)
    """
    def walk(e, in_exponent):
        if e == p:
            return in_exponent
        if e.is_Pow:
            return walk(e.base, in_exponent) and walk(e.exp, True)
        return all(walk(arg, in_exponent) for arg in e.args)

    return walk(expr, False)


def _named_resources(resources, columns, symbols, text) -> list[str]:
    """The explicitly named resources as a list of column names, each a column and a symbol of the law."""
    if isinstance(resources, str) or not all(isinstance(r, str) for r in resources):
        raise ValueError(f"resources must be a list of column names, got {str(resources)[:60]!r}")
    names, in_law = list(resources), {s.name for s in symbols}
    for n in names:
        if n not in columns:
            raise ValueError(f"resource {n[:40]!r} is not a column; columns are {', '.join(columns)}")
        if n not in in_law:
            raise ValueError(f"resource {n[:40]!r} is not a symbol of the law {text}")
    return names


class LawModel:
    """The numeric side of a law: evaluation, log-Jacobian and the linear/nonlinear split.

    ``columns`` are the available column names and ``y`` the response column, which the
    law may not use. ``resources``: the columns that are resources, named explicitly (default:
    every symbol of the law that names a column). Raises ``ValueError`` for a law that names no
    column, has no parameter, or uses ``y``, and, without ``resources``, for a symbol that names a
    column yet appears only in exponents (ambiguous: a parameter named like a column).

    >>> LawModel("E + A*N**-a", ["N", "a", "loss"], "loss", resources=["N"]).params
    (A, E, a)
    """

    def __init__(self, law, columns, y: str, resources=None):
        self.expr = parse_law(law, columns)
        self.text = law.strip() if isinstance(law, str) else sp.sstr(self.expr)
        text = self.text
        symbols = sorted(self.expr.free_symbols, key=lambda s: s.name)
        cols = list(columns) if resources is None else _named_resources(resources, columns, symbols, text)
        if any(s.name == y for s in symbols):
            raise ValueError(f"law {text} uses the response column {y!r}")
        self.resources = tuple(sorted((s for s in symbols if s.name in cols), key=lambda s: cols.index(s.name)))
        self.params = tuple(s for s in symbols if s.name not in cols)
        if not self.resources:
            raise ValueError(f"law {text}: no symbol names a column (columns: {', '.join(cols)}); "
                             "name the resources as the CSV header does, e.g. 'E + A*params**-a + B*tokens**-b'")
        if not self.params:
            raise ValueError(f"law {text} has no parameter to fit")
        ambiguous = [x.name for x in self.resources if _only_in_exponents(self.expr, x)] if resources is None else []
        if ambiguous:
            raise ValueError(f"law {text}: {ambiguous[0]!r} is both a symbol of the law and a column of the data, "
                             f"so it would be read as a resource, yet it appears only in exponents, as a parameter does: "
                             f"rename the parameter or the column, or name the resources (resources=[...], "
                             f"--resources N,D)")
        self.undecided = self._check_decreasing()
        self.linear = self._linear_parameters()
        self.nonlinear = tuple(p for p in self.params if p not in self.linear)
        self.scales = tuple(p for p in self.nonlinear if not _only_in_exponents(self.expr, p))
        self._build()

    def _check_decreasing(self) -> tuple:
        """Refuse a law that rises with a resource for every positive value of its parameters.

        A scaling law falls as a resource grows; with every symbol positive, SymPy's assumptions
        decide the sign of dL/dx for laws such as ``E + A*exp(N)`` or
        ``E + A*N**a`` (rising: refused) and ``E + A*N**-a + B*D**-b`` (falling). Returns the
        resources whose sign the structure leaves open (checked on the fitted law instead).

        >>> LawModel("E + A*N**a", ["N", "loss"], "loss")
        Traceback (most recent call last):
        ...
        ValueError: law E + A*N**a rises with N for every positive value of its parameters ...
        """
        undecided = []
        for x in self.resources:
            slope = sp.diff(self.expr, x)
            if slope.is_nonnegative:
                raise ValueError(f"law {self.text} rises with {x} for every positive value of its parameters "
                                 f"(d/d{x} = {sp.sstr(slope)} >= 0; parameters are positive): a scaling law must "
                                 f"fall as a resource grows, e.g. E + A*{x}**-a ({x} names a column of the data, so "
                                 "it is read as a resource; if it is meant as a parameter, rename it or the column)")
            if not slope.is_negative:
                undecided.append(x)
        return tuple(undecided)

    def slopes(self, theta, X) -> dict:
        """``dL/dx`` of the resources in :attr:`undecided` at ``theta``, at each run."""
        out = {}
        for x in self.undecided:
            f = sp.lambdify(self.resources + self.params, sp.diff(self.expr, x), "numpy")
            with np.errstate(all="ignore"):
                out[x.name] = np.broadcast_to(np.asarray(f(*X, *theta), float), np.shape(X[0]))
        return out

    def _linear_parameters(self) -> tuple:
        lin = []
        for p in self.params:
            d = sp.diff(self.expr, p)
            if p in d.free_symbols:
                continue
            if all(sp.simplify(sp.diff(d, q)) == 0 for q in lin):
                lin.append(p)
        return tuple(lin)

    def _build(self) -> None:
        args = self.resources + self.params
        self._f = sp.lambdify(args, self.expr, "numpy")
        self._grad = [sp.lambdify(args, sp.diff(self.expr, p), "numpy") for p in self.params]
        nl_args = self.resources + self.nonlinear
        self._basis = [sp.lambdify(nl_args, sp.diff(self.expr, c), "numpy") for c in self.linear]
        self._offset = sp.lambdify(nl_args, self.expr.subs({c: 0 for c in self.linear}), "numpy")

    @property
    def names(self) -> list[str]:
        """Parameter names in the order of the parameter vector ``theta``."""
        return [p.name for p in self.params]

    @property
    def route(self) -> str:
        """``"varpro"`` when the law has linear coefficients (projected out exactly), else ``"nls"``
        (full nonlinear least squares from many starts; e.g. Kaplan's ``((Nc/N)**(p/q) + Dc/D)**q``)."""
        return "varpro" if self.linear else "nls"

    @property
    def log_mask(self) -> np.ndarray:
        """Parameters refined in log space: the scale-like nonlinear ones (:attr:`scales`)."""
        return np.array([p in self.scales for p in self.params], bool)

    @property
    def linear_index(self) -> np.ndarray:
        return np.array([self.params.index(c) for c in self.linear], int)

    @property
    def nonlinear_index(self) -> np.ndarray:
        return np.array([self.params.index(p) for p in self.nonlinear], int)

    def predict(self, theta, X) -> np.ndarray:
        """``L(X; theta)`` for resource arrays ``X`` (tuple in the order of :attr:`resources`)."""
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(self._f(*X, *theta), float), np.shape(X[0])).astype(float)

    def log_jacobian(self, theta, X) -> np.ndarray:
        """``d log L / d theta`` as an ``(m, p)`` array."""
        shape = np.shape(X[0])
        with np.errstate(all="ignore"):
            cols = [np.broadcast_to(np.asarray(g(*X, *theta), float), shape) for g in self._grad]
            return np.column_stack(cols) / self.predict(theta, X)[:, None]

    def design(self, phi, X, shape=None) -> tuple[np.ndarray, np.ndarray]:
        """Basis ``G`` (``shape + (k,)``) of the linear parameters and offset ``h`` at nonlinear values ``phi``.

        ``phi`` and ``X`` broadcast against each other (e.g. a column of grid values
        against a row of data); ``shape`` is their broadcast shape (default: that of ``X[0]``).
        """
        shape = np.shape(X[0]) if shape is None else shape
        with np.errstate(all="ignore"):
            cols = [np.broadcast_to(np.asarray(g(*X, *phi), float), shape) for g in self._basis]
            G = np.stack(cols, axis=-1) if cols else np.empty(shape + (0,))
            h = np.broadcast_to(np.asarray(self._offset(*X, *phi), float), shape)
        return G, h

    def assemble(self, coef, phi) -> np.ndarray:
        """The parameter vector ``theta`` from linear coefficients and nonlinear values."""
        theta = np.empty(len(self.params))
        theta[self.linear_index] = coef
        theta[self.nonlinear_index] = phi
        return theta


__all__ = ["LawModel", "parse_law"]
