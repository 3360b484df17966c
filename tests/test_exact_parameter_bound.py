"""A rational model parameter with a huge numerator or denominator enters prefactors as a 30-digit float
(limits.MAX_EXACT_PARAMETER): ``exponent``/``verify`` at ``alpha = 123456789/98765432`` never returned
(SymPy extracting perfect roots of ``c_1**(alpha beta)``); exponents stay exact rationals."""
import signal

import pytest
import mpmath

import scalingtheory as st
from scalingtheory.cli import main

ALPHA = "123456789/98765432"


@pytest.fixture
def within_30_s():
    def hang(*_):
        raise TimeoutError("no answer within 30 s")
    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_huge_rational_parameters_answer_with_exact_exponents_and_float_prefactors(within_30_s, capsys):
    assert main(["exponent", "--model", "random_features", "--alpha", ALPHA, "--beta", "1/3"]) == 0
    assert "41152263/222222221" in capsys.readouterr().out          # r_C = alpha beta / (alpha + 1), exact
    res = st.exponents("random_features", alpha=ALPHA, beta="1/3")
    a_n = res.to_json()["prefactors"]["N"]["value"]
    alpha = 123456789 / 98765432
    c1 = mpmath.pi / (alpha * mpmath.sin(mpmath.pi / alpha))       # A_N = c_1^(alpha beta) pi / (alpha sin(pi beta))
    assert a_n == pytest.approx(float(c1 ** (alpha / 3) * mpmath.pi / (alpha * mpmath.sin(mpmath.pi / 3))), rel=1e-12)
    assert main(["verify", "--model", "random_features", "--quantity", "prefactors.N", "--alpha", ALPHA,
                 "--beta", "1/3", "1"]) == 1
