"""Safe parsing: whitelisted names and functions only; dangerous input refused fast with a clear error."""
import time

import pytest
import sympy as sp

from scalingtheory.parsing import FormulaError, parse_formula
from scalingtheory.symbols import alpha, beta


@pytest.mark.parametrize("text, expected", [
    ("2*beta/(1+beta)", 2 * beta / (1 + beta)),
    ("alpha^2", alpha**2),
    ("2*beta^2", 2 * beta**2),
    ("min(beta, 2)*alpha", alpha * sp.Min(beta, 2)),
    ("alpha*beta/(alpha+1)", alpha * beta / (alpha + 1)),
    ("0.5*beta", beta / 2),
    ("zeta(alpha+1)", sp.zeta(alpha + 1)),
    ("sqrt(2)*pi", sp.sqrt(2) * sp.pi),
    ("-(1 - 1/alpha)", -(1 - 1 / alpha)),
])
def test_valid_formulas(text, expected):
    assert sp.simplify(parse_formula(text) - expected) == 0


def test_custom_names():
    x = sp.Symbol("x", positive=True)
    assert parse_formula("x**2", {"x": x}) == x**2
    with pytest.raises(FormulaError, match="name 'alpha' is not allowed"):
        parse_formula("alpha", {"x": x})


@pytest.mark.parametrize("text, match", [
    ("().__class__", "Attribute"),
    ("beta.__class__.__mro__", "Attribute"),
    ("__import__('os')", "'__import__' is not allowed"),
    ("__builtins__", "'__builtins__' is not allowed"),
    ("import os", "cannot parse"),
    ("lambda: 1", "Lambda"),
    ("[x for x in ()]", "ListComp"),
    ("beta[0]", "Subscript"),
    ("'text'", "only numbers"),
    ("open('f')", "'open' is not allowed"),
    ("exec('1')", "'exec' is not allowed"),
    ("sqrt(x=2)", "keyword"),
    ("(lambda x: x)(1)", "Lambda"),
    ("beta if beta else 1", "IfExp"),
    ("beta < 1", "Compare"),
    ("9**9**9**9", "too large"),
    ("10**100000", "too large"),
    ("(1+beta)**10**8", "too large"),
    ("2**-10**9", "too large"),
    ("1/0", "division by zero"),
    ("", "empty"),
    ("1e999", "not finite"),
    ("-" * 200 + "1", "nested too deeply"),
    ("beta" + "+beta" * 2000, "too long"),
])
def test_refused_quickly_with_clear_error(text, match):
    start = time.perf_counter()
    with pytest.raises(FormulaError, match=match):
        parse_formula(text)
    assert time.perf_counter() - start < 0.5


def test_formula_error_is_value_error():
    assert issubclass(FormulaError, ValueError)
    with pytest.raises(FormulaError, match="string"):
        parse_formula(42)


@pytest.mark.parametrize("text", ["gamma_fn(10**7)", "zeta(2*10**5)", "exp(exp(exp(10)))", "exp(exp(exp(exp(10))))"])
def test_growing_functions_of_huge_numbers_are_refused(text):
    start = time.perf_counter()
    with pytest.raises(FormulaError, match="numeric argument too large"):
        parse_formula(text)
    assert time.perf_counter() - start < 0.5


def test_growing_functions_of_symbols_are_fine():
    assert parse_formula("exp(-beta) + zeta(alpha + 1) + gamma_fn(1/2)") == \
        sp.exp(-beta) + sp.zeta(alpha + 1) + sp.sqrt(sp.pi)


def test_gamma_call_is_eulers_gamma_and_stays_bounded():
    """SymPy prints Euler's Gamma as gamma(x) (the toolkit's prefactors do): a call of gamma reads as
    gamma_fn, the bare name stays the feature-learning strength, and the growth bound still applies."""
    from scalingtheory.symbols import gamma

    assert parse_formula("gamma(2/3)*gamma") == sp.gamma(sp.Rational(2, 3)) * gamma
    start = time.monotonic()
    with pytest.raises(FormulaError):
        parse_formula("gamma(10**100)")
    assert time.monotonic() - start < 1


# ---------------------------------------------------------------- one bound for exact substitution

@pytest.mark.parametrize("text, values, why", [
    ("exp(1000*alpha)", {alpha: 3}, "10^1303"),                     # a value beyond 10**1000
    ("(2*beta)**(999*alpha)", {alpha: 7}, "2**6993"),              # 2105 digits from the base's factor
    ("(sqrt(2)/sqrt(3))**(alpha**alpha)", {alpha: 5}, "exponent 3125"),   # 2**1562 inside, value 1e-275
    ("(beta + 1)**(alpha**alpha)", {alpha: 5}, "exponent 3125"),    # the parser's limit on a symbolic base
])
def test_substitute_is_the_one_bound_for_exact_values(text, values, why):
    """parsing.substitute holds every bound of an exact substitution (verify's symbolic step, queries and
    BNSL predictions use it); exact_or_numeric falls back to 30 digits where it refuses."""
    from scalingtheory.parsing import BoundError, exact_or_numeric, substitute
    from scalingtheory.verify import _symbolic_difference
    expr = parse_formula(text)
    start = time.process_time()
    with pytest.raises(BoundError):
        substitute(expr, values)
    with pytest.raises(BoundError):           # verify's symbolic step: the same refusal, not its own
        _symbolic_difference(expr, values, beta)
    if not expr.free_symbols - set(values):
        value, notes = exact_or_numeric(expr, values)
        assert value.is_Float and "exact form is too large" in notes[0]
    assert time.process_time() - start < 2, why


def test_substitute_keeps_what_fits_exact():
    from scalingtheory.parsing import substitute
    assert substitute(parse_formula("2**(333*alpha)"), {alpha: 3}) == sp.Integer(2) ** 999   # 301 digits
    assert substitute(parse_formula("(beta + 1)**(alpha*100)/alpha"), {alpha: 10}) == (beta + 1) ** 1000 / 10
