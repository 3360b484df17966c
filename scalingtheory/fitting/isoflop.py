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
(default here, five or more runs per level) removes that offset at 2.5x the spread; the
fitted law's own profile (``shape="law"``, what ``fit_law(..., cost=...)`` uses) removes it
at the parabola's spread (``derivations/isoflop.py``: 50 seeded sweeps). A level whose lowest
loss, or whose fitted minimum, sits at or past its smallest or largest run does not bracket
its minimum and is named in the notes; :func:`disagreement` words the warning when
Approaches 2 and 3 differ beyond their intervals.

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

from .approach import ApproachResult, power_law_slope

#: runs whose costs differ by less than this factor share a compute level
LEVEL_TOLERANCE = 1.05
MIN_LEVEL_RUNS = 3
#: exponents closer than this never disagree (noise-free sweeps have intervals of width ~0)
EXPONENT_RESOLUTION = 1e-3


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


def law_vertices(model, theta, X: tuple, loss) -> tuple | None:
    r"""The fitted law's own profile in one level: ``log X*`` of every resource, or ``None`` at an end.

    The law's nonlinear parameters stay at the Approach 3 estimate ``theta``; its linear
    coefficients are refitted to the level's runs (non-negative least squares on the loss).
    The runs' path is the broken line through their :math:`\log X` (sorted by the first
    resource, exact along :math:`6ND = C`); the minimum along it is found on a 401-point grid,
    then by a bounded scalar search between the grid's neighbours.
    """
    from scipy.optimize import minimize_scalar, nnls

    phi = theta[model.nonlinear_index]
    G, h = model.design(phi, X)
    coef = nnls(G, np.asarray(loss, float) - h)[0]
    full = model.assemble(coef, phi)
    logs = np.log(np.column_stack(X))
    logs = logs[np.argsort(logs[:, 0])]
    path = lambda t: tuple(np.exp(np.interp(t, logs[:, 0], logs[:, j])) for j in range(logs.shape[1]))
    t = np.linspace(logs[0, 0], logs[-1, 0], 401)
    i = int(np.nanargmin(model.predict(full, path(t))))
    if i in (0, t.size - 1):
        return None
    best = minimize_scalar(lambda s: float(model.predict(full, path(np.array([s])))[0]), bounds=(t[i - 1], t[i + 1]),
                           method="bounded", options={"xatol": 1e-9}).x
    return tuple(float(np.interp(best, logs[:, 0], logs[:, j])) for j in range(logs.shape[1]))


#: profile shapes: name -> (vertex function, fewest distinct runs per level it needs); "law" is the fitted law's
#: own profile (:func:`law_vertices`, needs ``law=(model, theta)``) and needs as many runs as the law has linear
#: coefficients plus one
SHAPES = {"parabola": (parabola_vertex, 3), "cubic": (cubic_vertex, 5), "law": (law_vertices, 3)}
DEFAULT_SHAPE = "cubic"


def _level_fits(Xg: dict, yg, shape, law) -> dict:
    """``{resource: (log X* or None, shape used, bracketed)}`` in one level: the shape's minimum (a parabola where
    the level has too few runs for the shape) and whether the lowest loss sits at an interior run."""
    i = int(np.argmin(yg))
    bracketed = {k: bool(v.min() < v[i] < v.max()) for k, v in Xg.items()}
    enough = min(np.unique(v).size for v in Xg.values()) >= max(SHAPES[shape][1], len(law[0].linear) + 1 if law else 0)
    on_a_path = np.unique(next(iter(Xg.values()))).size == len(yg)   # the law's path needs distinct first values
    used = shape if enough and (shape != "law" or on_a_path) else "parabola"
    if used == "law":
        verts = law_vertices(*law, tuple(Xg.values()), yg) or (None,) * len(Xg)
        return {k: (u, used, bracketed[k]) for k, u in zip(Xg, verts)}
    return {k: (SHAPES[used][0](np.log(v), yg), used, bracketed[k]) for k, v in Xg.items()}


