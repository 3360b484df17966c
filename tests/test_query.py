"""`scalingtheory query` for every model (issue 15, item 4): plain-text --list, units on every answer,
and the answers checked by independent routes (SciPy minimisation, direct mode sums, an ODE solver,
numbers printed by the BNSL authors' script)."""
import json
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from scalingtheory.cli import main
from scalingtheory.models import available, get_model
from scalingtheory.symbols import B, N, P, t

#: one call of every question: model -> [(question, arguments and parameters)], as each model declares
#: them (``Model.query_examples``)
CALLS = {name: list(get_model(name).query_examples.items()) for name in available()}


def _ask(capsys, model, question, args):
    assert main(["query", "--model", model, question, *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_model_has_questions_listed_in_plain_text(capsys):
    assert sorted(CALLS) == sorted(available())
    for name in available():
        model = get_model(name)
        assert model.queries, name
        assert main(["query", "--model", name, "--list"]) == 0
        text = capsys.readouterr().out
        for raw in (":math:", "\\", "``", ":meth:", "$"):
            assert raw not in text, (name, raw)
        for question in model.queries:
            method = getattr(model, question)
            assert text.count(f"\n{question}") + text.startswith(question) == 1
            assert method.query_summary and method.query_summary in text
        assert sorted(q for q, _ in CALLS[name]) == sorted(model.queries)


@pytest.mark.parametrize("model,question,args", [(m, q, a) for m, calls in CALLS.items() for q, a in calls])
def test_every_answer_has_units(model, question, args, capsys):
    data = _ask(capsys, model, question, args)
    assert data
    for part, num in data.items():
        assert num["unit"], (part, num)
        assert num["value"] is not None and math.isfinite(num["value"])


# ------------------------------------------------------------------ random_features: against SciPy


def _scipy_budget(model, compute, **params):
    """Minimise the model's law L(t = C/N, N) over N with SciPy (online data: P = oo)."""
    from scipy.optimize import minimize_scalar

    p = model.validate(**params)
    law = model.law(p, model.regime(p))
    f = sp.lambdify((t, N), law.expr.subs({P: sp.oo, B: 1}), ["scipy", "numpy"])  # batch B = 1 (SGD noise)
    res = minimize_scalar(lambda ln: np.log(f(compute / np.exp(ln), np.exp(ln))), bounds=(0, np.log(compute)),
                          method="bounded", options={"xatol": 1e-10})
    return np.exp(res.x), np.exp(res.fun)


@pytest.mark.parametrize("beta", ["1/2", "3/2", "3"])
def test_random_features_budget_is_the_minimum_of_its_loss(beta, capsys):
    model = get_model("random_features")
    devs = []
    for compute in (1e12, 1e16):
        data = _ask(capsys, "random_features", "budget", ["--C", f"{compute:g}", "--alpha", "2", "--beta", beta])
        n_star, l_star = _scipy_budget(model, compute, alpha=2, beta=beta)
        assert data["N*"]["value"] * data["t*"]["value"] == pytest.approx(compute, rel=1e-12)
        devs.append((abs(data["N*"]["value"] / n_star - 1), abs(data["L*"]["value"] / l_star - 1)))
    if beta == "1/2":   # hard: the two balanced terms are the whole online law, so the optimum is exact
        assert max(max(d) for d in devs) < 1e-6
    else:               # easy / super-easy: the width term N^-alpha is subleading; its share shrinks with C
        assert devs[0][0] < 1e-2 and devs[1][0] < devs[0][0] / 3 and devs[1][1] < devs[0][1]


def test_random_features_loss_at_matches_the_mode_sum():
    """At N = P = oo the loss is sum_k lambda_k w_k^2 exp(-2 lambda_k t) (gradient flow on each mode)."""
    model = get_model("random_features")
    for alpha, beta, time in ((2, 0.5, 1e4), (1.5, 1.2, 1e5)):
        law = model.loss_at(t=time, alpha=alpha, beta=beta)
        k = np.arange(1, 10**6, dtype=float)  # the tail beyond 1e6 modes is < 1e-4 of the loss here
        direct = float(np.sum(k ** -(alpha * beta + 1) * np.exp(-2 * k ** -alpha * time)))
        assert law.value == pytest.approx(direct, rel=1e-3), (alpha, beta)  # measured 1.6e-4 (truncation), 3e-5
        assert model.loss_at(t=time, N=10**6, alpha=alpha, beta=beta).value > law.value  # finite width costs
    assert model.loss_at(t=1e4, alpha=2, beta="1/2").unit.startswith("test MSE")


# ------------------------------------------------------------------ feature_learning


def test_feature_learning_chi_and_lazy_vs_rich_budget():
    model = get_model("feature_learning")
    assert model.chi(beta="1/2", training="lazy").expr == sp.Rational(1, 2)   # Eq. 10: chi = beta
    assert model.chi(beta="1/2", training="rich").expr == sp.Rational(2, 3)   # 2 beta / (1 + beta)
    assert model.chi(beta=3, training="rich").expr == 3                       # no gain for beta >= 1
    # the allocation exponent of the budget answer is the slope of SciPy's optimum of the same law
    for training in ("lazy", "rich"):
        n1, _ = _scipy_budget(model, 1e10, alpha=2, beta="1/2", training=training)
        n2, _ = _scipy_budget(model, 1e14, alpha=2, beta="1/2", training=training)
        a_n = math.log(model.budget(C=10**14, alpha=2, beta="1/2", training=training)["N*"].value
                       / model.budget(C=10**10, alpha=2, beta="1/2", training=training)["N*"].value) / math.log(1e4)
        assert a_n == pytest.approx(math.log(n2 / n1) / math.log(1e4), abs=2e-3)
    gain = model.rich_gain(C=10**10, alpha=2, beta="1/2")
    _, lazy = _scipy_budget(model, 1e10, alpha=2, beta="1/2", training="lazy")
    _, rich = _scipy_budget(model, 1e10, alpha=2, beta="1/2", training="rich")
    assert gain["gain"].value > 1 and math.log(gain["gain"].value) == pytest.approx(math.log(lazy / rich), rel=0.1)
    with pytest.raises(ValueError, match="both trainings"):
        model.rich_gain(C=10**10, training="rich")


# ------------------------------------------------------------------ sparse_parity: against an ODE solver


@pytest.mark.parametrize("skill,eta", [(1, 1), (3, 1), (3, 2)])
def test_sparse_parity_emergence_time_against_the_logistic_ode(skill, eta):
    """Integrate dR/dT = 2 eta p R (S - R) (digest Eq. 33-34) until R/S = epsilon, p = k^-(a+1)/zeta(a+1)."""
    from scipy.integrate import solve_ivp

    alpha, S, r, eps = 0.6, 1.0, 0.01, 0.05
    p = skill ** -(alpha + 1) / float(mpmath.zeta(alpha + 1))
    event = lambda T, R: R[0] / S - eps  # noqa: E731
    event.terminal = True
    sol = solve_ivp(lambda T, R: 2 * eta * p * R * (S - R), (0, 1e4), [r], events=event, rtol=1e-11, atol=1e-14)
    answer = get_model("sparse_parity").emergence_time(skill, alpha="0.6", eta=eta)
    assert answer.value == pytest.approx(sol.t_events[0][0], rel=1e-7)
    assert "learning rate eta" in answer.unit


# ------------------------------------------------------------------ bnsl


def test_bnsl_predict_reproduces_the_released_script():
    from scalingtheory.models.bnsl import FIGURE1_PARAMS, FIGURE1_VALUES, BNSLModel

    model = BNSLModel(breaks=3)
    for x, y in FIGURE1_VALUES.items():
        assert model.predict(x=x, **FIGURE1_PARAMS).value == pytest.approx(y, rel=1e-5), x


def test_bnsl_breaks_are_where_the_measured_slope_changes():
    params = {"a": "0.1", "b": 2, "c0": "0.3", "c1": "0.9", "d1": 1000, "f1": "0.2"}
    ans = get_model("bnsl").breaks(**params)
    from scalingtheory.models.bnsl import evaluate

    def slope(x):  # central difference of log(y - a) in log x, Eq. 1 evaluated by mpmath at 30 digits
        with mpmath.workdps(30):
            h = mpmath.mpf("1e-6")
            lo, hi = (v - mpmath.mpf("0.1") for v in evaluate(params, [x * mpmath.exp(-h), x * mpmath.exp(h)], dps=30))
            return float((mpmath.log(hi) - mpmath.log(lo)) / (2 * h))

    assert ans["d1"].value == 1000
    assert slope(1000 * 1e-6) == pytest.approx(ans["slope_before_1"].value, abs=1e-4)
    assert slope(1000 * 1e6) == pytest.approx(ans["slope_after_1"].value, abs=1e-4)
    assert slope(1000) == pytest.approx(ans["slope_at_1"].value, rel=1e-8)
    assert all(q.unit for q in ans.quantities)


def test_omitted_parameters_follow_the_rule_of_models(capsys):
    """Omitted numeric parameters stay symbolic: one closed-form answer per regime, which at a
    point of the regime is the numeric answer there."""
    data = _ask(capsys, "random_features", "budget", ["--C", "1e12"])
    assert isinstance(data, list) and len(data) == 3
    from scalingtheory.symbols import alpha, beta

    hard = sp.sympify(data[0]["N*"]["expr"], locals={"alpha": alpha, "beta": beta})
    at_point = float(hard.subs({alpha: 2, beta: sp.Rational(1, 2)}))
    assert at_point == pytest.approx(_ask(capsys, "random_features", "budget",
                                          ["--C", "1e12", "--alpha", "2", "--beta", "1/2"])["N*"]["value"], rel=1e-12)
    assert main(["query", "--model", "random_features", "budget", "--C", "-1"]) == 2


def test_stage_like_with_many_skills_uses_the_closed_normalisation():
    """The margin at n_s = 10**9 is built with the Hurwitz-zeta normalisation (it used to expand an
    n_s-term harmonic sum and hang); at n_s = 1000 it equals the margin from mpmath's direct sum."""
    from scalingtheory.models.sparse_parity import emergence_time_expr, epsilon, p, saturation_time_expr
    model = get_model("sparse_parity")
    big = model.stage_like(3, skills=10**9, alpha="0.6")
    assert not big.expr.has(sp.Sum) and math.isfinite(big.value)
    mid = model.stage_like(3, skills=1000, alpha="0.6")
    norm = mpmath.nsum(lambda j: j ** -1.6, [1, 1000])          # H_1000^(1.6), summed directly
    pv = model.validate(alpha="0.6")
    subs = model._subs(pv)

    def tau(expr, kk):
        return float(expr.subs({p: sp.Float(kk ** -1.6 / norm, 30), epsilon: sp.Rational(1, 20)}).subs(subs))
    te, ts = emergence_time_expr(), saturation_time_expr()
    direct = tau(te, 4) - tau(te, 3) - tau(ts, 3)
    assert mid.value == pytest.approx(direct, rel=1e-10)
    assert big.value == pytest.approx(mid.value, rel=0.05) and big.value != mid.value
