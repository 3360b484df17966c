"""Benchmark: choosing the number of BNSL breaks for extrapolation (issue 12), one run.

Curves (all with a fitting range and held-out extrapolation points beyond it):

* ``synthetic`` -- :func:`synthetic_suite`: seeded random BNSLs (Caballero et al. 2023,
  Eq. 1) with 0-3 breaks inside the fitting range, varied sharpness, noise and cuts like
  the Revisiting benchmark (fit on 2.5-4.5 decades, extrapolate to 1.7-2.2x the last
  fitting point);
* ``revisiting`` -- the 92 curves of :func:`scalingtheory.datasets.revisiting`;
* ``paper`` -- the BNSL paper's own examples: 4-digit addition (fit 14 points, extrapolate
  3), the noiseless simulation (fit x <= 405) and Figure 1 (3 breaks) sampled with noise.

For each curve and each number of breaks ``n = 0..3`` the fit on all fitting points, made
as ``select_breaks`` makes it (``scored_fit``, then ``polished``), gives the held-out RMSLE
and AIC/AICc/BIC; with ``--prefix`` the ``validation`` score
(:func:`scalingtheory.fitting.breaks.prefix_score`) is computed too, so every
criterion's choice is read off one table. Writes ``bnsl_selection_curves.csv`` (per curve
and n) and ``bnsl_selection.md`` (confusion matrices, mean RMSLE auto / true count / one
break, per-domain means) into ``--out``.

    nice python benchmarks/bnsl_selection.py --out results/ [--quick] [--groups synthetic,paper] [--seeds 12,2026]

Measured 2026-11-27, ``--seeds 12,2026 --groups synthetic,paper`` (n <= 3; suite 2026 is an independent
check, generated after the default rule was fixed): mean held-out RMSLE suite 12 / suite 2026: bic-one
(the default) 0.0260 / 0.0287, BIC 0.0260 / 0.0287, AICc 0.0283 / 0.0288, AIC 0.0300 / 0.0306, one break
0.1025 / 0.0903, true count 0.0283 / 0.0321. Confusion (rows true n = 0..3, columns chosen) of bic-one:
suite 12 [[10,0,0,0],[0,9,1,0],[0,0,9,1],[0,0,2,8]] (36/40), suite 2026 [[10,0,0,0],[0,10,0,0],
[0,0,9,1],[0,0,0,10]] (39/40). Paper examples: 4-digit addition 2 breaks (0.0321; one break 0.0111),
noiseless simulation 1 (1.41, every count), Figure 1 with noise 3 (0.232). Revisiting per domain:
``benchmarks/bnsl_reference.py``. Details and the choice: ``derivations/bnsl.py`` section 8.3.

The numbers above are of bic-one before its segment rule (a count whose fit leaves fewer than 2 fitting points
between two consecutive breaks is not eligible: ``unobserved_segment``), now the row "auto, bic-one (every count)".
Measured with it, one run of all groups (``--seeds 12,2026``): bic-one suite 12 / suite 2026 0.0276 / 0.0333 (true
count 0.0283 / 0.0321), paper examples 0.5567, IC 0.0398 (one break 0.0401), NMT 0.0091 (equal), LM 0.000837
(one break 0.000835), BB 0.0085 (one break 0.0092; 0.0121 without the rule); confusion 35/40 and 36/40.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from scalingtheory.datasets.revisiting import Curve
from scalingtheory.fitting.breaks import (choose_breaks, polished, prefix_score, scored_fit, selection_origins,
                                         unobserved_segment)
from scalingtheory.fitting.curve import rmsle
from scalingtheory.fitting.curve_choices import CRITERIA
from scalingtheory.fitting.forms import BNSL

#: Seed of the synthetic suite (one generator, every curve derived from it).
SEED = 12
MAX_BREAKS = 3


def _break_params(rng, n, lo, hi):
    """``n`` sorted break locations in ``[lo, hi]`` (log x) at least 15% of the range apart, with c_i, f_i."""
    while True:
        u = np.sort(rng.uniform(lo, hi, n))
        if n < 2 or np.min(np.diff(u)) > 0.15 * (hi - lo):
            break
    c = rng.uniform(0.3, 1.5, n) * np.where(rng.uniform(size=n) < 0.15, -0.5, 1.0)
    f = np.exp(rng.uniform(np.log(0.05), np.log(1.0), n))
    return u, c, f


def synthetic_curve(rng, n_true: int, index: int, domain: str = "SYN") -> Curve:
    """One random BNSL with ``n_true`` breaks; multiplicative log-normal noise; train/test cut."""
    decades = rng.uniform(2.5, 4.5)
    lx0 = rng.uniform(2, 6) * math.log(10)
    m = int(rng.integers(20, 61))
    lx_fit = np.linspace(lx0, lx0 + decades * math.log(10), m)
    span = lx_fit[-1] - lx_fit[0]
    u, c, f = _break_params(rng, n_true, lx0 + 0.15 * span, lx_fit[-1] - 0.15 * span)
    c0 = rng.uniform(0.0, 0.5)
    theta_excess = np.concatenate([[0.0, c0 * lx0, c0], c, u, np.log(f)])
    lx_test = lx_fit[-1] + np.linspace(math.log(1.05), math.log(rng.uniform(1.7, 2.2)), 10)
    x = np.exp(np.concatenate([lx_fit, lx_test]))
    excess = BNSL(n_true).predict(theta_excess, x)  # b chosen so that y - a = 1 at the first point
    floor = rng.uniform(0.0, 2.0) * excess[m - 1]
    sigma = rng.choice([0.003, 0.01, 0.03])
    y = (floor + excess) * np.exp(sigma * rng.standard_normal(x.size))
    train = np.arange(x.size) < m
    return Curve(domain, f"n={n_true} sigma={sigma:g}", f"#{index}", x, y, train)


def synthetic_suite(n_curves: int = 40, seed: int = SEED) -> list[tuple[Curve, int]]:
    """``n_curves`` seeded random BNSL curves, true break counts cycling 0, 1, 2, 3: ``(curve, n_true)``;
    domain ``SYN`` for the default seed, ``SYN-<seed>`` for another (an independent suite)."""
    rng = np.random.default_rng(seed)
    domain = "SYN" if seed == SEED else f"SYN-{seed}"
    return [(synthetic_curve(rng, i % 4, i, domain), i % 4) for i in range(n_curves)]


def paper_curves() -> list[tuple[Curve, int]]:
    """The BNSL paper's examples with the number of breaks they were made with."""
    from scalingtheory.models.bnsl import (ADDITION_SPLIT, ADDITION_X, ADDITION_Y, FIGURE1_PARAMS, NOISELESS_PARAMS,
                                           evaluate)

    xa, ya = np.array(ADDITION_X, float), np.array(ADDITION_Y)
    out = [(Curve("PAPER", "4-digit addition", "released split 14", xa, ya, np.arange(xa.size) < ADDITION_SPLIT), 1)]
    xs = np.arange(1, 4096, dtype=float)
    form = BNSL(1)
    ys = form.predict(form.theta_from_params(NOISELESS_PARAMS), xs)
    out.append((Curve("PAPER", "noiseless simulation", "split 405", xs, ys, xs <= 405), 1))
    rng = np.random.default_rng(SEED)
    x1 = np.concatenate([np.logspace(0, 22, 60), np.geomspace(1.05e22, 2e22, 10)])
    y1 = np.asarray(evaluate(FIGURE1_PARAMS, x1), float) * np.exp(0.01 * rng.standard_normal(x1.size))
    out.append((Curve("PAPER", "Figure 1 (3 breaks), 1% noise", "fit x <= 1e22", x1, y1, x1 <= 1e22), 3))
    return out


