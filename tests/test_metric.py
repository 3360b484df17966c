"""Downstream metrics (scalingtheory.fitting.metric): the logistic link recovered from noisy scores, its
intervals' coverage, the chain with a fitted loss law, the compute-only fit, and bad input."""

import numpy as np
import pytest

import scalingtheory as st
from scalingtheory.fitting.metric import fit_metric, link
from scalingtheory.fitting.optimum import OptimumRule
from scalingtheory.fitting.synthetic import HOFFMANN, LAW, chinchilla_loss, chinchilla_runs

TRUE = {"k": 5.0, "x0": 2.4, "chance": 0.25, "ceiling": 0.9}


def _scores(loss, rng, questions=500):
    """Accuracy on ``questions`` questions per run: binomial noise around the true link."""
    p = link(loss, TRUE["k"], TRUE["x0"], TRUE["chance"], TRUE["ceiling"])
    return rng.binomial(questions, p) / questions


def test_link_is_recovered_with_chance_fixed_and_ceiling_fitted():
    rng = np.random.default_rng(0)
    loss = np.linspace(1.9, 3.2, 60)
    m = fit_metric(loss, _scores(loss, rng), chance=0.25, bootstrap=100, seed=0)
    est = m.estimates()
    for name in ("k", "x0", "ceiling"):
        assert est[name].lo <= TRUE[name] <= est[name].hi, (name, est[name])
    assert m.params["chance"] == 0.25


@pytest.mark.slow
def test_parameter_intervals_cover_the_truth():
    """20 seeds x 200 replicates: 95% percentile intervals of k, x0 and the ceiling hold the truth in >= 85%."""
    hits = {n: 0 for n in ("k", "x0", "ceiling")}
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        loss = np.sort(rng.uniform(1.9, 3.2, 40))
        est = fit_metric(loss, _scores(loss, rng), chance=0.25, bootstrap=200, seed=seed).estimates()
        for n in hits:
            hits[n] += est[n].lo <= TRUE[n] <= est[n].hi
    assert all(h >= 17 for h in hits.values()), hits


def test_score_at_a_budget_chains_the_law_and_the_link():
    """The interval of the score at C = 1e22 holds the true score at the true L*(C) (Hoffmann's law)."""
    rng = np.random.default_rng(3)
    runs = chinchilla_runs(80, seed=3, noise=0.01)
    law = st.fit_law(runs, LAW, cost="6*N*D", bootstrap=60, seed=0)
    metric = fit_metric(runs["loss"], _scores(chinchilla_loss(runs["N"], runs["D"]), rng), chance=0.25,
                        bootstrap=60, seed=1)
    row = metric.at_budget(law, [1e22])[0]
    theta = np.array([HOFFMANN[p.name] for p in law.model.params])
    true_loss = OptimumRule(law.model, "6*N*D").evaluate(theta, [1e22])["loss_at"][0, 0]
    truth = link(true_loss, TRUE["k"], TRUE["x0"], TRUE["chance"], TRUE["ceiling"])
    assert row["loss"].lo <= true_loss <= row["loss"].hi
    assert row["metric"].lo <= truth <= row["metric"].hi
    assert row["metric"].hi - row["metric"].lo < 0.2


def test_score_against_compute_without_a_loss():
    C = np.logspace(18, 24, 30)
    p = link(C, 1.2, np.log(1e21), 0.0, 0.8, kind="compute")
    m = fit_metric(C, p, kind="compute", chance=0.0, bootstrap=0)
    assert m.params["k"] == pytest.approx(1.2, rel=1e-5)
    assert np.exp(m.params["x0"]) == pytest.approx(1e21, rel=1e-4)
    with pytest.raises(ValueError, match="chains a score fitted against the loss"):
        m.at_budget(None, [1e22])


@pytest.mark.parametrize("kwargs, message", [
    ({"metric": [0.2, 0.3, 1.5, 0.4, 0.5]}, r"must lie in \[0, 1\]"),
    ({"chance": 0.5, "ceiling": 0.4}, "must exceed chance"),
    ({"kind": "tokens"}, "kind must be one of"),
    ({"bootstrap": 10**9}, "bootstrap must be 0 or an integer from 2 to 10,000"),
])
def test_bad_input_is_refused(kwargs, message):
    args = {"x": [2.0, 2.2, 2.4, 2.6, 2.8], "metric": [0.8, 0.7, 0.6, 0.5, 0.4], **kwargs}
    with pytest.raises(ValueError, match=message):
        fit_metric(args.pop("x"), args.pop("metric"), **args)
