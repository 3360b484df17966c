r"""A learning curve's data: validated and ordered (:func:`prepare_data`), read from a CSV file
(:func:`load_csv`), binned when long (:func:`bin_means`), labelled (:func:`column_names`), and the
metric of the Revisiting benchmark and of BNSL, the root mean squared log error (:func:`rmsle`).

>>> prepare_data([3.0, 1.0, 2.0], [0.5, 0.9, 0.7])
(array([1., 2., 3.]), array([0.9, 0.7, 0.5]), ['x was not sorted; sorted ascending'])
"""

from __future__ import annotations

import numpy as np


def rmsle(y_hat, y) -> float:
    """Root mean squared log error ``sqrt(mean((log y_hat - log y)^2))``; NaN if any prediction is <= 0."""
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if np.any(~(y_hat > 0)):
        return float("nan")
    return float(np.sqrt(np.mean((np.log(y_hat) - np.log(y)) ** 2)))


def prepare_data(x, y, name_x: str = "x", name_y: str = "y"):
    """Validate a learning curve and return ``(x, y, notes)`` sorted by ``x``.

    Handling (each case tested):

    * different lengths, fewer than 2 points, NaN/inf, ``x <= 0`` or ``y <= 0``
      (logarithms are taken of both) -> ``ValueError`` naming the column;
    * constant ``y`` -> ``ValueError`` (no curve to fit);
    * unsorted ``x`` -> sorted, with a note;
    * exactly repeated ``(x, y)`` rows (e.g. the 4x LM rows of the Revisiting CSV) ->
      dropped, with a note; repeated ``x`` with *different* ``y`` are kept as repeated
      measurements (least squares averages them), with a note.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    notes = []
    if x.shape != y.shape:
        raise ValueError(f"{name_x} and {name_y} must have the same length, got {x.size} and {y.size}")
    for arr, nm in ((x, name_x), (y, name_y)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{nm} must be finite, got {int(np.sum(~np.isfinite(arr)))} NaN/inf value(s)")
        if np.any(arr <= 0):
            raise ValueError(f"{nm} must be > 0 (it enters through its logarithm), got min {arr.min():g}")
    if x.size < 2:
        raise ValueError(f"need at least 2 points, got {x.size}")
    if np.ptp(y) == 0:
        raise ValueError(f"{name_y} is constant ({y[0]:g}): there is no curve to fit")
    from .least_squares import working_exponent

    working_exponent(np.log(y))                # refuses y too large to carry its covariance back
    if np.any(np.diff(x) < 0):
        notes.append(f"{name_x} was not sorted; sorted ascending")
    order = np.lexsort((y, x))
    x, y = x[order], y[order]
    keep = np.ones(x.size, bool)
    keep[1:] = (np.diff(x) != 0) | (np.diff(y) != 0)
    if not keep.all():
        notes.append(f"dropped {int((~keep).sum())} exactly duplicated ({name_x}, {name_y}) row(s)")
        x, y = x[keep], y[keep]
    if np.any(np.diff(x) == 0):
        notes.append(f"repeated {name_x} values with different {name_y} kept as repeated measurements")
    return x, y, notes


def bin_means(x, y, n_bins: int):
    r"""Means of a sorted curve in ``n_bins`` equal-width bins of :math:`\ln x`: ``(x_b, y_b, counts)``.

    :math:`x_b = \exp\overline{\ln x}` and :math:`y_b = \exp\overline{\ln y}` over each non-empty bin.
    The weighted sum :math:`\sum_b n_b(\log\hat y(x_b) - \log y_b)^2` is the points' :math:`S` minus
    the within-bin scatter (a constant) up to the curvature of :math:`\log\hat y` across one bin
    (width: the log-range over ``n_bins``), so both have the same optimum to that order.

    >>> xb, yb, n = bin_means(np.arange(1.0, 101.0), np.full(100, 2.0), 4)
    >>> n.astype(int).tolist(), yb.tolist()  # 1-3, 4-9, 10-31, 32-100 (edges 10**0.5, 10, 10**1.5)
    ([3, 6, 22, 69], [2.0, 2.0, 2.0, 2.0])
    """
    lx, ly = np.log(x), np.log(y)
    edges = np.linspace(lx[0], lx[-1], n_bins + 1)
    idx = np.clip(np.searchsorted(edges, lx, side="right") - 1, 0, n_bins - 1)
    counts = np.bincount(idx, minlength=n_bins)
    keep = counts > 0
    sums = np.bincount(idx, lx, n_bins)[keep], np.bincount(idx, ly, n_bins)[keep]
    return np.exp(sums[0] / counts[keep]), np.exp(sums[1] / counts[keep]), counts[keep].astype(float)


def column_names(x, y, names):
    """Labels of x and y: ``names`` if given, else a pandas Series' ``.name``, else ``("x", "y")``."""
    if names is not None:
        return tuple(map(str, names))
    return tuple(str(getattr(v, "name", None) or d) for v, d in ((x, "x"), (y, "y")))


def load_csv(path, x_col: str, y_col: str, delimiter: str | None = None):
    """Columns ``x_col`` and ``y_col`` of a CSV file with a header, read by :func:`scalingtheory.datafile.columns`
    (BOM, CRLF, sniffed delimiters; ``ValueError`` naming the column or row for anything else)."""
    from ..datafile import columns

    cols = columns(path, [x_col, y_col], delimiter)
    return cols[x_col], cols[y_col]


__all__ = ["rmsle", "prepare_data", "bin_means", "column_names", "load_csv"]
