"""Issue 12: identifiable breaks, pinned-bound reporting, choosing the number of breaks, packaged data;
issue 16 item 5: warm-started backtest band; issue 15 item 2: ``st.fit``."""

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

import scalingtheory as st
from scalingtheory.cli import main
from scalingtheory.datasets import revisiting
from scalingtheory.datasets.revisiting import PACKAGE_DATA
from scalingtheory.fitting.curve import fit, rmsle, select_breaks
from scalingtheory.fitting.curve_result import UNIDENTIFIED_DECADES
from scalingtheory.fitting.forms import BNSL

SUBSET = Path(__file__).parent / "data" / "revisiting_subset.csv"


# -- packaged data --------------------------------------------------------------------------------------

def test_packaged_revisiting_data():
    curves = revisiting()
    counts = {d: sum(c.domain == d for c in curves) for d in ("IC", "NMT", "LM", "BB")}
    assert counts == {"IC": 72, "NMT": 5, "LM": 5, "BB": 10} and len(curves) == 92
    for c in curves:
        assert c.x.shape == c.y.shape == c.train.shape and c.train.dtype == bool
        assert np.all(np.diff(c.x) >= 0) and c.train.any() and (~c.train).any()
        assert c.x_fit.max() <= c.x_test.min()  # held-out points extrapolate
        assert isinstance(c.task, str) and isinstance(c.model, str)
    assert sum(c.x.size for c in curves if c.domain == "LM") == 229  # 916 rows, each repeated 4 times
    # the files are the unchanged originals: the digests in the data README (and references/bnsl.md section 0)
    readme = (PACKAGE_DATA / "README.md").read_text()
    assert "CC BY 4.0" in readme and "Alabdulmohsin" in readme
    for name in ("benchmark.vision.csv", "benchmark.lang.csv"):
        digest = hashlib.sha256((PACKAGE_DATA / name).read_bytes()).hexdigest()
        assert re.search(rf"{name} \| {digest}", readme)
    full = {c.key: c for c in curves}
    for c in revisiting(path=SUBSET):  # the test subset is a faithful copy
        np.testing.assert_array_equal(full[c.key].y_fit, c.y_fit)
        np.testing.assert_array_equal(full[c.key].x_test, c.x_test)


def test_environment_variable_overrides_the_packaged_copy(monkeypatch):
    monkeypatch.setenv("SCALINGTHEORY_REVISITING_DATA", str(SUBSET))
    assert len(revisiting()) == 6
    monkeypatch.setenv("SCALINGTHEORY_REVISITING_DATA", str(SUBSET.parent / "nowhere"))
    with pytest.raises(FileNotFoundError):
        revisiting()


def test_package_metadata_declares_the_data():
    import fnmatch

    tomllib = pytest.importorskip("tomllib")
    meta = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    patterns = meta["tool"]["setuptools"]["package-data"]["scalingtheory.datasets"]
    for name in ("benchmark.vision.csv", "benchmark.lang.csv", "README.md"):
        assert any(fnmatch.fnmatch(f"data/{name}", pat) for pat in patterns), name
    assert "CC BY 4.0" in meta["project"]["license"]["text"] and "Alabdulmohsin" in meta["project"]["license"]["text"]


# -- identifiable breaks --------------------------------------------------------------------------------

def _noisy(params, xs, noise, seed):
    form = BNSL(sum(k.startswith("d") for k in params))
    rng = np.random.default_rng(seed)
    return form.predict(form.theta_from_params(params), xs) * np.exp(noise * rng.standard_normal(xs.size))


ONE_BREAK = {"a": 0.02, "b": 3.0, "c0": 0.1, "c1": 0.5, "d1": 3e3, "f1": 0.3}


@pytest.mark.parametrize("criterion", ["bic", "validation", "aic"])
def test_no_break_beyond_the_fitting_range(criterion):
    """Issue 12's newcomer curve: one break, noisy, fitted up to 3e5. Whatever the count chosen, every break
    has at least d_edge = 2 fitting points beyond it, and the extrapolation to 2x is inside its band."""
    xs = np.logspace(1, np.log10(6e5), 40)
    ys = _noisy(ONE_BREAK, xs, 0.02, seed=3)
    train = xs <= 3e5
    res = fit(xs[train], ys[train], criterion=criterion, max_breaks=2)
    ux = np.unique(xs[train])
    for i in range(1, res.form.n + 1):
        assert res.params[f"d{i}"] <= ux[-3] * (1 + 1e-9)  # at least d_edge = 2 fitting points beyond it
    pred = res.predict(xs[~train])
    assert np.all(np.log10(pred.hi / pred.lo) < UNIDENTIFIED_DECADES)
    assert rmsle(pred, ys[~train]) < 0.05
    assert not any("not identified" in n for n in res.notes)


