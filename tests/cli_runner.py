"""The CLI as the tests run it (imported by the test modules; not collected as tests)."""
import contextlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, timeout=60, cwd=None, process=False):
    """Run the CLI as ``python -m scalingtheory`` would: its exit status, stdout and stderr. ``timeout`` is the
    bound the issue sets for a hostile input. With ``process`` in a subprocess (where the interpreter's start,
    its imports or its signals are under test); otherwise :func:`scalingtheory.cli.main` runs in this process,
    the same code without 1.5 s of imports per call, bounded by SIGALRM (which ends it as status 3)."""
    if process:
        env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        return subprocess.run([sys.executable, "-m", "scalingtheory", *args], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=cwd)
    from scalingtheory.cli import main

    def expire(signum, frame):
        raise TimeoutError(f"the command ran past the test's bound of {timeout} s")
    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(int(timeout))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            os.chdir(cwd or here)
            try:
                status = main([str(a) for a in args])
            except SystemExit as exc:              # argparse: --help (0) and usage errors (2)
                status = exc.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(here)
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())