def measure_curve(curve: Curve, n_true, max_breaks: int = MAX_BREAKS, prefix=()) -> list[dict]:
    """Per number of breaks: AIC, AICc, BIC of the fit :func:`select_breaks` scores (``scored_fit``), held-out
    RMSLE of the final fit of that count (``polished``, what ``fit`` returns when it is chosen), the ``prefix``
    criteria's scores (a prefix criterion not measured is NaN and never chosen), CPU."""
    x, y = curve.x_fit, curve.y_fit
    rows = []
    for n in range(max_breaks + 1):
        form = BNSL(n)
        rec = {"curve": curve.key, "domain": curve.domain, "n_true": n_true, "n": n, "m": int(x.size)}
        if x.size < form.n_params + 2:
            continue
        t0 = time.process_time()
        scored = scored_fit(n, x, y)
        rec["cpu_fit"] = time.process_time() - t0
        res = polished(scored)
        rec["rmsle_test"] = rmsle(res.predict(curve.x_test), curve.y_test)
        for kind in ("aic", "aicc", "bic"):
            rec[kind] = scored.information_criterion(kind)
        rec["pinned"] = " ".join(res.pinned)
        rec["pinned_scored"] = " ".join(scored.pinned)
        rec["segments_observed"] = int(unobserved_segment(scored) is None)  # eligible for the information criteria
        rec["theta"] = " ".join(f"{v:.17g}" for v in res.theta)
        rec["theta_scored"] = " ".join(f"{v:.17g}" for v in scored.theta)
        for crit in set(("validation", "backtest")) - set(prefix):
            rec[crit], rec[f"cpu_{crit}"] = math.nan, 0.0
        for crit in prefix:
            origins = selection_origins(x.size, crit)
            t0 = time.process_time()
            ok = 3 + 3 * n + 2 <= min(origins)
            rec[crit] = prefix_score(form, x, y, origins, 6 if crit == "validation" else 3) if ok else math.inf
            rec[f"cpu_{crit}"] = time.process_time() - t0
        rows.append(rec)
    return rows


