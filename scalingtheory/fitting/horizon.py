r"""The limit of predictability of a BNSL fit: how far beyond the data the next break could be located.

Caballero et al. (2023, Sec. 6, "limit of the predictability") note that a break which has not begun
inside the fitting range cannot be extrapolated: BNSL predicts a break only from the curvature the data
already show before it. :func:`horizon` makes that a number for a fitted curve (issue 24 item 5).

**Method (first order in the break's effect).** Let :math:`\hat\theta` be the fit of an :math:`n`-break
BNSL (Eq. 1) to points :math:`x_1 < \dots < x_m = x_{max}` with residual scale :math:`\sigma` (log
units). A further break at :math:`d > x_{max}` with slope change :math:`c` and sharpness :math:`f`
multiplies :math:`y - a` by :math:`(1 + (x/d)^{1/f})^{-cf}`, i.e. changes :math:`\log y` by

.. math:: \delta_d(x) = \log\bigl(a + (\hat y - a)\,e^{-cf\,\mathrm{sp}((\ln x - \ln d)/f)}\bigr) - \log\hat y(x),

sp the softplus. Data from the curve *with* that break, refitted by the :math:`n`-break form, absorb
the part of :math:`\delta_d` in the span of its Jacobian :math:`J` (free parameters): to first order
the refit moves :math:`\hat\theta` by :math:`\Delta\theta = J^{+}\delta_d` and leaves
:math:`r_d = (I - JJ^{+})\,\delta_d` on the data. The data detect the break when
:math:`\|r_d\| \ge z\sigma`, :math:`z = \Phi^{-1}((1+\text{level})/2)` (1.96 at 0.95: the
non-centrality at which a level test of this alternative rejects half the time).

* **Break horizon** :math:`x_h(c, f) = \sup\{d \ge x_{max} : \|r_d\| \ge z\sigma\}`: a break of that
  size beyond :math:`x_h` leaves the data unchanged within their noise, so it cannot be located.
  :math:`x_h = x_{max}` when even a break at the last point is hidden.
* **Identified until** :math:`x_{id}`: the smallest :math:`x > x_{max}` at which a hidden break of
  slope change :math:`\pm c` (at the nearest location where it hides, :math:`d = x_h`) moves the
  refit's extrapolation by :math:`|\delta_d(x) - J(x)\Delta\theta| \ge z\sigma`. Beyond :math:`x_{id}`
  the prediction depends, by more than the noise, on a break the data cannot see: the extrapolation is
  not identified there. (Smaller slope changes hide closer to the data but move the prediction less;
  in the linear regime their :math:`x_{id}` no longer depends on :math:`\sigma`, so :math:`c` sets
  the size of break that matters.)

**Closed form far from the data.** For :math:`d \gg x_{max}`, :math:`\mathrm{sp}(t) \approx e^t`, so
:math:`\delta_d(x_j) \approx -cf\,w_j\,(x_j/d)^{1/f}` with :math:`w = (\hat y - a)/\hat y`, and without
the projection :math:`\|\delta_d\| = cf\,(x_{max}/d)^{1/f}\sqrt{K}`,
:math:`K = \sum_j w_j^2 (x_j/x_{max})^{2/f}`. Setting it to :math:`z\sigma`:

.. math:: \log_{10}\frac{x_h}{x_{max}} \approx f\,\log_{10}\frac{c f\sqrt{K}}{z\sigma}

(:func:`horizon_closed_form`; an upper bound, the projection only removes signal): linear in the
sharpness, logarithmic in the noise -- ten times the noise moves the horizon by :math:`f` decades,
and a sharp break (:math:`f \to 0`) can hide right behind the data. The default sharpness is the
sharpest break the fitter resolves (:meth:`~scalingtheory.fitting.forms.BNSL.f_min`), the
conservative answer; the default slope change is 1 (a change of one in the log-log slope).
``derivations/bnsl.py`` section 9 checks both numbers against refits of noisy simulated curves.

>>> import numpy as np
>>> from scalingtheory.fitting.curve import fit
>>> xs = np.logspace(1, 3, 30)
>>> h = horizon(fit(xs, 0.1 + 3 * xs**-0.4, breaks=0, interval=None), noise=1e-3, sharpness=0.3)
>>> h.x_max < h.identified_until < h.break_horizon
True
"""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass, field

