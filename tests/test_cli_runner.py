"""The in-process CLI runner (tests/cli_runner.py) bounds a command as a subprocess timeout did."""
import os
import signal
import time

import pytest

from cli_runner import cli


def test_a_command_past_its_bound_fails_the_test_even_if_it_swallows_exceptions(monkeypatch, tmp_path):
    """A hang is a test failure, never a status (main turns any exception into 3, which a test of a
    "could not decide" input would accept), and a broad ``except Exception`` / ``except OSError`` in the code
    under test cannot swallow the bound; afterwards the handler, the timer and the cwd are the test's own."""
    import scalingtheory.cli

    def stubborn(argv):
        try:
            while True:
                try:
                    time.sleep(0.05)
                except (Exception, OSError):            # noqa: BLE001 -- what a fallback path does
                    pass
        except BaseException as exc:                    # noqa: BLE001 -- main's own last resort
            return scalingtheory.cli._ending(exc, "scalingtheory")
    monkeypatch.setattr(scalingtheory.cli, "main", stubborn)
    before, here = signal.getsignal(signal.SIGALRM), os.getcwd()
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="ran past 0.3 s"):
        cli("verify", timeout=0.3, cwd=tmp_path)
    assert time.monotonic() - start < 5
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert os.getcwd() == here
