"""The Revisiting-NSL learning-curve benchmark: loading (with its quirks) and a runner.

Data: Alabdulmohsin, Neyshabur & Zhai, "Revisiting Neural Scaling Laws in Language and
Vision", NeurIPS 2022 (arXiv 2209.06640); files ``benchmark.vision.csv`` and
``benchmark.lang.csv`` from google-research/google-research,
``revisiting_neural_scaling_laws/data/``, licensed CC BY 4.0. Caballero et al. (ICLR
2023) score BNSL on exactly these curves.

One curve is a (Domain, Task, Model) triple; ``Seen Examples`` is x, ``Loss`` is y,
``Training == 1`` marks fitting points and ``0`` held-out extrapolation points.
The curves are shipped as package data and loaded by
:func:`scalingtheory.datasets.revisiting` (:mod:`scalingtheory.datasets.revisiting`, which
also handles the CSV quirks); this module scores functional forms on them.

Metric (:func:`run_benchmark`): extrapolation RMSLE on the held-out points; wins are
counted as in the Revisiting notebook -- RMSLE truncated to 3 decimals, NaN counts as 1,
ties share the win.
"""

from __future__ import annotations

import csv
import math
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from scalingtheory.datasets.revisiting import (ATTRIBUTION, DOMAINS, Curve, default_data_dir, load_curves,
                                               write_curves)
from scalingtheory.fitting.curve import fit, rmsle
from scalingtheory.renames import renamed

#: M4's cap on eps_0 per domain, as in the Revisiting notebook (error rates / rescaled scores <= 1).
M4_UP_BOUND = {"IC": 1.0, "BB": 1.0, "NMT": None, "LM": None}


BENCH_FORMS = ("bnsl", "m1", "m2", "m3", "m4")


@renamed(n_boot="bootstrap")
def score_curve(curve: Curve, forms=BENCH_FORMS, breaks="auto", level: float = 0.95, bootstrap: int = 0,
                n_origins: int = 8, bt_kw=None, bands=None, **fit_kw) -> dict:
    """Fit every form on the fitting points of ``curve``; score extrapolation on the held-out points.

    Returns ``{"key", "domain", "n_fit", "n_test", "results": {form: {"rmsle", "seconds",
    "coverage", "coverage_cal", "coverage_bt", "seconds_bt", "n_params", "error"}}}``; ``coverage`` is the
    fraction of held-out points inside the ``level`` delta-method prediction band, ``coverage_cal`` the same
    for the drift-calibrated band (:meth:`~scalingtheory.fitting.curve_result.FitResult.calibrate`),
    ``coverage_bt`` for the rolling-origin conformal band
    (:meth:`~scalingtheory.fitting.curve_result.FitResult.backtest`, ``n_origins`` origins; 0 skips it);
    ``seconds`` is the fitting CPU time alone, ``seconds_bt`` the backtest's (``time.process_time``). ``bands``: the
    forms whose calibrated and backtest bands are computed (default all; the others' coverages are NaN). With
    ``bootstrap > 0`` replicates (``n_boot``: its deprecated name) also ``coverage_boot`` for the
    residual-bootstrap band (seed 0; its time is not in ``seconds``). ``bt_kw`` goes to the backtest (e.g.
    ``{"warm": False, "n_starts": 3}``). A failed fit records its error and RMSLE NaN (scored as 1 in win counting).
    """
    bt_kw = bt_kw or {}
    out = {"key": curve.key, "domain": curve.domain, "n_fit": int(curve.x_fit.size),
           "n_test": int(curve.x_test.size), "results": {}}
    for name in forms:
        t0 = time.process_time()
        try:
            res = fit(curve.x_fit, curve.y_fit, form=name, breaks=breaks if name == "bnsl" else 1,
                      up_bound=M4_UP_BOUND.get(curve.domain), interval=None, **fit_kw)
            seconds = time.process_time() - t0
            yh, lo, hi = res.predict_interval(curve.x_test, level=level, method="delta")
            rec = {"rmsle": rmsle(yh, curve.y_test),
                   "coverage": float(np.mean((curve.y_test >= lo) & (curve.y_test <= hi))),
                   "n_params": res.form.n_params, "error": ""}
            banded = bands is None or name in bands
            rec["coverage_cal"], rec["coverage_bt"], rec["seconds_bt"] = float("nan"), float("nan"), 0.0
            if banded:
                try:
                    _, lo, hi = res.calibrate().predict_interval(curve.x_test, level=level, method="calibrated")
                    rec["coverage_cal"] = float(np.mean((curve.y_test >= lo) & (curve.y_test <= hi)))
                except (ValueError, RuntimeError):  # too few points for the backtest
                    pass
            if n_origins and banded:
                t1 = time.process_time()
                try:
                    _, lo, hi = res.backtest(n_origins, **bt_kw).predict_interval(curve.x_test, level=level, method="backtest")
                    rec["coverage_bt"] = float(np.mean((curve.y_test >= lo) & (curve.y_test <= hi)))
                except (ValueError, RuntimeError):  # too few points for a prefix fit
                    pass
                rec["seconds_bt"] = time.process_time() - t1
        except (ValueError, RuntimeError) as exc:
            rec = {"rmsle": float("nan"), "coverage": float("nan"), "coverage_cal": float("nan"),
                   "coverage_bt": float("nan"), "seconds_bt": 0.0, "n_params": 0, "error": str(exc)}
            seconds = time.process_time() - t0
        rec["seconds"] = seconds
        if bootstrap and not rec["error"]:
            _, lo, hi = res.bootstrap(bootstrap, seed=0).predict_interval(curve.x_test, level=level, method="bootstrap")
            rec["coverage_boot"] = float(np.mean((curve.y_test >= lo) & (curve.y_test <= hi)))
        out["results"][name] = rec
    return out


