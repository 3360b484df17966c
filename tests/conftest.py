"""Test-session settings.

BLAS is limited to one thread: the tests run many small dense solves, for which a second
OpenBLAS thread only adds synchronisation (about 100x slower per solve on a loaded 2-core
machine), and pytest itself may run beside other processes.

Derivations cached on disk (scalingtheory.cache) go to a folder of this test session, not the
user's cache directory (the CLI tests' subprocesses inherit it); ``SCALINGTHEORY_CACHE_DIR`` set
outside (``off``, or a folder) is kept.
"""
import atexit
import os
import shutil
import tempfile

from threadpoolctl import threadpool_limits

_BLAS_LIMIT = threadpool_limits(limits=1, user_api="blas")
if "SCALINGTHEORY_CACHE_DIR" not in os.environ:
    os.environ["SCALINGTHEORY_CACHE_DIR"] = tempfile.mkdtemp(prefix="scalingtheory-test-cache-")
    atexit.register(shutil.rmtree, os.environ["SCALINGTHEORY_CACHE_DIR"], True)
