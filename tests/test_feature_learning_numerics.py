"""Numerics of the feature-learning model: mean-field solver, finite-width simulations, exponents.

Routes compared: ETD2RK mean-field solver vs SciPy Radau; the reduced finite-N flow vs the
network itself (discrete steps of w and B); gamma = 0 vs the random-feature model's exact solver
(issue 4); measured local slopes and bottleneck exponents vs the symbolic model.
"""

import numpy as np
import pytest

from scalingtheory.models.feature_learning import MODEL, crossover_exponent
from scalingtheory.numerics import rf_exact
from scalingtheory.numerics.feature_learning import (gradient_flow, local_slopes, project, simulate,
                                                     width_floor)
from scalingtheory.numerics.mean_field import (Problem, effective_time_loss, gradient_flow_loss,
                                               infinite_width_problem, reference_solution)
from scalingtheory.spectra import PowerLawSpectrum


@pytest.fixture(autouse=True)
def _one_blas_thread():
    from scalingtheory.numerics._shared import blas_threads

    with blas_threads(1):
        yield


def exponent(name, **kw):
    return MODEL.analyze(**kw).exponents[name].value


@pytest.mark.parametrize("gamma", [0.5, 3.0])
def test_etd_solver_matches_radau(gamma):
    pb = infinite_width_problem(2, 0.5, 60)
    ts = np.geomspace(0.5, 1e3, 7)
    ref = reference_solution(pb, gamma, ts)
    assert np.max(np.abs(gradient_flow_loss(pb, gamma, ts) / ref - 1)) < 2e-4
    assert np.max(np.abs(gradient_flow_loss(pb, gamma, ts, rel_step=0.005) / ref - 1)) < 2e-5


def test_problems_integrated_together_match_radau_each():
    """gradient_flow_losses: the seeds of a width in one NumPy step each, with their own steps and landings, and
    a problem with fewer modes (padded): every row is its problem's Radau reference, and its loss alone."""
    from scalingtheory.numerics.mean_field import gradient_flow_losses

    ts = np.geomspace(0.5, 1e3, 7)
    problems = [project(2, 0.5, 60, 12, s) for s in range(3)] + [infinite_width_problem(1.5, 0.7, 5)]
    rows = gradient_flow_losses(problems, 1.0, ts)
    refs = np.array([reference_solution(p, 1.0, ts) for p in problems])
    assert rows.shape == (4, 7) and np.max(np.abs(rows / refs - 1)) < 2e-4
    assert np.max(np.abs(rows[3] / gradient_flow_loss(problems[3], 1.0, ts) - 1)) < 1e-12


def test_lazy_mean_field_is_exact_exponential():
    pb = infinite_width_problem(1.5, 0.7, 300)
    ts = np.geomspace(0.1, 1e4, 11)
    exact = pb.floor + np.sum(pb.eigenvalues * pb.target**2 * np.exp(-2 * np.outer(ts, pb.eigenvalues)), axis=1)
    assert np.allclose(gradient_flow_loss(pb, 0.0, ts), exact, rtol=1e-9)


def test_lazy_finite_width_agrees_with_random_feature_solver():
    """gamma = 0 is the lazy random-feature model of issue 4 (same A0 draw for the same seed)."""
    spec = PowerLawSpectrum(2, 0.5)
    M, N = 600, 40
    lam, w = spec.eigenvalues(M), spec.target_weights(M)
    ts = np.geomspace(1, 1e5, 8)
    rf = rf_exact.draw(lam, w, N, None, rng=3).test_loss(ts)
    ours = gradient_flow(2, 0.5, M, N, 0.0, ts, seeds=(3,))[0] - float(spec.tail_sum(M))
    assert np.allclose(ours, rf, rtol=1e-8)


