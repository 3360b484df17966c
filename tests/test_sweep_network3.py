"""Sweep route feature_learning/network3: the three-layer circle network of issue 23 through the sweep engine.

Independent of the route's code: the losses are the direct ``circle_three_layer.train`` runs of the same seeds
(a task restarts from step 0, and with the same seed it walks the same SGD path, so a sweep over t reads one
trajectory per seed), and the exponent is the slope written out here with NumPy on those direct runs.
"""

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scalingtheory.cli import main
from scalingtheory.numerics import circle_three_layer as c3
from scalingtheory.numerics.circle_network import circle_target
from scalingtheory.sweep import load_spec
from scalingtheory.sweep.routes import LAZY_GAMMA, ROUTES, route
from scalingtheory.sweep.spec import MAX_SIZE

ROOT = Path(__file__).resolve().parents[1]
BASE = {"model": "feature_learning", "route": "network3", "grid": {"alpha": [2], "beta": ["1/2"]},
        "vary": {"t": [10, 20]}, "fixed": {"N": 4, "features": 32, "gamma": 0.3, "eta": 0.25, "batch": 3,
                                           "modes": 15}, "seeds": [0, 1]}


def spec(fixed=None, **changes):
    out = json.loads(json.dumps(BASE))
    out["fixed"].update(fixed or {})
    out.update(changes)
    return out


def test_the_route_is_a_direct_three_layer_run_of_the_same_seed():
    """Every setting reaches train() in its own place: N and features, gamma, eta and batch differ, so a mix-up
    changes the loss (checked: the swapped call gives another number)."""
    s = load_spec(spec())
    task = next(t for t in s.tasks() if t["values"]["t"] == 20 and t["seed"] == 1)
    loss, train = route("feature_learning", "network3").evaluate(task["point"], task["values"], task["seed"])
    target = circle_target(2.0, 0.5, 15)
    direct = c3.train(target, 4, 32, 0.3, 20, 0.25, 3, seeds=(1,), n_records=2, progress=False)
    swapped = c3.train(target, 32, 4, 0.3, 20, 0.25, 3, seeds=(1,), n_records=2, progress=False)
    assert train is None and loss == direct.losses[0, -1] and loss != swapped.losses[0, -1]
    assert 0 < loss < 1                                      # f = 0 at step 0 has loss Var y = 1: it learned
    centred = next(t for t in load_spec(spec({"centres": 8})).tasks() if t["values"]["t"] == 20 and t["seed"] == 1)
    on_centres = c3.train(target, 4, 32, 0.3, 20, 0.25, 3, seeds=(1,), n_records=2, progress=False, centres=8)
    assert route("feature_learning", "network3").evaluate(centred["point"], centred["values"], 1)[0] == \
        on_centres.losses[0, -1] != loss                    # the super-easy rows' first layer reaches train()
    theory = route("feature_learning", "network3").theory_params
    assert [theory({"gamma": g})["training"] for g in (1e-3, LAZY_GAMMA, 0.3)] == ["lazy", "lazy", "rich"]


BAD = [
    ({"N": 1}, "middle width N >= 2"),
    ({"features": 1}, "features (first-layer units M (frozen random steps)) must satisfy 2 <= features"),
    ({"features": 10**7}, "features <= 1e+06"),
    ({"gamma": 1e-300}, "gamma ~ 1e-300 is too small"),
    ({"gamma": 0}, "gamma (richness"),
    ({"batch": 0}, "batch (fresh angles per step) must satisfy 1 <= batch"),
    ({"modes": 2048}, "modes <= 2047"),
    ({"N": "inf"}, "does not support fixed N = inf (a trained network has a finite width"),
    ({"N": 10**4, "features": 10**4}, f"more than {MAX_SIZE:.0e}"),
    ({"centres": 5}, "centres dividing features = 32 (or 0: random centres), got 5"),
    ({"M": 100}, "unknown key 'M' in 'fixed' of route network3; allowed: N, t, gamma, eta, batch, modes, features, "
                 "centres"),
]


