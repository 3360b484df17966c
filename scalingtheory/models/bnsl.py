r"""Broken neural scaling laws (BNSL), Caballero, Gupta, Rish & Krueger, ICLR 2023.

The n-break form (paper Eq. 1), for a metric ``y`` (lower is better) against a resource ``x > 0``:

.. math:: y = a + b\,x^{-c_0}\prod_{i=1}^{n}\Bigl(1+\bigl(x/d_i\bigr)^{1/f_i}\Bigr)^{-c_i f_i},

:math:`a \ge 0` the limit, :math:`b > 0` the offset, :math:`c_0` minus the first log-log slope
of :math:`y-a`, :math:`c_i` the slope changes, :math:`d_i > 0` the break locations and
:math:`f_i > 0` their sharpness (smaller is sharper).

Exact results derived here with SymPy (see ``derivations/bnsl.py``):

* log-log slope (:func:`log_slope`, proved equal to :func:`sigmoid_slope`)
  :math:`s(x) = \frac{d\log(y-a)}{d\log x} = -c_0-\sum_i c_i\,\sigma\bigl((\ln x-\ln d_i)/f_i\bigr)`;
* segment ``k`` (between breaks ``k`` and ``k+1``) has decay rate
  :math:`r_k = c_0+\dots+c_k` (:func:`segment_exponents`) and asymptote
  :math:`b\prod_{i\le k} d_i^{c_i}\,x^{-r_k}` (:func:`segment_asymptotes`);
  small-x rate :math:`c_0`, large-x rate :math:`\sum_i c_i` (the ``exponents`` of the model);
* :math:`f_i\to 0^+`: :math:`(1+(x/d)^{1/f})^{-cf}\to\max(1,x/d)^{-c}`, the hard broken power
  law (:func:`hard_limit`);
* on linear axes :math:`y'' = (y-a)\,x^{-2}\,(s^2-s+s')` with :math:`s'=ds/d\ln x`
  (:func:`curvature_factor`): ``y`` is concave -- a sharp, delayed drop -- exactly where
  :math:`s^2-s+s'<0` (:func:`inflections`), and ``y`` rises where :math:`s>0`
  (:func:`nonmonotone_intervals`, double descent).

>>> m = BNSLModel(breaks=1)
>>> r = m.analyze(a=0, b=1, c0="1/2", c1="1/4", d1=100, f1=1)
>>> r.exponents["x"].expr, r.exponents["x_small"].expr
(3/4, 1/2)
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from ..laws import ScalingLaw, Term
from ..params import Parameter
from ..results import Answer, ModelResult, Quantity, Regime
from ..symbols import bnsl_a, bnsl_b, x  # the limit a, the scale b and the resource x of Eq. 1
from .base import Model
from .engine import Budget
from .queries import query

#: Figure 1 of the paper (script ``make_figure_1...py``): a 3-break BNSL with double descent
FIGURE1_PARAMS = {"a": "1e-3", "b": "4.66e3", "c0": "0.05", "c1": "0.49", "c2": "-0.811", "c3": "2.1",
                  "d1": "3e6", "d2": "1e14", "d3": "2e20", "f1": "1.1", "f2": "1.425", "f3": "0.05"}
#: reference values of the Figure-1 curve printed by the released script (digest bnsl.md §1.4)
FIGURE1_VALUES = {"1": 4659.99775, "1e6": 1972.32338, "1e14": 0.427646, "1e17": 1.257315, "2e20": 9.082662,
                  "1e22": 8.6268e-3, "1e26": 1.0000004e-3}
#: 4-digit addition (minGPT test cross-entropy vs training-set size), released BNSL script; fit on the first 14
ADDITION_X = (160, 192, 256, 320, 384, 448, 480, 512, 544, 576, 608, 640, 672, 736, 800, 864, 928)
ADDITION_Y = (2.13809046, 2.11813418, 2.08955508, 2.06988398, 2.05404987, 2.03837089, 2.02814281, 2.00496872,
              1.95576149, 1.86313841, 1.70891537, 1.50637664, 1.29754721, 0.96559684, 0.75856477, 0.64768338,
              0.55695445)
ADDITION_SPLIT = 14
#: extrapolation RMSLE of the released script on 4-digit addition, and on its noiseless simulation (split 405)
ADDITION_REFERENCE_RMSLE = 0.010915726327851661
NOISELESS_REFERENCE_RMSLE = 0.005183248377084134
#: ground truth of the noiseless simulation (the released script's curve_fit of 4-digit addition)
NOISELESS_PARAMS = {"a": 0.41388453071629455, "b": 2.2772722897737556, "c0": 0.055077348404973955,
                    "c1": 5.662903816010331, "d1": 612.5836172918001, "f1": 0.059193036393742314}


@lru_cache(maxsize=None)
def bnsl_symbols(n: int):
    """Symbols ``(a, b, (c0..cn), (d1..dn), (f1..fn))`` with assumptions (c real, d, f, b positive)."""
    if int(n) != n or n < 0:
        raise ValueError(f"breaks must be an integer >= 0, got {n!r}")
    a, b = bnsl_a, bnsl_b
    c = sp.symbols(f"c0:{n + 1}", real=True)
    d = sp.symbols(f"d1:{n + 1}", positive=True) if n else ()
    f = sp.symbols(f"f1:{n + 1}", positive=True) if n else ()
    return a, b, tuple(c), tuple(d), tuple(f)


def bnsl_expr(n: int) -> sp.Expr:
    """Eq. 1 of Caballero et al. (2023) with ``n`` breaks, in the symbols of :func:`bnsl_symbols`.

    >>> bnsl_expr(1)
    a + b/(x**c0*((x/d1)**(1/f1) + 1)**(c1*f1))
    """
    a, b, c, d, f = bnsl_symbols(n)
    return a + b * x ** (-c[0]) * sp.Mul(*[(1 + (x / d[i]) ** (1 / f[i])) ** (-c[i + 1] * f[i]) for i in range(n)])


def log_slope(n: int) -> sp.Expr:
    r"""Exact :math:`d\log(y-a)/d\log x = x\,(y-a)'/(y-a)`, derived by SymPy from Eq. 1.

    >>> log_slope(1)
    -c0 - c1*x**(1/f1)/(d1**(1/f1) + x**(1/f1))
    """
    a = bnsl_symbols(n)[0]
    g = bnsl_expr(n) - a
    # the log of the product is a sum, so the slope is a sum of per-break terms
    return sp.Add(*[sp.simplify(x * sp.diff(sp.log(t), x)) for t in sp.Mul.make_args(sp.expand_log(g, force=True))
                    if t.has(x)])


def sigmoid(t):
    """Logistic function :math:`1/(1+e^{-t})` (symbolic)."""
    return 1 / (1 + sp.exp(-t))


def sigmoid_slope(n: int) -> sp.Expr:
    r"""The claimed form :math:`-c_0-\sum_i c_i\,\sigma((\ln x-\ln d_i)/f_i)` (digest §1.3)."""
    _, _, c, d, f = bnsl_symbols(n)
    return -c[0] - sp.Add(*[c[i + 1] * sigmoid((sp.log(x) - sp.log(d[i])) / f[i]) for i in range(n)])


def slope_identity(n: int) -> bool:
    """Prove ``log_slope(n) == sigmoid_slope(n)`` break by break.

    Per break ``i`` substitute :math:`x = d_i e^{f_i t}` (a bijection of x > 0 onto real t);
    both terms then reduce to :math:`-c_i e^t/(1+e^t)`, which SymPy verifies exactly.
    """
    _, _, c, d, f = bnsl_symbols(n)
    t = sp.Dummy("t", real=True)  # not the time t of the registry
    derived = sp.Add.make_args(log_slope(n) + c[0])
    for i in range(n):
        mine = [term for term in derived if term.has(d[i])]
        claim = -c[i + 1] * sigmoid((sp.log(x) - sp.log(d[i])) / f[i])
        if len(mine) != 1 or sp.simplify((mine[0] - claim).subs(x, d[i] * sp.exp(f[i] * t))) != 0:
            return False
    return n > 0 or sp.simplify(log_slope(0) + c[0]) == 0


def segment_exponents(c) -> list:
    """Decay rates :math:`r_k = c_0+\\dots+c_k` of :math:`y-a` on the segments ``k = 0..n`` (exact)."""
    return [sp.Add(*c[: k + 1]) for k in range(len(c))]


def segment_asymptotes(n: int) -> list[sp.Expr]:
    r"""Asymptote of :math:`y-a` on segment ``k``: :math:`b\prod_{i\le k} d_i^{c_i} x^{-(c_0+\dots+c_k)}`.

    Equal to the Figure-1 script's :math:`b\,d_1^{-c_0}(x/d_1)^{-(c_0+c_1)}\cdots`; valid when the
    breaks are well separated compared with their widths :math:`f_i` (decades).
    """
    _, b, c, d, _ = bnsl_symbols(n)
    rates = segment_exponents(c)
    return [b * sp.Mul(*[d[i] ** c[i + 1] for i in range(k)]) * x ** (-rates[k]) for k in range(n + 1)]


def hard_limit(n: int) -> sp.Expr:
    r"""The :math:`f_i \to 0^+` limit: :math:`a + b x^{-c_0}\prod_i \max(1, x/d_i)^{-c_i}`."""
    a, b, c, d, _ = bnsl_symbols(n)
    return a + b * x ** (-c[0]) * sp.Mul(*[sp.Max(1, x / d[i]) ** (-c[i + 1]) for i in range(n)])


def hard_limit_factor_check() -> tuple:
    r"""SymPy limits behind :func:`hard_limit`, per break with :math:`L = \ln(x/d)`, :math:`g = 1/f`.

    :math:`\log(1+(x/d)^{1/f})^{-cf} = -c\,\log(1+e^{gL})/g`; returns the limits of
    :math:`\log(1+e^{gL})/g` as :math:`g\to\infty` for ``L > 0``, ``L < 0``, ``L = 0``:
    ``(L, 0, 0)``, i.e. :math:`\max(0, L)`.
    """
    g, L = sp.Symbol("g", positive=True), sp.Symbol("L", positive=True)
    return L, tuple(sp.limit(sp.log(1 + sp.exp(s * g * L)) / g, g, sp.oo) for s in (1, -1, 0))


def curvature_factor(n: int) -> sp.Expr:
    r""":math:`x^2 y''/(y-a)`, derived by SymPy; equals :math:`s^2 - s + ds/d\ln x` (tested)."""
    a = bnsl_symbols(n)[0]
    y = bnsl_expr(n)
    return sp.simplify(x**2 * sp.diff(y, x, 2) / (y - a))


# -- numerics from the same expressions ----------------------------------------------------------


def parameter_values(params: dict, n: int | None = None) -> dict:
    """``{Symbol: float}`` for the parameters of a BNSL with ``n`` breaks (default: from the ``d_i`` keys)."""
    n = n_breaks(params) if n is None else n
    a, b, c, d, f = bnsl_symbols(n)
    out = {}
    for sym in (a, b, *c, *d, *f):
        if sym.name not in params:
            raise ValueError(f"BNSL with {n} break(s) needs parameter {sym.name}")
        out[sym] = float(sp.sympify(params[sym.name]))
    return out


def n_breaks(params: dict) -> int:
    """Number of breaks implied by the keys ``d1, d2, ...`` of ``params``."""
    n = 0
    while f"d{n + 1}" in params:
        n += 1
    return n


@lru_cache(maxsize=None)
def _slope_functions(n: int):
    """NumPy functions of ``(ln x, params...)`` for s and s' = ds/dln x, lambdified from :func:`sigmoid_slope`."""
    a, b, c, d, f = bnsl_symbols(n)
    lx = sp.Symbol("lx", real=True)
    s = sigmoid_slope(n).subs(sp.log(x), lx)
    args = (lx, *c, *d, *f)
    # exp clipped at +-300: sigma and sigma' are then exact to double precision without overflow
    safe = [{"exp": lambda z: np.exp(np.clip(z, -300.0, 300.0))}, "numpy"]
    return sp.lambdify(args, s, safe), sp.lambdify(args, sp.diff(s, lx), safe)


