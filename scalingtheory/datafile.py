"""Reading a user's CSV file: whatever a spreadsheet or a script wrote, or a one-line refusal.

Accepted: UTF-8 with or without a byte-order mark (as spreadsheets write), LF or CRLF line
ends, ``,`` ``;`` or tab delimiters (found from the header line, or named with
``delimiter``), spaces after delimiters, quoted fields. Refused with a ``ValueError`` that
names the file, the row or the column: a file that is not UTF-8 text, duplicated column
names, rows with a different number of fields than the header, a field longer than
:data:`MAX_FIELD` characters, more than :data:`MAX_ROWS` data rows or :data:`MAX_BYTES`
bytes, and (for numeric columns) values that are not finite numbers or are subnormal
(below 2.2e-308, where a float keeps fewer than 16 digits).

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "curve.csv")
>>> _ = open(path, "w", encoding="utf-8-sig", newline="").write("x; loss\\r\\n1; 0,5\\r\\n")
>>> read_table(path)
{'x': ['1'], 'loss': ['0,5']}
>>> columns(path, ["x", "loss"])
Traceback (most recent call last):
...
ValueError: column 'loss' is not numeric: data row 1 has the non-numeric value '0,5'
"""

from __future__ import annotations

import csv
import os

import numpy as np

MAX_BYTES = 200_000_000   # size of a file read
MAX_ROWS = 1_000_000      # data rows
MAX_FIELD = 10_000        # characters in one field
#: names accepted for ``delimiter`` -> the character
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t", "\\t": "\t", "|": "|"}