def test_a_break_only_beyond_the_data_is_not_used_to_extrapolate():
    """A sharp drop after the last point cannot be located: the default keeps the break inside (pinned at the
    edge, with a note); the opt-in ``d_margin`` rule may place it outside."""
    xs = np.logspace(1, 4, 30)
    truth = {"a": 0.0, "b": 2.0, "c0": 0.2, "c1": 3.0, "d1": 2e4, "f1": 0.1}  # break 2x beyond the data
    ys = _noisy(truth, xs, 0.0, seed=0)
    res = fit(xs, ys, breaks=1, interval=None)
    assert res.params["d1"] <= xs[-3] * (1 + 1e-9)
    assert res.pinned.get("d1", ("", 0))[0] == "upper" or res.params["c1"] < 0.05  # no steep drop invented
    assert res.predict([4e4])[0] > 0.5 * _noisy(dict(truth, c1=0.0), np.array([4e4]), 0.0, 0)[0]


# -- choosing the number of breaks ----------------------------------------------------------------------

CASES = [
    ({"a": 0.05, "b": 2.0, "c0": 0.4}, 0),
    (ONE_BREAK, 1),
    ({"a": 0.01, "b": 2.0, "c0": 0.05, "c1": 0.8, "c2": -0.5, "d1": 1e3, "d2": 1e5, "f1": 0.2, "f2": 0.2}, 2),
    ({"a": 0.01, "b": 2.0, "c0": 0.05, "c1": 0.8, "c2": -0.5, "c3": 0.6, "d1": 3e2, "d2": 1e4, "d3": 3e5,
      "f1": 0.2, "f2": 0.2, "f3": 0.2}, 3),  # the forward search must reach 3 (with 3 starts it found a worse optimum)
]


@pytest.mark.parametrize("params,n_true", CASES)
def test_default_selection_finds_the_true_count_and_extrapolates_as_well(params, n_true):
    xs = np.logspace(1, 7, 50)
    ys = _noisy(params, xs, 0.01, seed=n_true)
    train = xs <= 3e6
    res = fit(xs[train], ys[train], interval=None)
    assert res.form.n == n_true and res.criterion == "bic-one"
    true = fit(xs[train], ys[train], breaks=n_true, interval=None)
    assert rmsle(res.predict(xs[~train]), ys[~train]) <= 1.1 * rmsle(true.predict(xs[~train]), ys[~train])


def _plateaus(seed, m=19):
    """A BIG-bench-like curve: 1 - accuracy = 0.6 + 0.3 x^-0.5 on 19 log-spaced points, each point repeating the
    previous value with probability 0.45 (runs of equal values, as in BB), 0.3% noise."""
    rng = np.random.default_rng(seed)
    xs = np.geomspace(1.0, 50.0, m)
    ys = 0.6 + 0.3 * xs**-0.5
    for i in np.flatnonzero(rng.uniform(size=m) < 0.45):
        ys[i] = ys[i - 1] if i else ys[i]
    return xs, ys * np.exp(0.003 * rng.standard_normal(m))


@pytest.mark.parametrize("seed", [0, 5])
def test_breaks_with_no_point_between_them_are_not_eligible(seed):
    """Runs of repeated values make BIC take 3 breaks, in pairs with no fitting point between them (steps): the
    slope between such a pair is not observed, so the count is not eligible and the forward search stays at one
    break."""
    from scalingtheory.fitting.breaks import choose_breaks, scored_fit, unobserved_segment

    xs, ys = _plateaus(seed)
    fits = {n: scored_fit(n, xs, ys) for n in range(4)}
    bics = {n: f.information_criterion("bic") for n, f in fits.items()}
    assert choose_breaks(bics, "bic-one") == 3  # without the rule
    assert unobserved_segment(fits[2]) is not None and unobserved_segment(fits[1]) is None
    d = np.sort(fits[2].theta[5:7])
    assert np.sum((np.log(xs) > d[0]) & (np.log(xs) < d[1])) < fits[2].form.d_edge
    res = fit(xs, ys, interval=None)
    assert res.form.n == 1 and set(res.selection) == {0, 1, 2}  # 2 not eligible: the search stops, 3 is not fitted
    assert [res.selection[n] for n in range(3)] == pytest.approx([bics[n] for n in range(3)], abs=1e-9)
    assert any(n.startswith("2 breaks not eligible: fewer than 2 fitting points between breaks 1 and 2") for n in res.notes)
    assert unobserved_segment(fits[3]) is not None  # the fit BIC alone takes has such a pair too
    assert unobserved_segment(res) is None


