"""Synthetic sweeps from published Chinchilla-form fits, for checks, benchmarks and examples.

:data:`HOFFMANN` is Hoffmann et al. (2022), Eq. 10 (:math:`L = 1.69 + 406.4 N^{-0.34} + 410.7 D^{-0.28}`);
:data:`BESIROGLU` the replication of Approach 3 by Besiroglu et al. (2024), Table 1
(E = 1.8172, A = 482.01, B = 2085.43, alpha = 0.3478, beta = 0.3658; standard errors
:data:`BESIROGLU_SE`). Designs: ``"random"`` runs log-uniform in N and D, and
``"isoflop"`` runs on IsoFLOP profiles at the nine budgets of Hoffmann et al.'s
Figure 4 (6e18 ... 3e21 FLOP, C = 6ND), N spanning two decades around each optimum,
the shape of the 240 points Besiroglu et al. read off that figure. :func:`chinchilla_curves`
gives training curves instead: several rows per run whose noise is shared within the run.

>>> data = chinchilla_runs(240, design="isoflop", noise=0.0)
>>> len(data["loss"]), sorted(set(round(float(c), -17) for c in 6 * data["N"] * data["D"]))[:2]
(240, [6e+18, 1e+19])
"""

from __future__ import annotations

import numpy as np

HOFFMANN = {"E": 1.69, "A": 406.4, "B": 410.7, "a": 0.34, "b": 0.28}
BESIROGLU = {"E": 1.8172, "A": 482.01, "B": 2085.43, "a": 0.3478, "b": 0.3658}
BESIROGLU_SE = {"E": 0.03, "A": 124.58, "B": 1293.23, "a": 0.02, "b": 0.02}
ISOFLOP_BUDGETS = (6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21)
LAW = "E + A*N**-a + B*D**-b"


def chinchilla_loss(N, D, params=HOFFMANN):
    """``E + A N^-a + B D^-b``."""
    p = params
    return p["E"] + p["A"] * np.asarray(N, float) ** -p["a"] + p["B"] * np.asarray(D, float) ** -p["b"]


def optimal_n(C, params=HOFFMANN):
    """Exact compute-optimal N under C = 6ND (Hoffmann et al. 2022, Eq. 4)."""
    p = params
    G = (p["a"] * p["A"] / (p["b"] * p["B"])) ** (1 / (p["a"] + p["b"]))
    return G * (np.asarray(C, float) / 6) ** (p["b"] / (p["a"] + p["b"]))


def chinchilla_runs(n: int = 200, seed: int = 0, noise: float = 0.02, params=HOFFMANN, design: str = "random",
                    n_range=(1e7, 1e10), d_range=(1e9, 1e12)) -> dict:
    """``{"N", "D", "loss"}`` with multiplicative noise: loss * (1 + noise * standard normal)."""
    rng = np.random.default_rng(seed)
    if design == "random":
        N = np.exp(rng.uniform(*np.log(n_range), n))
        D = np.exp(rng.uniform(*np.log(d_range), n))
    elif design == "isoflop":
        per = np.diff(np.linspace(0, n, len(ISOFLOP_BUDGETS) + 1).round().astype(int))
        C = np.repeat(ISOFLOP_BUDGETS, per)
        N = np.concatenate([optimal_n(c, params) * np.logspace(-1, 1, k) for c, k in zip(ISOFLOP_BUDGETS, per)])
        D = C / (6 * N)
    else:
        raise ValueError(f"design must be 'random' or 'isoflop', got {design!r}")
    loss = chinchilla_loss(N, D, params) * (1 + noise * rng.standard_normal(N.size))
    return {"N": N, "D": D, "loss": loss}