import numpy as np

#: Decades beyond the last point searched for the horizon (a break farther away than this is reported as
#: "beyond" the search); the grid has :data:`GRID` points per search, refined by bisection.
DECADES = 6.0
GRID = 241
#: Points of the x grid on which :attr:`Horizon.identified_until` is found (steps of 0.003 decades).
FINE = 2001
#: Smallest noise scale used (log units): the rounding of log y in double precision over many points.
NOISE_FLOOR = 1e-14
#: Sharpness values shown beside the headline one (natural-log units of x).
SHARPNESS_ROWS = (0.1, 0.3, 1.0)


@dataclass
class Horizon:
    """Limit of predictability of a fit (:func:`horizon`). Distances in units of x.

    ``break_horizon``: beyond it a break of slope change ``slope_change`` and sharpness ``sharpness`` cannot
    be located (``inf`` when it can be located at least ``DECADES`` decades beyond the data);
    ``identified_until``: beyond it the extrapolation depends on a break the data cannot see;
    ``closed_form``: the far-field estimate of ``break_horizon``; ``rows``: ``(sharpness, break_horizon,
    identified_until)`` for the headline sharpness and :data:`SHARPNESS_ROWS`.
    """

    x_max: float
    noise: float
    noise_source: str
    level: float
    slope_change: float
    sharpness: float
    break_horizon: float
    identified_until: float
    closed_form: float
    rows: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """Plain-text lines of the report."""
        out = [f"[[Horizon]] limit of predictability at {self.level:.0%} (noise {self.noise:.3g} in log units, "
               f"{self.noise_source}; a break changing the log-log slope by {self.slope_change:g}):"]
        for f, xh, xid in self.rows:
            out.append(f"    sharpness f = {f:.3g}: a break beyond x = {_x(xh)} cannot be located "
                       f"({_decades(xh, self.x_max)} beyond the last point {self.x_max:.6g}); extrapolation not "
                       f"identified beyond x = {_x(xid)}")
        return out

    def note(self, x) -> str | None:
        """A note when some of the points ``x`` lie beyond :attr:`identified_until` (``None`` otherwise)."""
        xs = np.atleast_1d(np.asarray(x, float))
        far = xs[xs > self.identified_until]
        if far.size == 0:
            return None
        return (f"x = {far.min():.6g}{' and beyond' if far.size > 1 else ''}: past x = {self.identified_until:.6g}, "
                f"where a break the data cannot locate (slope change {self.slope_change:g}, sharpness "
                f"{self.sharpness:.3g}) could move the prediction by more than the noise")

    def to_json(self) -> dict:
        def num(v):
            return float(v) if math.isfinite(v) else None

        return {"x_max": self.x_max, "noise": self.noise, "noise_source": self.noise_source, "level": self.level,
                "slope_change": self.slope_change, "sharpness": self.sharpness,
                "break_horizon": num(self.break_horizon), "identified_until": num(self.identified_until),
                "closed_form": num(self.closed_form),
                "rows": [{"sharpness": f, "break_horizon": num(h), "identified_until": num(i)} for f, h, i in self.rows]}

    def __repr__(self) -> str:
        return (f"Horizon(break beyond x = {_x(self.break_horizon)} not locatable, extrapolation identified until "
                f"x = {_x(self.identified_until)}; x_max = {self.x_max:.6g}, f = {self.sharpness:.3g}, "
                f"c = {self.slope_change:g}, noise {self.noise:.3g})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{f:.3g}</td><td>{html.escape(_x(h))}</td><td>{html.escape(_x(i))}</td></tr>"
                       for f, h, i in self.rows)
        return (f"<b>Limit of predictability</b> (last point {self.x_max:.6g}, noise {self.noise:.3g}, "
                f"slope change {self.slope_change:g}, level {self.level:.0%})<table><tr><th>sharpness f</th>"
                f"<th>break not locatable beyond</th><th>extrapolation identified until</th></tr>{rows}</table>")


