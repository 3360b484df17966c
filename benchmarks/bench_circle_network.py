"""Full-size runs of the circle networks and of the compute-optimal frontier (issue 23): sizes and run times.

1. The six "network chi" rows of the feature-learning report (two-layer ReLU MLP on the circle, online
   SGD, lazy gamma = 1e-3 and rich gamma = 0.2 on the hard, easy and super-easy targets) at the sizes of
   ``NETWORK_SIZES.full`` (the full report's sizes), each timed (CPU and wall), with the measured exponent and its
   interval; then the six "three-layer network chi" rows (``NETWORK3_SIZES.full``: hard, easy, super-easy), with
   their local slopes.
2. The two "compute-optimal r_C" rows (``CHECK_SIZES.full``: 16 draws of A0, widths 4..1024, M = 4096,
   C in [1e3, 1e6], bootstrap over draws).
3. ``--sweep [network|network3]`` with ``--sweep-row TASK-TRAINING`` (default hard-lazy): that row's time exponent
   again through ``scalingtheory sweep`` (route ``feature_learning/network``, two-layer, or ``network3``,
   three-layer; one seed per task, 6 values of t on the row's window of the last 1.5 decades, the report row's
   allowance as the spec's tolerance, a LocalCluster of ``--workers`` Dask workers) against the direct run of
   the same row timed in the same invocation (wall ratio; a sweep task restarts from t = 0, so the sweep does
   sum(t), about 2x max(t), steps per seed, and trains one seed per task where the direct run batches them).

    python benchmarks/bench_circle_network.py [--quick] [--rows hard-lazy,three-layer-super-easy-rich]
                                              [--sweep network3 --sweep-row hard-rich --workers 2]

Measured 2026-12-06 17:45-18:40 UTC on the 2 shared cores (load average 9-19 from other sessions, so wall
time is 3-9x CPU time), NumPy, BLAS on one thread; see derivations/feature_learning.py Sec. 10:

    row                   width  steps  batch  seeds  CPU s   chi [95% CI]            closed form
    hard, lazy            4096   2e4    16     4      69.6    0.464 [0.440, 0.489]    1/2
    hard, rich            4096   2e4    16     4      67.7    0.221 [0.126, 0.317]    2/3
    easy, lazy            4096   2e4    16     4      67.7    1.090 [1.044, 1.137]    5/4
    easy, rich            4096   2e4    16     4      68.8    0.629 [0.599, 0.659]    5/4
    super-easy, lazy      4096   1e3    1      16     114.1   1.312 [1.173, 1.452]    3/2
    super-easy, rich      4096   1e3    1      16     126.5   1.754 [1.605, 1.903]    3/2
    (wall 428-463 s for each 2e4-step row at load 12-18)
    (width 1024, batch 64: hard lazy 0.444 [0.427, 0.461] in 53.6 s, hard rich 0.234 [0.200, 0.268] in 58.7 s)

    three-layer (4096 frozen step units, width 64, 1e4 steps, 4 seeds, 2047 modes; 21:25-21:50 UTC, load 6-8):
    hard lazy (batch 16) 0.492 [0.478, 0.507] (1/2), 34.6 s CPU, 133.5 s wall; hard rich gamma 0.3 (batch 64)
    0.629 [0.595, 0.663] (2/3), 121 s CPU; easy lazy (batch 16) 1.157 [1.123, 1.191] (5/4), 42 s; easy rich
    1.165 [1.066, 1.264] (5/4), 36 s. Also measured: hard lazy at batch 64 0.493 [0.484, 0.503] (114 s), hard rich
    at batch 16 0.609 [0.587, 0.632] (34 s).
    (two-layer easy lazy at width 8192, the other sizes as above: 1.176 [1.116, 1.236], 148 s CPU)
    The four three-layer rows through the report engine's row builder at full size (21:53-21:58 UTC, load about
    6): the same numbers, all four "within"; CPU 27.4, 103.9, 28.8, 26.4 s (186.5 s together).

    three-layer super-easy (beta = 3; ``--rows three-layer-super-easy-lazy`` and ``-rich``, run side by side,
    2026-12-07 00:12-00:17 UTC, load 1.5-5.5): 16384 frozen step units as 16 random arc widths at each of 1024
    equally spaced centres (``centres``), width 16, batch 1, eta 1.5, seeds 0-15, 127 modes, alpha 1.9973:
    row         gamma  steps    window          chi [95% CI]            closed form  CPU s  wall s
    lazy        1e-3   2e4      [632, 2e4]      1.472 [1.356, 1.587]    3/2          193.4  225.2
    rich        0.3    1.3e4    [411, 1.3e4]    1.416 [1.325, 1.507]    3/2          130.5  162.2
    local slopes (one-decade windows, seed mean): lazy 1.85, 1.79, 1.82, 1.86, 1.82, 1.64, 1.47, 1.33 at
    t = 100, 178, 316, 562, 1000, 1778, 3162, 5623; rich 1.70, 1.81, 1.79, 1.64, 1.67, 1.72, 1.38 at t = 100-3162.
    The two rows through the report engine's row builder (00:20-00:26 UTC, load 1.7-2.4): the same numbers, both
    "within" (tolerance 0.127 and 0.111 relative: CI half-width + 0.05); CPU 158.1 and 100.9 s, wall 161.8, 102.3 s.
    With random centres the finite-width transient (about 8/M (eta t)^-1/2) takes the batch-1 loss below 3/2
    from t ~ 0.07 M on: M = 4096, eta 0.5, 3e4 steps, 55.7 s CPU: local slopes 1.62, 1.32, 0.96, 0.68, 0.59 at
    t = 562-5623 (derivation Sec. 10).

    frontier lazy: r_C 0.3301 [0.3144, 0.3423] (1/3), a_N 0.3239; CPU 13.0 s, wall 117.8 s
    frontier rich: r_C 0.3910 [0.3784, 0.4012] (2/5), a_N 0.3774; CPU 21.1 s, wall 197.4 s
    (16 draws of A0, widths 4..1024, M = 4096, C in [1e3, 1e6], 200 bootstrap resamples)

Through the sweep (``--rows none --sweep ROUTE --sweep-row ROW --workers 2``, niced), 2026-12-06 23:52 to
2026-12-07 00:10 UTC on the 2 shared cores, load 3.2-6.9; seeds 0-3, t = 6 log-spaced steps on the window:

    route     row        direct: chi [95% CI]   CPU s  wall s   sweep: chi [95% CI]    verdict   wall s  ratio
    network3  hard lazy  0.492 [0.478, 0.507]   25.0   26.1     0.493 [0.482, 0.503]   agree     62.6    2.39
    network3  hard rich  0.629 [0.595, 0.663]   93.7   150.0    0.632 [0.605, 0.659]   agree(*)  215.4   1.44
    network3  easy lazy  1.157 [1.123, 1.191]   25.9   39.2     1.170 [1.147, 1.192]   agree(*)  66.7    1.70
    network3  easy rich  1.165 [1.066, 1.264]   25.7   38.8     1.174 [1.086, 1.263]   agree     61.3    1.58
    network   hard lazy  0.464 [0.440, 0.489]   57.0   61.1     0.463 [0.417, 0.510]   agree     83.9    1.37
    network3  s-easy lazy 1.472 [1.356, 1.587]  171.0  173.5    1.497 [1.328, 1.665]   agree     282.3   1.63
    network3  s-easy rich 1.416 [1.325, 1.507]  137.2  138.4    1.471 [1.320, 1.622]   agree     129.6   0.94
    (super-easy rows, 00:33-00:48 UTC, load 0.2-4: N 16, 16384 units on 1024 equally spaced centres (route
    setting centres = 1024), batch 1, eta 1.5, 127 modes, seeds 0-15, t <= 2e4 lazy and 1.3e4 rich; the tasks ran
    551.7 and 249.1 s summed over the 2 workers, sum(t) = 39460 and 25648 steps per seed; the direct run is one
    process, the sweep two workers, hence a ratio below 1 for rich at low load.)
    (network3: N 64, features 4096, 2047 modes, t <= 1e4, gamma 1e-3 lazy, 0.3 rich, batch 16 (64 hard rich);
    network: N 4096, 2047 modes, t <= 2e4, batch 16, gamma 1e-3; the direct chi is the report row's estimator,
    the sweep's the slope of the seed-mean loss with a jackknife interval over seeds.)
    (sum(t) = 19730 steps per seed for network3, 39460 for network; the sweep's tasks ran 117.1, 416.9 and 156.6 s
    and 121.4, 109.9 s (easy, 00:07-00:10 UTC, load 4.7-6.4) summed over the 2 workers; the driver's own CPU 5.6-15.7 s.
    (*) with the report row's allowance, 0.05 x 2/3 = 0.033 and 0.05 x 5/4 = 0.062; without it the intervals
    are disjoint from the closed form, as the report row's own are.)
The sweep's targets use the grid's alpha = 2 where the direct run uses the measured alpha of its own NTK
(2.0006 three-layer, 1.9955 two-layer), and its seeds draw their samples alone; the exponents agree within
0.003 all the same. Before the sweep's tasks raised glibc's malloc thresholds (``sweep.run.task_malloc``; Dask
starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which fixes the mmap threshold at 128 KiB, so every SGD
step mapped and unmapped its temporaries), the same network3 hard lazy sweep took 143.6 s wall (tasks 278.8 s,
ratio 5.32 to a 27.0 s direct run, load 2.3-4.5, 41e6 page faults) and the network hard lazy one 910.7 s against
433.5 s at load 10-15 (18:47-19:03 UTC); same exponents (the runs are deterministic). An earlier run with the
thresholds, 23:43-23:50 UTC, load 3.8-6.2: network3 hard lazy 53.0 s against 42.0 s direct (ratio 1.26), hard
rich 193.7 s against 84.9 s (2.28): the ratio moves with the other sessions' load. One 2000-step network3 task
under Dask's setting: 2.44 s CPU, 1.05e6 page faults; with the task's thresholds 1.09 s, 3.6e3 (a plain process:
1.27 s); rich, batch 64, 1000 steps: 4.09 s against 1.48 s; two-layer N 4096, 300 steps: 0.87 s against 0.38 s.
Quick sizes (--quick --sweep ... --workers 2): 4.2-4.3 s wall for 6 x 4 tasks against 0.3 s direct (the
cluster's start dominates); network hard lazy 0.265 [0.135, 0.394], network3 hard rich 0.582 [0.543, 0.622].
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def network_rows(quick: bool, rows):
    from scalingtheory.models.feature_learning import MODEL, NETWORK_GAMMA, NETWORK_SIZES, NETWORK_TASKS, _network

    size = NETWORK_SIZES.sizes(quick)
    for task, b in NETWORK_TASKS.items():
        for tr in ("lazy", "rich"):
            if rows and f"{task}-{tr}" not in rows:
                continue
            m, cpu, wall = timed(lambda: _network(task, tr, quick))
            theory = MODEL.analyze(alpha=2, beta=b, training=tr).exponents["t"].expr
            print(f"{task:<11} {tr:<5} width {size['width']} steps {size['steps'][task]} batch {size['batch'][task]} "
                  f"gamma {NETWORK_GAMMA[tr]:g} seeds {len(size['seeds'][task])}: chi {m.fit.exponent:.3f} "
                  f"[{m.fit.ci[0]:.3f}, {m.fit.ci[1]:.3f}] (closed form {theory}), alpha {m.alpha.exponent:.3f}; "
                  f"CPU {cpu:.1f} s, wall {wall:.1f} s", flush=True)


def three_layer_rows(quick: bool, rows):
    from scalingtheory.models.feature_learning import NETWORK3_GAMMA, NETWORK3_TASKS, _network3, network3_size

    for task, tr in ((task, tr) for task in NETWORK3_TASKS for tr in ("lazy", "rich")):
        if rows and f"three-layer-{task}-{tr}" not in rows:
            continue
        size = network3_size(task, tr, quick)
        m, cpu, wall = timed(lambda: _network3(task, tr, quick))
        print(f"three-layer {task} {tr:<5} units {size['features']} (centres {size.get('centres')}) width "
              f"{size['width']} steps {size['steps']} eta {size['eta']:g} batch {size['batch'][task, tr]} gamma "
              f"{NETWORK3_GAMMA[tr]:g} seeds {len(size['seeds'])}: chi {m.fit.exponent:.3f} "
              f"[{m.fit.ci[0]:.3f}, {m.fit.ci[1]:.3f}] on t in [{m.window[0]:.0f}, {m.window[1]:.0f}], alpha "
              f"{m.alpha.exponent:.4f}; CPU {cpu:.1f} s, wall {wall:.1f} s", flush=True)
        t, slope, (lo, hi) = m.run.local_slopes()
        print("  local slopes (one decade, 4 per decade): " + ", ".join(
            f"{a:.0f}: {b:.2f} [{c:.2f}, {d:.2f}]" for a, b, c, d in zip(t, slope, lo, hi)), flush=True)


def frontier_rows(quick: bool):
    from scalingtheory.models.feature_learning import CHECK_SIZES, _frontier

    size = CHECK_SIZES.sizes(quick)
    for tr, gamma in (("lazy", 0.0), ("rich", 1.0)):
        fr, cpu, wall = timed(lambda: _frontier(gamma, quick))
        print(f"frontier {tr}: r_C {fr.loss_exponent:.4f} [{fr.loss_ci[0]:.4f}, {fr.loss_ci[1]:.4f}], a_N "
              f"{fr.width_exponent:.4f}; M {size['M_frontier']}, widths <= {size['max_width']}, C {size['C']}, "
              f"{len(size['seeds'])} draws; CPU {cpu:.1f} s, wall {wall:.1f} s", flush=True)


def _sweep_case(route: str, row: str, quick: bool):
    """``(direct measurement, fixed values of the sweep, sizes, seeds, steps)`` of one report row."""
    from scalingtheory.models import feature_learning as fl

    gammas = fl.NETWORK_GAMMA if route == "network" else fl.NETWORK3_GAMMA
    rows = [f"{t}-{tr}" for t in fl.NETWORK_TASKS for tr in gammas] if route == "network" else \
        [f"{t}-{tr}" for t in fl.NETWORK3_TASKS for tr in gammas]
    if row not in rows:
        raise SystemExit(f"--sweep-row of route {route} must be one of {', '.join(rows)}, got {row!r}")
    task, tr = row.rsplit("-", 1)
    sizes = fl.NETWORK_SIZES.sizes(quick) if route == "network" else fl.network3_size(task, tr, quick)
    if route == "network":
        fixed = {"N": sizes["width"], "gamma": gammas[tr], "batch": sizes["batch"][task]}
        return fl._network.__wrapped__, fixed, sizes, sizes["seeds"][task], sizes["steps"][task]
    fixed = {"N": sizes["width"], "features": sizes["features"], "centres": sizes.get("centres", 0), "gamma": gammas[tr],
             "batch": sizes["batch"][task, tr]}
    return fl._network3.__wrapped__, fixed, sizes, sizes["seeds"], sizes["steps"]


def sweep_row(quick: bool, route: str = "network", row: str = "hard-lazy", workers: int | None = None):
    """One report row's time exponent through the sweep engine (Dask LocalCluster, one seed per task, 6 values
    of t on the direct run's window, the report row's allowance as the spec's tolerance) against the direct run
    (all seeds in one batch), both timed here."""
    import numpy as np

    from scalingtheory.models.feature_learning import CHECKS, MODEL, NETWORK_TASKS
    from scalingtheory.sweep import sweep
    from scalingtheory.verdict import compare

    direct, fixed, size, seeds, steps = _sweep_case(route, row, quick)
    task, tr = row.rsplit("-", 1)
    m, d_cpu, d_wall = timed(lambda: direct(task, tr, quick))
    print(f"direct ({route} {row}, {steps} steps, {len(seeds)} seeds in one batch, {fixed}): "
          f"chi {m.fit.exponent:.3f} [{m.fit.ci[0]:.3f}, {m.fit.ci[1]:.3f}] ({m.fit.method}; target alpha "
          f"{m.alpha.exponent:.4f}); CPU {d_cpu:.1f} s, wall {d_wall:.1f} s", flush=True)
    theory = float(MODEL.analyze(alpha=2, beta=NETWORK_TASKS[task], training=tr).exponents["t"].expr)
    check = next(c for c in CHECKS if c.quantity.startswith(f"{'three-layer ' * (route == 'network3')}network chi "
                                                            f"{tr}, {task},"))
    ts = [int(x) for x in np.unique(np.geomspace(steps / 10**1.5, steps, 6).round())]
    spec = {"model": "feature_learning", "route": route, "grid": {"alpha": [2], "beta": [str(NETWORK_TASKS[task])]},
            "vary": {"t": ts}, "fixed": {**fixed, "eta": size["eta"], "modes": size["modes"]}, "seeds": list(seeds),
            "tolerance": check.tolerance * abs(theory), "tolerance_reason": check.why}
    with tempfile.TemporaryDirectory() as out:
        res, cpu, wall = timed(lambda: sweep(spec, os.path.join(out, "sweep"), workers=workers, progress=False))
    work = sum(res.table.column("seconds").to_pylist())
    print(f"sweep (route {route}, t = {ts} x seeds {list(seeds)}, sum(t) = {sum(ts)} steps per seed): "
          f"wall {wall:.1f} s (tasks' own wall {work:.1f} s summed over workers; this process's CPU {cpu:.1f} s); "
          f"wall ratio sweep / direct {wall / d_wall:.2f}", flush=True)
    point = res.exponents["points"][0]
    m = point["measured"]["t"]
    strict = compare(m["value"], (m["lo"], m["hi"]), theory, (theory, theory))[0]
    print(f"  sweep exponent {m['value']:.3f} [{m['lo']:.3f}, {m['hi']:.3f}] (jackknife over seeds) vs closed form "
          f"{point['theory_exact']['t']}: {point['verdict']} with the report row's allowance +/- "
          f"{res.exponents['tolerance']:.3f} ({check.tolerance:g} x {point['theory_exact']['t']}), {strict} without",
          flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the report's quick sizes")
    ap.add_argument("--sweep", nargs="?", const="network", choices=("network", "network3"), default=None,
                    help="also run a row through scalingtheory sweep with this route (two-layer network, "
                         "three-layer network3), against its direct run")
    ap.add_argument("--sweep-row", default="hard-lazy", help="the task-training row of --sweep (default hard-lazy)")
    ap.add_argument("--workers", type=int, default=None, help="the sweep's local workers (default: one per core)")
    ap.add_argument("--rows", default="", help="comma-separated task-training rows, three-layer ones as "
                    "three-layer-TASK-TRAINING (default: all)")
    args = ap.parse_args(argv)
    rows = [r for r in args.rows.split(",") if r]
    network_rows(args.quick, rows)
    three_layer_rows(args.quick, rows)
    if not rows:
        frontier_rows(args.quick)
    if args.sweep:
        sweep_row(args.quick, args.sweep, args.sweep_row, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
