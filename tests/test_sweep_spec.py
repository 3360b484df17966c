"""Sweep specs as hostile input, the directory rules, the bootstrap slope and the routes (no cluster)."""

import json
import math
import re

import numpy as np
import pytest

from scalingtheory.cli import main
from scalingtheory.sweep import load_spec
from scalingtheory.sweep.analysis import measure
from scalingtheory.sweep.routes import ROUTES
from scalingtheory.sweep.spec import MAX_TASKS
from scalingtheory.sweep.store import prepare

BASE = {"model": "random_features", "route": "exact", "grid": {"alpha": [2], "beta": ["1/2"]},
        "vary": {"N": [16, 32]}, "fixed": {"P": "inf", "t": "inf", "M": 200}, "seeds": [0, 1]}


def spec(**changes):
    out = json.loads(json.dumps(BASE))
    for key, value in changes.items():
        if value is None:
            out.pop(key)
        else:
            out[key] = value
    return out


BAD = [
    (spec(colour="red"), "unknown key 'colour'"),
    (spec(model="bnsl"), "no numeric route"),
    (spec(route="network"), "no route 'network'"),
    (spec(grid={"alpha": [2]}), "must give exactly alpha, beta"),
    (spec(grid={"alpha": ["1/2"], "beta": [1]}), "alpha must satisfy alpha > 1"),
    (spec(grid={"alpha": [2, 2.0], "beta": [1]}), "repeats a value"),
    (spec(grid={"alpha": [2], "beta": ["nan"]}), "beta must"),
    (spec(vary={"N": [32]}), "2 to 200 values"),
    (spec(vary={"N": [16.5, 32]}), "must be an integer"),
    (spec(vary={"N": [-16, 32]}), "must be > 0"),
    (spec(vary={"Q": [1, 2]}), "resources of route exact"),
    (spec(vary={"N": [16, 400]}), "N <= M"),
    (spec(fixed={"t": "inf", "M": 200}), "'fixed' must give P"),
    (spec(fixed={"P": "inf", "t": "inf", "M": 200, "gamma": 1}), "unknown key 'gamma' in 'fixed'"),
    (spec(fixed={"P": "inf", "t": "inf", "M": 0}), "M (number of feature modes (spectrum truncation)) must satisfy 1 <= M"),
    (spec(fixed={"P": "inf", "t": "soon", "M": 200}), "fixed t must be a number"),
    (spec(seeds=0), "seeds must be a list"),
    (spec(seeds=[1, 1]), "distinct integers"),
    (spec(seeds=True), "list of 1 to"),
    (spec(tolerance=float("inf")), "tolerance must be"),
    (spec(fit_range={"N": [16, 20]}), "at least two varied values"),
    (spec(route="dmft", fixed={"P": "inf", "t": "inf", "M": 200}, seeds=[0]), "does not support fixed t = inf (the DMFT loss"),
    (spec(route="dmft", fixed={"P": "inf", "t": 100, "M": 200}, seeds=[0, 1, 2]), "deterministic: give one seed"),
    (spec(grid={"alpha": list(range(2, 52)), "beta": [1, 2]}, vary={"N": list(range(1, 101))}, seeds=[0, 1]),
     f"more than {MAX_TASKS}"),
    (spec(vary={"N": [1000, 2000]}, fixed={"P": 10**6, "t": "inf", "M": 10**5}), "holds about"),
    (spec(model="feature_learning", route="mean_field", vary={"N": [8, 16]}, fixed={"t": "inf", "M": 100}),
     None),
    (spec(model="feature_learning", route="mean_field", vary={"t": [8, 16]}, fixed={"N": "inf", "M": 100}),
     None),
    (spec(model="feature_learning", route="mean_field", vary={"N": [8, 16]},
          fixed={"t": "inf", "M": 100, "gamma": -1}), "gamma (feature-learning strength (0: lazy)) must satisfy"),
]


@pytest.mark.parametrize("bad, message", BAD)
def test_bad_specs_are_refused_with_one_line(bad, message, tmp_path, capsys):
    if message is None:                                      # the control: valid specs of another route
        assert load_spec(bad).n_tasks == 4
        return
    with pytest.raises(ValueError, match=re.escape(message)):
        load_spec(bad)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(bad))
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, message", [
    ('{"model": "random_features", "model": "x"}', "repeats the key 'model'"),
    ('{"seeds": NaN}', "NaN"),
    ("[" * 100_000, "nested too deeply|not valid JSON"),
    ("\xff\xfe", "not UTF-8|not valid JSON"),
    ('{"seeds": 1e999}', "lacks"),
    pytest.param('{"seeds": [' + "9" * 5000 + "]}", "integer of 5000 characters", id="5000 digits"),  # was status 3
])
def test_hostile_files(text, message, tmp_path):
    from scalingtheory.cli import exit_status

    path = tmp_path / "spec.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ValueError, match=message) as info:
        load_spec(path)
    assert exit_status(info.value)[0] == 2


