"""Running the tasks of a sweep on dask.distributed and recording each finished row.

Without a scheduler address a :class:`distributed.LocalCluster` is started with one
single-threaded worker process per core (``workers`` to choose), and each task limits BLAS
to ``cores // workers`` threads (threadpoolctl), so workers never oversubscribe the cores.
With an address the sweep runs on that scheduler's workers (one BLAS thread per task).
Tasks go out with :meth:`distributed.Client.map`; results come back through
:class:`distributed.as_completed` and are written in part files as they finish (every
``batch`` rows or :data:`FLUSH_SECONDS`), so an interruption loses no finished row; Ctrl-C
is taken between results (:func:`interrupt_flag`), the rows received so far are written, the
remaining futures cancelled and the cluster closed.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager

from .routes import route
from .spec import Spec, point_label, point_value, task_key
from .store import check_out, consolidate, done_keys, prepare, write_part

#: a part file is written at least this often while rows arrive
FLUSH_SECONDS = 10.0
#: how often the driver looks for finished tasks and for Ctrl-C
POLL_SECONDS = 0.05
#: seconds to reach an external scheduler, and to wait for its first worker
CONNECT_TIMEOUT = 10
WORKER_TIMEOUT = 60


def execute(task: dict, blas_threads: int = 1) -> dict:
    """Run one task on a worker; the result row (parameters, seed, losses, run time in seconds)."""
    from ..numerics._shared import blas_threads as limit_blas

    rt = route(task["model"], task["route"])
    for module in rt.modules:
        importlib.import_module(module)
    point = task["point"]
    start = time.perf_counter()
    with limit_blas(blas_threads):
        loss, train = rt.evaluate(point, task["values"], task["seed"])
    seconds = time.perf_counter() - start
    row = {"point": point_label(point)}
    row.update({k: point_value(v) for k, v in point.items()})
    row.update({"resource": task["resource"], **{k: float(v) for k, v in task["values"].items()},
                "seed": int(task["seed"]), "loss": loss, "train_loss": train, "seconds": seconds})
    return row


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def cluster_client(scheduler: str | None = None, workers: int | None = None):
    """``(client, blas_threads)`` for an existing scheduler or a LocalCluster sized to the machine."""
    from dask.distributed import Client, LocalCluster

    from .plugin import IgnoreInterrupts

    cores = _cores()
    if scheduler is not None:
        if workers is not None:
            raise ValueError("--workers sizes the local cluster; with --scheduler the scheduler's workers run the tasks")
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise ValueError(f"cannot reach the scheduler at {scheduler!r}: {exc}".splitlines()[0]) from None
        with client:
            try:
                client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
            except TimeoutError:
                raise RuntimeError(f"the scheduler at {scheduler!r} has no workers") from None
            yield client, 1
        return
    n = cores if workers is None else workers
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 4 * cores:
        raise ValueError(f"workers must be an integer from 1 to {4 * cores} (4 x the {cores} cores), got {workers!r}")
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.register_plugin(IgnoreInterrupts())
        yield client, max(1, cores // n)


@contextmanager
def interrupt_flag():
    """While active, Ctrl-C (SIGINT) only sets a flag; :func:`run_tasks` raises KeyboardInterrupt at a
    safe point (between results), never inside Dask's own waits, so the shutdown path is always the same."""
    flag = []
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous = signal.signal(signal.SIGINT, lambda *_: flag.append(True))
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _failure(task: dict, future) -> RuntimeError:
    return RuntimeError(f"task {point_label(task['point'])}, {task['resource']} = "
                        f"{task['values'][task['resource']]:g}, seed {task['seed']} failed: {future.exception()}")


def run_tasks(client, tasks: list[dict], out, blas_threads: int, progress: bool) -> int:
    """Submit ``tasks`` and write their rows as they finish; the number of rows written."""
    from dask.distributed import as_completed
    from tqdm.auto import tqdm

    batch = max(1, min(100, len(tasks) // 20))
    futures = client.map(execute, tasks, blas_threads=blas_threads, pure=False)
    label = {f.key: t for f, t in zip(futures, tasks)}
    pending, written, last = [], 0, time.monotonic()
    results = as_completed(futures)
    try:
        with interrupt_flag() as interrupted, tqdm(total=len(tasks), desc="sweep", unit="task",
                                                   disable=not progress) as bar:
            while not results.is_empty():
                if interrupted:
                    raise KeyboardInterrupt
                done = results.next_batch(block=False) if results.has_ready() else []
                failed = next((f for f in done if f.status == "error"), None)
                if failed is not None:
                    raise _failure(label[failed.key], failed)
                pending.extend(client.gather(done))
                bar.update(len(done))
                if pending and (len(pending) >= batch or time.monotonic() - last > FLUSH_SECONDS):
                    write_part(out, pending)
                    written, pending, last = written + len(pending), [], time.monotonic()
                time.sleep(POLL_SECONDS)
    finally:
        if pending:
            write_part(out, pending)
            written += len(pending)
        client.cancel(futures)
    return written


def todo(spec: Spec, out) -> list[dict]:
    """The spec's tasks whose rows are not in ``out`` yet (what ``--resume`` runs)."""
    done = done_keys(out)
    tasks = [{"model": spec.model, "route": spec.route, **t} for t in spec.tasks()]
    return [t for t in tasks if task_key(t["point"], t["resource"], t["values"][t["resource"]], t["seed"]) not in done]


def run_sweep(spec: Spec, out, scheduler=None, workers=None, resume=False, progress=None):
    """Run the tasks missing from ``out``, consolidate ``results.parquet``; return ``(out, table)``.

    ``out`` is created only once the cluster is up (a refused ``--workers`` or an unreachable
    scheduler leaves nothing behind).
    """
    out = check_out(out, spec, resume)
    tasks = todo(spec, out)
    if tasks:
        show = (sys.stderr.isatty() or "ipykernel" in sys.modules) if progress is None else progress
        with cluster_client(scheduler, workers) as (client, blas):
            run_tasks(client, tasks, prepare(out, spec, resume), blas, show)
    return out, consolidate(out, spec)
