"""Simulations of multitask sparse parity: data, multilinear GD vs Eq. (11), the ReLU network."""

import math

import numpy as np
import pytest

from scalingtheory.numerics import parity_network as pn
from scalingtheory.numerics.sparse_parity import skill_frequencies, skill_strength


def test_data_generator_frequencies_parities_and_disjoint_bits():
    task = pn.MultitaskSparseParity(n_s=4, n_b=16, m=3, alpha=0.6, S=2.0, seed=5)
    assert len(set(task.positions.ravel().tolist())) == 12  # disjoint relevant bits
    x, skills, g = task.sample(40_000, np.random.default_rng(1))
    counts = np.bincount(skills, minlength=4)
    P = skill_frequencies(0.6, 4)
    assert np.all(np.abs(counts - 40_000 * P) < 5 * np.sqrt(40_000 * P))
    np.testing.assert_array_equal(x[:, :4].argmax(axis=1), skills)
    assert np.all(x[:, :4].sum(axis=1) == 1)
    for j in range(50):  # parity recomputed bit by bit
        bits = x[j, 4:].astype(int)
        assert g[j] == (-1) ** sum(bits[pos] for pos in task.positions[skills[j]])
    # skill bits are uniform and independent of the skill
    assert abs(x[:, 4:].mean() - 0.5) < 0.01


def test_data_generator_rejects_bad_sizes():
    with pytest.raises(ValueError, match="n_b must be >= m \\* n_s"):
        pn.MultitaskSparseParity(n_s=5, n_b=10, m=3, alpha=0.6)
    with pytest.raises(ValueError, match="m must be a positive integer"):
        pn.MultitaskSparseParity(n_s=2, n_b=10, m=0, alpha=0.6)
    with pytest.raises(ValueError, match="alpha must satisfy alpha > 0"):
        pn.MultitaskSparseParity(n_s=2, n_b=10, m=2, alpha=-0.6)
    task = pn.MultitaskSparseParity(n_s=2, n_b=10, m=2, alpha=0.6)
    with pytest.raises(ValueError, match="skill must satisfy"):
        task.sample(3, np.random.default_rng(0), skill=3)


def _gd_error(task, eta, horizon=40.0):
    steps = int(round(horizon / eta))
    out = pn.multilinear_gd(task, D=3000, N=4, steps=steps, eta=eta, r=0.01, record_every=max(1, steps // 100),
                            seed=1)
    d = out["counts"]
    predicted = skill_strength(out["t"][:, None], eta * d[None, :4] / d.sum(), task.S, 0.01)
    return out, predicted


def test_multilinear_gd_matches_eq11_with_sample_fractions():
    """GD on sampled data follows Eq. (11) with d_k/D of the sample; the gap is the O(eta) Euler error."""
    task = pn.MultitaskSparseParity(n_s=5, n_b=20, m=3, alpha=0.6, S=2.0, seed=3)
    errors = []
    for eta in (0.02, 0.01):
        out, predicted = _gd_error(task, eta)
        errors.append(np.abs(out["R"] - predicted).max())
    assert errors[1] < 0.006 * task.S
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.05)  # first order in eta
    # Richardson extrapolation in eta removes the O(eta) term: agreement to ~1e-4 S
    coarse, pred = _gd_error(task, 0.02)
    fine, _ = _gd_error(task, 0.01)
    extrapolated = 2 * fine["R"] - coarse["R"]
    assert np.abs(extrapolated - pred).max() < 2e-4 * task.S
    # skills k > N are not in the model; the sample contained all five
    assert coarse["R"].shape[1] == 4 and coarse["counts"].sum() == 3000
    # test loss of the trained model (Eq. 6 with Eq. 10) vs the closed-form sum of Eq. (12) for this sample
    from scalingtheory.numerics.sparse_parity import sample_loss

    P = skill_frequencies(0.6, 5)
    extrapolated_loss = (P[:4] * 0.5 * (task.S - extrapolated) ** 2).sum(axis=1) + 0.5 * task.S**2 * P[4]
    closed = sample_loss(coarse["t"] * 0.02, coarse["counts"], 0.6, N=4, S=task.S, r=0.01, eta=1.0)
    np.testing.assert_allclose(extrapolated_loss, closed, atol=2e-4 * task.S**2)