def test_scores_line_names_its_criterion(capsys, tmp_path):
    xs = np.logspace(1, 5, 30)
    path = tmp_path / "c.csv"
    np.savetxt(path, np.column_stack([xs, _noisy(ONE_BREAK, xs, 0.01, 1)]), delimiter=",", header="n,loss",
               comments="")
    assert main(["fit", str(path), "--x", "n", "--y", "loss", "--backtest", "0"]) == 0
    out = capsys.readouterr().out
    assert "number of breaks by BIC of the log residuals" in out and "from one break, a break fewer or more" in out
    assert "lower is better: n=0:" in out and "n=2:" in out and "n=3:" not in out  # 1 -> 2 failed: 3 not fitted
    assert main(["fit", str(path), "--x", "n", "--y", "loss", "--criterion", "validation", "--json",
                 "--backtest", "0"]) == 0
    sel = json.loads(capsys.readouterr().out)["selection"]
    assert sel["criterion"] == "validation" and "validation RMSLE" in sel["text"] and set(sel["scores"]) == {"0", "1", "2", "3"}


def test_one_default_criterion_for_select_breaks_fit_and_the_cli():
    """``select_breaks``, ``fit`` and ``scalingtheory fit`` share DEFAULT_CRITERION (bic-one), and a bare
    ``select_breaks`` call selects by it: on a 2-break curve it picks what an explicit ``criterion="bic-one"``
    picks, with the same scores (BICs), while validation scores are RMSLEs of another scale."""
    import inspect

    from scalingtheory.commands.fit import configure
    from scalingtheory.fitting.curve_choices import DEFAULT_CRITERION

    assert DEFAULT_CRITERION == "bic-one"
    for func in (select_breaks, fit):
        assert inspect.signature(func).parameters["criterion"].default is DEFAULT_CRITERION
    import argparse

    parser = argparse.ArgumentParser()
    configure(parser)
    assert parser.parse_args(["c.csv", "--x", "x", "--y", "y"]).criterion is DEFAULT_CRITERION
    xs = np.logspace(1, 7, 50)
    xs, ys = xs[xs <= 3e6], _noisy(CASES[2][0], xs, 0.01, seed=2)[xs <= 3e6]  # as in the test above
    bare, explicit = select_breaks(xs, ys), select_breaks(xs, ys, criterion="bic-one")
    assert bare.criterion == "bic-one" and bare.form.n == explicit.form.n == 2
    assert bare.selection == explicit.selection and bare.selection[2] < bare.selection[1] - 2
    assert "BIC, forward from one break" in " ".join(bare.notes)
    assert max(select_breaks(xs, ys, criterion="validation").selection.values()) < 1 < -bare.selection[1]


def test_aicc_is_aic_with_the_small_sample_term():
    xs = np.logspace(1, 4, 14)
    res = fit(xs, _noisy(ONE_BREAK, xs, 0.01, 2), breaks=1, interval=None)
    m, p = 14, 6
    assert res.information_criterion("aicc") == pytest.approx(res.information_criterion("aic") + 2 * p * (p + 1) / (m - p - 1))
    assert fit(xs[:7], _noisy(ONE_BREAK, xs, 0.01, 2)[:7], breaks=1, interval=None).information_criterion("aicc") == np.inf
    with pytest.raises(ValueError, match="criterion must be"):
        select_breaks(xs, xs**-0.5, criterion="cv")


# -- pinned parameters and unidentified extrapolation ----------------------------------------------------