@pytest.mark.parametrize("gamma", [0.0, 1.0])
def test_network_steps_converge_to_reduced_flow(gamma):
    """Discrete GD of (w, B) -> the exact reduced ODE as eta -> 0 (error O(eta))."""
    devs = []
    for eta in (0.2, 0.05):
        steps = int(round(40 / eta))
        sim = simulate(2, 0.5, 400, 32, gamma, steps, eta=eta, seeds=(0,), n_records=6)
        flow = gradient_flow(2, 0.5, 400, 32, gamma, sim.times[1:] * eta, seeds=(0,), rel_step=0.005)[0]
        devs.append(np.max(np.abs(sim.losses[0, 1:] / flow - 1)))
    assert devs[1] < 0.02 and devs[1] < 0.4 * devs[0]


def test_finite_width_approaches_mean_field():
    ts = np.geomspace(1, 300, 6)
    M = 1500
    mf = gradient_flow_loss(infinite_width_problem(2, 0.5, M), 1.0, ts)
    dev = [np.max(np.abs(gradient_flow(2, 0.5, M, n, 1.0, ts, seeds=range(3)).mean(0) / mf - 1))
           for n in (75, 300)]
    assert dev[1] < 0.45 * dev[0]          # O(1/N): ideal ratio 1/4


@pytest.mark.parametrize("beta", [0.75, 1.5])
def test_time_exponent_rich_vs_lazy_local_slopes(beta):
    """chi(beta): local slope of the N = oo loss in a window before the truncation at M modes."""
    pb = infinite_width_problem(2, beta, 20000)
    pb = Problem(pb.eigenvalues, pb.target, 0.0)
    ts = np.geomspace(1e3, 1e5, 5)
    for training, gamma in (("lazy", 0.0), ("rich", 1.0)):
        _, slopes = local_slopes(ts, gradient_flow_loss(pb, gamma, ts))
        assert np.max(np.abs(slopes - exponent("t", alpha=2, beta=beta, training=training,
                                               optimizer="gf"))) < 0.02


def test_rich_hard_slope_half_and_effective_time_route():
    """beta = 1/2: local slope 0.65 at t ~ 10^3..10^4, rising slowly to 2/3 (lazy: 1/2 exactly).

    Measured with M = 10^5 (slow): 0.645 (t = 10^3), 0.653 (10^4), 0.660 (10^5), 0.667 (10^6); the
    scalar effective-time approximation gives the same slopes to 0.01.
    """
    pb = infinite_width_problem(2, 0.5, 20000)
    pb = Problem(pb.eigenvalues, pb.target, 0.0)
    ts = np.geomspace(1e3, 1e4, 3)
    s_mf = local_slopes(ts, gradient_flow_loss(pb, 1.0, ts))[1]
    s_eff = local_slopes(ts, effective_time_loss(pb, 1.0, ts))[1]
    s_lazy = local_slopes(ts, gradient_flow_loss(pb, 0.0, ts))[1]
    assert np.all(np.abs(s_mf - 2 / 3) < 0.03) and np.all(np.abs(s_eff - s_mf) < 0.015)
    assert np.all(np.abs(s_lazy - 0.5) < 0.005)


@pytest.mark.parametrize("beta", [0.5, 1.5])
def test_width_bottleneck_exponent(beta):
    """t -> oo loss (lazy = rich) ~ N^-(alpha min(beta, 1)): N^-1 at beta = 1/2, N^-2 (not N^-3) at 3/2."""
    Ns = np.array([16, 32, 64, 128])
    floors = [width_floor(2, beta, 2048, n, seeds=range(3)).mean() for n in Ns]
    slope = -np.polyfit(np.log(Ns), np.log(floors), 1)[0]
    assert abs(slope - exponent("N", alpha=2, beta=beta)) < 0.12


