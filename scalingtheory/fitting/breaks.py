r"""The number of breaks of a BNSL fit (:func:`select_breaks`), chosen by an information criterion or by
extrapolation inside the training range.

:func:`select_breaks` chooses the number of BNSL breaks (0 to
:data:`~scalingtheory.fitting.curve_choices.DEFAULT_MAX_BREAKS`) by
:data:`~scalingtheory.fitting.curve_choices.DEFAULT_CRITERION` ``"bic-one"`` unless told otherwise: the BIC of
the log residuals, searched forward from one break, each step (a break fewer or one more) taken only if it
lowers the BIC by more than :data:`~scalingtheory.fitting.curve_choices.BIC_EVIDENCE` = 2
(:func:`choose_breaks`). Also available (:data:`~scalingtheory.fitting.curve_choices.CRITERIA`): the lowest
AIC, AICc or BIC, and held-out validation or a rolling-origin backtest on the last points of the training range
(never on test data).

>>> x = np.logspace(1, 4, 30)
>>> select_breaks(x, 0.2 + 5 * x**-0.5 * (1 + (x / 300) ** 2) ** -0.25).form.name
'bnsl1'
"""

from __future__ import annotations

import numpy as np

from ..limits import check_count
from .curve_choices import BIC_EVIDENCE, CRITERIA, CRITERION_NAME, DEFAULT_CRITERION, DEFAULT_MAX_BREAKS
from .curve_data import prepare_data
from .curve_result import FitResult, fit_points
from .forms import BNSL, Form


def prefix_score(form: Form, x, y, origins, n_starts: int = 3, space: str = "log") -> float:
    """Extrapolation score inside the training range: RMSLE of prefix fits on the points after them.

    For each prefix length ``k`` in ``origins`` the ``form`` is fitted (cold multi-start,
    ``n_starts``) on the first ``k`` points and its log errors on points ``k..m-1`` are
    pooled; the score is the root mean square of all pooled errors (``inf`` when no
    prefix can be fitted). ``origins=[m - h]`` is the single holdout of
    ``criterion="validation"``; several origins give ``criterion="backtest"``.
    """
    errs = []
    for k in origins:
        if k < form.n_params + 2 or k >= x.size:
            continue
        try:
            res = fit_points(form, x[:k], y[:k], n_starts, space)
        except RuntimeError:
            continue
        errs.append(form.log_predict(res.theta, x[k:]) - np.log(y[k:]))
    if not errs:
        return float("inf")
    e = np.concatenate(errs)
    return float(np.sqrt(np.mean(e**2))) if np.all(np.isfinite(e)) else float("inf")


def selection_origins(m: int, criterion: str, holdout: float = 0.25) -> list[int]:
    """Prefix lengths used by ``criterion``: ``[m - round(holdout m)]`` or four from 0.6 m to 0.9 m."""
    if criterion == "validation":
        return [m - max(1, int(round(holdout * m)))]
    return sorted({int(round(q * m)) for q in (0.6, 0.7, 0.8, 0.9)} - {m})


def choose_breaks(scores: dict, criterion: str) -> int:
    """The number of breaks ``criterion`` picks from its ``scores`` ``{n: score}``.

    The lowest finite score; for ``"bic-one"`` (scores are BICs) a forward search from one
    break, the form of the BNSL paper: zero breaks if their BIC is lower than one break's by
    more than :data:`BIC_EVIDENCE`, else add breaks one at a time while each addition lowers
    the BIC by more than :data:`BIC_EVIDENCE` (counts it never reaches need not be scored).

    >>> bics = {0: -10.0, 1: -30.0, 2: -31.0, 3: -40.0}
    >>> choose_breaks(bics, "bic"), choose_breaks(bics, "bic-one"), choose_breaks({0: -10.0, 1: -30.0, 2: -35.0}, "bic-one")
    (3, 1, 2)
    """
    finite = {n: s for n, s in scores.items() if np.isfinite(s)}
    if not finite:
        raise RuntimeError("no number of breaks gave a finite selection score")
    if criterion != "bic-one" or 1 not in finite:
        return min(finite, key=finite.get)
    if 0 in finite and finite[0] < finite[1] - BIC_EVIDENCE:
        return 0
    n = 1
    while n + 1 in finite and finite[n + 1] < finite[n] - BIC_EVIDENCE:
        n += 1
    return n


def unobserved_segment(res: FitResult) -> int | None:
    r"""The first break ``i`` of a BNSL fit followed by fewer than ``d_edge`` distinct fitting x before the next
    break (``None`` when every segment between consecutive breaks holds them, or with fewer than 2 breaks).

    Between the sorted breaks :math:`d_i < d_{i+1}` the log-log slope of :math:`y-a` is
    :math:`-(c_0+\dots+c_i)`; two points observe a slope, and with fewer the segment's slope is carried
    only by the curvature of the two transitions around it: two sharp breaks with no point between them
    act on the data as one (a step, a bump), and their parameters are not identified. This is the rule of
    :meth:`~scalingtheory.fitting.forms.BNSL.break_range` (``d_edge`` = 2 fitting points beyond every
    break) applied to the segments between breaks, which box bounds cannot express: the fits
    :func:`select_breaks` scores are checked after fitting, and a count with such a segment is not eligible.

    >>> xs = np.logspace(0, 3, 16)
    >>> r = fit_points(BNSL(2), xs, xs**-0.5, 6)
    >>> r.theta[5:7] = np.log([10.0, 12.0]); unobserved_segment(r)  # no x strictly between d1 = 10 and d2 = 12
    1
    >>> r.theta[5:7] = np.log([12.0, 2.0]); unobserved_segment(r)  # 2 and 12 (sorted): 10**0.4, 10**0.6, 10**0.8 between
    """
    form = res.form
    if not isinstance(form, BNSL) or form.n < 2:
        return None
    lx = np.unique(np.log(res.x))
    d = np.sort(res.theta[3 + form.n:3 + 2 * form.n])
    inside = np.searchsorted(lx, d[1:], "left") - np.searchsorted(lx, d[:-1], "right")
    short = np.flatnonzero(inside < form.d_edge)
    return int(short[0]) + 1 if short.size else None