def test_two_layer_relu_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    net = pn.TwoLayerReLU(6, 5, 0.5, rng, dtype=np.float64)
    x, y = rng.standard_normal((7, 6)), rng.standard_normal(7)

    def loss(n):
        return 0.5 * np.mean((n(x) - y) ** 2)

    before = {k: getattr(net, k).copy() for k in ("W1", "b1", "w2")} | {"b2": float(net.b2)}
    h = 1e-6
    numeric = {}
    for name in ("W1", "b1", "w2"):
        arr = getattr(net, name)
        grad = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + h
            up = loss(net)
            arr[idx] = old - h
            grad[idx] = (up - loss(net)) / (2 * h)
            arr[idx] = old
        numeric[name] = grad
    net.b2 = before["b2"] + h
    up = loss(net)
    net.b2 = before["b2"] - h
    numeric["b2"] = (up - loss(net)) / (2 * h)
    net.b2 = before["b2"]
    lr = 1e-3
    net.sgd_step(x, y, lr)
    for name in ("W1", "b1", "w2"):
        np.testing.assert_allclose((before[name] - getattr(net, name)) / lr, numeric[name], atol=1e-7)
    assert (before["b2"] - net.b2) / lr == pytest.approx(numeric["b2"], abs=1e-7)


def test_two_layer_relu_steps_with_reused_work_arrays_follow_the_gradient():
    """sgd_step and the forward pass reuse work arrays per shape: successive steps with batch sizes
    7, 3, 7 each move the weights by -lr times the central-difference gradient of the halved MSE."""
    rng = np.random.default_rng(1)
    net = pn.TwoLayerReLU(4, 3, 0.5, rng, dtype=np.float64)
    h, lr = 1e-6, 1e-3
    for batch in (7, 3, 7):
        x, y = rng.standard_normal((batch, 4)), rng.standard_normal(batch)
        grad = np.zeros_like(net.W1)
        for idx in np.ndindex(net.W1.shape):
            old = net.W1[idx]
            net.W1[idx] = old + h
            up = 0.5 * np.mean((net(x) - y) ** 2)
            net.W1[idx] = old - h
            grad[idx] = (up - 0.5 * np.mean((net(x) - y) ** 2)) / (2 * h)
            net.W1[idx] = old
        before = net.W1.copy()
        net.sgd_step(x, y, lr)
        np.testing.assert_allclose((before - net.W1) / lr, grad, atol=1e-7)


def test_fit_logistic_and_emergence_steps_recover_known_curve():
    T = np.linspace(0, 2000, 201)
    R = np.asarray(skill_strength(T, 0.004, 5.0, 0.02))  # rate Gamma = 2 * 0.004 * 5 = 0.04
    rate, r0 = pn.fit_logistic(T, R, 5.0)
    assert rate == pytest.approx(0.04, rel=1e-6) and r0 == pytest.approx(0.02, rel=1e-5)
    tau = pn.emergence_steps(T, R[:, None], 5.0, 0.05)[0]
    exact = math.log((5 / 0.02 - 1) / (1 / 0.05 - 1)) / 0.04
    assert tau == pytest.approx(exact, abs=0.5)  # linear interpolation on a 10-step grid
    assert np.isnan(pn.emergence_steps(T, 0 * R[:, None], 5.0)[0])


def test_network_smoke_learns_first_skill_with_sigmoidal_onset():
    """Tiny version of the time-emergence run: one skill, 32 hidden units, 1200 SGD steps."""
    task = pn.MultitaskSparseParity(n_s=1, n_b=12, m=3, alpha=0.6, S=5.0, seed=0)
    out = pn.train_time_emergence(task, width=32, batch=128, lr=0.04, steps=1200, sigma=0.01, eval_every=100,
                                  n_eval=500, seed=0, progress=False)
    R = out["R"][:, 0] / 5.0
    assert abs(R[0]) < 0.01  # small initialisation: no skill
    assert R[-1] > 0.9  # learned
    tau = pn.emergence_steps(out["t"], out["R"], 5.0)[0]
    assert 100 < tau < 1100
    assert out["loss"][-50:].mean() < 0.1 * out["loss"][:50].mean()