def _slope_args(params):
    n = n_breaks(params)
    vals = parameter_values(params, n)
    _, _, c, d, f = bnsl_symbols(n)
    return n, [vals[s] for s in (*c, *d, *f)]


def slope(params: dict, xs):
    """Numeric log-log slope :math:`s(x)` of :math:`y-a` (lambdified from the sigmoid form)."""
    n, args = _slope_args(params)
    return np.broadcast_to(_slope_functions(n)[0](np.log(np.asarray(xs, float)), *args), np.shape(xs))


def _scan_sign(fun, params, x_range, negative: bool):
    """Intervals of ``x`` where ``fun(ln x) < 0`` (or > 0), roots refined by brentq."""
    from scipy.optimize import brentq

    n, args = _slope_args(params)
    ds = [float(sp.sympify(params[f"d{i}"])) for i in range(1, n + 1)]
    lo, hi = x_range if x_range else (min(ds + [1.0]) * 1e-4, max(ds + [1.0]) * 1e4)
    grid = np.linspace(math.log(lo), math.log(hi), 4001)
    vals = fun(grid, *args) * (-1 if not negative else 1)
    inside = vals < 0
    out, start = [], (grid[0] if inside[0] else None)
    for k in np.nonzero(np.diff(inside.astype(int)))[0]:
        root = brentq(lambda t: fun(t, *args) * (-1 if not negative else 1), grid[k], grid[k + 1], xtol=1e-12)
        if inside[k + 1]:
            start = root
        else:
            out.append((math.exp(start), math.exp(root)))
            start = None
    if start is not None:
        out.append((math.exp(start), math.exp(grid[-1])))
    return out