def test_pinned_floor_is_reported_in_text_json_and_cli(tmp_path, capsys):
    xs = np.logspace(1, 4, 20)
    ys = 3.0 * xs**-0.4 * np.exp(-0.01 * np.log(xs) ** 2)  # log-log slope steepens: the best floor a is 0
    res = fit(xs, ys, breaks=0, interval=None)
    assert res.pinned["a"] == ("lower", 0.0)
    assert "a = 0 (lower bound: no floor)" in " ".join(res.notes)
    assert "[at lower bound]" in res.report()
    assert res.to_json()["pinned"] == {"a": {"bound": "lower", "value": 0.0}}
    path = tmp_path / "p.csv"
    np.savetxt(path, np.column_stack([xs, ys]), delimiter=",", header="x,y", comments="")
    assert main(["fit", str(path), "--x", "x", "--y", "y", "--breaks", "0", "--json", "--backtest", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pinned"]["a"]["bound"] == "lower" and any("pinned" in n for n in out["notes"])


def test_band_wider_than_two_decades_is_flagged(tmp_path, capsys):
    xs = np.logspace(1, 2, 9)
    ys = _noisy({"a": 0.0, "b": 2.0, "c0": 0.3}, xs, 0.05, seed=5)
    path = tmp_path / "w.csv"
    np.savetxt(path, np.column_stack([xs, ys]), delimiter=",", header="x,y", comments="")
    assert main(["fit", str(path), "--x", "x", "--y", "y", "--breaks", "0", "--predict", "1e6", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = out["predict"][0]
    assert row["lo"] is None or np.log10(row["hi"] / row["lo"]) > UNIDENTIFIED_DECADES
    assert any(n.startswith("extrapolation not identified by the data at x >= 1e+06") for n in out["notes"])
    json.dumps(out, allow_nan=False)  # strict JSON
    narrow = fit(xs, ys, breaks=0)
    assert narrow.extrapolation_note([150.0]) is None


# -- warm-started backtest (issue 16 item 5) -------------------------------------------------------------

def test_warm_started_backtest_matches_the_cold_one():
    curve = revisiting(path=SUBSET, domains=["IC"])[0]
    res = fit(curve.x_fit, curve.y_fit, breaks=1, interval=None)
    warm = res.backtest().backtest_errors.copy()
    cold = res.backtest(warm=False, n_starts=3).backtest_errors
    np.testing.assert_array_equal(warm[:, [0, 2]], cold[:, [0, 2]])  # same origins and distances
    # each warm prefix fit is a least-squares optimum as good as the cold multi-start's: same extrapolation errors
    assert np.median(np.abs(warm[:, 1] - cold[:, 1])) < 0.1 * np.median(np.abs(cold[:, 1]))
    q_warm = res.backtest().backtest_quantile()
    assert q_warm == pytest.approx(res.backtest(warm=False, n_starts=3).backtest_quantile(), rel=0.25)


# -- long curves: bin means, then all points (issue 12) ---------------------------------------------------

def test_long_curve_is_fitted_through_bin_means_to_the_same_optimum(monkeypatch):
    """20,000 linearly spaced steps (most of them at large x): the bin-mean route ends at the least-squares
    optimum of all points, i.e. the direct fit's, to 1e-6 in every parameter and prediction."""
    import scalingtheory.fitting.curve_result as fitting

    xs = np.linspace(10.0, 1e6, 20_000)
    ys = _noisy(ONE_BREAK, xs, 0.02, seed=7)
    binned = fit(xs, ys, breaks=1)
    assert binned.bins is not None and binned.bins[0].size <= fitting.MAX_POINTS and binned.bins[2].sum() == xs.size
    assert binned.x.size == xs.size and any("bin means" in n for n in binned.notes)
    assert np.isfinite(binned.backtest_errors).all() and binned.interval == "backtest"
    monkeypatch.setattr(fitting, "MAX_POINTS", 10**9)
    direct = fit(xs, ys, breaks=1, interval=None)
    assert direct.bins is None
    for k, v in direct.params.items():
        assert binned.params[k] == pytest.approx(v, rel=1e-6, abs=1e-9), k
    np.testing.assert_allclose(binned.predict([2e6, 4e6]), direct.predict([2e6, 4e6]), rtol=1e-6)
    assert binned.cost == pytest.approx(direct.cost, rel=1e-9)


def test_weighted_fit_equals_the_fit_of_repeated_points():
    """A weight w on a point is the same least-squares problem as w copies of it (the bin-count weights)."""
    from scalingtheory.fitting.least_squares import solve

    xs = np.logspace(1, 5, 25)
    ys = _noisy(ONE_BREAK, xs, 0.02, seed=8)
    w = np.arange(1, 26) % 3 + 1.0
    weighted = solve(BNSL(1), xs, ys, 4, w=w)
    repeated = solve(BNSL(1), np.repeat(xs, w.astype(int)), np.repeat(ys, w.astype(int)), 4)
    np.testing.assert_allclose(weighted.theta, repeated.theta, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(np.diag(weighted.cov), np.diag(repeated.cov), rtol=1e-4)  # s^2 = sum w r^2 / (sum w - p)


# -- st.fit (issue 15 item 2) ----------------------------------------------------------------------------

def test_st_fit_from_dataframe_columns():
    pd = pytest.importorskip("pandas")
    from matplotlib.figure import Figure

    xs = np.logspace(1, 5, 30)
    df = pd.DataFrame({"tokens": xs, "val loss": _noisy(ONE_BREAK, xs, 0.01, 4)})
    res = st.fit(df["tokens"], df["val loss"])
    assert res.names == ("tokens", "val loss") and res.interval == "backtest"
    pred = res.predict([1e6, 2e6])
    assert pred.shape == (2,) and np.all((pred.lo < pred) & (pred < pred.hi)) and pred.method == "backtest"
    assert isinstance(pred * 2, np.ndarray) and not hasattr(pred * 2, "lo")  # derived arrays carry no band
    assert pred.to_json()[0].keys() == {"x", "y", "lo", "hi"} and "95% backtest band" in repr(pred)
    ax = Figure().add_subplot()
    assert res.plot(ax) is ax and ax.get_xlabel() == "tokens" and ax.get_ylabel() == "val loss"
    text = res.report()
    assert "interval method: backtest" in text and "[[Parameters]]" in text and len(text.splitlines()) < 25
    assert repr(res).startswith("FitResult(bnsl") and len(repr(res)) < 200
    assert "<table>" in res._repr_html_() and "tokens" not in repr(res)
    json.dumps(res.to_json([1e6]), allow_nan=False)
    lists = st.fit(list(xs), list(df["val loss"]), names=("N", "L"), interval="delta")
    assert lists.names == ("N", "L") and lists.predict([1e6]).method == "delta"


#: Relative tolerance of "no worse than one break" in a domain: where the default also takes one break, its fit and
#: the one-break fit reach the same least-squares cost to 12 digits by two optimiser paths (the chosen count is
#: refined again from its scored fit), and their end points in a flat valley give held-out RMSLEs that differ by up
#: to 3e-8 relative (NMT, measured; the sign flipped when the Jacobian's rounding changed); a different number of
#: breaks moves a domain mean by 2e-3 relative or more (LM).
SAME_OPTIMUM_RTOL = 1e-6


@pytest.fixture(scope="module")
def revisiting_default_vs_one_break():
    """All 92 curves: ``{domain: [(default fit's held-out RMSLE, one break's, default band's coverage)]}``
    (computed once for the two slow tests below)."""
    by_domain = {}
    for c in revisiting():
        auto = fit(c.x_fit, c.y_fit)
        one = fit(c.x_fit, c.y_fit, breaks=1, interval=None)
        pred = auto.predict(c.x_test)
        cover = np.mean((c.y_test >= pred.lo) & (c.y_test <= pred.hi))
        by_domain.setdefault(c.domain, []).append((rmsle(pred, c.y_test), rmsle(one.predict(c.x_test), c.y_test), cover))
    return by_domain


@pytest.mark.slow
def test_default_fit_on_all_revisiting_curves_meets_issue_12_targets(revisiting_default_vs_one_break):
    """All 92 curves, default fit (forward bic-one search over 0-3 breaks, warm backtest band): IC mean RMSLE
    <= 0.0406 (BNSL's own figure on this benchmark), no worse than one break in NMT, 95% band coverage of the
    held-out points within 10 points of nominal overall and in every domain. The target not met (no worse than
    one break in every domain) is the xfail test below."""
    by_domain = revisiting_default_vs_one_break
    auto_mean, one_mean, _ = np.mean(by_domain["NMT"], axis=0)
    assert auto_mean <= one_mean * (1 + SAME_OPTIMUM_RTOL)
    assert np.mean([r[0] for r in by_domain["IC"]]) <= 0.0406
    for dom, rows in by_domain.items():
        assert abs(np.mean([r[2] for r in rows]) - 0.95) <= 0.10, dom
    coverage = np.mean([r[2] for rows in by_domain.values() for r in rows])
    assert abs(coverage - 0.95) <= 0.10


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 12 target not met in LM (derivations/bnsl.py section 8.3): mean held-out "
                   "RMSLE default / one break LM 0.000837 / 0.000835 (two 11-12-point curves take zero breaks, one gaining "
                   "and one losing 0.00069); met in BB 0.0085 / 0.0092, IC 0.0398 / 0.0401 and NMT (equal)")
def test_default_fit_no_worse_than_one_break_in_every_revisiting_domain(revisiting_default_vs_one_break):
    """Issue 12: on Revisiting, auto no worse than one break in any domain (per-domain mean held-out RMSLE)."""
    worse = {dom: np.mean(rows, axis=0)[:2].round(6).tolist() for dom, rows in revisiting_default_vs_one_break.items()
             if np.mean([r[0] for r in rows]) > np.mean([r[1] for r in rows]) * (1 + SAME_OPTIMUM_RTOL)}
    assert not worse, f"domains where the default is worse than one break (default, one break): {worse}"