@pytest.mark.parametrize("beta", [0.5, 1.5])
def test_data_bottleneck_exponent(beta):
    """Lazy N = oo, t -> oo on P samples (min-norm interpolant) ~ P^-(alpha min(beta, 2))."""
    spec = PowerLawSpectrum(2, beta)
    lam, w = spec.eigenvalues(4096), spec.target_weights(4096)
    Ps = np.array([32, 64, 128, 256])
    loss = [np.mean([rf_exact.draw(lam, w, None, int(p), rng=s).test_loss([1e14])[0] for s in range(4)])
            for p in Ps]
    slope = -np.polyfit(np.log(Ps), np.log(loss), 1)[0]
    assert abs(slope - exponent("P", alpha=2, beta=beta)) < 0.25


def test_rich_and_lazy_reach_the_same_interpolant():
    """Finite P: the t -> oo network is the same for gamma = 0 and gamma > 0 (row-space argument)."""
    finals = [simulate(2, 0.5, 256, 24, g, 6000, eta=0.2, mode="data", samples=6, seeds=(0, 1, 2),
                       n_records=3).losses[:, -1] for g in (0.0, 1.0)]
    assert np.allclose(finals[0], finals[1], rtol=1e-6)


def test_simulation_confidence_interval_and_seeds():
    a = simulate(2, 0.5, 200, 16, 1.0, 50, mode="online", batch=4, seeds=(0, 1, 2), n_records=5)
    b = simulate(2, 0.5, 200, 16, 1.0, 50, mode="online", batch=4, seeds=(0, 1, 2), n_records=5)
    assert np.array_equal(a.losses, b.losses)
    lo, hi = a.ci
    assert np.all(lo <= a.mean) and np.all(a.mean <= hi) and np.all(hi[1:] > lo[1:])
    assert a.mean[-1] < a.mean[0]


@pytest.mark.parametrize("call, match", [
    (lambda: simulate(2, 0.5, 100, 8, -1.0, 10), "gamma must satisfy gamma >= 0"),
    (lambda: simulate(2, 0.5, 100, 0, 1.0, 10), "width must be an integer >= 1"),
    (lambda: simulate(2, 0.5, 100, 8, 1.0, 10, mode="online", batch=0), "batch must be an integer >= 1"),
    (lambda: simulate(2, 0.5, 100, 8, 1.0, 10, mode="data"), "samples"),
    (lambda: simulate(2, 0.5, 100, 8, 1.0, 10, mode="adam"), "mode must be one of"),
    (lambda: simulate(2, 0.5, 100, 8, 1.0, 10, eta=0), "eta must satisfy eta > 0"),
    (lambda: project(1, 0.5, 100, 8), "alpha must satisfy alpha > 1"),
    (lambda: project(2, 0, 100, 8), "beta must satisfy beta > 0"),
    (lambda: project(2, 0.5, 10, 20), "width must satisfy width <= modes"),
    (lambda: gradient_flow_loss(infinite_width_problem(2, 0.5, 10), 1.0, [0.0, 1.0]), "times"),
    (lambda: gradient_flow_loss(infinite_width_problem(2, 0.5, 10), 1.0, [1.0], rel_step=1), "rel_step"),
])
def test_numerics_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_divergence_is_reported():
    with pytest.raises(FloatingPointError, match="lower eta"):
        simulate(2, 0.5, 100, 8, 1.0, 200, eta=5.0, seeds=(0,))


def test_lazy_to_rich_crossover_time():
    """The gain reaches 2 at t_x ~ gamma^-(1/(1-beta)) (measured -1.94 at beta = 1/2, -1.32 at 1/4)."""
    pb = infinite_width_problem(2, 0.5, 5000)
    ts = np.geomspace(1, 1e5, 300)
    gammas = np.array([0.2, 0.1, 0.05])
    tx = []
    for g in gammas:
        _, tau = gradient_flow_loss(pb, g, ts, return_tau=True)
        tx.append(ts[np.argmax(np.gradient(tau, ts) >= 2)])
    slope = np.polyfit(np.log(gammas), np.log(tx), 1)[0]
    assert abs(slope + float(crossover_exponent(0.5))) < 0.1


