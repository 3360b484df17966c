"""Sweeps on dask.distributed: the example spec on a LocalCluster, an external scheduler, kill and resume.

The closed forms come from the models (``analyze``); the independent check here is the
width law written out in the test, r_N = alpha min(beta, 1), and the published alternative
alpha min(beta, 2) that the exact draws must exclude at beta = 3/2.
"""

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import scalingtheory as st
from scalingtheory.sweep.run import execute

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sweep_width.json"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
       "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def small_example(M=600, sizes=(16, 32, 64, 128)):
    """The example spec with small M (a few seconds of work)."""
    spec = json.loads(EXAMPLE.read_text())
    spec["fixed"]["M"] = M
    spec["vary"]["N"] = list(sizes)
    return spec


def keys(table):
    d = table.select(["point", "resource", "N", "seed"]).to_pydict()
    return list(zip(d["point"], d["resource"], d["N"], d["seed"]))


def test_example_spec_on_a_local_cluster(tmp_path):
    spec = small_example()
    res = st.sweep(spec, tmp_path / "out", workers=2, progress=False)
    table = pq.read_table(tmp_path / "out" / "results.parquet")
    assert table.num_rows == 2 * 4 * 3 and len(set(keys(table))) == table.num_rows
    assert {"alpha", "beta", "N", "P", "t", "M", "seed", "loss", "train_loss", "seconds"} <= set(table.column_names)
    doc = json.loads((tmp_path / "out" / "exponents.json").read_text(),
                     parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
    assert doc == res.to_json() and len(doc["points"]) == 2
    tol = doc["tolerance"]
    for p in doc["points"]:
        m = p["measured"]["N"]
        width_law = p["alpha"] * min(p["beta"], 1)            # alpha min(beta, 1), written out here
        assert p["theory"]["N"] == width_law and p["verdict"] == "agree", p
        assert m["lo"] - tol <= width_law <= m["hi"] + tol and m["range"] == [16.0, 128.0]
        assert abs(p["difference"]["N"] - (m["value"] - width_law)) < 1e-12
        if p["beta"] > 1:                                      # published alpha min(beta, 2) = 3 is excluded
            assert not m["lo"] - tol <= p["alpha"] * min(p["beta"], 2) <= m["hi"] + tol
    assert (tmp_path / "out" / "exponents.png").read_bytes()[:4] == b"\x89PNG"
    rows = table.to_pylist()
    for row in rows[:: len(rows) // 3]:                        # same spec + seed -> same loss, without Dask
        task = {"model": "random_features", "route": "exact", "point": {"alpha": "2", "beta": row["point"][-3:]},
                "resource": "N", "values": {"N": int(row["N"]), "P": math.inf, "t": math.inf, "M": 600},
                "seed": row["seed"]}
        assert execute(task)["loss"] == row["loss"]
    assert "agree" in res.report() and "<table>" in res._repr_html_()


def _wait_for(path: Path, timeout: float = 60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and path.stat().st_size:
            return
        time.sleep(0.2)
    raise TimeoutError(f"{path} did not appear")


def _stop(procs):
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory):
    """`dask scheduler` and one `dask worker` as separate processes (free port); stopped afterwards."""
    info = tmp_path_factory.mktemp("dask") / "scheduler.json"
    scheduler = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", "0", "--no-dashboard",
                 "--scheduler-file", str(info)]
    worker = [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(info),
              "--nthreads", "1", "--nworkers", "1", "--no-dashboard"]
    procs = []
    try:
        procs.append(subprocess.Popen(scheduler, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait_for(info)
        procs.append(subprocess.Popen(worker, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield json.loads(info.read_text())["address"]
    finally:
        _stop(procs)


def test_sweep_against_an_external_scheduler(tmp_path, scheduler_address):
    """Another route (feature learning, exact finite-width flow) on the external scheduler's worker."""
    spec = {"model": "feature_learning", "route": "mean_field", "grid": {"alpha": [2], "beta": ["1/2"]},
            "vary": {"N": [16, 32, 64]}, "fixed": {"t": "inf", "M": 400, "gamma": 1}, "seeds": [0, 1]}
    with pytest.raises(ValueError, match="--workers sizes the local cluster"):
        st.sweep(spec, tmp_path / "refused", scheduler=scheduler_address, workers=2)
    assert not (tmp_path / "refused").exists()
    res = st.sweep(spec, tmp_path / "out", scheduler=scheduler_address, progress=False)
    (point,) = res.points
    assert point["theory"]["N"] == 1.0 and point["verdict"] == "agree"   # alpha min(beta, 1) = 1
    table = pq.read_table(tmp_path / "out" / "results.parquet")
    assert table.num_rows == 6 and set(table.column("N").to_pylist()) == {16.0, 32.0, 64.0}


def test_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("scalingtheory.sweep.run.CONNECT_TIMEOUT", 2)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(small_example()))
    from scalingtheory.cli import main
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach a Dask scheduler" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()                    # nothing written before the cluster is up


def test_kill_and_resume(tmp_path, scheduler_address, capsys):
    """Ctrl-C part-way (SIGINT to the whole process group, as a terminal sends it): status 130, the
    finished rows stay; --resume runs only the rest; no duplicates, none lost."""
    spec = small_example(M=800, sizes=(100, 200, 300, 400, 500))
    spec["seeds"] = list(range(6))
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "scalingtheory", "sweep", str(path), "--out", str(out), "--workers", "1",
           "--no-progress"]
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        end = time.monotonic() + 120
        while not list((out / "parts").glob("part-*.parquet")) and time.monotonic() < end and proc.poll() is None:
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=120) == 130, proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    parts = sorted((out / "parts").glob("part-*.parquet"))
    assert parts, "no part file before the interrupt"
    done = pa.concat_tables([pq.read_table(p) for p in parts])
    before = dict(zip(keys(done), done.column("loss").to_pylist()))
    total = 2 * 5 * 6
    assert 0 < len(before) < total and not (out / "results.parquet").exists()
    with pytest.raises(ValueError, match="pass --resume"):
        st.sweep(path, out)
    res = st.sweep(path, out, resume=True, scheduler=scheduler_address, progress=False)
    table = pq.read_table(out / "results.parquet")
    after = dict(zip(keys(table), table.column("loss").to_pylist()))
    assert table.num_rows == len(after) == total
    assert all(after[k] == v for k, v in before.items())      # finished rows kept, not recomputed differently
    assert not list((out / "parts").glob("part-*.parquet")) and len(res.points) == 2
    assert np.all(np.isfinite(table.column("loss").to_numpy()))
    from scalingtheory.cli import main                         # a finished sweep: --resume only re-analyses
    assert main(["sweep", str(path), "--out", str(out), "--resume", "--json", "--scheduler", "tcp://127.0.0.1:9"]) == 0
    assert json.loads(capsys.readouterr().out) == res.to_json()


def test_a_failing_task_stops_the_sweep_with_one_reason(tmp_path, scheduler_address):
    """A task that raises on the worker (here N > M, which the spec check would have refused) ends the
    run with a RuntimeError naming the task (exit status 3), after writing the rows that finished."""
    from dask.distributed import Client

    from scalingtheory.sweep import load_spec
    from scalingtheory.sweep.run import run_tasks
    from scalingtheory.sweep.store import load_rows, prepare

    spec = load_spec(small_example(M=200, sizes=(16, 32)))
    good = [{"model": spec.model, "route": spec.route, **t} for t in spec.tasks()][:2]
    bad = {**good[0], "values": {**good[0]["values"], "N": 400}}
    out = prepare(tmp_path / "out", spec, resume=False)
    with Client(scheduler_address) as client:
        run_tasks(client, good, out, 1, progress=False)
        with pytest.raises(RuntimeError, match=r"N = 400, seed 0 failed: .*N <= M"):
            run_tasks(client, [bad], out, 1, progress=False)
    assert load_rows(out).num_rows == 2
