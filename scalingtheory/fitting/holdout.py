r"""The held-out-largest audit of a law fit: fit on all runs but the ``K`` of largest cost, predict those.

Extrapolation to larger budgets is what a scaling law is for, so the audit holds out the ``K`` runs of
largest cost (the cost given, else the product of the resources), refits the law (same options, same
bootstrap) on the rest and scores the prediction of each held-out run (as scaling-audit and OLMo's
ladder do). Each prediction carries a 95% **prediction** interval: on bootstrap replicate :math:`b`
the log prediction is :math:`\log\hat L_b(X_i) + e_b`, with :math:`e_b` a log residual of the training
fit drawn at random (seeded), so the interval holds the parameter uncertainty and the run-to-run
noise; the percentile interval of these is compared with the observation. Reported: per run the
prediction, interval and whether the observation is inside, and ``coverage`` (share inside) and
``rmsle`` over the held-out runs.

>>> row = {"loss": 2.0, "predicted": 2.1, "lo": 1.9, "hi": 2.3, "inside": True}
>>> HoldoutAudit([row], 1.0, 0.049, 1, "6*D*N").to_json()["coverage"]
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .bootstrap import percentile_interval


@dataclass
class HoldoutAudit:
    """Per held-out run ``rows`` (resources, observed ``loss``, ``predicted``, ``lo``, ``hi``, ``inside``),
    ``coverage`` (``None`` without intervals), ``rmsle``, ``k`` and the ordering ``by``."""

    rows: list
    coverage: float | None
    rmsle: float
    k: int
    by: str

    def to_json(self) -> dict:
        fin = lambda v: v if isinstance(v, bool) or v is None or math.isfinite(v) else None  # noqa: E731
        return {"k": self.k, "by": self.by, "coverage": self.coverage, "rmsle": fin(self.rmsle),
                "rows": [{k: fin(v) for k, v in r.items()} for r in self.rows]}

    def report(self) -> str:
        cov = "no intervals (bootstrap 0)" if self.coverage is None else f"coverage {self.coverage:.3g}"
        lines = [f"[[Held-out largest]] fitted without the {self.k} run(s) of largest {self.by}: {cov}, "
                 f"RMSLE {self.rmsle:.4g}"]
        for r in self.rows:
            where = " ".join(f"{k}={v:.4g}" for k, v in r.items()
                             if k not in ("loss", "predicted", "lo", "hi", "inside"))
            band = "" if r["lo"] is None else \
                f" [{r['lo']:.4g}, {r['hi']:.4g}] {'inside' if r['inside'] else 'OUTSIDE'}"
            lines.append(f"    {where}: observed {r['loss']:.4g}, predicted {r['predicted']:.4g}{band}")
        return "\n".join(lines)


def held_out_rows(order_by, k: int) -> np.ndarray:
    """Boolean mask of the ``k`` rows with the largest ``order_by`` (ties broken by position).

    >>> held_out_rows(np.array([3.0, 1.0, 5.0, 2.0]), 2).tolist()
    [True, False, True, False]
    """
    mask = np.zeros(order_by.size, bool)
    mask[np.argsort(order_by, kind="stable")[order_by.size - k:]] = True
    return mask


def audit(model, theta, boot, train_residuals, X, y, names, by: str, seed: int, level: float) -> HoldoutAudit:
    """Score the fit ``theta`` (replicates ``boot``) of the training rows on held-out rows ``X, y``."""
    pred = model.predict(theta, X)
    lo = hi = [None] * y.size
    if boot is not None:
        rng = np.random.default_rng(seed)
        draws = np.log(np.array([model.predict(t, X) for t in boot]))
        noise = rng.choice(train_residuals, size=draws.shape)
        draws = np.where(np.isfinite(boot[:, :1]), draws - noise, np.nan)   # residual = log pred - log obs
        lo, hi = (np.exp(v) for v in percentile_interval(draws, level))
    rows = []
    for i in range(y.size):
        row = {n: float(x[i]) for n, x in zip(names, X)}
        row.update(loss=float(y[i]), predicted=float(pred[i]))
        if boot is None or not (np.isfinite(lo[i]) and np.isfinite(hi[i])):
            row.update(lo=None, hi=None, inside=None)
        else:
            row.update(lo=float(lo[i]), hi=float(hi[i]), inside=bool(lo[i] <= y[i] <= hi[i]))
        rows.append(row)
    inside = [r["inside"] for r in rows if r["inside"] is not None]
    coverage = float(np.mean(inside)) if inside and len(inside) == len(rows) else None
    rmsle = float(np.sqrt(np.mean((np.log(pred) - np.log(y)) ** 2)))
    return HoldoutAudit(rows, coverage, rmsle, int(y.size), by)


__all__ = ["HoldoutAudit", "audit", "held_out_rows"]
