# %% [markdown]
# # From a sweep to the next runs: experiment design and downstream metrics
#
# A practitioner with a finished sweep asks *which runs should I train next* to pin down the compute-optimal
# allocation $N^*(C_0)$ at a target budget, and *what score will that buy* on a downstream task. This document
# derives the toolkit's answers (`scalingtheory.fitting.plan`, `scalingtheory.fitting.metric`,
# `scalingtheory plan`, `scalingtheory metric`) and records what was measured.
#
# ## 1. The criterion: the variance of $\log N^*(C_0)$
#
# A fitted law $L(X;\theta)$ with cost $C(X)$ gives $q(\theta) = \log X^*(C_0;\theta)$ through the exact
# compute-optimal algebra (for Chinchilla's form, Hoffmann et al. 2022, Eq. 4:
# $\log N^* = \frac{1}{a+b}\log\frac{aA}{bB} + \frac{b}{a+b}\log\frac{C_0}{6}$). The fit minimises a loss of
# the log residuals $r_i = \log \hat L_i - \log L_i$ with scale $\sigma$; to first order in the parameters
# (written as $\log\theta$: every parameter of a law is positive, and in logs $A \sim 400$ and $a \sim 0.3$ are
# on one footing), the estimate has covariance $\sigma^2 (J^\top J)^{-1}$, $J_{ij} = \partial \log L_i /
# \partial \log\theta_j$, and
#
# $$\operatorname{Var} q \approx g^\top I^{-1} g, \qquad g = \partial q/\partial\log\theta,\quad
#   I = J^\top J/\sigma^2 .$$
#
# A run at $X$ adds $j j^\top/\sigma^2$ to $I$. The design that minimises $g^\top I^{-1} g$ for one linear
# combination $g$ is Elfving's c-optimal design (1952); we build it greedily, one run at a time, each the
# candidate that lowers the variance most, by the Sherman-Morrison identity
#
# $$g^\top\Big(I + \frac{jj^\top}{\sigma^2}\Big)^{-1} g = v - \frac{(g^\top S j)^2}{\sigma^2 + j^\top S j},
#   \qquad S = I^{-1},\ v = g^\top S g,$$
#
# updating $S$ after each pick. Runs are distinct: with repeats the c-optimal design puts every run on one
# $(N, D)$ (measured: 8 of 8 picks identical), which trusts the linearisation and the law at a single point.
# Candidates form a log grid from the smallest value of each resource in the data to ten times its largest,
# each within the per-run cost cap.

# %%
import numpy as np

import scalingtheory as st
from scalingtheory.fitting.optimum import OptimumRule
from scalingtheory.fitting.plan import gradients, plan
from scalingtheory.fitting.synthetic import HOFFMANN, LAW, chinchilla_runs, optimal_n

runs = chinchilla_runs(30, seed=0, n_range=(1e7, 1e9), d_range=(1e9, 1e11))
fit = st.fit_law(runs, LAW, cost="6*N*D", bootstrap=0)
p = plan(fit, budget=1e23, runs=8, max_run_compute=1e20)
print(p.report())
assert all(r["cost"] <= 1e20 * (1 + 1e-12) for r in p.runs)
print(f"true N*(1e23) = {optimal_n(1e23):.3g}")

# %% [markdown]
# The gradient $g$ is a central difference through `OptimumRule`, the same lambdified closed form that
# `fit.optimum()` evaluates. For Chinchilla's form it can be differentiated by hand:
# $\partial \log N^*/\partial \log A = 1/(a+b)$, $\partial/\partial\log B = -1/(a+b)$, and $E$ does not enter.

# %%
g = gradients(OptimumRule(fit.model, "6*N*D"), fit.theta, 1e23)["N"]
par = dict(zip(fit.model.names, fit.theta))
s = par["a"] + par["b"]
assert np.allclose([g[fit.model.names.index("A")], g[fit.model.names.index("B")], g[fit.model.names.index("E")]],
                   [1 / s, -1 / s, 0.0], atol=1e-7)
print("d log N*/d log(A, B, E) =", np.round([g[fit.model.names.index(n)] for n in "ABE"], 6), " 1/(a+b) =", 1 / s)

