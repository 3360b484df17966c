"""Test-session settings.

BLAS is limited to one thread: the tests run many small dense solves, for which a second
OpenBLAS thread only adds synchronisation (about 100x slower per solve on a loaded 2-core
machine), and pytest itself may run beside other processes.
"""
from threadpoolctl import threadpool_limits

_BLAS_LIMIT = threadpool_limits(limits=1, user_api="blas")