def test_lazy_sgd_recursion_matches_network_simulation():
    """Exact second-moment recursion (Isserlis) = seed average of the online-SGD network (same A0 draws)."""
    from scalingtheory.numerics.feature_learning import lazy_sgd_loss

    seeds = range(60)
    sim = simulate(2, 3.0, 300, 24, 0.0, 200, eta=0.5, mode="online", batch=2, seeds=seeds, n_records=6)
    exact = np.mean([lazy_sgd_loss(project(2, 3.0, 300, 24, s), 0.5, 2, 200, sim.times)[1] for s in seeds], axis=0)
    lo, hi = sim.ci
    half = (hi - lo)[1:] / 2
    assert np.all(np.abs(sim.mean[1:] - exact[1:]) < 2 * half + 1e-12)
    gd = simulate(2, 3.0, 300, 24, 0.0, 200, eta=0.5, seeds=seeds, n_records=6).mean
    assert abs(gd[-1] - exact[-1]) > 2 * half[-1]          # the noise term is resolved


def test_sgd_noise_exponent_is_two_minus_one_over_alpha():
    """N = oo, beta = 3 (super-easy): SGD loss minus GD loss ~ t^-(2 - 1/alpha) = t^-3/2."""
    from scalingtheory.numerics.feature_learning import lazy_sgd_loss

    pb = infinite_width_problem(2, 3.0, 5000)
    pb = Problem(pb.eigenvalues, pb.target, 0.0)
    rec = np.array([2000, 6000, 20000])
    _, sgd = lazy_sgd_loss(pb, 0.5, 1, int(rec[-1]), rec)
    gd = np.array([np.sum(pb.eigenvalues * pb.target**2 * (1 - 0.5 * pb.eigenvalues) ** (2 * n)) for n in rec])
    _, slopes = local_slopes(rec, sgd - gd)
    assert np.all(np.abs(slopes - (2 - 1 / 2)) < 0.02)


def test_frontier_online_sgd_path_and_errors():
    from scalingtheory.numerics.feature_learning import compute_optimal_frontier

    widths, computes = [4, 8, 16, 32], np.geomspace(2e2, 2e3, 3)
    fr = compute_optimal_frontier(2, 3.0, 0.0, 256, widths, computes, seeds=(0,), eta=0.25, batch=2)
    assert np.all(np.diff(fr.loss) < 0) and np.all((fr.width >= 4) & (fr.width <= 32))
    with pytest.raises(ValueError, match="gamma = 0 only"):
        compute_optimal_frontier(2, 3.0, 1.0, 256, widths, computes, batch=2)
    with pytest.raises(FloatingPointError, match="lower eta"):
        compute_optimal_frontier(2, 3.0, 0.0, 256, widths, computes, seeds=(0,), eta=3.0, batch=1)


def test_sgd_flow_loss_noise_free_part_matches_dmft_two_point_formula():
    """batch=None: the mode-quadrature equivalent equals the random-feature DMFT loss with 10^5 exact modes."""
    from scalingtheory.numerics.dmft import DMFT
    from scalingtheory.numerics.feature_learning import sgd_flow_loss
    from scalingtheory.spectra import PowerLawSpectrum

    spec, M = PowerLawSpectrum(2, 3.0), 100_000
    steps, eta = np.array([10.0, 1e3, 1e5]), 0.5
    dmft = DMFT(spec.eigenvalues(M), spec.target_weights(M), N=256).test_loss(eta * steps)
    ours = sgd_flow_loss(2, 3.0, 256, eta, None, steps)
    assert np.all(np.abs(ours / dmft - 1) < 3e-3)       # residual: modes beyond 10^5 missing in DMFT


