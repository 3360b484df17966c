r"""Measured exponents of a sweep beside the toolkit's closed forms (``exponents.json``).

For each grid point and varied resource :math:`X` with values :math:`X_1<\dots<X_n` (those in
``fit_range``) and losses :math:`L_{sj}` of seed :math:`s` at :math:`X_j`, the measured decay rate
is minus the least-squares slope of :math:`\log\bar L_j` against :math:`\log X_j`, with
:math:`\bar L_j` the mean over seeds. A seed is one draw at every size, so the seeds are the
independent replicates. **Interval** (a random route, :math:`S\ge 2` seeds): the delete-one
jackknife over seeds with Student's :math:`t_{S-1}` quantile, :math:`r\pm t_{S-1,0.975}\,
\widehat{se}_J`. On synthetic truths (5 sizes, losses :math:`x^{-r}(1+\sigma\epsilon)` with
:math:`\epsilon` correlated across sizes, 1000 sweeps each) it covers 0.93--0.96 for 2, 3, 5 and
12 seeds, where the percentile bootstrap over seeds used before covered 0.50--0.52 (2 seeds),
0.74--0.77 (3), 0.82--0.85 (5) and 0.90--0.91 (12) (``tests/test_sweep_intervals.py``). A random
route needs at least :data:`MIN_SEEDS` seeds (the spec is refused below); a deterministic route
(one seed) has no sampling error and its interval is the point.

The closed form is ``exponents.X`` of the model at the grid point (plus the route's model
options such as ``training``): :meth:`Model.exponents` on the model's regime and law, the step
of :meth:`Model.analyze` that gives them (without the prefactors, which cost seconds per point
for sparse parity), never retyped here. It is a point, widened to ``[r - tolerance, r +
tolerance]`` only where the spec states a systematic (pre-asymptotic) error with its reason
(``tolerance``, ``tolerance_reason``); the figure draws that band. Verdict per resource: the
toolkit's one rule (:mod:`scalingtheory.verdict`); ``undecided`` when a loss is not positive
(no logarithm) or the model has no closed form for that resource. A point's verdict is its
resources' worst (disagree, no power law, inconclusive, undecided, agree).

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

from ..verdict import AGREE, DISAGREE, INCONCLUSIVE, NO_POWER_LAW, RULE, compare
from .routes import point_value
from .spec import MIN_SEEDS, Spec, point_label

LEVEL = 0.95
METHOD = (f"minus the least-squares slope of log(mean loss over seeds) against log(resource) over 'range'; "
          f"interval: delete-one jackknife over seeds with Student's t ({LEVEL:.0%}; random routes, >= {MIN_SEEDS} "
          f"seeds), the point itself for a deterministic route")
UNDECIDED = "undecided"
#: a point's verdict is the first of these that one of its resources has
SEVERITY = (DISAGREE, NO_POWER_LAW, INCONCLUSIVE, UNDECIDED, AGREE)
VERDICT_RULE = (f"{RULE}; the closed form is a point, widened by the spec's tolerance only where a systematic "
                f"error is stated (tolerance_reason)")


def _slopes(logx: np.ndarray, logL: np.ndarray) -> np.ndarray:
    """Least-squares slopes of the columns of ``logL`` (sizes x k) against ``logx``."""
    xc = logx - logx.mean()
    return xc @ (logL - logL.mean(axis=0)) / (xc @ xc)


def measure(sizes, losses) -> dict:
    """Decay rate of ``losses`` (seeds x sizes, all > 0) in ``sizes`` with its jackknife-t interval
    (the point itself for one seed: a deterministic route)."""
    from scipy.stats import t as student

    x = np.asarray(sizes, dtype=float)
    L = np.asarray(losses, dtype=float)
    logx = np.log(x)
    value = -float(_slopes(logx, np.log(L.mean(axis=0))[:, None])[0])
    S = L.shape[0]
    if S < 2:
        lo = hi = value
    else:
        loo = (L.sum(axis=0) - L) / (S - 1)                       # row s: mean over the other seeds
        jack = -_slopes(logx, np.log(loo).T)
        se = math.sqrt((S - 1) / S * float(((jack - jack.mean()) ** 2).sum()))
        half = float(student.ppf((1 + LEVEL) / 2, S - 1)) * se
        lo, hi = value - half, value + half
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


def _verdict(m: dict | None, theory: tuple | None, tol: float) -> dict:
    """``{"verdict", "reason"}`` of one resource (module docstring)."""
    if m is None:
        return {"verdict": UNDECIDED, "reason": "a loss is not positive: no logarithm, no exponent"}
    if theory is None:
        return {"verdict": UNDECIDED, "reason": "the model has no closed form for this resource here"}
    word, reason = compare(m["value"], (m["lo"], m["hi"]), theory[0], (theory[0] - tol, theory[0] + tol))
    if word == DISAGREE and m["lo"] == m["hi"] and not tol:         # a deterministic route: no sampling error
        reason += ("; a deterministic route's error is systematic (pre-asymptotic sizes): the spec may state it as "
                   "tolerance with tolerance_reason")
    return {"verdict": word, "reason": reason}


def analyze_point(spec: Spec, point: dict, rows: dict) -> dict:
    """The ``exponents.json`` entry of one grid point."""
    label = point_label(point)
    theory = _theory(spec, point)
    measured = {}
    for res, values in spec.vary.items():
        lo, hi = spec.fit_range.get(res, (values[0], values[-1]))
        sizes = [x for x in values if lo <= x <= hi]
        L = _loss_matrix(rows, label, res, sizes, spec.seeds)
        m = measure(sizes, L) if np.all(np.isfinite(L)) and np.all(L > 0) else None
        measured[res] = m if m is None or all(math.isfinite(m[k]) for k in ("value", "lo", "hi")) else None
    verdicts = {r: _verdict(m, theory.get(r), spec.tolerance) for r, m in measured.items()}
    entry = {k: point_value(v) for k, v in point.items()}
    entry.update({"point": label, "measured": measured,
                  "theory": {r: v[0] for r, v in theory.items()},
                  "theory_exact": {r: v[1] for r, v in theory.items()},
                  "difference": {r: measured[r]["value"] - theory[r][0] for r in theory if measured.get(r)},
                  "verdicts": verdicts,
                  "verdict": next((w for w in SEVERITY if any(v["verdict"] == w for v in verdicts.values())),
                                 UNDECIDED)})
    return entry


def analyze(spec: Spec, table) -> dict:
    """The content of ``exponents.json`` for the finished rows in ``table`` (a pyarrow Table)."""
    from .store import row_keys

    rows = dict(zip(row_keys(table), table.column("loss").to_pylist()))
    rows = {k: (math.nan if v is None else v) for k, v in rows.items()}
    return {"model": spec.model, "route": spec.route, "method": METHOD, "tolerance": spec.tolerance,
            "tolerance_reason": spec.tolerance_reason, "verdict_rule": VERDICT_RULE, "spec": spec.canonical(),
            "points": [analyze_point(spec, p, rows) for p in spec.points()]}
