r"""Functional forms of learning curves, evaluated in log space for least-squares fitting.

Every form maps an internal parameter vector ``theta`` and resources ``x > 0`` to
:math:`\log \hat y(x)` (fitting is done on log residuals, the metric of the benchmark
is RMSLE), together with the analytic Jacobian :math:`\partial \log\hat y/\partial\theta`.
Positive scale parameters are carried as logarithms inside ``theta`` (better
conditioned, positivity for free); :meth:`Form.params` maps back to the papers'
named parameters.

Forms
-----
``bnsl``  Broken neural scaling law, Caballero et al. (ICLR 2023) Eq. 1,

.. math:: y = a + b\,x^{-c_0}\prod_{i=1}^{n}\bigl(1+(x/d_i)^{1/f_i}\bigr)^{-c_i f_i},

    evaluated as :math:`\log(y-a) = \log b - c_0\ln x - \sum_i c_i f_i\,
    \operatorname{softplus}((\ln x-\ln d_i)/f_i)` so that sharp breaks (small
    :math:`f_i`) never overflow. ``theta = (a, ln b, c0, c1..cn, ln d1..ln dn, ln f1..ln fn)``.

The four forms of Alabdulmohsin, Neyshabur & Zhai, "Revisiting Neural Scaling Laws in
Language and Vision" (NeurIPS 2022), Eqs. 1-4 of that paper, in its sign convention
(:math:`\varepsilon` is the loss or error, the exponent ``c`` of M1, M2, M4 is negative
for a decreasing curve, that of M3 is non-negative):

``m1``  :math:`\varepsilon = \beta x^{c}` (the pure power law; ``power`` is an alias);
``m2``  :math:`\varepsilon = \varepsilon_\infty + \beta x^{c}`;
``m3``  :math:`\varepsilon = \beta (x^{-1}+\gamma)^{c}`, :math:`\gamma \ge 0, c\ge 0`;
``m4``  :math:`(\varepsilon-\varepsilon_\infty)/(\varepsilon_0-\varepsilon)^{\alpha} = \beta x^{c}`,
        :math:`\alpha\ge 0`, an implicit equation solved for :math:`\varepsilon` in
        :math:`(\varepsilon_\infty, \varepsilon_0)` (unique root, see :meth:`M4.log_predict`).

The estimators are ours, not the released ones: every form is fitted by the same
engine (:mod:`scalingtheory.fitting.curve`), i.e. bounded nonlinear least squares of
:math:`\log\hat y - \log y` started from a vectorised grid in which the parameters
that enter linearly (in :math:`\log(\hat y - \text{floor})`) are solved exactly.

Each form supplies ``candidates(x, y)``: an array of starting vectors built that way.

The forms live in :mod:`.bnsl_form` and :mod:`.revisiting_forms` (their base in :mod:`.form`); this module
names them (:func:`get_form`).

>>> [get_form(n).n_params for n in ("bnsl", "m1", "m2", "m3", "m4")]
[6, 2, 3, 3, 5]
"""

from __future__ import annotations

from .bnsl_form import BNSL
from .curve_choices import FORM_NAMES
from .form import Form, batched_lstsq, softplus
from .revisiting_forms import M1, M2, M3, M4


def get_form(name: str, breaks: int = 1, up_bound: float | None = None) -> Form:
    """The form called ``name`` (one of :data:`FORM_NAMES`); ``breaks`` applies to ``bnsl`` only.

    >>> get_form("power").name
    'm1'
    """
    key = str(name).lower()
    if key == "bnsl":
        return BNSL(breaks)
    if key in ("m1", "power"):
        return M1()
    if key == "m2":
        return M2()
    if key == "m3":
        return M3()
    if key == "m4":
        return M4(up_bound=up_bound)
    raise ValueError(f"form must be one of {', '.join(FORM_NAMES)}, got {name!r}")


__all__ = ["Form", "BNSL", "M1", "M2", "M3", "M4", "FORM_NAMES", "get_form", "softplus", "batched_lstsq"]