def test_sgd_flow_loss_matches_exact_recursion_seed_average():
    """The deterministic equivalent vs the exact recursion averaged over 64 draws of A0 (N = 32, eta -> 0).

    The SGD/GD ratio is compared per seed (it hardly fluctuates; the loss itself does by 35% per
    seed because beta = 3 puts the target on the top modes); the GD part within 3 standard errors.
    """
    from scalingtheory.numerics.feature_learning import lazy_sgd_loss, sgd_flow_loss

    steps, eta, seeds = np.array([3000, 30000]), 0.03, range(64)
    sgd, gd = [], []
    for s in seeds:
        pb = project(2, 3.0, 2048, 32, s)
        sgd.append(lazy_sgd_loss(pb, eta, 1, int(steps[-1]), steps)[1])
        gd.append(pb.floor + np.array([np.sum(pb.eigenvalues * pb.target**2 * (1 - eta * pb.eigenvalues) ** (2 * n))
                                       for n in steps]))
    sgd, gd = np.array(sgd), np.array(gd)
    de_sgd, de_gd = sgd_flow_loss(2, 3.0, 32, eta, 1, steps), sgd_flow_loss(2, 3.0, 32, eta, None, steps)
    excess = (sgd / gd).mean(axis=0) - 1                  # about 0.025: the SGD noise renormalisation
    assert np.all(np.abs((de_sgd / de_gd - 1) / excess - 1) < 0.03)
    se = gd.std(axis=0, ddof=1) / np.sqrt(len(seeds))
    assert np.all(np.abs(de_gd - gd.mean(axis=0)) < 3 * se)
    with pytest.raises(ValueError, match="eta tr"):
        sgd_flow_loss(2, 3.0, 32, 2.0, 1, steps)


def test_super_easy_compute_optimal_rule_from_deterministic_equivalent():
    """alpha = 2, beta = 3, lazy online SGD (B = 1): slopes of L*(C), N*(C) over C = 1e9..1e12.

    Measured: r_C = 0.7503 (model 3/4), a_N = 0.4989 (model 1/2); N* = 4.6e4..1.4e6. Without the noise
    (gradient flow) the same loss gives the easy balance r_C = 0.859, a_N = 0.715 (model 6/7, 5/7).
    """
    from scalingtheory.numerics.feature_learning import sgd_frontier_theory

    widths = np.geomspace(1e3, 1e7, 33)
    for batch, optimizer, computes in ((1, "sgd", np.geomspace(1e9, 1e12, 7)), (None, "gf", np.geomspace(1e6, 1e9, 7))):
        co = MODEL.analyze(alpha=2, beta=3, training="lazy", optimizer=optimizer).compute_optimal
        fr = sgd_frontier_theory(2, 3.0, widths, computes, eta=0.25, batch=batch)
        assert abs(fr.loss_exponent - co.loss.value) < 0.006, (optimizer, fr.loss_exponent)
        assert abs(fr.width_exponent - co.allocation["N"].value) < 0.01, (optimizer, fr.width_exponent)
        assert np.all((fr.width > widths[1]) & (fr.width < widths[-2]))


def test_seeded_network_rich_beats_lazy_on_hard_target_not_on_easy():
    """Issue 23 item 6: the projected two-layer network trained by online SGD (fresh batches, 2 seeds of A0):
    on the hard target (beta = 1/2) rich training (gamma = 1/2) decays faster than lazy, on the easy one
    (beta = 5/4) it does not. Measured slopes on t in [30, 1e3]: hard lazy 0.481, rich 0.569; easy lazy 1.074,
    rich 1.029 (closed forms 1/2, 2/3; 5/4 both: finite N = 256 and t keep them below)."""
    from scalingtheory.numerics.feature_learning import simulate

    slopes = {}
    for beta in (0.5, 1.25):
        for gamma in (0.0, 0.5):
            s = simulate(2, beta, 1024, 256, gamma, 1000, eta=0.1, mode="online", batch=64, seeds=(0, 1),
                         n_records=10)
            sel = s.times >= 30
            slopes[beta, gamma] = -np.polyfit(np.log(s.times[sel]), np.log(s.mean[sel]), 1)[0]
    assert slopes[0.5, 0.5] > slopes[0.5, 0.0] + 0.05
    assert slopes[1.25, 0.5] < slopes[1.25, 0.0] + 0.02
