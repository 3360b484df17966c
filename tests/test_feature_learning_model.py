"""Symbolic results of the feature-learning model (Bordelon, Atanasov & Pehlevan 2025).

Independent routes: numbers printed in the digest (paper Table 1 / Eq. 10 as quoted there),
and Paquette et al.'s own loss terms in their (alpha_P, beta_P) notation.
"""

import json

import pytest
import sympy as sp

from scalingtheory.laws import ScalingLaw, Term
from scalingtheory.models import get_model
from scalingtheory.models.feature_learning import MODEL, chi, classify, paquette_parameters
from scalingtheory.symbols import N, alpha, beta, t

R = sp.Rational


def co(**kw):
    res = MODEL.analyze(**kw)
    c = res.compute_optimal
    return res, c.loss.expr, c.allocation["N"].expr, c.allocation["t"].expr


@pytest.mark.parametrize("a, b, lazy, rich", [
    # digest Sec. 5 facts 1-4 (hard tasks): L* exponents
    (2, R(1, 2), R(1, 3), R(2, 5)),
    (2, R(3, 40), R(1, 20), R(3, 10) / R(83, 20)),        # beta = 0.075: rich 0.3/4.15
    (R(3, 2), R(1, 5), R(3, 25), R(6, 10) / R(38, 10)),   # 0.12 and 0.6/3.8
    (3, R(1, 4), R(3, 16), R(15, 10) / R(575, 100)),      # 0.1875 and 1.5/5.75
])
def test_hard_compute_optimal_digest_numbers(a, b, lazy, rich):
    res, loss_l, _, _ = co(alpha=a, beta=b, training="lazy")
    _, loss_r, _, _ = co(alpha=a, beta=b, training="rich")
    assert res.regime.name == "hard"
    assert loss_l == lazy and loss_r == rich
    assert isinstance(loss_r, sp.Rational)


def test_allocations_digest_fact1_and_16():
    _, _, n_l, t_l = co(alpha=2, beta=R(1, 2), training="lazy")
    _, _, n_r, t_r = co(alpha=2, beta=R(1, 2), training="rich")
    assert (n_l, t_l, n_r, t_r) == (R(1, 3), R(2, 3), R(2, 5), R(3, 5))
    # fact 16: t* ~ N*^(alpha (1+beta)/2) rich, N*^alpha lazy
    assert t_r / n_r == R(3, 2) and t_l / n_l == 2


def test_easy_and_super_easy_digest_numbers():
    for training in ("lazy", "rich"):
        res, loss, n, tt = co(alpha=2, beta=R(6, 5), training=training)
        assert res.regime.name == "easy"
        assert (loss, n, tt) == (R(24, 34), R(14, 34), R(20, 34))       # fact 9
        res, loss, n, tt = co(alpha=2, beta=2, training=training)
        assert res.regime.name == "super-easy"
        assert (loss, n, tt) == (R(3, 4), R(1, 2), R(1, 2))             # fact 10


def test_chi_eq10_and_digest_fact7():
    assert chi(R(1, 2), "rich") == R(2, 3) and chi(R(1, 2), "lazy") == R(1, 2)
    assert chi(1, "rich") == 1 == chi(1, "lazy")
    assert sp.nsimplify(chi(R(3, 40), "rich")) == R(3, 20) / R(43, 40)    # 0.15/1.075
    for b in (R(1, 10), R(1, 2), R(9, 10)):
        assert chi(b, "rich") > chi(b, "lazy")
    for b in (R(11, 10), 2, 5):
        assert chi(b, "rich") == chi(b, "lazy") == b


def test_symbolic_hard_matches_table1_formula():
    """Table 1 (digest Sec. 3.2): L* ~ C^-(alpha beta chi/(alpha beta + chi)), N* ~ C^(chi/(alpha beta + chi))."""
    for training in ("lazy", "rich"):
        res, loss, n, tt = co(regime="hard", training=training)
        x = beta if training == "lazy" else 2 * beta / (1 + beta)
        assert sp.simplify(loss - alpha * beta * x / (alpha * beta + x)) == 0
        assert sp.simplify(n - x / (alpha * beta + x)) == 0
        assert sp.simplify(n + tt - 1) == 0
        assert res.exponents["N"].expr == alpha * beta == res.exponents["P"].expr