@pytest.mark.parametrize("fixed, message", BAD + [(None, "finite number of steps"), (None, "at least 2 seeds")])
def test_bad_inputs_exit_2_with_one_line(fixed, message, tmp_path, capsys):
    bad = spec(fixed) if fixed else spec(vary={"t": [10, "inf"]}) if "steps" in message else spec(seeds=[0])
    with pytest.raises(ValueError, match=re.escape(message)):
        load_spec(bad)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(bad))
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and message in err
    assert not (tmp_path / "out").exists()


def _small_spec(ts):
    return spec({"N": 8, "features": 256, "gamma": 1e-3, "eta": 0.5, "batch": 16, "modes": 63},
                vary={"t": ts}, seeds=[0, 1, 2])


def _serial(spec_dict):
    """``(rows, exponents.json)`` of a spec computed task by task in this process (the workers' code, no Dask)."""
    import pyarrow as pa

    from scalingtheory.sweep.analysis import analyze
    from scalingtheory.sweep.run import execute

    s = load_spec(spec_dict)
    rows = [execute({"model": s.model, "route": s.route, **t}) for t in s.tasks()]
    return rows, analyze(s, pa.Table.from_pylist(rows))


def test_the_swept_exponent_is_the_direct_runs_slope_with_an_interval():
    """A tiny lazy hard sweep (1 s): each row is the direct run's loss at that step (one trajectory per seed),
    the exponent is minus the LS slope of log(mean over seeds), written out here, and it carries its interval."""
    times = np.unique(np.geomspace(1, 1000, 7).round().astype(int))      # the steps a direct run records
    ts = [int(t) for t in times if t >= 30]                               # 1.5 decades: 32, 100, 316, 1000
    rows, exponents = _serial(_small_spec(ts))
    target = circle_target(2.0, 0.5, 63)
    direct = np.array([c3.train(target, 8, 256, 1e-3, 1000, 0.5, 16, seeds=(s,), n_records=7, progress=False)
                       .losses[0, -len(ts):] for s in (0, 1, 2)])
    assert [[r["loss"] for r in rows if r["seed"] == s] for s in (0, 1, 2)] == direct.tolist()
    point = exponents["points"][0]
    m = point["measured"]["t"]
    slope = -np.polyfit(np.log(ts), np.log(direct.mean(axis=0)), 1)[0]
    assert m["value"] == pytest.approx(slope, rel=1e-10) and m["range"] == [ts[0], ts[-1]]
    assert m["lo"] < m["value"] < m["hi"] and all(math.isfinite(m[k]) for k in ("lo", "hi"))
    assert point["theory_exact"]["t"] == "1/2"                  # lazy: beta (the model's own analysis)
    assert point["verdict"] in {"agree", "disagree", "no power law", "inconclusive"}


def test_the_guide_lists_every_route():
    guide = (ROOT / "docs" / "guides" / "sweeps.md").read_text(encoding="utf-8")
    for (model, name), rt in ROUTES.items():
        line = next((x for x in guide.splitlines() if f"`{model}` | `{name}`" in x), None)
        assert line is not None, (model, name)
        for r in rt.resources:                                 # a limit is marked exactly where the route has it
            assert f"`{r.name}`" in line and (f"`{r.name}` (`inf`" in line) == bool(r.inf), (model, name, r.name)
        for s in rt.settings:
            assert f"`{s.name}` ({s.default:g})" in line, (model, name, s.name)
    example = json.loads(guide.split("```json\n", 1)[1].split("```", 1)[0])    # the guide's network3 spec
    assert load_spec(example).n_tasks == 16


@pytest.mark.slow
def test_a_three_layer_sweep_on_a_local_cluster_matches_the_serial_rows(tmp_path):
    """The same spec on a LocalCluster of 2 workers (about 20 s): the same rows as in-process, the same analysis."""
    import scalingtheory as st

    s = _small_spec([100, 316, 1000])
    res = st.sweep(s, tmp_path / "cluster", workers=2, progress=False)
    rows, exponents = _serial(s)
    key = lambda r: (r["t"], r["seed"], r["loss"])                             # noqa: E731
    assert sorted(map(key, res.table.to_pylist())) == sorted(map(key, rows))
    assert res.to_json()["points"] == exponents["points"]


