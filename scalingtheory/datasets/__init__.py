"""Data shipped with scalingtheory (loaded on demand).

* :func:`revisiting` -- the 92 curves of the Revisiting-NSL benchmark (Alabdulmohsin,
  Neyshabur & Zhai, NeurIPS 2022; google-research/google-research
  ``revisiting_neural_scaling_laws/data/``; CC BY 4.0), the benchmark on which BNSL
  (Caballero et al., ICLR 2023) is scored.
* :func:`digits` -- the 1797 8x8 handwritten digits (UCI test set, Alpaydin & Kaynak 1998,
  CC BY 4.0, as scikit-learn distributes it), the real data of ``scalingtheory spectrum``.

>>> from scalingtheory.datasets import revisiting
>>> curves = revisiting()
>>> len(curves), sorted({c.domain for c in curves})
(92, ['BB', 'IC', 'LM', 'NMT'])
"""

from __future__ import annotations

# Imported before the functions are defined below, so the functions (not the submodules) are the attributes.
from . import digits as _digits_module
from . import revisiting as _revisiting_module


def revisiting(domains=None, path=None) -> list:
    """The Revisiting-NSL benchmark: a list of curves with ``domain, task, model, x, y, train``.

    ``x`` (``Seen Examples``) and ``y`` (``Loss``, lower is better) are arrays sorted by
    ``x``; ``train`` is the boolean mask of the fitting points (``Training == 1``), the rest
    are held out for scoring extrapolation. ``domains`` filters (``IC``, ``NMT``, ``LM``,
    ``BB``); ``path`` reads another copy (default: ``$SCALINGTHEORY_REVISITING_DATA`` if set,
    else the packaged CSV files). Attribution: :data:`ATTRIBUTION`.
    """
    return _revisiting_module.load_curves(path, domains)


def digits() -> tuple:
    """The handwritten digits: ``(X, y)``, 64 pixels 0..16 as float64 ``(1797, 64)`` and labels 0..9.
    Attribution: :data:`DIGITS_ATTRIBUTION`."""
    return _digits_module.load_digits()


ATTRIBUTION = _revisiting_module.ATTRIBUTION
DIGITS_ATTRIBUTION = _digits_module.ATTRIBUTION

__all__ = ["revisiting", "digits", "ATTRIBUTION", "DIGITS_ATTRIBUTION"]
