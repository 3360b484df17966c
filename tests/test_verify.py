"""verify says how it decided (issue 26, item 4): every option in --help, the time-out note only after a
time-out, a disproof named as a counterexample."""
import time

import pytest

from scalingtheory.cli import main
from scalingtheory.verify import verify


def test_constant_difference_is_a_counterexample_not_a_time_out():
    start = time.monotonic()
    res = verify("random_features", "exponents.t", "3/4", alpha=2, beta="1/2")
    assert not res.equal and res.method == "counterexample"
    assert res.counterexample["yours"] == "0.75" and res.counterexample["toolkit"] == "0.5"
    assert not any("no symbolic proof" in n for n in res.notes), res.notes
    assert "yours - toolkit = 1/4 exactly" in res.notes
    assert "method:  counterexample" in repr(res) and time.monotonic() - start < 4   # the budget is 4 s


def test_sampled_disproof_shows_its_point_and_does_not_wait_for_a_proof(monkeypatch):
    from scalingtheory import verify as v

    monkeypatch.setattr(v, "_symbolic_difference", lambda *a: time.sleep(60))   # a proof that never ends
    start = time.monotonic()
    res = v.verify("feature_learning", "exponents.t", "beta", points=4, regime="hard")
    assert res.method == "counterexample" and res.counterexample["regime"] == "hard"
    assert "counterexample (hard): alpha=" in repr(res) and not res.notes
    assert time.monotonic() - start < v.SYMBOLIC_BUDGET       # the counterexample decided


def test_equal_but_not_simplified_says_why_it_was_decided_numerically(monkeypatch):
    from scalingtheory import verify as v
    import sympy as sp

    monkeypatch.setattr(v, "_symbolic_difference", lambda *a: sp.Symbol("leftover"))
    res = v.verify("feature_learning", "exponents.t", "2*beta/(1+beta)", points=4, regime="hard")
    assert res.equal and res.method == "numeric"
    assert any(n.startswith("simplify leaves yours - toolkit = leftover, not 0") for n in res.notes), res.notes


def test_help_lists_every_option_and_regime_works(capsys):
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    text = capsys.readouterr().out
    for option in ("--model", "--quantity", "--regime", "--points", "--seed", "--json", "scalingtheory models",
                   "counterexample"):
        assert option in text, option
    assert main(["verify", "--model", "feature_learning", "--quantity", "exponents.t", "--regime", "hard",
                 "--points", "4", "2*beta/(1+beta)"]) == 0
    assert "method:  symbolic" in capsys.readouterr().out
    assert main(["verify", "--model", "bnsl", "--quantity", "exponents.x", "--regime", "hard", "1"]) == 2
    assert "unknown argument(s) --regime hard for model 'bnsl'" in capsys.readouterr().err


def test_a_constant_difference_below_the_numeric_tolerance_is_still_not_equal():
    """Review finding: 2*beta/(1+beta) + 1e-40 was EQUAL (exit 0), with the note 'yours - toolkit = 1e-40
    exactly' beside it (the points agree within TOLERANCE = 1e-30); a nonzero exact difference is a disproof."""
    res = verify("feature_learning", "exponents.t", "2*beta/(1+beta) + 1e-40", regime="hard")
    assert not res.equal and res.method == "symbolic", repr(res)
    assert any("exactly, within the numeric tolerance" in n for n in res.notes), res.notes
    assert not any("agrees only on part" in n for n in res.notes), res.notes
    same = verify("feature_learning", "exponents.t", "2*beta/(1+beta) + sqrt(2)*sqrt(3) - sqrt(6)", regime="hard")
    assert same.equal and same.method == "symbolic"