FAULTS = """
import contextlib, resource, sys
from scalingtheory.sweep import run
task = {"model": "feature_learning", "route": "network3", "point": {"alpha": "2", "beta": "1/2"}, "resource": "t",
        "values": {"N": 64, "t": 100, "gamma": 1e-3, "eta": 0.5, "batch": 16, "modes": 63, "features": 4096, "centres": 0}, "seed": 0}
faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
run.execute(task)
before = faults(); first = run.execute(task)["loss"]; inside = faults() - before
run.task_malloc = contextlib.nullcontext                          # as before: Dask's thresholds during the task
before = faults(); second = run.execute(task)["loss"]; plain = faults() - before
print(inside, plain, first == second)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc thresholds")
def test_a_task_in_a_dask_worker_does_not_map_each_temporary_anew(monkeypatch):
    """Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which fixes glibc's mmap threshold at 128 KiB:
    every SGD step then maps and unmaps its temporaries (1e6 page faults in a 2000-step task, 2.1x its CPU time).
    A task runs with larger thresholds (sweep.run.task_malloc): the same loss, far fewer page faults (1.5 s)."""
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", FAULTS], env=env, capture_output=True, text=True, timeout=120)
    inside, plain, same = out.stdout.split()
    assert same == "True" and 10 * int(inside) < int(plain), out.stdout
    from scalingtheory.sweep import run                          # a nanny sets the variable in its own process too:
    run._startup_malloc_env.cache_clear()                          # what counts is what glibc read at the start
    start = run._startup_malloc_env()
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    run._startup_malloc_env.cache_clear()
    assert run._startup_malloc_env() == start


@pytest.mark.parametrize("name", ["network", "network3"])
def test_steps_beyond_the_work_bound_are_refused_before_any_task(name, tmp_path, capsys):
    """A network task's cost grows with its steps: t = 1e12 would run for days. Refused with exit 2 in one line,
    nothing written; --yes (allow_large) lets a user who means it through."""
    from scalingtheory.cli import main
    from scalingtheory.sweep.spec import MAX_WORK

    fixed = {"N": 4, "gamma": 1e-3, "eta": 0.5, "batch": 3, "modes": 15, **({"features": 32} if name == "network3" else {})}
    bad = {**BASE, "route": name, "vary": {"t": [10, 10**12]}, "fixed": fixed}
    work = route("feature_learning", name).work({**fixed, "t": 10**12})
    assert work > MAX_WORK > route("feature_learning", name).work({**fixed, "t": 10**4})
    with pytest.raises(ValueError, match=re.escape(f"t = 1e+12 touches about {work:.2g} numbers")):
        load_spec(bad)
    assert load_spec(bad, allow_large=True).n_tasks == 4
    (tmp_path / "s.json").write_text(json.dumps(bad))
    assert main(["sweep", str(tmp_path / "s.json"), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "more than 1e+12" in err and not (tmp_path / "out").exists()


def test_tasks_in_threads_of_one_worker_share_the_malloc_thresholds(monkeypatch):
    """A worker with several threads (a user's cluster: ``dask worker --nthreads 4``) runs tasks at once: the
    first raises the thresholds, only the last restores them (before, the first to end restored Dask's 64 KiB
    under the others, 2x their CPU time); an exception restores them too. mallopt is recorded, not called."""
    import ctypes

    from scalingtheory.sweep import run

    calls = []

    class Libc:
        mallopt = staticmethod(lambda option, value: calls.append((option, value)))
        malloc_trim = staticmethod(lambda pad: calls.append(("trim", pad)))
    monkeypatch.setattr(run, "_startup_malloc_env", lambda: {-1: "65536"})
    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc)
    monkeypatch.setattr(sys, "platform", "linux")
    raised = [(-3, run.MALLOC_DURING_TASK["mmap"]), (-1, run.MALLOC_DURING_TASK["trim"])]
    first, second = run.task_malloc(), run.task_malloc()
    first.__enter__()
    with pytest.raises(KeyError):
        with second:
            assert calls == raised
            first.__exit__(None, None, None)
            assert calls == raised                                 # the second task still runs
            raise KeyError("a task that fails")
    assert calls == raised + [(-3, 128 * 1024), (-1, 65536), ("trim", 0)] and run._MALLOC_TASKS == [0]
