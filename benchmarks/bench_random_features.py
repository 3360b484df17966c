"""Speed of the random-feature solvers, as ratios measured in one run.

1. One DMFT loss curve (200 times, M modes, N = P) versus one exact finite-size draw at
   the same N, P, M evaluated at the same 200 times.
2. The exact draw versus one dense symmetric eigendecomposition of size N (the floor of
   any exact method).
3. The exact solver versus naive time stepping (explicit gradient descent with a stable
   step up to the same final time) on a smaller problem, and their agreement.

    python benchmarks/bench_random_features.py [--quick] [--threads K]

BLAS threads are fixed before NumPy loads (default 1): on a shared machine
multi-threaded OpenBLAS busy-waits and makes small products erratic.
"""
import argparse
import os
import time


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    return ap.parse_args(argv)


def best_of(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def task(M, a=2.0, b=1.5):
    k = np.arange(1, M + 1, dtype=float)
    lam = k ** -b
    return lam, np.sqrt(k ** -a / lam)


def naive_descent(lam, w, N, P, times, seed):
    """Explicit GD on the same draw (step <= 0.9 / max eig), test loss recorded at ``times``."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((N, lam.size))
    G = rng.standard_normal((P, lam.size)) * np.sqrt(lam)
    F = G @ A.T / np.sqrt(N)
    y = G @ w
    K, g = F.T @ F / P, F.T @ y / P
    lr = 0.9 / np.linalg.eigvalsh(K)[-1]
    steps = int(np.ceil(times[-1] / lr))
    lr = times[-1] / steps
    marks = set(np.rint(np.asarray(times) / lr).astype(int))
    wt, out = np.zeros(N), []
    for n in range(steps + 1):
        if n in marks:
            v = w - A.T @ wt / np.sqrt(N)
            out.append(float(v @ (lam * v)))
        wt += lr * (g - K @ wt)
    return np.array(out), steps, lr


def main(args):
    M, N, repeat = (2000, 300, 1) if args.quick else (10_000, 1000, 2)
    lam, w = task(M)
    times = np.logspace(-1, 5, 200)

    t_dmft, L_dmft = best_of(lambda: DMFT(lam, w, N, N).test_loss(times), repeat)
    t_exact, L_exact = best_of(lambda: draw(lam, w, N, N, rng=0).test_loss(times), repeat)
    S = np.random.default_rng(1).standard_normal((N, N))
    S = S + S.T
    t_eig, _ = best_of(lambda: np.linalg.eigh(S), repeat)
    print(f"M = {M}, N = P = {N}, 200 times")
    print(f"  DMFT loss curve         {t_dmft:8.3f} s")
    print(f"  exact draw + 200 times  {t_exact:8.3f} s   (ratio exact / DMFT = {t_exact / t_dmft:.2f})")
    print(f"  dense eigh of size N    {t_eig:8.3f} s   (ratio exact / eigh = {t_exact / t_eig:.2f})")
    print(f"  one draw vs DMFT: median |L_exact / L_DMFT - 1| = {np.median(np.abs(L_exact / L_dmft - 1)):.3f}")

    Ms, Ns, t_final = (500, 60, 2e3) if args.quick else (1000, 200, 1e4)
    lam2, w2 = task(Ms)
    t_naive, (L_naive, steps, lr) = best_of(
        lambda: naive_descent(lam2, w2, Ns, Ns, np.logspace(0, np.log10(t_final), 50), 5), 1)
    grid = np.rint(np.logspace(0, np.log10(t_final), 50) / lr) * lr
    grid = grid[np.unique(np.rint(grid / lr), return_index=True)[1]]
    t_solver, L_gd = best_of(lambda: draw(lam2, w2, Ns, Ns, rng=5).test_loss(grid, learning_rate=lr), repeat)
    print(f"M = {Ms}, N = P = {Ns}, GD curve at {grid.size} times up to t = {t_final:g}")
    print(f"  eigendecomposition solver          {t_solver:8.4f} s")
    print(f"  naive GD, {steps} steps of {lr:.3g}   {t_naive:8.4f} s   (ratio naive / solver = "
          f"{t_naive / t_solver:.1f})")
    print(f"  max relative difference of the two curves: {np.max(np.abs(L_naive / L_gd - 1)):.1e}")
    return 0


if __name__ == "__main__":
    ARGS = parse()
    if ARGS.threads < 1:
        raise SystemExit("--threads must be >= 1")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
    import numpy as np

    from scalingtheory.numerics.dmft import DMFT
    from scalingtheory.numerics.rf_exact import draw
    raise SystemExit(main(ARGS))
