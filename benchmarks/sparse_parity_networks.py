"""Sparse-parity emergence in two-layer networks (Nam et al. 2024, Fig. 1): run sizes, seeds, CPU times, and the
speed of the network ensemble, as ratios measured in one run.

1. The report's three network experiments (time, data, width; ``EXPERIMENT_SIZES`` of
   ``scalingtheory/models/sparse_parity.py``) at quick or full size: the one fitted constant, every skill's
   emergence point (network seed mean with its 95 % interval, calibrated model), the log-log slope in k, the
   seeds and the CPU seconds of each experiment.
   The time experiment's control: every skill trained alone at its share of the batch and learning rate
   (``isolated_skill_times``), which the decoupled model predicts to emerge at tau_1 / P_s(k).
2. Speed: the width runs train all widths in one ``ReLUEnsemble`` (one matrix product per step); the baseline
   is the same widths trained one network at a time (``ReLUEnsemble`` of one width each, the same
   arithmetic), over the same steps; their results agree to float32 rounding.

    python benchmarks/sparse_parity_networks.py [--quick] [--resources t,D,N]

The training loops run with one BLAS thread (``numerics._shared.blas_threads``), as in the report.
"""
import argparse
import time


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the report's quick sizes (a few seconds)")
    ap.add_argument("--resources", default="t,D,N", help="which experiments, comma-separated (default t,D,N)")
    return ap.parse_args(argv)


def experiments(quick, resources):
    """Part 1: each experiment's constant, points, slope, seeds and CPU seconds."""
    from scalingtheory.models.sparse_parity import emergence_experiment

    for resource in resources:
        start = time.process_time()
        exp = emergence_experiment(resource, quick)
        cpu = time.process_time() - start
        print(f"\n[{resource}] {exp.budget}")
        print(f"  one constant {exp.constant} = {exp.value:.5g} (one-skill run, seed 10000); CPU {cpu:.1f} s")
        print("  k   network mean [95 % interval]        model     network/model   per seed")
        for k, model in enumerate(exp.points_model, 1):
            mean, (low, high) = exp.point(k)
            seeds = " ".join(f"{v:.4g}" for v in exp.points_net[:, k - 1])
            print(f"  {k}   {mean:9.4g} [{low:9.4g}, {high:9.4g}]   {model:9.4g}   {mean / model:8.3f}   {seeds}"
                  f"   ({exp.reached(k)} of {len(exp.points_net)} seeds reached it)")
        print(f"  slope d ln x_k / d ln k: network {exp.slope_net:.3f} [{exp.slope_ci[0]:.3f}, {exp.slope_ci[1]:.3f}]"
              f" (t-interval over seeds), model {exp.slope_model:.3f}")


def isolated(quick):
    """Part 1b: the time experiment's control, each skill alone at its share of batch and learning rate."""
    import numpy as np

    from scalingtheory.models.sparse_parity import EXPERIMENT_SIZES
    from scalingtheory.numerics import parity_network as pn

    budget = pn.NetworkBudget(**EXPERIMENT_SIZES["t"].sizes(quick))
    start = time.process_time()
    tau = pn.isolated_skill_times(budget=budget, progress=False)
    P = pn.skill_frequencies(0.6, 5)
    print(f"\n[t, control] each skill alone at its share of batch {budget.batch} and lr {budget.lr}: seeds "
          f"{list(budget.seeds)}, CPU {time.process_time() - start:.1f} s")
    for k in range(5):
        print(f"  k = {k + 1}: tau = {np.nanmean(tau[:, k]):8.1f} (seeds {' '.join(f'{v:.0f}' for v in tau[:, k])}),"
              f"  tau P_s(k) = {np.nanmean(tau[:, k]) * P[k]:6.1f}")
    print(f"  slope d ln tau_k / d ln k = {pn.log_slope(np.nanmean(tau, axis=0)):.3f} (decoupled model: alpha + 1 = 1.6)")


def ensemble_speed(quick):
    """Part 2: all widths in one ensemble against one network at a time, same steps and batches."""
    import numpy as np

    from scalingtheory.numerics import parity_network as pn

    widths, steps = (tuple(range(1, 13)), 200) if quick else (tuple(range(1, 23)), 1000)
    task = pn.MultitaskSparseParity(5, 32, 3, 0.6, 5.0, seed=0)
    data = np.random.default_rng(0)
    batches = [task.sample(500, data, dtype=np.float32) for _ in range(steps)]

    def split(net):
        """The networks of ``net`` as separate one-network ensembles with the same initial weights."""
        edges = np.concatenate([[0], np.cumsum(widths)])
        nets = []
        for m, w in enumerate(widths):
            one = pn.ReLUEnsemble(task.n_inputs, [w], 0.01, np.random.default_rng(0))
            cut = slice(edges[m], edges[m + 1])
            one.params = {"W1": net.params["W1"][:, cut].copy(), "b1": net.params["b1"][cut].copy(),
                          "w2": net.params["w2"][cut].copy(), "b2": net.params["b2"][m:m + 1].copy()}
            nets.append(one)
        return nets

    def train(nets):
        opts = [pn.Adam(net.params, 0.01, 5e-4) for net in nets]
        start = time.process_time()
        for x, _, g in batches:
            for net, opt in zip(nets, opts):
                grads, _ = net.gradients(x, task.S * g, 1.0 / len(g))
                opt.step(net.params, grads)
        return time.process_time() - start, np.concatenate([net(batches[0][0]) for net in nets], axis=1)

    ensemble = pn.ReLUEnsemble(task.n_inputs, widths, 0.01, np.random.default_rng(1))
    t_one, out_one = train(split(ensemble))
    t_all, out_all = train([ensemble])
    print(f"\nwidths {widths[0]}..{widths[-1]}, {steps} Adam steps of batch 500, the same initial weights")
    print(f"  one network at a time  {t_one:7.2f} s CPU")
    print(f"  one ensemble           {t_all:7.2f} s CPU   (ratio one-at-a-time / ensemble = {t_one / t_all:.1f})")
    print(f"  outputs after training: max |difference| / max |output| = "
          f"{np.max(np.abs(out_one - out_all)) / np.max(np.abs(out_all)):.1e} (float32 rounding)")


def main(args):
    resources = [r.strip() for r in args.resources.split(",") if r.strip()]
    if not resources or any(r not in ("t", "D", "N") for r in resources):
        raise SystemExit("--resources takes t, D and/or N, comma-separated")
    experiments(args.quick, resources)
    if "t" in resources:
        isolated(args.quick)
    ensemble_speed(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(parse()))