def nonmonotone_intervals(params: dict, x_range=None) -> list[tuple[float, float]]:
    """Intervals where ``y`` increases (slope s > 0): double descent / ascent phases.

    Scanned on 4001 log-spaced points over ``x_range`` (default: four decades beyond the
    outermost breaks) with roots refined by brentq; an interval touching the range ends
    is clipped there.
    """
    return _scan_sign(_slope_functions(n_breaks(params))[0], params, x_range, negative=False)


def inflections(params: dict, x_range=None) -> list[tuple[float, float]]:
    """Intervals where ``y`` falls and is concave on linear axes: sharp, delayed drops.

    Condition :math:`s < 0` and :math:`s^2-s+s' < 0` (:func:`curvature_factor`). A pure
    power law is convex everywhere (:math:`r^2+r>0`), so such an interval is a feature no
    power law produces; its ends are inflection points of ``y``.
    """
    s_fun, ds_fun = _slope_functions(n_breaks(params))

    def factor(t, *args):
        s = s_fun(t, *args)
        return np.maximum(s, s * s - s + ds_fun(t, *args))

    return _scan_sign(factor, params, x_range, negative=True)


def evaluate(params: dict, xs, dps: int | None = None):
    """``y(x)`` at ``xs``: log-space NumPy evaluation, or mpmath with ``dps`` digits (from Eq. 1 itself)."""
    n = n_breaks(params)
    if dps is None:
        from ..fitting.forms import BNSL

        form = BNSL(n)
        return form.predict(form.theta_from_params({k: float(sp.sympify(v)) for k, v in params.items()}), xs)
    import mpmath

    with mpmath.workdps(dps):
        vals = {s: sp.Float(sp.sympify(params[s.name]), dps) for s in parameter_values(params, n)}
        expr = bnsl_expr(n).subs(vals)
        fn = sp.lambdify(x, expr, "mpmath")
        return [fn(mpmath.mpf(str(v))) for v in np.atleast_1d(xs)]


