"""Renamed keyword arguments kept working under their old names, with a ``DeprecationWarning`` (:func:`renamed`).

A core module without SymPy, so that light paths (the one-resource ``fit``) can use it.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


class RenamedWarning(DeprecationWarning):
    """The toolkit's own deprecation of a renamed name: the command line shows it even without ``--verbose``."""


def warn_deprecated(message: str) -> None:
    """A ``DeprecationWarning`` attributed to the first caller outside the package (the user's line), so that
    Python's default filters show it (they show deprecations only where ``__main__`` made the call) once per
    line, however deep in the toolkit the old name was read.

    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_deprecated("old is deprecated; use new")
    >>> caught[0].filename.startswith(_PACKAGE), str(caught[0].message)
    (False, 'old is deprecated; use new')
    """
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, RenamedWarning, stacklevel=level)


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
                    warn_deprecated(f"{fn.__name__}: the keyword {old} is deprecated; use {new}")
                    kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)
        return call
    return wrap


__all__ = ["RenamedWarning", "renamed", "warn_deprecated"]
