"""A one-resource fit does not depend on the units of y (review finding: BNSL's c0 was 0.503 for a curve and 0.4
for the same curve times 1e-300, its floor at the optimiser's absolute tolerances): y and 1e-300 y and 1e300 y
give the same exponents, break locations and sharpnesses, and y-scaled parameters, standard errors, bands and
limit of predictability scaled by the factor."""

import numpy as np
import pytest

import scalingtheory as st

X = np.logspace(1, 4, 30)
Y = (0.2 + 5 * X**-0.5 * (1 + (X / 300) ** 2) ** -0.25) * np.exp(0.01 * np.random.default_rng(0).standard_normal(30))
#: the parameters in the units of y (the others are exponents, locations in x and sharpnesses)
IN_Y_UNITS = {"a", "b", "eps_inf", "beta"}


def _scaled_alike(base, other, factor, rtol):
    assert other.form.name == base.form.name and set(other.pinned) == set(base.pinned)
    for k, v in base.params.items():
        unit = factor if k in IN_Y_UNITS else 1.0
        assert other.params[k] / unit == pytest.approx(v, rel=rtol, abs=1e-12), k
        assert other.stderr[k] / unit == pytest.approx(base.stderr[k], rel=1e-3), k


@pytest.mark.parametrize("factor", [1e-300, 1e300])
def test_bnsl_fit_is_the_same_in_any_units_of_y(factor):
    base, other = st.fit(X, Y), st.fit(X, factor * Y)          # breaks chosen by BIC, backtest band
    _scaled_alike(base, other, factor, 1e-7)
    at = [3e4, 1e5]
    for a, b in zip(base.predict_interval(at), other.predict_interval(at)):
        np.testing.assert_allclose(np.asarray(b) / factor, a, rtol=1e-5)
    h0, h1 = (r.horizon(noise=1e-3, sharpness=0.3) for r in (base, other))
    assert h1.break_horizon == pytest.approx(h0.break_horizon, rel=1e-6)
    assert h1.identified_until == pytest.approx(h0.identified_until, rel=1e-6)


@pytest.mark.parametrize("form", ["m1", "m2", "m3"])
def test_revisiting_forms_are_the_same_in_any_units_of_y(form):
    base = st.fit(X, Y, form=form, interval="delta")
    for factor in (1e-300, 1e300):
        _scaled_alike(base, st.fit(X, factor * Y, form=form, interval="delta"), factor, 1e-7)


def test_the_ends_of_the_float_range():
    """y near the smallest normal float (working exponent -1024: 2**1024 overflowed in the change of units, 'Initial
    guess is outside of provided bounds') fits as y does; y too large for its covariance to be carried back
    (geometric mean beyond 2**1008, 1e303) is refused before fitting ('no number of breaks gave a finite
    selection score' before), as y below the smallest normal float is."""
    factor = 1e-305 / Y.min()
    _scaled_alike(st.fit(X, Y, breaks=0, interval="delta"), st.fit(X, factor * Y, breaks=0, interval="delta"),
                  factor, 1e-7)
    with pytest.raises(ValueError, match=r"y is too large to fit: .* rescale the column"):
        st.fit(X, 1e305 * Y)