def isoflop(X: dict, y, C, level: float = 0.95, seed: int = 0, shape: str = DEFAULT_SHAPE,
            law=None) -> ApproachResult | None:
    """Approach 2 exponents for every resource, or ``None`` with fewer than 3 usable levels.

    ``shape`` (``"cubic"``, ``"parabola"`` or ``"law"`` with ``law=(model, theta)`` and ``X`` in
    the order of ``model.resources``) is the profile fitted per level; a level with too few
    distinct runs for it falls back to the parabola. A level whose lowest loss sits at its
    smallest or largest run, or whose fitted minimum is not inside its runs, does not bracket its
    minimum and is named in the notes (kept when the fitted minimum is inside, skipped when not).
    """
    if shape not in SHAPES or (shape == "law") != (law is not None):
        raise ValueError(f"shape must be one of {', '.join(SHAPES)} (law= exactly with 'law'), got {shape!r}")
    labels = compute_levels(C)
    lc, minima, skipped, unbracketed, fallback = [], {k: [] for k in X}, [], [], 0
    for lab in np.unique(labels):
        g = labels == lab
        if min(np.unique(v[g]).size for v in X.values()) < MIN_LEVEL_RUNS:
            continue
        c = float(np.exp(np.mean(np.log(C[g]))))
        fits = _level_fits({k: v[g] for k, v in X.items()}, y[g], shape, law)
        fallback += any(f[1] != shape for f in fits.values())
        if not all(f[2] and f[0] is not None for f in fits.values()):
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
    title = "Approach 2: IsoFLOP profiles of the fitted law" if shape == "law" else f"Approach 2: IsoFLOP {shape}s"
    return ApproachResult("isoflop", title, alloc, f"{len(lc)} compute levels", "OLS t-interval over levels",
                          _notes(skipped, unbracketed, fallback, shape))


def disagreement(iso: dict, law: dict) -> list:
    r"""Notes for each resource whose IsoFLOP exponent and law exponent differ beyond their intervals.

    Both are :class:`~scalingtheory.fitting.optimum.Estimate`; they disagree when
    :math:`|a_2 - a_3| > \sqrt{h_2^2 + h_3^2}`, :math:`h` each interval's half-width on the side
    facing the other (0 where an interval is missing), and by more than
    :data:`EXPONENT_RESOLUTION`: the difference's interval, combined as
    for independent estimates, excludes 0. Both come from the same runs and are positively
    correlated, so this is conservative: it warns only on a clear disagreement.

    >>> from scalingtheory.fitting.optimum import Estimate
    >>> disagreement({"N": Estimate(0.45, 0.44, 0.46)}, {"N": Estimate(0.50, 0.48, 0.52)})
    ["IsoFLOP allocation exponent of N 0.45 [0.44, 0.46] disagrees with the law's 0.5 [0.48, 0.52] beyond their intervals"]
    >>> disagreement({"N": Estimate(0.45, 0.43, 0.47)}, {"N": Estimate(0.47, 0.45, 0.49)})
    []
    """
    notes = []
    for k in iso.keys() & law.keys():
        i, f = iso[k], law[k]
        if not (np.isfinite(i.value) and np.isfinite(f.value)):
            continue
        up = i.value < f.value
        hi = (i.hi if up else i.lo)
        hf = (f.lo if up else f.hi)
        h = math.hypot(0.0 if hi is None else hi - i.value, 0.0 if hf is None else hf - f.value)
        if abs(f.value - i.value) > max(h, EXPONENT_RESOLUTION):
            notes.append(f"IsoFLOP allocation exponent of {k} {i.value:.3g} [{_bound(i.lo)}, {_bound(i.hi)}] disagrees "
                         f"with the law's {f.value:.3g} [{_bound(f.lo)}, {_bound(f.hi)}] beyond their intervals")
    return sorted(notes)


def _bound(x) -> str:
    return "-" if x is None else f"{x:.3g}"


def _budgets(cs) -> str:
    return ", ".join(f"{c:.3g}" for c in cs)


def _notes(skipped, unbracketed, fallback, shape) -> list:
    notes = []
    if unbracketed:
        notes.append(f"IsoFLOP profile(s) at C = {_budgets(unbracketed)} do not bracket their minimum: the lowest "
                     "loss, or the fitted profile's minimum, is at or past the smallest or largest run of the budget "
                     "(extend the sweep past it)")
    if skipped:
        notes.append(f"{len(skipped)} compute level(s) skipped (C = {_budgets(skipped)}): the {shape}'s minimum is "
                     "outside the sampled range or the profile is not convex")
    if fallback:
        notes.append(f"{fallback} compute level(s) with too few runs for the {shape} (fewer than "
                     f"{SHAPES[shape][1]} for a cubic; repeated values for the law's path) profiled by a parabola")
    return notes


__all__ = ["isoflop", "compute_levels", "parabola_vertex", "cubic_vertex", "law_vertices", "disagreement", "SHAPES",
           "DEFAULT_SHAPE"]
