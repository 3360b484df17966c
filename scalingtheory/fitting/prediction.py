"""A prediction of a fitted curve: the predicted values as an array that carries its band.

>>> p = Prediction([10.0], [2.0], [1.5], [2.5], 0.95, "delta")
>>> print(p)
Prediction (95% delta band):
  x = 10: y = 2  [1.5, 2.5]
>>> p.to_json(), float(p[0] * 2)
([{'x': 10.0, 'y': 2.0, 'lo': 1.5, 'hi': 2.5}], 4.0)
"""

from __future__ import annotations

import html
import math

import numpy as np


class Prediction(np.ndarray):
    r"""Predicted values :math:`\hat y(x)` (the array itself) with their band ``lo, hi``.

    Attributes ``x``, ``lo``, ``hi``, ``level`` and ``method`` (the interval method of
    :meth:`~scalingtheory.fitting.curve_result.FitResult.predict_interval`); arrays derived from it (slices, arithmetic) are
    plain NumPy arrays. ``to_json()`` gives ``[{"x", "y", "lo", "hi"}]`` (null for
    non-finite bounds).
    """

    def __new__(cls, x, y, lo, hi, level, method):
        obj = np.asarray(y, float).view(cls)
        obj.x, obj.lo, obj.hi, obj.level, obj.method = np.asarray(x, float), lo, hi, level, method
        return obj

    def __array_finalize__(self, obj):
        self.x = self.lo = self.hi = self.level = self.method = None

    def __array_wrap__(self, arr, context=None, return_scalar=False):
        arr = np.asarray(arr)
        return arr[()] if return_scalar else arr

    def __getitem__(self, key):
        return np.asarray(self)[key]

    def rows(self) -> list[tuple]:
        return list(zip(np.ravel(self.x), np.ravel(np.asarray(self)), np.ravel(self.lo), np.ravel(self.hi)))

    def to_json(self) -> list[dict]:
        return [{"x": float(a), "y": finite_or_none(b), "lo": finite_or_none(c), "hi": finite_or_none(d)} for a, b, c, d in self.rows()]

    def __repr__(self) -> str:
        if self.lo is None:
            return repr(np.asarray(self))
        head = f"Prediction ({self.level:.0%} {self.method} band):"
        return "\n".join([head] + [f"  x = {a:.6g}: y = {b:.6g}  [{c:.6g}, {d:.6g}]" for a, b, c, d in self.rows()])

    def __str__(self) -> str:
        return repr(self) if self.lo is not None else str(np.asarray(self))

    def _repr_html_(self) -> str:
        if self.lo is None:
            return None
        cells = "".join(f"<tr><td>{a:.6g}</td><td>{b:.6g}</td><td>{c:.6g}</td><td>{d:.6g}</td></tr>"
                        for a, b, c, d in self.rows())
        return (f"<table><caption>{self.level:.0%} {html.escape(str(self.method))} band</caption>"
                f"<tr><th>x</th><th>y</th><th>lo</th><th>hi</th></tr>{cells}</table>")



def finite_or_none(v):
    """``float(v)``, or ``None`` for ``None``, NaN and infinities (strict JSON).

    >>> finite_or_none(2), finite_or_none(float("nan")), finite_or_none(None)
    (2.0, None, None)
    """
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


__all__ = ["Prediction", "finite_or_none"]
