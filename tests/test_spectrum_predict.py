"""Predictions from a spectrum estimate go through the random-feature model; learning curves
measured on a teacher with a known spectrum agree with the model's exponents; verdicts."""
import numpy as np
import pytest
import sympy as sp

import scalingtheory as st
from scalingtheory.spectrum.compare import Comparison, verdict
from scalingtheory.spectrum.datasets import load_teacher
from scalingtheory.spectrum.estimate import estimate_from_gram, spectrum
from scalingtheory.spectrum.kernels import gram
from scalingtheory.spectrum.learning_curves import LearningCurve, krr_curve, measure_exponent, rf_curve
from scalingtheory.spectrum.predict import exponent_functions, predictions, regime_of


@pytest.fixture(scope="module")
def teacher():
    X, Y, info = load_teacher(n=800)
    K = gram(X, "linear")
    return K, Y, info, estimate_from_gram(K, Y, "linear", bootstrap=6)


def model_value(path, a, b):
    """The model's own answer (exact analysis at a numeric point): an independent route to the number."""
    return float(st.exponents("random_features", alpha=a, beta=b)[path].expr)


PATHS = (("P", "exponents.P"), ("N", "exponents.N"), ("t", "exponents.t"), ("C", "compute_optimal.loss"),
         ("C.N", "compute_optimal.allocation.N"), ("C.t", "compute_optimal.allocation.t"))


@pytest.mark.parametrize("a, b", [("3/2", "2/5"), ("2", "3/2"), ("7/4", "5/2")])
def test_exponent_functions_are_the_models_answers(a, b):
    regime = regime_of(float(sp.Rational(a)), float(sp.Rational(b)))
    for key, path in PATHS:
        assert exponent_functions(regime)[key](float(sp.Rational(a)), float(sp.Rational(b))) == \
            pytest.approx(model_value(path, a, b), rel=1e-12), (key, a, b)


def test_predictions_carry_propagated_intervals(teacher):
    est = teacher[3]
    pred, notes = predictions(est)
    a, b = est.alpha.value, est.beta.value
    for key, _ in PATHS:
        assert pred[key].value == exponent_functions("hard")[key](a, b)
        assert pred[key].ci[0] <= pred[key].value <= pred[key].ci[1]
    # the data exponent alpha beta = s - 1 spans at least the bootstrap's spread of alpha_b beta_b
    prod = est.samples[0, :, 0] * est.samples[0, :, 1]
    assert pred["P"].ci[0] <= np.quantile(prod, 0.25) and np.quantile(prod, 0.75) <= pred["P"].ci[1]
    assert pred["P"].regime == "hard" and notes == []


@pytest.mark.parametrize("a, b", [(1.5, 0.5), (2.0, 3.0), (1.2, 1.7)])
def test_noisy_data_exponent_is_cui_et_al(a, b):
    """Cui, Loureiro, Krzakala & Zdeborova (2021): noisy labels, optimal ridge, excess error
    ~ n^(-2 alpha r / (1 + 2 alpha r)) with r = min(beta/2, 1) in the toolkit's beta."""
    r = min(b / 2, 1)
    regime = "hard" if b <= 1 else ("easy" if b <= 2 else "super-easy")
    assert exponent_functions(regime)["P_noisy"](a, b) == pytest.approx(2 * a * r / (1 + 2 * a * r), rel=1e-12)


def test_outside_the_domain_gives_no_prediction():
    rng = np.random.default_rng(0)
    U, _ = np.linalg.qr(rng.standard_normal((300, 300)))
    k = np.arange(1, 301.0)
    K = 300 * (U * k ** -0.8) @ U.T                          # alpha = 0.8 < 1
    est = spectrum(y=U @ (np.sqrt(300 * k ** -1.5) * rng.standard_normal(300)), gram=(K + K.T) / 2,
                   kernel="s", bootstrap=3)
    pred, notes = predictions(est)
    assert pred == {} and "outside the models' domain" in notes[0]
    assert any("alpha" in note and "<= 1" in note for note in est.notes)


