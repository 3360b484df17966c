"""The toolkit's models, discovered: every module of this package defining ``MODEL`` is a model
named as its module (``models/<name>.py``), imported lazily by name.

A model is one module (plus its derivation document ``derivations/<name>.py``); nothing else lists
it. The modules below (:data:`SUPPORT`) are the machinery every model shares, not models.

>>> available()
['bnsl', 'feature_learning', 'random_features', 'sparse_parity']
>>> get_model("random_features").name
'random_features'
>>> get_model("nonsense")
Traceback (most recent call last):
...
ValueError: unknown model 'nonsense'; available: bnsl, feature_learning, random_features, sparse_parity
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Model

#: modules of this package that are not models: the interface, the engine, the shared questions
SUPPORT = frozenset({"base", "engine", "queries"})


def available() -> list[str]:
    """Names of the models present in this installation (their module names, sorted); found without
    importing them."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__)
                  if not info.ispkg and not info.name.startswith("_") and info.name not in SUPPORT)


def get_model(name: str) -> Model:
    """The model of module ``models/<name>.py`` (ValueError for unknown names)."""
    names = available()
    if name not in names:
        raise ValueError(f"unknown model {name!r}; available: {', '.join(names)}")
    return importlib.import_module(f"{__name__}.{name}").MODEL


def analyze_cached(model, params: dict) -> list:
    """``model.analyze(**params)``, one result per value of a choice the closed form needs (below);
    each derived once per session, closed forms once per toolkit version (:mod:`scalingtheory.cache`)."""
    from .. import cache

    return each_open_choice(lambda **p: cache.analyze(model, p), model, params)


def each_open_choice(call, model, params: dict) -> list:
    """``[call(**params)]``; where that fails because the answer depends on a choice the user left
    open (e.g. the regime of a symbolic beta), one answer per value of that choice.

    The omitted-parameter rule of :data:`scalingtheory.api.OMITTED_RULE`, shared by ``st.optimal``, ``exponent``
    and ``query``.
    """
    from ..params import Choice

    try:
        return [call(**params)]
    except ValueError as exc:
        for choice in model.parameters:
            if not isinstance(choice, Choice) or choice.name in params:
                continue
            out = []
            for value in choice.choices:
                try:
                    out.append(call(**params, **{choice.name: value}))
                except ValueError:
                    continue
            if out:
                return out
        raise exc


def result_from_json(data: dict):
    """The :class:`~scalingtheory.results.ModelResult` a ``to_json()`` dictionary describes, derived again by
    its model (found by the name in ``data["model"]``).

    Parameters are read exactly (through :func:`scalingtheory.parsing.parse_formula`, never ``eval``); every
    stored value must agree with the re-derived one (relative 1e-9, :func:`scalingtheory.results.check_stored`),
    otherwise ``ValueError`` -- a JSON file from another version or edited by hand is not taken on trust.

    >>> saved = get_model("random_features").analyze(alpha="3/2", beta="1/2").to_json()
    >>> result_from_json(saved).to_json() == saved
    True
    >>> result_from_json({**saved, "regime": "easy"})
    Traceback (most recent call last):
    ...
    ValueError: stored regime = 'easy' differs from the derived 'hard'
    """
    from ..parsing import parse_formula
    from ..results import check_stored

    if not isinstance(data, dict) or not isinstance(data.get("model"), str):
        raise ValueError("not a model result: expected a dict with 'model', 'params', ...")
    model = get_model(data["model"])
    stored = data.get("params", {})
    if not isinstance(stored, dict) or not all(isinstance(k, str) for k in stored):
        raise ValueError("'params' must map parameter names to values")
    params = {}
    for k, v in stored.items():
        if k in model.derived_parameters:
            continue
        if not (isinstance(v, str) or isinstance(v, dict) and isinstance(v.get("expr"), str)):
            raise ValueError(f"parameter {k!r} must be a choice (text) or {{'expr': ..., 'value': ...}}, "
                             f"got {v!r:.80}")
        params[k] = v if isinstance(v, str) else parse_formula(v["expr"], {})
    result = model.analyze(**params)
    check_stored(result.to_json(), data)
    return result


__all__ = ["Model", "get_model", "available", "result_from_json", "analyze_cached", "each_open_choice", "SUPPORT"]
