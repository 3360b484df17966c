"""How should I split a compute budget C = N t? Closed forms, prefactors and the numbers.

Asks the random-feature model (Bordelon, Atanasov & Pehlevan 2024) for its compute-optimal
rule at (alpha, beta), evaluates N*, t* and L* for a list of budgets from the exact
expressions (exponents and prefactors), and checks the allocation against a brute-force
minimisation of the model's asymptotic loss law over N at fixed C. Writes a PNG of the
loss along the iso-compute curves with the optimum marked.

    python examples/compute_budget.py --alpha 3/2 --beta 2/3 --budgets 1e6,1e8,1e10 [--out DIR] [--quick]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

import scalingtheory as st  # noqa: E402
from scalingtheory.models import get_model  # noqa: E402
from scalingtheory.symbols import C, N, t  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--alpha", default="3/2")
    ap.add_argument("--beta", default="2/3")
    ap.add_argument("--budgets", default="1e6,1e8,1e10,1e12", help="comma-separated compute budgets C = N t")
    ap.add_argument("--out", default=".", help="folder for the PNG file")
    ap.add_argument("--quick", action="store_true", help="(already fast; accepted for uniformity)")
    args = ap.parse_args(argv)
    try:
        budgets = [float(b) for b in args.budgets.split(",")]
    except ValueError:
        ap.error(f"--budgets must be comma-separated numbers, got {args.budgets!r}")
    if not all(np.isfinite(b) and b > 1 for b in budgets):
        ap.error(f"--budgets must be finite numbers > 1, got {args.budgets!r}")

    model = get_model("random_features")
    try:
        result = st.exponents("random_features", alpha=args.alpha, beta=args.beta)
    except ValueError as exc:
        ap.error(str(exc))
    print(result, end="\n\n")
    p = model.validate(alpha=args.alpha, beta=args.beta)
    regime = model.regime(p)
    law = model.law(p, regime)
    opt = law.compute_optimal(model.cost)
    unknown = law.expr.free_symbols - set(law.resources)
    if unknown:  # a tie (e.g. beta = 1): log corrections, no power-law prefactor
        print("no numeric split here:", *result.notes, sep="\n  ")
        raise SystemExit(1)
    print(f"loss law: L = {law.expr}")
    print(f"N* = {opt.allocation_prefactors[N]} C^({opt.allocation[N]}),  "
          f"t* = {opt.allocation_prefactors[t]} C^({opt.allocation[t]}),  "
          f"L* = {opt.loss_prefactor} C^(-{opt.loss_exponent})\n")
    n_star = sp.lambdify(C, opt.allocation_prefactors[N] * C ** opt.allocation[N])
    l_star = sp.lambdify(C, opt.loss_prefactor * C ** (-opt.loss_exponent))
    # resources outside the cost (the data P) are unlimited: their terms vanish
    loss = sp.lambdify((N, t), law.expr.subs({x: sp.oo for x in law.resources if x not in (N, t)}))
    fig, ax = plt.subplots(figsize=(6, 4))
    print(f"{'C':>10} {'N*':>12} {'t*':>12} {'L*':>12} {'N* (brute force)':>18}")
    for c in budgets:
        grid = np.logspace(0, np.log10(c), 4001)
        values = loss(grid, c / grid)
        brute = grid[np.argmin(values)]
        print(f"{c:10.3g} {n_star(c):12.4g} {c / n_star(c):12.4g} {l_star(c):12.4g} {brute:18.4g}")
        ax.loglog(grid, values, label=f"C = {c:.0e}")
        ax.plot(n_star(c), l_star(c), "ko")
        if abs(np.log(brute / n_star(c))) > 0.01:
            raise SystemExit(f"closed-form N* = {n_star(c):.4g} disagrees with the brute-force argmin {brute:.4g}")
    ax.set_xlabel("width N (t = C / N)")
    ax.set_ylabel("asymptotic loss law")
    ax.set_title(f"iso-compute curves, alpha={args.alpha}, beta={args.beta}")
    ax.legend(fontsize=7)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "compute_budget.png", dpi=120, bbox_inches="tight")
    print(f"\nfigure: {out / 'compute_budget.png'}")


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
