"""Experiment design (scalingtheory.fitting.plan, ``scalingtheory plan``): the cap, reproducibility, the
criterion against direct computation, the gradient against the closed form, and the command's contract."""

import json
import subprocess
import sys

import numpy as np
import pytest

import scalingtheory as st
from scalingtheory.fitting.optimum import OptimumRule
from scalingtheory.fitting.loop import simulate_loop
from scalingtheory.fitting.plan import _inverse, candidates, gradients, greedy, information, plan
from scalingtheory.fitting.synthetic import HOFFMANN, LAW, chinchilla_runs

COST = "6*N*D"


@pytest.fixture(scope="module")
def fit():
    return st.fit_law(chinchilla_runs(30, seed=2, n_range=(1e7, 1e9), d_range=(1e9, 1e11)), LAW, cost=COST,
                      bootstrap=0)


def test_plan_respects_the_cap_proposes_distinct_runs_and_is_reproducible(fit):
    a = plan(fit, 1e23, 6, 3e19)
    b = plan(fit, 1e23, 6, 3e19)
    assert a.to_json() == b.to_json()
    assert len(a.runs) == 6 and all(r["cost"] <= 3e19 * (1 + 1e-12) for r in a.runs)
    assert all(np.isclose(r["cost"], 6 * r["N"] * r["D"], rtol=1e-12) for r in a.runs)
    assert len({(r["N"], r["D"]) for r in a.runs}) == 6
    assert all(a.after[k].hi / a.after[k].lo <= a.before[k].hi / a.before[k].lo for k in ("N", "D"))
    assert list(a.before) == ["N", "D", "loss"]


def test_gradient_of_log_n_star_matches_the_closed_form(fit):
    """log N* = log(aA/(bB))/(a+b) + b/(a+b) log(C/6) (Hoffmann et al. 2022, Eq. 4), differentiated by hand
    in log A, log B, log a, log b (E does not enter)."""
    p = dict(zip(fit.model.names, fit.theta))
    a, b, C = p["a"], p["b"], 1e23
    s = a + b
    ell = np.log(a * p["A"] / (b * p["B"])) / s
    x = np.log(C / 6)
    expected = {"A": 1 / s, "B": -1 / s, "E": 0.0,
                "a": a * (1 / (a * s) - ell / s - b * x / s**2),
                "b": b * (-1 / (b * s) - ell / s + x / s - b * x / s**2)}
    g = gradients(OptimumRule(fit.model, COST), fit.theta, C)["N"]
    for name, value in expected.items():
        assert g[fit.model.names.index(name)] == pytest.approx(value, rel=1e-6, abs=1e-8), name


def test_greedy_picks_what_direct_inversion_says_is_best(fit):
    """Sherman-Morrison updates against inverting I + j j^T / sigma^2 for every candidate, two picks deep."""
    rule = OptimumRule(fit.model, COST)
    g = gradients(rule, fit.theta, 1e23)["N"]
    info, sigma = information(fit), 0.02
    X = candidates(fit, lambda r: 6 * r[:, 0] * r[:, 1], 1e20, per_axis=9)
    J = fit.model.log_jacobian(fit.theta, tuple(X.T)) * fit.theta[None, :]
    chosen, before, after = greedy(info, g, J, sigma, 2)
    first = [g @ np.linalg.pinv(info + np.outer(j, j) / sigma**2) @ g for j in J]
    assert chosen[0] == int(np.argmin(first))
    second = [np.inf if i == chosen[0] else
              g @ np.linalg.pinv(info + (np.outer(J[chosen[0]], J[chosen[0]]) + np.outer(j, j)) / sigma**2) @ g
              for i, j in enumerate(J)]
    assert chosen[1] == int(np.argmin(second))
    assert after == pytest.approx(min(second), rel=1e-6)
    assert before == pytest.approx(g @ _inverse(info) @ g, rel=1e-12)


def test_plan_refuses_bad_requests(fit):
    with pytest.raises(ValueError, match="runs must be an integer from 1 to 1,000"):
        plan(fit, 1e23, 10**9, 1e20)
    with pytest.raises(ValueError, match="no candidate run costs at most"):
        plan(fit, 1e23, 2, 1.0)
    with pytest.raises(ValueError, match="budget must be a finite number > 0"):
        plan(fit, float("nan"), 2, 1e20)
    with pytest.raises(ValueError, match="target must be one of"):
        plan(fit, 1e23, 2, 1e20, target="E")


def test_simulated_loop_gets_closer_to_the_truth_with_compute():
    rounds = simulate_loop(HOFFMANN, LAW, COST, 1e23, chinchilla_runs(30, seed=0, n_range=(1e7, 1e9),
                                                                         d_range=(1e9, 1e11)), rounds=2)
    assert [r.runs for r in rounds] == [30, 38, 46]
    assert rounds[0].spent < rounds[1].spent < rounds[2].spent
    assert abs(rounds[-1].error) < abs(rounds[0].error)
    width = [np.log(r.estimate.hi / r.estimate.lo) for r in rounds]
    assert width[-1] < width[0]


def test_plan_command_json_and_exit_codes(tmp_path):
    d = chinchilla_runs(30, seed=1, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
    path = tmp_path / "runs.csv"
    path.write_text("N,D,loss\n" + "".join(f"{float(n)!r},{float(x)!r},{float(y)!r}\n" for n, x, y in zip(d["N"], d["D"], d["loss"])))
    base = [sys.executable, "-m", "scalingtheory", "plan", str(path), "--law", LAW, "--cost", COST,
            "--budget", "1e23", "--max-run-compute", "1e20"]
    ok = subprocess.run(base + ["--runs", "3", "--json"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert set(out) >= {"runs", "before", "after", "criterion", "budget"} and len(out["runs"]) == 3
    assert set(out["before"]["N"]) >= {"value", "lo", "hi"}
    bad = subprocess.run(base + ["--runs", "0"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "from 1 to 1,000" in bad.stderr
    typo = subprocess.run(base + ["--runs", "1_000"], capture_output=True, text=True, timeout=60)
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
