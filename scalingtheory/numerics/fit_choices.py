"""The choices of a one-resource fit and their defaults: forms, residual spaces, break-count criteria.

They live apart from :mod:`~scalingtheory.numerics.fitting` and :mod:`~scalingtheory.numerics.forms`,
which need NumPy, so that ``scalingtheory fit --help`` lists them without importing NumPy.

>>> DEFAULT_CRITERION in CRITERIA and "power" in FORM_NAMES
True
"""

#: Names accepted by :func:`~scalingtheory.numerics.forms.get_form` (``power`` is M1, the pure power law).
FORM_NAMES = ("bnsl", "m1", "m2", "m3", "m4", "power")
#: Residual spaces of :func:`~scalingtheory.numerics.fitting.fit` (``log1p`` = released BNSL).
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

__all__ = ["FORM_NAMES", "SPACES", "CRITERIA", "DEFAULT_CRITERION", "DEFAULT_MAX_BREAKS", "MAX_BREAK_MARGIN"]
