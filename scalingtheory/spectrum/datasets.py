r"""Data sets that work offline, and a user's own CSV or ``.npy`` file.

* ``digits``: the 8x8 handwritten digits (1797 images, 64 pixels 0..16, 10 classes as
  one-hot targets; the UCI test set, Alpaydin & Kaynak 1998, CC BY 4.0, as scikit-learn
  distributes it), shipped inside this package (:mod:`scalingtheory.datasets.digits`), so
  nothing is downloaded and scikit-learn is not needed. Default kernel ``rbf``.
* ``teacher``: a procedurally generated linear teacher with a *known* spectrum,
  :math:`x\sim\mathcal N(0,\mathrm{diag}(k^{-\alpha}))` in ``D = 2n`` dimensions and
  :math:`y=\sum_k w_k x_k` with :math:`\lambda_k w_k^2=k^{-(\alpha\beta+1)}`
  (:class:`scalingtheory.spectra.PowerLawSpectrum`), ``alpha = 3/2``, ``beta = 1/2``
  (hard regime; predicted data exponent 3/4). Default kernel ``linear``, under which the
  kernel's spectrum is the teacher's: the end-to-end check with a known answer.
  (``mnist1d`` would also generate its data procedurally, but its package imports
  ``requests`` and is not on the toolkit's dependency list.)

>>> X, Y, info = load("teacher", n=200)
>>> X.shape, Y.shape, info["alpha"], info["beta"]
((200, 400), (200, 1), 1.5, 0.5)
"""
from __future__ import annotations

from pathlib import Path

# NumPy is imported inside the functions: ``spectrum --help`` reads the names below without it

DATASETS = {"digits": "rbf", "teacher": "linear"}
TEACHER_ALPHA, TEACHER_BETA = "3/2", "1/2"
MAX_CLASSES = 100


def one_hot(labels: np.ndarray) -> np.ndarray:
    """Integer class labels -> one-hot matrix (classes in sorted order)."""
    import numpy as np
    classes, idx = np.unique(labels, return_inverse=True)
    return np.eye(len(classes))[idx]


def load_digits() -> tuple[np.ndarray, np.ndarray, dict]:
    """The packaged digits (:func:`scalingtheory.datasets.digits`), one-hot targets."""
    from ..datasets.digits import load_digits as packaged_digits
    X, y = packaged_digits()
    return X, one_hot(y), {"name": "digits", "classes": 10}


def load_teacher(n: int = 1500, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray, dict]:
    """The power-law linear teacher (module docstring); ``noise``: label-noise variance."""
    import numpy as np

    from ..spectra import PowerLawSpectrum
    spec = PowerLawSpectrum(TEACHER_ALPHA, TEACHER_BETA)
    rng = np.random.default_rng(seed)
    D = 2 * int(n)
    X = rng.standard_normal((int(n), D)) * np.sqrt(spec.eigenvalues(D))
    y = X @ spec.target_weights(D, rng) + np.sqrt(noise) * rng.standard_normal(int(n))
    return X, y[:, None], {"name": "teacher", "alpha": float(spec.alpha), "beta": float(spec.beta),
                           "noise": float(noise), "D": D}


def load(name: str, **kwargs) -> tuple[np.ndarray, np.ndarray, dict]:
    """``(X, Y, info)`` of a named data set (:data:`DATASETS`)."""
    if name == "digits":
        return load_digits()
    if name == "teacher":
        return load_teacher(**kwargs)
    raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)} or give a FILE")


def _npy_columns(path: Path, y: str) -> tuple[list, list[str], int]:
    """``(columns, names, target index)`` of a 2-D numeric ``.npy`` array; ``y`` is a column index."""
    import numpy as np

    from ..datafile import read_npy
    from ..number_text import ascii_int
    try:
        data = read_npy(path)
    except OSError as exc:
        raise ValueError(f"{path}: not a readable .npy array ({exc})") from None
    real = np.issubdtype(data.dtype, np.integer) or np.issubdtype(data.dtype, np.floating)   # complex: refused
    if data.ndim != 2 or data.shape[1] < 2 or not real:
        raise ValueError(f"{path}: need a real numeric 2-D array with inputs and a target column, got "
                         f"{data.dtype} of shape {data.shape}")
    try:
        col = ascii_int(y)                        # int() reads the full-width '１' as 1
    except ValueError:
        raise ValueError(f"--y for a .npy file is a column index, got {y!r}") from None
    if not -data.shape[1] <= col < data.shape[1]:
        raise ValueError(f"--y {col} is not a column of the {data.shape[1]}-column array")
    return list(data.T), [str(i) for i in range(data.shape[1])], col % data.shape[1]


def _csv_columns(path: Path, y: str) -> tuple[list, list[str], int]:
    """``(columns of cell text, names, target index)`` of a CSV file read by
    :func:`scalingtheory.datafile.read_table` (BOM, CRLF, sniffed delimiter, the toolkit's limits)."""
    from ..datafile import read_table
    table = read_table(path)
    names = list(table)
    if y not in table:
        raise ValueError(f"{path}: no column {y!r}; columns are {', '.join(names)}")
    if not table[y]:
        raise ValueError(f"{path}: need a header row and data rows")
    return [table[name] for name in names], names, names.index(y)


def load_file(path, y: str, onehot: bool = False) -> tuple[np.ndarray, np.ndarray, dict]:
    """A user's CSV (header row; ``y`` names the target column, the other columns are the
    inputs; read as :mod:`scalingtheory.datafile` reads every CSV: BOM, CRLF, ``,`` ``;`` or tab) or
    ``.npy`` (a 2-D array; ``y`` is the target column's index). ``onehot``: the target holds
    class labels, turned into one-hot outputs. Every column must hold finite numbers
    (:func:`scalingtheory.datafile.numbers` names the column and row of the first bad value)."""
    import numpy as np

    from ..datafile import check_file, numbers
    path = Path(check_file(path))
    cols, names, col = (_npy_columns if path.suffix.lower() == ".npy" else _csv_columns)(path, y)
    data = np.column_stack([numbers(cells, name) for cells, name in zip(cols, names)])
    target = data[:, col]
    X = np.delete(data, col, axis=1).astype(float)
    if X.shape[1] == 0:
        raise ValueError(f"{path}: no input columns besides the target {names[col]!r}")
    if onehot and len(np.unique(target)) > MAX_CLASSES:
        raise ValueError(f"--onehot: the target has more than {MAX_CLASSES} distinct values (not class labels?)")
    Y = one_hot(target) if onehot else target[:, None].astype(float)
    return X, Y, {"name": path.name, "target": names[col]}


__all__ = ["DATASETS", "load", "load_digits", "load_teacher", "load_file", "one_hot"]
