import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from scalingtheory.params import Choice, Parameter, exact


@pytest.mark.parametrize("value, expected", [
    ("1/2", sp.Rational(1, 2)), (0.5, sp.Rational(1, 2)), (0.3, sp.Rational(3, 10)), (2, sp.Integer(2)),
    ("2", sp.Integer(2)), ("1e-3", sp.Rational(1, 1000)), (Fraction(2, 3), sp.Rational(2, 3)),
    (np.float64(0.25), sp.Rational(1, 4)), (np.int64(7), sp.Integer(7)), (sp.Rational(5, 7), sp.Rational(5, 7)),
    (" 3 / 4 ", sp.Rational(3, 4)), (sp.Float(0.125), sp.Rational(1, 8)),
])
def test_exact_keeps_rationals(value, expected):
    out = exact(value, "beta")
    assert out == expected and isinstance(out, sp.Rational)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "nan", "inf", "abc", "1/0", None, True, [1],
                                   "__import__('os')", "2**3", sp.nan, sp.oo, sp.Symbol("x") + 1,
                                   "\u0661", "1/\u0662", "\uff11", "1\u00a0/2"])  # Arabic-Indic 1, 2; fullwidth 1; NBSP
def test_exact_refuses_bad_values_naming_the_parameter(value):
    with pytest.raises(ValueError, match="beta"):
        exact(value, "beta")


def test_parameter_domain_error_names_range():
    alpha = Parameter("alpha", sp.Interval.open(1, sp.oo), 2)
    assert alpha.validate("3/2") == sp.Rational(3, 2)
    with pytest.raises(ValueError, match=r"alpha must satisfy alpha > 1, got 1$"):
        alpha.validate(1)
    beta = Parameter("beta", sp.Interval.open(0, sp.oo))
    with pytest.raises(ValueError, match=r"beta > 0"):
        beta.validate("-0.5")
    n = Parameter("n_s", sp.Interval(1, sp.oo), 5, integer=True)
    with pytest.raises(ValueError, match="integer"):
        n.validate(2.5)
    # a symbol passes through (symbolic analysis)
    assert alpha.validate(alpha.symbol) is alpha.symbol


def test_choice():
    c = Choice("training", ("lazy", "rich"), "rich")
    assert c.validate("lazy") == "lazy"
    with pytest.raises(ValueError, match="training must be one of lazy, rich"):
        c.validate("medium")


@pytest.mark.parametrize("value, needle", [("1e101", "alpha ~ 1e[+]101 is too large"), ("1e-400", "too small"),
                                           (10**101, "too large"), ("1/" + "3" * 40, "40 significant digits"),
                                           ("1" * 31 + "e10", "31 significant digits")])
def test_exact_refuses_numbers_with_too_many_digits(value, needle):
    with pytest.raises(ValueError, match=needle):
        exact(value, "alpha")
    assert exact("1e22", "d1") == sp.Integer(10) ** 22   # break locations of real curves stay accepted
    assert exact("1e40", "C") == sp.Integer(10) ** 40 and exact(10**40, "C") == sp.Integer(10) ** 40


# ---------------------------------------------------------------- one grammar of number text (params and the CLI)

from hypothesis import given, settings, strategies as st  # noqa: E402

from scalingtheory.number_text import NUMBER  # noqa: E402

NUMBER_LIKE = st.one_of(st.from_regex(NUMBER, fullmatch=True),
                        st.text(alphabet="0123456789.eE+-/ infatyoINF", max_size=14),
                        st.sampled_from(["-1/-2", "-1/.5", "-.5e-3/+2", "-1 / 2", "-1e", "-1/2/3", "-INF", "--1",
                                         "-1.e5", "-", "-/2", "- 1"]))


def _as_cli_value(text):
    """What the CLI's parser does with ``--c1 TEXT``: the value, or None when it takes TEXT for an option."""
    import argparse
    import contextlib
    import io

    from scalingtheory.commands import ArgumentParser
    parser = ArgumentParser(prog="t", exit_on_error=False)
    parser.add_argument("--c1")
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return parser.parse_args(["--c1", text]).c1
    except (argparse.ArgumentError, SystemExit):
        return None


@settings(max_examples=300, deadline=None)
@given(NUMBER_LIKE)
def test_params_and_the_cli_read_the_same_number_text(text):
    """A text params reads as a number reaches params from the CLI as a value. Since 49ae56d every text with
    one leading '-' but ``-h`` is a value too (a formula such as ``-alpha*beta``; params then refuses a
    non-number with a message naming the parameter, not argparse's "expected one argument"); a text
    starting with '--' is an option to the CLI and never a number to params. (Texts with a space are
    values to argparse whatever they hold.)"""
    try:
        exact(text, "c1")
        number = True
    except ValueError as exc:
        number = "must be a number such as" not in str(exc)       # a number refused for its size
    assert number == bool(NUMBER.match(text))
    if not text.startswith("-") or " " in text or len(text) < 2:
        return
    value = _as_cli_value(text)
    assert (value == text) == (not text.startswith("--") and text != "-h"), text
    if number:
        assert value == text