# %% [markdown]
# ## 2. Does following the plan help? (`benchmarks/bench_plan.py`)
#
# 20 seeds; each a sweep of 30 runs drawn from Hoffmann et al.'s law with 2% noise (N in 1e7-1e9, D in
# 1e9-1e11), fitted; then three designs of 8 new runs, each at most 1e20 FLOPs and together the same total
# compute, "trained" from the same law and refitted on all 38 runs:
#
# | design | median 95% width of $\log N^*(10^{23})$ | RMS error of $\log N^*$ | coverage of the delta-method interval |
# |---|---|---|---|
# | first fit (30 runs) | 3.17 | 1.30 | 0.70 |
# | **plan** | **1.69** | **0.65** | 0.90 |
# | IsoFLOP grid at $T/8$, N over a decade around the fit's $N^*$ | 2.29 | 0.82 | 0.75 |
# | random candidates, scaled to the same total | 2.29 | 0.81 | 0.80 |
#
# The plan's interval is 0.76x the IsoFLOP grid's and 0.75x the random design's (medians of the per-seed
# ratios), narrower in 17 of 20 seeds against each; its error is the smallest. The plan predicted a median
# width of 1.48 before the runs were "trained", against 1.69 realised. (59 s CPU, 2026-12-06, on the shared
# 2-core machine.)
#
# **What does not hold:** the delta-method interval covers the truth in 70-90% of seeds, not 95%: at these
# sizes $\log N^*(10^{23})$ is a strongly nonlinear function of the fit (an extrapolation over three decades
# of compute), so the first-order variance is too small. The design uses it only to *rank* runs; the
# interval to report for a decision is the fit's bootstrap interval (`fit.optimum(at=[C])`, wider: on seed 0
# a factor 29 between its ends where the delta method gives 11). `Plan.before`/`after` say which method they use.
#
# ## 3. The loop (`scalingtheory.fitting.loop.simulate_loop`, `examples/plan_next_runs.py`)
#
# Under a hypothetical law with known parameters: fit -> plan -> "train" (sample the law with noise) ->
# refit, a few rounds; each round records the compute spent so far and the interval of $N^*(C_0)$.

# %%
from scalingtheory.fitting.loop import simulate_loop

rounds = simulate_loop(HOFFMANN, LAW, "6*N*D", 1e23, runs, rounds=2)
for r in rounds:
    print(f"{r.runs} runs, {r.spent:.3g} FLOPs: N* = {r.estimate.value:.3g} "
          f"[{r.estimate.lo:.3g}, {r.estimate.hi:.3g}], log error {r.error:+.3f}")
assert abs(rounds[-1].error) < abs(rounds[0].error)

# %% [markdown]
# ## 4. Downstream metrics
#
# A bounded score $m$ (accuracy, pass rate) between its chance level $c$ and ceiling $h$ follows a logistic
# link in the loss,
#
# $$m(L) = c + (h - c)\,\sigma\big(k (L_0 - L)\big), \qquad
#   \operatorname{logit}\frac{m - c}{h - c} = k (L_0 - L),$$
#
# fitted on the probability scale (where a measured accuracy's binomial noise lives) with $c$ given or
# fitted and $h$ fitted in $[0, 1]$; without a loss the same link runs in $\log C$. Chained with the law,
# the score at budget $C$ is $m(L^*(C))$; replicate $i$ of the score uses replicate $i$ of the law and of the
# link, so its interval carries both. Recovered from binomial scores (500 questions per run) of a known
# link:

# %%
from scalingtheory.fitting.metric import fit_metric, link

rng = np.random.default_rng(0)
loss = np.linspace(1.9, 3.2, 60)
acc = rng.binomial(500, link(loss, 5.0, 2.4, 0.25, 0.9)) / 500
m = fit_metric(loss, acc, chance=0.25, bootstrap=100, seed=0)
print(m.report())
est = m.estimates()
assert est["k"].lo <= 5.0 <= est["k"].hi and est["x0"].lo <= 2.4 <= est["x0"].hi

# %% [markdown]
# Coverage (the slow test `tests/test_metric.py::test_parameter_intervals_cover_the_truth`): over 20 seeds of
# 40 runs, the 95% bootstrap intervals of $k$, $L_0$ and the ceiling must hold the truth in at least 17.
#
# **Not done here:** IsoFLOP profiles fitted with a shape that does not bias the minimum (issue 29, item 3)
# and a real multi-resource table: Epoch's Chinchilla points are not available offline with their licence,
# so the examples use Hoffmann et al.'s law as the stand-in.
