"""Writing files safely: only where the user said, never through a symlink, never half-written.

Rules (every command that writes follows them; the README lists them):

* a file is written to a temporary name in its target directory and renamed into place
  (``os.replace``), so an interrupted or failed run leaves either the old file or the new
  one, never a partial file; the temporary file is removed on any failure;
* a symlink is never written through: every component of the path the user names (the
  directories the user typed before it as well as the target, the output directory and every
  directory between them) must be a real file or directory, checked with ``lstat`` from the
  file-system root down, again just before the final rename (which replaces a name, it does
  not follow a link). A relative name is taken from the current directory, whose path the
  operating system reports without symlinks. The one exception is a symlink directly under
  the file-system root (:data:`SYSTEM_LINK_DEPTH`): ``/tmp -> private/tmp`` on macOS or
  ``/home -> var/home`` on some Linux distributions are the system's layout, which only the
  administrator can change;
* relative names cannot leave the output directory (no ``..``, no absolute names);
* an output directory that the toolkit filled records what it wrote in a marker file
  (:data:`MARKER`); a later run may replace those files, never others: a file of the
  same name that the toolkit did not write is refused (exit 2) unless ``force``;
* a single file the user names (``table --output``, ``fit --plot``, ``spectrum --plot``) is
  never written over an existing file unless the command was given ``--force``
  (``replace=True``);
* files get the user's normal permissions (mode ``0o666`` less the umask), not the
  ``0o600`` of :func:`tempfile.mkstemp`.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "t.csv", lambda tmp: tmp.write_text("a,b\\n"))
PosixPath('.../t.csv')
>>> (d / "t.csv").read_text()
'a,b\\n'
>>> atomic_write(d / "t.csv", lambda tmp: tmp.write_text("x"))
Traceback (most recent call last):
...
ValueError: .../t.csv exists; pass --force to replace it
>>> (d / "link").symlink_to(d / "t.csv")
>>> atomic_write(d / "link", lambda tmp: tmp.write_text("x"))
Traceback (most recent call last):
...
ValueError: refusing to write through the symlink .../link
>>> (d / "sub").mkdir(); (d / "dirlink").symlink_to(d / "sub")
>>> atomic_write(d / "dirlink" / "t.csv", lambda tmp: tmp.write_text("x"))
Traceback (most recent call last):
...
ValueError: refusing to write through the symlink .../dirlink (-> .../sub); name the real directory instead
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
from pathlib import Path

#: marker file of an output directory the toolkit wrote: {"tool", "kind", "files": [relative names]}
MARKER = ".scalingtheory-output.json"


def _lstat(path: Path):
    try:
        return path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None


#: symlinks this many components below the file-system root are the system's layout
#: (``/tmp`` on macOS); a symlink anywhere deeper on a named path is refused
SYSTEM_LINK_DEPTH = 1


def _symlink_error(path: Path) -> ValueError:
    try:
        target = f" (-> {os.readlink(path)})"
    except OSError:
        target = ""
    return ValueError(f"refusing to write through the symlink {path}{target}; name the real directory instead")


def _check_dirs(base: Path, rel: Path = Path()) -> None:
    """Every existing component of ``base/rel``, from the file-system root down, must be a real
    directory (not a file, not a symlink; see :data:`SYSTEM_LINK_DEPTH` for the one exception).

    The path is walked as written (``..`` is not collapsed), so each ``lstat`` looks at what the
    operating system will open; a relative ``base`` starts at the current directory."""
    path = Path(os.getcwd(), base, rel)
    part = Path(path.anchor)
    for depth, name in enumerate(path.parts[1:], start=1):
        part = part / name
        st = _lstat(part)
        if st is None:
            return
        if stat.S_ISLNK(st.st_mode):
            if depth <= SYSTEM_LINK_DEPTH:
                continue
            raise _symlink_error(part)
        if not stat.S_ISDIR(st.st_mode):
            raise ValueError(f"{part} is a file, not a directory")


def _lstat_not_link(path: Path):
    """``path``'s ``lstat`` (None when absent); ValueError when ``path`` is a symlink."""
    st = _lstat(path)
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise ValueError(f"refusing to write through the symlink {path}")
    return st


