"""When does skill k emerge, and how does the loss scale? The multitask sparse parity model.

Nam, Fonseca, Lee, Mingard & Louis (NeurIPS 2024). This script

1. prints the exact exponents for T, D, N and compute C = N T, the compute-optimal allocation and
   the prefactors A_T, A_D, A_N, A_C at the paper's Fig. 2 values (S = 1, r = 0.01, eta = 1);
2. answers "when does skill k emerge?" (Eq. 40) for the time-emergence setting (n_s = 5, S = 5);
3. times the exact loss sum (n_s = 1e6, 100 time points) against one np.exp over the same array;
4. trains two-layer ReLU networks (NumPy) on multitask sparse parity along training time, dataset size and
   width, calibrates the model's one constant per resource on a one-skill run (kappa_T of Eq. 14, D_c of
   Eq. 17, N_c of Eq. 21) and compares every skill's emergence point with the calibrated model, as Fig. 1;
5. saves the figures (skill strength vs T, D, N; loss vs T, D, N, C with power laws).

    python examples/sparse_parity_emergence.py --quick --out figures/
"""

import argparse
from pathlib import Path

from scalingtheory.models.sparse_parity import FIGURE_SIZES, MODEL, emergence_experiment
from scalingtheory.numerics import sparse_parity as num
from scalingtheory import figure_style as style
from scalingtheory.plots import sparse_parity as figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small network runs (a few seconds)")
    parser.add_argument("--out", type=Path, default=Path("."), help="directory for the PNG figures")
    parser.add_argument("--alpha", default="0.6", help="skill-frequency exponent alpha > 0 (P_s ~ k^-(alpha+1)) of the "
                        "closed forms; the network runs are the report's, at alpha = 0.6")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    print(MODEL.analyze(alpha=args.alpha))
    print("\nemergence (R_k/S = 0.05) and saturation times, n_s = 5, S = 5, r = 0.01, eta = 1:")
    for row in MODEL.emergence_table(5, alpha=args.alpha, S=5):
        margin = "       -" if row["margin"] is None else f"{row['margin']:8.3f}"
        print(f"  k = {row['k']}: tau_e = {row['tau_e']:8.3f}   tau_s = {row['tau_s']:8.3f}   Eq. (41) margin {margin}")

    seconds, ratio = num.benchmark_exact_loss(10**6, 100)
    print(f"\nexact loss, n_s = 1e6, 100 time points: {seconds:.3f} s = {ratio:.1f} x one np.exp over 1e6 per point")

    fig, axes = style.figure(2, 3, width=5.4, height=4.4)
    for row, resource in enumerate(("t", "D", "N")):  # alpha = 0.6, n_s = 5, S = 5 (Fig. 1)
        exp = emergence_experiment(resource, args.quick)
        print(f"\nnetwork along {resource}: one constant {exp.constant} = {exp.value:.4g} (one-skill run), "
              f"seeds {list(exp.budget.seeds)}, {exp.seconds:.1f} s CPU")
        print(f"  k   network (seed mean, 95 % interval)   calibrated model")
        for k, model in enumerate(exp.points_model, 1):
            mean, (low, high) = exp.point(k)
            print(f"  {k}   {mean:10.4g} [{low:.4g}, {high:.4g}]   {model:10.4g}")
        print(f"  slope d ln x_k / d ln k: network {exp.slope_net:.3f} {tuple(round(v, 3) for v in exp.slope_ci)}, "
              f"model {exp.slope_model:.3f}")
        figures.emergence(axes[2 * row: 2 * row + 2], exp)
    print("wrote", style.save(fig, args.out / "sparse_parity_emergence.png"))
    fig, axes = style.figure(4, width=3.6, height=3.6)
    sizes = FIGURE_SIZES.sizes(args.quick)
    figures.scaling(axes, MODEL, sizes["n_s"], sizes["log10_C_max"])
    print("wrote", style.save(fig, args.out / "sparse_parity_scaling.png"))
    return 0


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
