"""Every figure of the toolkit, drawn with matplotlib's object API (never pyplot state).

One module per model (``plots/<model>.py``) holds one function per figure taking its axes, and a
``write(model, out_dir, sizes)`` that lays them out and saves PNG files; :mod:`.phase` is the one
phase-diagram routine for every model with regimes; :mod:`.agreement` the report's agreement chart.
All use the one style of :mod:`scalingtheory.figure_style` (colour-blind-safe palette, exponent labels, ticks);
fit results draw themselves with it (:mod:`scalingtheory.fitting.figures`). Models and numerics import no
matplotlib and nothing of this package: :func:`write_figures` takes a model (``write_figures(get_model("bnsl"),
out_dir)``; the ``plot`` command, the report).
"""

from __future__ import annotations

import importlib
from pathlib import Path


def write_figures(model, out_dir, quick: bool = False, theory: bool = True) -> list[Path]:
    """Write ``model``'s figures into ``out_dir`` at its quick or full run sizes; returns their paths.

    ``theory=False`` leaves out the figures of the closed forms alone (a module's ``write`` reads
    ``sizes["theory"]``): phase diagrams, exponent maps, exact loss sums against their laws, BNSL's Fig. 1
    decomposition. They show no check's numerics and are the same at every size (sparse parity's exact
    sums: a figure-only computation), and each costs 0.6-3 s of SymPy and matplotlib: ``report --quick``
    draws only the figures of its measurements (:func:`scalingtheory.report.report.build_report`)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        module = importlib.import_module(f"{__name__}.{model.name}")
    except ModuleNotFoundError:
        return []
    sizes = {**model.figure_sizes.sizes(quick), "theory": theory}
    return [p for p in module.write(model, out_dir, sizes) if p is not None]


def caption(path) -> str:
    """The caption of a written figure (its module's ``CAPTIONS``; else its file name)."""
    import pkgutil

    stem = Path(path).stem
    for name in (info.name for info in pkgutil.iter_modules(__path__)):
        if stem.startswith(name):
            return getattr(importlib.import_module(f"{__name__}.{name}"), "CAPTIONS", {}).get(stem, stem)
    return stem.replace("_", " ")


__all__ = ["write_figures", "caption"]