def chinchilla_curves(n_runs: int = 40, points: int = 8, seed: int = 0, run_noise: float = 0.02,
                      row_noise: float = 0.005, params=HOFFMANN, n_range=(1e7, 1e10), d_range=(1e10, 1e12)) -> dict:
    r"""Training curves ``{"N", "D", "loss", "run"}``: ``n_runs`` runs, each read at ``points`` token counts.

    Run :math:`j` has :math:`N_j` log-uniform in ``n_range`` and a final token count
    log-uniform in ``d_range``; its rows are read at ``points`` token counts log-spaced over
    the last decade of the run. The noise is correlated within a run:
    :math:`L_{ji} = L(N_j, D_{ji})\,e^{u_j + \epsilon_{ji}}` with a per-run offset
    :math:`u_j \sim \mathcal N(0, \sigma_{run}^2)` shared by the run's rows and
    :math:`\epsilon_{ji} \sim \mathcal N(0, \sigma_{row}^2)` (``run_noise``, ``row_noise``).

    >>> d = chinchilla_curves(5, 4)
    >>> len(d["loss"]), d["run"].tolist()[:6], bool(d["N"][0] == d["N"][3] != d["N"][4])
    (20, [0, 0, 0, 0, 1, 1], True)
    """
    rng = np.random.default_rng(seed)
    N = np.exp(rng.uniform(*np.log(n_range), n_runs))
    D_end = np.exp(rng.uniform(*np.log(d_range), n_runs))
    D = (D_end[:, None] * np.logspace(-1, 0, points)[None, :]).ravel()
    N, run = np.repeat(N, points), np.repeat(np.arange(n_runs), points)
    u = run_noise * rng.standard_normal(n_runs)
    loss = chinchilla_loss(N, D, params) * np.exp(u[run] + row_noise * rng.standard_normal(N.size))
    return {"N": N, "D": D, "loss": loss, "run": run}


#: laws beyond Chinchilla's form with published (or stated) truths, for coverage studies and examples:
#: coefficients inside a power (issue 25's truth A = 300, B = 1200, c = 1.3 with Hoffmann's E, a, b); Kaplan et al.
#: (2020) Eq. 1.5 with their Table 2 fit (alpha_N = 0.076, alpha_D = 0.095, N_c = 8.8e13, D_c = 5.4e13) and no
#: linear coefficient; Muennighoff et al. (2023) Eq. 5 (data side: D' = U + U R* (1 - exp(-(D/U - 1)/R*))) with
#: their fitted E, A, B, alpha, beta and R_D* = 15.39 (Sec. 3.1, Appendix A)
NESTED_LAW = "E + (A*N**-a + B*D**-b)**c"
NESTED = {"E": 1.69, "A": 300.0, "B": 1200.0, "a": 0.34, "b": 0.28, "c": 1.3}
KAPLAN_LAW = "((Nc/N)**(p/q) + Dc/D)**q"
KAPLAN = {"Nc": 8.8e13, "Dc": 5.4e13, "p": 0.076, "q": 0.095}
DATA_CONSTRAINED_LAW = "E + A*N**-a + B*(U + U*R*(1 - exp(-(D/U - 1)/R)))**-b"
MUENNIGHOFF = {"E": 1.87, "A": 521.0, "B": 1488.0, "a": 0.353, "b": 0.353, "R": 15.39}


def law_runs(law: str, truth: dict, n: int = 200, seed: int = 0, noise: float = 0.02, n_range=(1e7, 1e10),
             d_range=(1e9, 1e12), epochs=(1.0, 100.0)) -> dict:
    """Runs log-uniform in N and D (and, for a law using ``U``, unique tokens with D/U log-uniform in
    ``epochs``) with the law's loss times ``exp(noise * standard normal)``.

    >>> d = law_runs(DATA_CONSTRAINED_LAW, MUENNIGHOFF, 5)
    >>> sorted(d), bool(np.all(d["D"] >= d["U"]))
    (['D', 'N', 'U', 'loss'], True)
    """
    import sympy as sp

    from .model import parse_law

    rng = np.random.default_rng(seed)
    cols = {"N": np.exp(rng.uniform(*np.log(n_range), n)), "D": np.exp(rng.uniform(*np.log(d_range), n))}
    expr = parse_law(law, ())
    symbols = {s.name: s for s in expr.free_symbols}
    if "U" in symbols:
        cols["U"] = cols["D"] / np.exp(rng.uniform(*np.log(epochs), n))
    f = sp.lambdify([symbols[k] for k in cols], expr.xreplace({symbols[k]: v for k, v in truth.items()}), "numpy")
    cols["loss"] = f(*cols.values()) * np.exp(noise * rng.standard_normal(n))
    return cols


__all__ = ["HOFFMANN", "BESIROGLU", "BESIROGLU_SE", "LAW", "chinchilla_runs", "chinchilla_curves", "chinchilla_loss", "optimal_n",
           "law_runs", "NESTED_LAW", "NESTED", "KAPLAN_LAW", "KAPLAN", "DATA_CONSTRAINED_LAW", "MUENNIGHOFF"]
