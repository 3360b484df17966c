"""Issue 28 item 7: the Python API's numeric keyword arguments under hostile numbers.

``st.fit``, ``st.fit_law``, ``st.sweep``, a model's ``loss_at`` and ``budget`` and ``st.optimal``: every value
either works or raises ``ValueError`` (bad input) or ``TypeError`` (not a number at all), within a bound.

The strategies are bounded so that any draw finishes quickly, whatever Hypothesis version draws them (a fresh
venv installs a newer one that draws other examples): integers are either small (0 to 3, quick when valid) or
outside every bound of :data:`scalingtheory.limits.LIMITS` (negative, or above 10**6), never a valid but large
count (``bootstrap=10_000`` is valid and takes minutes). Examples are derandomized and few (about 10 s CPU).
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scalingtheory as st_
from scalingtheory.limits import LIMITS
from test_fuzz import _bounded_call      # a result, or ValueError/TypeError, within its bound

CI = settings(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
#: the largest bound of a count (grid_points); every larger integer is refused before any work
LARGEST_BOUND = max(b.high for b in LIMITS.values())

hostile = st.one_of(
    st.sampled_from([0, 1, 2, 3]),
    st.integers(max_value=-1), st.integers(min_value=LARGEST_BOUND + 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([True, False, None, "3", "1_000", "\uff11", "", 2.5, 3.0, -0.0, 1e-320, 1e300, [3], {"n": 1},
                     np.int64(2), np.float64("nan"), complex(1, 1)]))


@pytest.fixture(scope="module")
def curve():
    x = np.geomspace(1e3, 1e6, 20)
    return x, 2.0 * x ** -0.3 * (1 + 0.01 * np.sin(np.arange(20)))


@pytest.fixture(scope="module")
def runs():
    from scalingtheory.fitting.synthetic import chinchilla_runs
    return chinchilla_runs(20, seed=0, noise=0.01)


@settings(CI, max_examples=30)
@given(name=st.sampled_from(["breaks", "n_starts", "up_bound", "max_breaks", "bootstrap", "seed", "origins",
                             "break_margin"]), value=hostile)
def test_fit_keywords(curve, name, value):
    base = {"breaks": 0, "n_starts": 2, "interval": None}
    base["interval"] = {"bootstrap": "bootstrap", "origins": "backtest"}.get(name)
    if name == "up_bound":
        base["form"] = "m4"
    if name == "max_breaks":
        base["breaks"] = "auto"
    _bounded_call(lambda: st_.fit(*curve, **{**base, name: value}))


def test_a_fit_without_starts_is_bad_input(curve):
    """Found by test_fit_keywords: n_starts=0 (valid for warm-started backtest refits) gave st.fit no start at all."""
    with pytest.raises(ValueError, match="n_starts must be an integer from 1"):
        st_.fit(*curve, breaks=0, n_starts=0, interval=None)


@settings(CI, max_examples=25)
@given(name=st.sampled_from(["delta", "bootstrap", "seed", "level", "n_starts", "grid_points", "holdout"]),
       value=hostile)
def test_fit_law_keywords(runs, name, value):
    base = {"bootstrap": 0, "n_starts": 2, "grid_points": 200}
    _bounded_call(lambda: st_.fit_law(runs, "E + A*N**-a + B*D**-b", **{**base, name: value}))


class _Started(Exception):
    """The local cluster would start here: the arguments were accepted."""


@settings(CI, max_examples=15)
@given(name=st.sampled_from(["workers", "M", "seeds", "N"]), value=hostile)
def test_sweep_keywords(tmp_path_factory, name, value):
    from unittest import mock

    spec = {"model": "random_features", "route": "exact", "grid": {"alpha": [2], "beta": ["1/2"]},
            "vary": {"N": [8, 16]}, "fixed": {"P": "inf", "t": "inf", "M": 64}, "seeds": [0, 1]}
    kwargs = {"progress": False}
    if name == "workers":
        kwargs["workers"] = value
    elif name == "M":
        spec["fixed"]["M"] = value
    elif name == "N":
        spec["vary"]["N"] = [8, value]
    else:
        spec["seeds"] = value
    out = tmp_path_factory.mktemp("sweep") / "out"
    with mock.patch("dask.distributed.LocalCluster", side_effect=_Started):
        try:
            _bounded_call(lambda: st_.sweep(spec, out, **kwargs), bound=10.0)
        except _Started:
            pass


@settings(CI, max_examples=20)
@given(question=st.sampled_from(["loss_at", "budget"]), resource=st.sampled_from(["t", "N", "P", "C"]),
       value=hostile)
def test_query_keywords(question, resource, value):
    from scalingtheory.models import get_model

    model = get_model("random_features")
    if question == "budget":
        args = {"C": value}
    else:
        args = {"t": 1e3, "N": 1e3, resource: value} if resource != "C" else {"t": value}
    _bounded_call(lambda: getattr(model, question)(**args, alpha=2, beta="1/2"))


@settings(CI, max_examples=15)
@given(alpha=hostile, beta=hostile)
def test_optimal_takes_any_pair(alpha, beta):
    _bounded_call(lambda: [r.to_json() for r in st_.optimal("random_features", alpha=alpha, beta=beta)])