def test_large_sweeps_need_the_override():
    big = spec(grid={"alpha": [2, 3], "beta": [1]}, vary={"N": list(range(1, 101))}, seeds=list(range(60)))
    with pytest.raises(ValueError, match="--yes"):
        load_spec(big)
    assert load_spec(big, allow_large=True).n_tasks == 2 * 100 * 60


def test_spec_canonical_form_and_tasks():
    s = load_spec(spec(grid={"alpha": [2.0], "beta": [0.5, "3/2"]}, vary={"N": [32, 16]}))
    t = load_spec(spec(grid={"alpha": ["2"], "beta": ["1/2", 1.5]}, vary={"N": [16, 32]},
                       fixed={"P": "inf", "t": "inf"}, seeds=[0, 1]))
    assert s.canonical() != t.canonical()                    # M differs (200 vs the default 2000)
    u = load_spec(spec(grid={"alpha": ["2"], "beta": ["1/2", 1.5]}, vary={"N": [16, 32]}, seeds=[0, 1]))
    assert s.canonical() == u.canonical()
    tasks = s.tasks()
    assert len(tasks) == s.n_tasks == 2 * 2 * 2
    assert {(t["point"]["beta"], t["values"]["N"], t["seed"]) for t in tasks} == \
        {(b, n, k) for b in ("1/2", "3/2") for n in (16, 32) for k in (0, 1)}


def test_several_varied_resources_need_fixed_values():
    two = spec(vary={"N": [16, 32], "P": [50, 100]})
    with pytest.raises(ValueError, match="also when varied"):
        load_spec(two)
    s = load_spec(spec(vary={"N": [16, 32], "P": [50, 100]}, fixed={"N": 64, "P": "inf", "t": "inf", "M": 200}))
    values = [(t["resource"], t["values"]["N"], t["values"]["P"]) for t in s.tasks() if t["seed"] == 0]
    assert values == [("N", 16, math.inf), ("N", 32, math.inf), ("P", 64, 50), ("P", 64, 100)]


def test_directory_rules(tmp_path):
    s = load_spec(BASE)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="holds no sweep"):
        prepare(foreign, s, resume=True)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(ValueError, match="symlink"):
        prepare(link, s, resume=False)
    assert not (tmp_path / "elsewhere").exists()
    out = prepare(tmp_path / "run", s, resume=False)
    with pytest.raises(ValueError, match="pass --resume"):
        prepare(out, s, resume=False)
    assert prepare(out, s, resume=True) == out
    (out / "exponents.png").symlink_to(foreign / "notes.txt")  # never written through
    with pytest.raises(ValueError, match="symlink"):
        prepare(out, s, resume=True)
    (out / "exponents.png").unlink()
    other = load_spec(spec(seeds=[0, 1, 2]))
    with pytest.raises(ValueError, match="different spec"):
        prepare(out, other, resume=True)
    assert (foreign / "notes.txt").read_text() == "mine"


def test_measured_slope_and_bootstrap_against_numpy():
    rng = np.random.default_rng(1)
    x = np.array([16.0, 32, 64, 128, 256])
    L = x ** -1.3 * np.exp(0.05 * rng.standard_normal((6, x.size)))
    m = measure(x, L)
    assert m["value"] == pytest.approx(-np.polyfit(np.log(x), np.log(L.mean(axis=0)), 1)[0], rel=1e-12)
    assert m["lo"] < m["value"] < m["hi"] and m["hi"] - m["lo"] < 0.2
    one = measure(x, L[:1])                                  # one seed: a degenerate interval
    assert one["lo"] == pytest.approx(one["value"]) == pytest.approx(one["hi"])


def test_route_losses_match_the_solvers_they_wrap():
    """t = inf of the exact route is the gradient-flow end point; finite t is the solver's own value."""
    from scalingtheory.models import get_model
    from scalingtheory.numerics.rf_exact import draw

    rt = ROUTES[("random_features", "exact")]
    point = {"alpha": "2", "beta": "1/2"}
    for P in (math.inf, 300):
        vals = {"N": 40, "P": P, "t": math.inf, "M": 200}
        test, train = rt.evaluate(point, vals, 5)
        lam, w = get_model("random_features").eigenvalues_and_target(2, "1/2", 200)
        dr = draw(lam, w, 40, None if math.isinf(P) else 300, np.random.default_rng(5))
        late = dr.test_loss([1e9, 1e11])                     # the flow has converged by t = 1e9
        assert test == pytest.approx(late[1], rel=1e-6) and late[0] == pytest.approx(late[1], rel=1e-6)
        if train is not None:
            assert train == pytest.approx(dr.train_loss([1e11])[0], rel=1e-6, abs=1e-12)
        vals["t"] = 10.0
        assert rt.evaluate(point, vals, 5)[0] == dr.test_loss([10.0])[0]