def test_relu_ensemble_gradients_match_finite_differences_and_stay_independent():
    """The ensemble's gradient of sum_m 1/2 sum_j w_jm (f_m - y_j)^2 is the central difference of that loss; a
    network's gradient does not depend on the others' (zero weight on one network leaves its parameters' gradient 0)."""
    rng = np.random.default_rng(2)
    net = pn.ReLUEnsemble(5, [2, 3], 0.7, rng, dtype=np.float64)
    x, y = rng.standard_normal((6, 5)), rng.standard_normal(6)
    weight = np.column_stack([np.full(6, 1 / 6), np.zeros(6)])  # the second network is not trained

    def loss():
        return float(0.5 * np.sum(weight * (net(x) - y[:, None]) ** 2))

    grads, losses = net.gradients(x, y, weight)
    assert losses.sum() == pytest.approx(loss(), rel=1e-12) and losses[1] == 0
    h = 1e-6
    for name, arr in net.params.items():
        numeric = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + h
            up = loss()
            arr[idx] = old - h
            numeric[idx] = (up - loss()) / (2 * h)
            arr[idx] = old
        np.testing.assert_allclose(grads[name], numeric, atol=1e-8)
    assert np.all(grads["W1"][:, 2:] == 0) and np.all(grads["w2"][2:] == 0) and grads["b2"][1] == 0


def test_adam_matches_the_published_update():
    """Two steps of Adam on one parameter against the update written out by hand (Kingma & Ba, Alg. 1, with
    L2 decay added to the gradient as torch.optim.Adam does)."""
    theta = {"w": np.array([1.0, -2.0])}
    opt = pn.Adam(theta, lr=0.1, weight_decay=0.01)
    m = v = np.zeros(2)
    ref = np.array([1.0, -2.0])
    for t, g in enumerate((np.array([0.5, 1.0]), np.array([-0.2, 3.0])), 1):
        opt.step(theta, {"w": g})
        gd = g + 0.01 * ref
        m, v = 0.9 * m + 0.1 * gd, 0.999 * v + 0.001 * gd**2
        ref = ref - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(theta["w"], ref, rtol=1e-12)


def test_one_constant_fits_recover_known_constants():
    """fit_rate (r held), fit_d_c and fit_n_c return the constant that generated a curve; fit_rate refuses a
    curve that never rises to S/2."""
    from scalingtheory.numerics.sparse_parity import d_shot_strength, width_strength

    T = np.linspace(0, 3000, 301)
    R = skill_strength(T, 0.0023, 5.0, 1e-4)
    assert pn.fit_rate(T, R, 5.0, 1e-4) == pytest.approx(2 * 0.0023 * 5.0, rel=1e-6)
    with pytest.raises(ValueError, match="S/2"):
        pn.fit_rate(T, 0.1 * R, 5.0, 1e-4)
    D = np.array([50, 100, 150, 200, 300, 400, 600])
    assert pn.fit_d_c(D, d_shot_strength(D, 333.0, 5.0), 5.0) == pytest.approx(333.0, rel=1e-5)
    N = np.arange(1, 11)
    for n_c in (2, 3, 5):
        assert pn.fit_n_c(N, width_strength(N, 1, n_c, 5.0) + 0.02, 5.0) == n_c


def test_crossings_and_log_slope():
    grid = np.array([100.0, 200.0, 400.0, 800.0])
    R = np.array([[0.0, 0.0], [1.0, 0.0], [4.0, 1.0], [5.0, 2.0]])
    out = pn.crossings(grid, R, 5.0, 0.5, log=True)
    assert out[0] == pytest.approx(200 * 2 ** (1.5 / 3)) and np.isnan(out[1])
    assert pn.log_slope([3.0, 3.0 * 2**1.6, np.nan, 3.0 * 4**1.6]) == pytest.approx(1.6)
    assert np.isnan(pn.log_slope([1.0, 2.0, np.nan]))  # two points always lie on a line


