"""``scalingtheory fit --law``: JSON contract, bad input (exit 2, one line), the one-resource warning, --plot."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from scalingtheory.fitting.synthetic import LAW, chinchilla_loss, chinchilla_runs

from cli_runner import cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args, cwd=None):
    return cli("fit", *args, cwd=cwd, timeout=300)


def write_csv(path, cols):
    names = list(cols)
    with open(path, "w") as fh:
        fh.write(",".join(names) + "\n")
        for row in zip(*cols.values()):
            fh.write(",".join(f"{v:.10g}" for v in row) + "\n")
    return path


@pytest.fixture(scope="module")
def runs_csv(tmp_path_factory):
    return write_csv(tmp_path_factory.mktemp("runs") / "runs.csv", chinchilla_runs(60, seed=11))


def test_json_contract(runs_csv):
    p = run(runs_csv, "--law", LAW, "--y", "loss", "--cost", "6*N*D", "--bootstrap", "30", "--seed", "2",
            "--at-compute", "1e24,1e25", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) == {"law", "n_points", "route", "params", "not_identified", "bootstrap", "compute_optimal", "rmsle_train",
                        "interval", "notes"}
    assert out["law"] == LAW and out["n_points"] == 60
    assert set(out["params"]) == {"E", "A", "B", "a", "b"}
    co = out["compute_optimal"]
    assert co["cost"] == "6*D*N" and co["allocation"]["N"]["expr"] == "b/(a + b)"
    assert [row["C"] for row in co["at"]] == [1e24, 1e25]
    assert co["at"][0]["N"]["lo"] < co["at"][0]["N"]["value"] < co["at"][0]["N"]["hi"]
    a, b = out["params"]["a"]["value"], out["params"]["b"]["value"]
    assert co["allocation"]["N"]["value"] == pytest.approx(b / (a + b), rel=1e-12)
    again = run(runs_csv, "--law", LAW, "--y", "loss", "--cost", "6*N*D", "--bootstrap", "30", "--seed", "2",
                "--at-compute", "1e24,1e25", "--json")
    assert again.stdout == p.stdout  # seeded


def test_text_report_and_plot(runs_csv, tmp_path):
    png = tmp_path / "fit.png"
    p = run(runs_csv, "--law", LAW, "--y", "loss", "--cost", "6*N*D", "--bootstrap", "10", "--plot", png)
    assert p.returncode == 0, p.stderr
    assert "[[Compute-optimal]]" in p.stdout and png.read_bytes()[:4] == b"\x89PNG"
    assert os.listdir(tmp_path) == ["fit.png"]
    (tmp_path / "link.png").symlink_to(png)
    again = run(runs_csv, "--law", LAW, "--y", "loss", "--bootstrap", "0", "--plot", tmp_path / "link.png")
    assert again.returncode == 2 and "symlink" in again.stderr and again.stdout == ""


@pytest.mark.parametrize("rows, args, message", [
    (4, ["--law", LAW], "too few points"),
    (30, ["--law", "E + A*P**-a"], "no symbol names a column"),
    (30, ["--law", LAW, "--at-compute", "1e24"], "needs --cost"),
    (30, ["--law", LAW, "--predict", "-1e3"], "--predict values must be a finite number > 0, got '-1e3'"),
    (30, ["--law", LAW, "--predict", "1e3,inf"], "--predict values must be a finite number > 0, got 'inf'"),
    (30, ["--law", LAW, "--predict", "1e3"], "--predict takes x values of a one-resource fit"),
    (30, ["--law", LAW, "--cost", "6*N*Q"], "not allowed"),
    (30, [], "give --x"),
    (30, ["--law", "__import__('os').system('true')"], "only calls of named functions are allowed"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, rows, args, message):
    csv = write_csv(tmp_path / "r.csv", chinchilla_runs(rows, seed=12))
    p = run(csv, "--y", "loss", "--bootstrap", "0", *args)
    assert p.returncode == 2 and message in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr


def test_group_resamples_runs_and_a_bad_group_exits_2(tmp_path):
    from scalingtheory.fitting.synthetic import chinchilla_curves

    csv = write_csv(tmp_path / "curves.csv", chinchilla_curves(10, 5, seed=4))
    p = run(csv, "--law", LAW, "--y", "loss", "--bootstrap", "6", "--seed", "1", "--group", "run", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["interval"].startswith("bootstrap over 10 groups of column 'run' (runs / curves), 6 resamples, seed 1")
    assert not any("look like training curves" in n for n in out["notes"])
    rows = run(csv, "--law", LAW, "--y", "loss", "--bootstrap", "6", "--seed", "1")
    assert rows.returncode == 0 and "resampled as independent runs" in rows.stdout
    assert "name each row's run with group= (--group COL)" in rows.stdout
    bad = run(csv, "--law", LAW, "--y", "loss", "--bootstrap", "6", "--group", "runs")
    assert bad.returncode == 2 and "group column 'runs' not found" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and bad.stdout == ""
    response = run(csv, "--law", LAW, "--y", "loss", "--bootstrap", "6", "--group", "loss")
    assert response.returncode == 2 and "group column 'loss' is the response y" in response.stderr
    assert len(response.stderr.strip().splitlines()) == 1 and response.stdout == ""


def test_non_positive_data_exits_2(tmp_path):
    d = chinchilla_runs(30, seed=13)
    d["D"][5] = 0.0
    p = run(write_csv(tmp_path / "r.csv", d), "--law", LAW, "--y", "loss", "--bootstrap", "0")
    assert p.returncode == 2 and "column 'D' must be > 0" in p.stderr


def test_one_resource_fit_warns_when_another_column_varies(tmp_path):
    N, D = (x.ravel() for x in np.meshgrid(np.logspace(7, 9, 6), np.logspace(9, 11, 5)))
    csv = write_csv(tmp_path / "sweep.csv", {"N": N, "D": D, "loss": chinchilla_loss(N, D)})
    p = run(csv, "--x", "N", "--y", "loss", "--form", "power", "--backtest", "0")
    assert p.returncode == 0, p.stderr
    assert "column 'D' varies among rows with the same N" in p.stderr and "--law" in p.stderr
    single = write_csv(tmp_path / "curve.csv", {"N": np.logspace(7, 9, 8), "loss": 2 + np.logspace(7, 9, 8) ** -0.3})
    q = run(single, "--x", "N", "--y", "loss", "--form", "power", "--backtest", "0")
    assert q.returncode == 0 and "warning" not in q.stderr


def test_import_scalingtheory_does_not_import_scipy():
    code = "import sys, scalingtheory as st; st.fit_law; print('scipy' in sys.modules, 'matplotlib' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": ROOT}
    out = subprocess.run([sys.executable, "-c", "import sys, scalingtheory; print('scipy' in sys.modules)"],
                         capture_output=True, text=True, env=env).stdout.split()
    assert out == ["False"]
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,   # SciPy too is
                          env=env).stdout.split() == ["False", "False"]                  # loaded by the fit


def test_cost_is_checked_before_the_fit_and_named(tmp_path):
    """Issue 28: --cost=-N*D reported answers after a ComplexWarning; a misspelt resource was refused only after
    the fit (issue 26) and without naming --cost."""
    csv = write_csv(tmp_path / "r.csv", chinchilla_runs(40, seed=13))
    for cost, message in (("-N*D", "cost (--cost) -D*N is not positive"),
                          ("6*N*Dd", "cost (--cost) '6*N*Dd': name 'Dd' is not allowed"),
                          ("6*N", "resource D is not in the cost 6*N: hold it")):
        p = run(csv, "--law", LAW, "--y", "loss", f"--cost={cost}", "--at-compute", "1e20")
        assert p.returncode == 2 and message in p.stderr and p.stdout == "", p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and "Warning" not in p.stderr


def test_kaplan_law_hold_and_holdout_from_the_shell(tmp_path):
    from scalingtheory.fitting.synthetic import DATA_CONSTRAINED_LAW, MUENNIGHOFF, law_runs

    csv = write_csv(tmp_path / "dc.csv", law_runs(DATA_CONSTRAINED_LAW, MUENNIGHOFF, 60, seed=4))
    p = run(csv, "--law", DATA_CONSTRAINED_LAW, "--y", "loss", "--cost", "6*N*D", "--hold", "U=3e9",
            "--at-compute", "1e21", "--holdout", "5", "--bootstrap", "10", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    co, h = out["compute_optimal"], out["holdout"]
    assert co["route"] == "numeric" and co["hold"] == {"U": 3e9} and co["at"][0]["N"]["value"] > 0
    assert h["k"] == 5 and len(h["rows"]) == 5 and set(h) == {"k", "by", "coverage", "rmsle", "rows"}
    bad = run(csv, "--law", DATA_CONSTRAINED_LAW, "--y", "loss", "--cost", "6*N*D", "--bootstrap", "0")
    assert bad.returncode == 2 and "--hold U=VALUE" in bad.stderr
    twice = run(csv, "--law", DATA_CONSTRAINED_LAW, "--y", "loss", "--cost", "6*N*D", "--hold", "U=3,U=4")
    assert twice.returncode == 2 and "--hold names U twice" in twice.stderr
    none = run(csv, "--law", DATA_CONSTRAINED_LAW, "--y", "loss", "--cost", "6*N*D", "--hold", "U=1e-300",
               "--at-compute", "1e21", "--bootstrap", "0", "--json")   # no interior optimum: could not decide
    assert none.returncode == 3 and json.loads(none.stdout)["compute_optimal"]["at"][0]["N"]["value"] is None
