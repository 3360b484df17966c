"""One result protocol (issue 27.2): st.fit's FitResult and st.fit_law's FittedLaw answer the same calls --
report, predict, predict_interval, to_json, plot, latex and the Jupyter views -- and take the same argument names."""

import json
import warnings

import matplotlib
import numpy as np
import pytest

import scalingtheory as st
from scalingtheory.fitting.fitted import Fitted

matplotlib.use("Agg")

X = np.logspace(1, 4, 14)
NOISE = np.exp(0.02 * np.sin(7 * np.arange(X.size)))


def _curve():
    return st.fit(X, (0.5 + 3 * X**-0.4) * NOISE, form="m2", interval="bootstrap", bootstrap=20), X[-3:] * 10


def _law():
    data = {"N": X, "loss": (1 + X**-0.3) * NOISE}
    return st.fit_law(data, "E + A*N**-a", bootstrap=20, seed=0), {"N": X[-3:] * 10}


@pytest.mark.parametrize("make", [_curve, _law], ids=["st.fit", "st.fit_law"])
def test_both_fits_answer_the_result_protocol(make):
    from matplotlib.figure import Figure

    res, at = make()
    assert isinstance(res, Fitted)
    text = res.report()
    assert isinstance(text, str) and "[[Parameters]]" in text and res.explain() == text
    y = np.asarray(res.predict(at), float)
    yhat, lo, hi = (np.asarray(v, float) for v in res.predict_interval(at, 0.9))
    assert y.shape == yhat.shape == lo.shape == hi.shape == (3,)
    np.testing.assert_allclose(y, yhat)
    assert np.all(lo < yhat) and np.all(yhat < hi)          # a band of width > 0 around the prediction
    _, lo95, hi95 = (np.asarray(v, float) for v in res.predict_interval(at, 0.95))
    assert np.all(hi95 - lo95 > hi - lo)                      # a higher level is a wider band
    json.dumps(res.to_json(), allow_nan=False)                # strict JSON
    assert "<table" in res._repr_html_() and res._repr_latex_().startswith("$")
    ax = Figure().subplots()
    assert res.plot(ax) is ax and ax.get_legend_handles_labels()[1]


def test_st_fit_takes_bootstrap_like_fit_law_and_n_boot_is_a_deprecated_alias():
    y = (0.5 + 3 * X**-0.4) * NOISE
    new = st.fit(X, y, form="m2", interval="bootstrap", bootstrap=12, seed=3)
    with pytest.warns(DeprecationWarning, match="n_boot is deprecated; use bootstrap"):
        old = st.fit(X, y, form="m2", interval="bootstrap", n_boot=12, seed=3)
    np.testing.assert_array_equal(new.boot_theta, old.boot_theta)
    assert new.boot_theta.shape == (12, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                        # the new name warns about nothing
        st.fit(X, y, form="m1", interval="bootstrap", bootstrap=2)


def test_theory_results_report_and_explain_alike():
    r = st.exponents("feature_learning", alpha=2, beta="1/2", training="lazy")
    assert r.report() == r.explain() and "exponents.t" in r.report()
    assert r["exponents.t"].report() == r["exponents.t"].explain()
