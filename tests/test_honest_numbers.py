"""Issue 28: numbers too large to write out, and numbers typed beyond a float's range.

* Python refuses to convert an integer of more than 4300 digits to text; its words ("Exceeds the limit
  (4300 digits) for integer string conversion; use sys.set_int_max_str_digits()") reached `verify`'s notes and
  `exponent`'s error (exit 2, as if the input were bad) at alpha = 135/64, beta = 29/64, where dividing a
  term by its coefficient left SymPy an integer of 4428 digits (3**3547 * 5**3913). LaTeX of a compute-optimal
  prefactor at alpha = 279/64, beta = 311/64 formed an integer of 40,000 digits and ran 20 s.
* `plan --budget 1e99999999` said "got inf": every float option now quotes what was typed and says that it
  overflows (or underflows to 0); an integer option of 5,000 digits is quoted in a bounded line.
"""
import time

import pytest

from scalingtheory.cli import exit_status, main

DIGITS_ERROR = ("Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() "
                "to increase the limit")


def test_the_verify_reproducer_evaluates_every_point():
    from scalingtheory.verify import verify

    start = time.monotonic()
    res = verify("random_features", "exponents.t", "-alpha*beta", seed=1, alpha="135/64")
    assert time.monotonic() - start < 30
    text = " ".join(res.notes) + str(res.to_json())
    assert "could not be evaluated" not in text and "digits" not in text, text
    assert not res and res.counterexample is not None                 # -alpha*beta is not r_t


def test_the_exponent_reproducer_answers_with_bounded_text(capsys):
    assert main(["exponent", "--model", "random_features", "--alpha", "135/64", "--beta", "29/64"]) == 0
    out = capsys.readouterr().out
    assert "prefactors" in out and max(len(line) for line in out.splitlines()) < 2000


def test_a_prefactor_with_integers_of_thousands_of_digits_is_written_bounded(capsys):
    """At alpha = 513/64, beta = 65/64 SymPy's normal form of a width prefactor holds an integer of 5,600
    digits: the exact form keeps its numbers to 1000 digits (beyond, a 15-digit float, which its text shows)."""
    import json
    import re

    assert main(["exponent", "--model", "random_features", "--alpha", "513/64", "--beta", "65/64", "--json"]) == 0
    out = capsys.readouterr().out
    res = json.loads(out)
    assert max(len(line) for line in out.splitlines()) < 5000
    assert res["prefactors"]["P"]["value"] > 0 and re.match(r"\d\.\d+e-\d+\*", res["prefactors"]["P"]["expr"])


def test_latex_of_a_prefactor_at_large_denominators_is_quick():
    from scalingtheory.models import get_model

    res = get_model("random_features").analyze(alpha="279/64", beta="311/64")
    start = time.monotonic()
    tex = res["compute_optimal.prefactors.L"].latex()
    assert time.monotonic() - start < 2 and len(tex) < 1000, tex


def test_an_integer_too_long_to_write_is_a_failure_in_one_bounded_line():
    status, line = exit_status(ValueError(DIGITS_ERROR))
    assert status == 3 and "set_int_max_str_digits" not in line and "more than 4300 digits" in line


def test_verify_notes_never_carry_pythons_words(monkeypatch):
    from scalingtheory.models import get_model
    from scalingtheory.verify import verify

    model = get_model("random_features")
    real = type(model).analyze

    def analyze(self, **params):
        if params.get("beta") is not None and params["beta"] < 1:
            raise ValueError(DIGITS_ERROR)
        return real(self, **params)
    monkeypatch.setattr(type(model), "analyze", analyze)
    res = verify("random_features", "exponents.t", "alpha*beta", points=8, seed=1, alpha=2)
    note = next(n for n in res.notes if "could not be evaluated" in n)
    assert "more than 4300 digits" in note and "set_int_max_str_digits" not in note, note


@pytest.mark.parametrize("args, needle", [
    (["plan", "x.csv", "--law", "E+A*N**-a", "--cost", "6*N", "--runs", "3", "--max-run-compute", "1e20",
      "--budget", "1e99999999"],
     "argument --budget: must be a finite number > 0, got '1e99999999' (overflows: a float is at most 1.8e+308)"),
    (["plan", "x.csv", "--law", "E+A*N**-a", "--cost", "6*N", "--runs", "3", "--budget", "1e22",
      "--max-run-compute", "1e-99999"], "got '1e-99999' (underflows: the smallest nonzero float is 5e-324)"),
    (["plan", "x.csv", "--law", "E+A*N**-a", "--cost", "6*N", "--runs", "3", "--budget", "inf",
      "--max-run-compute", "1e20"], "argument --budget: must be a finite number > 0, got 'inf'"),
    (["fit", "x.csv", "--y", "loss", "--level", "1e99999"], "invalid float value: '1e99999' (overflows"),
    (["fit", "x.csv", "--x", "N", "--y", "loss", "--predict", "1,1e999"],
     "--predict values must be a finite number > 0, got '1e999' (overflows"),
    (["fit", "x.csv", "--y", "loss", "--law", "E+A*N**-a", "--cost", "6*N", "--at-compute", "1e400"],
     "--at-compute values must be a finite number > 0, got '1e400' (overflows"),
    (["metric", "x.csv", "--x", "loss", "--y", "acc", "--at", "1e-400"], "got '1e-400' (underflows"),
    (["verify", "--model", "random_features", "--quantity", "exponents.t", "--points", "9" * 5000, "beta"],
     "invalid int value: '" + "9" * 40 + "...' (more than 100 characters)"),
])
def test_a_number_beyond_range_is_quoted_as_typed(args, needle, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("N,loss,acc\n1,2,0.5\n")
    try:
        status = main(args)
    except SystemExit as exc:                  # argparse's refusal
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and len(err) < 400, err
    assert needle in err and "got inf" not in err, err