def scored_fit(n: int, x, y, n_starts: int = 6, space: str = "log", break_margin: float | None = None) -> FitResult:
    """The fit of ``n`` breaks an information criterion scores in :func:`select_breaks`: ``n_starts`` grid
    starts, no polish (3 starts instead of 6 saved 25% CPU but missed a 3-break optimum by 50 in BIC)."""
    return fit_points(BNSL(n, d_margin=break_margin), x, y, n_starts, space, polish=False)


def polished(res: FitResult, space: str = "log") -> FitResult:
    """``res`` refined and polished by :func:`~scalingtheory.fitting.least_squares.solve` from its parameters (the chosen count's final fit)."""
    best = fit_points(res.form, res.x, res.y, 0, space, warm=res.theta)
    best.n_starts, best.nfev = res.n_starts, best.nfev + res.nfev
    return best


def select_breaks(x, y, max_breaks: int = DEFAULT_MAX_BREAKS, criterion: str = DEFAULT_CRITERION,
                  holdout: float = 0.25, n_starts: int = 6, space: str = "log",
                  break_margin: float | None = None) -> FitResult:
    r"""Fit BNSL with the number of breaks ``n in 0..max_breaks`` chosen by ``criterion``.

    ``"bic-one"`` (the default, :data:`DEFAULT_CRITERION`, as in :func:`fit` and the CLI): the BIC
    :math:`m\ln(S/m) + p\ln m` of each count's fit on all points, searched forward from one break:
    zero breaks if their BIC is lower by more than :data:`BIC_EVIDENCE` = 2, else one break more
    while each addition lowers the BIC by more than 2 (:func:`choose_breaks`; counts beyond the
    first step that fails are not fitted; ``derivations/bnsl.py`` section 8.3 measures it).
    ``"aic"``, ``"aicc"``, ``"bic"``: the lowest :meth:`FitResult.information_criterion` on all
    points. For these four, a count whose fit leaves fewer than ``d_edge`` = 2 fitting points
    between two consecutive breaks is not eligible (:func:`unobserved_segment`; a note says so,
    its score is still listed; the forward search cannot step to it). ``"validation"``: fit each
    ``n`` on the first ``1 - holdout`` of the (sorted) training points and score RMSLE on the rest,
    i.e. an extrapolation test inside the training range; ``"backtest"``: the same pooled over four prefixes (0.6 to 0.9 of the points,
    :func:`prefix_score`). Lower is better for every criterion. Only ``n`` with at least 2
    residual degrees of freedom on the smallest prefix are tried; the information criteria score
    each count before the final polish of :func:`~scalingtheory.fitting.least_squares.solve` (:func:`scored_fit`), which only the
    chosen count gets (:func:`polished`; on 5 slow IC curves the polish moved a BIC by < 1). The
    winner is fitted on all points; the scores are kept in ``FitResult.selection`` and the criterion in
    ``FitResult.criterion``. ``break_margin``: the ``d_margin`` of every :class:`~scalingtheory.fitting.forms.BNSL`
    tried (breaks up to that many decades beyond the data; default ``None``, the ``d_edge`` rule).
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {', '.join(CRITERIA)}, got {criterion!r}")
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must satisfy 0 < holdout < 1, got {holdout}")
    max_breaks, n_starts = check_count("max_breaks", max_breaks), check_count("n_starts", n_starts)
    x, y, notes = prepare_data(x, y)
    m = x.size
    origins = selection_origins(m, criterion, holdout) if criterion in ("validation", "backtest") else [m]
    ns = [n for n in range(int(max_breaks) + 1) if 3 + 3 * n + 2 <= min(origins)]
    if not ns:
        raise ValueError(f"breaks='auto' needs at least 5 fitting points (+3 per break) "
                         + (f"before its last holdout; got {min(origins)} of {m}" if min(origins) < m else f"; got {m}"))
    scores, eligible, fits = {}, {}, {}
    for n in ns:
        if criterion == "bic-one" and n >= 3 and choose_breaks(eligible, criterion) < n - 1:
            break  # the forward search stopped before n - 1: n cannot be chosen
        if criterion in ("validation", "backtest"):
            scores[n] = eligible[n] = prefix_score(BNSL(n, d_margin=break_margin), x, y, origins, n_starts if criterion == "validation" else 3,
                                                   space)
            continue
        fits[n] = scored_fit(n, x, y, n_starts, space, break_margin)
        scores[n] = fits[n].information_criterion(criterion.split("-")[0])
        short = unobserved_segment(fits[n])
        if short is None:
            eligible[n] = scores[n]
        else:
            notes.append(f"{n} breaks not eligible: fewer than {fits[n].form.d_edge} fitting points between "
                         f"breaks {short} and {short + 1} of their fit (the slope between them is not observed)")
    n_best = choose_breaks(eligible, criterion)
    best = (polished(fits[n_best], space) if n_best in fits
            else fit_points(BNSL(n_best, d_margin=break_margin), x, y, n_starts, space))
    best.selection, best.criterion = scores, criterion
    best.notes = list(notes) + [f"number of breaks {n_best} chosen by {CRITERION_NAME[criterion]} (scores above)"] + best.notes
    return best


__all__ = ["select_breaks", "choose_breaks", "unobserved_segment", "scored_fit", "polished", "prefix_score",
           "selection_origins"]
