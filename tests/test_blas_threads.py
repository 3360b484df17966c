"""``numerics._shared.blas_threads`` limits every BLAS the block uses, SciPy's own OpenBLAS included."""

import os
import subprocess
import sys

#: a fresh process (SciPy not loaded yet) with no thread variable: SciPy would load at one thread per core
CODE = """
from threadpoolctl import threadpool_info
from scalingtheory.numerics._shared import blas_threads
with blas_threads(1):
    from scipy.linalg import eigh  # the block's first SciPy call
    inside = sorted((p["filepath"], p["num_threads"]) for p in threadpool_info() if p["user_api"] == "blas")
print(len(inside), sorted({n for _, n in inside}))
"""


def test_the_limit_reaches_scipys_openblas_loaded_in_the_block():
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                            "MKL_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=True).stdout
    libraries, threads = out.split(maxsplit=1)
    assert int(libraries) >= 1 and threads.strip() == "[1]"