def _x(v: float) -> str:
    return f"{v:.6g}" if math.isfinite(v) else f"(more than {DECADES:g} decades out)"


def _decades(v: float, x_max: float) -> str:
    return f"{math.log10(v / x_max):.3g} decades" if math.isfinite(v) else f"> {DECADES:g} decades"


class _Setting:
    """The fitted curve on its points: log prediction, floor weight, and the projection off the Jacobian."""

    def __init__(self, res, sigma):
        self.res, self.sigma = res, sigma
        x, w = res.x, res.weights
        self.sw = np.ones(x.size) if w is None else np.sqrt(w)
        self.lx, self.ly = np.log(x), res.form.log_predict(res.theta, x)
        self.a = float(res.theta[0])
        free = np.array([n not in res.pinned for n in res.form.param_names])
        J = res.form.jacobian(res.working_theta, x)[:, free]   # working units: a floor's column 1/y_hat is O(1)
        J = np.where(np.isfinite(J), J, 0.0) * self.sw[:, None]
        u, s, _ = np.linalg.svd(J, full_matrices=False)
        self.q = u[:, s > s.max() * 1e-12] if s.size and s.max() > 0 else np.zeros((x.size, 0))
        self.pinv = np.linalg.pinv(J, rcond=1e-12)
        self.free = free

    def delta(self, lx, ly, ln_d, c, f):
        """:math:`\\delta_d` at log points ``lx`` (log prediction ``ly``) for each ``ln_d`` (rows)."""
        from .form import softplus

        t = (lx[None, :] - np.atleast_1d(ln_d)[:, None]) / f
        excess = np.exp(ly) - self.a
        return np.log(self.a + excess * np.exp(-c * f * softplus(t))) - ly

    def detect(self, ln_d, c, f):
        """:math:`\\|r_d\\|/\\sigma` for each ``ln_d``."""
        dl = self.delta(self.lx, self.ly, ln_d, c, f) * self.sw
        r = dl - (dl @ self.q) @ self.q.T
        return np.sqrt(np.sum(r**2, axis=1)) / self.sigma

    def error(self, x, ln_d, c, f):
        """Extrapolation error :math:`|\\delta_d(x) - J(x)\\Delta\\theta|` of the refit, at the points ``x``."""
        res = self.res
        dtheta = self.pinv @ (self.delta(self.lx, self.ly, ln_d, c, f)[0] * self.sw)
        lx, ly = np.log(x), res.form.log_predict(res.theta, x)
        Jx = np.where(np.isfinite(g := res.form.jacobian(res.working_theta, x)[:, self.free]), g, 0.0)
        return np.abs(self.delta(lx, ly, ln_d, c, f)[0] - Jx @ dtheta)


def _break_horizon(st: _Setting, c: float, f: float, z: float) -> float:
    """:math:`x_h`: the largest break location whose detection statistic reaches ``z`` (grid, then bisection)."""
    top = st.lx.max()
    grid = top + np.linspace(0.0, DECADES * math.log(10), GRID)
    seen = st.detect(grid, c, f) >= z
    if not seen[0]:
        return float(st.res.x.max())
    if seen.all():
        return math.inf
    k = int(np.flatnonzero(~seen)[0])         # first hidden grid point; grid[k - 1] is seen
    lo, hi = grid[k - 1], grid[k]
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if st.detect(mid, c, f)[0] >= z else (lo, mid)
    return math.exp(lo)


def _row(st: _Setting, c: float, f: float, z: float) -> tuple:
    """``(f, x_h, x_id)``: the nearer break horizon of slope changes ``+c`` and ``-c``, and :math:`x_{id}`, the first
    x beyond the data where either break, at the nearest location where it hides (its :math:`x_h`), moves the
    refit's extrapolation by ``z`` noise scales."""
    xs = np.exp(st.lx.max() + np.linspace(0.0, DECADES * math.log(10), FINE))[1:]
    nearest, first = math.inf, math.inf
    for cc in (c, -c):
        xh = _break_horizon(st, cc, f, z)
        nearest = min(nearest, xh)
        over = np.flatnonzero(st.error(xs, math.log(xh), cc, f) >= z * st.sigma) if math.isfinite(xh) else []
        if len(over):
            first = min(first, float(xs[over[0]]))
    return float(f), nearest, first


