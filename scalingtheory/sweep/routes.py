r"""Numeric routes a sweep can run: one declaration per (model, route).

A route names the *resources* it can vary or fix (``N``, ``P``, ``t``: with ``"inf"``
where the route has that limit), its *settings* (``M`` modes, ``gamma`` ...), whether it
is random (then every task is one seeded draw), and two functions: :attr:`Route.check`
validates one combination of values and returns its size (numbers held in memory), and
:attr:`Route.evaluate` computes ``(loss, train_loss)`` for one task on a worker.

* ``random_features`` / ``exact``: one draw of the exact finite-size solver
  (:func:`scalingtheory.numerics.rf_exact.draw`), test loss at time ``t`` of gradient flow;
  ``t = inf`` is the end point of gradient flow from ``w(0) = 0``, the minimum-norm
  interpolant (filter :math:`1/d` on the nonzero eigenvalues of ``K``; eigenvalues below
  the ``numpy.linalg.matrix_rank`` tolerance count as zero); ``N, P = inf``: infinite
  width / online training.
* ``random_features`` / ``dmft``: the deterministic-equivalent loss
  (:class:`scalingtheory.numerics.dmft.DMFT`); finite ``t`` only (inverse Laplace transform).
* ``feature_learning`` / ``mean_field``: the exact finite-width gradient flow of the
  projected two-layer network (:func:`scalingtheory.numerics.feature_learning.gradient_flow`),
  ``gamma = 0`` lazy, ``gamma > 0`` rich; ``t = inf`` is the projection floor
  (:func:`~scalingtheory.numerics.feature_learning.width_floor`, lazy and rich alike),
  ``N = inf`` the mean-field limit (deterministic).
* ``feature_learning`` / ``network``: a two-layer ReLU network on the circle trained by online SGD
  (:func:`scalingtheory.numerics.circle_network.train`), one seed per task, test loss after ``t`` steps;
  the target's Fourier power is :math:`k^{-\alpha\beta-1}` with the grid's ``alpha`` (the ReLU NTK's
  measured capacity is 2.006), ``gamma <= 0.01`` (:data:`LAZY_GAMMA`) is compared with lazy training.
* ``feature_learning`` / ``network3``: the three-layer network on the circle
  (:func:`scalingtheory.numerics.circle_three_layer.train`: a frozen random first layer of ``features``
  step units, whose kernel has :math:`\lambda_k\propto k^{-2}`, a trained linear middle layer of width ``N``
  and a trained readout), with the settings, target, seeds and lazy/rich rule of route ``network``.
* ``sparse_parity`` / ``exact``: the exact sums over skills of
  :mod:`scalingtheory.numerics.sparse_parity` (deterministic: the data average is exact),
  ``time_width_loss`` (``D = inf``), ``data_loss`` (``t = inf``), ``expected_loss`` (both
  finite), ``width_loss`` (both infinite); ``N = inf`` means all ``n_s`` skills.

>>> sorted(ROUTES)  # doctest: +NORMALIZE_WHITESPACE
[('feature_learning', 'mean_field'), ('feature_learning', 'network'), ('feature_learning', 'network3'),
 ('random_features', 'dmft'), ('random_features', 'exact'), ('sparse_parity', 'exact')]
>>> route("feature_learning", "network3").check({"N": 64, "t": 10**4, "gamma": 1e-3, "eta": 0.5, "batch": 16,
...                                               "modes": 2047, "features": 4096, "centres": 0})
1556480
>>> route("random_features", "exact").check({"N": 64, "P": INF, "t": INF, "M": 600})
38400
>>> route("random_features", "dmft").resource("t").no_inf
'the DMFT loss is an inverse Laplace transform at finite t; use route exact for t = inf'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

INF = math.inf


@dataclass(frozen=True)
class Resource:
    """A resource a route can vary: integer or real, with or without the ``inf`` limit."""

    name: str
    integer: bool
    meaning: str
    inf: str = ""              # what "inf" means for this route
    no_inf: str = ""           # why "inf" is refused (set exactly when ``inf`` is empty)


@dataclass(frozen=True)
class Setting:
    """A fixed numeric setting of a route: ``lo < value <= hi`` (``lo <= value`` if ``closed``)."""

    name: str
    default: float
    lo: float
    hi: float
    integer: bool
    meaning: str
    closed: bool = False


@dataclass(frozen=True)
class Route:
    """A numeric route: resources, settings, randomness and the two functions (module docstring)."""

    model: str
    name: str
    resources: tuple
    settings: tuple
    stochastic: bool
    evaluate: Callable = field(repr=False)
    check: Callable = field(repr=False)
    theory_params: Callable = field(repr=False)
    modules: tuple = ()        # imported on a worker before a task's clock starts
    grid: tuple = ("alpha", "beta")
    #: numbers one task touches in all (steps x numbers per step), for routes whose cost grows with ``t``
    work: Callable | None = field(default=None, repr=False)

    def resource(self, name: str) -> Resource:
        return {r.name: r for r in self.resources}[name]


def point_value(text: str) -> float:
    """The float of an exact grid value such as ``"3/2"``."""
    num, _, den = text.partition("/")
    return float(num) / float(den or 1)


def _finite_int(values: dict, name: str):
    """``None`` for ``inf`` (the solvers' spelling of an infinite size), else the int."""
    x = values[name]
    return None if math.isinf(x) else int(x)


# -- random features, exact finite-size draws -------------------------------------------------


def _rf_task(values: dict, point: dict):
    from ..models import get_model
    return get_model("random_features").eigenvalues_and_target(point["alpha"], point["beta"], int(values["M"]))


def _endpoint_losses(dr):
    r"""Test and train loss at :math:`t=\infty`: filter :math:`1/d` on the nonzero eigenvalues.

    Gradient flow from ``w(0) = 0`` keeps ``w`` in the range of ``K`` and converges to
    :math:`K^+ b` (minimum-norm solution); with :math:`a = c/d` the test loss is
    :math:`L_0 - 2a\cdot h + a^\top Q a` and the train loss :math:`|y|^2/P - \sum_j g_j^2/d_j`
    (the :math:`t\to\infty` limits of the formulas of
    :class:`~scalingtheory.numerics.rf_exact.RandomFeatureDraw`).
    """
    import numpy as np

    d = dr.d
    keep = d > np.finfo(float).eps * d.size * d.max()
    inv = np.where(keep, 1.0 / np.where(keep, d, 1.0), 0.0)
    a = inv * dr.c
    test = float(dr.L0 - 2.0 * a @ dr.h + a @ dr.Q @ a)
    train = None if dr.P is None else float(dr.y_norm2 - np.sum(dr.g2 * inv))
    return test, train


def _rf_exact_evaluate(point: dict, values: dict, seed: int):
    import numpy as np

    from ..numerics.rf_exact import draw
    dr = draw(*_rf_task(values, point), _finite_int(values, "N"), _finite_int(values, "P"),
              np.random.default_rng(seed))
    if math.isinf(values["t"]):
        return _endpoint_losses(dr)
    train = None if dr.P is None else float(dr.train_loss([values["t"]])[0])
    return float(dr.test_loss([values["t"]])[0]), train


def _rf_exact_check(values: dict) -> int:
    M, N, P = values["M"], values["N"], values["P"]
    if not math.isinf(N) and N > M:
        raise ValueError(f"route exact needs N <= M (modes) = {M:g}, got N = {N:g}")
    width = M if math.isinf(N) else N
    return int(M * (width + (0 if math.isinf(P) else P)))


# -- random features, DMFT ---------------------------------------------------------------


def _rf_dmft_evaluate(point: dict, values: dict, seed: int):
    from ..numerics.dmft import DMFT
    th = DMFT(*_rf_task(values, point), N=_finite_int(values, "N"), P=_finite_int(values, "P"),
              nodes=int(values["nodes"]))
    t = [values["t"]]
    train = None if th.P is None else float(th.train_loss(t)[0])
    return float(th.test_loss(t)[0]), train


def _rf_dmft_check(values: dict) -> int:
    return int(values["M"] * values["nodes"] * 4)


def _rf_theory(values: dict) -> dict:
    return {}


# -- feature learning, exact finite-width gradient flow ------------------------------------------


def _fl_evaluate(point: dict, values: dict, seed: int):
    from ..numerics import feature_learning as fl
    from ..numerics.mean_field import gradient_flow_loss, infinite_width_problem
    al, be, M, N = point["alpha"], point["beta"], int(values["M"]), _finite_int(values, "N")
    if math.isinf(values["t"]):
        return float(fl.width_floor(al, be, M, N, seeds=(seed,))[0]), None
    if N is None:
        problem = infinite_width_problem(al, be, M)
        return float(gradient_flow_loss(problem, values["gamma"], [values["t"]], values["eta"])[0]), None
    return float(fl.gradient_flow(al, be, M, N, values["gamma"], [values["t"]], values["eta"],
                                  seeds=(seed,))[0, 0]), None


def _fl_check(values: dict) -> int:
    M, N = values["M"], values["N"]
    if math.isinf(N) and math.isinf(values["t"]):
        raise ValueError("route mean_field: N = inf together with t = inf leaves only the truncation "
                         "tail of M modes; make N or t finite")
    if not math.isinf(N) and N > M:
        raise ValueError(f"route mean_field needs N <= M (modes) = {M:g}, got N = {N:g}")
    return int(M * (M if math.isinf(N) else N))


def _fl_theory(values: dict) -> dict:
    return {"training": "lazy" if values["gamma"] == 0 else "rich", "optimizer": "gf"}


# -- feature learning, networks on the circle trained by online SGD (issue 23) ---------------

#: richness at or below which a network run counts as lazy training (the closed forms compared)
LAZY_GAMMA = 1e-2


def _circle_loss(train, point: dict, values: dict, seed: int, **sizes):
    r"""Test loss after ``t`` online-SGD steps of one seeded network (``train`` of a circle module, with the
    module's own ``sizes``) on the target of Fourier power :math:`k^{-\alpha\beta-1}`, ``k <= modes``."""
    from ..numerics.circle_network import circle_target
    task = circle_target(point_value(point["alpha"]), point_value(point["beta"]), int(values["modes"]))
    run = train(task, gamma=values["gamma"], steps=int(values["t"]), eta=values["eta"], batch=int(values["batch"]),
                seeds=(seed,), n_records=2, progress=False, **sizes)
    return float(run.losses[0, -1]), None


def _circle_numbers(numbers: int, tables: int = 2) -> int:
    """``numbers`` held by a network and its batch plus ``tables`` arrays of the size of the target's table
    (the table and its spectrum); peaks measured with ``tracemalloc`` stay below the sum."""
    from ..numerics.circle_network import TABLE
    return int(numbers + tables * TABLE)


def _fl_network_evaluate(point: dict, values: dict, seed: int):
    from ..numerics import circle_network as cn
    return _circle_loss(cn.train, point, values, seed, width=int(values["N"]))


def _steps_work(step):
    """A route's ``work``: ``t`` SGD steps of ``step(values)`` numbers each."""
    return lambda values: float(values["t"]) * step(values)


def _fl_network_step(values: dict) -> int:
    """Numbers of one SGD step: the ``N`` neurons for the batch and back (also what a task holds)."""
    return int(values["N"]) * (values["batch"] + 4)


def _fl_network_check(values: dict) -> int:
    N = int(values["N"])
    if N % 2:
        raise ValueError(f"route network needs an even width N (neurons come in pairs), got N = {N}")
    return _circle_numbers(_fl_network_step(values))


def _fl_network3_evaluate(point: dict, values: dict, seed: int):
    from ..numerics import circle_three_layer as c3
    return _circle_loss(c3.train, point, values, seed, width=int(values["N"]), features=int(values["features"]),
                        centres=int(values["centres"]) or None)


def _fl_network3_step(values: dict) -> int:
    """Numbers of one SGD step: the middle layer ``W`` (N x M, a rank-one update) and the batch's units and
    their temporaries (3 B x M)."""
    return int(values["features"]) * (int(values["N"]) + 3 * values["batch"])


def _fl_network3_check(values: dict) -> int:
    """What one step touches (:func:`_fl_network3_step`), the exact loss's arc ends (about 12 M) and its
    antiderivative of the target (two more tables)."""
    N, M, C = int(values["N"]), int(values["features"]), int(values["centres"])
    if N < 2:
        raise ValueError(f"route network3 needs a middle width N >= 2, got N = {N}")
    if C and M % C:
        raise ValueError(f"route network3 needs centres dividing features = {M} (or 0: random centres), got {C}")
    return _circle_numbers(_fl_network3_step(values) + 12 * M, tables=4)


def _circle_theory(values: dict) -> dict:
    return {"training": "lazy" if values["gamma"] <= LAZY_GAMMA else "rich", "optimizer": "sgd"}


# -- sparse parity, exact sums over skills ---------------------------------------------------


def _sp_evaluate(point: dict, values: dict, seed: int):
    from ..numerics import sparse_parity as spn

    al, n_s = point_value(point["alpha"]), int(values["n_s"])
    N = _finite_int(values, "N") or n_s
    S, r, eta = values["S"], values["r"], values["eta"]
    t, D = values["t"], _finite_int(values, "D")
    if D is None:
        loss = spn.width_loss(N, al, n_s, S) if math.isinf(t) else spn.time_width_loss(t, N, al, n_s, S, r, eta)
    elif math.isinf(t):
        loss = spn.data_loss(D, al, n_s, N, S, r)
    else:
        loss = spn.expected_loss(t, D, N, al, n_s, S, r, eta)
    return float(loss), None


def _sp_check(values: dict) -> int:
    n_s, N, D = values["n_s"], values["N"], values["D"]
    if values["r"] >= values["S"]:
        raise ValueError(f"route exact of sparse_parity needs r < S (r is the initial skill strength), "
                         f"got r = {values['r']:g}, S = {values['S']:g}")
    if not math.isinf(N) and N > n_s:
        raise ValueError(f"route exact of sparse_parity needs N <= n_s (skills) = {n_s:g}, got N = {N:g}")
    if math.isinf(D) and math.isinf(values["t"]) and math.isinf(N):
        raise ValueError("route exact of sparse_parity: t, D and N all infinite leave no loss; make one finite")
    width = n_s if math.isinf(N) else N
    return int(width * (1 if math.isinf(D) or math.isinf(values["t"]) else D + 1) + n_s)


def _sp_theory(values: dict) -> dict:
    return {"S": values["S"], "r": values["r"], "eta": values["eta"]}


_RF = "scalingtheory.models.random_features"
_N = Resource("N", True, "width (number of random features)", inf="infinite width")
_P = Resource("P", True, "training samples", inf="online training (fresh data, population gradient flow)")
_T = Resource("t", False, "gradient-flow time", inf="end point of gradient flow (minimum-norm solution)")
_M = Setting("M", 2000, 1, 10**6, True, "number of feature modes (spectrum truncation)", closed=True)

#: the circle networks' shared resource t and settings (routes network and network3)
_CIRCLE = "scalingtheory.numerics.circle_network"
_NET_N = "a trained network has a finite width; use route mean_field for N = inf"
_NET_T = Resource("t", True, "online-SGD steps", no_inf="a network is trained for a finite number of steps")
_NET_SETTINGS = (
    Setting("gamma", 1e-3, 0, 1e3, False, f"richness (<= {LAZY_GAMMA:g}: compared with lazy training)"),
    Setting("eta", 0.5, 0, 10, False, "base learning rate eta_0 (parameters: eta_0 gamma^2 N)"),
    Setting("batch", 16, 1, 10**5, True, "fresh angles per step", closed=True),
    Setting("modes", 2047, 1, 2047, True, "Fourier modes of the target", closed=True))

ROUTES = {
    ("random_features", "exact"): Route(
        "random_features", "exact", (_N, _P, _T), (_M,), True,
        _rf_exact_evaluate, _rf_exact_check, _rf_theory, (_RF, "scalingtheory.numerics.rf_exact")),
    ("random_features", "dmft"): Route(
        "random_features", "dmft",
        (_N, _P, Resource("t", False, "gradient-flow time", no_inf="the DMFT loss is an inverse Laplace "
                          "transform at finite t; use route exact for t = inf")),
        (_M, Setting("nodes", 32, 3, 256, True, "inverse-Laplace contour nodes")), False,
        _rf_dmft_evaluate, _rf_dmft_check, _rf_theory, (_RF, "scalingtheory.numerics.dmft")),
    ("feature_learning", "mean_field"): Route(
        "feature_learning", "mean_field",
        (Resource("N", True, "hidden width", inf="mean-field limit (deterministic)"),
         Resource("t", False, "gradient-flow time", inf="projection floor L_floor(N) (lazy and rich alike)")),
        (_M, Setting("gamma", 1, 0, 1e6, False, "feature-learning strength (0: lazy)", closed=True),
         Setting("eta", 1, 0, 1e6, False, "learning rate (t counts steps)")), True,
        _fl_evaluate, _fl_check, _fl_theory, ("scalingtheory.numerics.feature_learning",)),
    ("feature_learning", "network"): Route(
        "feature_learning", "network",
        (Resource("N", True, "hidden width (even: paired neurons)", no_inf=_NET_N), _NET_T),
        _NET_SETTINGS, True, _fl_network_evaluate, _fl_network_check, _circle_theory, (_CIRCLE,),
        work=_steps_work(_fl_network_step)),
    ("feature_learning", "network3"): Route(
        "feature_learning", "network3", (Resource("N", True, "middle-layer width (trained, linear)", no_inf=_NET_N),
                                         _NET_T),
        _NET_SETTINGS + (Setting("features", 4096, 2, 10**6, True, "first-layer units M (frozen random steps)",
                                 closed=True),
                         Setting("centres", 0, 0, 10**6, True, "0: each unit at a random direction; C: the units "
                                 "on C equally spaced centres (the super-easy rows; C divides features)",
                                 closed=True)), True,
        _fl_network3_evaluate, _fl_network3_check, _circle_theory,
        (_CIRCLE, "scalingtheory.numerics.circle_three_layer"), work=_steps_work(_fl_network3_step)),
    ("sparse_parity", "exact"): Route(
        "sparse_parity", "exact",
        (Resource("t", False, "gradient-flow time T", inf="skills learned to the end (T -> oo)"),
         Resource("D", True, "training samples", inf="infinite data (d_k / D = P_s(k))"),
         Resource("N", True, "skills the model can hold (width)", inf="N = n_s (every skill)")),
        (Setting("n_s", 10**5, 1, 10**7, True, "number of skills", closed=True),
         Setting("S", 1, 0, 1e6, False, "target scale"), Setting("r", 0.01, 0, 1e6, False, "initial skill strength"),
         Setting("eta", 1, 0, 1e6, False, "learning rate")), False,
        _sp_evaluate, _sp_check, _sp_theory, ("scalingtheory.numerics.sparse_parity",), grid=("alpha",)),
}


def route(model: str, name: str) -> Route:
    """The route ``name`` of ``model``; ValueError listing the model's routes otherwise."""
    if (model, name) in ROUTES:
        return ROUTES[(model, name)]
    offered = sorted(r for m, r in ROUTES if m == model)
    if not offered:
        have = sorted({m for m, _ in ROUTES})
        raise ValueError(f"model {model!r} has no numeric route for sweeps; models with routes: {', '.join(have)}")
    raise ValueError(f"model {model!r} has no route {name!r}; its routes: {', '.join(offered)}")