def serial_result(spec_dict, out):
    """Analysis of a spec computed task by task in this process (the workers' code, without Dask)."""
    import pyarrow as pa

    from scalingtheory.sweep.analysis import analyze
    from scalingtheory.sweep.result import SweepResult, write_outputs
    from scalingtheory.sweep.run import execute

    s = load_spec(spec_dict)
    rows = [execute({"model": s.model, "route": s.route, **t}) for t in s.tasks()]
    table = pa.Table.from_pylist(rows)
    out.mkdir()
    exponents = analyze(s, table)
    write_outputs(out, exponents)
    return SweepResult(out, exponents, table)


def test_dmft_route_data_exponents_and_phase_plane(tmp_path):
    """r_P = alpha min(beta, 2) (written out here) from the DMFT route at N = inf, late t; 2-D grid map."""
    res = serial_result({"model": "random_features", "route": "dmft", "grid": {"alpha": [2, 3], "beta": ["1/2", "3/2"]},
                         "vary": {"P": [50, 100, 200, 400]}, "fixed": {"N": "inf", "t": 1e9, "M": 4000},
                         "seeds": [0], "tolerance": 0.1,
                         "tolerance_reason": "pre-asymptotic: P = 50..400 is below the asymptotic range"}, tmp_path / "out")
    for p in res.points:
        assert p["theory"]["P"] == p["alpha"] * min(p["beta"], 2) and p["verdict"] == "agree", p
    from scalingtheory.models import get_model                 # the same closed form as analyze() reports
    assert res.points[1]["theory_exact"]["P"] == str(get_model("random_features").analyze(
        alpha=2, beta="3/2").exponents["P"].expr) == "3"
    ax = res.plot()
    assert len(ax.images) == 1 and len(ax.texts) == 4          # phase-plane map, one label per cell
    assert (tmp_path / "out" / "exponents.png").read_bytes()[:4] == b"\x89PNG"
    assert all(row is not None for row in res.table.column("train_loss").to_pylist())  # finite P: a train loss


def test_sparse_parity_route_exponents(tmp_path):
    """Table 2 of Nam et al.: r_t = r_D = alpha/(alpha+1), r_N = alpha (written out), from the exact sums
    (one grid point: the model's analysis computes its prefactors at 30 digits, ~3 s)."""
    spec = {"model": "sparse_parity", "route": "exact", "grid": {"alpha": ["3/5"]},
            "vary": {"t": [1e3, 1e4, 1e5], "D": [1e3, 1e4, 1e5], "N": [10, 100, 1000]},
            "fixed": {"t": "inf", "D": "inf", "N": "inf", "n_s": 20000}, "seeds": [0], "tolerance": 0.15,
            "tolerance_reason": "pre-asymptotic: finite n_s and sizes 10..1e5 (the exact sums are deterministic)"}
    res = serial_result(spec, tmp_path / "out")
    for p in res.points:
        a = p["alpha"]
        assert p["theory"] == pytest.approx({"t": a / (a + 1), "D": a / (a + 1), "N": a}, rel=1e-15)
        assert p["verdict"] == "agree", p
    assert "alpha=3/5" in res.report() and len(res.plot(resource="N").lines) >= 1


def test_parts_are_unique_and_consolidate_in_task_order(tmp_path):
    """Rows from several part files (as from two interrupted runs) merge once each, in task order."""
    from scalingtheory.sweep.run import execute
    from scalingtheory.sweep.store import consolidate, load_rows, write_part

    s = load_spec(BASE)
    out = prepare(tmp_path / "run", s, resume=False)
    rows = [execute({"model": s.model, "route": s.route, **t}) for t in s.tasks()]
    first = write_part(out, rows[2:][::-1])
    second = write_part(out, rows[:3])                        # rows[2] twice: kept once
    assert first != second and len(list((out / "parts").iterdir())) == 2
    assert load_rows(out).num_rows == len(rows)
    table = consolidate(out, s)
    assert table.to_pylist() == rows and not list((out / "parts").iterdir())


def test_a_count_of_seeds_is_a_deprecated_alias_of_the_list():
    """``seeds`` is a list of seeds everywhere (scalingtheory.limits.SEEDS); a count n still reads as [0, ..., n-1]."""
    with pytest.warns(DeprecationWarning, match=r"seeds as a count \(3\) is deprecated"):
        old = load_spec(spec(seeds=3))
    assert old.seeds == (0, 1, 2) and old.canonical() == load_spec(spec(seeds=[0, 1, 2])).canonical()