def latex_law(params: dict, digits: int = 4) -> str:
    r"""LaTeX of Eq. 1 in the paper's layout with (fitted) numbers to ``digits`` significant digits.

    >>> print(latex_law({"a": 0.1, "b": 2, "c0": 0.5, "c1": 1, "d1": 100, "f1": 0.25}))
    y = 0.1 + 2\,x^{-0.5}\left(1 + \left(\frac{x}{100}\right)^{1/0.25}\right)^{-1 \cdot 0.25}
    """
    from ..fitting.forms import BNSL

    form = BNSL(n_breaks(params))
    return form.latex(form.theta_from_params({k: float(sp.sympify(v)) for k, v in params.items()}), digits)


# -- the Model interface --------------------------------------------------------------------------


#: numeric slopes |c_k| up to 100: the exact prefactor prod d_k^c_k then stays below ~3,000 digits per break
SLOPE_LIMIT = 100


class BNSLModel(Model):
    """BNSL as a :class:`~scalingtheory.models.base.Model`: parameters of Eq. 1 for a fixed number of breaks.

    ``exponents``: ``x`` is the large-x decay rate :math:`\\sum_{k=0}^n c_k` of :math:`y - a`,
    ``x_small`` the small-x rate :math:`c_0`; ``prefactors["x"]`` the large-x amplitude
    :math:`b\\prod_i d_i^{c_i}`. Regimes: ``saturating`` (all segment rates > 0),
    ``non-monotone`` (some intermediate rate < 0, final > 0: double descent),
    ``plateau`` (final rate 0) and ``diverging`` (final < 0); ``general`` when symbolic.
    Defaults: the released script's fit of 4-digit addition (rounded), a sharp delayed drop.
    """

    title = "Broken neural scaling law (Caballero et al., ICLR 2023, Eq. 1)"
    figure_sizes = Budget(quick={"n_boot": 50, "forms": ("m1", "m4"), "breaks": 1},
                          full={"n_boot": 300, "forms": ("m1", "m2", "m3", "m4"), "breaks": "auto"},
                          source="300 bootstrap refits put the 95 % band's Monte-Carlo error below 1 %; the benchmark "
                                 "curve's default fit (break count selected among 0-3: 3 on IC's first curve) costs "
                                 "2.3 s CPU, a 1-break fit 0.1 s")
    #: the Revisiting-NSL curves of the report's table: the first curve of each of ``domains``, or every ``every``-th
    table_sizes = Budget(quick={"domains": ("IC", "NMT", "LM", "BB"), "every": None}, full={"domains": None, "every": 6},
                         source="a curve costs 0.4-1.6 s CPU (5 forms, each with its calibrated and backtest bands); "
                                "quick: the first curve of each domain, 3.8 s (two IC curves and one of each other "
                                "domain were 4.9 s)")
    cost = None
    resources = ("x",)

    def __init__(self, breaks: int = 1):
        self.n = int(breaks)
        a, b, c, d, f = bnsl_symbols(self.n)
        defaults = {"a": "0.4139", "b": "2.277", "c0": "0.05508", "c1": "5.663", "d1": "612.6", "f1": "0.05919"}
        params = [Parameter("a", sp.Interval(0, sp.oo), defaults.get("a"), "limit y(oo) (unimprovable loss)", a),
                  Parameter("b", sp.Interval.open(0, sp.oo), defaults.get("b"), "offset of the first segment", b)]
        params += [Parameter(s.name, sp.Interval(-sp.oo, sp.oo), defaults.get(s.name, "0"),
                             "first log-log decay rate" if k == 0 else f"slope change at break {k}", s,
                             supported=sp.Interval(-SLOPE_LIMIT, SLOPE_LIMIT))
                   for k, s in enumerate(c)]
        params += [Parameter(s.name, sp.Interval.open(0, sp.oo), defaults.get(s.name, str(10 ** (3 * k + 3))),
                             f"location of break {k + 1}", s) for k, s in enumerate(d)]
        params += [Parameter(s.name, sp.Interval.open(0, sp.oo), defaults.get(s.name, "1"),
                             f"width of break {k + 1} (natural-log units of x)", s) for k, s in enumerate(f)]
        self.parameters = tuple(params)

    def _rates(self, p):
        _, _, c, _, _ = bnsl_symbols(self.n)
        return [r.subs({s: p[s.name] for s in c}) for r in segment_exponents(c)]

    def regime(self, p: dict) -> Regime:
        rates = self._rates(p)
        if any(r.free_symbols for r in rates):
            return Regime("general", {}, "symbolic slopes: monotonicity not decided")
        final = rates[-1]
        if final < 0:
            return Regime("diverging", {}, "final segment rises: y -> oo as x -> oo")
        if final == 0:
            return Regime("plateau", {}, "final rate 0: y -> a + const as x -> oo")
        if any(r < 0 for r in rates):
            return Regime("non-monotone", {}, "an intermediate segment rises (double descent)")
        return Regime("saturating", {}, "every segment decays; y -> a")

    def law(self, p: dict, regime: Regime) -> ScalingLaw:
        """Large-x law :math:`a + b\\prod_i d_i^{c_i}\\,x^{-\\sum c}` (last segment asymptote)."""
        if regime.name in ("diverging", "plateau"):
            raise ValueError(f"BNSL in regime {regime.name}: y - a does not decay, no scaling law at large x")
        rate = self._rates(p)[-1]
        return ScalingLaw([Term(self.prefactors(p, regime)["x"].expr, {x: rate})], p["a"])

    def exponents(self, p, regime, law=None) -> dict:
        rates = self._rates(p)
        return {"x": Quantity("exponents.x", rates[-1], "large-x decay rate of y - a (sum of c_k)", (), regime.name),
                "x_small": Quantity("exponents.x_small", rates[0], "small-x decay rate of y - a (c0)", (),
                                    regime.name)}

    def prefactors(self, p, regime) -> dict:
        a, b, c, d, f = bnsl_symbols(self.n)
        amp = (b * sp.Mul(*[d[i] ** c[i + 1] for i in range(self.n)])).subs({s: p[s.name] for s in (b, *c, *d)})
        return {"x": Quantity("prefactors.x", amp, "A in y - a ~ A x^-r at large x", (), regime.name)}

    def notes(self, p, regime) -> list[str]:
        notes = list(regime.notes)
        notes.append("segment decay rates of y - a: " + ", ".join(sp.sstr(r) for r in self._rates(p)))
        if self.n and not any(v.free_symbols for v in p.values()):
            conc = inflections(p)
            if conc:
                notes.append("concave on linear axes (sharp delayed drop) on "
                             + ", ".join(f"[{lo:.4g}, {hi:.4g}]" for lo, hi in conc))
        return notes

    def analyze(self, **params) -> ModelResult:
        """As :meth:`Model.analyze`, also for non-decaying regimes (no scaling law is built there)."""
        p = self.validate(**params)
        regime = self.regime(p)
        shown = {k: v for k, v in p.items() if not isinstance(v, sp.Symbol)}
        return ModelResult(self.name, shown, regime, self.exponents(p, regime), None,
                           self.prefactors(p, regime), self.notes(p, regime))

    # -- numerics -------------------------------------------------------------------------------
    def loss(self, xs, **params):
        """``y(x)`` (log-space NumPy evaluation of Eq. 1)."""
        p = self.validate(**params)
        return evaluate({k: v for k, v in p.items()}, xs)

    def fit(self, xs, ys, **kw):
        """Fit this model's number of breaks to data (:func:`scalingtheory.fitting.curve.fit`)."""
        from ..fitting.curve import fit

        return fit(xs, ys, form="bnsl", breaks=kw.pop("breaks", self.n), **kw)

    def tables(self, quick: bool = True) -> list:
        """BNSL vs M1-M4 on a subset of the Revisiting-NSL benchmark (packaged data), as rows.

        The subset is :attr:`table_sizes`: quick, the first curve of each domain; otherwise every 6th
        curve (16). The full table comes from ``benchmarks/bnsl_revisiting.py``.
        """
        from ..datasets import ATTRIBUTION, revisiting
        from ..fitting.revisiting import run_benchmark, summarize, table

        size, curves = self.table_sizes.sizes(quick), revisiting()
        if size["every"]:
            curves = curves[::size["every"]]
        else:
            curves = [next(c for c in curves if c.domain == d) for d in size["domains"]]
        rows = summarize(run_benchmark(curves, breaks=1, workers=1 if quick else 2, progress=False, bands=("bnsl",)))
        header, body = table(rows)
        keep = [i for i, h in enumerate(header) if not h.endswith("s/curve")]   # timings: the benchmark's, not the report's
        subset = (f"the first curve of {', '.join(size['domains'])}; the default report scores every "
                  f"{self.table_sizes.full['every']}th curve" if quick else "")
        caption = (f"Extrapolation on the Revisiting-NSL benchmark ({len(curves)}-curve subset{subset and ': ' + subset}, "
                   f"BNSL 1 break); full run with timings: python benchmarks/bnsl_revisiting.py. Data: {ATTRIBUTION}.")
        return [(caption, tuple(header[i] for i in keep), [tuple(r[i] for i in keep) for r in body])]

    def agreement(self, quick: bool = True) -> list:
        """Figure-1 values against the released script's printout, and its extrapolation RMSLE against ours
        (the reference is the 'theory' column: BNSL is an empirical form)."""
        from ..fitting.curve import fit, rmsle
        import time

        from .engine import AgreementRow, exact_params

        rows, start = [], time.process_time()
        for xv, ref in FIGURE1_VALUES.items():
            val = float(evaluate(FIGURE1_PARAMS, [float(xv)])[0])
            digits = len(f"{ref:.10g}".split("e")[0].replace(".", "").replace("-", "").lstrip("0"))
            rounding = 0.5 * 10 ** (1 - digits)
            rows.append(AgreementRow(f"Figure-1 y({xv})", ref, val, rounding,
                                     f"the script printed {digits} digits: rounding <= {rounding:.0e} relative",
                                     "Eq. 1 in log space vs the released script's printout", route="reference",
                                     params=exact_params(FIGURE1_PARAMS), seconds=time.process_time() - start))
            start = time.process_time()
        xa, ya = np.array(ADDITION_X, float), np.array(ADDITION_Y)
        res = fit(xa[:ADDITION_SPLIT], ya[:ADDITION_SPLIT], breaks=1, space="log1p", interval=None)
        ours = rmsle(res.predict(xa[ADDITION_SPLIT:]), ya[ADDITION_SPLIT:])
        rows.append(AgreementRow("4-digit addition extrapolation RMSLE", ADDITION_REFERENCE_RMSLE, ours, 1e-4,
                                 "the same least-squares problem: optimiser tolerances only",
                                 "reference: released script; ours: log1p least squares, 1 break", route="reference",
                                 params={"breaks": 1, "split": ADDITION_SPLIT}, seconds=time.process_time() - start))
        return rows + _predictability_rows()