def _measure_star(args):
    return measure_curve(*args)


#: Pseudo-criteria of the summary: a criterion with every count eligible (no :func:`unobserved_segment` check).
EVERY_COUNT = " (every count)"


def choose(rows, criterion: str, max_breaks: int) -> dict:
    """The row chosen by ``criterion`` among ``n <= max_breaks``, as ``select_breaks`` chooses: an information
    criterion only among counts whose fit observes every segment between breaks (unless ``criterion`` ends
    with :data:`EVERY_COUNT`)."""
    every = criterion.endswith(EVERY_COUNT)
    criterion = criterion.removesuffix(EVERY_COUNT)
    key = criterion.split("-")[0]  # "bic-one" reads the BIC column
    check = not every and key in ("aic", "aicc", "bic")
    cands = {int(r["n"]): r for r in rows if int(r["n"]) <= max_breaks and math.isfinite(float(r[key]))
             and (not check or int(r.get("segments_observed", 1)))}
    if not cands:
        return None
    return cands[choose_breaks({n: float(r[key]) for n, r in cands.items()}, criterion)]


def _mean(vals) -> str:
    vals = np.asarray([v for v in vals if v is not None], float)
    return f"{np.nanmean(vals):.4f}" if vals.size and np.isfinite(vals).any() else "--"


def _rmsle_of(rs, n):
    row = next((r for r in rs if int(r["n"]) == n), None)
    return None if row is None else float(row["rmsle_test"])


