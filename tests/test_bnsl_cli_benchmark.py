"""`scalingtheory fit` CLI contract and the Revisiting-NSL loader / benchmark runner."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from scalingtheory.cli import main
from scalingtheory.models.bnsl import ADDITION_X, ADDITION_Y
from scalingtheory.display import markdown_table
from scalingtheory.fitting.revisiting import load_curves, run_benchmark, score_curve, summarize, table, win_shares

SUBSET = Path(__file__).parent / "data" / "revisiting_subset.csv"


def _write(path, rows, header=("size", "loss")):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def addition_csv(tmp_path):
    return _write(tmp_path / "add.csv", zip(ADDITION_X, ADDITION_Y))


def test_cli_json_contract(addition_csv, capsys, tmp_path):
    code = main(["fit", str(addition_csv), "--x", "size", "--y", "loss", "--breaks", "1", "--train-until", "736", "--predict",
                 "800,928", "--space", "log1p", "--json", "--plot", str(tmp_path / "p.png")])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["form"] == "bnsl" and set(out["params"]) == {"a", "b", "c0", "c1", "d1", "f1"}
    assert [r["x"] for r in out["predict"]] == [800.0, 928.0]
    assert all(r["lo"] < r["y"] < r["hi"] for r in out["predict"])
    assert out["n_test"] == 3 and out["rmsle_test"] < 0.011
    assert out["rmsle_train"] < 1e-3
    assert (tmp_path / "p.png").exists()


@pytest.mark.parametrize("form", ["m1", "m2", "m3", "m4", "power"])
def test_cli_other_forms(addition_csv, capsys, form):
    assert main(["fit", str(addition_csv), "--x", "size", "--y", "loss", "--form", form, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["form"] == ("m1" if form == "power" else form)


def test_cli_text_report(addition_csv, capsys):
    assert main(["fit", str(addition_csv), "--x", "size", "--y", "loss", "--breaks", "auto", "--train-until", "672"]) == 0
    assert "number of breaks" in capsys.readouterr().out


@pytest.mark.parametrize("args,message", [
    (["--x", "n"], "column 'n' not found"),
    (["--breaks", "two"], "--breaks must be"),
    (["--train-until", "100"], "leaves no fitting points"),
    (["--predict", "1,x"], "--predict values must be a finite number > 0, got 'x'"),
    (["--train-until", "200", "--breaks", "1"], "6 parameters but only 2"),
    (["--train-until", "200"], "needs at least 5 fitting points"),
])
def test_cli_bad_input_exits_2_without_output_file(addition_csv, capsys, tmp_path, args, message):
    base = {"--x": "size", "--y": "loss"}
    argv = ["fit", str(addition_csv)]
    for k, v in base.items():
        if k not in args:
            argv += [k, v]
    plot = tmp_path / "never.png"
    assert main(argv + args + ["--plot", str(plot)]) == 2
    assert message in capsys.readouterr().err
    assert not plot.exists() and list(tmp_path.glob("*.png")) == []


def test_cli_constant_and_nonpositive_data(tmp_path, capsys):
    const = _write(tmp_path / "c.csv", [(x, 1.0) for x in (1, 2, 3, 4, 5, 6, 7, 8)])
    assert main(["fit", str(const), "--x", "size", "--y", "loss"]) == 2
    assert "constant" in capsys.readouterr().err
    neg = _write(tmp_path / "n.csv", [(x, 1.0 / x) for x in (-1, 2, 3, 4, 5, 6, 7, 8)])
    assert main(["fit", str(neg), "--x", "size", "--y", "loss"]) == 2
    assert "size must be > 0" in capsys.readouterr().err
    bad = _write(tmp_path / "b.csv", [(1, "nan?"), (2, 1.0)])
    assert main(["fit", str(bad), "--x", "size", "--y", "loss"]) == 2
    assert "non-numeric" in capsys.readouterr().err


def test_subset_loader_sorted_deduplicated():
    curves = load_curves(SUBSET)
    assert [c.domain for c in curves] == ["IC", "IC", "IC", "NMT", "LM", "BB"]
    lm = curves[4]
    assert (lm.x_fit.size, lm.x_test.size) == (59, 60)  # unique points (digest §3.2)
    for c in curves:
        assert np.all(np.diff(c.x_fit) > 0) and np.all(np.diff(c.x_test) > 0)
        assert c.x_fit.max() < c.x_test.min()
    assert curves[3].x_test.size == 1


def test_win_shares_truncate_and_split_ties():
    recs = [{"results": {"a": {"rmsle": 0.0121}, "b": {"rmsle": 0.0129}, "c": {"rmsle": 0.5}}},
            {"results": {"a": {"rmsle": float("nan")}, "b": {"rmsle": 0.9}, "c": {"rmsle": 0.95}}}]
    assert win_shares(recs, ["a", "b", "c"]) == {"a": 0.25, "b": 0.75, "c": 0.0}


def test_score_subset_curves():
    curves = load_curves(SUBSET)
    recs = [score_curve(c, breaks=1) for c in curves[:2] + curves[3:4]]
    for r in recs:
        assert all(np.isfinite(v["rmsle"]) for v in r["results"].values())
    rows = summarize(recs)
    assert rows[-1]["domain"] == "all" and rows[-1]["curves"] == 3
    header, body = table(rows)
    assert body[0][:2] == ["IC", "2"] and "BNSL 95% coverage (delta / calibrated / backtest)" in header
    assert all(len(r) == len(header) for r in body) and "| IC | 2 |" in markdown_table(header, body)
    bt = [r["results"]["bnsl"]["coverage_bt"] for r in recs]
    assert all(0 <= v <= 1 for v in bt) and rows[-1]["bnsl_coverage_bt"] == pytest.approx(np.mean(bt))
    assert rows[-1]["bnsl_coverage_bt"] >= rows[-1]["bnsl_coverage"]  # max(delta, q D) is never narrower


def test_bands_only_for_the_forms_asked():
    """The report shows BNSL's band coverage only: the other forms' bands are skipped, nothing else changes."""
    import warnings

    curve = load_curves(SUBSET)[0]
    every = score_curve(curve, ("bnsl", "m4"), breaks=1)
    some = score_curve(curve, ("bnsl", "m4"), breaks=1, bands=("bnsl",))
    skip = ("seconds", "seconds_bt")
    assert {k: v for k, v in some["results"]["bnsl"].items() if k not in skip} == \
        {k: v for k, v in every["results"]["bnsl"].items() if k not in skip}
    m4 = some["results"]["m4"]
    assert m4["rmsle"] == every["results"]["m4"]["rmsle"] and m4["coverage"] == every["results"]["m4"]["coverage"]
    assert np.isnan(m4["coverage_cal"]) and np.isnan(m4["coverage_bt"]) and np.isfinite(every["results"]["m4"]["coverage_cal"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 'mean of empty slice' for the skipped bands
        row = summarize([some], ("bnsl", "m4"))[-1]
    assert np.isnan(row["m4_coverage_cal"]) and row["bnsl_coverage_cal"] == every["results"]["bnsl"]["coverage_cal"]


@pytest.mark.slow
def test_ic_benchmark_meets_published_bnsl_rmsle():
    curves = load_curves(domains=["IC"])  # packaged data
    recs = run_benchmark(curves, ("bnsl",), breaks=1, workers=2, progress=False)
    row = summarize(recs, ("bnsl",))[0]
    assert row["bnsl_rmsle"] <= 0.0406
    assert row["bnsl_s_per_curve"] + row["bnsl_s_per_curve_bt"] <= 5.0
    assert row["bnsl_coverage_bt"] >= 0.93  # measured 0.955 (derivations/bnsl.py section 7); delta band 0.53


def test_benchmark_script_writes_markdown_and_csv(tmp_path, capsys):
    import runpy

    script = Path(__file__).parents[1] / "benchmarks" / "bnsl_revisiting.py"
    main_fn = runpy.run_path(str(script), run_name="bnsl_benchmark")["main"]
    assert main_fn(["--data", str(SUBSET), "--out", str(tmp_path), "--workers", "1", "--quick"]) == 0
    md = (tmp_path / "bnsl_revisiting.md").read_text()
    assert "| IC | 1 |" in md and "CC BY 4.0" in md
    rows = list(csv.DictReader(open(tmp_path / "bnsl_revisiting.csv")))
    assert [r["domain"] for r in rows] == ["IC", "all"]
    per_curve = list(csv.DictReader(open(tmp_path / "bnsl_revisiting_curves.csv")))
    assert {r["form"] for r in per_curve} == {"bnsl", "m1", "m2", "m3", "m4"}


def test_cli_bootstrap_is_reproducible(addition_csv, capsys):
    argv = ["fit", str(addition_csv), "--x", "size", "--y", "loss", "--train-until", "736", "--predict", "928",
            "--bootstrap", "20", "--seed", "5", "--json"]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)["predict"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["predict"] == first
    assert first[0]["lo"] < first[0]["y"] < first[0]["hi"]


def test_cli_default_band_is_the_backtest_band(addition_csv, capsys):
    argv = ["fit", str(addition_csv), "--x", "size", "--y", "loss", "--train-until", "736", "--predict", "928", "--json"]
    assert main(argv) == 0
    band = json.loads(capsys.readouterr().out)
    assert main(argv + ["--backtest", "0"]) == 0
    delta = json.loads(capsys.readouterr().out)
    assert (band["interval"], delta["interval"]) == ("backtest", "delta")
    b, d = band["predict"][0], delta["predict"][0]
    assert b["y"] == d["y"] and b["lo"] <= d["lo"] and b["hi"] >= d["hi"]  # max(delta, q D): never narrower
    assert main(argv + ["--backtest", "-1"]) == 2
    assert "--backtest must be 0 or an integer from 1 to 1,000" in capsys.readouterr().err


def test_cli_backtest_falls_back_to_delta_with_few_points(tmp_path, capsys):
    few = _write(tmp_path / "few.csv", zip(ADDITION_X[:7], ADDITION_Y[:7]))  # 6 parameters: no prefix fit
    assert main(["fit", str(few), "--x", "size", "--y", "loss", "--breaks", "1", "--predict", "1000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["interval"] == "delta" and any("no backtest band" in n for n in out["notes"])