def _real(v) -> bool:
    """A real number (NumPy scalars included), not a bool."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def horizon_closed_form(res, slope_change: float, sharpness: float, noise: float, z: float) -> float:
    r"""Far-field estimate :math:`x_{max}\,(cf\sqrt{K}/(z\sigma))^{f}` of the break horizon (module docstring);
    ``x_max`` itself when the break is hidden even there by this estimate."""
    x = res.x
    ly = res.form.log_predict(res.theta, x)
    wgt = 1.0 if res.weights is None else res.weights
    w = (np.exp(ly) - float(res.theta[0])) / np.exp(ly)
    K = float(np.sum(wgt * w**2 * (x / x.max()) ** (2.0 / sharpness)))
    with np.errstate(all="ignore"):      # z * noise = 0 (a level near 0): every break is seen, the horizon is inf
        ratio = np.divide(abs(slope_change) * sharpness * math.sqrt(K), z * noise)
        return float(x.max() * max(ratio, 1.0) ** sharpness)


def horizon(res, slope_change: float = 1.0, sharpness: float | None = None, level: float = 0.95,
            noise: float | None = None) -> Horizon:
    """The limit of predictability of the BNSL fit ``res`` (a :class:`~scalingtheory.fitting.curve_result.FitResult`).

    ``slope_change`` :math:`c > 0` (the size of break that matters; both signs are tried, the nearer horizon is
    reported),
    ``sharpness`` :math:`f` (default: the sharpest break the fit resolves, ``BNSL.f_min``), ``level`` of the
    detection, ``noise`` :math:`\\sigma` in log units (default: the fit's residual scale, which holds noise and
    misfit and so bounds the noise from above; at least :data:`NOISE_FLOOR`). ``ValueError`` for a form other
    than BNSL, a fit without residual degrees of freedom and no ``noise``, or values out of range.
    """
    from scipy.stats import norm

    from .bnsl_form import BNSL

    if not isinstance(res.form, BNSL):
        raise ValueError(f"the horizon is defined for BNSL fits (a further break of Eq. 1), not {res.form.name}")
    for name, v in (("slope_change", slope_change), ("level", level)):
        if not (_real(v) and math.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {v!r}")
    if not level < 1:
        raise ValueError(f"level must satisfy 0 < level < 1, got {level}")
    f_min = res.form.f_min(res.x)
    f = f_min if sharpness is None else sharpness
    if not (_real(f) and math.isfinite(f) and 0 < f <= res.form.f_range[1]):
        raise ValueError(f"sharpness must be in (0, {res.form.f_range[1]:g}], got {sharpness!r}")
    source = "given"
    if noise is None:
        noise, source = res.sigma, "the fit's residual scale (noise and misfit)"
    if not (_real(noise) and math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0 (log units), got {noise!r}; a fit without residual "
                         "degrees of freedom needs noise=")
    noise = max(float(noise), NOISE_FLOOR)
    z = float(norm.ppf(0.5 + level / 2))
    st = _Setting(res, noise)
    slope_change, f, level = float(slope_change), float(f), float(level)
    with np.errstate(all="ignore"):      # a huge slope change underflows exp(-c f sp) to 0 where the floor a is 0
        rows = [_row(st, slope_change, g, z) for g in sorted({f, *(g for g in SHARPNESS_ROWS if g >= f_min)})]
    head = next(r for r in rows if r[0] == float(f))
    return Horizon(float(res.x.max()), noise, source, level, float(slope_change), float(f), head[1], head[2],
                   horizon_closed_form(res, slope_change, f, noise, z), rows)


__all__ = ["horizon", "Horizon", "horizon_closed_form", "DECADES"]
