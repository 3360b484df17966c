"""The CLI as the tests run it (imported by the test modules; not collected as tests)."""
import contextlib
import faulthandler
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: seconds past the bound after which a command stuck in C code (where SIGALRM waits for the call to return)
#: ends the test process with every thread's traceback instead of holding the suite forever
BACKSTOP = 120
#: where that traceback goes: the terminal's stderr, which conftest.py keeps before pytest captures a test's output
#: (captured, it would be lost with the process)
TERMINAL = None


class Expired(BaseException):
    """Raised by SIGALRM in the command: a BaseException, so that no ``except Exception`` or ``except OSError``
    of the code under test (a Dask connection's error handling) takes it for a failure of its own."""


def cli(*args, timeout=60, cwd=None, process=False):
    """Run the CLI as ``python -m scalingtheory`` would: its exit status, stdout and stderr. ``timeout`` is the
    bound the issue sets for a hostile input. With ``process`` in a subprocess (where the interpreter's start,
    its imports or its signals are under test); otherwise :func:`scalingtheory.cli.main` runs in this process,
    the same code without 1.5 s of imports per call, bounded by SIGALRM. A command that runs past the bound
    fails the test (``TimeoutError``, as ``subprocess.run`` raises ``TimeoutExpired``) whatever status
    ``main`` made of the interruption: never a status 3 that a test could read as "could not decide"."""
    if process:
        env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        return subprocess.run([sys.executable, "-m", "scalingtheory", *args], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=cwd)
    from scalingtheory.cli import main

    expired = []

    def expire(signum, frame):
        expired.append(True)
        raise Expired(f"the command ran past the test's bound of {timeout} s")
    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    faulthandler.dump_traceback_later(timeout + BACKSTOP, exit=True,
                                      file=sys.__stderr__ if TERMINAL is None else TERMINAL)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            os.chdir(cwd or here)
            try:
                status = main([str(a) for a in args])
            except SystemExit as exc:              # argparse: --help (0) and usage errors (2)
                status = exc.code
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
        os.chdir(here)
    if expired:
        raise TimeoutError(f"scalingtheory {' '.join(map(str, args))[:200]} ran past {timeout} s (status {status}; "
                           f"stderr: {err.getvalue()[-300:]!r})")
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())
