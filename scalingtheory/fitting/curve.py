r"""``st.fit``: a learning curve fitted by log-space least squares, with its number of breaks and its band.

Algorithm (:func:`fit`):

1. :func:`~scalingtheory.fitting.curve_data.prepare_data` validates and orders the data (documented handling
   of bad input);
2. :func:`~scalingtheory.fitting.least_squares.solve` minimises the squared log residuals under box bounds
   from a vectorised start grid (variable projection), refines the best distinct starts and polishes the best;
3. for BNSL with ``breaks="auto"``, :func:`~scalingtheory.fitting.breaks.select_breaks` chooses the number of
   breaks (by default the BIC, forward from one break);
4. the result (:class:`~scalingtheory.fitting.curve_result.FitResult`) carries a covariance and, on request,
   a backtest (default), calibrated or bootstrap band (:mod:`~scalingtheory.fitting.curve_bands`), the one
   that covers held-out extrapolation points.

>>> import numpy as np
>>> x = np.logspace(1, 4, 25)
>>> res = fit(x, 0.5 + 3.0 * x**-0.4, form="m2")
>>> round(res.params["c"], 6), round(res.params["eps_inf"], 6)
(-0.4, 0.5)
"""

from __future__ import annotations

from ..limits import LIMITS, check_count
from ..renames import renamed
from .breaks import select_breaks
from .curve_choices import DEFAULT_CRITERION, DEFAULT_MAX_BREAKS, INTERVALS, MAX_BREAK_MARGIN
from .curve_data import column_names, load_csv, prepare_data, rmsle
from .curve_result import FitResult, fit_points
from .forms import BNSL, Form, get_form


@renamed(n_boot="bootstrap")
def fit(x, y, form="bnsl", breaks: int | str = "auto", n_starts: int = 6, up_bound: float | None = None,
        criterion: str = DEFAULT_CRITERION, max_breaks: int = DEFAULT_MAX_BREAKS, space: str = "log", names=None,
        interval: str | None = "backtest", bootstrap: int = 200, seed: int = 0, origins: int = 8,
        break_margin: float | None = None) -> FitResult:
    r"""Fit a learning-curve form to ``(x, y)`` by bounded log-space least squares (``st.fit``).

    ``x, y``: arrays, lists or a DataFrame's columns (their names label plots and reports,
    or give ``names=(x_label, y_label)``). ``y`` is a lower-is-better quantity > 0 (loss,
    error rate); for a higher-is-better score such as accuracy fit ``1 - accuracy``.

    ``form``: a name of :data:`~scalingtheory.fitting.curve_choices.FORM_NAMES` or a
    :class:`~scalingtheory.fitting.forms.Form`. ``breaks``: number of BNSL breaks, or
    ``"auto"`` (default; :func:`~scalingtheory.fitting.breaks.select_breaks` with ``criterion`` and ``max_breaks``;
    ignored for the other forms). ``up_bound`` caps M4's :math:`\varepsilon_0`.
    ``space="log1p"`` fits :math:`\log(1+y)` residuals like the released BNSL script
    (default ``"log"``, the metric); covariances and bands always use the log-space
    Jacobian and residuals. ``interval``: the band of :meth:`~scalingtheory.fitting.curve_result.FitResult.predict`, one of
    :data:`~scalingtheory.fitting.curve_choices.INTERVALS` (``"backtest"`` falls back to ``"delta"`` with a note when there are
    too few points, ``origins`` backtest origins; ``"bootstrap"`` uses ``bootstrap`` replicates
    seeded by ``seed``, the name ``st.fit_law`` and ``fit --bootstrap`` use; ``n_boot`` is its deprecated alias) or
    ``None`` (no band work now; the delta band on request). ``break_margin`` (decades, BNSL only): let breaks
    lie up to that far beyond (and below) the data, instead of the default rule that keeps at least two
    fitting points beyond every break (:meth:`~scalingtheory.fitting.forms.BNSL.break_range`). It trades
    robustness for reach: a break the data announce by their curvature can be extrapolated (the noiseless
    4-digit-addition simulation cut at x = 405: RMSLE 3e-10 with a margin of 1 decade, 1.4 by default), but
    on real curves a break beyond the data fitted to noise decides the extrapolation (Revisiting BB, one
    break: RMSLE 0.0171 with a 1-decade margin vs 0.0092); :meth:`~scalingtheory.fitting.curve_result.FitResult.horizon` says how far the
    data can locate one. ``derivations/bnsl.py`` sections 8.1 and 9.

    Raises ``ValueError`` when the data are invalid (:func:`~scalingtheory.fitting.curve_data.prepare_data`, whose messages
    name the columns) or have fewer points than parameters, and ``RuntimeError`` when no
    start gives a finite objective.

    >>> import numpy as np
    >>> x = np.logspace(1, 4, 30)
    >>> r = fit(x, 0.2 + 5 * x**-0.5 * (1 + (x / 300) ** 2) ** -0.25)
    >>> r.form.name, r.criterion, r.interval
    ('bnsl1', 'bic-one', 'backtest')
    """
    if interval is not None and interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)} or None, got {interval!r}")
    _check_knobs(breaks, n_starts, max_breaks, bootstrap, origins)
    bnsl = isinstance(form, BNSL) or str(form).lower() == "bnsl"
    _check_margin(break_margin, bnsl and not isinstance(form, Form))
    names = column_names(x, y, names)
    x, y, notes = prepare_data(x, y, *names)
    if breaks == "auto" and bnsl and not isinstance(form, Form):
        res = select_breaks(x, y, max_breaks=max_breaks, criterion=criterion, n_starts=n_starts, space=space,
                            break_margin=break_margin)
    else:
        if not isinstance(form, Form):
            form = get_form(form, breaks=1 if breaks == "auto" else breaks, up_bound=up_bound)
            form = BNSL(form.n, d_margin=break_margin) if isinstance(form, BNSL) else form
        res = fit_points(form, x, y, n_starts, space)
    res.notes = notes + [n for n in res.notes if n not in notes]
    res.names = names
    return _add_band(res, interval, bootstrap, seed, origins)


