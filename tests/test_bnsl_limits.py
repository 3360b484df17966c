"""Issue 28 item 3 for the one-resource fit: every work knob bounded by scalingtheory.limits, refused before any work."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scalingtheory.cli import main
from scalingtheory.limits import LIMITS, check_count
from scalingtheory.fitting.curve import fit
from scalingtheory.fitting.forms import BNSL

X = np.logspace(1, 4, 20)
Y = 0.2 + 5 * X**-0.5


@pytest.fixture
def curve_csv(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in zip(X, Y)))
    return path


@pytest.mark.parametrize("option,value,message", [
    ("--bootstrap", "100000000", "--bootstrap must be 0 or an integer from 2 to 10,000"),
    ("--bootstrap", "1000000", "--bootstrap must be 0 or an integer from 2 to 10,000"),
    ("--bootstrap", "1", "--bootstrap must be 0 or an integer from 2 to 10,000"),
    ("--max-breaks", "1000000000", "--max-breaks must be an integer from 0 to 6"),
    ("--breaks", "1000000000", "--breaks must be an integer from 0 to 6"),
    ("--breaks", "7", "--breaks must be an integer from 0 to 6"),
    ("--breaks", "1_0", "--breaks must be 'auto' or an integer from 0 to 6"),
    ("--breaks", "\uff12", "--breaks must be 'auto' or an integer from 0 to 6"),   # full-width 2
    ("--backtest", "100000000", "--backtest must be 0 or an integer from 1 to 1,000"),
    ("--bootstrap", "1_000", "invalid int value"),            # int() alone reads 1_000 as 1000
    ("--max-breaks", "\u0662", "invalid int value"),          # Arabic-Indic 2
])
def test_cli_knob_out_of_range_exits_2_at_once(curve_csv, capsys, option, value, message):
    start = time.process_time()
    try:
        status = main(["fit", str(curve_csv), "--x", "x", "--y", "y", option, value])
    except SystemExit as exc:  # argparse's own refusal of a type
        status = exc.code
    assert status == 2
    assert message in capsys.readouterr().err
    assert time.process_time() - start < 2.0   # before any fit (a fit of this curve takes longer)


@pytest.mark.parametrize("kwargs,message", [
    ({"breaks": 10**9}, "breaks must be an integer from 0 to 6"),
    ({"bootstrap": 10**9, "interval": "bootstrap"}, "bootstrap must be 0 or an integer from 2 to 10,000"),
    ({"bootstrap": 10**9}, "bootstrap must be 0 or an integer from 2 to 10,000"),   # refused even when unused
    ({"max_breaks": 10**9}, "max_breaks must be an integer from 0 to 6"),
    ({"origins": 10**8}, "origins must be 0 or an integer from 1 to 1,000"),
    ({"n_starts": 10**9}, "n_starts must be an integer from 0 to 100"),
    ({"breaks": True}, "breaks must be an integer"),
    ({"breaks": 1.5}, "breaks must be an integer"),
])
def test_api_knob_out_of_range_is_a_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fit(X, Y, **kwargs)


def test_methods_and_form_are_bounded_too():
    res = fit(X, Y, breaks=0, interval=None)
    with pytest.raises(ValueError, match="n_boot must be 0 or an integer from 2 to 10,000"):
        res.bootstrap(10**9)
    with pytest.raises(ValueError, match="n_origins must be 0 or an integer from 1 to 1,000"):
        res.backtest(10**8)
    with pytest.raises(ValueError, match="breaks must be an integer from 0 to 6"):
        BNSL(10**9)


def test_bounds_are_inclusive_and_values_at_them_are_accepted():
    for name, bound in LIMITS.items():
        assert check_count(name, bound.high) == bound.high and check_count(name, bound.low) == bound.low
        with pytest.raises(ValueError, match=f"from {bound.low:,} to {bound.high:,}"):
            check_count(name, bound.high + 1)
    assert check_count("breaks", 3.0) == 3 and check_count("breaks", np.int64(2)) == 2
    # the largest count of breaks the table admits is one the fitter can start (7 has no start on its grid)
    xs = np.logspace(0, 4, 30)
    assert fit(xs, 0.1 + 3 * xs**-0.3, breaks=LIMITS["breaks"].high, interval=None).form.n == 6

OUT_OF_RANGE = st.one_of(st.integers(max_value=-1), st.integers(min_value=10_001, max_value=10**30),
                         st.sampled_from([1.5, float("nan"), float("inf"), -0.0001, 1e300, True, None, "3", "1_000",
                                          "\uff13", [2], 2 + 0j]))


@settings(max_examples=60, deadline=None)
@given(knob=st.sampled_from(["breaks", "bootstrap", "max_breaks", "origins", "n_starts"]), value=OUT_OF_RANGE)
def test_api_knobs_refuse_any_hostile_value_with_a_value_error_before_work(knob, value):
    """Every work knob of st.fit: a value outside its LIMITS row, of the wrong type or not integral is a ValueError
    naming the knob, raised before any fit (no TypeError, no OverflowError, no long run)."""
    start = time.process_time()
    with pytest.raises(ValueError, match=knob):
        fit(X, Y, **{knob: value})
    assert time.process_time() - start < 0.5
