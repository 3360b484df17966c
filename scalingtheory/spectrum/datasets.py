r"""Data sets that work offline, and a user's own CSV or ``.npy`` file.

* ``digits``: scikit-learn's bundled 8x8 handwritten digits (1797 images, 64 pixels,
  10 classes as one-hot targets), shipped inside the scikit-learn wheel, so nothing
  is downloaded. scikit-learn is the optional extra ``data`` (``pip install
  'scalingtheory[data]'``): only this data set needs it, and it is a large dependency
  for a symbolic toolkit. Default kernel ``rbf``.
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
#: files larger than this are refused (the spectrum uses at most a few thousand rows anyway)
MAX_FILE_BYTES = 200 * 2 ** 20
MAX_CLASSES = 100


def one_hot(labels: np.ndarray) -> np.ndarray:
    """Integer class labels -> one-hot matrix (classes in sorted order)."""
    import numpy as np
    classes, idx = np.unique(labels, return_inverse=True)
    return np.eye(len(classes))[idx]


def load_digits() -> tuple[np.ndarray, np.ndarray, dict]:
    """scikit-learn's bundled digits, one-hot targets."""
    try:
        from sklearn.datasets import load_digits as sk_load_digits
    except ImportError:
        raise ValueError("the digits data set needs scikit-learn: pip install 'scalingtheory[data]'") from None
    X, y = sk_load_digits(return_X_y=True)
    return X.astype(float), one_hot(y), {"name": "digits", "classes": 10}


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


def _check_file(path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"{path} is larger than {MAX_FILE_BYTES // 2 ** 20} MiB")
    return path


def _columns(rows: list[list[str]], header: list[str], path) -> np.ndarray:
    import numpy as np
    try:
        data = np.array([[float(v) for v in row] for row in rows], dtype=float)
    except ValueError:
        raise ValueError(f"{path}: every column must be numeric (no header names in data rows)") from None
    if data.ndim != 2 or data.shape[1] != len(header):
        raise ValueError(f"{path}: rows must all have {len(header)} columns")
    return data


def load_file(path, y: str, onehot: bool = False) -> tuple[np.ndarray, np.ndarray, dict]:
    """A user's CSV (header row; ``y`` names the target column, the other columns are the
    inputs) or ``.npy`` (a 2-D array; ``y`` is the target column's index). ``onehot``: the
    target holds class labels, turned into one-hot outputs."""
    import csv
    import numpy as np
    path = _check_file(path)
    if path.suffix.lower() == ".npy":
        try:
            data = np.load(path, allow_pickle=False)
        except (ValueError, OSError) as exc:
            raise ValueError(f"{path}: not a readable .npy array ({exc})") from None
        if data.ndim != 2 or data.shape[1] < 2 or not np.issubdtype(data.dtype, np.number):
            raise ValueError(f"{path}: need a numeric 2-D array with inputs and a target column")
        try:
            col = int(y)
        except ValueError:
            raise ValueError(f"--y for a .npy file is a column index, got {y!r}") from None
        if not -data.shape[1] <= col < data.shape[1]:
            raise ValueError(f"--y {col} is not a column of the {data.shape[1]}-column array")
        col %= data.shape[1]
        names = [str(i) for i in range(data.shape[1])]
    else:
        with open(path, newline="", encoding="utf-8", errors="replace") as fh:
            rows = [r for r in csv.reader(fh) if r]
        if len(rows) < 2:
            raise ValueError(f"{path}: need a header row and data rows")
        names = [h.strip() for h in rows[0]]
        if y not in names:
            raise ValueError(f"{path}: no column {y!r}; columns are {', '.join(names)}")
        col = names.index(y)
        data = _columns(rows[1:], names, path)
    target = data[:, col]
    X = np.delete(data, col, axis=1).astype(float)
    if X.shape[1] == 0:
        raise ValueError(f"{path}: no input columns besides the target {names[col]!r}")
    if onehot and len(np.unique(target)) > MAX_CLASSES:
        raise ValueError(f"--onehot: the target has more than {MAX_CLASSES} distinct values (not class labels?)")
    Y = one_hot(target) if onehot else target[:, None].astype(float)
    return X, Y, {"name": path.name, "target": names[col]}


__all__ = ["DATASETS", "load", "load_digits", "load_teacher", "load_file", "one_hot"]
