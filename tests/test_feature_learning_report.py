"""Figures and agreement rows of the feature-learning model (quick versions)."""

import numpy as np
import pytest
import sympy as sp

from scalingtheory.models.feature_learning import MODEL
from scalingtheory.numerics.feature_learning import compute_optimal_frontier
from scalingtheory.plots.phase import regime_values
from scalingtheory.symbols import alpha, beta


def test_phase_grid_uses_symbolic_exponents_per_regime():
    alphas, betas = np.array([2.0, 4.0]), np.array([0.5, 1.2, 2.0, 1.7])
    A, Bt = np.meshgrid(alphas, betas)
    rich = regime_values(MODEL, alpha, beta, A, Bt, training="rich")
    lazy = regime_values(MODEL, alpha, beta, A, Bt, training="lazy")
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            for grid, tr in ((rich, "rich"), (lazy, "lazy")):
                exact = MODEL.analyze(alpha=a, beta=b, training=tr).compute_optimal.loss.value
                assert grid[i, j] == pytest.approx(exact, rel=1e-12)
    assert rich[0, 0] > lazy[0, 0] and np.allclose(rich[1:], lazy[1:])


def test_figures_quick(tmp_path):
    from scalingtheory.plots import write_figures

    paths = write_figures(MODEL, tmp_path, quick=True)
    assert len(paths) == 9 and all(p.exists() and p.stat().st_size > 10_000 for p in paths)


@pytest.mark.slow
def test_agreement_full_within_tolerances():
    rows = MODEL.agreement(quick=False)
    for r in rows:
        if r.route == "network":     # trained ReLU networks: a miss states its measured cause (derivation Sec. 10)
            assert r.passed or r.caveat, r
            continue
        assert r.passed or (r.caveat and r.rel_dev < 0.15), r
    passed = {r.quantity for r in rows if r.passed}
    assert {"compute-optimal r_C lazy, alpha=2, beta=1/2", "compute-optimal r_C rich, alpha=2, beta=1/2",
            "network chi lazy, hard, alpha=2, beta=1/2", "three-layer network chi lazy, hard, alpha=2, beta=1/2",
            "three-layer network chi rich, hard, alpha=2, beta=1/2", "three-layer network chi lazy, super-easy, "
            "alpha=2, beta=3", "three-layer network chi rich, super-easy, alpha=2, beta=3"} <= passed


@pytest.mark.slow
@pytest.mark.parametrize("beta, training, gamma", [(0.5, "lazy", 0.0), (0.5, "rich", 1.0), (1.25, "lazy", 0.0)])
def test_compute_optimal_numeric_three_decades(beta, training, gamma):
    """min over N of the exactly solved loss at fixed C = N t, C over 3 decades, vs closed forms.

    Measured (alpha = 2, M = 4096, 3 seeds): hard lazy r_C 0.299 (1/3), a_N 0.332 (1/3); hard rich
    r_C 0.375 (2/5), a_N 0.378 (2/5); easy beta = 5/4 lazy r_C 0.739 (5/7), a_N 0.450 (3/7).
    """
    computes = np.geomspace(1e3, 1e6, 10) if beta < 1 else np.geomspace(1e2, 1e5, 10)
    widths = np.unique(np.geomspace(4, 1024, 17).round().astype(int))
    fr = compute_optimal_frontier(2, beta, gamma, 8192, widths, computes, seeds=(0, 1, 2))
    co = MODEL.analyze(alpha=2, beta=sp.nsimplify(beta), training=training, optimizer="gf").compute_optimal
    assert abs(fr.loss_exponent - co.loss.value) < 0.045
    assert abs(fr.width_exponent - co.allocation["N"].value) < 0.05