def test_symbolic_easy_super_easy():
    res, loss, n, tt = co(regime="easy")
    assert sp.simplify(loss - alpha * beta / (alpha * beta + 1)) == 0
    assert sp.simplify(tt - alpha / (alpha * beta + 1)) == 0
    assert res.exponents["N"].expr == alpha and res.exponents["t"].expr == beta
    res, loss, n, tt = co(regime="super-easy")
    assert sp.simplify(loss - (1 - 1 / (2 * alpha))) == 0 and n == R(1, 2)
    assert sp.simplify(res.exponents["t"].expr - (2 - 1 / alpha)) == 0


def test_continuity_at_boundaries_digest_fact5_11():
    for a in (sp.Integer(2), sp.Integer(4)):
        at_one = {co(alpha=a, beta=1, training=tr)[1] for tr in ("lazy", "rich")}
        assert at_one == {a / (1 + a)}
        for b in (1 - R(1, 100), 1 + R(1, 100)):
            assert abs(co(alpha=a, beta=b)[1] - a / (1 + a)) < R(1, 50)
        edge = 2 - 1 / a
        below = co(alpha=a, beta=edge)[1]
        above = co(alpha=a, beta=edge + R(1, 100))[1]
        assert below == 1 - 1 / (2 * a) == above


@pytest.mark.parametrize("a, b", [(R(3, 2), R(1, 3)), (2, R(1, 2)), (3, R(9, 10)), (R(5, 2), R(6, 5)),
                                  (2, R(7, 5)), (R(3, 2), R(5, 2)), (3, 4)])
def test_paquette_phases_I_II_III_from_their_terms(a, b):
    """Lazy results = Paquette et al. (2024) Phases I-III, derived from THEIR loss terms.

    In their notation (d parameters, r SGD steps, compute f = d r, alpha_P > 1/2):
    F_pp = r^-(2aP + 2bP - 1)/(2aP), K_pp = r^-(2 - 1/(2aP)), F_ac = d^-1 r^-(1 - 1/(2aP)) (only for
    2bP > 1), F_0 = d^-(2aP + min(0, 2bP - 1)).
    """
    aP, bP = paquette_parameters(a, b)
    d, r = N, t
    terms = [Term(1, {r: (2 * aP + 2 * bP - 1) / (2 * aP)}), Term(1, {r: 2 - 1 / (2 * aP)}),
             Term(1, {d: 2 * aP + sp.Min(0, 2 * bP - 1)})]
    if 2 * bP > 1:
        terms.append(Term(1, {d: 1, r: 1 - 1 / (2 * aP)}))
    theirs = ScalingLaw(terms).compute_optimal(d * r)
    ours = MODEL.analyze(alpha=a, beta=b, training="lazy").compute_optimal
    assert ours.loss.expr == theirs.loss_exponent
    assert ours.allocation["N"].expr == theirs.allocation[d]
    assert ours.allocation["t"].expr == theirs.allocation[r]


def test_regime_map_is_paquette_phase_map():
    for a, b in [(2, R(1, 2)), (2, R(6, 5)), (2, 2), (4, R(8, 5)), (4, R(9, 5)), (R(3, 2), R(7, 5))]:
        aP, bP = paquette_parameters(a, b)
        phase = "hard" if 2 * bP < 1 else ("easy" if bP < aP else "super-easy")
        assert classify(a, b) == phase
    assert classify(4, R(8, 5)) == "easy" and classify(4, R(9, 5)) == "super-easy"   # digest fact 8


def test_json_contract_and_boundary_notes():
    res = get_model("feature_learning").analyze(alpha=2, beta="1/2", training="lazy")
    j = json.loads(json.dumps(res.to_json()))
    assert j["model"] == "feature_learning" and j["regime"] == "hard"
    assert set(j["exponents"]) == {"t", "N", "P", "C"}
    assert j["exponents"]["C"]["expr"] == "1/3" and abs(j["exponents"]["C"]["value"] - 1 / 3) < 1e-15
    assert j["compute_optimal"]["cost"] == "N*t"
    assert any("t^-chi" in n and "->" in n for n in j["notes"])
    assert any("hard/easy boundary" in n for n in MODEL.analyze(alpha=2, beta=1).notes)
    assert any("easy/super-easy boundary" in n for n in MODEL.analyze(alpha=2, beta="3/2").notes)
    assert MODEL.analyze(alpha=2, beta=2).regime.name == "super-easy"
    assert MODEL.validate()["training"] == "rich"