def _score_star(args):
    curve, forms, breaks, bootstrap, n_origins, kw = args
    return score_curve(curve, forms, breaks, bootstrap=bootstrap, n_origins=n_origins, **kw)


@renamed(n_boot="bootstrap")
def run_benchmark(curves, forms=BENCH_FORMS, breaks="auto", workers: int = 1, progress: bool = True,
                  bootstrap: int = 0, n_origins: int = 8, **fit_kw) -> list[dict]:
    """Score all ``curves`` with every form (one run, same engine); ``workers`` processes."""
    from tqdm.auto import tqdm

    jobs = [(c, tuple(forms), breaks, bootstrap, n_origins, fit_kw) for c in curves]
    if workers <= 1:
        return [_score_star(j) for j in tqdm(jobs, disable=not progress, desc="curves")]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(tqdm(pool.map(_score_star, jobs), total=len(jobs), disable=not progress, desc="curves"))


def win_shares(records, forms) -> dict[str, float]:
    """Share of curves won by each form (RMSLE truncated to 3 decimals, NaN -> 1, ties split)."""
    wins = dict.fromkeys(forms, 0.0)
    for rec in records:
        scores = {}
        for f in forms:
            e = rec["results"][f]["rmsle"]
            scores[f] = 1.0 if not math.isfinite(e) else int(e * 1000) / 1000
        best = min(scores.values())
        winners = [f for f in forms if scores[f] == best]
        for f in winners:
            wins[f] += 1.0 / len(winners)
    return {f: w / max(len(records), 1) for f, w in wins.items()}


def summarize(records, forms=BENCH_FORMS) -> list[dict]:
    """Per-domain rows (plus ``all``): curves, mean RMSLE, win share, s/curve, coverage per form."""
    rows = []
    groups = [(d, [r for r in records if r["domain"] == d]) for d in DOMAINS]
    groups.append(("all", list(records)))
    for dom, recs in groups:
        if not recs:
            continue
        shares = win_shares(recs, forms)
        row = {"domain": dom, "curves": len(recs)}
        for f in forms:
            vals = np.array([r["results"][f]["rmsle"] for r in recs])
            row[f"{f}_rmsle"] = float(np.nanmean(vals)) if np.isfinite(vals).any() else float("nan")
            row[f"{f}_failed"] = int(np.sum(~np.isfinite(vals)))
            row[f"{f}_win"] = shares[f]
            row[f"{f}_s_per_curve"] = float(np.mean([r["results"][f]["seconds"] for r in recs]))
            row[f"{f}_coverage"] = float(np.nanmean([r["results"][f]["coverage"] for r in recs]))
            for key in ("coverage_cal", "coverage_bt"):
                vals = [r["results"][f][key] for r in recs]
                row[f"{f}_{key}"] = float(np.nanmean(vals)) if np.isfinite(vals).any() else float("nan")
            row[f"{f}_s_per_curve_bt"] = float(np.mean([r["results"][f]["seconds_bt"] for r in recs]))
            boot = [r["results"][f].get("coverage_boot", np.nan) for r in recs]
            if np.isfinite(boot).any():
                row[f"{f}_coverage_boot"] = float(np.nanmean(boot))
        rows.append(row)
    return rows


def table(rows, forms=BENCH_FORMS) -> tuple[list[str], list[list[str]]]:
    """``(header, body)`` of :func:`summarize` rows, as cells (strings; rendered by the caller, e.g. with
    :func:`scalingtheory.display.markdown_table`): mean RMSLE (win share of the row's curves, ties shared) per form,
    s/curve, coverage.

    >>> row = {"domain": "IC", "curves": 2, "m1_rmsle": 0.1234, "m1_win": 0.5, "m1_s_per_curve": 0.01}
    >>> table([row], ["m1"])
    (['domain', 'curves', 'M1 = power law RMSLE (wins)', 'M1 = power law s/curve'], [['IC', '2', '0.1234 (50.0% of 2)', '0.01']])
    """
    label = {"bnsl": "BNSL", "m1": "M1 = power law", "m2": "M2", "m3": "M3", "m4": "M4"}
    boot = "bnsl_coverage_boot" in rows[0]
    head = ["domain", "curves"] + [f"{label.get(f, f)} RMSLE (wins)" for f in forms]
    head += [f"{label.get(f, f)} s/curve" for f in forms]
    if "bnsl" in forms:
        head += ["BNSL 95% coverage (delta / calibrated / backtest)", "BNSL backtest s/curve"]
        head += ["BNSL bootstrap coverage"] if boot else []
    body = []
    for r in rows:
        cells = [r["domain"], str(r["curves"])]
        cells += [f"{r[f + '_rmsle']:.4f} ({100 * r[f + '_win']:.1f}% of {r['curves']})" for f in forms]  # wins / curves
        cells += [f"{r[f + '_s_per_curve']:.2f}" for f in forms]
        if "bnsl" in forms:
            cells.append(f"{r['bnsl_coverage']:.2f} / {r['bnsl_coverage_cal']:.2f} / {r['bnsl_coverage_bt']:.2f}")
            cells.append(f"{r['bnsl_s_per_curve_bt']:.2f}")
            if boot:
                cells.append(f"{r['bnsl_coverage_boot']:.2f}")
        body.append(cells)
    return head, body


def write_csv(rows, path) -> None:
    """Write :func:`summarize` rows as CSV."""
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


__all__ = ["Curve", "load_curves", "write_curves", "default_data_dir", "score_curve", "run_benchmark",
           "win_shares", "summarize", "table", "write_csv", "ATTRIBUTION", "M4_UP_BOUND"]
