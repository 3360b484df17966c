"""The choices of a one-resource fit and their defaults: forms, residual spaces, break-count criteria, bands.

They live apart from :mod:`~scalingtheory.fitting.curve` and :mod:`~scalingtheory.fitting.forms`,
which need NumPy, so that ``scalingtheory fit --help`` lists them without importing NumPy.

>>> DEFAULT_CRITERION in CRITERIA and "power" in FORM_NAMES
True
"""

#: Names accepted by :func:`~scalingtheory.fitting.forms.get_form` (``power`` is M1, the pure power law).
FORM_NAMES = ("bnsl", "m1", "m2", "m3", "m4", "power")
#: Residual spaces of :func:`~scalingtheory.fitting.curve.fit` (``log1p`` = released BNSL).
SPACES = ("log", "log1p")
#: Criteria by which ``breaks="auto"`` may choose the number of breaks.
CRITERIA = ("validation", "backtest", "aic", "aicc", "bic", "bic-one")
#: How ``breaks="auto"`` chooses the number of breaks by default (measured in ``derivations/bnsl.py`` §8).
DEFAULT_CRITERION = "bic-one"
#: Largest number of breaks ``breaks="auto"`` tries by default (the synthetic suite has 0-3).
DEFAULT_MAX_BREAKS = 3

#: Widest break margin (decades beyond the data a BNSL break may lie with ``break_margin``): the start grid spreads its
#: break locations over the data's range plus the margin on both sides, so wider margins leave the data fewer of them.
MAX_BREAK_MARGIN = 3.0

#: BIC drop needed for each step away from one break: Kass & Raftery's boundary of "positive" evidence
#: (1995, JASA 90:773, Sec. 3.2: 2-6 positive, 6-10 strong, > 10 very strong), i.e. a Bayes factor above e.
#: Fixed from that scale, not fitted to a benchmark (derivations/bnsl.py section 8.3 shows 0, 6, 10 beside it).
BIC_EVIDENCE = 2.0

CRITERION_NAME = {"validation": "validation RMSLE", "backtest": "backtest RMSLE", "aic": "AIC", "aicc": "AICc",
                  "bic": "BIC", "bic-one": f"BIC, forward from one break in steps lowering it by > {BIC_EVIDENCE:g}"}
#: What each selection score measures (printed beside the scores).
CRITERION_TEXT = {
    "validation": "validation RMSLE (fit on the first 75% of the points, scored on the rest)",
    "backtest": "backtest RMSLE (fits on prefixes of 60-90% of the points, scored on the points after them)",
    "aic": "AIC of the log residuals (m ln(S/m) + 2p)",
    "aicc": "AICc of the log residuals (AIC + 2p(p+1)/(m-p-1))",
    "bic": "BIC of the log residuals (m ln(S/m) + p ln m)",
    "bic-one": "BIC of the log residuals (m ln(S/m) + p ln m); from one break, a break fewer or more only if "
               f"the BIC drops by > {BIC_EVIDENCE:g} (counts not reached are not fitted)",
}

#: Prediction bands of a one-resource fit (``interval=`` of :func:`~scalingtheory.fitting.curve.fit`).
INTERVALS = ("backtest", "delta", "calibrated", "bootstrap")
#: What each band method is (printed in reports).
INTERVAL_TEXT = {
    "backtest": "backtest (rolling-origin conformal band from refits on prefixes of the fitting points)",
    "delta": "delta method (parameter covariance and residual scale; ignores misspecification)",
    "calibrated": "calibrated (delta method widened by the drift of a backtest on the last 25% of the points)",
    "bootstrap": "residual bootstrap (percentiles of refits on resampled log residuals)",
}

__all__ = ["FORM_NAMES", "SPACES", "CRITERIA", "DEFAULT_CRITERION", "DEFAULT_MAX_BREAKS", "MAX_BREAK_MARGIN",
           "BIC_EVIDENCE", "CRITERION_NAME", "CRITERION_TEXT", "INTERVALS", "INTERVAL_TEXT"]