def test_dominance_arrows():
    assert MODEL.dominance(MODEL.validate(alpha=2, beta=2), MODEL.regime(MODEL.validate(alpha=2, beta=2)))[0] \
        .startswith("B^-1")
    p = MODEL.validate(alpha=2, beta="6/5", optimizer="gf")
    assert [s.split(" (")[0] for s in MODEL.dominance(p, MODEL.regime(p))] == \
        ["t^-chi", "N^-1 t^-(1-1/alpha)", "N^-(alpha min(beta, 1))"]


@pytest.mark.parametrize("kw, match", [
    (dict(alpha=1, beta=0.5), "alpha must satisfy alpha > 1"),
    (dict(alpha="1/2"), "alpha"),
    (dict(alpha=2, beta=0), "beta must satisfy beta > 0"),
    (dict(alpha=2, beta=-1), "beta"),
    (dict(alpha=2, beta=0.5, training="medium"), "training must be one of lazy, rich"),
    (dict(alpha=2, beta=0.5, optimizer="adam"), "optimizer"),
    (dict(alpha=2, beta=0.5, regime="easy"), "contradicts"),
    (dict(alpha=2, beta="nan"), "beta"),
    (dict(), "regime"),
    (dict(alpha=2, gamma=1), "no parameter"),
])
def test_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        MODEL.analyze(**kw)


def test_exact_rationals_from_floats():
    res = MODEL.analyze(alpha=2.0, beta=0.3)
    assert res.compute_optimal.loss.expr == sp.Rational(2 * 2 * 3, 10) / (2 * sp.Rational(13, 10) + 2)
    assert res.exponents["t"].expr == sp.Rational(6, 13)


@pytest.mark.parametrize("b", ["1/3", "1/2", "6/5", "3/2", "2", "3"])
def test_lazy_gradient_flow_agrees_with_random_feature_model(b):
    """gamma = 0 with gradient flow is the random-feature model of issue 4 (independent implementation)."""
    rf = get_model("random_features").analyze(alpha=2, beta=b).to_json()
    fl = MODEL.analyze(alpha=2, beta=b, training="lazy", optimizer="gf").to_json()
    for key in ("t", "N", "P", "C"):
        assert fl["exponents"][key]["expr"] == rf["exponents"][key]["expr"]
    numbers = lambda res: {x: (q["expr"], q["value"]) for x, q in res["compute_optimal"]["allocation"].items()}  # noqa: E731
    assert numbers(fl) == numbers(rf)   # the quantities' notes name each model's own terms


def test_partially_symbolic_alpha_numeric_beta_symbolic():
    res = MODEL.analyze(alpha=2, regime="easy")
    assert sp.simplify(res.compute_optimal.loss.expr - 2 * beta / (2 * beta + 1)) == 0
    res = MODEL.analyze(alpha=2, regime="hard")
    assert sp.simplify(res.compute_optimal.loss.expr - 2 * beta / (beta + 2)) == 0
    assert MODEL.analyze(alpha=3, regime="super-easy").compute_optimal.loss.expr == R(5, 6)


@pytest.mark.parametrize("beta_value, regime", [("1/2", "super-easy"), ("1/2", "easy"), ("3", "hard")])
def test_numeric_beta_contradicting_regime_is_refused_even_with_symbolic_alpha(beta_value, regime):
    with pytest.raises(ValueError, match="contradicts beta"):
        MODEL.analyze(beta=beta_value, regime=regime)


def test_task_is_a_deprecated_alias_of_regime():
    with pytest.warns(DeprecationWarning, match="task is a deprecated alias of regime"):
        old = MODEL.analyze(alpha=2, task="easy")
    assert old.to_json() == MODEL.analyze(alpha=2, regime="easy").to_json()
    with pytest.raises(ValueError, match="another name of regime"), pytest.warns(DeprecationWarning):
        MODEL.analyze(alpha=2, task="easy", regime="hard")


def test_gradient_flow_notes_mention_no_sgd_noise_term():
    res = MODEL.analyze(alpha=2, beta="3/2", optimizer="gf")
    assert not any("1/B of the SGD-noise" in n for n in res.notes)
