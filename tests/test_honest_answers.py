"""Issue 28: answers that look confident without being so (the review's findings).

* A loss that does not vary cannot identify a law: `fit --law` exited 0 with a "degenerate fit" note where
  `plan` refused (exit 3); both now refuse it as bad input (exit 2, one line), as the one-resource fit does.
* `metric` on one-tailed data (the rising part of the sigmoid only) put x0 inside the data with a low ceiling
  (0.60 for a true 0.95) and no note; the ceiling (or chance level) is now named not identified when the fit
  with it at its bound is as good and puts x0 beyond the data (note, JSON `not_identified`, no intervals).
* `checks.json` params: one spelling per value -- an integer as a JSON integer, any other number as the string
  of its exact rational (beta was "0.5" in one row and "1/2" in another), never a float; labels as text.
"""
import json

import numpy as np
import pytest

from scalingtheory.cli import main
from scalingtheory.fitting.metric import fit_metric, link

LAW, COST = "E + A*N**-a + B*D**-b", "6*N*D"


@pytest.fixture
def flat_csv(tmp_path):
    rng = np.random.default_rng(0)
    N, D = np.exp(rng.uniform(np.log(1e6), np.log(1e9), 30)), np.exp(rng.uniform(np.log(1e8), np.log(1e11), 30))
    path = tmp_path / "flat.csv"
    path.write_text("N,D,loss\n" + "".join(f"{n:.6g},{d:.6g},2.5\n" for n, d in zip(N, D)))
    return str(path)


@pytest.mark.parametrize("args", [
    ["fit", "{csv}", "--y", "loss", "--law", LAW],
    ["fit", "{csv}", "--y", "loss", "--law", LAW, "--cost", COST, "--at-compute", "1e22"],
    ["plan", "{csv}", "--law", LAW, "--cost", COST, "--budget", "1e22", "--runs", "3", "--max-run-compute", "1e20"],
])
def test_a_constant_loss_is_refused_by_fit_and_plan_alike(args, flat_csv, capsys):
    status = main([a.format(csv=flat_csv) for a in args])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1, err
    assert "loss does not vary (2.5 to 2.5): a loss that does not vary cannot identify a law" in err


def _scores(lo, hi, seed, questions=500):
    """Accuracy of ``questions`` questions per run on 40 runs with losses in [lo, hi]: k = 5, x0 = 2.4, chance
    0.25, ceiling 0.9 (the data pass the midpoint only when lo < 2.4)."""
    rng = np.random.default_rng(seed)
    loss = np.sort(rng.uniform(lo, hi, 40))
    return loss, rng.binomial(questions, link(loss, 5.0, 2.4, 0.25, 0.9)) / questions


@pytest.mark.parametrize("seed", range(3))
def test_one_tailed_scores_name_the_ceiling_not_identified(seed, tmp_path, capsys):
    loss, acc = _scores(2.5, 3.2, seed)                     # above the midpoint's loss: the lower tail only
    path = tmp_path / "tail.csv"
    path.write_text("loss,acc\n" + "".join(f"{a:.17g},{b:.17g}\n" for a, b in zip(loss, acc)))
    assert main(["metric", str(path), "--x", "loss", "--y", "acc", "--bootstrap", "20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"ceiling", "x0", "k"} <= set(out["not_identified"]), out
    assert out["params"]["ceiling"]["hi"] is None and any("ceiling is not identified" in n for n in out["notes"])


def test_upper_tail_names_the_chance_and_two_tails_name_nothing():
    loss, acc = _scores(1.5, 2.25, 0)                        # below the midpoint's loss: the upper tail only
    assert fit_metric(loss, acc, bootstrap=0).not_identified == ("chance", "x0", "k")
    for seed in range(3):
        loss, acc = _scores(1.9, 3.2, seed)                  # both tails: identified, intervals kept
        m = fit_metric(loss, acc, bootstrap=20, seed=seed)
        assert m.not_identified == () and m.estimates()["ceiling"].hi is not None, m.notes


def obeys_the_params_rule(value) -> bool:
    """An int (not a bool), a label that is not a number, or the canonical ``"p/q"`` of a non-integer rational."""
    import sympy as sp

    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if not isinstance(value, str):
        return False
    try:
        exact = sp.Rational(value)
    except (TypeError, ValueError):
        return True                                   # a label: "rich", "1e-6 to 1e-10"
    return not exact.is_Integer and str(exact) == value


def test_every_declared_row_spells_its_params_by_the_rule():
    from scalingtheory.models import available, get_model
    from scalingtheory.models.engine import AgreementRow, DeclaredModel

    for name in available():
        model = get_model(name)
        for check in getattr(model, "checks", ()) if isinstance(model, DeclaredModel) else ():
            params = check.record_params()
            assert all(obeys_the_params_rule(v) for v in params.values()), (name, check.quantity, params)
    row = AgreementRow("r", 1.0, 1.0, 0.1, "w", params={"a": 0.5, "b": "0.5", "c": 2.0, "d": "1e-3", "e": "lazy"})
    assert row.params == {"a": "1/2", "b": "1/2", "c": 2, "d": "1/1000", "e": "lazy"}


@pytest.mark.slow
def test_a_quick_reports_rows_spell_their_params_by_the_rule(tmp_path):
    """Every row of a real quick report (64 rows: 151 strings and 65 integers before, with "0.5" beside "1/2")."""
    from scalingtheory.report import report

    report.build_report(tmp_path / "out", quick=True)
    rows = json.loads((tmp_path / "out" / "checks.json").read_text())
    bad = [(r["model"], r["check"], k, v) for r in rows for k, v in r["params"].items() if not obeys_the_params_rule(v)]
    assert rows and not bad, bad