def test_measure_exponent_recovers_a_noisy_power_law():
    rng = np.random.default_rng(1)
    sizes = np.geomspace(20, 2000, 8)
    losses = 3 * sizes ** -0.7 * np.exp(0.05 * rng.standard_normal((6, 8)))
    e = measure_exponent(sizes, losses)
    assert e["ci"][0] <= 0.7 <= e["ci"][1] and e["ci"][1] - e["ci"][0] < 0.1
    with pytest.raises(RuntimeError):
        measure_exponent(sizes, np.zeros((2, 8)))


def test_learning_curves_on_the_teacher_match_the_model(teacher):
    """Simulation vs theory: kernel regression and random features on the teacher (alpha = 3/2,
    beta = 1/2) decay at the model's alpha min(beta, 2) = alpha min(beta, 1) = 3/4."""
    K, Y, info, _ = teacher
    truth = model_value("exponents.P", info["alpha"], info["beta"])
    assert truth == 0.75 == model_value("exponents.N", info["alpha"], info["beta"])
    for curve in (krr_curve(K, Y, repeats=4), rf_curve(K, Y, repeats=4)):
        lo, hi = curve.exponent["ci"]
        assert lo <= truth <= hi, (curve.resource, curve.exponent)
        assert hi - lo < 0.6


def _curve(rate, resource="P"):
    sizes = np.geomspace(10, 1000, 8)
    return LearningCurve(resource, sizes, np.vstack([sizes ** -rate * f for f in (0.98, 1.0, 1.02)]), "test")


def test_verdicts_follow_the_one_rule_and_a_disagreement_names_a_cause(teacher):
    from dataclasses import replace
    est = teacher[3]
    pred, _ = predictions(est)
    p = pred["P"]
    narrow = replace(p, ci=(0.9 * p.value, 1.1 * p.value))
    ok = verdict("P", narrow, _curve(p.value), est)
    bad = verdict("P", p, _curve(p.ci[1] + 0.5), est)
    assert ok["verdict"] == "agree" and bad["verdict"] == "disagree"
    assert "likely cause" in bad["text"] and "DISAGREE" in bad["text"]
    # the teacher's own prediction spans a factor > 3 at n = 800: overlapping says nothing
    assert p.ci[1] > 3 * p.ci[0]
    wide = verdict("P", p, _curve(p.value), est)
    assert wide["verdict"] == "inconclusive" and "predicted one spans a factor" in wide["text"]
    rising = verdict("P", p, _curve(-0.2), est)
    assert rising["verdict"] == "no power law" and "does not fall" in rising["text"]
    comp = Comparison("teacher", est, pred, {"P": _curve(0.75)}, {"P": ok})
    assert "r_P" in comp.report() and comp.to_json()["verdicts"]["P"]["verdict"] == "agree"


def test_report_section_has_numbers_table_and_figure(tmp_path):
    from scalingtheory.spectrum.compare import report_section
    sec = report_section(tmp_path, quick=True)
    assert sec["markdown"].startswith("## Theory meets data") and "| r_P |" in sec["markdown"]
    assert sec["figure"].is_file() and sec["figure"].parent == tmp_path
    assert "\\section{Theory meets data}" in sec["latex"] and "includegraphics" in sec["latex"]
    assert sec["numbers"]["measured"]["P"]["value"] > 0


def test_pairs_outside_the_supported_range_propagate_as_nan():
    """A bootstrap or regression corner far outside the model's numeric range (beta ~ 1e-300,
    alpha > 100) is NaN in the propagation, not an error that stops the whole comparison."""
    from scalingtheory.spectrum.predict import _vectorised
    f = _vectorised("P")
    out = f(np.array([2.0, 2.0, 150.0]), np.array([0.5, 1e-300, 0.5]))
    assert out[0] == pytest.approx(1.0) and np.isnan(out[1]) and np.isnan(out[2])
