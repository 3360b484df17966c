"""Test-session settings.

BLAS is limited to one thread: the tests run many small dense solves, for which a second
OpenBLAS thread only adds synchronisation (about 100x slower per solve on a loaded 2-core
machine), and pytest itself may run beside other processes.

Derivations cached on disk (scalingtheory.cache) go to a folder of this test session, not the
user's cache directory (the CLI tests' subprocesses inherit it); ``SCALINGTHEORY_CACHE_DIR`` set
outside (``off``, or a folder) is kept.
"""
import atexit
import inspect
import os
import shutil
import sys
import tempfile

import pytest

from threadpoolctl import threadpool_limits

_BLAS_LIMIT = threadpool_limits(limits=1, user_api="blas")
if "SCALINGTHEORY_CACHE_DIR" not in os.environ:
    os.environ["SCALINGTHEORY_CACHE_DIR"] = tempfile.mkdtemp(prefix="scalingtheory-test-cache-")
    atexit.register(shutil.rmtree, os.environ["SCALINGTHEORY_CACHE_DIR"], True)


def pytest_configure(config):
    """The terminal's stderr for the CLI runner's backstop (tests/cli_runner.py), taken as pytest's own
    faulthandler takes it: a test's captured stderr is lost when the backstop ends the process."""
    import cli_runner
    cli_runner.TERMINAL = os.dup(sys.stderr.fileno())


@pytest.fixture(autouse=True)
def _no_leftover_method_patches():
    """After each test, no model instance holds one of its class's methods as its own attribute: that is
    what ``monkeypatch.setattr(instance, "method", ...)`` leaves behind on undo (the bound method), and it
    silently shadows a later test's patch of the class (a CI failure that depended on test order)."""
    yield
    for name, module in list(sys.modules.items()):
        model = getattr(module, "MODEL", None) if name.startswith("scalingtheory.models.") else None
        left = [a for a in vars(model) if inspect.isfunction(getattr(type(model), a, None))] if model else []
        for a in left:              # cleaned, so that only the test that left them fails
            delattr(model, a)
        assert not left, f"{name}.MODEL keeps patched method(s) {left}: patch with monkeypatch.setitem(vars(...))"
