"""Speed of the foundation, as ratios against baselines measured in the same run.

1. Safe parsing: refusing exponent bombs (``9**9**9**9``, ``10**100000``) versus parsing an
   ordinary formula (``2*beta/(1+beta)``); the refusal must cost about as much as a parse.
2. Compute-optimal rule: the exact symbolic derivation for the Chinchilla form (done once,
   then evaluated by lambdify at any C) versus a numerical SciPy minimisation at one C;
   and the cost per evaluated C of the closed form versus the minimiser.
3. A model query: ``analyze()`` at a rational point with large denominators (where naive
   exact powers would take minutes) versus at a simple point.

    python benchmarks/bench_foundation.py [--repeat K]
"""
import argparse
import math
import time

import numpy as np
import sympy as sp
from scipy import optimize

from scalingtheory.laws import ScalingLaw
from scalingtheory.models import get_model
from scalingtheory.parsing import FormulaError, parse_formula
from scalingtheory.symbols import C, D, N


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def refuse(text):
    try:
        parse_formula(text)
    except FormulaError:
        return
    raise AssertionError(f"{text} was accepted")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    rows = []

    base = best_of(lambda: parse_formula("2*beta/(1+beta)"), args.repeat)
    for bomb in ("9**9**9**9", "10**100000", "(1+beta)**10**8"):
        t = best_of(lambda: refuse(bomb), args.repeat)
        rows.append((f"refuse {bomb}", t, "parse 2*beta/(1+beta)", base))

    E, A, B, a, b = sp.symbols("E A B a b", positive=True)
    derive = best_of(lambda: ScalingLaw.from_expr(E + A * N**-a + B * D**-b, [N, D]).compute_optimal(6 * N * D),
                     args.repeat)
    opt = ScalingLaw.from_expr(E + A * N**-a + B * D**-b, [N, D]).compute_optimal(6 * N * D)
    n_star = sp.lambdify((A, B, a, b, C), opt.allocation_prefactors[N] * C ** opt.allocation[N])
    vals = (406.4, 410.7, 0.34, 0.28)
    costs = np.logspace(18, 26, 1000)

    def minimise_one(c=1e22):
        f = lambda u: np.logaddexp(math.log(vals[0]) - vals[2] * u, math.log(vals[1]) - vals[3] * (math.log(c / 6) - u))
        return optimize.minimize_scalar(f, bounds=(-100, 200), method="bounded", options={"xatol": 1e-10}).x

    t_min = best_of(minimise_one, args.repeat)
    t_eval = best_of(lambda: n_star(*vals, costs), args.repeat) / costs.size
    rows.append(("derive Chinchilla rule (symbolic, once)", derive, "SciPy minimisation at one C", t_min))
    rows.append(("closed form per C (lambdify, 1000 C)", t_eval, "SciPy minimisation at one C", t_min))
    agree = abs(math.exp(minimise_one()) / n_star(*vals, 1e22) - 1)

    fl = get_model("feature_learning")
    simple = best_of(lambda: fl.analyze(alpha=2, beta="1/2"), args.repeat)
    hard = best_of(lambda: fl.analyze(alpha="347/64", beta="35/64"), args.repeat)
    rows.append(("analyze at alpha=347/64, beta=35/64", hard, "analyze at alpha=2, beta=1/2", simple))

    print("| measured | seconds | baseline | seconds | ratio |")
    print("|---|---|---|---|---|")
    for what, t, base_what, t_base in rows:
        print(f"| {what} | {t:.3g} | {base_what} | {t_base:.3g} | {t / t_base:.3g} |")
    print(f"\nclosed-form N* vs SciPy argmin at C = 1e22: relative difference {agree:.1e}")


if __name__ == "__main__":
    main()
