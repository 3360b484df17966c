"""The fast routes give the numbers of the slow ones they replace (issue 16).

Each test compares a vectorised / cached / closed-form route with the reference route it
replaced (SymPy per point, the uncached derivation, the ODE solve, the previous solver)
at a stated tolerance. Timings are not tested here: they live in benchmarks/bench_speed.py.
"""

from __future__ import annotations

import mpmath
import pytest

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
