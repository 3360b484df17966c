# %% [markdown]
# # Multi-resource fits: variable projection and intervals on the allocation
#
# `scalingtheory.fit_law` fits Chinchilla's form (Hoffmann et al. 2022, Eq. 2)
#
# $$ L(N, D) = E + A N^{-a} + B D^{-b} $$
#
# to a table of runs and hands the fitted law to the exact compute-optimal algebra.
# This document derives the two facts the fitter rests on and checks each numerically:
#
# 1. for fixed exponents the linear parameters $(E, A, B)$ are found *exactly* (variable
#    projection), so the search is only over the exponents;
# 2. how the uncertainty of $(a, b)$ reaches the allocation exponents $b/(a+b)$,
#    $a/(a+b)$, the loss exponent $ab/(a+b)$ and $N^*(C)$.

# %%
import numpy as np
import sympy as sp
from scipy.optimize import lsq_linear, nnls

from scalingtheory.fitting import FittedLaw, fit_law
from scalingtheory.fitting.model import LawModel
from scalingtheory.fitting.synthetic import HOFFMANN, LAW, chinchilla_runs
from scalingtheory.fitting.varpro import project

E, A, B, a, b, N, D, C = sp.symbols("E A B a b N D C", positive=True)
L = E + A * N**-a + B * D**-b

# %% [markdown]
# ## 1. The linear parameters enter linearly
#
# A parameter $c$ is linear when $\partial^2 L/\partial c\,\partial c' = 0$ for every
# linear pair (including $c' = c$). Then $L = h + \sum_j c_j g_j$ with
# $g_j = \partial L/\partial c_j$, which depend on the exponents only. `LawModel` finds
# the split from the expression itself:

# %%
lin = (E, A, B)
assert all(sp.diff(L, p, q) == 0 for p in lin for q in lin)
assert any(sp.diff(L, a, 2) != 0 for _ in [0]) and sp.diff(L, b, 2) != 0
model = LawModel(LAW, ["N", "D", "loss"], "loss")
assert {p.name for p in model.linear} == {"E", "A", "B"} and {p.name for p in model.nonlinear} == {"a", "b"}
[sp.diff(L, p) for p in lin]

# %% [markdown]
# ## 2. Why the projection is exact
#
# Fix $\phi = (a, b)$ and weight each run by $1/L_i$. The residual
# $e(c) = (h + Gc - L)/L$ is affine in $c$, so $S(c) = \|e(c)\|^2$ is a convex quadratic
# with constant Hessian $2 G^\top W^2 G$; over the cone $c \ge 0$ its minimiser is the
# unique KKT point ($G$ of full column rank), which the Lawson–Hanson active-set
# algorithm (`scipy.optimize.nnls`) reaches in finitely many steps — exactly, not
# iteratively. Hence, with $F(\phi) = \min_{c\ge 0} S(c, \phi)$,
#
# $$ \min_{c \ge 0,\,\phi} S(c, \phi) = \min_\phi F(\phi), $$
#
# (Golub & Pereyra 1973 for the unconstrained case; the inner minimum is attained for
# every $\phi$): searching the 2-D exponent grid loses nothing. SymPy confirms the
# constant Hessian, and two different solvers (active set; bounded-variable least squares)
# agree on the projected coefficients and satisfy the KKT conditions:

# %%
Ls, c1, c2, c3 = sp.symbols("L_i c1 c2 c3", positive=True)
e_i = (c3 + c1 * N**-a + c2 * D**-b - Ls) / Ls
hess = sp.hessian(e_i**2, (c1, c2, c3))
assert all(sp.diff(hess, c) == sp.zeros(3, 3) for c in (c1, c2, c3))