def summarize(all_rows, max_breaks: int, criteria=CRITERIA + ("bic-one" + EVERY_COUNT,)) -> str:
    """Markdown: mean held-out RMSLE per domain of each criterion's choice, of one break and (synthetic and
    paper curves) of the true count; confusion matrices of chosen vs true break counts (synthetic suite)."""
    criteria = [c for c in criteria if any(math.isfinite(float(r[c.split("-")[0].split(" ")[0]])) for r in all_rows)]
    by_curve: dict[str, list] = {}
    for r in all_rows:
        by_curve.setdefault(r["curve"], []).append(r)
    order = ["SYN", "PAPER", "IC", "NMT", "LM", "BB"]
    doms = sorted({r["domain"] for r in all_rows}, key=lambda d: (order.index(d.split("-")[0]), d))
    groups = {d: [rs for rs in by_curve.values() if rs[0]["domain"] == d] for d in doms}
    lines = [f"## Selection among n = 0..{max_breaks} breaks: mean held-out RMSLE", "",
             "| choice | " + " | ".join(f"{d} ({len(groups[d])})" for d in doms) + " |", "|" + "---|" * (len(doms) + 1)]
    for crit in criteria:
        cells = []
        for d in doms:
            picks = [choose(rs, crit, max_breaks) for rs in groups[d]]
            cells.append(_mean([p["rmsle_test"] for p in picks if p is not None]) if all(picks) else "--")
        lines.append(f"| auto, {crit} | " + " | ".join(cells) + " |")
    for label, pick in (("one break", lambda rs: _rmsle_of(rs, 1)),
                        ("true count", lambda rs: _rmsle_of(rs, int(rs[0]["n_true"])) if rs[0]["n_true"] != "" else None)):
        lines.append(f"| {label} | " + " | ".join(_mean([pick(rs) for rs in groups[d]]) for d in doms) + " |")
    for syn in (d for d in doms if d.startswith("SYN")):
        lines += ["", f"Confusion matrices on {syn} (rows: true n, columns: chosen n):", ""]
        for crit in criteria:
            mat = np.zeros((MAX_BREAKS + 1, max_breaks + 1), int)
            for rs in groups[syn]:
                pick = choose(rs, crit, max_breaks)
                if pick is not None:
                    mat[int(rs[0]["n_true"]), int(pick["n"])] += 1
            if mat.sum():
                lines += [f"{crit} (diagonal {np.trace(mat)}/{mat.sum()}): "
                          + "; ".join(f"true {i}: " + " ".join(map(str, row)) for i, row in enumerate(mat))]
        lines.append("")
    cpu = {n: _mean([float(r["cpu_fit"]) for r in all_rows if int(r["n"]) == n and r["domain"] == "IC"])
           for n in range(max_breaks + 1)}
    lines.append("CPU seconds per IC curve of one fit with n breaks: " + ", ".join(f"n={n}: {v}" for n, v in cpu.items()))
    return "\n".join(lines)


def read_rows(paths) -> list[dict]:
    """Rows of earlier runs' ``bnsl_selection_curves.csv`` files."""
    rows = []
    for p in paths:
        with open(p, newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=".", help="output folder")
    ap.add_argument("--groups", default="synthetic,paper,revisiting", help="comma-separated curve groups")
    ap.add_argument("--quick", action="store_true", help="8 synthetic curves, every 12th Revisiting curve")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seeds", default=f"{SEED}", help="comma-separated seeds of synthetic suites (40 curves each)")
    ap.add_argument("--prefix", action="store_true", help="also the validation criterion (cold prefix refits; slow)")
    ap.add_argument("--summarize", nargs="*", default=None, metavar="CSV",
                    help="only summarize earlier runs' bnsl_selection_curves.csv files")
    args = ap.parse_args(argv)
    if args.summarize:
        text = summarize(read_rows(args.summarize), MAX_BREAKS) + "\n\n" + summarize(read_rows(args.summarize), 2)
        print(text)
        return 0
    groups = set(args.groups.split(","))
    prefix = ("validation",) if args.prefix else ()
    jobs = []
    if "synthetic" in groups:
        for seed in map(int, args.seeds.split(",")):
            jobs += [(c, n, MAX_BREAKS, prefix) for c, n in synthetic_suite(8 if args.quick else 40, seed)]
    if "paper" in groups:
        jobs += paper_curves()
    if "revisiting" in groups:
        from scalingtheory.datasets import revisiting

        curves = revisiting()
        jobs += [(c, "", MAX_BREAKS, prefix) for c in (curves[::12] if args.quick else curves)]
    from tqdm.auto import tqdm

    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as pool:
            parts = list(tqdm(pool.map(_measure_star, jobs), total=len(jobs), disable=not sys.stderr.isatty()))
    else:
        parts = [measure_curve(*j) for j in tqdm(jobs, disable=not sys.stderr.isatty())]
    rows = [r for p in parts for r in p]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    with open(out / "bnsl_selection_curves.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    rows = read_rows([out / "bnsl_selection_curves.csv"])
    text = summarize(rows, MAX_BREAKS) + "\n\n" + summarize(rows, 2)
    (out / "bnsl_selection.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
