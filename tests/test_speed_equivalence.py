"""The fast routes give the numbers of the slow ones they replace (issue 16).

Each test compares a vectorised / cached / closed-form route with the reference route it
replaced (SymPy per point, the uncached derivation, the ODE solve, the previous solver)
at a stated tolerance. Timings are not tested here: they live in benchmarks/bench_speed.py.
"""

from __future__ import annotations

import json

import mpmath
import numpy as np
import pytest

from scalingtheory.models import base
from scalingtheory.models.sparse_parity import MODEL as SPARSE_PARITY

#: emergence_table (NumPy closed form) against the SymPy per-skill values (issue 16, item 4)
TABLE_RTOL = 1e-12


def _rel(fast: float, reference: mpmath.mpf) -> float:
    return float(abs(mpmath.mpf(fast) / reference - 1))


@pytest.mark.parametrize("params", [dict(alpha="0.6", S=5), dict(alpha="3/2", r="1/10", eta=2, epsilon_v="1/5")])
def test_emergence_table_equals_symbolic_per_skill_values(params):
    n_s = 300
    table = SPARSE_PARITY.emergence_table(n_s, **params)
    assert len(table) == n_s and table[-1]["margin"] is None and table["margin"].size == n_s - 1
    q = {"skills": n_s, **params}
    for j in (1, 2, 7, 150, 299, 300):
        row = table[j - 1]
        assert row["k"] == j
        assert _rel(row["tau_e"], SPARSE_PARITY.emergence_time(j, **q).evalf(30)) < TABLE_RTOL
        assert _rel(row["tau_s"], SPARSE_PARITY.saturation_time(j, **q).evalf(30)) < TABLE_RTOL
        if j < n_s:
            assert _rel(row["margin"], SPARSE_PARITY.stage_like(j, **q).evalf(30)) < TABLE_RTOL


def test_emergence_table_of_a_million_skills():
    """n_s = 10^6 (the issue's size): the largest times match the Hurwitz-zeta normalisation of SymPy."""
    table = SPARSE_PARITY.emergence_table(10**6, alpha="0.6")
    for j in (1, 3, 999_999, 10**6):
        reference = SPARSE_PARITY.emergence_time(j, skills=10**6, alpha="0.6").evalf(30)
        assert _rel(table[j - 1]["tau_e"], reference) < TABLE_RTOL
    assert table[-1]["margin"] is None and SPARSE_PARITY.emergence_table(3, alpha="0.6").to_json()[-1]["margin"] is None


def test_emergence_table_refuses_symbolic_parameters_and_low_thresholds():
    from scalingtheory.models.sparse_parity import S

    with pytest.raises(ValueError, match="numeric"):
        SPARSE_PARITY.emergence_table(5, alpha="0.6", S=S)
    with pytest.raises(ValueError, match="epsilon must exceed"):
        SPARSE_PARITY.emergence_table(5, alpha="0.6", r="1/2")


def _answers() -> str:
    """JSON of symbolic queries (every model taking alpha, beta; every regime) and numeric ones."""
    from scalingtheory import cache
    from scalingtheory.api import optimal
    from scalingtheory.symbols import alpha, beta

    cache.clear()      # derived here, not answered by the session cache (the disk is off: the test sets it)
    out = optimal(alpha=alpha, beta=beta).to_json() + optimal(alpha=2, beta="1/2").to_json()
    out += optimal(alpha=3, beta="5/2").to_json()
    return json.dumps(out, sort_keys=True)


def test_cached_derivations_give_the_uncached_json(monkeypatch):
    """The compute-optimal cache (models/base.py) and the skipped prefactors of models whose term
    constants are unknown (feature_learning) change no byte of the results (issue 16, item 2)."""
    monkeypatch.setenv("SCALINGTHEORY_CACHE_DIR", "off")
    with monkeypatch.context() as m:  # the previous route: no cache, prefactors always derived
        m.setattr(base, "_optimum", lambda law, cost, prefactors: law.law.compute_optimal(cost))
        uncached = _answers()
    base._optimum.cache_clear()
    cold = _answers()
    hits = base._optimum.cache_info().hits
    warm = _answers()
    assert base._optimum.cache_info().hits > hits
    assert cold == uncached and warm == uncached


#: DMFT outputs after the speed-up (blocked Newton with per-node exit) against the previous solver
DMFT_RTOL = 1e-10
#: Values printed by the previous solver (scalingtheory/numerics/dmft.py as of commit c2fc2d0, on main
#: until issue 16): ``DMFT(*_task(M, a, b), N=N, P=P).<method>(xs)`` for each row, run once and pasted
#: here (repr of the floats). The new solver reproduces them to <= 2e-13 relative.
DMFT_REFERENCE = {
    # name: (M, a, b, method, N, P, xs, values)
    "test N=P=1000": (4000, 2.0, 1.5, "test_loss", 1000, 1000, [0.1, 3.0, 100.0, 1e4, 1e5],
                      [1.4388824114173442, 0.27606090560706115, 0.031040003600520324, 0.00729384450147553,
                       0.010329526475047524]),
    "test N<P": (600, 2.0, 1.5, "test_loss", 150, 250, [1.0, 50.0, 1e4],
                 [0.5991232486648618, 0.06692883450846418, 0.049213958040590054]),
    "test N=oo": (600, 2.0, 1.5, "test_loss", None, 200, [2.0, 1e3], [0.36265428190747345, 0.012555687939690061]),
    "test P=oo": (2000, 3.0, 2.0, "test_loss", 300, None, [5.0, 1e3], [0.05218733227854412, 0.0006144779919454655]),
    "train": (600, 2.0, 1.5, "train_loss", 150, 250, [1.0, 1e3], [0.5873442760313856, 0.01431616786733747]),
    "bias": (600, 2.0, 1.5, "bias", 150, 250, [1.0, 1e3], [0.5916669146795321, 0.012240042483446269]),
    "ridge": (600, 2.0, 1.5, "ridge_loss", 150, 250, [1e-3, 1e-1], [0.03783843459494546, 0.19468764472599628]),
}
DMFT_KAPPA_REFERENCE = ([1e-2, 1e-3 + 2e-3j, -5e-4 + 1e-4j, 3.0 - 1.0j],
                        [0.014947058708385393 + 0j, 0.0037772138950552293 + 0.0030289083146250893j,
                         0.0005136798696127119 + 0.001226136409427875j, 3.023858268977256 - 1.0008138810908584j])


