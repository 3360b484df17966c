"""What one non-parametric approach (Chinchilla's Approach 1 or 2, :mod:`.envelope`, :mod:`.isoflop`)
returns, and the slope estimator both use; :mod:`.approaches` runs them beside the parametric fit."""

from __future__ import annotations

from dataclasses import dataclass, field

from .optimum import Estimate


@dataclass
class ApproachResult:
    """Allocation exponents ``{resource: Estimate}`` from one non-parametric approach."""

    name: str
    title: str
    allocation: dict
    summary: str
    method: str
    notes: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {"title": self.title, "allocation": {k: e.to_json() for k, e in self.allocation.items()},
                "interval": self.method, "summary": self.summary, "notes": list(self.notes)}


def power_law_slope(log_c, log_x, level: float = 0.95) -> Estimate:
    """OLS slope of ``log x`` on ``log C`` with its Student-t interval (needs >= 3 points)."""
    from scipy import stats

    res = stats.linregress(log_c, log_x)
    half = stats.t.ppf(0.5 + level / 2, len(log_c) - 2) * res.stderr
    return Estimate(float(res.slope), float(res.slope - half), float(res.slope + half))


__all__ = ["ApproachResult", "power_law_slope"]
