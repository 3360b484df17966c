"""Issue 28.4: Dask faults cost nothing. A port that accepts but never answers is refused within the
handshake bound; st.sweep takes a distributed.Client; each future is released once its row is in;
a failing task ends in one line with the resume hint and Dask's records go to DIR/dask.log, not
stderr; a figure that cannot be drawn is a note (the data are the result). In-process Dask
(threads) so that the task function can be replaced."""
import json
import socket
import threading
import time

import pytest

import scalingtheory as st
from scalingtheory.sweep import run as sweep_run

SPEC = {"model": "random_features", "route": "exact", "grid": {"alpha": [2], "beta": ["1/2"]},
        "vary": {"N": [8, 16, 32, 64]}, "fixed": {"P": "inf", "t": "inf", "M": 100}, "seeds": [0, 1]}


@pytest.fixture
def silent_port():
    """A TCP port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for c in held:
        c.close()
    server.close()


def test_a_port_that_never_answers_is_refused_within_the_bound(tmp_path, silent_port, monkeypatch, capsys):
    monkeypatch.setattr(sweep_run, "CONNECT_TIMEOUT", 2)
    from scalingtheory.cli import main
    (tmp_path / "spec.json").write_text(json.dumps(SPEC))
    start = time.monotonic()
    status = main(["sweep", str(tmp_path / "spec.json"), "--out", str(tmp_path / "out"), "--scheduler",
                   f"tcp://127.0.0.1:{silent_port}"])
    err = capsys.readouterr().err
    assert status == 2 and time.monotonic() - start < 15 and "cannot reach a Dask scheduler" in err
    assert err.count("\n") == 1 and not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as c:
        yield c


def test_a_client_is_accepted_and_futures_are_released_as_rows_arrive(tmp_path, client, monkeypatch):
    held, written = [], [0]
    real = sweep_run.write_part

    def spy(out, rows):
        written[0] += len(rows)
        time.sleep(0.3)                      # Future.release runs on the client's event loop
        held.append((written[0], len(client.futures)))
        return real(out, rows)
    monkeypatch.setattr(sweep_run, "write_part", spy)
    res = st.sweep(SPEC, tmp_path / "out", scheduler=client, progress=False)
    assert res.table.num_rows == 8 and client.status == "running"        # the given Client is left open
    # when a part is written, the client holds only the futures of rows not gathered yet (it held all 8)
    assert held and all(n_held <= 8 - n_rows for n_rows, n_held in held), held
    assert len(client.futures) == 0
    assert (tmp_path / "out" / "dask.log").exists()


def test_a_failing_task_is_one_line_with_the_resume_hint(tmp_path, client, monkeypatch, capsys):
    real = sweep_run.execute

    def flaky(task, blas_threads=1):
        if task["values"]["N"] == 64:
            raise FloatingPointError("boom")
        return real(task, blas_threads)
    monkeypatch.setattr(sweep_run, "execute", flaky)
    with pytest.raises(RuntimeError) as exc:
        st.sweep(SPEC, tmp_path / "out", scheduler=client, progress=False)
    text = str(exc.value)
    assert "N = 64" in text and "boom" in text and "--resume" in text and "rows are kept" in text
    assert "(and 1 more tasks)" in text and "6 of 8 rows are kept" in text      # the other tasks went on
    assert "Traceback" not in capsys.readouterr().err
    monkeypatch.setattr(sweep_run, "execute", real)
    res = st.sweep(SPEC, tmp_path / "out", scheduler=client, progress=False, resume=True)
    assert res.table.num_rows == 8


def test_a_figure_that_cannot_be_drawn_is_a_note(tmp_path, client, monkeypatch):
    from scalingtheory.sweep import figures

    def broken(*_):
        raise ValueError("'yerr' must not contain negative values")
    monkeypatch.setattr(figures, "draw", broken)
    res = st.sweep(SPEC, tmp_path / "out", scheduler=client, progress=False)
    assert (tmp_path / "out" / "exponents.json").exists() and not (tmp_path / "out" / "exponents.png").exists()
    assert any("could not be drawn" in n for n in res.notes) and "note: the figure" in res.report()


def test_the_figure_survives_a_non_finite_or_legacy_interval():
    """A measured value outside its interval (the old percentile bootstrap) or NaN no longer stops the figure."""
    import matplotlib
    matplotlib.use("Agg")
    from scalingtheory.sweep import figures
    exps = {"model": "m", "route": "r", "tolerance": 0.1, "spec": {"grid": {"a": [1, 2, 3]}, "vary": {"N": []}},
            "points": [{"a": a, "point": f"a={a}", "measured": {"N": m}, "theory": {"N": 1.0}, "verdict": "agree"}
                       for a, m in ((1, {"value": 1.0, "lo": 1.1, "hi": 1.2}), (2, {"value": float("nan"), "lo": 0,
                                                                                        "hi": 1}), (3, None))]}
    from matplotlib.figure import Figure
    ax = Figure().subplots()
    figures.draw(ax, exps, "N")
    assert ax.get_legend() is not None


@pytest.mark.slow
def test_losing_the_scheduler_is_one_line_with_the_resume_hint(tmp_path):
    """SIGKILL of an external scheduler mid-sweep: exit 3 and one line (was two Dask tracebacks and no hint)."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    info = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(info)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        while not (info.exists() and info.stat().st_size):
            time.sleep(0.2)
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
                                       str(info), "--nthreads", "1", "--no-dashboard"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        spec = {**SPEC, "vary": {"N": [64, 128, 256, 512]}, "fixed": {"P": "inf", "t": "inf", "M": 1500}, "seeds": list(range(6))}
        (tmp_path / "spec.json").write_text(json.dumps(spec))
        out = tmp_path / "out"
        sweep = subprocess.Popen([sys.executable, "-m", "scalingtheory", "sweep", str(tmp_path / "spec.json"), "--out",
                                  str(out), "--scheduler", json.loads(info.read_text())["address"]], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + 240
        while not ((out / "parts").is_dir() and any((out / "parts").iterdir())) and time.monotonic() < end:
            time.sleep(0.3)
        procs[0].kill()
        _, err = sweep.communicate(timeout=240)
    finally:
        for p in procs:
            p.kill()
    assert sweep.returncode == 3 and err.count("\n") == 1, err
    assert "lost the connection to the scheduler" in err and "--resume" in err and "rows are kept" in err


def test_no_workers_or_no_scheduler_for_the_timeout_is_a_cause(monkeypatch):
    """run_tasks polls _watch: a scheduler without workers, or a lost connection, longer than WORKER_TIMEOUT
    ends the sweep with that cause (the client waited silently before)."""
    class Fake:
        status, workers = "running", {}

        def scheduler_info(self):
            return {"workers": self.workers}
    monkeypatch.setattr(sweep_run, "WORKER_TIMEOUT", 0.05)
    fake, since = Fake(), {}
    sweep_run._watch(fake, since)                                   # the clock starts
    time.sleep(0.1)
    with pytest.raises(RuntimeError, match="no workers left for 0.05 s"):
        sweep_run._watch(fake, since)
    fake.workers, since = {"w": {}}, {}
    sweep_run._watch(fake, since)                                   # a worker: nothing to say
    fake.status = "closed"
    sweep_run._watch(fake, since)
    time.sleep(0.1)
    with pytest.raises(RuntimeError, match="lost the connection to the scheduler"):
        sweep_run._watch(fake, since)