#: The cut of the noiseless 4-digit-addition simulation (the released script fits x <= 405, its break is at 612.6).
NOISELESS_CUT = 405


@lru_cache(maxsize=None)
def noiseless_fit(break_margin: float | None = None):
    """The 1-break BNSL fitted (no interval) to the noiseless 4-digit-addition simulation at x = 1, ..., NOISELESS_CUT
    (:data:`NOISELESS_PARAMS`), with ``break_margin`` if given; cached, so that the check and the predictability
    figure show the same fit (0.4 s CPU with ``break_margin=1``)."""
    from ..fitting.curve import fit
    from ..fitting.forms import BNSL

    form, xs = BNSL(1), np.arange(1.0, NOISELESS_CUT + 1.0)
    ys = form.predict(form.theta_from_params(NOISELESS_PARAMS), xs)
    return fit(xs, ys, breaks=1, interval=None, **({} if break_margin is None else {"break_margin": break_margin}))


def _predictability_rows() -> list:
    """Issue 24 item 5: the noiseless simulation's break located beyond the data with ``break_margin=1``, and the
    horizon's noise slope (f decades per decade of noise far from the data, ``fitting/horizon.py``) solved
    numerically against the closed form."""
    import time

    from ..fitting.curve import fit
    from .engine import AgreementRow, exact_params

    start = time.process_time()
    located = noiseless_fit(1.0).params["d1"]
    rows = [AgreementRow(f"noiseless 4-digit addition fitted to x <= {NOISELESS_CUT}: break d1 located beyond the data",
                         NOISELESS_PARAMS["d1"], located, 1e-6, "noiseless data: the optimiser's tolerance",
                         "truth: the released script's ground truth; ours: fit --break-margin 1, 1 break",
                         route="fit", resource="D", params={"breaks": 1, "cut": NOISELESS_CUT, "break_margin": 1},
                         seconds=time.process_time() - start)]
    start, sharpness, noises = time.process_time(), 0.1, (1e-6, 1e-10)
    xp = np.logspace(1, 3, 40)
    base = fit(xp, 0.1 + 3 * xp**-0.4, breaks=0, interval=None)
    far = [np.log10(base.horizon(noise=n, sharpness=sharpness).break_horizon) for n in noises]
    slope = (far[1] - far[0]) / np.log10(noises[0] / noises[1])
    rows.append(AgreementRow("limit of predictability: decades of break horizon gained per decade less noise",
                             sharpness, slope, 0.01, "far-field closed form (softplus ~ exp) vs grid + bisection",
                             "theory: log10 x_h = f log10(c f sqrt(K)/(z sigma)) + const; ours: FitResult.horizon",
                             route="solver", resource=None,
                             params=exact_params({"sharpness": "0.1", "slope_change": 1, "noise": "1e-6 to 1e-10"}),
                             seconds=time.process_time() - start))
    return rows


