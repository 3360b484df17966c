r"""The one rule that compares a measured decay rate with a predicted one, written once.

``spectrum`` (:mod:`scalingtheory.spectrum.compare`, also the report's "Theory meets data"
section) and ``sweep`` (:mod:`scalingtheory.sweep.analysis`) print their verdicts by it.
An exponent is a decay rate ``r`` of ``L ~ X^-r``; each side comes with a 95% interval
``(lo, hi)`` (a closed form is the point ``(r, r)``, widened by a systematic error only where
one is stated). In this order:

1. **no power law** -- the measured loss does not fall (measured rate ``<= 0``) while a decay
   is predicted (predicted rate ``> 0``): there is no law to compare;
2. **disagree** -- the intervals are disjoint;
3. **inconclusive** -- they overlap, but one of them is too wide to decide: it reaches 0
   (``lo <= 0``) or spans more than a factor :data:`DECISIVE_SPAN` (``hi > 3 lo``);
   overlapping there says nothing, since it could hardly have failed;
4. **agree** -- they overlap and both are decisive.

>>> compare(0.52, (0.50, 0.55), 0.5, (0.45, 0.60))
('agree', 'intervals overlap')
>>> compare(0.52, (0.50, 0.55), 0.75, (0.70, 0.80))[0]
'disagree'
>>> compare(0.10, (0.01, 0.22), 1.77, (0.14, 2.19))[1]
'intervals overlap, but the measured one spans a factor 22 (> 3) and the predicted one spans a factor 15.6 (> 3)'
>>> compare(-0.43, (-0.71, -0.22), 0.96, (0.12, 3.89))
('no power law', 'the measured loss does not fall: rate -0.43 <= 0')
"""

from __future__ import annotations

AGREE, DISAGREE, INCONCLUSIVE, NO_POWER_LAW = "agree", "disagree", "inconclusive", "no power law"
VERDICTS = (AGREE, DISAGREE, INCONCLUSIVE, NO_POWER_LAW)
#: an interval wider than this factor (hi / lo) cannot decide
DECISIVE_SPAN = 3.0
RULE = (f"{NO_POWER_LAW} when the measured loss does not fall (rate <= 0) while a decay is predicted; "
        f"{DISAGREE} when the 95% intervals are disjoint; {INCONCLUSIVE} when they overlap but one reaches 0 "
        f"or spans more than a factor {DECISIVE_SPAN:g} (hi > {DECISIVE_SPAN:g} lo); {AGREE} otherwise")


def too_wide(ci) -> str | None:
    """Why the interval ``ci`` cannot decide (it reaches 0, or spans more than DECISIVE_SPAN), or None."""
    lo, hi = ci
    if not lo > 0:
        return "reaches 0"
    if hi > DECISIVE_SPAN * lo:
        return f"spans a factor {hi / lo:.3g} (> {DECISIVE_SPAN:g})"
    return None


def compare(measured: float, measured_ci, predicted: float, predicted_ci) -> tuple[str, str]:
    """``(verdict, reason)`` by the rule of the module docstring (a closed form ``r`` without a
    stated systematic error has ``predicted_ci = (r, r)``)."""
    p_lo, p_hi = predicted_ci
    if not measured > 0 and predicted > 0:
        return NO_POWER_LAW, f"the measured loss does not fall: rate {measured:.2g} <= 0"
    if measured_ci[0] > p_hi or p_lo > measured_ci[1]:
        return DISAGREE, "intervals are disjoint"
    wide = [f"the {side} one {why}" for side, ci in (("measured", measured_ci), ("predicted", predicted_ci))
            if (why := too_wide(ci))]
    if wide:
        return INCONCLUSIVE, "intervals overlap, but " + " and ".join(wide)
    return AGREE, "intervals overlap"


__all__ = ["compare", "too_wide", "RULE", "DECISIVE_SPAN", "VERDICTS", "AGREE", "DISAGREE", "INCONCLUSIVE",
           "NO_POWER_LAW"]