def test_emergence_points_count_unreached_seeds_at_the_end_of_the_grid():
    """A seed that never saw a skill emerge counts at the grid's end (the mean is a lower bound); a point the model
    itself puts beyond the grid, reached by no seed, is NaN (the run cannot tell)."""
    nan = float("nan")
    points = np.array([[10.0, 30.0, nan], [12.0, nan, nan], [14.0, 34.0, nan]])
    res = pn.EmergenceResult("N", pn.EmergenceTask(n_s=3), None, np.array([10.0, 20.0, 40.0]), np.zeros((3, 3)),
                             np.zeros((3, 3)), np.zeros((3, 3)), "N_c", 4.0, 0.5, points, np.array([2.0, 6.0, 50.0]),
                             nan, (nan, nan), nan, np.zeros(1), np.zeros(1), 0.0)
    mean, (low, high) = res.point(1)
    assert mean == pytest.approx(12.0) and low < 12 < high and res.reached(1) == 3
    assert res.point(2)[0] == pytest.approx((30 + 40 + 34) / 3) and res.reached(2) == 2
    assert np.isnan(res.point(3)[0]) and res.reached(3) == 0


def test_time_emergence_experiment_small_is_typed_and_calibrated():
    """Two skills at toy size (~1 s): one fitted constant kappa_T; the calibrated model's emergence steps scale
    as 1/P_s(k) ~ k^(alpha+1) exactly (Eq. 14), and skill 1 emerges within 30 % of the calibrated prediction (the
    calibration is on a different, one-skill task)."""
    budget = pn.NetworkBudget(width=32, batch=128, steps=1500, calib_steps=1200, n_eval=300, seeds=range(2))
    res = pn.time_emergence_experiment(pn.EmergenceTask(n_s=2, n_b=12), budget, progress=False)
    assert isinstance(res, pn.EmergenceResult) and res.budget.seeds == (0, 1) and res.constant == "kappa_T"
    assert res.R_net.shape == res.R_model.shape == (res.grid.size, 2) and res.points_net.shape == (2, 2)
    assert res.points_model[1] / res.points_model[0] == pytest.approx(2**1.6, rel=1e-12)  # 1/P_s(k)
    mean, (low, high) = res.point(1)
    assert low < mean < high and mean == pytest.approx(res.points_model[0], rel=0.3)
    assert res.R_model[0, 0] == pytest.approx(budget.sigma**2 * pn.R0_PER_SIGMA2)  # R(0) is held, not fitted


def test_isolated_skills_follow_one_over_frequency():
    """The control of the time experiment (~0.6 s): each skill alone, at its share of batch and learning rate,
    emerges at tau_k ~ 1/P_s(k) (the decoupled model): tau_k P_s(k) equal within 30 % over two skills whose
    frequencies differ 3x."""
    task, budget = pn.EmergenceTask(n_s=2, n_b=12), pn.NetworkBudget(width=32, batch=128, steps=2500, n_eval=300,
                                                                       seeds=(0, 1))
    tau = pn.isolated_skill_times(task, budget, progress=False)
    scaled = tau.mean(axis=0) * skill_frequencies(0.6, 2)
    assert np.all(np.isfinite(tau)) and tau[:, 1].min() > tau[:, 0].max()
    assert scaled[1] == pytest.approx(scaled[0], rel=0.3)