d = chinchilla_runs(200, seed=0)
X, y = (d["N"], d["D"]), d["loss"]
G, h = model.design((0.34, 0.28), X)
coef, pred = project(G, h, y)
W = G / y[:, None]
other = lsq_linear(W, (y - h) / y, bounds=(0, np.inf), method="bvls", tol=1e-15).x
grad = W.T @ (W @ coef - (y - h) / y)
assert np.allclose(coef, other, rtol=1e-9)
assert np.all(np.abs(grad[coef > 0]) < 1e-12 * np.abs(W.T @ ((y - h) / y)).max()) and np.all(grad[coef == 0] >= 0)
print("projected (A, B, E) at the true exponents:", coef.round(3), "| BVLS agrees to", np.max(np.abs(coef / other - 1)))

# %% [markdown]
# ## 3. Log residuals: exact to first order, then refined
#
# The objective is on log residuals $r = \log\hat L - \log L$ (Hoffmann et al. 2022, Eq. 3).
# With $e = (\hat L - L)/L$, $r = \log(1 + e) = e - e^2/2 + O(e^3)$: the weighted projection
# solves the log-space problem to first order in the residuals. The grid therefore ranks
# exponent points correctly up to $O(e^2)$; the final local refinement of all five
# parameters on the exact objective (Huber or squared) removes the rest.

# %%
ee = sp.Symbol("e")
assert sp.series(sp.log(1 + ee), ee, 0, 3).removeO() == ee - ee**2 / 2
full = fit_law(d, LAW, loss="mse", bootstrap=0)
phi = [full.params["a"], full.params["b"]]
coef_hat, _ = project(*model.design(phi, X), y)
shift = np.max(np.abs(coef_hat / np.array([full.params[k] for k in ("A", "B", "E")]) - 1))
print(f"at the fitted exponents, projection vs refined linear parameters differ by {shift:.2e} (relative): "
      "second order in the 2% residuals, far inside the statistical uncertainty of A, B, E")
assert shift < 5e-3

# %% [markdown]
# ## 4. From (a, b) to the allocation: exact expressions
#
# The algebra (`ScalingLaw.compute_optimal`, Hoffmann et al. 2022, Eq. 4) gives, under
# $C = 6ND$,

# %%
from scalingtheory.laws import ScalingLaw

opt = ScalingLaw.from_expr(L, [N, D]).compute_optimal(6 * N * D)
a_N, a_D, r_C = opt.allocation[N], opt.allocation[D], opt.loss_exponent
assert sp.simplify(a_N - b / (a + b)) == 0 and sp.simplify(r_C - a * b / (a + b)) == 0
grad_aN = [sp.simplify(sp.diff(a_N, s)) for s in (a, b)]
grad_aN

# %% [markdown]
# $\nabla_{(a,b)}\, b/(a+b) = (-b, a)/(a+b)^2$: $a_N$ moves only with the *difference* of
# the exponents' relative errors, and the correlation of $a$ and $b$ enters with the sign
# of $-g_a g_b > 0$: ignoring a negative correlation understates the uncertainty of the
# allocation, ignoring a positive one overstates it. To first order (delta method)
# $\mathrm{Var}\,a_N \approx g^\top \Sigma g$. `fit_law` does not linearise: every
# bootstrap replicate $\theta^*$ is pushed through the same lambdified expressions, and the
# interval is the percentile interval of $a_N(\theta^*)$ (exact for monotone maps of one
# parameter, and free of the linearisation error for the ratio). The two agree here:

# %%
fit = fit_law(d, LAW, bootstrap=200, seed=0, cost="6*N*D")
reps = fit.boot[np.all(np.isfinite(fit.boot), axis=1)]
ia, ib = model.names.index("a"), model.names.index("b")
Sigma = np.cov(reps[:, [ia, ib]].T)
g = np.array([float(e.subs({a: fit.params["a"], b: fit.params["b"]})) for e in grad_aN])
sd_delta = float(np.sqrt(g @ Sigma @ g))
sd_indep = float(np.sqrt(g**2 @ np.diag(Sigma)))
sd_boot = float(np.std(reps[:, ib] / (reps[:, ia] + reps[:, ib]), ddof=1))
corr = Sigma[0, 1] / np.sqrt(Sigma[0, 0] * Sigma[1, 1])
print(f"corr(a, b) = {corr:.2f}; sd of b/(a+b): bootstrap {sd_boot:.4f}, delta method {sd_delta:.4f}, "
      f"delta ignoring the correlation {sd_indep:.4f}")
