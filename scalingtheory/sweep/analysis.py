r"""Measured exponents of a sweep beside the toolkit's closed forms (``exponents.json``).

For each grid point and varied resource :math:`X` with values :math:`X_1<\dots<X_n` (those in
``fit_range``) and losses :math:`L_{sj}` of seed :math:`s` at :math:`X_j`, the measured decay rate
is minus the least-squares slope of :math:`\log\bar L_j` against :math:`\log X_j`, with
:math:`\bar L_j` the mean over seeds. Its interval is the 95% percentile bootstrap over seeds
(seeds resampled with replacement, :data:`N_BOOT` resamples, generator seeded with
:data:`BOOT_SEED`): a seed is one draw at every size, so resampling seeds keeps the
correlation between sizes. The closed form is ``exponents.X`` of the model at the grid point
(plus the route's model options such as ``training``): :meth:`Model.exponents` on the model's
regime and law, the step of :meth:`Model.analyze` that gives them (without the prefactors,
which cost seconds per point for sparse parity), never retyped here. Verdict: ``agree`` when the closed form
lies within the interval widened by the spec's ``tolerance`` on both sides, ``disagree``
otherwise, ``undecided`` when a loss is not positive (no logarithm) or the model has no
closed form for that resource.

>>> import numpy as np
>>> x = np.array([10., 20., 40., 80.])
>>> L = x ** -1.5 * np.exp(0.02 * np.random.default_rng(0).standard_normal((8, 4)))
>>> m = measure(x, L)
>>> round(m["value"], 2), m["lo"] < m["value"] < m["hi"], m["range"]
(1.5, True, [10.0, 80.0])
"""

from __future__ import annotations

import math

import numpy as np

from .spec import Spec, point_label, point_value

N_BOOT, BOOT_SEED, LEVEL = 2000, 0, 0.95
METHOD = (f"minus the least-squares slope of log(mean loss over seeds) against log(resource) over 'range'; "
          f"interval: {LEVEL:.0%} percentile bootstrap over seeds ({N_BOOT} resamples, seed {BOOT_SEED})")
VERDICT_RULE = "agree when theory lies in [lo - tolerance, hi + tolerance], disagree otherwise"


def _slopes(logx: np.ndarray, logL: np.ndarray) -> np.ndarray:
    """Least-squares slopes of the columns of ``logL`` (sizes x k) against ``logx``."""
    xc = logx - logx.mean()
    return xc @ (logL - logL.mean(axis=0)) / (xc @ xc)


def measure(sizes, losses) -> dict:
    """Decay rate of ``losses`` (seeds x sizes, all > 0) in ``sizes`` with its bootstrap interval."""
    x = np.asarray(sizes, dtype=float)
    L = np.asarray(losses, dtype=float)
    logx = np.log(x)
    value = -float(_slopes(logx, np.log(L.mean(axis=0))[:, None])[0])
    rng = np.random.default_rng(BOOT_SEED)
    idx = rng.integers(0, L.shape[0], size=(N_BOOT, L.shape[0]))
    boot = -_slopes(logx, np.log(L[idx].mean(axis=1)).T)
    lo, hi = np.quantile(boot, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return {"value": value, "lo": float(lo), "hi": float(hi), "range": [float(x[0]), float(x[-1])]}


def _loss_matrix(rows: dict, point: str, resource: str, sizes, seeds) -> np.ndarray:
    return np.array([[rows.get((point, resource, float(x), s), math.nan) for x in sizes] for s in seeds])


def _theory(spec: Spec, point: dict) -> dict:
    """``{resource: (float, exact text)}`` from the model's own analysis at ``point``."""
    from ..models import get_model

    model = get_model(spec.model)
    p = model.validate(**point, **spec.numeric_route.theory_params(spec.fixed))
    regime = model.regime(p)
    exponents = model.exponents(p, regime, model.law(p, regime))   # what analyze() reports, without prefactors
    out = {}
    for res in spec.vary:
        q = exponents.get(res)
        if q is not None and q.expr.is_number:
            out[res] = (float(q.expr), str(q.expr))
    return out


def _verdict(measured: dict, theory: dict, tol: float) -> str:
    if any(m is not None and r in theory and not m["lo"] - tol <= theory[r][0] <= m["hi"] + tol
           for r, m in measured.items()):
        return "disagree"
    return "agree" if all(m is not None and r in theory for r, m in measured.items()) else "undecided"


def analyze_point(spec: Spec, point: dict, rows: dict) -> dict:
    """The ``exponents.json`` entry of one grid point."""
    label = point_label(point)
    theory = _theory(spec, point)
    measured = {}
    for res, values in spec.vary.items():
        lo, hi = spec.fit_range.get(res, (values[0], values[-1]))
        sizes = [x for x in values if lo <= x <= hi]
        L = _loss_matrix(rows, label, res, sizes, spec.seeds)
        measured[res] = measure(sizes, L) if np.all(np.isfinite(L)) and np.all(L > 0) else None
    entry = {k: point_value(v) for k, v in point.items()}
    entry.update({"point": label, "measured": measured,
                  "theory": {r: v[0] for r, v in theory.items()},
                  "theory_exact": {r: v[1] for r, v in theory.items()},
                  "difference": {r: measured[r]["value"] - theory[r][0] for r in theory if measured.get(r)},
                  "verdict": _verdict(measured, theory, spec.tolerance)})
    return entry


def analyze(spec: Spec, table) -> dict:
    """The content of ``exponents.json`` for the finished rows in ``table`` (a pyarrow Table)."""
    from .store import row_keys

    rows = dict(zip(row_keys(table), table.column("loss").to_pylist()))
    rows = {k: (math.nan if v is None else v) for k, v in rows.items()}
    return {"model": spec.model, "route": spec.route, "method": METHOD, "tolerance": spec.tolerance,
            "verdict_rule": VERDICT_RULE, "spec": spec.canonical(),
            "points": [analyze_point(spec, p, rows) for p in spec.points()]}