def _delimiter(header: str, given: str | None) -> str:
    if given is not None:
        if given not in DELIMITERS:
            raise ValueError(f"delimiter must be one of , ; tab |, got {given!r}")
        return DELIMITERS[given]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def check_file(path) -> str:
    """``path`` as a string when it names an existing file of at most :data:`MAX_BYTES` bytes (the one
    size limit of every data file read: CSV here, ``.npy`` in :mod:`scalingtheory.spectrum.datasets`);
    ``FileNotFoundError`` or ``ValueError`` with a one-line message otherwise."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise ValueError(f"{path} is a directory, not a data file")
    if os.path.exists(path) and not os.path.isfile(path):   # a pipe, device or socket: no size to bound
        raise ValueError(f"{path} is not a regular file (a pipe or device); save the data to a file first")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no such file: {path}")
    if os.path.getsize(path) > MAX_BYTES:
        raise ValueError(f"{path} is larger than {MAX_BYTES // 10**6} MB")
    return path


def read_npy(path):
    """The array in a ``.npy`` file, after checking its header against the file: anything else (a ``.npz``
    archive or other file named ``.npy``, a header whose shape needs more bytes than the file holds, object
    arrays) is refused with a one-line ``ValueError`` before an array is allocated (a header claiming 1e11
    rows made ``np.load`` ask for 800 GB).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.npy")
    >>> np.save(path, np.ones((3, 2)))
    >>> read_npy(path).shape
    (3, 2)
    >>> np.savez(path, a=np.ones(2)); os.replace(path + ".npz", path)
    >>> read_npy(path)
    Traceback (most recent call last):
    ...
    ValueError: ... is a .npz archive (a zip file), not a .npy array; save one array with numpy.save
    """
    from numpy.lib import format as npy

    path = check_file(path)
    with open(path, "rb") as f:
        head = f.read(len(npy.MAGIC_PREFIX))
        if head[:2] == b"PK":
            raise ValueError(f"{path} is a .npz archive (a zip file), not a .npy array; save one array with numpy.save")
        if head != npy.MAGIC_PREFIX:
            raise ValueError(f"{path} is not a .npy array (no .npy header)")
        f.seek(0)
        try:
            version = npy.read_magic(f)
            read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
            shape, _, dtype = read(f, max_header_size=10_000)
        except (ValueError, TypeError, SyntaxError) as exc:
            raise ValueError(f"{path}: not a readable .npy header ({' '.join(str(exc).split())[:200]})") from None
        offset = f.tell()
    if dtype.hasobject:
        raise ValueError(f"{path}: an array of Python objects is not data")
    needed = offset + int(np.prod(shape, dtype=object)) * dtype.itemsize
    if needed != os.path.getsize(path):
        raise ValueError(f"{path}: the header claims shape {shape} of {dtype} ({needed:,} bytes), but the file "
                         f"holds {os.path.getsize(path):,} bytes")
    return np.load(path, allow_pickle=False)


def read_table(path, delimiter: str | None = None) -> dict[str, list[str]]:
    """``{column name: [cell text, ...]}`` of a CSV file with a header row (see the module docstring)."""
    path = check_file(path)
    old = csv.field_size_limit(MAX_FIELD)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            header_line = fh.readline(MAX_FIELD * 10)
            fh.seek(0)
            reader = csv.reader(fh, delimiter=_delimiter(header_line, delimiter), skipinitialspace=True)
            return _rows(reader, path)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        line = getattr(reader, "line_num", "?")
        detail = f"a field longer than {MAX_FIELD} characters" if "field larger" in str(exc) else str(exc)
        raise ValueError(f"{path}, line {line}: not readable as CSV ({detail})") from None
    finally:
        csv.field_size_limit(old)


def _rows(reader, path: str) -> dict[str, list[str]]:
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise ValueError(f"{path} has no header row")
    seen = {h for h in header if header.count(h) > 1}
    if seen:
        raise ValueError(f"{path}: duplicated column name(s) {', '.join(repr(h) for h in sorted(seen))}")
    body = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ValueError(f"{path}, line {reader.line_num}: {len(row)} fields, the header has {len(header)}")
        body.append(row)
        if len(body) > MAX_ROWS:
            raise ValueError(f"{path} has more than {MAX_ROWS:,} data rows (limit); thin or bin the curve first")
    return {h: [r[j].strip() for r in body] for j, h in enumerate(header)}


def numbers(cells, name: str) -> np.ndarray:
    """Float values of a column's cells; ``ValueError`` naming the column and the row for a value
    that is not a number, not finite, or subnormal."""
    try:
        arr = np.asarray(cells, dtype=float).ravel()
    except (TypeError, ValueError):
        for i, cell in enumerate(cells):
            try:
                float(cell)
            except (TypeError, ValueError):
                raise ValueError(f"column {name!r} is not numeric: data row {i + 1} has the non-numeric "
                                 f"value {str(cell)[:40]!r}") from None
        raise ValueError(f"column {name!r} is not numeric") from None
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        cell = cells[bad[0]]      # the file's text, or a number of a .npy array (shown as a number, not its repr)
        raise ValueError(f"column {name!r} must be finite; data row {bad[0] + 1} has "
                         f"{repr(cell) if isinstance(cell, str) else format(arr[bad[0]], 'g')} ({bad.size} such value(s))")
    tiny = np.flatnonzero((arr != 0) & (np.abs(arr) < np.finfo(float).tiny))
    if tiny.size:
        raise ValueError(f"column {name!r}: data row {tiny[0] + 1} has {arr[tiny[0]]:g}, below the smallest normal "
                         f"float 2.2e-308 (precision is lost there); rescale the column")
    return arr


def columns(path, names, delimiter: str | None = None) -> dict[str, np.ndarray]:
    """The numeric columns ``names`` of the CSV file ``path`` (``ValueError`` if missing or bad)."""
    table = read_table(path, delimiter)
    for name in names:
        if name not in table:
            raise ValueError(f"column {name!r} not found in {path}; columns are {', '.join(table) or '(none)'}")
    return {name: numbers(table[name], name) for name in names}


__all__ = ["check_file", "read_table", "columns", "numbers", "MAX_ROWS", "MAX_BYTES", "MAX_FIELD", "DELIMITERS"]
