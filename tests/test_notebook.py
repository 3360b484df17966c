"""Results in Jupyter: every result type renders through IPython's display formatter (issue 15, item 1)."""
import functools
import json
import math
import re

import numpy as np

import pytest
import sympy as sp

import scalingtheory as st
from scalingtheory.display import tex_name
from scalingtheory.fitting.synthetic import chinchilla_runs
from scalingtheory.results import Quantity
from scalingtheory.spectrum.compare import theory_meets_data
from scalingtheory.spectrum.datasets import load_teacher
from scalingtheory.symbols import D, N, alpha, beta
from scalingtheory.verify import verify


def _formats(obj) -> dict:
    """The MIME bundle IPython's display formatter builds for ``obj`` (what a notebook shows)."""
    core = pytest.importorskip("IPython.core.formatters")
    data, _ = core.DisplayFormatter().format(obj)
    return data


@functools.lru_cache(maxsize=1)
def _results():
    r = st.exponents("random_features", alpha=2, beta="1/2")
    x = np.logspace(1, 4, 20)
    curve = st.fit(x, 0.1 + 3 * x ** -0.4, breaks=0, interval="delta")
    law = st.fit_law(chinchilla_runs(30, seed=0, design="isoflop"), "E + A*N**-a + B*D**-b", y="loss",
                     cost="6*N*D", bootstrap=4, seed=0)      # what renders, not the interval's size
    X, y, _ = load_teacher(n=200)                  # 0.8 s (n = 300: 1.9 s); the same parts to render
    data = theory_meets_data(X, y, "linear", bootstrap=4, repeats=2)
    return {
        "ModelCatalog": st.models(),
        "Comparison": data,
        "SpectrumEstimate": data.estimate,
        "FitResult": curve,
        "FitPrediction": curve.predict([2e4, 5e4]),
        "FittedLaw": law,
        "Optimum": law.optimum(at=[1e23]),
        "ProfileResult": law.profile(["a"]),
        "QuantityMap": st.optimal("feature_learning", alpha=alpha, beta=beta, training="rich")["exponents.t"],
        "ModelResult": r,
        "Quantity": r["compute_optimal.loss"],
        "Regime": r.regime,
        "ComputeOptimalResult": r.compute_optimal,
        "ComputeOptimal": st.ScalingLaw.from_expr(N ** -sp.Rational(1, 3) + D ** -sp.Rational(1, 2),
                                                  [N, D]).compute_optimal(N * D),
        "ResultSet": st.optimal(alpha=2, beta="1/2"),
        "VerifyResult": verify("random_features", "exponents.t", "beta", alpha=2, beta="1/2"),
        "Answer": st.get_model("random_features").budget(C=10**8, alpha=2, beta="1/2"),
    }


#: the result types of :func:`_results` (named here: collecting the tests computes nothing)
NAMES = ("ModelCatalog", "Comparison", "SpectrumEstimate", "FitResult", "FitPrediction", "FittedLaw", "Optimum",
         "ProfileResult", "QuantityMap", "ModelResult", "Quantity", "Regime", "ComputeOptimalResult", "ComputeOptimal",
         "ResultSet", "VerifyResult", "Answer")


@pytest.mark.parametrize("name", NAMES)
def test_every_result_renders_in_jupyter(name):
    assert set(_results()) == set(NAMES)
    obj = _results()[name]
    data = _formats(obj)
    rich = {"text/html", "text/latex", "text/markdown"} & set(data)
    assert rich, f"{name} has no rich representation: {sorted(data)}"
    assert "\n" not in data["text/plain"] or name in ("ModelResult", "ResultSet", "VerifyResult", "QuantityMap",
                                                       "FitPrediction", "Comparison", "SpectrumEstimate",
                                                       "ModelCatalog")
    assert len(data["text/plain"]) < 3000
    for mime, method in (("text/latex", "_repr_latex_"), ("text/html", "_repr_html_"),
                         ("text/markdown", "_repr_markdown_")):
        assert mime in data or not hasattr(obj, method), f"{name}.{method} failed (IPython drops a raising formatter)"
    if "text/latex" in data:
        tex = data["text/latex"]
        assert tex.startswith("$") and tex.endswith("$") and tex.count("$") == 2
        assert "compute-optimal" not in tex
    if "text/html" in data:
        assert data["text/html"].startswith(("<table", "<h3", "<b>", "<div")) and "</table>" in data["text/html"]
        assert "array(" not in data["text/html"] and not re.search(r"\bnan\b", data["text/html"].lower())
    if hasattr(obj, "to_json"):
        json.dumps(obj.to_json(), allow_nan=False)


