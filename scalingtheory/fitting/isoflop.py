r"""Approach 2 (Hoffmann et al. 2022, Sec. 3.2): minima of IsoFLOP profiles, then power laws in C.

Runs are grouped into compute levels (costs within 5% of each other). In a level with
at least three distinct values of a resource :math:`X`, the loss is fitted by a parabola
in :math:`u = \log X`; its vertex :math:`u^* = -c_1/(2c_2)` (:math:`c_2 > 0`, inside the
sampled range) is the IsoFLOP minimum. The allocation exponent is the OLS slope of
:math:`\log X^*` on :math:`\log C` over the levels (at least three), with a Student-t
interval. The parabola is only an approximation of the profile; Czech et al. (2026)
show it biases the exponents when the two loss exponents differ, which is why this
estimator is reported *beside* Approach 3, not instead of it.

>>> import numpy as np
>>> rows = [(c, n) for c in (1e18, 1e19, 1e20, 1e21) for n in np.sqrt(c / 120) * np.logspace(-1, 1, 9)]
>>> C, N = map(np.array, zip(*rows))
>>> D = C / (6 * N)
>>> L = 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28
>>> res = isoflop({"N": N, "D": D}, L, C)
>>> round(res.allocation["N"].value, 2), round(0.28 / 0.62, 2)   # close, not exact: a parabola
(0.45, 0.45)
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


def isoflop(X: dict, y, C, level: float = 0.95, seed: int = 0) -> ApproachResult | None:
    """Approach 2 exponents for every resource, or ``None`` with fewer than 3 usable levels."""
    labels = compute_levels(C)
    lc, minima, skipped = [], {k: [] for k in X}, 0
    for lab in np.unique(labels):
        g = labels == lab
        if min(np.unique(v[g]).size for v in X.values()) < MIN_LEVEL_RUNS:
            continue
        verts = {k: parabola_vertex(np.log(v[g]), y[g]) for k, v in X.items()}
        if any(u is None for u in verts.values()):
            skipped += 1
            continue
        lc.append(float(np.mean(np.log(C[g]))))
        for k, u in verts.items():
            minima[k].append(u)
    if len(lc) < 3:
        return None
    alloc = {k: power_law_slope(lc, u, level) for k, u in minima.items()}
    notes = [f"{skipped} compute level(s) skipped: profile minimum outside the sampled range or not convex"] \
        if skipped else []
    return ApproachResult("isoflop", "Approach 2: IsoFLOP parabolas", alloc, f"{len(lc)} compute levels",
                          "OLS t-interval over levels", notes)


__all__ = ["isoflop", "compute_levels", "parabola_vertex"]