def _task(M, a, b):
    k = np.arange(1, M + 1, dtype=float)
    return k ** -b, np.sqrt(k ** -a / k ** -b)


@pytest.mark.parametrize("name", sorted(DMFT_REFERENCE))
def test_dmft_reproduces_the_previous_solver(name):
    from scalingtheory.numerics.dmft import DMFT

    M, a, b, method, N, P, xs, values = DMFT_REFERENCE[name]
    got = getattr(DMFT(*_task(M, a, b), N=N, P=P), method)(np.array(xs))
    np.testing.assert_allclose(got, values, rtol=DMFT_RTOL, atol=0)


def test_dmft_kappa_reproduces_the_previous_solver():
    from scalingtheory.numerics.dmft import DMFT

    z, values = DMFT_KAPPA_REFERENCE
    np.testing.assert_allclose(DMFT(*_task(600, 2.0, 1.5), N=150, P=250).kappa(np.array(z)), values,
                               rtol=DMFT_RTOL, atol=0)


def test_dmft_work_array_reuse_changes_no_bit():
    """One solver reuses its work arrays across calls of every size and dtype (real rho of the
    self-consistency at t -> oo, complex contour nodes, block sizes from 1 node to a full block):
    each answer equals a fresh solver's exactly."""
    from scalingtheory.numerics.dmft import DMFT

    task, times, z = _task(600, 2.0, 1.5), np.array([0.5, 40.0, 3e3]), np.array([1e-2, 1e-3 + 2e-3j])
    shared = DMFT(*task, N=150, P=250)
    first = [shared.kappa(z), shared.test_loss(times), shared.ridge_loss([1e-3]), shared.bias(times[:1])]
    again = [shared.kappa(z), shared.test_loss(times), shared.ridge_loss([1e-3]), shared.bias(times[:1])]
    fresh = [DMFT(*task, N=150, P=250).kappa(z), DMFT(*task, N=150, P=250).test_loss(times),
             DMFT(*task, N=150, P=250).ridge_loss([1e-3]), DMFT(*task, N=150, P=250).bias(times[:1])]
    for a, b, c in zip(first, again, fresh):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, c)


#: closed form of the lazy mean-field loss against the ODE solves it replaces
LAZY_RTOL_RADAU, LAZY_RTOL_ETD = 1e-7, 1e-9


def test_mean_field_closed_form_at_gamma_zero_equals_the_ode_solves():
    """gamma = 0: lazy_loss (what gradient_flow_loss now returns) against SciPy's Radau solve of (MF)
    and against the ETD2RK scheme it short-cuts (run at gamma = 1e-15, numerically zero)."""
    from scalingtheory.numerics.mean_field import (gradient_flow_loss, infinite_width_problem, lazy_loss,
                                                   reference_solution)

    ts = np.geomspace(0.3, 3e3, 7)
    for alpha_v, beta_v, eta in ((2.0, 0.5, 1.0), (1.5, 1.2, 0.3)):
        pb = infinite_width_problem(alpha_v, beta_v, 300)
        closed = lazy_loss(pb, ts, eta)
        np.testing.assert_allclose(gradient_flow_loss(pb, 0.0, ts, eta), closed, rtol=0, atol=0)
        np.testing.assert_allclose(closed, reference_solution(pb, 0.0, ts, eta, rtol=1e-11), rtol=LAZY_RTOL_RADAU)
        np.testing.assert_allclose(closed, gradient_flow_loss(pb, 1e-15, ts, eta), rtol=LAZY_RTOL_ETD)
    _, tau = gradient_flow_loss(pb, 0.0, ts, 0.3, return_tau=True)
    np.testing.assert_allclose(tau, 0.3 * ts)


def test_projection_draws_are_cached_read_only_and_unchanged():
    """feature_learning.project is cached (lazy and rich runs share a draw): a repeated call returns
    the same Problem, equal to a fresh computation, and its arrays cannot be modified in place."""
    from scalingtheory.numerics.feature_learning import project

    first = project(2, 0.5, 600, 40, 3)
    assert project(2, 0.5, 600, 40, 3) is first
    fresh = project.__wrapped__(2, 0.5, 600, 40, 3)
    np.testing.assert_array_equal(first.eigenvalues, fresh.eigenvalues)
    np.testing.assert_array_equal(first.target, fresh.target)
    assert first.floor == fresh.floor
    with pytest.raises(ValueError):
        first.target[0] = 0.0