def test_model_result_latex_names_paths_as_written():
    r = st.exponents("random_features", alpha=2, beta="1/2")
    tex = r._repr_latex_()
    assert r"\mathrm{compute\_optimal.loss} & \frac{1}{3}" in tex
    assert r.latex() in tex and r.latex().startswith(r"\begin{array}")
    html = r._repr_html_()
    assert r"<td><code>compute_optimal.loss</code></td><td>\(\frac{1}{3}\)</td><td>0.333333</td>" in html
    assert r"| compute_optimal.allocation.t | $\frac{2}{3}$ | 0.666667 |" in r._repr_markdown_()


def test_names_upright_unless_math():
    assert [tex_name(n) for n in ("eta", "beta", "regime", "training", "x_small", "d1", "S")] == \
        [r"\eta", r"\beta", r"\mathrm{regime}", r"\mathrm{training}", r"x_{\mathrm{small}}", "d_{1}", "S"]
    r = st.exponents("feature_learning", alpha=2, beta="1/2", training="lazy")
    from scalingtheory.report import tables
    tex = tables.to_latex([r])
    assert r"$\mathrm{training}=\textrm{lazy}$" in tex and r"$\alpha=2$" in tex
    bnsl = st.exponents("bnsl")
    assert r"r_{x_{\mathrm{small}}}" in tables.to_latex([bnsl]) and "r_{x_small}" not in tables.to_latex([bnsl])


def test_quantity_is_a_number_where_one_is_meant():
    q = st.exponents("random_features", alpha=2, beta="1/2")["exponents.t"]
    assert float(q) == 0.5 and math.isclose(q, 0.5)
    assert q == 0.5 and q == sp.Rational(1, 2) and q != 0.4 and q < 1 and q >= 0.5 and not q > 0.5
    assert 2 * q == 1 and q + alpha == alpha + sp.Rational(1, 2) and (q * beta).free_symbols == {beta}
    assert sp.sympify(q) == sp.Rational(1, 2) and sp.Max(q, sp.Rational(1, 3)) == sp.Rational(1, 2)
    assert sorted([q, sp.Rational(1, 3)])[0] == sp.Rational(1, 3)
    symbolic = Quantity("exponents.t", alpha * beta)
    with pytest.raises(TypeError, match="depends on alpha, beta"):
        float(symbolic)
    with pytest.raises(TypeError, match="cannot decide"):
        symbolic < 1
    assert (symbolic.subs({alpha: 2, beta: sp.Rational(1, 4)})) == 0.5
    assert q != "1/2"  # text is not a number


def test_quantity_unit_shows_everywhere():
    q = Quantity("tau_emergence_3", sp.Rational(21, 2), "emergence time", unit="T (gradient-flow time)")
    assert "[T (gradient-flow time)]" in repr(q) and "(T (gradient-flow time))" in q.explain()
    assert q.to_json() == {"expr": "21/2", "value": 10.5, "unit": "T (gradient-flow time)"}
    assert q._repr_latex_().startswith(r"$\tau_{\mathrm{emergence\_3}} = \frac{21}{2}")
    assert "T (gradient-flow time)" in _formats(q).get("text/html", q._repr_html_())


def test_concise_reprs():
    res = _results()
    assert repr(res["ComputeOptimalResult"]) == "ComputeOptimalResult(C = N*t: r_C = 1/3, a_N = 1/3, a_t = 2/3)"
    assert repr(res["ComputeOptimal"]) == "ComputeOptimal(C = D*N: r_C = 1/5, a_D = 2/5, a_N = 3/5)"
    assert repr(res["Regime"]) == "Regime(hard (alpha > 1, 0 < beta <= 1))"
    sp_res = st.exponents("sparse_parity")
    assert all(len(line) < 120 for line in repr(sp_res).splitlines() if not line.startswith("note"))
    assert "polylog" in str(sp_res)  # the full exact forms stay in str() (what the CLI prints)