assert abs(sd_delta / sd_boot - 1) < 0.15 and (sd_delta > sd_indep) == (corr < 0)

# %% [markdown]
# ## 5. N*(C) far from the data
#
# $\log N^*(C) = \log G_N + a_N \log C$, so the spread of $\log N^*$ grows linearly in
# $\log C$ with slope $\mathrm{sd}(a_N)$: the bootstrap interval of $N^*$ at a budget
# $10^4\times$ beyond the sweep is wide even when $a_N$ looks tight. The intervals
# returned by `FittedLaw.optimum(at=...)` show it:

# %%
o = fit.optimum(at=[1e20, 1e24, 1e28])
widths = [np.log(r["N"].hi / r["N"].lo) for r in o.at]
print("log-width of the 95% interval of N*(C) at C = 1e20, 1e24, 1e28:", np.round(widths, 3))
truth = [HOFFMANN["b"] / (HOFFMANN["a"] + HOFFMANN["b"])]
print("a_N =", o.allocation["N"], "truth", round(truth[0], 4))
assert widths[2] > widths[1] > 0 and o.allocation["N"].lo < truth[0] < o.allocation["N"].hi

# %% [markdown]
# ## 6. Training curves: resample runs, not rows
#
# When the table holds training curves, the $k$ rows of run $j$ are read off one training
# run, so they share its noise: a seed, data order or schedule that makes run $j$ a bit
# better makes all its checkpoints better. Model this as a per-run offset plus per-row noise
# on log loss, $\log L_{ji} = \log L(N_j, D_{ji}) + u_j + \epsilon_{ji}$ with
# $u_j \sim \mathcal N(0, \sigma_{run}^2)$, $\epsilon_{ji} \sim \mathcal N(0, \sigma_{row}^2)$
# (`chinchilla_curves`). Within a run the covariance is $\sigma_{row}^2 I + \sigma_{run}^2 \mathbf 1\mathbf 1^\top$.
# An estimating equation sums score terms $s_{ji} = \psi(r_{ji}) \nabla_\theta r_{ji}$; for a
# parameter that only *between-run* contrasts determine (the exponent $a$ of $N$, constant
# along a run) the run's terms move together, and the variance of their sum is
# $\mathbf 1^\top \Sigma \mathbf 1 = k\sigma_{row}^2 + k^2\sigma_{run}^2$. Resampling rows
# treats the rows as independent, i.e. estimates $k(\sigma_{row}^2 + \sigma_{run}^2)$; the ratio is
# Kish's design effect
#
# $$ \mathrm{deff} = \frac{\sigma_{row}^2 + k\,\sigma_{run}^2}{\sigma_{row}^2 + \sigma_{run}^2} = 1 + (k-1)\rho,
#    \qquad \rho = \frac{\sigma_{run}^2}{\sigma_{row}^2 + \sigma_{run}^2}, $$
#
# so a row bootstrap's interval for such a parameter is too narrow by $\sqrt{\mathrm{deff}}$.
# Resampling whole runs (the cluster bootstrap, `group="run"`) keeps the shared noise inside
# each replicate. The exponent $b$ of $D$ is also determined by *within*-run contrasts, in
# which $u_j$ cancels, so its ratio lies between 1 and $\sqrt{\mathrm{deff}}$; $b/(a+b)$ inherits both.

# %%
from scalingtheory.fitting.bootstrap import bootstrap_runs
from scalingtheory.fitting.synthetic import chinchilla_curves