def test_data_emergence_small_seeded_run():
    """Seeded toy data emergence (one skill calibrates D_c, two skills predicted; ~1.5 s): the fitted D_c lies in
    the calibration range, the frequent skill is learned from the largest dataset and not from the smallest,
    and the model's D_k are 3/4 D_c / P_s(k)."""
    budget = pn.DataBudget(sizes=(60, 800), calib_sizes=(20, 60, 120, 240), width=32, steps=600, calib_steps=600,
                           n_eval=400, seeds=(0, 1))
    res = pn.data_emergence_experiment(pn.EmergenceTask(n_s=2, n_b=12), budget, progress=False)
    assert res.constant == "D_c" and 20 < res.value < 240
    P = skill_frequencies(0.6, 2)
    np.testing.assert_allclose(res.points_model, 0.75 * res.value / P)
    assert res.R_net[-1, 0] > 0.8 * 5.0 and res.R_net[0, 0] < 0.5 * 5.0
    again = pn.data_emergence_experiment(pn.EmergenceTask(n_s=2, n_b=12), budget, progress=False)
    np.testing.assert_array_equal(again.R_net, res.R_net)  # seeded


def test_width_emergence_small_seeded_run():
    """Seeded toy width emergence (one skill calibrates N_c; ~1.5 s): a parity of m = 3 bits needs a few ReLU
    units (N_c between 2 and 6), the widest network learns skill 1, and Eq. (21) puts N_k at (k - 1/2) N_c."""
    budget = pn.WidthBudget(widths=(1, 8), calib_widths=(1, 2, 4, 6, 8), calib_repeats=2, steps=1500,
                            calib_steps=1500, lr=0.02, batch=200, n_eval=400, seeds=(0, 1))
    res = pn.width_emergence_experiment(pn.EmergenceTask(n_s=2, n_b=12), budget, progress=False)
    assert res.constant == "N_c" and 2 <= res.value <= 6
    np.testing.assert_allclose(res.points_model, (np.arange(1, 3) - 0.5) * res.value)
    assert res.R_net[-1, 0] > 0.8 * 5.0 and abs(res.R_net[0, 1]) < 0.1 * 5.0


def test_network_budget_seeds_are_a_sequence():
    with pytest.raises(TypeError, match="range"):
        pn.NetworkBudget(seeds=3)
    with pytest.raises(ValueError, match="distinct"):
        pn.NetworkBudget(seeds=(1, 1))
    with pytest.raises(ValueError, match="distinct"):
        pn.DataBudget(seeds=(1, 1))
    with pytest.raises(TypeError, match="range"):
        pn.WidthBudget(seeds=2)


@pytest.mark.slow
def test_time_emergence_experiment_full():
    """alpha = 0.6, n_s = 5, S = 5 at the report's full size: every skill emerges, in the order of frequency."""
    from scalingtheory.models.sparse_parity import EXPERIMENT_SIZES

    res = pn.time_emergence_experiment(budget=pn.NetworkBudget(**EXPERIMENT_SIZES["t"].full), progress=False)
    assert np.all(np.isfinite(res.points_net))
    assert np.all(np.diff(np.mean(res.points_net, axis=0)) > 0)


def test_d_shot_min_norm_reproduces_eq104_and_the_eq17_caveat():
    """Eq. (104): E L_k = S^2/2 (1 - d/D_c). The Eq.-(7) correlation is then S d/D_c (Eq. 8), while the
    printed Eq. (17) is the loss-equivalent S - sqrt(2 L_k) (digest caveat, typo 2)."""
    from scalingtheory.models.sparse_parity import d_shot_strength

    S, D_c = 2.0, 32
    for d in (4, 16, 24):
        out = pn.d_shot_min_norm(D_c, d, S=S, draws=120, seed=d)
        se = out["R_sd"] / math.sqrt(120)
        assert abs(out["R"] / S - d / D_c) < 4 * se / S + 1e-3
        assert abs(out["L"] / (S**2 / 2) - (1 - d / D_c)) < 4 * se / S + 1e-3
        # loss-equivalent strength ~ Eq. (17), clearly below the correlation
        assert float(d_shot_strength(d, D_c, S)) == pytest.approx(S - math.sqrt(2 * out["L"]), abs=0.03 * S)
        assert float(d_shot_strength(d, D_c, S)) < out["R"] - 0.05 * S
    with pytest.raises(ValueError, match="D_c < 2\\^n_b"):
        pn.d_shot_min_norm(64, 3, n_b=5)