def test_verify_verdict_with_no_free_parameter_shows_the_point():
    r = verify("random_features", "compute_optimal.allocation.N", "1/2", alpha="3/2", beta="2/3")
    text = repr(r)
    assert "at the given point (alpha=3/2, beta=2/3; regime hard): differ: yours = 0.5, toolkit = 0.4" in text
    assert "random points" not in text and ": :" not in text
    free = verify("feature_learning", "compute_optimal.loss", "alpha*beta/(alpha+1)", points=8,
                  training="lazy", alpha=2)
    assert "random points" in repr(free) and "counterexample (" in repr(free)
    assert "counterexample (): " not in repr(free) and "beta=" in repr(free)
    assert r.latex() == r"\underbrace{\frac{1}{2}}_{\text{yours}} \neq \underbrace{\frac{2}{5}}_{\text{toolkit}}"
    assert r._repr_markdown_().startswith("**NOT EQUAL**")


def test_every_result_with_math_has_latex():
    res = _results()
    for name in ("ModelResult", "Quantity", "Regime", "ComputeOptimalResult", "ComputeOptimal",
                 "VerifyResult", "Answer", "FitResult", "FittedLaw", "QuantityMap"):
        tex = res[name].latex()            # math mode (no $), no Python syntax
        assert tex and "$" not in tex and "**" not in tex, name
    assert res["Quantity"].latex() == r"\frac{1}{3}"
    assert res["ComputeOptimalResult"].latex().startswith(r"C = N t:")   # "N*t" is not SymPy's N()
    assert r"\toprule" in res["ResultSet"].latex()    # a document table (booktabs), one per model
    assert res["FittedLaw"].latex().startswith("L = ") and "D^{" in res["FittedLaw"].latex()


def test_spectrum_parts_have_short_reprs_and_are_numbers():
    data = _results()["Comparison"]
    alpha_hat = data.estimate.alpha
    assert re.fullmatch(r"Exponent\(alpha = [\d.]+ \[[\d.]+, [\d.]+\], modes \d+\.\.\d+\)", repr(alpha_hat))
    assert float(alpha_hat) == alpha_hat.value
    curve = next(iter(data.measured.values()))
    assert repr(curve).startswith("LearningCurve(") and "array(" not in repr(curve) and len(repr(curve)) < 200
    prediction = next(iter(data.predicted.values()))
    assert repr(prediction).startswith("Prediction(") and float(prediction) == prediction.value


def test_estimates_are_numbers_with_a_short_repr():
    opt = _results()["Optimum"]
    n = opt.allocation["N"]
    assert repr(n).startswith("Estimate(b/(a + b) = 0.") and "[" in repr(n) and len(repr(n)) < 60
    assert float(n) == n.value and n.lo < float(n) < n.hi


def test_result_set_indexed_by_a_quantity_path():
    res = st.optimal("feature_learning", alpha=alpha, beta=beta, training="rich")
    t = res["exponents.t"]
    assert list(t) == ["hard", "easy", "super-easy"]       # one value per regime, named by the regime
    assert t["hard"].expr == 2 * beta / (1 + beta) and t["easy"].expr == beta
    assert t["hard"] is res[0]["exponents.t"] and res[0].regime.name == "hard"   # positions still work
    assert isinstance(res[1:], type(res)) and len(res[1:]) == 2
    assert "exponents.t by regime:" in repr(t) and "2*beta/(beta + 1)" in repr(t)
    assert t.to_json()["easy"] == {"expr": "beta", "value": None}
    with pytest.raises(TypeError, match=r"3 values, one per regime \(hard, easy, super-easy\); pick one"):
        float(t)
    with pytest.raises(KeyError, match="pick one of 'hard', 'easy', 'super-easy'"):
        t["medium"]
    with pytest.raises(KeyError, match="unknown quantity 'exponents.x'; available: exponents.t"):
        res["exponents.x"]
    # several models answer: named by model; one result: float() is its number
    both = st.optimal(alpha=2, beta="1/2")["compute_optimal.loss"]
    assert {k: v.expr for k, v in both.items()} == {"feature_learning": sp.Rational(2, 5),
                                                     "random_features": sp.Rational(1, 3)}
    assert float(st.optimal("random_features", alpha=2, beta="1/2")["exponents.t"]) == 0.5