k_, s_row, s_run = sp.symbols("k sigma_row sigma_run", positive=True)
k_run = 8
Sig = s_row**2 * sp.eye(k_run) + s_run**2 * sp.ones(k_run, k_run)
one = sp.ones(k_run, 1)
deff = sp.simplify((one.T * Sig * one)[0] / (k_run * (s_row**2 + s_run**2)))
rho = s_run**2 / (s_row**2 + s_run**2)
assert sp.simplify(deff - (1 + (k_run - 1) * rho)) == 0
ratio = float(sp.sqrt(deff.subs({s_row: sp.Rational(5, 1000), s_run: sp.Rational(2, 100)})))
print(f"deff = {sp.factor(deff)}; sqrt(deff) at sigma_run = 2%, sigma_row = 0.5%, k = {k_run}: {ratio:.3f}")

curves = chinchilla_curves(40, k_run, seed=7)
grouped = fit_law(curves, LAW, bootstrap=100, seed=0, group="run", grid_points=2500, n_starts=4)
rows = bootstrap_runs(grouped.model, grouped.X, grouped.y, grouped.theta, grouped.loss, grouped.delta, 100, seed=0)
ia = grouped.model.names.index("a")
sd_runs, sd_rows = np.nanstd(grouped.boot[:, ia], ddof=1), np.nanstd(rows[:, ia], ddof=1)
print(f"one data set (40 runs x {k_run} rows): bootstrap sd of a over runs {sd_runs:.4f}, over rows {sd_rows:.4f}, "
      f"ratio {sd_runs / sd_rows:.2f} (sqrt(deff) = {ratio:.2f})")
print(grouped.interval)
assert abs(sd_runs / sd_rows / ratio - 1) < 0.35

# %% [markdown]
# **Coverage** (`benchmarks/bench_fit_law.py`, study 3; measured 2026-11-27): 50 seeds of
# 40 runs x 8 rows ($\sigma_{run}$ = 2%, $\sigma_{row}$ = 0.5%), 100 replicates, 95% percentile intervals.
#
# | quantity | bias | sd over seeds | coverage, rows | coverage, runs | boot sd rows | boot sd runs | width runs/rows |
# |---|---|---|---|---|---|---|---|
# | $a$ | +0.0030 | 0.0335 | **0.56** | 0.98 | 0.0132 | 0.0338 | 2.73 |
# | $b$ | +0.0005 | 0.0326 | **0.78** | 1.00 | 0.0233 | 0.0350 | 1.53 |
# | $b/(a+b)$ | -0.0019 | 0.0392 | **0.68** | 1.00 | 0.0230 | 0.0398 | 1.83 |
#
# Resampling rows under-covers badly (0.56 for $a$, whose width ratio 2.73 is the
# $\sqrt{\mathrm{deff}} = 2.75$ above); resampling runs is at or slightly above nominal: its
# bootstrap sd matches the spread of the estimates over seeds (0.0338 vs 0.0335 for $a$; 7% wide for $b$),
# so 0.98-1.00 over 50 seeds is on the conservative side of 0.95 (50/50 has probability 0.08 at
# exactly 0.95). The row bootstrap is right only when the rows are separate runs.

# %% [markdown]
# ## 7. A second method: the profile likelihood of an exponent
#
# `fit.profile()` (`scalingtheory/fitting/profile.py`) fixes one exponent at $v$, re-fits the
# other parameters, and compares the objective drop with the $\chi^2_1$ cut. The fit's
# objective is Huber on log residuals, not a Gaussian log-likelihood with known variance, and
# rows of a run are correlated, so the drop is rescaled (Chandler & Bate 2007's vertical
# adjustment; for squared loss and independent rows it is $\Delta\mathrm{RSS}/\hat\sigma^2$):
#
# $$ W(v) = 2\,[S_p(v) - S_{\min}]\,\frac{[H^{-1}]_{jj}}{[H^{-1}VH^{-1}]_{jj}} \le \chi^2_{1,0.95} = 3.841, $$
#
# $H = \hat p\,J^\top J$, $V = \sum_g s_g s_g^\top$ with the score $s_g$ summed over a run (or a row).
# Near the optimum $S_p(v) - S_{\min} \approx (v - \hat v)^2 / (2[H^{-1}]_{jj})$, so $W \approx
# (v-\hat v)^2/[H^{-1}VH^{-1}]_{jj}$: the sandwich variance fixes the width, the profile's own shape
# its asymmetry. SymPy checks the quadratic case:

