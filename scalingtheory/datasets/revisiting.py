"""The Revisiting-NSL learning-curve benchmark, shipped as package data.

Data: Alabdulmohsin, Neyshabur & Zhai, "Revisiting Neural Scaling Laws in Language and
Vision", NeurIPS 2022 (arXiv 2209.06640); files ``benchmark.vision.csv`` and
``benchmark.lang.csv`` from google-research/google-research,
``revisiting_neural_scaling_laws/data/``, licensed CC BY 4.0 (see ``data/README.md``).
Caballero et al. (ICLR 2023) score BNSL on exactly these curves.

One curve is a (Domain, Task, Model) triple; ``Seen Examples`` is x, ``Loss`` is y,
``Training == 1`` marks fitting points and ``0`` held-out extrapolation points.
Quirks handled by :func:`load_curves` (digest ``bnsl.md`` §4): every LM row is repeated
4 times (exact duplicate rows are dropped), rows are not sorted by x (each curve is
sorted), some curves have plateaus of identical y (kept).

>>> curves = load_curves(domains=["NMT"])
>>> len(curves), curves[0].domain, int(curves[0].train.sum()), int((~curves[0].train).sum())
(5, 'NMT', 10, 1)
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILES = ("benchmark.vision.csv", "benchmark.lang.csv")
COLUMNS = ("Domain", "Task", "Model", "Seen Examples", "Loss", "Training")
DOMAINS = ("IC", "NMT", "LM", "BB")
#: Folder of the packaged CSV files (unchanged copies, with their README and licence note).
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
ATTRIBUTION = ("Revisiting-NSL benchmark: Alabdulmohsin, Neyshabur & Zhai, NeurIPS 2022 (arXiv 2209.06640), "
               "google-research/google-research revisiting_neural_scaling_laws/data/, CC BY 4.0")


@dataclass(frozen=True, eq=False)
class Curve:
    """One benchmark curve sorted by ``x``: ``train`` marks the fitting points (``Training == 1``)."""

    domain: str
    task: str
    model: str
    x: np.ndarray
    y: np.ndarray
    train: np.ndarray

    @property
    def key(self) -> str:
        return f"{self.domain} | {self.task} | {self.model}"

    @property
    def x_fit(self) -> np.ndarray:
        return self.x[self.train]

    @property
    def y_fit(self) -> np.ndarray:
        return self.y[self.train]

    @property
    def x_test(self) -> np.ndarray:
        return self.x[~self.train]

    @property
    def y_test(self) -> np.ndarray:
        return self.y[~self.train]

    def __repr__(self) -> str:
        return f"Curve({self.key}: {int(self.train.sum())} fitting + {int((~self.train).sum())} held-out points)"


def default_data_dir() -> Path:
    """``$SCALINGTHEORY_REVISITING_DATA`` when set (an override), else the packaged copy."""
    env = os.environ.get("SCALINGTHEORY_REVISITING_DATA")
    return Path(env) if env else PACKAGE_DATA


def _csv_files(paths) -> list[Path]:
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files = []
    for p in map(Path, paths):
        files += [p / f for f in FILES if (p / f).exists()] if p.is_dir() else [p]
    if not files:
        raise FileNotFoundError(f"no benchmark CSV files ({', '.join(FILES)}) in {', '.join(map(str, paths))}")
    return files


def _read_points(files, domains) -> dict[tuple, set]:
    rows: dict[tuple, set] = {}
    for path in files:
        with open(path, newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
            for lineno, r in enumerate(reader, start=2):
                if domains is not None and r["Domain"] not in domains:
                    continue
                try:
                    point = (float(r["Seen Examples"]), float(r["Loss"]), int(float(r["Training"])))
                except ValueError:
                    raise ValueError(f"{path}, line {lineno}: non-numeric value in {r}") from None
                rows.setdefault((r["Domain"], r["Task"], r["Model"]), set()).add(point)  # set: drops duplicates
    return rows


def load_curves(paths=None, domains=None) -> list[Curve]:
    """Read benchmark CSV file(s) into :class:`Curve` objects (in file order of first appearance).

    ``paths``: a directory holding :data:`FILES`, a CSV path, or a list of CSV paths
    (default :func:`default_data_dir`, the packaged copy). ``domains`` filters (e.g. ``["IC"]``).
    Raises ``ValueError`` for a missing column or a non-numeric value, ``FileNotFoundError``
    when no data are found.
    """
    rows = _read_points(_csv_files(default_data_dir() if paths is None else paths), domains)
    curves = []
    for (dom, task, model), pts in rows.items():
        arr = np.array(sorted(pts, key=lambda p: (p[0], -p[2], p[1]))).reshape(-1, 3)
        curves.append(Curve(dom, task, model, arr[:, 0], arr[:, 1], arr[:, 2] == 1))
    return curves


def write_curves(curves, path) -> None:
    """Write curves back in the benchmark's CSV format (used to ship small test subsets)."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for c in curves:
            for xv, yv, t in zip(c.x, c.y, c.train):
                w.writerow([c.domain, c.task, c.model, repr(float(xv)), repr(float(yv)), int(t)])


__all__ = ["Curve", "load_curves", "write_curves", "default_data_dir", "PACKAGE_DATA", "ATTRIBUTION", "DOMAINS",
           "FILES", "COLUMNS"]
