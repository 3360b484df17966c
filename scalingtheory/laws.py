r"""The algebra of sums of power laws.

A scaling law is a loss written as a floor plus a sum of power-law terms in the
resources (time, width, data, ...):

.. math::

    L = L_\infty + \sum_k A_k \prod_X X^{-r_{kX}} .

Most terms involve a single resource (``A N^{-a}``); mixed terms such as the
finite-width correction ``N^{-1} t^{-(1-1/\alpha)}`` are allowed too.
:class:`ScalingLaw` derives, exactly and with SymPy:

* the decay rate in one resource when the others are unlimited
  (:meth:`ScalingLaw.exponent`);
* which term dominates where (:meth:`ScalingLaw.bottlenecks`);
* the compute-optimal allocation under a cost :math:`C = k \prod_X X^{c_X}`
  (:meth:`ScalingLaw.compute_optimal`).

Compute-optimal exponents. Write :math:`X = G_X C^{a_X}`. Term ``k`` then decays as
:math:`C^{-e_k}` with :math:`e_k = \sum_X r_{kX} a_X`, and the loss as :math:`C^{-s}`
with :math:`s = \min_k e_k`. The best allocation solves the linear program

.. math::

    \max_{a \ge 0} \; \min_k e_k(a) \quad \text{s.t.} \quad \sum_X c_X a_X = 1,

whose optimum is a vertex. We enumerate the vertices exactly; their feasibility and
their order are decided by :func:`scalingtheory.inequalities.sign` under the law's
assumptions. Undecidable comparisons become ``Piecewise`` conditions and ties are
reported in :attr:`ComputeOptimal.notes`.

Prefactors. At the optimal vertex the active terms balance. For active terms
:math:`K` and growing resources :math:`F` with a square invertible matrix
:math:`M = (r_{kX})_{k\in K, X\in F}`, the Lagrange conditions
:math:`\sum_k r_{kX} T_k = \lambda c_X` give the term values :math:`T_k = \lambda\tau_k`
with :math:`\tau = M^{-T} c`, and the constraint fixes :math:`\lambda`:

.. math::

    \lambda = \Big(\frac{C}{k}\Big)^{-1/\sum\tau} \prod_k \Big(\frac{A_k}{\tau_k}\Big)^{\tau_k/\sum\tau},
    \qquad X^* = \prod_k \Big(\frac{A_k}{\lambda \tau_k}\Big)^{(M^{-1})_{Xk}},
    \qquad L^* - L_\infty = \lambda \sum_k \tau_k .

For the Chinchilla form this is Hoffmann et al. (2022), Eq. (4), exactly.

>>> import sympy as sp
>>> from scalingtheory.symbols import N, D, C
>>> E, A, B, a, b = sp.symbols("E A B a b", positive=True)
>>> law = ScalingLaw.from_expr(E + A*N**-a + B*D**-b, [N, D])
>>> opt = law.compute_optimal(6*N*D)
>>> opt.allocation[N], opt.allocation[D], opt.loss_exponent
(b/(a + b), a/(a + b), a*b/(a + b))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import sympy as sp

from .inequalities import boundary, resolve_minmax, sign


@dataclass(frozen=True)
class Term:
    """One term ``coefficient * prod_X X**(-powers[X])`` of a scaling law."""

    coefficient: sp.Expr
    powers: dict
    label: str = ""

    def __post_init__(self):
        from .parsing import bounded_numbers        # no integer of thousands of digits (parsing.bounded_numbers)

        object.__setattr__(self, "coefficient", bounded_numbers(sp.sympify(self.coefficient)))
        object.__setattr__(self, "powers", {x: sp.sympify(r) for x, r in self.powers.items() if r != 0})

    @property
    def monomial(self) -> sp.Expr:
        """``prod_X X**(-powers[X])``: the term without its coefficient (``expr / coefficient`` need not
        cancel: at alpha = 135/64, beta = 29/64 SymPy left an integer of 4428 digits, 3**3547 * 5**3913).

        >>> Term(sp.Rational(1, 2), {sp.Symbol("N"): sp.Rational(1, 3)}).monomial
        N**(-1/3)
        """
        return sp.Mul(*[x ** (-r) for x, r in self.powers.items()])

    @property
    def expr(self) -> sp.Expr:
        return self.coefficient * self.monomial

    @property
    def resources(self) -> frozenset:
        return frozenset(self.powers)

    def __str__(self) -> str:
        return self.label or sp.sstr(self.expr)


@dataclass(frozen=True)
class Bottleneck:
    """Term ``term`` dominates the loss where all ``conditions`` hold (up to prefactors)."""

    term: Term
    conditions: tuple

    def __str__(self) -> str:
        conds = " and ".join(sp.sstr(c) for c in self.conditions) or "everywhere"
        return f"{self.term} dominates where {conds}"


@dataclass
class ComputeOptimal:
    """Compute-optimal rule of a :class:`ScalingLaw` (see the module docstring).

    Attributes
    ----------
    cost : sympy.Expr
        The cost ``C`` as a product of resources.
    allocation : dict
        Resource -> exponent ``a_X`` with ``X* ~ C^{a_X}``.
    loss_exponent : sympy.Expr
        ``r_C`` with ``L* - L_inf ~ C^{-r_C}``.
    allocation_prefactors, loss_prefactor :
        ``G_X`` in ``X* = G_X C^{a_X}`` and ``A_C`` in ``L* - L_inf = A_C C^{-r_C}``
        (asymptotically, from the balancing terms); ``None`` where not defined.
    active_terms : tuple
        The terms that balance at the optimum.
    notes : list of str
        Ties, degenerate optima, dropped terms, undecided conditions.
    """

    cost: sp.Expr
    allocation: dict
    loss_exponent: sp.Expr
    allocation_prefactors: dict | None = None
    loss_prefactor: sp.Expr | None = None
    active_terms: tuple = ()
    notes: list = field(default_factory=list)

    def _rows(self):
        from .results import rule_rows
        prefs = dict(self.allocation_prefactors or {})
        if self.loss_prefactor is not None:
            prefs["L"] = self.loss_prefactor
        return rule_rows(self.loss_exponent, self.allocation, prefs)

    def __repr__(self) -> str:
        from .results import _rule_repr
        return _rule_repr("ComputeOptimal", sp.sstr(self.cost), self.loss_exponent, self.allocation)

    def latex(self) -> str:
        """The rule as a LaTeX ``array``: exponents, then prefactors where defined."""
        from .results import _rule_latex
        return _rule_latex(self.cost, self._rows())

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def _repr_html_(self) -> str:
        from .results import _rule_html
        return _rule_html(sp.sstr(self.cost), self._rows(), self.notes)

    def to_json(self) -> dict:
        """``{"cost", "loss", "allocation", "prefactors", "notes"}`` with ``{"expr", "value"}`` numbers."""
        from .results import num_json
        prefs = {str(x): num_json(g) for x, g in (self.allocation_prefactors or {}).items()}
        if self.loss_prefactor is not None:
            prefs["L"] = num_json(self.loss_prefactor)
        return {"cost": sp.sstr(self.cost), "loss": num_json(self.loss_exponent),
                "allocation": {str(x): num_json(e) for x, e in self.allocation.items()},
                "prefactors": prefs, "notes": list(self.notes)}


def _split_powers(product: sp.Expr, resources, what: str) -> tuple[sp.Expr, dict]:
    """Split ``product = k * prod X**e_X`` into ``k`` and ``{X: e_X}`` (ValueError naming ``what``)."""
    const, powers = sp.Integer(1), {}
    for base, exp in sp.sympify(product).as_powers_dict().items():
        if base in resources:
            powers[base] = exp
        elif base.free_symbols & set(resources):
            raise ValueError(f"{what} must be a product of powers of {sorted(set(map(str, resources)))}, got {product}")
        else:
            const *= base**exp
    return const, powers


def _cost_powers(cost: sp.Expr, resources) -> tuple[sp.Expr, dict]:
    """Split ``cost = k * prod X**c_X`` into ``k`` and ``{X: c_X}``."""
    const, powers = _split_powers(cost, resources, "cost")
    if not powers:
        raise ValueError(f"cost {cost} involves none of the resources {sorted(map(str, resources))}")
    return const, powers


class ScalingLaw:
    r"""``L = floor + sum_k A_k prod_X X^(-r_kX)`` with exact, possibly symbolic exponents.

    Parameters
    ----------
    terms : sequence of Term
    floor : sympy.Expr
        The irreducible loss ``L_inf``.
    assumptions : dict
        Symbol -> :class:`sympy.Interval`, the parameter region (e.g. a regime) under
        which inequalities between exponents are decided.
    """

    def __init__(self, terms, floor=0, assumptions: dict | None = None):
        self.assumptions = dict(assumptions or {})
        # Min/Max in exponents that the assumptions decide are resolved once, here
        self.terms = tuple(Term(t.coefficient, {x: resolve_minmax(r, self.assumptions) for x, r in t.powers.items()},
                                t.label) for t in terms)
        if not self.terms:
            raise ValueError("a scaling law needs at least one term")
        self.floor = sp.sympify(floor)
        for term in self.terms:
            for x, r in term.powers.items():
                if sign(r, self.assumptions) == -1:
                    raise ValueError(f"term {term}: exponent of {x} must be a decay rate > 0, got {r}")

    @classmethod
    def from_expr(cls, expr, resources, assumptions: dict | None = None) -> "ScalingLaw":
        """Read a law from an expression such as ``E + A*N**-a + B*D**-b``."""
        resources = tuple(resources)
        floor, terms = sp.Integer(0), []
        for add in sp.Add.make_args(sp.expand(sp.sympify(expr))):
            coeff, powers = _split_powers(add, resources, f"term {add}")
            if powers:
                terms.append(Term(coeff, {x: -e for x, e in powers.items()}))
            else:
                floor += add
        return cls(terms, floor, assumptions)

    @property
    def resources(self) -> tuple:
        return tuple(sorted(set().union(*(t.resources for t in self.terms)), key=str))

    @property
    def expr(self) -> sp.Expr:
        return self.floor + sp.Add(*[t.expr for t in self.terms])

    def __repr__(self) -> str:
        return f"ScalingLaw({sp.sstr(self.expr)})"

    def latex(self) -> str:
        """LaTeX of the law's expression."""
        return sp.latex(self.expr)

    def _repr_latex_(self) -> str:
        return f"$L = {self.latex()}$"

    def subs(self, values: dict) -> "ScalingLaw":
        """The law with parameters substituted (e.g. ``{alpha: 2, beta: Rational(1, 2)}``)."""
        terms = [Term(t.coefficient.subs(values), {x: r.subs(values) for x, r in t.powers.items()}, t.label)
                 for t in self.terms]
        return ScalingLaw(terms, self.floor.subs(values),
                          {s: iv for s, iv in self.assumptions.items() if s not in values})

    def lambdify(self, modules="numpy"):
        """Numeric ``L(*resources)`` in the order of :attr:`resources` (parameters must be numbers)."""
        return sp.lambdify(self.resources, self.expr, modules=modules)

    def _sign(self, expr):
        return sign(expr, self.assumptions)

    def exponent(self, resource: sp.Symbol) -> sp.Expr:
        """Decay rate ``r`` of ``L - L_inf ~ X^-r`` in ``X`` alone (all other resources -> oo).

        The slowest single-resource term wins: ``Min`` of their exponents, resolved where
        the assumptions decide it. Returns 0 when no term depends on ``X`` alone.
        """
        rates = [t.powers[resource] for t in self.terms if t.resources == {resource}]
        if not rates:
            return sp.Integer(0)
        return resolve_minmax(sp.Min(*rates), self.assumptions)

    def bottlenecks(self) -> list[Bottleneck]:
        """For each term, the inequalities (between powers of resources) where it dominates.

        Prefactors are ignored: the conditions describe the asymptotic regions
        ``prod X^{r_kX} < prod X^{r_jX}`` for every other term ``j``.
        """
        out = []
        for k, term in enumerate(self.terms):
            conds = []
            for j, other in enumerate(self.terms):
                if j == k:
                    continue
                lhs = sp.Mul(*[x**r for x, r in term.powers.items()])
                rhs = sp.Mul(*[x**r for x, r in other.powers.items()])
                conds.append(sp.StrictLessThan(lhs, rhs, evaluate=False))
            out.append(Bottleneck(term, tuple(conds)))
        return out

    # -- compute-optimal allocation -------------------------------------------------

    def compute_optimal(self, cost, prefactors: bool = True) -> ComputeOptimal:
        """Compute-optimal allocation for the cost ``C = k prod_X X^{c_X}`` (module docstring).

        Resources absent from the cost are treated as unlimited, so terms that involve
        them vanish (reported in the notes). A text cost such as ``"6*N*D"`` is read by
        the safe parser with its names bound to the law's resources. ``prefactors=False``
        skips the prefactors (left None; about half the work for symbolic laws).
        """
        if isinstance(cost, str):
            from .parsing import parse_formula

            cost = parse_formula(cost, {str(x): x for x in self.resources})
        const, cpow = _cost_powers(cost, self.resources + tuple(sp.sympify(cost).free_symbols))
        notes = []
        live = [t for t in self.terms if t.resources <= set(cpow)]
        dropped = [t for t in self.terms if not t.resources <= set(cpow)]
        if dropped:
            notes.append("resources outside the cost are taken as unlimited; dropped terms: "
                         + ", ".join(str(t) for t in dropped))
        if not live:
            raise ValueError(f"no term of {self} depends only on the resources of the cost {cost}")
        xs = sorted(cpow, key=str)
        vertices = self._vertices(live, xs, cpow, notes)
        if not vertices:
            raise ValueError(f"no feasible compute-optimal allocation for {self} under cost {cost}")
        best = self._best_vertices(vertices, notes)
        if len(best) == 1:
            vertex = best[0]
            allocation, s = vertex["a"], vertex["s"]
            prefs, loss_pref = self._prefactors(vertex, live, xs, cpow, const, notes) if prefactors else (None, None)
        else:
            allocation = {x: sp.Piecewise(*[(v["a"][x], v["cond"]) for v in best]) for x in xs}
            s = sp.Piecewise(*[(v["s"], v["cond"]) for v in best])
            prefs, loss_pref = None, None
            notes.append("the optimum depends on conditions the assumptions do not decide; "
                         "results are Piecewise (give parameter values or a regime)")
        if self._sign(s) in (0, -1):
            notes.append("the loss does not decrease with compute under this cost")
        active = tuple(live[k] for k in best[0]["active"]) if len(best) == 1 else ()
        return ComputeOptimal(sp.sympify(cost), allocation, s, prefs, loss_pref, active, notes)

    def _vertices(self, live, xs, cpow, notes) -> list[dict]:
        """Feasible (or conditionally feasible) vertices of the max-min LP."""
        a = {x: sp.Dummy(f"a_{x}") for x in xs}
        s = sp.Dummy("s")
        e = [sp.Add(*[t.powers.get(x, 0) * a[x] for x in xs]) for t in live]
        # inequalities written as slack >= 0: terms (e_k - s) then non-negativity (a_X)
        slacks = [ek - s for ek in e] + [a[x] for x in xs]
        budget = sp.Add(*[cpow[x] * a[x] for x in xs]) - 1
        unknowns = list(a.values()) + [s]
        out = []
        for tight in itertools.combinations(range(len(slacks)), len(xs)):
            system = [budget] + [slacks[i] for i in tight]
            matrix, rhs = sp.linear_eq_to_matrix(system, unknowns)
            if matrix.det(method="berkowitz") == 0:
                continue
            sol = dict(zip(unknowns, (sp.cancel(v) for v in matrix.LUsolve(rhs))))
            conds, feasible = [], True
            for i, slack in enumerate(slacks):
                if i in tight:
                    continue
                val = sp.cancel(slack.subs(sol))
                sg = self._sign(val)
                if sg == -1:
                    feasible = False
                    break
                if sg is None:
                    conds.append(val >= 0)
            if feasible:
                vertex = {"a": {x: sol[a[x]] for x in xs}, "s": sol[s], "conds": conds,
                          "active": tuple(k for k in range(len(live))
                                          if self._sign((e[k] - s).subs(sol)) == 0)}
                if not any(self._same(vertex, v) for v in out):
                    out.append(vertex)
        return out

    def _same(self, v, w) -> bool:
        return all(self._sign(v["a"][x] - w["a"][x]) == 0 for x in v["a"])

    def _best_vertices(self, vertices, notes) -> list[dict]:
        """Vertices that can be optimal, each with the condition under which it is.

        The LP optimum is the feasible vertex of largest ``s``: vertex ``v`` wins where it
        is feasible and every other vertex ``w`` is infeasible or has ``s_w <= s_v``.
        """
        candidates = []
        for v in vertices:
            beaten, conds = False, list(v["conds"])
            for w in vertices:
                if w is v:
                    continue
                sg = self._sign(v["s"] - w["s"])
                if sg in (0, 1):
                    continue
                w_feasible = sp.And(*w["conds"])
                if sg == -1:
                    if w_feasible == sp.true:
                        beaten = True
                        break
                    conds.append(sp.Not(w_feasible))
                else:
                    conds.append(sp.Or(sp.Not(w_feasible), v["s"] >= w["s"]))
                    tie = boundary(v["s"] - w["s"], self.assumptions)
                    msg = f"tie at {tie}: the optimal allocation changes there (expect log corrections)"
                    if tie is not None and msg not in notes:
                        notes.append(msg)
            cond = sp.And(*conds)
            if not beaten and cond != sp.false:
                candidates.append({**v, "cond": cond})
        if len(candidates) > 1 and all(v["cond"] == sp.true for v in candidates):
            notes.append("degenerate optimum: several allocations reach the same loss exponent; "
                         "the first vertex is reported")
            return candidates[:1]
        return candidates

    def _prefactors(self, vertex, live, xs, cpow, const, notes):
        grow = [x for x in xs if self._sign(vertex["a"][x]) == 1]
        active = [live[k] for k in vertex["active"]]
        if len(active) != len(grow) or len(grow) != len(xs):
            notes.append("prefactors not given: the optimum is not a square balance of terms "
                         f"({len(active)} balancing terms, {len(grow)} growing resources)")
            return None, None
        M = sp.Matrix([[t.powers.get(x, 0) for x in grow] for t in active])
        if M.det() == 0:
            notes.append("prefactors not given: the balancing terms are degenerate")
            return None, None
        c = sp.Matrix([cpow[x] for x in grow])
        tau = list(M.T.solve(c))
        if any(self._sign(tk) != 1 for tk in tau):
            notes.append("prefactors not given: balance weights are not positive")
            return None, None
        # in log space, so that no power of a power is ever formed (exact, and fast for
        # rational points with large numerators): lambda = lambda0 C^(-1/total)
        total = sp.Add(*tau)
        log_a = [sp.log(t.coefficient) - sp.log(tk) for t, tk in zip(active, tau)]
        log_lam0 = sp.Add(*[tk / total * la for tk, la in zip(tau, log_a)]) + sp.log(const) / total
        Minv = M.inv()
        prefs = {x: _power_product(sp.Add(*[Minv[j, k] * (log_a[k] - log_lam0) for k in range(len(active))]))
                 for j, x in enumerate(grow)}
        return prefs, _power_product(log_lam0 + sp.log(total))