# %%
v, vh, h_jj, sw_jj = sp.symbols("v vhat h_jj sw_jj", positive=True)
W = 2 * ((v - vh) ** 2 / (2 * h_jj)) * h_jj / sw_jj
assert sp.simplify(W - (v - vh) ** 2 / sw_jj) == 0
bounds_v = sp.solve(sp.Eq(W, sp.Symbol("q", positive=True)), v)
print("W = q at v =", bounds_v)

prof_runs = grouped.profile()
prof_rows = FittedLaw(**{**grouped.__dict__, "group": None, "groups": None}).profile()
boot_rows = FittedLaw(**{**grouped.__dict__, "group": None, "groups": None, "boot": rows})
for label, est in (("bootstrap, runs", grouped.estimates()), ("profile,   runs", prof_runs.estimates),
                   ("bootstrap, rows", boot_rows.estimates()), ("profile,   rows", prof_rows.estimates)):
    print(f"{label}: a = {est['a']}, b = {est['b']}")
print(prof_runs.method)
w = {k: (prof_runs.estimates[k].hi - prof_runs.estimates[k].lo) / (prof_rows.estimates[k].hi - prof_rows.estimates[k].lo)
     for k in ("a", "b")}
print(f"profile width over runs / over rows: a {w['a']:.2f}, b {w['b']:.2f} (sqrt(deff) = {ratio:.2f} for a)")
assert abs(w["a"] / ratio - 1) < 0.35 and 1 < w["b"] < w["a"]

# %% [markdown]
# **Coverage of both methods** (`benchmarks/bench_fit_law.py`, studies `curves` and `control`,
# measured 2026-11-27; 50 seeds each, 40 runs x 8 rows, 100 replicates, 95% intervals):
#
# | noise | quantity | boot rows | profile rows | boot runs | profile runs | sd over seeds | mean width boot runs / profile runs |
# |---|---|---|---|---|---|---|---|
# | 2% per run + 0.5% per row | $a$ | **0.56** | **0.50** | 0.98 | 0.90 | 0.0335 | 0.127 / 0.108 |
# | | $b$ | **0.78** | **0.72** | 1.00 | 0.98 | 0.0326 | 0.130 / 0.121 |
# | | $b/(a+b)$ | **0.68** | - | 1.00 | - | 0.0392 | 0.151 / - |
# | 2% per row only (control) | $a$ | 0.98 | 0.98 | 0.96 | 0.96 | 0.0107 | 0.052 / 0.044 |
# | | $b$ | 0.94 | 0.98 | 0.92 | 0.94 | 0.0255 | 0.089 / 0.083 |
# | | $b/(a+b)$ | 0.94 | - | 0.92 | - | 0.0238 | 0.091 / - |
#
# With independent rows all four are near nominal. With noise shared within runs, both methods
# under-cover when they treat rows as independent, and both recover when they work over runs;
# the profile over runs is about 15% narrower than the bootstrap for $a$ (0.108 vs 0.127; the
# spread over seeds asks for $2 \times 1.96 \times 0.0335 = 0.131$) and covers 0.90: the cluster
# sandwich over 40 runs is biased low, a known small-sample effect of cluster-robust variances.
# The bootstrap over runs is the default interval; the profile is a second opinion that shows
# asymmetry and costs less (0.6-0.8 s CPU for a and b at 320 rows, against 2.2 s for the
# default 200 replicates).

