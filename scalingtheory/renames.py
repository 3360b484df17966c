"""Renamed keyword arguments kept working under their old names, with a ``DeprecationWarning`` (:func:`renamed`).

A core module without SymPy, so that light paths (the one-resource ``fit``) can use it.
"""

from __future__ import annotations

import functools
import warnings


def renamed(**old_to_new: str):
    """Decorator: a function's renamed keyword arguments stay accepted under their old names
    (``old="new"``), with a ``DeprecationWarning``; giving both names is a ``TypeError``.

    >>> @renamed(T="t")
    ... def double(t):
    ...     return 2 * t
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     double(T=3), str(caught[0].message)
    (6, 'double: the keyword T is deprecated; use t')
    """
    def wrap(fn):
        import inspect

        position = {new: list(inspect.signature(fn).parameters).index(new) for new in old_to_new.values()}

        @functools.wraps(fn)
        def call(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs or len(args) > position[new]:
                        raise TypeError(f"{fn.__name__}: {old} is the deprecated name of {new}; give one of them")
                    warnings.warn(f"{fn.__name__}: the keyword {old} is deprecated; use {new}", DeprecationWarning,
                                  stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)
        return call
    return wrap


__all__ = ["renamed"]
