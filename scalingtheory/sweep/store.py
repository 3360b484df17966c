"""The sweep directory: the spec, part files of finished rows, and their consolidation.

Layout of ``DIR``: ``sweep.json`` (the canonical spec: a later ``--resume`` must match it),
``parts/part-<uuid>.parquet`` (rows as they finish; every file is written under a temporary
name and renamed, so a crash leaves whole files only), ``results.parquet`` (all rows, one
per task, after consolidation), ``exponents.json`` and ``exponents.png`` (the analysis),
``dask.log`` (Dask's own messages, kept off stderr).

Nothing outside ``DIR`` is written, nothing is written through a symlink (the checks and
atomic writes of :mod:`scalingtheory.safe_io`), and a directory that holds anything but an
earlier run of the same spec is refused.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from ..safe_io import atomic_write, check_dir
from .spec import Spec, task_key

SPEC_FILE, PARTS, RESULTS = "sweep.json", "parts", "results.parquet"
EXPONENTS, FIGURE = "exponents.json", "exponents.png"
#: Dask's own log records during a run (never on stderr)
LOG_FILE = "dask.log"


def check_out(out, spec: Spec, resume: bool) -> Path:
    """Refuse an unusable ``out`` (see the module docstring) without writing anything; return it as a Path."""
    out = check_dir(out, "sweep", empty_or_ours=False, reserved=(PARTS, SPEC_FILE, RESULTS, EXPONENTS, FIGURE,
                                                                       LOG_FILE))
    entries = sorted(p.name for p in out.iterdir()) if out.exists() else []
    if entries:
        _check_earlier(out, entries, spec.canonical(), resume)
    return out


def prepare(out, spec: Spec, resume: bool) -> Path:
    """Check ``out`` (:func:`check_out`), then create it with ``sweep.json`` and ``parts/``."""
    out = check_out(out, spec, resume)
    out.mkdir(parents=True, exist_ok=True)
    (out / PARTS).mkdir(exist_ok=True)
    if not (out / SPEC_FILE).exists():
        text = json.dumps(spec.canonical(), indent=2) + "\n"
        atomic_write(out / SPEC_FILE, lambda p: p.write_text(text, encoding="utf-8"), replace=True)
    return out


def _check_earlier(out: Path, entries: list, canonical: dict, resume: bool) -> None:
    spec_file = out / SPEC_FILE
    if SPEC_FILE not in entries or spec_file.is_symlink() or not spec_file.is_file():
        raise ValueError(f"--out {str(out)!r} is not empty and holds no sweep; choose a new or empty directory")
    try:
        earlier = json.loads(spec_file.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        raise ValueError(f"{str(spec_file)!r} is not a readable sweep spec; choose another directory") from None
    if earlier != canonical:
        raise ValueError(f"--out {str(out)!r} holds a sweep of a different spec; choose another directory")
    if not resume:
        raise ValueError(f"--out {str(out)!r} holds an earlier run of this spec; pass --resume to continue it")


def write_part(out: Path, rows: list[dict]) -> Path:
    """Write finished rows as the next part file (temporary name, then rename)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows)
    name = f"part-{uuid.uuid4().hex}.parquet"        # unique: never replaces another run's part
    return atomic_write(out / PARTS / name, lambda p: pq.write_table(table, p), replace=True)


def load_rows(out: Path):
    """All finished rows (``results.parquet`` and part files), one per task key, as a pyarrow Table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not out.is_dir():
        return None
    files = [out / RESULTS] if (out / RESULTS).is_file() else []
    files += sorted((out / PARTS).glob("part-*.parquet")) if (out / PARTS).is_dir() else []
    if not files:
        return None
    table = pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")
    seen, keep = set(), []
    for i, key in enumerate(row_keys(table)):
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return table.take(keep)


def row_keys(table) -> list[tuple]:
    """Task keys (:func:`scalingtheory.sweep.spec.task_key`) of the rows of ``table``."""
    cols = table.select(["point", "resource", "seed"]).to_pydict()
    res_cols = {r: table.column(r).to_pylist() for r in set(cols["resource"])}
    return [(p, r, float(res_cols[r][i]), int(s))
            for i, (p, r, s) in enumerate(zip(cols["point"], cols["resource"], cols["seed"]))]


def done_keys(out: Path) -> set:
    table = load_rows(out)
    return set() if table is None else set(row_keys(table))


def consolidate(out: Path, spec: Spec):
    """Merge parts into ``results.parquet`` (sorted by task order), then remove the parts."""
    import pyarrow.parquet as pq

    table = load_rows(out)
    order = {task_key(t["point"], t["resource"], t["values"][t["resource"]], t["seed"]): i
             for i, t in enumerate(spec.tasks())}
    keys = row_keys(table)
    table = table.take(sorted(range(len(keys)), key=lambda i: order.get(keys[i], len(order))))
    atomic_write(out / RESULTS, lambda p: pq.write_table(table, p), replace=True)
    for part in (out / PARTS).glob("part-*.parquet"):
        part.unlink()
    return table