# %% [markdown]
# ## 8. Any law: scale-free parameters and the route per law
#
# A law that is not Chinchilla's form has parameters of two kinds besides linear coefficients:
# *exponent-like* ones, which appear only in exponents ($a$ in $N^{-a}$), and *scale-like* ones, which
# set a scale of the data ($N_c$ in $(N_c/N)^{p/q}$, $R^*$ in $e^{-(D/U-1)/R^*}$, $A$ inside
# $(A N^{-a} + B D^{-b})^c$). `LawModel.scales` tells them apart from the expression. Scale-like
# parameters are refined as $u = \log\theta$ (the Jacobian column becomes $\theta\,\partial r/\partial\theta$)
# and started on a log grid spanning the data's own scales (1, every resource, the response; 3 decades
# beyond), with hard bounds 20 decades beyond; exponents stay in $[0, 50]$. In log space a change of units
# of a resource is a shift: fitting Kaplan's law to $N$ in thousands gives the same $p, q$ and $N_c$
# divided by 1000. The route: **variable projection** where the law has linear coefficients (they are
# solved exactly at every start), **full nonlinear least squares** from 24 starts otherwise (Kaplan's form).
# A parameter that ends at a bound, or on which the fitted law does not depend at the runs
# (relative sensitivity $\mathrm{rms}(\theta\,\partial\log L/\partial\theta) < 10^{-9}$), is **not
# identified**: a note, `not_identified` in JSON, and its interval open on that side.

# %%
from scalingtheory.fitting.synthetic import (DATA_CONSTRAINED_LAW, KAPLAN, KAPLAN_LAW, MUENNIGHOFF, NESTED,
                                             NESTED_LAW, law_runs)

u_, th_, x_ = sp.symbols("u theta x", positive=True)
r_ = sp.Function("r")
assert sp.simplify(sp.diff(r_(sp.exp(u_)), u_) - (th_ * sp.diff(r_(th_), th_)).subs(th_, sp.exp(u_))) == 0
print("kinds:", {law: [str(p) for p in LawModel(law, ["N", "D", "U", "loss"], "loss").scales]
                 for law in (NESTED_LAW, KAPLAN_LAW, DATA_CONSTRAINED_LAW)})
kap = law_runs(KAPLAN_LAW, KAPLAN, 120, seed=4)
fit_k = fit_law(kap, KAPLAN_LAW, bootstrap=0)
fit_k1000 = fit_law({**kap, "N": kap["N"] / 1000}, KAPLAN_LAW, bootstrap=0)
pk, pk1000 = fit_k.params, fit_k1000.params
print(f"Kaplan, route {fit_k.search.route}: p = {pk['p']:.5f}, q = {pk['q']:.5f}, Nc = {pk['Nc']:.4g}; "
      f"N in thousands: p = {pk1000['p']:.5f}, Nc*1000 = {pk1000['Nc'] * 1000:.4g}")
assert fit_k.search.route == "nls" and abs(pk1000["Nc"] * 1000 / pk["Nc"] - 1) < 1e-4
assert abs(pk1000["p"] - pk["p"]) < 1e-6 and abs(pk1000["q"] - pk["q"]) < 1e-6

# %% [markdown]
# ## 9. Data-constrained laws and compute-optimal allocation of any law
#
# Muennighoff et al. (2023, Eq. 5) replace the tokens $D$ of Chinchilla's form by an effective
# data size when $U$ unique tokens are repeated for $D/U$ epochs:
#
# $$ D' = U + U R^* \big(1 - e^{-(D/U - 1)/R^*}\big), \qquad
#    L(N, D, U) = E + A N^{-a} + B D'^{-b}. $$
#
# One epoch is worth its tokens ($D = U \Rightarrow D' = U$); without decay ($R^* \to \infty$) $D' \to D$;
# and repeating forever is worth at most $R^*$ more epochs' worth of unique data
# ($D \to \infty \Rightarrow D' \to U(1 + R^*)$). SymPy checks the three limits and that the first
# repetition counts fully ($\partial D'/\partial D = 1$ at $D = U$):

# %%
U, R = sp.symbols("U R", positive=True)
Dp = U + U * R * (1 - sp.exp(-(D / U - 1) / R))
assert sp.simplify(Dp.subs(D, U) - U) == 0
assert sp.limit(Dp, R, sp.oo) == D
assert sp.simplify(sp.limit(Dp, D, sp.oo) - U * (1 + R)) == 0
assert sp.simplify(sp.diff(Dp, D).subs(D, U)) == 1
print("D' =", Dp, "; D -> oo:", sp.limit(Dp, D, sp.oo))