def _check_target(path: Path) -> None:
    """``path``'s directories are real (:func:`_check_dirs`) and ``path`` is no symlink or non-file."""
    _check_dirs(path.parent)
    st = _lstat_not_link(path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise ValueError(f"{path} exists and is not a regular file")


def check_file(path: str | Path, replace: bool = False) -> Path:
    """Check before any computation that ``path`` can be written safely; returns it as a Path.

    An existing file at ``path`` is refused unless ``replace`` (the user's ``--force``, or a
    file inside an output directory the toolkit manages itself)."""
    path = Path(path)
    if not path.name or path.name in (".", ".."):
        raise ValueError(f"{path} is not a file name")
    if len(os.fsencode(path.name)) > NAME_MAX:
        raise ValueError(f"file name longer than {NAME_MAX} bytes: {path.name[:40]}...")
    parent = path.parent
    _check_target(path)
    if not parent.is_dir():
        raise ValueError(f"directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"directory {parent} is not writable")
    if not replace and _lstat(path) is not None:
        raise ValueError(f"{path} exists; pass --force to replace it")
    return path


#: longest file name, in bytes, on the file systems the toolkit writes to (ext4, APFS, NTFS: 255)
NAME_MAX = 255
#: the toolkit's temporary names: ``.<stem>.<pid>.<8 hex>.tmp<suffix>``
_TMP_NAME = re.compile(r"^\..*\.([0-9]+)\.[0-9a-f]{8}\.tmp(\.[^./]*)?$")


def _temporary(path: Path) -> Path:
    """``.<stem>.<pid>.<8 hex>.tmp<suffix>`` next to ``path``, its stem shortened so that the name fits
    :data:`NAME_MAX` bytes (a 254-byte ``--plot`` name failed after the fit with the 18 bytes added)."""
    tail = f".{os.getpid()}.{secrets.token_hex(4)}.tmp"
    suffix = path.suffix if len(os.fsencode(path.suffix)) < NAME_MAX // 2 else ""
    stem = path.name[:len(path.name) - len(suffix)] if suffix else path.name
    while stem and len(os.fsencode(f".{stem}{tail}{suffix}")) > NAME_MAX:
        stem = stem[:-1]
    return path.with_name(f".{stem}{tail}{suffix}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def remove_stale(directory: str | Path) -> list[Path]:
    """Remove the toolkit's temporary files in ``directory`` whose writing process has ended (a run killed
    before its rename, e.g. by SIGKILL, left them); returns them. Other files are never touched.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / ".fig.999999999.0a1b2c3d.tmp.png").write_bytes(b"x"); _ = (d / ".mine.tmp").write_bytes(b"y")
    >>> [p.name for p in remove_stale(d)], sorted(p.name for p in d.iterdir())
    (['.fig.999999999.0a1b2c3d.tmp.png'], ['.mine.tmp'])
    """
    gone = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return gone
    for entry in entries:
        match = _TMP_NAME.match(entry.name)
        if match and entry.is_file(follow_symlinks=False) and not _alive(int(match.group(1))):
            try:
                os.unlink(entry.path)
                gone.append(Path(entry.path))
            except OSError:
                pass
    return gone


def atomic_write(path: str | Path, write, replace: bool = False) -> Path:
    """Call ``write(tmp)`` on a temporary file next to ``path`` and rename it onto ``path``.

    The temporary name keeps ``path``'s suffix (matplotlib picks the format from it) and fits
    :data:`NAME_MAX`; stale temporary files of the toolkit in the same directory are removed first
    (:func:`remove_stale`).
    """
    path = check_file(path, replace)
    remove_stale(path.parent)
    tmp = _temporary(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)   # the umask applies
    os.close(fd)
    try:
        write(tmp)
        _check_target(path)
        os.replace(tmp, path)
    finally:
        if _lstat(tmp) is not None:
            tmp.unlink()
    return path


def _marker(out: Path) -> dict | None:
    path = out / MARKER
    if _lstat(path) is None:
        return None
    _check_target(path)
    try:
        data = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "scalingtheory" else None


def check_dir(out: str | Path, kind: str, force: bool = False, empty_or_ours: bool = True,
              reserved: tuple = ()) -> Path:
    """Check before any computation that the output directory ``out`` can be used.

    It must be a real directory or not exist yet (every ancestor a real directory, the
    nearest existing one writable). With ``empty_or_ours``, a non-empty directory must hold
    an earlier output of the toolkit (its :data:`MARKER`), else it is refused unless ``force``.
    ``reserved`` names (files or directories the output will use) must not be symlinks.
    """
    out = Path(os.getcwd(), out)   # neither symlinks nor ".." resolved: they are what the checks look at
    _check_dirs(out)
    existing = next(p for p in [out, *out.parents] if p.exists())
    if not existing.is_dir():
        raise ValueError(f"cannot create {out}: {existing} is a file, not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"directory {existing} is not writable")
    if out.exists() and empty_or_ours and not force and any(out.iterdir()) and _marker(out) is None:
        raise ValueError(f"{out} is not empty and holds no earlier {kind} of scalingtheory "
                         f"(no {MARKER}); choose another directory or pass --force (other files are left alone)")
    for name in reserved:
        _lstat_not_link(out / name)
    return out


def publish(files: dict, out: str | Path, kind: str, force: bool = False) -> list[Path]:
    """Copy ``{relative name: source file}`` into ``out``, each file atomically; returns the targets.

    A target that exists and is not recorded in ``out``'s marker is a user's file: refused
    unless ``force``. The marker is written first (naming the files about to be written, so an
    interrupted run leaves a directory the next run may replace) and again last.
    """
    out = check_dir(out, kind, force, empty_or_ours=False)
    mine = set((_marker(out) or {}).get("files", [])) if out.exists() else set()
    plan = []
    for rel, src in files.items():
        rel = Path(rel)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"refusing to write {rel} outside {out}")
        target = out / rel
        _check_target(target)                 # also every directory of target (_check_dirs)
        if _lstat(target) is not None and rel.as_posix() not in mine and not force:
            raise ValueError(f"{target} exists and was not written by scalingtheory; pass --force to replace it")
        plan.append((target, Path(src)))
    def mark(names):
        _mkdirs(out, Path())
        atomic_write(out / MARKER, lambda tmp: tmp.write_text(json.dumps(
            {"tool": "scalingtheory", "kind": kind, "files": sorted(names)}, indent=1) + "\n"), replace=True)

    # the marker first, naming every file about to be written: a run interrupted or failed half-way (disk
    # full, SIGKILL) leaves a directory the next run recognises as its own and replaces, never one it refuses
    mark(mine | {t.relative_to(out).as_posix() for t, _ in plan})
    written = []
    for target, src in plan:
        _mkdirs(out, target.parent.relative_to(out))
        written.append(atomic_write(target, lambda tmp, src=src: tmp.write_bytes(src.read_bytes()), replace=True))
    mark(mine | {t.relative_to(out).as_posix() for t in written})
    return written


#: environment variable: "1" draws progress bars on any stderr (a CI log), "0" never
PROGRESS_VARIABLE = "SCALINGTHEORY_PROGRESS"


def interactive() -> bool:
    """Whether a progress bar may be drawn: stderr is a terminal, or this is a Jupyter kernel (a bar written
    to a file or pipe is noise in it), unless :data:`PROGRESS_VARIABLE` says otherwise."""
    import sys

    forced = os.environ.get(PROGRESS_VARIABLE)
    if forced in ("0", "1"):
        return forced == "1"
    return bool(getattr(sys.stderr, "isatty", lambda: False)()) or "ipykernel" in sys.modules


def exit_with_parent(poll: float = 0.5) -> None:
    """In a worker process: end it (``os._exit``) once its parent has ended, checked every ``poll`` s by a
    daemon thread. A parent killed by SIGKILL cannot stop its workers, and a worker busy with a job does not
    read the pool's queue; this way a killed run leaves no process computing for nothing."""
    import threading
    import time

    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(1)
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _mkdirs(out: Path, rel: Path) -> None:
    """Create ``out/rel`` and missing parents (mode 0o777 less the umask), re-checking for symlinks."""
    _check_dirs(out, rel)
    (out / rel).mkdir(parents=True, exist_ok=True)
    _check_dirs(out, rel)


__all__ = ["atomic_write", "check_file", "check_dir", "publish", "remove_stale", "exit_with_parent", "interactive",
           "MARKER"]
