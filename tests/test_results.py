import mpmath
import json

import sympy as sp

from scalingtheory.results import ComputeOptimalResult, ModelResult, Quantity, Regime
from scalingtheory.symbols import alpha, beta


def test_quantity_exact_value_latex_explain():
    q = Quantity("compute_optimal.loss", alpha * beta / (alpha + 1), "r_C", ("alpha > 1", "0 < beta < 1"), "hard",
                 ("log corrections at beta = 1",))
    assert q.value is None and "alpha" in repr(q)
    assert q.latex() == r"\frac{\alpha \beta}{\alpha + 1}"
    assert q._repr_latex_().startswith("$") and q._repr_latex_().endswith("$")
    text = q.explain()
    assert "regime: hard" in text and "beta = 1" in text and "0 < beta < 1" in text
    num = q.subs({alpha: 2, beta: sp.Rational(1, 2)})
    assert num.expr == sp.Rational(1, 3) and json.loads(json.dumps(num.to_json(), allow_nan=False)) == {
        "expr": "1/3", "value": 1 / 3, "notes": ["log corrections at beta = 1"]}   # the notes the text shows
    assert "notes" not in Quantity("x", sp.Integer(2)).to_json()
    assert mpmath.nstr(num.evalf(40), 40) == "0." + "3" * 40


def test_model_result_json_contract():
    q = lambda name, e: Quantity(name, e)
    co = ComputeOptimalResult("N*t", q("compute_optimal.loss", sp.Rational(1, 3)),
                              {"N": q("compute_optimal.allocation.N", sp.Rational(1, 3)),
                               "t": q("compute_optimal.allocation.t", sp.Rational(2, 3))})
    r = ModelResult("demo", {"alpha": sp.Integer(2), "training": "rich"}, Regime("hard", {beta: sp.Interval.open(0, 1)}),
                    {"t": q("exponents.t", sp.Rational(1, 2))}, co, {}, ["a note"])
    data = json.loads(json.dumps(r.to_json()))
    assert data == {
        "model": "demo", "params": {"alpha": {"expr": "2", "value": 2.0}, "training": "rich"}, "regime": "hard",
        "exponents": {"t": {"expr": "1/2", "value": 0.5}},
        "compute_optimal": {"cost": "N*t", "loss": {"expr": "1/3", "value": 1 / 3},
                            "allocation": {"N": {"expr": "1/3", "value": 1 / 3}, "t": {"expr": "2/3", "value": 2 / 3}},
                            "prefactors": {}},
        "prefactors": {}, "notes": ["a note"]}
    assert r["compute_optimal.allocation.t"].expr == sp.Rational(2, 3)
    assert "compute_optimal.allocation.N" in repr(r) and "0 < beta < 1" in repr(r)
    assert r._repr_latex_().startswith("$\\begin{array}")
