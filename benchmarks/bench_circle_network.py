"""Full-size runs of the circle networks and of the compute-optimal frontier (issue 23): sizes and run times.

1. The six "network chi" rows of the feature-learning report (two-layer ReLU MLP on the circle, online
   SGD, lazy gamma = 1e-3 and rich gamma = 0.2 on the hard, easy and super-easy targets) at the sizes of
   ``NETWORK_SIZES.full`` (the full report's sizes), each timed (CPU and wall), with the measured exponent and its
   interval; then the two "three-layer network chi" rows (``NETWORK3_SIZES.full``, hard task).
2. The two "compute-optimal r_C" rows (``CHECK_SIZES.full``: 16 draws of A0, widths 4..1024, M = 4096,
   C in [1e3, 1e6], bootstrap over draws).
3. ``--sweep``: the lazy hard row's time exponent again through ``scalingtheory sweep`` (route
   ``feature_learning/network``, one seed per task, a LocalCluster of Dask workers): its wall time
   against the direct run of (1) for the same steps and seeds (ratio; a sweep task restarts from t = 0,
   so the sweep does sum(t) steps where the direct run does max(t)).

    python benchmarks/bench_circle_network.py [--quick] [--sweep] [--rows hard-lazy,easy-rich]

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

    frontier lazy: r_C 0.3301 [0.3144, 0.3423] (1/3), a_N 0.3239; CPU 13.0 s, wall 117.8 s
    frontier rich: r_C 0.3910 [0.3784, 0.4012] (2/5), a_N 0.3774; CPU 21.1 s, wall 197.4 s
    (16 draws of A0, widths 4..1024, M = 4096, C in [1e3, 1e6], 200 bootstrap resamples)

Quick sizes (--quick --sweep --rows hard-lazy): direct run 0.4 s CPU (9.8 s wall); the same row through the
sweep on a LocalCluster: 51.6 s wall for 6 steps x 4 seeds (sum(t) = 788 steps per seed), exponent
0.265 [0.196, 0.311] against the direct 0.277 [0.144, 0.410]: at this size the cluster's start dominates.
Full size (--sweep --rows none), 18:47-19:03 UTC, load 10-15: the lazy hard row through the sweep, 6 values of
t in [632, 2e4] x 4 seeds (sum(t) = 39460 steps per seed), LocalCluster with 2 workers: 910.7 s wall,
exponent 0.463 [0.417, 0.510] (jackknife over seeds) vs 1/2, agree; the direct run (2e4 steps, 4 seeds in
one batch): 433.5 s wall, 69.6 s CPU, 0.464 [0.440, 0.489]. The sweep does 2x the steps and one seed per
task (no batching over seeds), hence about 2x the wall time.
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


def three_layer_rows(quick: bool):
    from scalingtheory.models.feature_learning import NETWORK3_GAMMA, NETWORK3_SIZES, _network3

    size = NETWORK3_SIZES.sizes(quick)
    for task, tr in ((task, tr) for task in ("hard", "easy") for tr in ("lazy", "rich")):
        m, cpu, wall = timed(lambda: _network3(task, tr, quick))
        print(f"three-layer {task} {tr:<5} units {size['features']} width {size['width']} steps {size['steps']} batch "
              f"{size['batch'][task, tr]} gamma {NETWORK3_GAMMA[tr]:g} seeds {len(size['seeds'])}: chi {m.fit.exponent:.3f} "
              f"[{m.fit.ci[0]:.3f}, {m.fit.ci[1]:.3f}], alpha {m.alpha.exponent:.4f}; CPU {cpu:.1f} s, wall {wall:.1f} s",
              flush=True)


def frontier_rows(quick: bool):
    from scalingtheory.models.feature_learning import CHECK_SIZES, _frontier

    size = CHECK_SIZES.sizes(quick)
    for tr, gamma in (("lazy", 0.0), ("rich", 1.0)):
        fr, cpu, wall = timed(lambda: _frontier(gamma, quick))
        print(f"frontier {tr}: r_C {fr.loss_exponent:.4f} [{fr.loss_ci[0]:.4f}, {fr.loss_ci[1]:.4f}], a_N "
              f"{fr.width_exponent:.4f}; M {size['M_frontier']}, widths <= {size['max_width']}, C {size['C']}, "
              f"{len(size['seeds'])} draws; CPU {cpu:.1f} s, wall {wall:.1f} s", flush=True)


def sweep_row(quick: bool):
    """The lazy hard exponent through the sweep engine (Dask LocalCluster) vs the direct run."""
    import numpy as np

    from scalingtheory.models.feature_learning import NETWORK_GAMMA, NETWORK_SIZES
    from scalingtheory.sweep import sweep

    size = NETWORK_SIZES.sizes(quick)
    steps = size["steps"]["hard"]
    ts = [int(x) for x in np.unique(np.geomspace(steps / 10**1.5, steps, 6).round())]
    spec = {"model": "feature_learning", "route": "network", "grid": {"alpha": [2], "beta": ["1/2"]},
            "vary": {"t": ts}, "fixed": {"N": size["width"], "gamma": NETWORK_GAMMA["lazy"], "eta": size["eta"],
                                         "batch": size["batch"]["hard"], "modes": size["modes"]},
            "seeds": len(size["seeds"]["hard"])}
    with tempfile.TemporaryDirectory() as out:
        res, cpu, wall = timed(lambda: sweep(spec, os.path.join(out, "sweep"), progress=False))
    print(f"sweep (route network, {len(ts)} steps x {len(size['seeds']['hard'])} seeds, sum(t) = {sum(ts)} steps per seed): "
          f"wall {wall:.1f} s (this process's CPU {cpu:.1f} s)", flush=True)
    point = res.exponents["points"][0]
    m = point["measured"]["t"]
    print(f"  sweep exponent {m['value']:.3f} [{m['lo']:.3f}, {m['hi']:.3f}] (bootstrap over seeds) vs closed form "
          f"{point['theory_exact']['t']}: {point['verdict']} (the sweep's tolerance {res.exponents['tolerance']})",
          flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the report's quick sizes")
    ap.add_argument("--sweep", action="store_true", help="also run the lazy hard row through scalingtheory sweep")
    ap.add_argument("--rows", default="", help="comma-separated task-training rows (default: all)")
    args = ap.parse_args(argv)
    rows = [r for r in args.rows.split(",") if r]
    network_rows(args.quick, rows)
    if not rows:
        three_layer_rows(args.quick)
        frontier_rows(args.quick)
    if args.sweep:
        sweep_row(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
