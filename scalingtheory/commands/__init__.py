"""Subcommands of the ``scalingtheory`` CLI, one module each (see :mod:`scalingtheory.cli`)."""

from __future__ import annotations

import json
import math


def json_text(obj) -> str:
    """Strict JSON (no ``NaN``/``Infinity`` tokens): a non-finite number becomes ``null``, and a
    dict's ``notes`` list says where.

    >>> print(json_text({"y": float("inf"), "notes": []}))
    {
      "y": null,
      "notes": [
        "y: inf is not a JSON number; shown as null"
      ]
    }
    """
    where = []

    def clean(value, path):
        if isinstance(value, float) and not math.isfinite(value):
            where.append(f"{path}: {value} is not a JSON number; shown as null")
            return None
        if isinstance(value, dict):
            return {k: clean(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value

    out = clean(obj, "")
    if where and isinstance(out, dict):
        out["notes"] = list(out.get("notes") or []) + where
    return json.dumps(out, indent=2, allow_nan=False)
