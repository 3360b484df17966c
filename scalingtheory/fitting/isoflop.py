r"""Approach 2 (Hoffmann et al. 2022, Sec. 3.2): minima of IsoFLOP profiles, then power laws in C.

Runs are grouped into compute levels (costs within 5% of each other). In a level with
enough distinct values of a resource :math:`X`, the loss is fitted by a shape in
:math:`u = \log X` and its minimum :math:`u^*` (inside the sampled range) is the IsoFLOP
minimum. The allocation exponent is the OLS slope of :math:`\log X^*` on :math:`\log C`
over the levels (at least three), with a Student-t interval.

Shapes. Along :math:`6ND = C` Hoffmann et al.'s law is
:math:`E + A e^{-a u} + B (C/6)^{-b} e^{b u}`, skewed when :math:`a \ne b`; a parabola's
vertex then misses the minimum (Czech et al. 2026): by +0.036 in :math:`\ln N^*` on a grid
of +-1 decade centred on it (:data:`~scalingtheory.fitting.synthetic.HOFFMANN`). A cubic
(default, five or more runs per level) removes that offset; its extra coefficient costs
variance (``derivations/isoflop.py`` measures both). A level whose lowest loss sits at its
smallest or largest run does not bracket its minimum and is named in the notes.

>>> import numpy as np
>>> rows = [(c, n) for c in (1e18, 1e19, 1e20, 1e21) for n in np.sqrt(c / 120) * np.logspace(-1, 1, 9)]
>>> C, N = map(np.array, zip(*rows))
>>> D = C / (6 * N)
>>> L = 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28
>>> res = isoflop({"N": N, "D": D}, L, C)
>>> round(res.allocation["N"].value, 3), round(0.28 / 0.62, 3)   # grid drifts from the optimum: close, not exact
(0.453, 0.452)
"""

from __future__ import annotations

import math

import numpy as np

from .approaches import ApproachResult, power_law_slope

#: runs whose costs differ by less than this factor share a compute level
LEVEL_TOLERANCE = 1.05
MIN_LEVEL_RUNS = 3


def compute_levels(C) -> np.ndarray:
    """Integer level labels: sorted log-costs split where consecutive ones differ by > 5%."""
    lc = np.log(np.asarray(C, float))
    order = np.argsort(lc)
    labels = np.empty(lc.size, int)
    labels[order] = np.concatenate([[0], np.cumsum(np.diff(lc[order]) > math.log(LEVEL_TOLERANCE))])
    return labels


def parabola_vertex(u, loss) -> float | None:
    """Vertex of the least-squares parabola of ``loss`` in ``u``; ``None`` unless convex and inside the range."""
    c2, c1, _ = np.polyfit(u, loss, 2)
    if not c2 > 0:
        return None
    v = -c1 / (2 * c2)
    return float(v) if u.min() <= v <= u.max() else None


def cubic_vertex(u, loss) -> float | None:
    r"""Local minimum of the least-squares cubic of ``loss`` in ``u``; ``None`` unless it lies inside the range.

    The cubic :math:`p(z) = c_3 z^3 + c_2 z^2 + c_1 z + c_0` is fitted in the standardised
    :math:`z = (u - \bar u)/s_u`; its minimum is the root of :math:`p'(z) = 0` with
    :math:`p''(z) > 0` (a cubic has at most one). Its third coefficient absorbs the skew of
    the profile that moves a parabola's vertex.

    >>> u = np.linspace(-2, 2, 9)                      # Hoffmann's profile shape, exact minimum at u = 0
    >>> loss = np.exp(-0.34 * u) + 0.34 / 0.28 * np.exp(0.28 * u)
    >>> f"{cubic_vertex(u, loss):.4f} {parabola_vertex(u, loss):.4f}"
    '-0.0005 0.0295'
    """
    m, s = float(np.mean(u)), float(np.std(u))
    p = np.polyfit((u - m) / s, loss, 3)
    roots = np.roots(np.polyder(p))
    z = [r.real for r in roots if abs(r.imag) <= 1e-12 * (1 + abs(r.real)) and np.polyval(np.polyder(p, 2), r.real) > 0]
    v = m + s * z[0] if z else None
    return float(v) if v is not None and u.min() <= v <= u.max() else None


#: profile shapes: name -> (vertex function, fewest distinct runs per level it needs)
SHAPES = {"parabola": (parabola_vertex, 3), "cubic": (cubic_vertex, 5)}
DEFAULT_SHAPE = "cubic"


def _level_vertex(u, loss, shape):
    """``(vertex or None, shape used, bracketed)``: the shape's minimum, a parabola where the level has too few
    runs for the shape, and whether the lowest loss sits at an interior run."""
    fn, need = SHAPES[shape]
    used = shape if np.unique(u).size >= need else "parabola"
    i = int(np.argmin(loss))
    bracketed = bool(u.min() < u[i] < u.max())
    return SHAPES[used][0](u, loss), used, bracketed


def isoflop(X: dict, y, C, level: float = 0.95, seed: int = 0, shape: str = DEFAULT_SHAPE) -> ApproachResult | None:
    """Approach 2 exponents for every resource, or ``None`` with fewer than 3 usable levels.

    ``shape`` (``"cubic"`` or ``"parabola"``) is the profile fitted per level; a level with
    fewer than five distinct runs falls back to the parabola. A level whose lowest loss sits at
    its smallest or largest run does not bracket its minimum: it is kept (the fitted shape may
    still place the minimum inside) and named in the notes.
    """
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    labels = compute_levels(C)
    lc, minima, skipped, unbracketed, fallback = [], {k: [] for k in X}, [], [], 0
    for lab in np.unique(labels):
        g = labels == lab
        if min(np.unique(v[g]).size for v in X.values()) < MIN_LEVEL_RUNS:
            continue
        c = float(np.exp(np.mean(np.log(C[g]))))
        fits = {k: _level_vertex(np.log(v[g]), y[g], shape) for k, v in X.items()}
        fallback += any(f[1] != shape for f in fits.values())
        if not all(f[2] for f in fits.values()):
            unbracketed.append(c)
        if any(f[0] is None for f in fits.values()):
            skipped.append(c)
            continue
        lc.append(math.log(c))
        for k, f in fits.items():
            minima[k].append(f[0])
    if len(lc) < 3:
        return None
    alloc = {k: power_law_slope(lc, u, level) for k, u in minima.items()}
    return ApproachResult("isoflop", f"Approach 2: IsoFLOP {shape}s", alloc, f"{len(lc)} compute levels",
                          "OLS t-interval over levels", _notes(skipped, unbracketed, fallback, shape))


def _budgets(cs) -> str:
    return ", ".join(f"{c:.3g}" for c in cs)


def _notes(skipped, unbracketed, fallback, shape) -> list:
    notes = []
    if unbracketed:
        notes.append(f"IsoFLOP profile(s) at C = {_budgets(unbracketed)} do not bracket their minimum: the lowest "
                     "loss is at the smallest or largest run of the budget (extend the sweep past it)")
    if skipped:
        notes.append(f"{len(skipped)} compute level(s) skipped (C = {_budgets(skipped)}): the {shape}'s minimum is "
                     "outside the sampled range or the profile is not convex")
    if fallback:
        notes.append(f"{fallback} compute level(s) with fewer than {SHAPES[shape][1]} runs profiled by a parabola")
    return notes


__all__ = ["isoflop", "compute_levels", "parabola_vertex", "cubic_vertex", "SHAPES", "DEFAULT_SHAPE"]