# %% [markdown]
# The law is not a sum of products of powers, so the exact algebra of Sec. 3 does not apply. With the
# unique data held ($U$ fixed, `--hold U=...`), the allocation at budget $C = 6ND$ minimises $L$ on the
# cost surface: for each $s = \log N$ the constraint fixes $D(s)$, and the optimum is the root of the
# Lagrange condition $\partial_N L\,\partial_D c - \partial_D L\,\partial_N c = 0$, bracketed by a scan
# and found by bisection (`scalingtheory/fitting/numeric_optimum.py`), for the estimate and every
# bootstrap replicate at once. "How many epochs are worth it" is then $D^*/U$ with the interval of
# $D^*$ (U is fixed). Checked against an independent minimisation (SciPy's bounded Brent on
# $\log N$) at the true parameters, and the two routes against each other on Chinchilla's form:

# %%
from scipy.optimize import minimize_scalar

from scalingtheory.fitting.optimum import make_rule

dc_model = LawModel(DATA_CONSTRAINED_LAW, ["N", "D", "U", "loss"], "loss")
truth_dc = [MUENNIGHOFF[n] for n in dc_model.names]
spans = [(1e7, 1e10), (1e9, 1e12), (1e7, 1e12)]
U0 = 3e9
for C_ in (1e20, 1e22):
    at = make_rule(dc_model, "6*N*D", {"U": U0}, spans).evaluate(truth_dc, [C_])["at"]

    def dc_loss(log_n, C_=C_):
        n_ = np.exp(log_n)
        return float(dc_model.predict(np.array(truth_dc), (np.array([n_]), np.array([C_ / (6 * n_)]),
                                                           np.array([U0])))[0])

    ref = minimize_scalar(dc_loss, bounds=(np.log(1e6), np.log(1e15)), method="bounded", options={"xatol": 1e-11})
    print(f"C = {C_:.0e}, U = {U0:.0e}: numeric route N* = {at['N'][0, 0]:.6g}, epochs D*/U = "
          f"{at['D'][0, 0] / U0:.4g}; SciPy Brent N* = {np.exp(ref.x):.6g}")
    assert abs(at["N"][0, 0] / np.exp(ref.x) - 1) < 1e-5

ch_model = LawModel(LAW, ["N", "D", "loss"], "loss")
theta_h = [HOFFMANN[n] for n in ch_model.names]
ex = make_rule(ch_model, "6*N*D", route="exact").evaluate(theta_h, [1e20, 1e24])["at"]
nu = make_rule(ch_model, "6*N*D", {}, [(1e7, 1e10), (1e9, 1e12)], route="numeric").evaluate(theta_h, [1e20, 1e24])["at"]
rel = max(abs(nu[k] / ex[k] - 1).max() for k in ("N", "D"))
print(f"Chinchilla's form, exact vs numeric route: largest relative difference in N*, D* {rel:.1e}")
assert rel < 1e-8

