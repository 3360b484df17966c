r"""What every fit returns: the one result protocol of ``st.fit`` (:class:`~scalingtheory.fitting.curve_result.FitResult`)
and ``st.fit_law`` (:class:`~scalingtheory.fitting.law.FittedLaw`).

A :class:`Fitted` result has

* ``report()`` -- a plain-text report (parameters with their uncertainty, the interval method, notes);
* ``predict(x)`` -- the fitted value at ``x`` (resources of a curve, or a table of runs for a law);
* ``predict_interval(x, level)`` -- ``(y_hat, lo, hi)`` with the result's own band at ``level``;
* ``to_json()`` -- the command line's JSON (strict: non-finite numbers are ``null``);
* ``plot(ax=None)`` -- its figure drawn into ``ax`` (a new one without), returning the Axes;
* ``latex()`` and the Jupyter views ``_repr_html_()`` and ``_repr_latex_()``.

``explain()`` is ``report()``, as for the theory results (:class:`scalingtheory.display.Reported`).

>>> import numpy as np
>>> from scalingtheory.fitting.curve import fit
>>> x = np.logspace(1, 3, 12)
>>> res = fit(x, 2 * x**-0.5, form="m1", interval="delta")
>>> isinstance(res, Fitted), res._repr_latex_()
(True, '$\\varepsilon = 2\\,x^{-0.5}$')
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..display import Reported


class Fitted(Reported, ABC):
    """The result protocol shared by the fits (module docstring); subclasses implement the abstract methods."""

    @abstractmethod
    def report(self) -> str:
        """Plain-text report: parameters with their uncertainty, how it was made, notes."""

    @abstractmethod
    def predict(self, x):
        """The fitted value at ``x``."""

    @abstractmethod
    def predict_interval(self, x, level: float = 0.95):
        """``(y_hat, lo, hi)`` at ``x`` with the result's ``level`` band (NaN bounds where it has none)."""

    @abstractmethod
    def to_json(self) -> dict:
        """The command line's JSON (strict: non-finite numbers are ``null``)."""

    @abstractmethod
    def plot(self, ax=None):
        """The result's figure drawn into ``ax`` (a new one when ``None``); returns the Axes."""

    @abstractmethod
    def latex(self, digits: int = 4) -> str:
        """The fitted formula in LaTeX (math mode, without delimiters)."""

    @abstractmethod
    def _repr_html_(self) -> str:
        """Jupyter: the parameters and their uncertainty as an HTML table."""

    def _repr_latex_(self) -> str:
        """Jupyter (LaTeX front ends): the fitted formula."""
        return f"${self.latex()}$"



__all__ = ["Fitted"]
