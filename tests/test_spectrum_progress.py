"""A spectrum run shows its progress step by step, on one BLAS thread (issue 26, item 6)."""
from threadpoolctl import threadpool_info

from scalingtheory.spectrum import predict, progress
from scalingtheory.spectrum.compare import theory_meets_data
from scalingtheory.spectrum.datasets import load_teacher


class Bar:
    def __init__(self, total):
        self.total, self.done, self.names, self.threads, self.closed = total, 0, [], set(), False

    def set_postfix_str(self, text):
        self.names.append(text)

    def update(self, n=1):
        self.done += n
        self.threads |= {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}

    def close(self):
        self.closed = True


def test_every_step_advances_the_run_bar_with_one_blas_thread(monkeypatch):
    bars = []
    monkeypatch.setattr(progress, "run_bar", lambda total, desc, enabled: bars.append(Bar(total)) or bars[-1])
    monkeypatch.setattr(predict, "predictions", lambda est: ({}, []))     # its SymPy is not what is tested
    X, y, _ = load_teacher(n=300)
    theory_meets_data(X, y, "linear", bootstrap=3, repeats=2, progress=True)
    (bar,) = bars
    assert bar.total == 4 + 3 + 2 * 2 and bar.done == bar.total and bar.closed
    assert bar.names[:3] == ["Gram matrix", "eigensystem", "bootstrap"] and "predictions" in bar.names
    assert bar.names[-3:] == ["kernel regression", "random-feature eigensystem", "random features"]
    assert bar.threads == {progress.BLAS_THREADS}      # NumPy's and SciPy's OpenBLAS both
