r"""``fit_law``: fit a multi-resource law such as ``E + A*N**-a + B*D**-b`` to a table of runs.

The fit is Chinchilla's Approach 3 (Hoffmann et al. 2022, Sec. 3.3) done by variable
projection (:mod:`~scalingtheory.fitting.varpro`): log-space residuals, Huber loss with
:math:`\delta = 10^{-3}` (Hoffmann; Besiroglu et al. 2024) or squared loss, the linear
parameters solved exactly inside a dense exponent grid, then local refinement.
Intervals come from a seeded bootstrap over runs (:mod:`~scalingtheory.fitting.bootstrap`)
and are carried to the compute-optimal allocation derived by the exact algebra of
:mod:`scalingtheory.laws` (:mod:`~scalingtheory.fitting.optimum`). With a cost, the
IsoFLOP (Approach 2) and envelope (Approach 1) estimators run beside it when the
data allow. When the rows are points of training curves (several rows per run), name
each row's run with ``group=``: the bootstrap then resamples whole runs, as rows of one
curve share noise (``derivations/multi_resource.py``, Sec. 6, measures the difference).
:meth:`FittedLaw.profile` gives profile-likelihood intervals of the exponents as a second
method (:mod:`~scalingtheory.fitting.profile`, Sec. 7).

>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> N, D = 10**rng.uniform(7, 10, 40), 10**rng.uniform(9, 12, 40)
>>> data = {"N": N, "D": D, "loss": (1.69 + 406.4*N**-0.34 + 410.7*D**-0.28) * np.exp(0.01*rng.standard_normal(40))}
>>> fit = fit_law(data, "E + A*N**-a + B*D**-b", bootstrap=40, seed=0)
>>> fit
FittedLaw(E + A*N**-a + B*D**-b: A=..., B=..., E=1.6..., a=0.3..., b=0.2...; 40 points, huber)
>>> opt = fit.optimum("6*N*D", at=[1e24])
>>> n_star = opt.allocation["N"]          # N* ~ C^(b/(a+b)) with a 95% bootstrap interval
>>> n_star.expr, n_star.lo < 0.28 / 0.62 < n_star.hi
('b/(a + b)', True)
>>> fit.law.compute_optimal("6*N*D").allocation   # the exact algebra on the fitted numbers
{D: 0.5611..., N: 0.4388...}
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ..laws import ScalingLaw
from ..limits import LIMITS, check_count
from .bootstrap import bootstrap_runs, check_level, percentile_interval
from .checks import NEGLIGIBLE, check_cost, check_hold
from .data import group_labels, numeric_columns, read_columns, table_columns, varying_within
from .fitted import Fitted
from .model import LawModel
from .optimum import Estimate, make_rule, optimum
from .prediction import finite_or_none
from .varpro import FLAT_RTOL, GRID_POINTS, VarproFit, fit_varpro, flat

#: most runs one fit takes: 10,000 runs cost ~15 s CPU for the search and ~25 s with 200 replicates
MAX_RUNS = 10_000
#: most bootstrap replicates (each is a local refit, ~40 ms CPU for 60 runs): the bound of scalingtheory/limits.py
MAX_BOOTSTRAP = LIMITS["bootstrap"].high
#: fewest groups a grouped bootstrap resamples, and the number below which its intervals are noted as rough
MIN_GROUPS = 3
FEW_GROUPS = 10


@dataclass
class FittedLaw(Fitted):
    """A fitted multi-resource law (in the spirit of lmfit's ``ModelResult``), with the result protocol of
    :class:`~scalingtheory.fitting.fitted.Fitted`.

    Attributes: ``model`` (:class:`~scalingtheory.fitting.model.LawModel`), ``X`` (resource
    columns in the order of ``model.resources``), ``y`` (response), ``y_name``, ``loss``,
    ``delta``, ``search`` (:class:`~scalingtheory.fitting.varpro.VarproFit`), ``boot``
    (bootstrap replicates, rows of parameters, or ``None``), ``level``, ``seed``,
    ``cost`` (default cost for :meth:`optimum`, :meth:`plot`, :meth:`to_json`),
    ``approaches`` (Approach 1/2 results keyed by name), ``notes``, ``group`` (the column
    naming each row's run, or ``None``), ``groups`` (each row's run as ``0..G-1``, or ``None``:
    the bootstrap then resampled rows), ``hold`` (resources held at values for the compute-optimal
    question) and ``holdout`` (the :class:`~scalingtheory.fitting.holdout.HoldoutAudit`, or ``None``).
    :attr:`not_identified` names the parameters the data do not fix; ``search.route`` is ``"varpro"``
    or ``"nls"``.
    """

    model: LawModel
    X: tuple
    y: np.ndarray
    y_name: str
    loss: str
    delta: float
    search: VarproFit
    boot: np.ndarray | None = None
    level: float = 0.95
    seed: int = 0
    cost: object = None
    approaches: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    group: str | None = None
    groups: np.ndarray | None = None
    hold: dict = field(default_factory=dict)
    holdout: object = None

    # -- parameters ------------------------------------------------------------------
    @property
    def theta(self) -> np.ndarray:
        return self.search.theta

    @property
    def params(self) -> dict[str, float]:
        """Fitted values by parameter name."""
        return {n: float(v) for n, v in zip(self.model.names, self.theta)}

    @property
    def interval(self) -> str:
        """How the intervals were made, e.g. ``"bootstrap over 40 groups of column 'run' (runs / curves), ..."``."""
        if self.boot is None:
            return "none (bootstrap=0)"
        units = (f"{int(self.groups.max()) + 1} groups of column {self.group!r} (runs / curves)"
                 if self.groups is not None else f"{self.y.size} rows (resampled as independent runs)")
        failed = self.failed_refits
        rests = (f"{len(self.boot)} resamples" if not failed else
                 f"{len(self.boot)} resamples of which {failed} refits failed: resting on {len(self.boot) - failed}, "
                 "widened to hold wherever the failed ones would have fallen (open where that is unbounded)")
        return f"bootstrap over {units}, {rests}, seed {self.seed}, {self.level:.0%} percentile intervals"

    @property
    def failed_refits(self) -> int:
        """Bootstrap refits that failed (rows of NaN in :attr:`boot`); 0 without a bootstrap."""
        return 0 if self.boot is None else int(np.isnan(self.boot[:, 0]).sum())

    @property
    def not_identified(self) -> tuple:
        """Parameters that ended at a search bound: the data do not identify them (their intervals are open there)."""
        return tuple(self.search.at_bound)

    def estimates(self, level: float | None = None) -> dict[str, Estimate]:
        """Each parameter with its bootstrap percentile interval at ``level`` (default :attr:`level`)."""
        level = self.level if level is None else level
        out = {n: Estimate.from_samples(v, None if self.boot is None else self.boot[:, j], level)
               for j, (n, v) in enumerate(self.params.items())}
        lo, hi, log = self.search.box
        flat_ones = flat(self.model, self.theta, self.X)
        for name in self.not_identified:   # open towards the bound it ended at (both sides when the law is flat in it)
            j, e = self.model.names.index(name), out[name]
            t = np.log if log[j] else float
            low_side = t(self.theta[j]) - t(lo[j]) <= t(hi[j]) - t(self.theta[j])
            lo_j = None if low_side or name in flat_ones else e.lo
            hi_j = None if not low_side or name in flat_ones else e.hi
            out[name] = Estimate(e.value, lo_j, hi_j, e.expr)
        return out

    def profile(self, names=None, level: float | None = None):
        """Profile-likelihood intervals of the exponents (:func:`~scalingtheory.fitting.profile.profile_intervals`):
        a second method beside the bootstrap, sandwich-adjusted over :attr:`groups` when given."""
        from .profile import profile_intervals

        return profile_intervals(self, names, self.level if level is None else level)

    @property
    def law(self) -> ScalingLaw:
        """The fitted law as a :class:`~scalingtheory.laws.ScalingLaw` (parameters replaced by their values)."""
        values = {p: sp.Float(v, 15) for p, v in zip(self.model.params, self.theta)}
        return ScalingLaw.from_expr(self.model.expr.xreplace(values), self.model.resources)

    # -- residuals and prediction ---------------------------------------------------
    @property
    def residuals(self) -> np.ndarray:
        """Log residuals ``log L_hat - log L`` at the data."""
        return np.log(self.model.predict(self.theta, self.X)) - np.log(self.y)

    @property
    def rmsle_train(self) -> float:
        return float(np.sqrt(np.mean(self.residuals**2)))

    def diagnostics(self) -> dict:
        """Residual diagnostics: RMSLE, robust scale, largest residual, outliers, trends in each resource.

        ``scale`` is :math:`1.4826\\,\\mathrm{MAD}` of the log residuals; ``outliers`` counts
        residuals beyond 5 scales; ``trend[X]`` is the correlation of the residuals with
        :math:`\\log X` (near 0 when the law captures the dependence on ``X``).
        """
        r = self.residuals
        scale = 1.4826 * float(np.median(np.abs(r - np.median(r))))
        trend = {x.name: float(np.corrcoef(r, np.log(v))[0, 1]) if np.ptp(v) > 0 and np.ptp(r) > 0 else 0.0
                 for x, v in zip(self.model.resources, self.X)}
        return {"rmsle": self.rmsle_train, "scale": scale, "max_abs": float(np.max(np.abs(r))),
                "outliers": int(np.sum(np.abs(r) > 5 * scale)) if scale > 0 else 0, "trend": trend,
                "objective": float(self.search.objective),
                "starts": {"reached": self.search.reached, "of": self.search.starts,
                           "grid_points": self.search.grid_points}}

    def _resource_arrays(self, data) -> tuple:
        names = [x.name for x in self.model.resources]
        cols = read_columns(data, names)
        return tuple(cols[n] for n in names)

    def predict(self, data) -> np.ndarray:
        """The fitted law at the resources of ``data`` (CSV path, mapping or DataFrame)."""
        return self.model.predict(self.theta, self._resource_arrays(data))

    def predict_interval(self, data, level: float | None = None):
        """``(L_hat, lo, hi)``: prediction with the bootstrap percentile band of the fitted law (mean curve).

        Without bootstrap replicates ``lo`` and ``hi`` are NaN.
        """
        X = self._resource_arrays(data)
        yhat = self.model.predict(self.theta, X)
        if self.boot is None:
            nan = np.full_like(yhat, np.nan)
            return yhat, nan, nan
        curves = np.array([self.model.predict(t, X) if np.all(np.isfinite(t)) else np.full(yhat.shape, np.nan)
                           for t in self.boot])   # failed refits stay NaN: the band is widened for them
        lo, hi = percentile_interval(curves, self.level if level is None else level)
        return yhat, np.asarray(lo), np.asarray(hi)

    # -- compute-optimal ---------------------------------------------------------------
    def _cost(self, cost):
        cost = self.cost if cost is None else cost
        if cost is None:
            raise ValueError("give a cost, e.g. '6*N*D' (fit_law(..., cost=...) or optimum(cost))")
        return cost

    def rule(self, cost=None, route: str = "auto"):
        """The compute-optimal rule for ``cost``: exact algebra where it applies, else numeric
        (:func:`~scalingtheory.fitting.optimum.make_rule`), with :attr:`hold` fixing resources outside the cost."""
        spans = [(float(np.min(x)), float(np.max(x))) for x in self.X]
        return make_rule(self.model, self._cost(cost), self.hold, spans, route)

    def optimum(self, cost=None, at=(), level: float | None = None, route: str = "auto"):
        """Compute-optimal allocation exponents, loss exponent and ``X*(C)``, ``L*(C)`` at budgets ``at``.

        Every quantity carries its expression (exponents) and a bootstrap percentile interval. ``route``:
        ``"auto"`` (exact algebra where it applies, else numeric), ``"exact"`` or ``"numeric"``. Where a
        parameter is not identified the bootstrap cannot carry its uncertainty: the intervals of the
        exponents whose expression uses it, and of every quantity at a budget, are open (``None``), with a note.
        """
        opt = optimum(self.rule(cost, route), self.theta, self.boot, at, self.level if level is None else level)
        if not self.not_identified:
            return opt
        from .model import _names_in

        names = set(self.not_identified)

        def open_(e):   # an exponent keeps its interval when its expression does not use them
            kept = e is None or (e.expr and not names & set(_names_in(e.expr)))
            return e if kept else Estimate(e.value, None, None, e.expr)

        opt.allocation = {k: open_(e) for k, e in opt.allocation.items()}
        opt.loss_exponent = open_(opt.loss_exponent)
        opt.at = [{k: v if k == "C" else open_(v) for k, v in row.items()} for row in opt.at]
        opt.notes.append(f"{', '.join(self.not_identified)} not identified: the intervals that depend on "
                         f"{'it' if len(names) == 1 else 'them'} are open")
        return opt

    def plan(self, budget: float, runs: int, max_run_compute: float, cost=None, target: str | None = None,
             candidates=None):
        """The ``runs`` next runs (each costing at most ``max_run_compute``) that most shrink the interval of the
        compute-optimal allocation at ``budget``: :func:`scalingtheory.fitting.plan.plan`."""
        from .plan import plan

        return plan(self, budget, runs, max_run_compute, cost, target, candidates)

    def compute_optimal(self, cost=None):
        """The exact :class:`~scalingtheory.laws.ComputeOptimal` rule of :attr:`law` (no intervals)."""
        from .optimum import parse_cost

        held = {x: sp.Float(self.hold[x.name], 17) for x in self.model.resources if x.name in self.hold}
        law = ScalingLaw.from_expr(self.law.expr.xreplace(held), [x for x in self.model.resources if x not in held])
        return law.compute_optimal(parse_cost(self._cost(cost), self.model.resources))

    # -- output ----------------------------------------------------------------------
    def __repr__(self) -> str:
        vals = ", ".join(f"{n}={v:.4g}" for n, v in self.params.items())
        return f"FittedLaw({self.model.text}: {vals}; {self.y.size} points, {self.loss})"

    def latex(self, digits: int = 4) -> str:
        """LaTeX of the fitted law, parameters at ``digits`` significant digits."""
        values = {p: sp.Float(f"{v:.{digits}g}", digits) for p, v in zip(self.model.params, self.theta)}
        return "L = " + sp.latex(self.model.expr.xreplace(values))

    def to_json(self, cost=None, at=()) -> dict:
        """The CLI contract (strict JSON: non-finite numbers become ``null``).

        ``{"law", "n_points", "params": {NAME: {"value","lo","hi"}}, "compute_optimal": {"cost",
        "loss": {"value","lo","hi","expr"}, "allocation": {X: {...}}, "at": [{"C", X: {...},
        "loss": {...}}]} | null, "rmsle_train", "interval", "notes"}`` (``interval``: :attr:`interval`),
        plus ``"approaches"`` (IsoFLOP, envelope) when the data allow them.
        """
        cost = self.cost if cost is None else cost
        opt = self.optimum(cost, at) if cost is not None else None
        notes = list(self.notes) + ([n for n in opt.notes if n not in self.notes] if opt else [])
        if opt is None and at:
            raise ValueError("budgets (--at-compute) need a cost (--cost)")
        out = {"law": self.model.text, "n_points": int(self.y.size), "route": self.search.route,
               "params": {k: e.to_json() for k, e in self.estimates().items()},
               "not_identified": list(self.not_identified),
               "bootstrap": None if self.boot is None else {"replicates": int(len(self.boot)),
                                                             "failed": self.failed_refits},
               "compute_optimal": opt.to_json() if opt else None,
               "rmsle_train": finite_or_none(self.rmsle_train), "interval": self.interval, "notes": notes}
        if self.approaches:
            out["approaches"] = {k: a.to_json() for k, a in self.approaches.items()}
        if self.holdout is not None:
            out["holdout"] = self.holdout.to_json()
        return out

    def report(self, cost=None, at=()) -> str:
        """Plain-text report: parameters with intervals, diagnostics, compute-optimal rule, notes."""
        d = self.diagnostics()
        lines = [f"[[Fit]] {self.model.text}  ({self.loss}" + (f", delta={self.delta:g}" if self.loss == "huber" else "")
                 + f", log residuals; {self.search.route} route)",
                 f"    points {self.y.size}, starts reaching the optimum {d['starts']['reached']} of "
                 f"{d['starts']['of']} (start grid of {d['starts']['grid_points']} points)",
                 f"    RMSLE(train) {d['rmsle']:.4g}, robust scale {d['scale']:.3g}, max |r| {d['max_abs']:.3g}, "
                 f"outliers {d['outliers']}",
                 f"[[Parameters]] (intervals: {self.interval})"]
        lines += [f"    {k:8s} = {e}" for k, e in self.estimates().items()]
        cost = self.cost if cost is None else cost
        if cost is not None:
            lines.append(self.optimum(cost, at).report())
        if self.holdout is not None:
            lines.append(self.holdout.report())
        for name, a in self.approaches.items():
            lines.append(f"[[{a.title}]] " + ", ".join(f"{k}* ~ C^{e}" for k, e in a.allocation.items())
                         + f" ({a.summary})")
        lines += [f"    note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Jupyter: the parameters with intervals, and the compute-optimal exponents when a cost is set."""
        from ..display import html_table

        rows = [[k, f"{e.value:.6g}", _fmt(e.lo), _fmt(e.hi)] for k, e in self.estimates().items()]
        caption = (f"{self.model.text} fitted to {self.y.size} points ({self.loss}, RMSLE {self.rmsle_train:.4g}); "
                   f"intervals: {self.interval}")
        if self.cost is not None:
            opt = self.optimum()
            rows += [[f"{k}* ~ C^({e.expr})", f"{e.value:.6g}", _fmt(e.lo), _fmt(e.hi)]
                     for k, e in opt.allocation.items()]
        return html_table(["quantity", "value", f"{self.level:.0%} lo", "hi"], rows, caption, self.notes)

    def plot(self, ax=None, cost=None, level: float | None = None):
        """Data, iso-loss contours and the compute-optimal frontier with its band (two resources).

        With another number of resources: fitted against observed loss. Returns ``ax``. Drawn by
        :func:`scalingtheory.fitting.figures.fitted_law`.
        """
        from .figures import fitted_law

        cost = self.cost if cost is None else cost
        return fitted_law(self, ax=ax, cost=cost, level=self.level if level is None else level)




def _fmt(v) -> str:
    return "" if v is None else f"{v:.6g}"


def _unmodelled_columns(table, names, y, X, group=None) -> list[str]:
    """A note naming numeric columns outside the law (and other than ``y``, ``group``) that vary among runs
    with the same resources."""
    groups = np.unique(np.column_stack(X), axis=0, return_inverse=True)[1].ravel()
    others = [n for n, v in numeric_columns(table).items()
              if n not in names and n not in (y, group) and v.size == groups.size and varying_within(groups, v)]
    return [f"column(s) {', '.join(others)} vary among runs with the same {', '.join(names)} but are not in the "
            "law (another resource?)"] if others else []


def _degeneracy_notes(model, search, X, y) -> list[str]:
    """Notes on a fit that is degenerate: parameters not identified (ended at a search bound), a constant law,
    a law whose undecided slope rises at fitted values (see ``LawModel.undecided``)."""
    theta, notes = search.theta, []
    pred = model.predict(theta, X)
    G, _ = model.design(theta[model.nonlinear_index], X)
    for k, c in enumerate(model.linear):
        with np.errstate(all="ignore"):
            share = np.nanmax(np.abs(theta[model.params.index(c)] * G[:, k]) / pred) if len(pred) else 0.0
        if not share >= NEGLIGIBLE:
            notes.append(f"the term of {c} ({c} = {theta[model.params.index(c)]:.3g}) is below {NEGLIGIBLE:g} of the "
                         f"fitted loss at every run: it plays no part in the fit ({c} is as good as 0; check the law)")
    lo, hi, log = search.box
    flat_ones = flat(model, theta, X)
    notes += [f"{name} is not identified: the fitted law does not depend on it at these runs (relative sensitivity "
              f"below {FLAT_RTOL:g}); its interval is open (JSON not_identified)" for name in flat_ones]
    for name in (n for n in search.at_bound if n not in flat_ones):
        j = model.names.index(name)
        t = np.log if log[j] else float
        bound = lo[j] if t(theta[j]) - t(lo[j]) <= t(hi[j]) - t(theta[j]) else hi[j]
        notes.append(f"{name} is not identified: it ended at its search bound {bound:.3g} ({name} = {theta[j]:.3g}), "
                     f"so the data do not fix it; its interval is open on that side (JSON not_identified)")
    if np.ptp(pred) <= NEGLIGIBLE * np.min(pred):
        notes.append(f"degenerate fit: the fitted law is constant over the runs (to {NEGLIGIBLE:g}); it does not "
                     f"follow {', '.join(x.name for x in model.resources)}")
    for name, slope in model.slopes(theta, X).items():
        rising = int(np.sum(slope > 0))
        if rising:
            notes.append(f"the fitted law rises with {name} at {rising} of {slope.size} runs")
    return notes


def _inputs(data, law, y, bootstrap, level, seed, n_starts, grid_points, resources=None) -> tuple:
    """``(table, model, X, L)``: the checked options and columns of :func:`fit_law` (``ValueError`` otherwise)."""
    check_count("bootstrap", bootstrap)
    if n_starts is not None:
        check_count("law_starts", n_starts, "n_starts")
    check_count("grid_points", grid_points)
    check_level(level)
    if not (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    table = table_columns(data)
    model = LawModel(law, list(table), y, resources)
    names = [x.name for x in model.resources]
    cols = read_columns(table, names + [y])
    X, L = tuple(cols[n] for n in names), cols[y]
    p = len(model.params)
    if L.size < p + 1:
        raise ValueError(f"too few points for the law: {p} parameters need at least {p + 1} rows, got {L.size}")
    if L.size > MAX_RUNS:
        raise ValueError(f"{L.size:,} runs; a fit takes at most {MAX_RUNS:,} (bin or subsample the runs first)")
    for n, v in zip(names, X):
        if np.ptp(v) == 0:
            raise ValueError(f"column {n!r} is constant ({v[0]:g}): the law cannot separate its dependence on {n}")
    if np.ptp(L) <= NEGLIGIBLE * np.max(np.abs(L)):     # as the one-resource fit (curve_data) refuses it; plan too
        raise ValueError(f"{y} does not vary ({L.min():g} to {L.max():g}): a loss that does not vary cannot "
                         "identify a law")
    return table, model, X, L


def _groups(table, group, X, names, y) -> tuple:
    """``(labels or None, notes)``: each row's run from the column ``group``, or, without one, a note
    when the rows look like training curves (:func:`~scalingtheory.fitting.envelope.curve_resource`).

    Curves are not grouped by themselves: rows sharing ``N`` may be separate runs (Hoffmann et al.
    trained one run per token count), so only the user can say the rows of a curve share noise.
    """
    from .envelope import MIN_CURVE_POINTS, curve_resource

    size = X[0].size
    if group is None:
        found = None if isoflop_levels(X) else curve_resource(dict(zip(names, X)))
        return None, [] if found is None else [
            f"the rows look like training curves ({found[2]} values of {found[0]} with >= {MIN_CURVE_POINTS} values of "
            f"{found[1]} each); the bootstrap resampled rows as if independent, which understates the uncertainty when the "
            f"rows of a run share noise: name each row's run with group= (--group COL), e.g. {found[0]!r} if each "
            f"{found[0]} is one run"]
    if not isinstance(group, str):
        raise ValueError(f"group must name a column (a str), got {type(group).__name__} {str(group)[:60]!r}")
    if group == y:
        raise ValueError(f"group column {group!r} is the response y: group= names each row's run (e.g. 'run')")
    labels = group_labels(table, group, size)
    n = int(labels.max()) + 1
    if n < MIN_GROUPS:
        raise ValueError(f"group column {group!r} has {n} distinct value(s): a bootstrap over runs needs at least "
                         f"{MIN_GROUPS}")
    if n == size:
        return labels, [f"every row has its own value of {group!r}: the bootstrap over groups resamples rows"]
    return labels, [f"only {n} groups in {group!r}: a bootstrap over so few runs gives rough intervals (often too "
                    "narrow)"] if n < FEW_GROUPS else []


#: rows sharing a budget (the product of the resources, to this relative tolerance) lie on one IsoFLOP profile
ISO_RTOL = 0.02
#: IsoFLOP designs: rows on at most this share of distinct budgets, each budget with >= 3 rows
ISO_SHARE = 1 / 3


def isoflop_levels(X) -> int:
    """Number of IsoFLOP profiles when the runs lie on a few budgets (levels of the product of the resources,
    to :data:`ISO_RTOL`, each holding >= 3 runs and all together <= :data:`ISO_SHARE` of the runs), else 0.

    Separate runs sharing a model size across budgets (Hoffmann et al.'s IsoFLOP profiles) are then
    not taken for training curves.

    >>> N = np.array([1, 2, 4, 1, 2, 4, 1, 2, 4.0]) * 1e8
    >>> isoflop_levels((N, np.repeat([1e18, 1e19, 1e20], 3) / N))
    3
    """
    lc = np.sort(np.sum([np.log(x) for x in X], axis=0))
    edges = np.concatenate([[0], np.flatnonzero(np.diff(lc) > np.log1p(ISO_RTOL)) + 1, [lc.size]])
    sizes, spans = np.diff(edges), lc[edges[1:] - 1] - lc[edges[:-1]]   # a level is narrow, not a chain
    few = sizes.size <= ISO_SHARE * lc.size and sizes.min() >= 3 and spans.max() <= 2 * np.log1p(ISO_RTOL)
    return int(sizes.size) if few else 0


def _fit_rows(model, X, L, loss, delta, n_starts, grid_points, bootstrap, seed, progress, groups) -> tuple:
    """``(search, boot)``: the search and the bootstrap replicates (``None`` for ``bootstrap=0``)."""
    search = fit_varpro(model, X, L, loss, delta, n_starts=n_starts, grid_points=grid_points)
    boot = None
    if bootstrap:
        boot = bootstrap_runs(model, X, L, search.theta, loss, delta, int(bootstrap), seed, progress, groups,
                              box=search.box)
    return search, boot


def _holdout(model, X, L, names, k, cost_expr, args, groups, level) -> object:
    """The held-out-largest audit (:mod:`~scalingtheory.fitting.holdout`) of ``k`` runs."""
    from .holdout import audit, held_out_rows

    if cost_expr is not None:
        order = np.asarray(sp.lambdify(model.resources, cost_expr, "numpy")(*X), float)
        by = f"cost {sp.sstr(cost_expr)}"
    else:
        order, by = np.prod(np.vstack(X), axis=0), "product of " + "*".join(names)
    out = held_out_rows(np.broadcast_to(order, L.shape), k)
    keep = ~out
    g = None if groups is None else np.unique(groups[keep], return_inverse=True)[1].ravel()
    search, boot = _fit_rows(model, tuple(x[keep] for x in X), L[keep], *args, g)
    resid = np.log(model.predict(search.theta, tuple(x[keep] for x in X))) - np.log(L[keep])
    return audit(model, search.theta, boot, resid, tuple(x[out] for x in X), L[out], names, by, args[-2], level)


def fit_law(data, law, y: str = "loss", *, loss: str = "huber", delta: float = 1e-3, cost=None,
            bootstrap: int = 200, seed: int = 0, level: float = 0.95, group: str | None = None,
            n_starts: int | None = None, grid_points: int = GRID_POINTS, progress: bool = False,
            hold: dict | None = None, holdout: int = 0, resources=None) -> FittedLaw:
    """Fit ``law`` (text or SymPy) to the columns of ``data`` (CSV path, mapping or DataFrame).

    The law's symbols that name columns are the resources, the others the parameters;
    ``y`` names the response column (a loss, > 0). ``loss="huber"`` (with ``delta`` on
    log residuals) or ``"mse"``. ``bootstrap`` replicates (0: no intervals), seeded by
    ``seed``, resample the rows, or with ``group`` (a column naming each row's run or
    training curve, e.g. ``"run"``) whole groups of rows. ``cost`` (e.g. ``"6*N*D"``) is
    the default cost of the compute-optimal questions and switches on the IsoFLOP and
    envelope estimators; ``hold`` (``{"U": 1e9}``) fixes the resources the cost does not
    allocate; ``resources`` (e.g. ``["N", "D"]``) names the resource columns explicitly (default: every
    symbol of the law that names a column). ``holdout=K`` adds the held-out-largest audit
    (:mod:`~scalingtheory.fitting.holdout`).
    ``n_starts`` (default 8, or 24 for a law with no linear coefficient) and ``grid_points``
    set the search (:mod:`~scalingtheory.fitting.varpro`). :attr:`FittedLaw.interval` states the method.

    Raises ``ValueError`` for bad input, before any fitting: unknown columns, a law naming no column,
    non-positive or non-finite data, a constant resource, too few points for the law,
    a group column that is ``y``, has an empty value or fewer than 3 groups, a cost that names
    no resource, is not positive or does not increase in each resource, a resource neither in the
    cost nor held, options outside their ranges.
    """
    holdout = check_count("holdout", holdout)
    table, model, X, L = _inputs(data, law, y, bootstrap, level, seed, n_starts, grid_points, resources)
    names = [x.name for x in model.resources]
    cost_expr = None if cost is None else check_cost(cost, model.resources, X, hold)
    hold = check_hold(hold, model.resources, cost_expr)
    if L.size - holdout < len(model.params) + 1:
        raise ValueError(f"holdout {holdout} leaves {L.size - holdout} runs for {len(model.params)} parameters "
                         f"(at most {max(0, L.size - len(model.params) - 1)} of these {L.size} runs can be held out)")
    groups, group_notes = _groups(table, group, X, names, y)
    args = (loss, delta, n_starts, grid_points, bootstrap, seed, progress)
    search, boot = _fit_rows(model, X, L, *args, groups)
    notes = [f"{search.reached} of {search.starts} refined starts reached the optimum "
             f"(objective {search.objective:.6g}; {search.route} route)"]
    notes += _unmodelled_columns(table, names, y, X, group)
    notes += _degeneracy_notes(model, search, X, L)
    if bootstrap:
        notes += group_notes
        failed = int(np.isnan(boot[:, 0]).sum())
        if failed:
            notes.append(f"{failed} of {bootstrap} bootstrap refits failed: intervals rest on {bootstrap - failed} and "
                         "are widened to hold wherever the failed ones would have fallen (open when more than "
                         f"{(1 - level) / 2:.3g} of the replicates failed)")
    fitted = FittedLaw(model, X, L, y, loss, delta, search, boot, level, seed, cost, {}, notes, group, groups, hold)
    if holdout:
        fitted.holdout = _holdout(model, X, L, names, holdout, cost_expr, args, groups, level)
    if cost is not None and not hold:   # Approaches 1 and 2 allocate every resource of the law
        from .approaches import side_estimators

        fitted.approaches = side_estimators(fitted, cost)
    return fitted


__all__ = ["fit_law", "FittedLaw", "MAX_RUNS", "MAX_BOOTSTRAP", "MIN_GROUPS"]