MODEL = BNSLModel(breaks=1)

__all__ = ["BNSLModel", "MODEL", "FIGURE1_PARAMS", "FIGURE1_VALUES", "x", "bnsl_symbols", "bnsl_expr", "log_slope", "sigmoid_slope", "slope_identity",
           "segment_exponents", "segment_asymptotes", "hard_limit", "hard_limit_factor_check", "curvature_factor",
           "slope", "parameter_values", "nonmonotone_intervals", "inflections", "evaluate", "latex_law", "n_breaks"]


# -- questions for `scalingtheory query` (issue 15): answered from Eq. 1 and its exact slope ---------
_RESOURCE = x  # the query argument ``x`` is a value; this is the symbol
UNITS = {"x": "units of the resource x (those of the data the parameters describe)", "y": "units of the metric y",
         "slope": "d log(y - a) / d log x (dimensionless)"}


@query("where the log-log slope of y - a changes: each break location d_i with the slopes before, at and after it, "
       "and the ranges where y is concave (a sharp, delayed drop)")
def _breaks(self, **params):
    p = self.validate(**params)
    a, b, c, d, f = bnsl_symbols(self.n)
    values = {s: p[s.name] for s in (a, b, *c, *d, *f)}
    rates = self._rates(p)
    out = []
    for i in range(self.n):
        at = log_slope(self.n).subs(x, d[i]).subs(values)
        out += [Quantity(f"d{i + 1}", values[d[i]], f"location of break {i + 1}", (), None, (), UNITS["x"]),
                Quantity(f"slope_before_{i + 1}", -rates[i], "asymptotic log-log slope of y - a before the break",
                         (), None, (), UNITS["slope"]),
                Quantity(f"slope_at_{i + 1}", sp.simplify(at), "log-log slope of y - a at the break (exact)",
                         (), None, (), UNITS["slope"]),
                Quantity(f"slope_after_{i + 1}", -rates[i + 1], "asymptotic log-log slope of y - a after the break",
                         (), None, (), UNITS["slope"])]
    notes = ()
    if not any(v.free_symbols for v in values.values()):
        notes = tuple(f"y is concave (sharp, delayed drop) for x in [{lo:.6g}, {hi:.6g}]" for lo, hi in inflections(p))
        notes += tuple(f"y rises (slope > 0) for x in [{lo:.6g}, {hi:.6g}]" for lo, hi in nonmonotone_intervals(p))
    return Answer("breaks", out, f"breaks of the {self.n}-break BNSL", notes)


@query("the curve's value y(x) at x for the given parameters (Eq. 1, exact)",
       x="where to evaluate, in units of the resource x (> 0)")
def _predict(self, x, **params):
    from .queries import resource_value

    p = self.validate(**params)
    xv = resource_value(x, "x")
    from ..parsing import exact_or_numeric

    a, b, c, d, f = bnsl_symbols(self.n)
    values = {s: p[s.name] for s in (a, b, *c, *d, *f)} | {_RESOURCE: xv}
    expr, notes = exact_or_numeric(bnsl_expr(self.n), values)   # (x/d1)**(1/f1) at f1 = 1e-29: 2**(10**29)
    return Quantity("y", expr, f"BNSL (Eq. 1) at x = {sp.sstr(xv)}", (), None, notes, UNITS["y"])


BNSLModel.breaks, BNSLModel.predict = _breaks, _predict
BNSLModel.queries = ("breaks", "predict")
_BNSL_EXAMPLE = ["--a", "0.4", "--b", "2.3", "--c0", "0.05", "--c1", "5.7", "--d1", "612", "--f1", "0.06"]
BNSLModel.query_examples = {"breaks": _BNSL_EXAMPLE, "predict": ["--x", "800", *_BNSL_EXAMPLE]}
