# %% [markdown]
# # IsoFLOP profiles: which shape finds the minimum
#
# Chinchilla's Approach 2 (Hoffmann et al. 2022, Sec. 3.2) fits each compute budget's losses against
# $u = \log N$ and takes the minimum; the allocation exponent is the slope of $\log N^*$ on $\log C$. Along
# $6ND = C$ the law $L = E + A N^{-a} + B D^{-b}$ (their Eq. 2) is
#
# $$L(u) = E + A e^{-a u} + B (C/6)^{-b} e^{b u},$$
#
# skewed when $a \ne b$, so a parabola's vertex is not the minimum (Czech et al. 2026). The minimum is known
# exactly (Eq. 4, `synthetic.optimal_n`). `scalingtheory.fitting.isoflop` offers three shapes per budget:
#
# * **parabola** in $u$ (the classical choice);
# * **cubic** in $u$ (its third coefficient absorbs the skew; the minimum is the root of $p'$ with $p'' > 0$);
# * **law**: the fitted law's own profile, its nonlinear parameters (exponents) at the Approach 3 estimate and
#   its linear coefficients ($E, A, B$) refitted to the budget's runs by non-negative least squares; the
#   minimum along the runs' path. Three coefficients per budget, as many as the parabola.
#
# Below: bias and spread of $\ln N^*$ per budget and of the exponent, over seeded synthetic sweeps (Hoffmann's
# Eq. 10 truth, nine budgets 6e18 ... 3e21 FLOP, 27 runs per budget over $\pm 1$ decade, loss times
# $1 + 0.01\,\epsilon$), on a grid centred on the optimum and on one centred 3x above it.

# %%
import numpy as np

from scalingtheory import fit_law
from scalingtheory.fitting.model import LawModel
from scalingtheory.fitting.isoflop import cubic_vertex, law_vertices, parabola_vertex
from scalingtheory.fitting.synthetic import HOFFMANN, ISOFLOP_BUDGETS, LAW, chinchilla_loss, optimal_n

K, NOISE, SEEDS, FIT_SEEDS = 27, 0.01, 50, 10
TRUE_SLOPE = HOFFMANN["b"] / (HOFFMANN["a"] + HOFFMANN["b"])
BUDGETS = np.array(ISOFLOP_BUDGETS)


def sweep(seed, centre):
    rng = np.random.default_rng(seed)
    C = np.repeat(BUDGETS, K)
    N = np.concatenate([centre * optimal_n(c) * np.logspace(-1, 1, K) for c in BUDGETS])
    D = C / (6 * N)
    return N, D, chinchilla_loss(N, D) * (1 + NOISE * rng.standard_normal(N.size))


def minima(shape, N, D, loss, law=None):
    out = []
    for j in range(BUDGETS.size):
        g = slice(K * j, K * (j + 1))
        v = law_vertices(*law, (N[g], D[g]), loss[g])[0] if shape == "law" else shape(np.log(N[g]), loss[g])
        out.append(np.nan if v is None else v)
    return np.array(out)


def summary(rows):
    err = np.array(rows) - np.log(optimal_n(BUDGETS))
    slopes = [np.polyfit(np.log(BUDGETS)[np.isfinite(e)], (e + np.log(optimal_n(BUDGETS)))[np.isfinite(e)], 1)[0]
              for e in err]
    return (np.nanmean(err), np.nanstd(err), np.sqrt(np.nanmean(err ** 2)), np.mean(slopes) - TRUE_SLOPE,
            np.std(slopes), int(np.isnan(err).sum()))


model = LawModel(LAW, ("N", "D", "loss"), "loss")
oracle = model.assemble(np.zeros(len(model.linear)), np.array([HOFFMANN[p.name] for p in model.nonlinear]))
results = {}
for centre in (1.0, 3.0):
    rows = {"parabola": [], "cubic": [], "law (true exponents)": [], "law (fitted exponents)": []}
    for seed in range(SEEDS):
        N, D, loss = sweep(seed, centre)
        rows["parabola"].append(minima(parabola_vertex, N, D, loss))
        rows["cubic"].append(minima(cubic_vertex, N, D, loss))
        rows["law (true exponents)"].append(minima("law", N, D, loss, (model, oracle)))
        if seed < FIT_SEEDS:
            fit = fit_law({"N": N, "D": D, "loss": loss}, LAW, bootstrap=0, grid_points=2500)
            rows["law (fitted exponents)"].append(minima("law", N, D, loss, (fit.model, fit.theta)))
    results[centre] = {k: summary(v) for k, v in rows.items()}

print(f"{'grid':8s} {'shape':24s} {'bias lnN*':>10s} {'sd':>7s} {'rmse':>7s} {'slope bias':>11s} {'sd':>7s}  none")
for centre, res in results.items():
    for shape, (bias, sd, rmse, sbias, ssd, none) in res.items():
        print(f"{'centred' if centre == 1 else '3x off':8s} {shape:24s} {bias:+10.4f} {sd:7.4f} {rmse:7.4f} "
              f"{sbias:+11.4f} {ssd:7.4f}  {none}")