# %% [markdown]
# ## 10. Measurements: truth inside the intervals, R* recovered, the held-out-largest audit, speed
#
# `benchmarks/bench_fit_law.py --only nested|kaplan|data-constrained` (measured 2026-12-06, niced on the
# shared 2-core machine): 20 seeds x 200 random runs ($N$ 1e7-1e10, $D$ 1e9-1e12; for the data-constrained
# law $U = D/\mathrm{epochs}$ with epochs log-uniform in 1-100), 2% log-normal noise, 100 bootstrap
# replicates; $N^*, D^*, L^*$ at $C = 10^{22}$, $C = 6ND$ (data-constrained: $U = 3\times10^9$ held), against
# the true law's optimum by the numeric route (checked against SciPy in Sec. 9). Relative bias is of the
# median estimate; coverage is of the 95% percentile intervals. No bootstrap refit failed (0 of 2,000 per
# law) and no fit had a parameter not identified.
#
# | law | quantity | truth | rel. bias | rel. sd | coverage |
# |---|---|---|---|---|---|
# | nested $E + (AN^{-a} + BD^{-b})^c$ (2.4 s CPU per fit) | $A$ | 300 | +0.078 | 0.331 | 1.00 |
# | | $B$ | 1200 | -0.019 | 0.343 | 0.90 |
# | | $E$ | 1.69 | +0.003 | 0.019 | 0.95 |
# | | $a$ | 0.34 | +0.006 | 0.054 | 1.00 |
# | | $b$ | 0.28 | +0.001 | 0.040 | 0.90 |
# | | $c$ | 1.3 | -0.001 | 0.042 | 0.90 |
# | | $N^*$ | 5.61e8 | +0.005 | 0.086 | 1.00 |
# | | $L^*$ | 2.324 | +0.001 | 0.005 | 0.95 |
# | Kaplan $((N_c/N)^{p/q} + D_c/D)^q$ (nls route, 2.1 s) | $N_c$ | 8.8e13 | +0.012 | 0.202 | 0.95 |
# | | $D_c$ | 5.4e13 | +0.037 | 0.659 | 0.95 |
# | | $p$ | 0.076 | -0.001 | 0.015 | 0.95 |
# | | $q$ | 0.095 | -0.001 | 0.060 | 0.95 |
# | | $N^*$ | 2.02e10 | +0.004 | 0.113 | 0.95 |
# | | $L^*$ | 1.999 | -0.001 | 0.006 | 0.95 |
# | data-constrained (Muennighoff et al.; 2.2 s) | $R^*$ | 15.39 | **+0.015** | **0.068** | **0.95** |
# | | $A$ | 521 | +0.097 | 0.280 | 0.95 |
# | | $B$ | 1488 | +0.089 | 0.337 | 1.00 |
# | | $E$ | 1.87 | +0.006 | 0.017 | 1.00 |
# | | $a$, $b$ | 0.353 | +0.018, +0.012 | 0.045, 0.046 | 0.95, 1.00 |
# | | $N^*$, $D^*$ ($D^*/U$ = 23.8 epochs) | 2.33e10, 7.15e10 | -0.020, +0.021 | 0.071 | 1.00 |
# | | $L^*$ | 2.256 | +0.001 | 0.007 | 0.95 |
#
# Over 20 seeds a true 95% gives 0.90-1.00 with probability 0.92, so every row is consistent with
# nominal coverage; the truth lies inside the 95% intervals for each law. $R^*$ is recovered with a
# 1.5% bias and 6.8% spread when the runs span 1-100 epochs; with no repetition at all ($D = U$) the
# law does not depend on $R^*$ and the fit says it is not identified (open interval;
# `tests/test_fit_law_routes.py`). The slow test `test_truth_inside_95_intervals_over_seeds` repeats a
# smaller study (16 seeds, 60 replicates) for the three laws.
#
# **Held-out-largest audit** (`--holdout 10`; `bench_fit_law.py --only holdout`, 20 seeds, 100 replicates):
# the 95% prediction intervals (bootstrap replicate plus a drawn training residual, `fitting/holdout.py`) of
# the 10 runs of largest cost, fitted without them, cover 0.945 (189/200) on random designs of 100 runs with
# 2% noise (median held-out RMSLE 0.0225) and 0.950 (190/200) on IsoFLOP designs shaped like Epoch's 240
# points (Besiroglu et al.'s fit, 1% noise, nine budgets 6e18-3e21; median RMSLE 0.0095). The audit holds
# out the whole top of the sweep, so this is coverage under extrapolation, not interpolation. (The
# repository holds that IsoFLOP stand-in, not Epoch's extracted CSV.)
#
# **Speed** (`--only speed`, 250 runs, 200 replicates, CPU): Chinchilla's form 3.13 s, the 6-parameter
# data-constrained law 3.23 s (1.03x), the 6-parameter nested law 3.53 s (1.13x); target < 60 s.
