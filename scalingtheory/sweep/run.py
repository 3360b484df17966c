"""Running the tasks of a sweep on dask.distributed and recording each finished row.

Without a scheduler address a :class:`distributed.LocalCluster` is started with one
single-threaded worker process per core (``workers`` to choose), and each task limits BLAS
to ``cores // workers`` threads (threadpoolctl), so workers never oversubscribe the cores.
With an address the sweep runs on that scheduler's workers (one BLAS thread per task).
Tasks go out with :meth:`distributed.Client.map`; results come back through
:class:`distributed.as_completed` and are written in part files as they finish (every
``batch`` rows or :data:`FLUSH_SECONDS`), so an interruption loses no finished row; Ctrl-C
is taken between results (:func:`interrupt_flag`), the rows received so far are written, the
remaining futures cancelled and the cluster closed. A task runs with glibc's malloc thresholds raised where
its worker started with Dask's fixed ones (:func:`task_malloc`; 1.6-2.8x less CPU per circle-network task).
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from ..safe_io import interactive
from .routes import point_value, route
from .spec import Spec, point_label, task_key
from .store import LOG_FILE, check_out, consolidate, done_keys, prepare, write_part

#: a part file is written at least this often while rows arrive
FLUSH_SECONDS = 10.0
#: how often the driver looks for finished tasks and for Ctrl-C
POLL_SECONDS = 0.05
#: seconds to reach an external scheduler, and to wait for its first worker
CONNECT_TIMEOUT = 10
WORKER_TIMEOUT = 60
#: the scheduler's event topic under which a nanny records a worker it restarted at its memory limit
MEMORY_EVENT = "worker-restart-memory"


#: glibc's malloc thresholds (bytes) while a task runs in a process started with a fixed threshold: Dask starts
#: its workers with MALLOC_TRIM_THRESHOLD_=65536, which also fixes the mmap threshold at 128 KiB, so a NumPy
#: temporary above that is mapped and unmapped at every use; one circle-network task then took 2.1x (three-layer,
#: 1.0e6 page faults against 3.6e3) and 1.6x (two-layer) the CPU time. After the task, malloc_trim gives the freed
#: memory back, as Dask's setting intends.
MALLOC_DURING_TASK = {"mmap": 32 * 2**20, "trim": 64 * 2**20}
_MALLOC_ENV = {-3: "MALLOC_MMAP_THRESHOLD_", -1: "MALLOC_TRIM_THRESHOLD_"}     # mallopt's M_MMAP_/M_TRIM_THRESHOLD
_GLIBC_DEFAULT = 128 * 1024


@functools.lru_cache(maxsize=1)
def _startup_malloc_env() -> dict:
    """``{mallopt option: value}`` of the malloc variables glibc read when this process started, from
    ``/proc/self/environ`` (``os.environ`` may have changed since: a Dask nanny sets them in its own process
    before spawning a worker); empty where there is no such file."""
    try:
        raw = Path("/proc/self/environ").read_bytes()
    except OSError:
        return {}
    start = dict(item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {option: start[name.encode()].decode("ascii", "replace").strip() for option, name in _MALLOC_ENV.items()
            if name.encode() in start}


#: tasks inside :func:`task_malloc` in this process (a worker with several threads runs several at once): the
#: thresholds are raised by the first and restored by the last, never under a task that is still running
_MALLOC_TASKS = [0]
_MALLOC_LOCK = threading.Lock()


@contextmanager
def task_malloc():
    """Run the block with :data:`MALLOC_DURING_TASK`, then restore the thresholds the process started with
    (glibc's 128 KiB for one not set) and return the freed memory to the system (``malloc_trim``). Only on
    Linux where the process started with a fixed threshold (one of the two variables set, as in a Dask worker): a
    process without them keeps glibc's own adaptive thresholds, which a call to ``mallopt`` would end. Tasks
    running at once in threads of one worker share the setting: the last to end restores it."""
    import ctypes
    import sys

    fixed = _startup_malloc_env() if sys.platform.startswith("linux") else {}
    try:
        mallopt, trim = (ctypes.CDLL(None).mallopt, ctypes.CDLL(None).malloc_trim) if fixed else (None, None)
    except (OSError, AttributeError):                     # not glibc
        mallopt = None
    if mallopt is None:
        yield
        return
    with _MALLOC_LOCK:
        _MALLOC_TASKS[0] += 1
        if _MALLOC_TASKS[0] == 1:
            mallopt(-3, MALLOC_DURING_TASK["mmap"])
            mallopt(-1, MALLOC_DURING_TASK["trim"])
    try:
        yield
    finally:
        with _MALLOC_LOCK:
            _MALLOC_TASKS[0] -= 1
            if not _MALLOC_TASKS[0]:
                for option in _MALLOC_ENV:
                    value = fixed.get(option, "")
                    mallopt(option, int(value) if value.isdigit() and int(value) < 2**31 else _GLIBC_DEFAULT)
                trim(0)


def execute(task: dict, blas_threads: int = 1) -> dict:
    """Run one task on a worker; the result row (parameters, seed, losses, run time in seconds)."""
    from ..numerics._shared import blas_threads as limit_blas

    rt = route(task["model"], task["route"])
    for module in rt.modules:
        importlib.import_module(module)
    point = task["point"]
    start = time.perf_counter()
    with limit_blas(blas_threads), task_malloc():
        loss, train = rt.evaluate(point, task["values"], task["seed"])
    seconds = time.perf_counter() - start
    row = {"point": point_label(point)}
    row.update({k: point_value(v) for k, v in point.items()})
    row.update({"resource": task["resource"], **{k: float(v) for k, v in task["values"].items()},
                "seed": int(task["seed"]), "loss": loss, "train_loss": train, "seconds": seconds})
    return row


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def probe_scheduler(address: str, timeout: float | None = None) -> None:
    """Connect to ``address`` and ask for its identity, all within ``timeout`` seconds; ``ValueError`` with one
    line when nothing answers, or something that is not a Dask scheduler does. ``Client(address, timeout=)``
    bounds only the connection: a port that accepts but never answers held it past 300 s."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect

    timeout = CONNECT_TIMEOUT if timeout is None else timeout

    async def identity():
        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
        try:
            await asyncio.wait_for(comm.write({"op": "identity"}), timeout)
            return await asyncio.wait_for(comm.read(), timeout)
        finally:
            comm.abort()

    with ThreadPoolExecutor(1) as pool:                 # a thread of its own: the caller may run an event loop
        try:
            reply = pool.submit(asyncio.run, identity()).result(3 * timeout)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            why = " ".join(str(exc).split())[:200] or f"no answer within {timeout:g} s"
            raise ValueError(f"cannot reach a Dask scheduler at {address!r}: {why}") from None
        except Exception as exc:                        # noqa: BLE001 -- garbage on the wire: any decoding error
            raise ValueError(f"{address!r} answers, but not as a Dask scheduler (its reply is no Dask message)") \
                from None         # the type said MemoryError for garbage (a garbled frame length): not the cause
    if not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        raise ValueError(f"{address!r} answers, but not as a Dask scheduler")


@contextmanager
def cluster_client(scheduler=None, workers: int | None = None):
    """``(client, blas_threads)`` for an existing scheduler (an address, or a ``distributed.Client``, which is
    used and left open) or a LocalCluster sized to the machine."""
    from dask.distributed import Client, LocalCluster

    from .plugin import IgnoreInterrupts

    cores = _cores()
    if isinstance(scheduler, Client):
        if workers is not None:
            raise ValueError("workers sizes the local cluster; a given Client's workers run the tasks")
        yield scheduler, 1
        return
    if scheduler is not None:
        if workers is not None:
            raise ValueError("--workers sizes the local cluster; with --scheduler the scheduler's workers run the tasks")
        if not isinstance(scheduler, str):
            raise ValueError(f"scheduler must be an address such as 'tcp://host:8786' or a distributed.Client, "
                             f"got {type(scheduler).__name__}")
        probe_scheduler(scheduler)
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
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",   # None: 8787, then
                      # "Port 8787 is already in use" on every sweep beside another cluster
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


def _where(task: dict) -> str:
    return (f"task {point_label(task['point'])}, {task['resource']} = {task['values'][task['resource']]:g}, "
            f"seed {task['seed']}")


def _memory_kills(client) -> list[dict]:
    """The scheduler's records of workers that their nanny restarted at the memory limit (``worker``, ``pid``,
    ``rss`` in bytes), oldest first."""
    try:
        return [msg for _, msg in client.get_events(MEMORY_EVENT) if isinstance(msg, dict)]
    except Exception:                                   # noqa: BLE001 -- a lost scheduler keeps no record for us
        return []


def _memory_kill(client, future) -> dict | None:
    """The memory-limit record of the last worker that died running ``future``'s task (``KilledWorker``), if any.
    The nanny records the kill before it ends the worker; the record may reach the scheduler a moment after
    the worker's loss, so it is looked for during up to a second."""
    from distributed import KilledWorker

    exc = future.exception()
    if not isinstance(exc, KilledWorker):
        return None
    last = getattr(exc.last_worker, "address", None)
    for _ in range(10):
        found = [k for k in _memory_kills(client) if k.get("worker") == last]
        if found:
            return found[-1]
        time.sleep(0.1)
    return None


def _roomier_workers(client, kill: dict) -> list[str]:
    """Workers with more memory than the one killed: a limit of 0 (none) or one the killed worker's
    resident size stays below (a worker is killed above ``terminate`` x its limit, so its limit was
    below ``rss / terminate``)."""
    import dask

    need = kill.get("rss", 0) / (dask.config.get("distributed.worker.memory.terminate", 0.95) or 1.0)
    try:
        workers = client.scheduler_info()["workers"]
    except Exception:                                   # noqa: BLE001 -- the scheduler is gone: no retry
        return []
    return [addr for addr, w in workers.items() if not w.get("memory_limit") or w["memory_limit"] > need]


def _failure(task: dict, future, kill: dict | None) -> RuntimeError:
    """One line naming the task and the cause: a worker killed at its memory limit, workers that died on it
    otherwise (a crash), or the task's own error."""
    from distributed import KilledWorker

    exc = future.exception()
    if kill is not None:
        return RuntimeError(f"{_where(task)}: the worker running it exceeded its memory limit (killed at "
                            f"{kill.get('rss', 0) / 1e6:.0f} MB) and no worker has more memory; give the workers "
                            "more (dask worker --memory-limit)")
    if isinstance(exc, KilledWorker):
        return RuntimeError(f"{_where(task)}: the workers running it died (a crash, not a memory limit; "
                            f"see {LOG_FILE})")
    return RuntimeError(f"{_where(task)} failed: {' '.join(str(exc).split())[:300] or type(exc).__name__}")


def _watch(client, since: dict) -> None:
    """``RuntimeError`` once the scheduler has been unreachable, or has had no worker, for WORKER_TIMEOUT s."""
    now = time.monotonic()
    lost = client.status not in ("running", "connecting")
    empty = not lost and not client.scheduler_info().get("workers")
    for what, bad in (("lost", lost), ("empty", empty)):
        if not bad:
            since.pop(what, None)
        elif now - since.setdefault(what, now) > WORKER_TIMEOUT:
            raise RuntimeError("lost the connection to the scheduler" if what == "lost" else
                               f"no workers left for {WORKER_TIMEOUT} s")


class _Flight:
    """The futures of a sweep in flight: the task each one runs, those retried, the failures."""

    def __init__(self, client, tasks: list[dict], blas_threads: int):
        from dask.distributed import as_completed

        self.client, self.blas, self.retried, self.failed = client, blas_threads, set(), []
        futures = client.map(execute, tasks, blas_threads=blas_threads, pure=False)
        self.label = {f.key: t for f, t in zip(futures, tasks)}
        self.live = {f.key: f for f in futures}
        self.results = as_completed(futures)

    def settle(self, done: list) -> list:
        """The futures of ``done`` that hold a row. A task whose worker was killed at its memory limit goes once
        more, to the workers with more memory than that one (Dask's own retries pick any worker, so a heavy task
        beside a roomier, healthy worker still ended the sweep); any other failure is recorded, and the others go on.
        """
        rows = []
        for f in done:
            if f.status != "error":
                rows.append(f)
                continue
            task = self.label[f.key]
            self.live.pop(f.key, None)
            kill = _memory_kill(self.client, f)
            roomier = _roomier_workers(self.client, kill) if kill and f.key not in self.retried else []
            if roomier:
                again = self.client.submit(execute, task, blas_threads=self.blas, pure=False, workers=roomier,
                                           allow_other_workers=False)
                self.retried.add(again.key)
                self.label[again.key], self.live[again.key] = task, again
                self.results.add(again)
            else:
                self.failed.append(_failure(task, f, kill))
            f.release()
        return rows

    def take(self, done: list) -> list:
        """The rows of ``done``; the scheduler has forgotten their tasks when it returns. ``Client.cancel`` waits
        for the scheduler's answer, where ``Future.release`` only queues a message: a worker lost before the
        message arrived had the scheduler compute taken rows again (2-5 of 6 light rows in a test under load)."""
        rows = self.client.gather(done)
        for f in done:
            self.live.pop(f.key, None)
        if done:
            self.client.cancel(done)
        return rows


def run_tasks(client, tasks: list[dict], out, blas_threads: int, progress: bool) -> int:
    """Submit ``tasks`` and write their rows as they finish; the number of rows written.

    Each task is forgotten by the scheduler as soon as its row is taken (:meth:`_Flight.take`), so a worker
    lost later costs only the tasks still running or waiting: the scheduler recomputes what a client still
    holds, and it holds no taken row (before, every future was held to the end: 147-159 task runs for 120
    tasks after one worker died).
    A failed task (its own error, or workers that died running it, e.g. at their memory limit) does not stop
    the others (:meth:`_Flight.settle`); once all have ended, ``RuntimeError`` names the first failure and how
    many more.
    """
    from concurrent.futures import CancelledError

    from distributed.comm import CommClosedError
    from tqdm.auto import tqdm

    batch = max(1, min(100, len(tasks) // 20))
    flight = _Flight(client, tasks, blas_threads)
    results = flight.results
    pending, written, last, since, watched = [], 0, time.monotonic(), {}, time.monotonic()
    try:
        with interrupt_flag() as interrupted, tqdm(total=len(tasks), desc="sweep", unit="task",
                                                   disable=not progress) as bar:
            while not results.is_empty():
                if interrupted:
                    raise KeyboardInterrupt
                done = flight.settle(results.next_batch(block=False) if results.has_ready() else [])
                pending.extend(flight.take(done))
                bar.update(len(done))
                if pending and (len(pending) >= batch or time.monotonic() - last > FLUSH_SECONDS):
                    write_part(out, pending)
                    written, pending, last = written + len(pending), [], time.monotonic()
                if time.monotonic() - watched > 1:
                    _watch(client, since)
                    watched = time.monotonic()
                time.sleep(POLL_SECONDS)
    except (CommClosedError, OSError, CancelledError) as exc:   # CancelledError: 'scheduler-connection-lost'
        raise RuntimeError(f"lost the connection to the scheduler ({type(exc).__name__})") from None
    finally:
        if pending:
            write_part(out, pending)
            written += len(pending)
        try:
            client.cancel(list(flight.live.values()))
        except Exception:                               # noqa: BLE001 -- the scheduler may be gone already
            pass
    if flight.failed:
        more = f" (and {len(flight.failed) - 1} more tasks)" if len(flight.failed) > 1 else ""
        raise RuntimeError(f"{flight.failed[0]}{more}")
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
        show = interactive() if progress is None else progress
        with dask_log() as attach, cluster_client(scheduler, workers) as (client, blas):
            prepare(out, spec, resume)
            attach(out / LOG_FILE)
            try:
                run_tasks(client, tasks, out, blas, show)
            except RuntimeError as exc:
                kept = len(done_keys(out))
                raise RuntimeError(f"{exc}; {kept} of {spec.n_tasks} rows are kept in {str(out)!r}: run the same "
                                   "command with --resume to finish") from None
    return out, consolidate(out, spec)


def dask_loggers() -> list:
    """The loggers through which Dask writes to stderr: ``distributed``, ``dask``, ``tornado``, ``asyncio`` and
    every logger below them that has handlers of its own (``distributed.client``, ``distributed.gc``,
    ``tornado.application`` get a stderr handler when distributed is imported, which this does first)."""
    import distributed  # noqa: F401 -- its import installs those handlers: replace them after, not before

    roots = ("distributed", "dask", "tornado", "asyncio")
    named = [n for n, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)
             and lg.handlers and n.split(".")[0] in roots]
    return [logging.getLogger(n) for n in dict.fromkeys([*roots, *named])]


@contextmanager
def dask_log():
    """While active, the records of Dask's loggers are kept off stderr: held in memory until ``attach(path)``
    names the sweep's log file (inside ``out``, which exists only once the cluster is up), then appended there.
    The local cluster's workers log only errors, to their own stderr; a task's own error reaches the driver
    and is reported in one line."""
    from logging.handlers import MemoryHandler

    loggers = dask_loggers()
    saved = [(log, log.handlers[:], log.propagate) for log in loggers]
    memory = MemoryHandler(capacity=10_000, flushLevel=logging.CRITICAL + 1)
    files = []

    def attach(path):                                   # appended, never through a symlink
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), 0o644)
        handler = logging.StreamHandler(os.fdopen(fd, "a", encoding="utf-8"))
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        memory.setTarget(handler)
        memory.flush()
        files.append(handler)

    for log in loggers:
        log.handlers, log.propagate = [memory], False
    try:
        yield attach
    finally:
        for log, handlers, propagate in saved:
            log.handlers, log.propagate = handlers, propagate
        memory.flush()
        memory.close()
        for handler in files:
            handler.stream.close()
