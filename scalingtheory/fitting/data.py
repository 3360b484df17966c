"""Tabular inputs for multi-resource fits: a CSV path, a mapping of arrays, or a DataFrame.

The columns a law uses (its resources and the response) are validated here, once:
same length, numeric, finite and > 0 (they enter through logarithms and powers).
Every refusal is a ``ValueError`` naming the column.

>>> cols = read_columns({"N": [1e6, 2e6, 4e6], "D": [1e9, 1e9, 2e9], "loss": [3.1, 3.0, 2.9]},
...                     ["N", "D", "loss"])
>>> cols["N"].tolist()
[1000000.0, 2000000.0, 4000000.0]
>>> read_columns({"N": [1.0, -2.0], "loss": [3.0, 2.0]}, ["N", "loss"])
Traceback (most recent call last):
...
ValueError: column 'N' must be > 0 (it enters through logarithms and powers); data row 2 has -2
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np

from ..datafile import MAX_ROWS, numbers, read_table


def table_columns(data) -> dict:
    """All columns of ``data`` as ``{name: sequence}`` (values not yet converted).

    ``data`` is a path to a CSV file with a header row, a mapping ``{name: array}``,
    or a pandas DataFrame (anything with ``columns`` and item access; pandas itself is
    never imported here).
    """
    if isinstance(data, (str, os.PathLike)):
        return read_table(data)
    if isinstance(data, Mapping):
        return {str(k): v for k, v in data.items()}
    if hasattr(data, "columns") and hasattr(data, "__getitem__"):
        return {str(c): data[c] for c in data.columns}
    raise ValueError(f"data must be a CSV path, a mapping of arrays or a DataFrame, got {type(data).__name__}")


def read_columns(data, names, positive=True) -> dict[str, np.ndarray]:
    """The columns ``names`` of ``data`` as float arrays, validated (module docstring)."""
    table = table_columns(data)
    missing = [n for n in names if n not in table]
    if missing:
        raise ValueError(f"column {missing[0]!r} not found; columns are {', '.join(table) or '(none)'}")
    out = {n: numbers(table[n], n) for n in names}   # finite, normal floats or ValueError
    sizes = {arr.size for arr in out.values()}
    if len(sizes) > 1:
        raise ValueError("columns have different lengths: " + ", ".join(f"{n}={a.size}" for n, a in out.items()))
    for n, arr in out.items():
        bad = np.flatnonzero(arr <= 0)
        if positive and bad.size:
            raise ValueError(f"column {n!r} must be > 0 (it enters through logarithms and powers); "
                             f"data row {bad[0] + 1} has {arr[bad[0]]:g}")
    return out


def group_labels(table: dict, name: str, size: int) -> np.ndarray:
    """Each row's group (run / training curve) as labels ``0..G-1``, from the column ``name`` of ``table``.

    Values are compared as numbers when every value is one (``1e7`` and ``10000000`` are one
    group), else as text; an empty value is refused.

    >>> group_labels({"run": ["r1", "r2", "r1", "r3"]}, "run", 4).tolist()
    [0, 1, 0, 2]
    >>> group_labels({"N": ["1e7", "10000000", "2e7"]}, "N", 3).tolist()
    [0, 0, 1]
    """
    if name not in table:
        raise ValueError(f"group column {name!r} not found; columns are {', '.join(table) or '(none)'}")
    values = [str(v).strip() for v in table[name]]
    if len(values) != size:
        raise ValueError(f"group column {name!r} has {len(values)} values for {size} rows")
    empty = [i for i, v in enumerate(values) if not v or v.lower() == "nan"]
    if empty:
        raise ValueError(f"group column {name!r} is empty at data row {empty[0] + 1}: every row needs its run")
    try:
        keys = np.array([float(v) for v in values])
    except ValueError:
        keys = np.array(values)
    return np.unique(keys, return_inverse=True)[1].ravel()


def numeric_columns(data) -> dict[str, np.ndarray]:
    """Every column of ``data`` whose values are all finite numbers (others are skipped)."""
    out = {}
    for name, values in table_columns(data).items():
        try:
            arr = np.asarray(values, dtype=float).ravel()
        except (TypeError, ValueError):
            continue
        if arr.size and np.all(np.isfinite(arr)):
            out[name] = arr
    return out


def varying_within(groups: np.ndarray, values: np.ndarray) -> bool:
    """Whether ``values`` differ (relatively, beyond 1e-9) among rows that share a value of ``groups``."""
    order = np.lexsort((values, groups))
    g, v = groups[order], values[order]
    same = g[1:] == g[:-1]
    scale = np.maximum(np.abs(v[1:]), np.abs(v[:-1]))
    return bool(np.any(same & (np.abs(v[1:] - v[:-1]) > 1e-9 * np.where(scale > 0, scale, 1.0))))


__all__ = ["table_columns", "read_columns", "numeric_columns", "group_labels", "varying_within", "MAX_ROWS"]
