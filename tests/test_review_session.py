"""Hostile inputs found in the review of the session's changes (fit --group, spectrum files, profile).

Each case was wrong before its fix (the test says how).
"""

from __future__ import annotations

import numpy as np
import pytest


def test_a_non_finite_npy_value_is_shown_as_a_number(tmp_path):
    """datafile.numbers showed a .npy cell by its repr ('has np.float64(nan)'); a CSV cell keeps its text."""
    from scalingtheory.datafile import numbers

    with pytest.raises(ValueError, match=r"column '0' must be finite; data row 2 has nan \(1 such value"):
        numbers(np.array([1.0, np.nan, 3.0]), "0")
    with pytest.raises(ValueError, match=r"data row 1 has -inf \(2 such"):
        numbers(np.array([-np.inf, np.inf]), "0")
    with pytest.raises(ValueError, match=r"data row 2 has 'Inf' \(1 such"):
        numbers(["1", "Inf"], "b")



@pytest.mark.parametrize("command", [["fit", "--law", "E + A*N**-a + B*D**-b", "--y", "loss"],
                                     ["spectrum", "--y", "0"]])
def test_a_pipe_or_device_is_named_as_such(tmp_path, capsys, command):
    """A FIFO or /dev/null was refused as 'no such file' (it exists); now: not a regular file (exit 2, one
    line), never opened (a pipe would block, a device has no size to bound)."""
    import os

    from scalingtheory.cli import main

    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    for path in (str(fifo), os.devnull):
        assert main([command[0], path, *command[1:]]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and f"{path} is not a regular file" in err, err


def test_a_group_that_is_not_a_column_name_gets_a_short_message():
    """group= given the labels themselves (a list of 10,000 names) repeated all of them in one message line."""
    from scalingtheory.fitting import fit_law
    from scalingtheory.fitting.synthetic import LAW, chinchilla_runs

    with pytest.raises(ValueError, match="group must name a column") as info:
        fit_law(chinchilla_runs(20, seed=1), LAW, bootstrap=0, group=[f"run-{i}" for i in range(10_000)])
    assert len(str(info.value)) < 200


def test_a_complex_npy_array_is_refused(tmp_path):
    """A complex .npy array was read with its imaginary parts dropped (exit 0, a ComplexWarning on stderr)."""
    from scalingtheory.spectrum.datasets import load_file

    rng = np.random.default_rng(0)
    path = tmp_path / "c.npy"
    np.save(path, rng.standard_normal((200, 3)) + 1j * rng.standard_normal((200, 3)))
    with pytest.raises(ValueError, match=r"need a real numeric 2-D array .* got complex128 of shape \(200, 3\)"):
        load_file(path, "0")
    np.save(path, rng.standard_normal((200, 3)).astype(np.float32))
    assert load_file(path, "0")[0].shape == (200, 2)


def test_group_with_no_bootstrap_is_refused_not_ignored(tmp_path, capsys):
    """fit --law ... --group run --bootstrap 0 ran and said 'none (bootstrap=0)', --group silently unused."""
    from scalingtheory.cli import main

    path = tmp_path / "runs.csv"     # never read: refused before the file
    assert main(["fit", str(path), "--law", "E + A*N**-a + B*D**-b", "--y", "loss", "--group", "run",
                 "--bootstrap", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--group: used only by the bootstrap" in err and "no such file" not in err


@pytest.mark.parametrize("kernel", ["rbf", "laplace"])
def test_extreme_bandwidths_give_the_limit_kernels_without_overflow(kernel):
    """bandwidth 1e308 overflowed in h**2 (OverflowError: spectrum exit 3); 1e-300 divided by h**2 = 0 (NaN on the
    diagonal, RuntimeWarnings on stderr). The limits are exact: all ones and the identity."""
    import warnings

    from scalingtheory.spectrum.kernels import gram

    X = np.random.default_rng(0).standard_normal((6, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array_equal(gram(X, kernel, 1e308), np.ones((6, 6)))
        assert np.array_equal(gram(X, kernel, 1e-300), np.eye(6))
        h = 1.3
        d = np.linalg.norm(X[:, None] - X[None], axis=-1)
        want = np.exp(-d**2 / (2 * h**2)) if kernel == "rbf" else np.exp(-d / h)
        np.testing.assert_allclose(gram(X, kernel, h), want, rtol=1e-14)