def _power_product(log_expr: sp.Expr) -> sp.Expr:
    """``exp(log_expr)`` written as a product of powers ``prod b^e`` (all quantities positive)."""
    powers, rest = {}, sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(sp.expand_log(log_expr, force=True))):
        logs = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.log)]
        if len(logs) == 1:
            base = logs[0].args[0]
            powers[base] = powers.get(base, 0) + term / logs[0]
        else:
            rest += term
    factors, cheap = [], True
    for base, e in powers.items():
        e = sp.factor(sp.cancel(e))
        cheap &= _cheap_power(base, e)
        factors.append(sp.Pow(base, e) if _cheap_power(base, e) else _unevaluated_power(base, e))
    if rest != 0:
        factors.append(sp.exp(rest))
    return sp.Mul(*factors, evaluate=cheap)


def _unevaluated_power(base: sp.Expr, e: sp.Expr) -> sp.Expr:
    """``base**e`` left unevaluated; a negative power as ``1/(base**-e)``, so that a printer never forms
    ``base**-e`` itself: LaTeX's fraction of ``86769**(-86769/90865)`` evaluated ``86769**(86769/90865)``,
    an integer of 40,000 digits under a root (20 s, then Python's 4300-digit error).

    >>> print(_unevaluated_power(sp.Integer(86769), sp.Rational(-86769, 90865)))
    1/(86769**(86769/90865))
    """
    if e.is_negative:
        return sp.Pow(sp.Pow(base, -e, evaluate=False), -1, evaluate=False)
    return sp.Pow(base, e, evaluate=False)


def _cheap_power(base: sp.Expr, exp: sp.Expr) -> bool:
    """Whether SymPy may evaluate ``base**exp`` quickly.

    ``Integer**Rational`` is evaluated through exact integer powers and perfect-power
    tests, which take minutes for exponents such as 4866048/1489075 (they occur at
    rational parameter points with large denominators). Such powers stay unevaluated:
    still exact, and evaluated numerically by ``N``.
    """
    if not (base.is_Rational and exp.is_Rational):
        return True
    return max(abs(exp.p), exp.q) <= 1000 and max(abs(base.p), base.q) < 10**12


__all__ = ["Term", "ScalingLaw", "ComputeOptimal", "Bottleneck"]
