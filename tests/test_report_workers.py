"""The report's sections computed in worker processes give the same report as one process."""

import re

import pytest

from scalingtheory.report import report


@pytest.mark.slow
def test_two_workers_write_the_same_report_as_one_process(tmp_path):
    models = ["feature_learning", "random_features", "sparse_parity"]
    texts = []
    for workers in (1, 2):
        info = report.build_report(tmp_path / f"w{workers}", quick=True, models=models, workers=workers)
        assert not info["pdf_error"]
        texts.append((tmp_path / f"w{workers}" / "report.md").read_text())
        figures = sorted(p.name for p in (tmp_path / f"w{workers}" / "figures").iterdir())
        assert any(f.startswith("agreement_") for f in figures) and len(figures) > 4
    assert texts[0] == texts[1]
    assert re.search(r"\[E1\]", texts[0])  # appendix numbering made in reading order in both runs


def test_a_failing_section_stops_the_report(tmp_path, monkeypatch):
    """The pool is stopped (queued jobs cancelled) when a section fails; the error reaches the caller."""
    def boom(name, work, quick):
        raise RuntimeError(f"solver failed in {name}")

    monkeypatch.setattr(report, "_model_numerics", boom)
    with pytest.raises(RuntimeError, match="solver failed in"):
        report.build_report(tmp_path / "out", quick=True, models=["bnsl", "sparse_parity"], workers=1)
    assert not (tmp_path / "out" / "report.md").exists()


def _thread_counts() -> list:
    import scipy.linalg  # noqa: F401  (SciPy's own OpenBLAS, loaded after the worker started)
    from threadpoolctl import threadpool_info

    return [(lib["internal_api"], lib["num_threads"]) for lib in threadpool_info()]


def test_workers_share_the_cores_between_them(monkeypatch):
    """Each of the report's workers runs BLAS/OpenMP on cores // workers threads, also in a library loaded
    after it started (an OpenBLAS thread per core in each worker busy-waits on the other's core), whatever
    the user's environment says."""
    import os

    for name in report.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    pool = report._executor(2)
    try:
        counts = pool.submit(_thread_counts).result()
    finally:
        pool.shutdown()
    assert any(api == "openblas" for api, _ in counts)
    assert {n for _, n in counts} == {max(1, (os.cpu_count() or 1) // 2)}
