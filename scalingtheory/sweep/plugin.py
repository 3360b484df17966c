"""Worker plugin of the local cluster (imported with dask.distributed, when a sweep runs)."""

from __future__ import annotations

import signal
import threading

from distributed import WorkerPlugin


class IgnoreInterrupts(WorkerPlugin):
    """Local worker processes ignore SIGINT.

    Ctrl-C in a terminal reaches the whole process group; a worker killed by it loses the
    results the driver is fetching and the driver then waits for them. The driver alone
    handles Ctrl-C (:func:`scalingtheory.sweep.run.interrupt_flag`): it writes the rows it
    has, cancels the rest and closes the cluster, which stops the workers.
    """

    name = "scalingtheory-sweep-ignore-interrupts"

    def setup(self, worker):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
