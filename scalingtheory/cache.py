"""Derivations kept across a session and, for closed forms, on disk (``st.optimal``, ``exponent``, ``verify``).

A model's answer at given parameters (:meth:`Model.analyze`) depends only on the parameters and on
the toolkit's code, so :func:`analyze` keeps every answer of the session, keyed by the model, each
parameter's name, type and value (``1``, ``1.0`` and ``True`` are different keys). An answer that
holds symbols (a closed form, e.g. ``st.optimal(alpha=alpha, beta=beta)``: seconds of SymPy) is
also written to disk, under a key that includes the package version, a hash of the package's source
files and SymPy's and Python's versions: a changed toolkit never reads an older answer. Numeric
points are derived in milliseconds and kept for the session only, so the disk holds a handful of
files (one per model, regime and choice left symbolic).

Where: ``$SCALINGTHEORY_CACHE_DIR`` if set (``off`` turns the disk off), else the user's cache
directory (``platformdirs.user_cache_dir("scalingtheory")``, e.g. ``~/.cache/scalingtheory``),
in a folder named for the version. Files are written under a temporary name and renamed
(:func:`scalingtheory.safe_io.atomic_write`), never through a symlink, and read only from a folder
that the user owns and no one else may write to (a pickle runs code when read); a file that cannot
be read is a miss. Every answer comes back as a copy whose lists and dictionaries the caller may change.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path

import sympy as sp

from ._version import __version__

ENV = "SCALINGTHEORY_CACHE_DIR"
#: answers kept in a session (a sweep over numeric points forgets the oldest)
SESSION_SIZE = 4096
_SESSION: dict = {}


def analyze(model, params: dict):
    """``model.analyze(**params)``, derived once per session (and once per toolkit version on disk
    for a closed form); a fresh copy of the answer each call."""
    key = _session_key(model, params)
    if key is None:
        return model.analyze(**params)
    found = _SESSION.get(key)
    if found is None:
        found = _read(model, params)
        if found is None:
            found = model.analyze(**params)
            if _has_symbols(found):
                _write(model, params, found)
        if len(_SESSION) >= SESSION_SIZE:
            del _SESSION[next(iter(_SESSION))]     # the oldest
        _SESSION[key] = found
    return _copy(found)


def clear(disk: bool = False) -> None:
    """Forget the session's answers (and with ``disk`` this version's files)."""
    _SESSION.clear()
    folder = directory()
    if disk and folder is not None and folder.is_dir():
        for path in folder.glob("*.pickle"):
            path.unlink()


def _session_key(model, params: dict):
    key = (model.name, tuple(sorted((k, type(v), v) for k, v in params.items())))
    try:
        hash(key)
    except TypeError:          # an unhashable value: derived every time
        return None
    return key


def _has_symbols(result) -> bool:
    return any(q.expr.free_symbols for q in result.quantities().values())


def _copy(result):
    """The same answer with its own containers (quantities, regimes and expressions are immutable)."""
    co = result.compute_optimal
    if co is not None:
        co = dataclasses.replace(co, allocation=dict(co.allocation), prefactors=dict(co.prefactors))
    return dataclasses.replace(result, params=dict(result.params), exponents=dict(result.exponents),
                               compute_optimal=co, prefactors=dict(result.prefactors), notes=list(result.notes))


def directory() -> Path | None:
    """This version's cache folder, or None when the disk cache is off."""
    where = os.environ.get(ENV)
    if where is not None and where.strip().lower() in ("", "off", "0", "none"):
        return None
    if where is None:
        try:
            import platformdirs
        except ImportError:
            return None
        where = platformdirs.user_cache_dir("scalingtheory", appauthor=False)
    return Path(where).expanduser() / __version__


@functools.lru_cache(maxsize=1)
def source_hash() -> str:
    """SHA-256 of the package's Python files (names and contents), SymPy's and Python's versions."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sp.__version__} {sys.version_info[:2]}".encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _file(model, params: dict) -> Path | None:
    folder = directory()
    if folder is None:
        return None
    text = repr((source_hash(), model.name, sorted((k, type(v).__name__, sp.srepr(v) if isinstance(v, sp.Basic)
                                                     else repr(v)) for k, v in params.items())))
    return folder / f"{model.name}-{hashlib.sha256(text.encode()).hexdigest()[:32]}.pickle"


def _private(folder: Path) -> bool:
    """The folder is a real directory of this user that no one else may write to."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not os.path.isdir(folder) or os.path.islink(folder):
        return False
    return not hasattr(os, "getuid") or (st.st_uid == os.getuid() and not st.st_mode & 0o022)


def _read(model, params: dict):
    path = _file(model, params)
    if path is None or not _private(path.parent):
        return None
    try:
        with open(path, "rb") as fh:
            found = pickle.load(fh)
    except Exception:  # noqa: BLE001 -- missing, truncated, from another SymPy: a miss
        return None
    return found if type(found).__name__ == "ModelResult" and found.model == model.name else None


def _write(model, params: dict, result) -> None:
    from .safe_io import atomic_write

    path = _file(model, params)
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _private(path.parent):
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write(path, lambda tmp: tmp.write_bytes(data), replace=True)
    except (OSError, ValueError, pickle.PicklingError, RecursionError):
        pass        # a read-only home, a symlink on the way: the session cache still holds it


__all__ = ["analyze", "clear", "directory", "source_hash", "ENV", "SESSION_SIZE"]
