"""Hostile inputs found in the review pass of the multi-resource fit, query and table commands.

Each case was wrong before its fix: a 10**9-replicate bootstrap ended in MemoryError (exit 3), a
1,000,000-run --law fit ran past 60 s, --delta inf fitted with exit 0 and 1e300 overflowed (exit 3),
``query ... loss_at --t -1`` without parameters blamed alpha and beta, ``table --points`` took a
duplicated name silently (the last won) and any number of points (100 points ran past 60 s).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from scalingtheory.commands.table import MAX_POINTS, parse_points
from scalingtheory.fitting import fit_law
from scalingtheory.fitting.law import MAX_BOOTSTRAP, MAX_RUNS
from scalingtheory.fitting.varpro import MAX_DELTA

LAW = "E + A*N**-a + B*D**-b"


def _runs(n, seed=0):
    rng = np.random.default_rng(seed)
    N, D = 10 ** rng.uniform(7, 10, n), 10 ** rng.uniform(9, 12, n)
    return {"N": N, "D": D, "loss": 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28}


def _cli(*args, cwd):
    env = dict(os.environ, PYTHONPATH=os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "scalingtheory", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr
    return proc


@pytest.mark.parametrize("bootstrap", [MAX_BOOTSTRAP + 1, 10**9, 1, -1])
def test_fit_law_bootstrap_bounded(bootstrap):
    with pytest.raises(ValueError, match="bootstrap must be 0 or an integer from 2 to"):
        fit_law(_runs(30), LAW, bootstrap=bootstrap)


def test_fit_law_too_many_runs_refused_before_the_search():
    with pytest.raises(ValueError, match=f"{MAX_RUNS + 1:,} runs; a fit takes at most"):
        fit_law(_runs(MAX_RUNS + 1), LAW, bootstrap=0)


@pytest.mark.parametrize("delta", [float("inf"), 1e300, float("nan"), 0.0, -1.0, MAX_DELTA * 1.5])
def test_fit_law_delta_bounded(delta):
    with pytest.raises(ValueError, match="delta must satisfy"):
        fit_law(_runs(30), LAW, bootstrap=0, delta=delta)


def test_fit_law_delta_at_the_limit_is_least_squares():
    """At delta = MAX_DELTA every log residual is inside the quadratic zone: same fit as loss='mse'."""
    data = _runs(40, seed=1)
    data["loss"] = data["loss"] * np.exp(np.random.default_rng(2).normal(0, 0.02, 40))
    huber = fit_law(data, LAW, bootstrap=0, delta=MAX_DELTA)
    mse = fit_law(data, LAW, bootstrap=0, loss="mse")
    assert np.allclose(huber.search.theta, mse.search.theta, rtol=1e-4)


def test_cli_fit_law_hostile_bootstrap_and_delta(tmp_path):
    data = _runs(30)
    rows = "\n".join(f"{n},{d},{y}" for n, d, y in zip(data["N"], data["D"], data["loss"]))
    (tmp_path / "runs.csv").write_text("N,D,loss\n" + rows + "\n")
    for extra in (["--bootstrap", "1000000000"], ["--bootstrap", "0", "--delta", "inf"]):
        proc = _cli("fit", "runs.csv", "--law", LAW, "--y", "loss", *extra, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv"]


def test_query_bad_resource_named_before_the_regime(tmp_path):
    """Without model parameters the answer splits by regime; a bad t must still be named as t."""
    proc = _cli("query", "--model", "random_features", "loss_at", "--t", "-1", cwd=tmp_path)
    assert proc.returncode == 2
    assert "t must be > 0, got -1" in proc.stderr


def test_table_points_duplicated_name_refused():
    with pytest.raises(ValueError, match="alpha given twice"):
        parse_points("alpha=2,alpha=3,beta=1")
    assert parse_points("alpha=2,beta=1; alpha=3") == [{"alpha": "2", "beta": "1"}, {"alpha": "3"}]


def test_table_points_count_bounded(tmp_path):
    many = ";".join(f"alpha={2 + i},beta=1/2" for i in range(MAX_POINTS + 1))
    with pytest.raises(ValueError, match=f"{MAX_POINTS + 1} points; a table takes at most {MAX_POINTS}"):
        parse_points(many)
    proc = _cli("table", "--points", many, cwd=tmp_path)
    assert proc.returncode == 2 and "at most" in proc.stderr


def test_fit_law_plot_title_typeset_and_drawn():
    """The figure's title was the law's Python text (``E + A*N**-a + ...``); now mathtext that renders."""
    import io

    data = _runs(30)
    data["params_total"], data["tokens"] = data.pop("N"), data.pop("D")
    fit = fit_law(data, "E + A*params_total**-a + B*tokens**-b", bootstrap=0)
    ax = fit.plot()
    title = ax.get_title()
    assert title.startswith("$") and "**" not in title and "tokens^{- b}" in title
    ax.figure.savefig(io.BytesIO(), format="png")   # mathtext draws it


def test_optimum_renders_in_jupyter_and_reprs_concisely():
    """``fit.optimum(at=...)`` (the README's workflow object) printed a dataclass dump and had no HTML."""
    pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter

    data = _runs(40, seed=3)
    data["loss"] = data["loss"] * np.exp(np.random.default_rng(4).normal(0, 0.02, 40))
    fit = fit_law(data, LAW, bootstrap=10, seed=0, cost="6*N*D")
    opt = fit.optimum(at=[1e24])
    text = repr(opt)
    assert text.startswith("Optimum(C = 6*D*N: N* ~ C^") and "Estimate(" not in text and len(text) < 120
    shown, _ = DisplayFormatter().format(opt)
    html = shown["text/html"]
    a, b = fit.estimates()["a"].value, fit.estimates()["b"].value
    assert f"{b / (a + b):.6g}" in html                 # N* exponent b/(a+b) from the fitted a, b
    assert "N* at C = 1e+24" in html and "L* at C = 1e+24" in html
    assert opt.report() in fit.report(at=[1e24])       # the fit's report shows the same block


@pytest.mark.parametrize("seed", [-1, 1.5, "0"])
def test_fit_law_seed_named(seed):
    """A negative seed ended in NumPy's 'expected non-negative integer', naming nothing."""
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        fit_law(_runs(30), LAW, bootstrap=2, seed=seed)