def _check_knobs(breaks, n_starts, max_breaks, bootstrap, origins) -> None:
    """Every work knob of :func:`fit` within :data:`scalingtheory.limits.LIMITS`, checked before any work
    (``breaks=10**9`` built a 5.8 GB start grid, ``bootstrap=10**9`` never ended)."""
    if not (isinstance(breaks, str) and breaks == "auto"):
        check_count("breaks", breaks)
    if check_count("n_starts", n_starts) == 0:          # LIMITS allows 0 for backtest refits, warm-started
        raise ValueError(f"n_starts must be an integer from 1 to {LIMITS['n_starts'].high} for a fit: each start is "
                         "one refinement, and a fit has no other start (it was RuntimeError 'no starting point')")
    check_count("max_breaks", max_breaks)
    check_count("bootstrap", bootstrap)
    check_count("origins", origins)


def _check_margin(break_margin, named_bnsl: bool) -> None:
    """``break_margin`` is ``None`` or a number of decades in ``[0, MAX_BREAK_MARGIN]``, given with ``form="bnsl"``
    (a :class:`~scalingtheory.fitting.forms.BNSL` instance carries its own ``d_margin``)."""
    if break_margin is None:
        return
    if not named_bnsl:
        raise ValueError("break_margin applies to form='bnsl' (give a BNSL form its own d_margin)")
    if not (isinstance(break_margin, (int, float)) and not isinstance(break_margin, bool)
            and 0 <= break_margin <= MAX_BREAK_MARGIN):
        raise ValueError(f"break_margin must be a number of decades from 0 to {MAX_BREAK_MARGIN:g}, got "
                         f"{str(break_margin)[:40]}")


def _add_band(res: FitResult, interval, bootstrap: int, seed: int, origins: int) -> FitResult:
    """Run the work behind ``interval`` and record the method (backtest falls back to delta with a note)."""
    if interval == "backtest":
        try:
            res.backtest(origins)
        except (ValueError, RuntimeError) as exc:
            res.notes.append(f"no backtest band ({exc}); delta-method band")
            interval = "delta"
    elif interval == "calibrated":
        res.calibrate()
    elif interval == "bootstrap":
        res.bootstrap(bootstrap, seed=seed)
    res.interval = interval
    return res


__all__ = ["fit", "select_breaks", "FitResult", "prepare_data", "rmsle", "load_csv"]
