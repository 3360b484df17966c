"""Two-layer ReLU networks on the circle (issue 23): gradients, the gamma -> 0 kernel limit, lazy vs rich."""

import numpy as np
import pytest

from scalingtheory.numerics import circle_network as cn


def _finite_difference(net, theta, y, gamma, initial=None, h=1e-6):
    out = {}
    for name in ("wc", "ws", "b", "a"):
        arr = getattr(net, name)
        fd = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + h
            up = cn.gradients(net, theta, y, gamma, initial)[0][idx[0]]
            arr[idx] = old - h
            down = cn.gradients(net, theta, y, gamma, initial)[0][idx[0]]
            arr[idx] = old
            fd[idx] = (up - down) / (2 * h)
        out[name] = fd
    return out


@pytest.mark.parametrize("linearized", [False, True])
def test_gradients_match_central_finite_differences(linearized):
    rng = np.random.default_rng(5)
    net = cn.init_network(6, seeds=(0, 1))
    theta = rng.uniform(0, 2 * np.pi, (2, 5))
    y = rng.standard_normal((2, 5))
    initial = None
    if linearized:                       # net holds the displacement from the initial parameters
        initial = net.copy()
        net = cn.Network(*(0.3 * rng.standard_normal(x.shape) for x in (net.wc, net.ws, net.b, net.a)))
    else:
        net.a += 0.3 * rng.standard_normal(net.a.shape)   # break the pairing (f != 0)
    loss, grad = cn.gradients(net, theta, y, 0.7, initial)
    fd = _finite_difference(net, theta, y, 0.7, initial)
    assert np.all(loss > 0)
    for name, want in fd.items():
        np.testing.assert_allclose(getattr(grad, name), want, rtol=1e-6, atol=1e-9)


def test_paired_initialisation_starts_from_zero_and_ntk_is_translation_invariant_power_law():
    net = cn.init_network(512, seeds=(3,))
    f, _ = cn.forward(net, np.linspace(0, 6, 7)[None, :], 1e-3)
    assert np.max(np.abs(f)) < 1e-9
    fit = cn.measure_alpha(512, seeds=(0, 1), kfit=(8, 64))
    assert fit.ci[0] < 2.0 < fit.ci[1] or abs(fit.exponent - 2) < 0.05   # ReLU kink: lambda_k ~ k^-2


def test_lazy_limit_follows_kernel_regression_with_the_initial_ntk():
    """gamma -> 0: the network equals its linearisation (kernel SGD with the initial NTK of the same width, same
    samples), and both follow the kernel flow sum_k P_k (1 - eta lambda_k)^2t of the measured Fourier diagonal."""
    task = cn.circle_target(2.0, 0.5, modes=256)
    kw = dict(width=128, steps=300, eta=0.5, batch=64, seeds=(0, 1), n_records=8, progress=False)
    net = cn.train(task, gamma=1e-4, **kw)
    lin = cn.train(task, gamma=1e-4, linearized=True, **kw)
    rich = cn.train(task, gamma=1.0, **kw)
    np.testing.assert_allclose(net.losses, lin.losses, rtol=2e-3)
    assert np.max(np.abs(rich.losses / lin.losses - 1)) > 0.02          # the comparison can fail
    kernel = cn.kernel_flow_loss(cn.init_network(128, seeds=(0, 1)), task, 0.5, net.times[1:])
    assert np.max(np.abs(net.mean[1:] / kernel.mean(axis=0) - 1)) < 0.1


def test_target_power_law_and_test_grid():
    task = cn.circle_target(2.0, 1.25, modes=512, seed=1)
    spec = np.abs(np.fft.rfft(task.test_values))[1:513] ** 2 * 2 / task.test_points**2
    np.testing.assert_allclose(spec, task.power, rtol=1e-9, atol=1e-15)
    k = np.arange(1, 513)
    assert -np.polyfit(np.log(k), np.log(task.power), 1)[0] == pytest.approx(2.0 * 1.25 + 1, abs=1e-9)
    theta = np.array([[0.1, 3.0, 6.2]])
    exact = np.sqrt(2 * task.power) @ np.cos(np.outer(k, theta[0]) + _phases(task)[:, None])
    np.testing.assert_allclose(task.sample(theta)[0], exact, atol=1e-4)


def _phases(task):
    spec = np.fft.rfft(task.table)[1: task.power.size + 1]
    return np.angle(spec)


@pytest.mark.parametrize("bad", [dict(alpha=1.0), dict(beta=0.0), dict(modes=0), dict(modes=cn.TEST)])
def test_bad_inputs_are_refused(bad):
    args = dict(alpha=2.0, beta=0.5, modes=16)
    with pytest.raises(ValueError):
        cn.circle_target(**{**args, **bad})


def test_sweep_route_network_runs_one_seed_and_refuses_bad_specs():
    from scalingtheory.sweep.routes import route
    from scalingtheory.sweep.spec import parse_spec

    base = {"model": "feature_learning", "route": "network", "grid": {"alpha": [2], "beta": ["1/2"]},
            "vary": {"t": [20, 40]}, "fixed": {"N": 16, "batch": 4, "modes": 31}, "seeds": [0, 1]}
    spec = parse_spec(base)
    rt = route("feature_learning", "network")
    task = spec.tasks()[2]      # t = 40, seed 0
    loss, train = rt.evaluate(task["point"], task["values"], task["seed"])
    direct = cn.train(cn.circle_target(2.0, 0.5, 31), 16, 1e-3, 40, 0.5, 4, seeds=(0,), n_records=2, progress=False)
    assert train is None and loss == pytest.approx(direct.losses[0, -1], rel=1e-12)
    assert rt.theory_params(task["values"]) == {"training": "lazy", "optimizer": "sgd"}
    for bad, match in (({"N": 15}, "even width"), ({"N": 16, "gamma": 0}, "gamma")):
        with pytest.raises(ValueError, match=match):
            parse_spec({**base, "fixed": {**base["fixed"], **bad}})
    with pytest.raises(ValueError, match="finite number of steps"):
        parse_spec({**base, "vary": {"t": [20, "inf"]}})