# %% [markdown]
# The check: the parabola's offset on the centred grid is the noise-free one (+0.036 in $\ln N^*$,
# `tests/test_isoflop.py`), far outside its standard error over 50 seeds.

# %%
par, cub = results[1.0]["parabola"], results[1.0]["cubic"]
assert par[0] > 5 * par[1] / np.sqrt(SEEDS) and abs(cub[0]) < 3 * cub[1] / np.sqrt(SEEDS)

# %% [markdown]
# ## Measured (50 seeds; fitted exponents 10 seeds; 7.7 s CPU)
#
# | grid | shape | bias $\ln N^*$ | sd | RMSE | slope bias | sd |
# |---|---|---|---|---|---|---|
# | centred | parabola | +0.0365 | 0.0440 | 0.0572 | +0.0007 | 0.0076 |
# | centred | cubic | +0.0036 | 0.1116 | 0.1116 | +0.0013 | 0.0194 |
# | centred | law, true exponents | +0.0024 | 0.0435 | 0.0436 | +0.0007 | 0.0075 |
# | centred | law, fitted exponents | +0.0026 | 0.0423 | 0.0424 | +0.0016 | 0.0066 |
# | 3x off | parabola | +0.0206 | 0.0926 | 0.0948 | +0.0039 | 0.0156 |
# | 3x off | cubic | +0.0185 | 0.1091 | 0.1106 | +0.0047 | 0.0202 |
# | 3x off | law, true exponents | -0.0024 | 0.0961 | 0.0961 | +0.0039 | 0.0162 |
# | 3x off | law, fitted exponents | +0.0067 | 0.0876 | 0.0879 | +0.0113 | 0.0154 |
#
# * The parabola's minimum is biased by +0.036 in $\ln N^*$ (N* 3.7% too large) on a centred grid, 6.6 standard
#   errors over 50 seeds; on a grid of fixed span in $u$ the skew is the same at every budget, so the bias is an
#   offset of the prefactor and cancels in the exponent (slope biases of every shape are within their spread).
# * The cubic removes the offset on a centred grid but its extra coefficient costs 2.5x the spread (RMSE 0.112
#   vs 0.057 at 1% noise and 27 runs per budget); off-centre it is biased like the parabola (a cubic is not the
#   profile's shape over two decades).
# * The law's own profile is unbiased on both grids with the parabola's spread (three coefficients per budget).
#
# **Choice.** `fit_law(..., cost=...)` profiles each budget with the fitted law's own shape whenever the law
# has linear coefficients (it is the right shape, and the refit per budget still tests whether one set of
# coefficients fits every budget); `isoflop()` without a law defaults to the cubic (unbiased where the grid
# brackets the minimum, at a cost in spread), with `shape="parabola"` kept for comparison. Every budget's
# profile is checked for bracketing (lowest loss at an interior run), and the IsoFLOP exponent is compared
# with the law's: a note when $|a_2 - a_3| > \sqrt{h_2^2 + h_3^2}$, $h$ the interval half-widths.

# %% [markdown]
# ## The disagreement warning: false alarms and independence (measured once, not rerun here)
#
# The law's profile keeps the Approach 3 exponents, so one may fear it only echoes Approach 3. Measured with
# `fit_law(runs, LAW, bootstrap=40, cost="6*N*D", grid_points=2500, seed=s)` on the sweeps above (27 runs per
# budget, centred, 1% noise), N's allocation exponent, seeds 0-9 (47 s CPU for the first two rows):
#
# * **Truth = the law** (Hoffmann Eq. 10, exponent 0.4516): the warning fired in 0 of 10 seeds; the 95% intervals
#   held the truth in 9/10 (Approach 3), 9/10 (IsoFLOP, law's profile), 10/10 (IsoFLOP, cubic: mean width 0.077
#   vs 0.034, 2.3x).
# * **Truth = `NESTED`** ($E + (A N^{-a} + B D^{-b})^{1.3}$, same optimum as its inner sum): 0 of 10; the fit of
#   Chinchilla's form keeps the allocation (Approach 3 0.448-0.463, IsoFLOP 0.447-0.458).
# * **Truth = Kaplan et al.'s Eq. 1.5** (`KAPLAN`, fitted with Chinchilla's form; exact exponent
#   $1/(1 + \alpha_N/\alpha_D) = 0.5556$), seeds 0-4 (25 s CPU): Approach 3 0.538-0.595 with intervals
#   ~0.1 wide; IsoFLOP with the law's profile 0.553-0.563 (intervals 0.013-0.029 wide, 5/5 hold the truth);
#   cubic 0.551-0.582. The per-budget coefficients correct the misspecified exponents: the IsoFLOP estimate is
#   not a copy of Approach 3 and is the closer of the two. The warning did not fire (Approach 3's intervals are
#   wide); it fires on a law whose exponent is pinned away from the data (`tests/test_isoflop.py`: $b = 0.4$).
