"""Registry of the toolkit's models, imported lazily by name.

>>> sorted(MODEL_MODULES)
['bnsl', 'feature_learning', 'random_features', 'sparse_parity']
>>> get_model("nonsense")
Traceback (most recent call last):
...
ValueError: unknown model 'nonsense'; available: bnsl, feature_learning, random_features, sparse_parity
"""

from __future__ import annotations

import importlib
import importlib.util

from .base import Model

#: model name -> module defining ``MODEL``
MODEL_MODULES = {
    "random_features": "scalingtheory.models.random_features",
    "feature_learning": "scalingtheory.models.feature_learning",
    "sparse_parity": "scalingtheory.models.sparse_parity",
    "bnsl": "scalingtheory.models.bnsl",
}


def available() -> list[str]:
    """Names of the models whose modules are present in this installation."""
    return [name for name, mod in sorted(MODEL_MODULES.items()) if importlib.util.find_spec(mod) is not None]


def get_model(name: str) -> Model:
    """The model instance registered as ``name`` (ValueError for unknown names)."""
    if name not in MODEL_MODULES or importlib.util.find_spec(MODEL_MODULES[name]) is None:
        raise ValueError(f"unknown model {name!r}; available: {', '.join(available() or sorted(MODEL_MODULES))}")
    return importlib.import_module(MODEL_MODULES[name]).MODEL


__all__ = ["Model", "get_model", "available", "MODEL_MODULES"]
