# %% [markdown]
# # Broken neural scaling laws: derivations
#
# Caballero, Gupta, Rish & Krueger, *Broken Neural Scaling Laws*, ICLR 2023, Eq. 1:
#
# $$ y = a + b\,x^{-c_0}\prod_{i=1}^{n}\Bigl(1+(x/d_i)^{1/f_i}\Bigr)^{-c_i f_i}. $$
#
# Every closed form used by `scalingtheory.models.bnsl` is derived here with SymPy and
# then checked numerically against an independent route (mpmath derivatives at 40
# digits, the values printed by the released Figure-1 script, the released fits).

# %%
import mpmath
import numpy as np
import sympy as sp

from scalingtheory.models import bnsl
from scalingtheory.models.bnsl import (FIGURE1_PARAMS, FIGURE1_VALUES, bnsl_expr, bnsl_symbols, x)

n = 3
a, b, c, d, f = bnsl_symbols(n)
y = bnsl_expr(n)
y

# %% [markdown]
# ## 1. The log-log slope is a sum of logistic steps
#
# $\log(y-a)$ is $\log b - c_0\log x - \sum_i c_i f_i \log(1+(x/d_i)^{1/f_i})$, so
# $s = d\log(y-a)/d\log x$ is a sum of one term per break. SymPy differentiates:

# %%
s = bnsl.log_slope(n)
s

# %% [markdown]
# With $u_i = (x/d_i)^{1/f_i} = e^{t_i}$, $t_i = (\ln x-\ln d_i)/f_i$, each term is
# $-c_i u_i/(1+u_i) = -c_i\,\sigma(t_i)$. SymPy proves it break by break after the
# substitution $x = d_i e^{f_i t}$ (a bijection of $x>0$ onto real $t$):

# %%
for k in range(4):
    assert bnsl.slope_identity(k), k
bnsl.sigmoid_slope(n)

# %% [markdown]
# Consequences: far below every break $s\to -c_0$; beyond break $k$ (and before
# $k+1$) $s \to -(c_0+\dots+c_k)$; at $x=d_i$ the $i$-th step is half done; $f_i$ is the
# width of the step in natural-log units of $x$.

# %%
rates = bnsl.segment_exponents(c)
assert sp.limit(bnsl.sigmoid_slope(1), x, 0) == -bnsl_symbols(1)[2][0]
assert sp.simplify(sp.limit(bnsl.sigmoid_slope(1), x, sp.oo) + sum(bnsl_symbols(1)[2])) == 0
rates

# %% [markdown]
# ## 2. Segment asymptotes
#
# Replacing break $i \le k$ by $(x/d_i)^{-c_i}$ and breaks $i>k$ by 1 gives segment $k$:
# $b\prod_{i\le k} d_i^{c_i}\,x^{-r_k}$. It equals the Figure-1 script's recursive
# form $b\,d_1^{-c_0}(x/d_1)^{-(c_0+c_1)}\cdots$:

# %%
seg = bnsl.segment_asymptotes(n)
script2 = b * d[0] ** -c[0] * (d[1] / d[0]) ** -(c[0] + c[1]) * (x / d[1]) ** -(c[0] + c[1] + c[2])
assert sp.simplify(sp.powsimp(sp.expand_power_base(seg[2] / script2, force=True), force=True)) == 1
seg

# %% [markdown]
# ## 3. The hard limit $f\to 0^+$
#
# $\log(1+(x/d)^{1/f})^{-cf} = -c\,\log(1+e^{gL})/g$ with $L=\ln(x/d)$, $g = 1/f$:

# %%
L, lims = bnsl.hard_limit_factor_check()
assert lims == (L, 0, 0)  # L > 0, L < 0, L = 0  ->  max(0, L)
bnsl.hard_limit(n)

# %% [markdown]
# ## 4. Curvature on linear axes: where the drop is sharp
#
# With $y - a = e^{\ell}$, $\ell(\ln x)$: $y' = (y-a)s/x$ and
# $y'' = (y-a)(s^2 - s + s')/x^2$ where $s' = ds/d\ln x = -\sum_i c_i\sigma_i(1-\sigma_i)/f_i$.
# A power law ($s = -r$) has $s^2-s+s' = r^2+r > 0$: convex. So a falling, concave stretch
# ($s<0$, $s^2-s+s'<0$) is the "sharp delayed inflection" no power law can make.

# %%
cf = bnsl.curvature_factor(1)
a1, b1, c1, d1, f1 = bnsl_symbols(1)
s1 = bnsl.log_slope(1)
t = sp.Symbol("t", real=True)
claim = s1**2 - s1 + x * sp.diff(s1, x)
assert sp.simplify((cf - claim).subs(x, d1[0] * sp.exp(f1[0] * t))) == 0
cf

# %% [markdown]
# ## 5. Numerical checks (independent routes)

# %%
mpmath.mp.dps = 40
P = {k: mpmath.mpf(v) for k, v in FIGURE1_PARAMS.items()}


def y_mp(xv):
    out = P["b"] * xv ** (-P["c0"])
    for i in (1, 2, 3):
        out *= (1 + (xv / P[f"d{i}"]) ** (1 / P[f"f{i}"])) ** (-P[f"c{i}"] * P[f"f{i}"])
    return P["a"] + out


# Figure-1 values of the released script: every printed digit reproduced
ours = bnsl.evaluate(FIGURE1_PARAMS, [float(k) for k in FIGURE1_VALUES])
for (xv, ref), val in zip(FIGURE1_VALUES.items(), ours):
    assert abs(val / ref - 1) < 1.1e-6 or abs(val - ref) < 5e-8, (xv, val, ref)
    assert abs(val / float(y_mp(mpmath.mpf(xv))) - 1) < 1e-12
# exact slope vs a 40-digit numerical derivative of log(y - a)
for xv in ["1e3", "1e10", "1e17", "1e24"]:
    num = mpmath.diff(lambda u: mpmath.log(y_mp(mpmath.exp(u)) - P["a"]), mpmath.log(mpmath.mpf(xv)))
    assert abs(float(bnsl.slope(FIGURE1_PARAMS, [float(xv)])[0]) - float(num)) < 1e-10
# the digest's [RAN] slopes
assert np.allclose(bnsl.slope(FIGURE1_PARAMS, [1e3, 1e10, 1e17, 1e24]), [-0.0503, -0.5384, 0.2647, -1.8290],
                   atol=5e-5)
# double descent of Figure 1: y rises between ~2.7e14 and ~1.8e20
(lo, hi), = bnsl.nonmonotone_intervals(FIGURE1_PARAMS)
assert 1e14 < lo < 1e15 and 1e20 < hi < 2e20
print("Figure 1 rises on", (lo, hi), "; concave drops on", bnsl.inflections(FIGURE1_PARAMS))

# %% [markdown]
# ## 6. Findings recorded while checking
#
# * The Figure-1 reference values in the digest are printed to 5-9 significant digits;
#   $y(10^{14}) = 0.4276465$ differs from the printed 0.427646 by $1.05\times10^{-6}$
#   relative, i.e. by print rounding (our NumPy and 40-digit mpmath values agree to
#   $10^{-12}$). "1e-6 relative" therefore holds to the printed precision, not beyond.
# * The 4-digit-addition reference RMSLE (0.0109157) comes from least squares of
#   $\log(1+y)$; our default $\log y$ objective gives a slightly lower training RMSLE but
#   0.01114 on the three held-out points; with `space="log1p"` we reach the released
#   optimum (0.0109157, $d_1 = 612.58$) from a 384-point start grid instead of 163,840.
# * Noiseless simulation, split 405: bounded trust-region least squares with the analytic
#   Jacobian recovers the generating parameters to $10^{-8}$ (extrapolation RMSLE about
#   $2\times 10^{-10}$) where the released LM fit stopped at $c_1 = 5.50$ (RMSLE 0.0052).
# * Fitting choices that are ours (documented in `fitting/bnsl_form.py`): break sharpness
#   $f_i \ge \max(0.01, 0.5\,\mathrm{median}\,\Delta\ln x)$ -- a transition narrower than
#   the sampling is not identified by the data (without it, one BB curve put a break with
#   $f = 0.01$, $c_1 = 19.6$ on its last point and extrapolated with RMSLE 0.10); break
#   locations within one decade outside the data; $|c_i| \le 20$.
# * M4's implicit equation: a safeguarded Newton iteration first rejected a step landing
#   exactly on the bracket end (the root itself when $h(t_0) = 0$) and bisected away from
#   it; the acceptance test is now inclusive. With machine-precision roots M4's mean IC
#   RMSLE is 0.0420 (second-hand NSL-PFN figure for the released M4: 0.0415).


# %% [markdown]
# ## 7. Extrapolation bands: coverage of the held-out points (issue 7, item 3)
#
# Revisiting benchmark, BNSL with 1 break fitted on `Training == 1`, nominal 95% bands,
# coverage = share of a curve's held-out (`Training == 0`) points inside the band,
# averaged over curves (`python benchmarks/bnsl_revisiting.py`, 8 backtest origins):
#
# | curves | delta method | calibrated (drift) | backtest (conformal) |
# |---|---|---|---|
# | IC, odd index (36, not used for any choice) | 0.51 | 0.80 | **0.95** |
# | IC, even index (36, used to choose the rule) | 0.55 | 0.86 | 0.96 |
# | IC, all 72 | 0.53 | 0.83 | 0.955 |
# | all but the tuning half (56) | 0.67 | 0.87 | 0.97 |
# | all 92 | 0.62 | 0.87 | 0.965 |
# | NMT / LM / BB | 1.00 / 1.00 / 0.92 | 1.00 / 1.00 / 1.00 | 1.00 / 1.00 / 1.00 |
#
# Why the delta band fails: the held-out points lie up to 0.75 in $\ln x$ beyond the last
# fitting point, and the error there is dominated by the trend the form gets wrong
# (misspecification), not by the residual noise the covariance propagates.
#
# The backtest band (`FitResult.backtest`): refit the same form on prefixes of the
# training points (8 origins from half the points to all but one, 3 starts each), record the
# log errors $e_j$ at the later training points and their distances $\delta_j$ in $\ln x$,
# and use the split-conformal quantile $q$ of $|e_j|/\delta_j$; the half-width at distance
# $D$ beyond the data is $\max(h_\delta, qD)$. Held-out points are never used by the band.
# The rule was chosen among 36 variants (error growing as $\delta^{1/2}$, $\delta$ or
# $\delta^{3/2}$; pairs with $\delta$ above 0, 0.1 or 0.3; max or root-sum-square with the
# delta band; one score per pair or the maximum per origin) as the one with the narrowest
# median band on the even-index IC curves among those covering at least 0.95 there; the
# odd-index IC curves report it. Price: the median half-width at the held-out points is
# 0.063 in log units (odd IC; delta band 0.018) while the median absolute log error is
# 0.017, i.e. the band is honest about heavy-tailed extrapolation errors rather than
# tight. Cost: 1.45 s per IC curve for the backtest on top of 0.35 s for the fit (2
# workers on the shared 2-core machine; single-curve maximum 9 s under load).
#
# Caveat: backtest errors of nearby origins are correlated and not exchangeable with the
# future error, so the conformal guarantee below is not a theorem for this use; the
# coverage above is the evidence. The rank rule itself is checked against exchangeable
# scores: with $n$ i.i.d. scores the next one falls below the
# $\lceil (n+1)\,0.95\rceil$-th smallest with probability exactly
# $\lceil (n+1)\,0.95\rceil/(n+1)$.

# %%
from scalingtheory.fitting.curve import fit  # noqa: E402

rng = np.random.default_rng(11)
xs = np.logspace(1, 3, 12)
band_fit = fit(xs, 2.0 * xs**-0.5, form="m1")
n_scores, reps, hits = 40, 4000, 0
for _ in range(reps):
    s_draw = rng.exponential(size=n_scores + 1)
    band_fit.backtest_errors = np.column_stack([np.ones(n_scores), s_draw[:n_scores], np.zeros(n_scores)])
    hits += s_draw[n_scores] <= band_fit.backtest_quantile(0.95)
exact = np.ceil((n_scores + 1) * 0.95) / (n_scores + 1)  # 39/41
assert abs(hits / reps - exact) < 4 * np.sqrt(exact * (1 - exact) / reps), (hits / reps, exact)
print(f"conformal rank rule: coverage {hits / reps:.4f} vs exact {exact:.4f}")


# %% [markdown]
# ## 8. Breaks the data can locate, and how many (issue 12)
#
# ### 8.1 Where a break may sit
#
# Only the slope after the last break decides an extrapolation beyond the data
# (§1: $s\to-(c_0+\dots+c_n)$). A break beyond the last fitting point is seen only through
# the curvature before it, yet it decides the extrapolation: issue 12's newcomer curve got a
# second break at 1.7x its last point with $c_2$ at its bound of 20 and a band of 64 decades.
# The fitter therefore bounds $d_i \le x_{(m-3)}$ (at least `d_edge` = 2 fitting points beyond
# every break) and allows breaks up to one decade *below* the data, whose slope after the break
# the data do show. Measured on the 92 Revisiting curves (one break, held-out RMSLE; IC / NMT /
# LM / BB): 0.0401 / 0.0091 / 0.0008 / 0.0092 with this rule, 0.0434 / 0.0091 / 0.0010 / 0.0086
# when two points are also required below, 0.0402 / 0.0091 / 0.0009 / 0.0171 with the earlier
# rule (one decade beyond the data on both sides). A parameter that ends at a bound is reported
# (`FitResult.pinned`, a note, `"pinned"` in JSON, `[at upper bound]` in the report), e.g.
# `a = 0 (lower bound: no floor)`; `d_margin=` restores breaks beyond the data for a user who
# knows one is there (the noiseless simulation of the released scripts, whose break at 612 lies
# beyond its last fitting point 405, is recovered that way to $10^{-6}$; by default its fit
# keeps $d_1$ at the edge and says so).
#
# ### 8.2 The information criterion used to count breaks
#
# With Gaussian log residuals of scale $\sigma$, $-2\ln L = m\ln(2\pi\sigma^2) + S/\sigma^2$;
# profiling $\sigma$ gives $\hat\sigma^2 = S/m$ and $-2\ln L = m\ln(S/m) + m(1+\ln 2\pi)$, so up to
# a constant shared by every number of breaks, BIC $= m\ln(S/m) + p\ln m$ (AIC: $2p$; AICc adds
# $2p(p+1)/(m-p-1)$). Each break adds $p \mathrel{+}= 3$ parameters.

# %%
m_, S_, sig2 = sp.symbols("m S sigma2", positive=True)
neg2logL = m_ * sp.log(2 * sp.pi * sig2) + S_ / sig2
sig2_hat = sp.solve(sp.diff(neg2logL, sig2), sig2)[0]
assert sig2_hat == S_ / m_
assert sp.simplify(sp.expand_log(neg2logL.subs(sig2, sig2_hat) - (m_ * sp.log(S_ / m_) + m_ * (1 + sp.log(2 * sp.pi))),
                                 force=True)) == 0
from scalingtheory.fitting.curve import fit as _fit  # noqa: E402

_xs = np.logspace(1, 4, 25)
_r = _fit(_xs, 0.3 + 2 * _xs**-0.5 * np.exp(0.01 * np.cos(3 * np.arange(25))), breaks=0, interval=None)
_S = float(np.sum(_r.residuals**2))
assert abs(_r.information_criterion("bic") - (25 * np.log(_S / 25) + 3 * np.log(25))) < 1e-9

# %% [markdown]
# ### 8.3 Which criterion counts breaks for extrapolation (measured, then chosen)
#
# **The rule** (`criterion="bic-one"`, the default; `choose_breaks`): start from one break, the
# paper's form; take zero breaks if their BIC is lower by more than 2, else add breaks one at a
# time (up to `DEFAULT_MAX_BREAKS` = 3) while each addition lowers the BIC by more than 2. Why:
# BIC approximates $-2\ln$ of each count's marginal likelihood, so a BIC difference $\Delta$ is a
# Bayes factor $e^{\Delta/2}$ between two nested forms; a step needs Kass & Raftery's "positive"
# evidence ($\Delta > 2$, Bayes factor $> e$; their scale, fixed before any measurement here),
# and each break must earn its place against the form with one break fewer, not against one
# break only (the rule of the previous session compared every count with one break, which let a
# 3-break fit win on IC curves where 2 breaks had not). The search also skips the 3-break fit
# (the costliest) unless 2 breaks beat 1. Nothing in the rule was tuned on the Revisiting
# held-out points; the thresholds 0, 6 and 10 below are shown as a sensitivity check only.
# Since a third session, a count is eligible only if its fit leaves at least `d_edge` = 2 fitting
# points between consecutive breaks (`unobserved_segment`; "every segment observed" below): the
# forward search cannot step to a count whose fit has a segment with an unobserved slope. The
# tables below up to "Rules tried in a third session" were measured before it.
#
# **Measured** (`benchmarks/bnsl_selection.py --seeds 12,2026`, one run, fits exactly as
# `select_breaks` makes them: 6 grid starts per count, scored before the polish, the chosen count
# polished). Suite 12 (40 seeded random BNSLs, 10 each with 0-3 breaks, sharpness
# $f\in[0.05,1]$, noise 0.3-3%, 20-60 points over 2.5-4.5 decades, extrapolation to 1.7-2.2x the
# last point) was used in the previous session to compare criteria; suite 2026 (the same generator,
# seed 2026) was generated once in this session after the rule was fixed and used for nothing else:
# it is the independent check.
#
# | choice (n <= 3) | synthetic 12 (40) | synthetic 2026 (40, independent) | paper examples (3) |
# |---|---|---|---|
# | **auto, bic-one (default)** | **0.0260** | **0.0287** | 0.5567 |
# | auto, BIC | 0.0260 | 0.0287 | 0.5564 |
# | auto, AICc | 0.0283 | 0.0288 | 0.5494 |
# | auto, AIC | 0.0300 | 0.0306 | 0.5564 |
# | one break | 0.1025 | 0.0903 | 2.1312 |
# | true count | 0.0283 | 0.0321 | 0.5497 |
#
# Confusion matrices of the default (rows: true $n$ = 0..3; columns: chosen $n$ = 0..3):
# suite 12 `[[10,0,0,0],[0,9,1,0],[0,0,9,1],[0,0,2,8]]` (36/40 right); suite 2026
# `[[10,0,0,0],[0,10,0,0],[0,0,9,1],[0,0,0,10]]` (39/40). BIC (lowest) gives the same matrices, AICc
# 34/40 and 37/40, AIC 29/40 and 32/40. With at most 2 breaks (the previous default) the means are
# 0.0426 and 0.0314: the ten 3-break curves of each suite cannot be matched. Paper examples: 4-digit
# addition picks 2 breaks (held-out RMSLE 0.0321; one break 0.0111); the noiseless simulation
# picks 1 (1.41 for every count: its break lies beyond the fitting range, §8.1); Figure 1 with 1%
# noise picks its 3 breaks (0.232; 2 breaks 0.076, 1 break 4.98).
#
# **Revisiting** (92 curves, default fit vs a one-break fit, `benchmarks/bnsl_reference.py`; before the segment
# rule, so these are not §8.4's numbers, which include it):
# held-out RMSLE default / one break: IC 0.04009 / 0.04012, NMT 0.0091 / 0.0091, LM 0.00084 / 0.00083,
# BB 0.0121 / 0.0092. Breaks chosen (0/1/2/3): IC 1/30/30/11, NMT 0/5/0/0, LM 2/3/0/0, BB 1/3/4/2.
#
# Other criteria on Revisiting (an exploratory run of this session with every count fitted with 6
# polished starts, held-out RMSLE IC / NMT / LM / BB; synthetic suite 12 / 2026):
#
# | criterion (n <= 3) | IC (72) | NMT (5) | LM (5) | BB (10) | synthetic 12 | synthetic 2026 |
# |---|---|---|---|---|---|---|
# | **bic-one, forward, step > 2** | 0.0403 | 0.0091 | 0.0008 | 0.0121 | 0.0260 | 0.0287 |
# | same, step > 0 | 0.0403 | 0.0107 | 0.0010 | 0.0127 | 0.0260 | 0.0287 |
# | same, step > 6 | 0.0415 | 0.0091 | 0.0008 | 0.0121 | 0.0271 | 0.0276 |
# | same, step > 10 | 0.0413 | 0.0091 | 0.0008 | 0.0125 | 0.0288 | 0.0305 |
# | previous rule (any count vs one break, > 2) | 0.0406 | 0.0091 | 0.0008 | 0.0172 | 0.0260 | 0.0287 |
# | BIC (lowest) | 0.0404 | 0.0107 | 0.0010 | 0.0172 | 0.0260 | 0.0287 |
# | AICc | 0.0402 | 0.0482 | 0.0011 | 0.0125 | 0.0283 | 0.0288 |
# | BIC with AR(1) residuals ($\rho$ profiled) | 0.0450 | 0.0107 | 0.0014 | 0.0172 | 0.0284 | 0.0303 |
# | rolling-origin backtest RMSLE (warm refits) | 0.0516 | 0.0091 | 0.0013 | 0.0095 | 0.0911 | 0.0942 |
# | one break | 0.0401 | 0.0091 | 0.0008 | 0.0092 | 0.1025 | 0.0903 |
# | true count | -- | -- | -- | -- | 0.0283 | 0.0321 |
#
# Two principled alternatives were measured and rejected: an AR(1) error model in the likelihood
# (learning-curve residuals are serially correlated, BIC assumes independence) is worse on IC
# and no better on BB; the rolling-origin backtest error scores extrapolation directly but its
# prefixes end before breaks in the last part of the range (synthetic 0.09, 3x worse), and its
# warm refits start from the full fit.
#
# **Targets of issue 12** with the default as it is now (the segment rule below included; §8.4's table): synthetic
# auto within 10% of the true count -- met (suite 12 0.0276 vs 0.0283, suite 2026 0.0333 vs 0.0321, +3.6%);
# Revisiting IC mean <= 0.0406 -- met (0.0398); no worse than one break in every domain -- met in IC (0.0398 vs
# 0.0401), NMT (equal) and BB (0.0085 vs 0.0092), not in LM (0.000837 vs 0.000835; last bullet of this section).
# Before the segment rule (the rest of this paragraph): synthetic auto within 10% of the true count -- met on both suites
# (0.0260 vs 0.0283 and 0.0287 vs 0.0321: better than the true count,
# whose fits of faint breaks in noisy curves extrapolate worse); Revisiting IC mean <= 0.0406 -- met (0.0401); no worse than one break in every domain -- met
# in NMT (equal) and IC (0.04009 vs 0.04012), not quite in LM (0.000837 vs
# 0.000835: two of five curves take zero breaks, one gaining and one losing) and not in BB (0.0121 vs 0.0092). BB's 10 curves are one
# 262M model on 5 tasks x 2 shot counts, $y = 1-$accuracy near 0.92-0.99 with repeated
# (quantised) values; from one to two breaks the BIC drops by 8-26 on 7 of them
# (sharp kinks at the accuracy steps, $f$ often at its lower bound), which is strong evidence under independent Gaussian
# residuals and no help beyond the data (the segment rule of the third session, below, meets BB: 0.0085). No criterion measured before it is better than one break on BB
# without losing 3x on the synthetic suites or 20% on IC.
#
# Two further rules tried in a later session for BB/LM (fitting points only; measured on the fits
# `select_breaks` makes, every count scored and polished, warm 8-origin backtest as for the band), not adopted:
#
# * *Backtest veto*: when BIC (bic-one) chooses $k \ne 1$, keep $k$ only if its rolling-origin
#   backtest error within the training points (`FitResult.backtest`, 8 origins from half the points,
#   warm refits) is below one break's, else take one break. Three scores of the pooled errors: RMS of
#   $e_j$, mean $|e_j|/\delta_j$, mean over origins of the RMS. BB 0.0114 / 0.0121 / 0.0121 (bic-one
#   0.0121, one break 0.0092; the RMS veto reverts 1 of the 7 BB curves where BIC moves away from one break),
#   LM and NMT unchanged (0.00084, 0.0091), synthetic suite 12 **0.0816** / 0.0756 / 0.0756 (bic-one
#   0.0260, true count 0.0283): the RMS veto reverts 14 of the 31 synthetic curves where BIC moves away
#   from one break, mostly true 2- and 3-break curves whose later breaks lie after the early origins, so the
#   prefixes cannot see them (the same failure as the backtest criterion in the table above).
#   Suite 2026: 0.0405 / 0.0367 / 0.0405 (bic-one 0.0287, true count 0.0321; 10 of 30 reverted). Rejected:
#   both suites miss "within 10% of the true count" (by 3x and 1.1-1.3x); IC was not run.
# * *Effective sample size = distinct y values* (BB repeats values: 9-17 distinct of 19; the
#   repeats are runs of equal consecutive values, not a quantisation step: the smallest steps between
#   levels are 5e-5 to 4e-3): BIC with the likelihood term scaled by $m_\text{eff}/m$ and penalty
#   $p\ln m_\text{eff}$. It changes no choice on BB, LM, NMT or suites 12 and 2026 (the 1 -> 2 break drops of 8-26
#   shrink but stay above 2: e.g. date 1-shot -26.2 -> -11.5).
#
# On BB the fits BIC chooses instead of one break lower the in-sample error *and* the
# within-training backtest RMS on 6 of those 7 curves, yet 4 of the 6 extrapolate worse: the held-out points start after a gap
# and a level shift (§8.4) that no criterion on the fitting points can anticipate. Zero breaks would
# do as well as one on BB (0.0090). The target stays not met (xfail test in `tests/test_bnsl_selection.py`).
#
# **Rules tried in a third session** (one run of `benchmarks/bnsl_selection.py --seeds 12,2026`, all groups;
# the rules are read off the scored fits of that run, all counts fitted; mean held-out RMSLE suite 12 / suite 2026 /
# IC / LM / BB; bic-one 0.0260 / 0.0287 / 0.0401 / 0.000837 / 0.0121, one break 0.1025 / 0.0903 / 0.0401 /
# 0.000835 / 0.0092, true count 0.0283 / 0.0321; NMT stays 0.0091 under every rule below). First, where BB's
# breaks sit: the last break of the 6 multi-break fits bic-one takes on BB has 6 to 16 fitting points beyond it,
# not 2-3; 4 of the 6 have two breaks with at most one fitting point between them and slopes of opposite sign
# ($c$ = 1.48 / -1.47, -4.06 / 3.89, up to 20 / -20): steps and bumps that fit the runs of repeated values.
#
# * *More points beyond the last break* (a count is not eligible unless its last break has $\ge k$ fitting
#   points beyond it; the forward search stops at it): $k$ = 4, 5, 6 give suite 12 0.0422 / 0.0538 / 0.0595, BB
#   0.0121 unchanged; beyond $d + 2.2 f$ (90% of the transition), $k$ = 2, 3: suite 12 0.0454 / 0.0703, BB 0.0121 / 0.0103.
# * *A break parameter at a bound makes a count ineligible*: any of $c_i, d_i, f_i$ pinned: BB 0.0104, but suite 12
#   0.0699, suite 2026 0.0569, paper examples 2.14 (true breaks sharper than $f_{min}$ pin $f$); only $c_i$ or $d_i$:
#   suite 12 0.0428, BB 0.0121; only $c_i$: 0.0266 / 0.0302 / 0.0398 / 0.000837 / 0.0121. Counting pinned
#   parameters as not free in the BIC ($p$ minus the pinned count, the fit being on the boundary): LM 0.000835
#   (met) but IC 0.0437 (> 0.0406; 0.0409 with the segment rule below) and BB 0.0144; half of them (chi-bar-squared weight): LM 0.00097.
# * *Robust likelihoods*: Laplace ($2m\ln\overline{|r|} + p\ln m$): BB 0.0121, LM 0.00097; Huber-winsorised
#   residuals: IC 0.0386, BB 0.0128, LM 0.00097. An effective $m(1-\rho)/(1+\rho)$ from the lag-1 autocorrelation
#   of the larger (or smaller) fit's residuals: suite 2026 0.0484 (0.0483), BB 0.0126 (0.0125).
# * *A focused criterion* (Claeskens & Hjort 2003): the focus is $\log\hat y(h\,x_{max})$; a step to the larger
#   count iff the shift $D$ of the focus exceeds what its extra delta-method variance explains,
#   $D^2 > 2(V_{big}-V_{small})$. With the BIC step ($h$ = 1.5, 2, 3): IC 0.0387-0.0391, BB 0.0117, LM 0.00097,
#   suite 12 0.0300-0.0305; alone, $h$ = 1.5: BB 0.0090 (met), IC 0.0395, LM 0.00094, suite 12 0.0346 (22% above the
#   true count). Pinned parameters get no variance, which favours pinned fits.
# * *Every segment observed* (measured through `select_breaks`' own code in a second run, then with the
#   default `fit` on all 92 curves): a count is not eligible
#   when its fit leaves fewer than `d_edge` = 2 distinct fitting x between two consecutive breaks (the slope
#   between them, $-(c_0+\dots+c_i)$, is then seen only through the curvature of the two transitions: the
#   §8.1 rule for the last segment, applied to the segments between breaks, which box bounds cannot express).
#   Suite 12 0.0276 (true count 0.0283), suite 2026 0.0333 (0.0321, +3.6%), paper examples 0.5567 (unchanged),
#   IC 0.03977 (one break 0.04012), NMT equal, **BB 0.0085 (one break 0.0092: met;** 4 of 10 curves change,
#   3 gain), LM 0.000837 unchanged. Confusion: suite 12 35/40, suite 2026 36/40 (true 3-break curves: 5/10
#   and 7/10, their close breaks share few points). The only rule measured that meets BB without losing the synthetic
#   target; adopted (part of the default): it meets every target of issue 12 except LM, which it leaves as it is.
#   The default `fit` with it on all 92 curves (load 4-13 on 2 cores): IC 0.03977 / NMT 0.00908 / LM 0.000837 / BB
#   0.00851 against one break's 0.04012 / 0.00908 / 0.000835 / 0.00916; 95% band coverage IC 0.951, NMT 1.000,
#   LM 0.983, BB 0.992 (was 0.904), all 0.960; CPU mean 0.81 s, max 2.41 s, 4 of 92 curves above 2 s (the
#   3-break fits it avoids are the costliest). Again after the raced starts of §8.4 were merged: IC 0.03978, NMT,
#   LM and BB as above; coverage IC 0.946, all 0.956; CPU mean 0.59 s, max 1.82 s, none above 2 s (load not
#   recorded; §8.4's table is a later run of the same code at load 3.1-3.5: IC 0.947, mean 0.56 s, max 1.58 s); synthetic
#   suites and confusion matrices unchanged, paper examples 0.5564. Breaks chosen on Revisiting (0/1/2/3): IC 1/37/26/8 (before:
#   1/30/30/11), NMT 0/5/0/0, LM 2/3/0/0, BB 1/7/2/0 (before: 1/3/4/2). Confusion matrices: suite 12
#   `[[10,0,0,0],[0,10,0,0],[0,0,10,0],[0,2,3,5]]`, suite 2026 `[[10,0,0,0],[0,10,0,0],[0,1,9,0],[0,0,3,7]]`.
# * *LM* is a zero-or-one-break decision on two curves of 11 and 12 points (BIC lower by 4.7 and 2.4 with no
#   break): zero breaks gains 0.00069 on one and loses 0.00069 on the other, so the mean misses one break's by
#   0.2%. No rule above tells the two apart (counting pinned parameters as not free moves both to one break, a
#   tie, at IC's expense); the target "no worse than one break in every domain" stays not met in LM. A sensitivity
#   check, not a rule: with the segment rule, asking "strong" evidence (BIC lower by > 6) for the step to zero
#   breaks only would meet every target (suite 12 0.0288, suite 2026 0.0336, IC 0.0398, LM 0.000835 = one
#   break, BB 0.0085), and never taking zero breaks nearly (suite 2026 0.0354, 10.3% above the true count);
#   but the 6 would be chosen by looking at LM's held-out points, and no reason is known why dropping a break
#   should need more evidence than adding one, so it is not adopted.

# %% [markdown]
# ### 8.4 Honest output, band coverage and cost of the default fit
#
# The report's scores line names its criterion (`number of breaks by BIC of the log residuals
# (m ln(S/m) + p ln m); from one break, a break fewer or more only if the BIC drops by > 2 (counts
# not reached are not fitted), lower is better: n=0: ...`, also `"selection": {"criterion",
# "text", "scores"}` in JSON); a prediction band spanning more than two decades adds the note
# `extrapolation not identified by the data at x >= ...` (text and JSON).
#
# `benchmarks/bnsl_reference.py --reference-every 4 --synthetic` (all 92 Revisiting curves; the
# released procedure and the cold band on every 4th, 23 curves; the 40 curves of synthetic suite 12;
# one run of the default of this section's cost work and §8.3's segment rule, 1-minute load 3.1-3.5 on
# 2 cores, CPU by `time.process_time`):
#
# | curves | RMSLE: default | one break | released procedure (ours) | 95% coverage: default band | one-break band | CPU s: default fit, mean / max | selection | warm band | one-break fit | released procedure |
# |---|---|---|---|---|---|---|---|---|---|---|
# | IC (72) | 0.0398 | 0.0401 | 0.1227 | 0.947 | 0.950 | 0.62 / 1.58 | 0.52 | 0.10 | 0.12 | 2.31 |
# | NMT (5) | 0.0091 | 0.0091 | 0.0390 | 1.000 | 1.000 | 0.07 / 0.17 | 0.06 | 0.01 | 0.05 | 2.12 |
# | LM (5) | 0.0008 | 0.0008 | 0.0008 | 0.983 | 1.000 | 0.35 / 0.49 | 0.34 | 0.02 | 0.11 | 2.11 |
# | BB (10) | 0.0085 | 0.0092 | 0.0258 | 0.992 | 0.992 | 0.51 / 0.89 | 0.42 | 0.09 | 0.13 | 2.19 |
# | all Revisiting (92) | 0.0326 | 0.0329 | 0.1017 | **0.956** | 0.960 | **0.56 / 1.58** | 0.47 | 0.09 | 0.12 | 2.27 |
# | synthetic 12 (40) | 0.0276 | 0.1025 | 0.1659 | **0.970** | 0.900 | 0.32 / 0.71 | 0.27 | 0.06 | 0.05 | 2.24 |
#
# Before both (the same command, load 4-9): RMSLE IC / BB 0.0401 / 0.0121, coverage IC 0.945, BB 0.904, all
# 0.946, CPU mean 1.15 s, max 3.14 s, 13 of 92 above 2 s, one-break fit 0.16 s.
#
# * Coverage of the default 95% band on all held-out points: 0.956 on the 92 Revisiting curves
#   (every domain within 10 points of nominal: IC 0.947, NMT 1.00, LM 0.983, BB 0.992) and 0.970
#   on the 40 synthetic curves. Before the segment rule BB had 0.904, from curves whose held-out points
#   start after a gap of 0.19 in $\ln x$ at a level about 1% *above* the last fitting point (e.g. `ling`,
#   1-shot: last fitting value 0.916, held-out plateau 0.926): an error that is there at distance ~0 and
#   does not grow, while the band's half-width grows from the delta band linearly in the distance
#   ($qD$, §7). One-break fits carry it (0.99: their residual scale and backtest quantile are
#   larger); the 2-break fits BIC chose on BB fitted the quantised steps, so their band was narrower
#   and missed it on 2 curves (0.33 and 0.79 of their points); the segment rule returns those to one break.
# * Warm-started band (issue 16 item 5): each origin refits from the full fit (one refinement,
#   `BAND_REFIT` = 15 evaluations per parameter, no polish; 30 before the cost work). On the 23
#   Revisiting curves with both bands on the same chosen fits: warm 0.09 s vs cold (3 cold starts per
#   origin) 0.94 s CPU, coverage 0.938 vs 0.945; synthetic 10 curves 0.92 vs 0.92. The default fit costs
#   1.18x its selection fits alone (target <= 2x) and 4.7x a one-break fit (7.3x before).
# * Cost (issue 12 item 5, target 2 s CPU per Revisiting curve): **mean 0.56 s, median 0.47 s, max
#   1.58 s, none of the 92 above 2 s** (table), against mean 1.15 s, max 3.14 s and 13 above 2 s before;
#   the one-break fit of the same run: mean 0.12 s, max 0.56 s (0.16 s before: it gains from the
#   Jacobian), i.e. the slowest default fit costs 13x a mean one-break fit. Measured apart, with nothing
#   else of ours running (load 1.7-2.1; default fit as in the benchmark): the 13 curves that were above
#   2 s, **max 1.45 s** (inet_25 ViT/B/16, 67 points, 3 breaks: selection 1.30 s, band 0.15 s; cal_10
#   ViT/S/16 1.44 s), mean 0.98 s; the 13 slowest of the table's run, max 1.45 s, mean 1.15 s; the first 13
#   before the work (load 1.6-4.9): max 2.39 s, mean 2.05 s, 8 of 13 above 2 s. Where the time went
#   (cProfile and per-call CPU of every `least_squares` call on those 13 curves): SciPy's `trf` iteration
#   overhead, ~0.3 ms per evaluation on 71 x 12 Jacobians (one SVD, trust-region solve and bound scaling
#   each; model and Jacobian about 25%); the 2- and 3-break refinements of the 6 starts run to their
#   budget (72 of 85 three-break starts) creeping along ridges (e.g. bird_5 MiX/B/16: two wide breaks of
#   opposite slopes, $c_2\to-4$, $c_3\to+6.7$, cost falling by 0.3% over the last 70 iterations), several
#   starts ending in the same basin; per curve the scored 2- and 3-break fits took 0.6-1.1 s, the polish
#   0.1-0.5 s, the band 0.2-0.8 s. Three changes, each measured on all 92 curves before the segment rule
#   of §8.3 was merged (so that only they differ; one benchmark run at load 7.8-8.8: mean 0.66 s, max 1.68 s):
#   (1) *racing of the starts* (`RACE`, successive halving) for more than 6 parameters: all 6 starts get
#   5 evaluations per parameter, the 4 lowest continue to the full 30. On the 26 two- and three-break fits
#   of the 13 curves it used 71% of the evaluations and moved no fit's best cost by more than 1.5 in BIC
#   units; keeping 3 used 57% but lost the best 3-break basin of two curves (by 7.5 and 12.4, which changed
#   their chosen count from 3 to 2), and racing one-break fits lost the best basin of an 11-point LM curve
#   (held-out 0.00144 vs 0.00086), so fits of up to 6 parameters are not raced (`tests/test_bnsl_cost.py`);
#   (2) *band refits at 15 evaluations per parameter* instead of 30: half the band's CPU; coverage IC 0.941
#   vs 0.945 (13 IC curves change, by -0.14 to +0.02, one of them through (1)), NMT, LM, BB (0.904) and the
#   synthetic suite unchanged; a long curve's refinement on all its points keeps 30 (`WARM_REFIT`);
#   (3) `BNSL.jacobian` computes all breaks at once (softplus and logistic of one $n\times m$ array): about
#   half of its time. Results: every chosen number of breaks is the same on the 92 curves and the 40
#   synthetic ones; held-out RMSLE is unchanged in every domain except one IC curve (inet_10 MiX/B/16,
#   2 breaks: 0.00983 vs 0.00926; its raced 2-break optimum is 1.0 higher in BIC), IC mean 0.04010 vs
#   0.04009. Tried and not adopted (on those 13 curves): Levenberg-Marquardt (`method="lm"`, MINPACK:
#   ~3.5x cheaper per evaluation) from the same starts left the box in 49 of 85 three-break and 24 of 84
#   two-break scored refinements, and inside it ended above the `trf` cost in more than half; with the
#   parameters at a bound held fixed and a `trf` fallback when it left the box or the gradient pointed
#   into it, it was accepted for 7 of 13 polishes and 50 of 102 band refits, and with the fallbacks it
#   saved 8-35% of those phases (against 50% for the smaller band budget) while changing the accepted
#   results (15 accepted band refits ended more than 1e-3 higher in cost); a wall (residuals 1e3 outside
#   the box) kept it inside but stalled it against the bound. Stopping a start once it came within 0.01-0.05
#   (box-scaled) of an earlier start's path or optimum (a `least_squares` callback) saved 4-13% of the
#   scored fits' evaluations, part of it eaten by the callback. `method="dogbox"` (0.29 vs 0.31 ms per
#   evaluation, 31 of 35 fits ended higher) and `x_scale="jac"` (no gain) as before; no polish for fits
#   of more than 6 parameters was worse in held-out RMSLE in the previous session (0.0289 vs 0.0266).
#   The released procedure (brute grid of 163,840 points + Levenberg-Marquardt, our re-implementation with
#   the d grid widened to the data) costs 4.7x the default on the 23 curves where it ran (2.3x before);
#   its poor IC RMSLE (0.123) reflects that grid, not the BNSL form.
# * The slow test `test_default_fit_on_all_revisiting_curves_meets_issue_12_targets` recomputes the
#   default on all 92 curves and asserts what is met (IC <= 0.0406, NMT no worse than one break,
#   coverage in every domain); it passed (185 s; 463 s with the xfail test below under load 4-5), and after
#   the cost work in 65 s (load ~2.4), once its "no worse" tolerance was set to what the optimiser resolves
#   (`SAME_OPTIMUM_RTOL` = 1e-6 relative: on NMT the default and the one-break fit, one break each, agree in cost to
#   12 digits and in held-out RMSLE to 3e-8, which failed the earlier 1e-9 after the Jacobian's rounding changed). The target not met, no worse than one break in every
#   domain, is asserted by `test_default_fit_no_worse_than_one_break_in_every_revisiting_domain`, marked
#   `xfail(strict=True)` with the numbers of §8.3: it documents the gap and fails (XPASS) once it is closed.

# %% [markdown]
# ### 8.5 Long curves: bin means with weights, then all points
#
# A curve of $N$ points costs $O(N)$ per evaluation of every refinement, and the default fit
# runs thousands of them (a 100,000-step training log took about 49 s). For
# $N > 1000$ (`MAX_POINTS`) the fit first works on the means of $\ln x$ and $\ln y$ in 1,000
# equal-width bins of $\ln x$ (`bin_means`), each residual weighted by its bin's count $k_b$.
# Within a bin, for any model value $g$,
# $\sum_{j\in b}(g-\ell_j)^2 = k_b(g-\bar\ell_b)^2 + \sum_{j\in b}(\ell_j-\bar\ell_b)^2$
# (SymPy below), so the weighted sum over bin means is the points' sum of squares minus a
# constant, up to the variation of $\log\hat y$ across one bin (a thousandth of the log-range).
# The selection scores (BIC) are computed on all points at each count's optimum and the chosen fit is
# refined on all points from the bin-mean optimum (30 evaluations per parameter), so the answer is
# the least-squares optimum of the points themselves; only the band's prefix refits use the
# bin means. The result carries a note saying so. Measured: a 20,000-step curve fitted this way equals
# the direct fit of all points to 1e-10 in its predictions (the test asserts 1e-6); a 100,000-step
# curve's default fit took 7.4 s in a benchmark run under load 4-9 (the direct route about 49 s); measured
# again at load 1.5 (`long_curve` of `benchmarks/bnsl_reference.py`): 6.5 s CPU before the cost work of §8.4,
# 5.4 s after it, of which 4.6 s is the refinement on all points of the scored 2-break fit (270 evaluations,
# its budget, at ~17 ms each), a count that is then not chosen.

# %%
k_, g_ = 3, sp.Symbol("g")
ells = sp.symbols("l1:4")
lbar = sum(ells) / k_
identity = sum((g_ - l) ** 2 for l in ells) - (k_ * (g_ - lbar) ** 2 + sum((l - lbar) ** 2 for l in ells))
assert sp.expand(identity) == 0
print("sum over a bin = count x (g - mean)^2 + within-bin scatter: proved for a 3-point bin")


# %% [markdown]
# ## 9. The limit of predictability: how far beyond the data a break can be located (issue 24)
#
# The paper (Sec. 6) states the limit in words: BNSL extrapolates a break only from the curvature
# the data already show before it; a break that has not begun inside the fitting range cannot be
# predicted. Its noiseless 4-digit-addition simulation shows both sides: fitted to $x \le 405$ the
# released script finds the break at 612.6, fitted to $x \le 390$ it fails (RMSLE 0.236).
# `FitResult.horizon()` (`fit --horizon`, `fitting/horizon.py`) turns this into numbers for a
# fitted curve.
#
# **Method.** A further break at $d > x_{max}$ (slope change $c$, sharpness $f$) changes the
# fitted $\log\hat y$ by $\delta_d(x) = \log(a + (\hat y-a)e^{-cf\,\mathrm{sp}((\ln x-\ln d)/f)}) - \log\hat y$.
# Data from the curve with that break, refitted without it, keep to first order
# $r_d = (I - JJ^+)\delta_d$ ($J$ the Jacobian of the free parameters at the fit). The data
# detect the break when $\|r_d\| \ge z\sigma$ ($z = 1.96$ at 95%, $\sigma$ the residual scale,
# which holds noise and misfit). The *break horizon* $x_h(c, f)$ is the largest such $d$; the
# extrapolation is *identified until* $x_{id}$, the first $x$ where a break of slope change
# $\pm c$ hidden at $x_h$ moves the refit's prediction by $z\sigma$. Defaults: $c = 1$ and the
# sharpest break the fitter resolves, $f_{min} = \max(0.01, 0.5\,\mathrm{median}\,\Delta\ln x)$
# (conservative: a sharper break hides closer), with rows for $f$ = 0.1, 0.3, 1.
#
# **Far field.** For $d \gg x_j$, $\mathrm{sp}(t) \to e^t$ and $\delta_d(x_j) \approx -cf\,w_j(x_j/d)^{1/f}$
# ($w = (\hat y - a)/\hat y$), so without the projection $\|\delta_d\| = cf\,(x_{max}/d)^{1/f}\sqrt K$,
# $K = \sum_j w_j^2 (x_j/x_{max})^{2/f}$. SymPy solves $\|\delta_d\| = z\sigma$ for $d$:

# %%
c_, f_, K_, z_, sig_, xm_, d_ = sp.symbols("c f K z sigma x_max d", positive=True)
horizon_d = sp.solve(sp.Eq(c_ * f_ * (xm_ / d_) ** (1 / f_) * sp.sqrt(K_), z_ * sig_), d_)
assert len(horizon_d) == 1
decades = sp.expand_log(sp.log(horizon_d[0] / xm_), force=True)
assert sp.simplify(sp.diff(decades, sig_) * sig_ + f_) == 0   # d ln x_h / d ln sigma = -f
horizon_d[0], decades

# %% [markdown]
# $x_h = x_{max}\,(cf\sqrt K/(z\sigma))^f$: linear in the sharpness, logarithmic in the noise -- ten
# times less noise moves the horizon $f$ decades further, and a sharp break ($f\to0$) hides right
# behind the data. The projection only removes signal, so this is an upper bound. Numerically (40
# log-spaced points over two decades, a power law with floor, noise $10^{-4}$ to $10^{-10}$): the
# solved horizon is below the closed form by a constant 0.003 / 0.010 / 0.089 decades at
# $f$ = 0.05 / 0.1 / 0.3 (the refit absorbs a fixed share of the signal) and moves by exactly $f$
# decades per decade of noise (0.1000002 at $f = 0.1$; a row of the report's checks).
#
# The linearisation is checked against its independent route, a nonlinear least-squares refit of
# data that contain the break: for three small breaks beyond the data the residual the refit leaves
# equals $\|r_d\|$ to 4 digits (0.0012 / 0.001282 / 0.0003542; asserted to 10% below and in
# `tests/test_bnsl_horizon.py`).

# %%
from scalingtheory.fitting.forms import BNSL, softplus  # noqa: E402
from scalingtheory.fitting.horizon import _Setting  # noqa: E402

xh_pts = np.logspace(1, 3, 40)
base_fit = fit(xh_pts, 0.1 + 3 * xh_pts**-0.4, breaks=0, interval=None)
for d_val, c_val, f_val in ((1300.0, 0.05, 0.2), (2000.0, 0.1, 0.3), (1100.0, 0.02, 0.1)):
    excess = base_fit.predict(xh_pts) - base_fit.theta[0]
    y_alt = base_fit.theta[0] + excess * np.exp(-c_val * f_val * softplus(np.log(xh_pts / d_val) / f_val))
    left = np.sqrt(np.sum(fit(xh_pts, y_alt, breaks=0, interval=None).residuals ** 2))
    linear = float(_Setting(base_fit, 1.0).detect(np.log(d_val), c_val, f_val)[0])
    assert abs(linear / left - 1) < 0.1, (d_val, linear, left)
    print(f"break at d = {d_val:g} (c = {c_val}, f = {f_val}): residual after refit {left:.4g}, first order {linear:.4g}")
slopes = [np.log10(base_fit.horizon(noise=n, sharpness=0.1).break_horizon) for n in (1e-6, 1e-10)]
print(f"horizon: {(slopes[1] - slopes[0]) / 4:.7f} decades per decade of noise at f = 0.1")

# %% [markdown]
# **The paper's experiment, reproduced** (`python benchmarks/bnsl_horizon.py`; x = 1..4095, the
# released script's ground truth, break $d_1 = 612.6$, $c_1 = 5.66$, $f_1 = 0.059$; default fit and
# `break_margin=1`, both with the number of breaks chosen; extrapolation RMSLE on every $x$ beyond the cut):
#
# | cut | default: breaks, RMSLE beyond | margin 1: d1, RMSLE beyond | horizon (true c1, f1) | x_id | horizon (c = 1, f_min) | CPU s |
# |---|---|---|---|---|---|---|
# | 300 | 0, 1.4 | nan, 1.4 | 696.7 | 319.2 | 332 (f = 0.01) | 2.4 |
# | 350 | 3, 1.4 | nan, 1.4 | 616.1 | 352.4 | 387.8 (f = 0.01) | 3.6 |
# | 390 | 1, 1.41 | 16.451, 0.19 | 702.1 | 395.4 | 425.3 (f = 0.01) | 3.4 |
# | 405 | 3, 1.41 | 612.58, 1.8e-10 | 700.5 | 410.6 | 440.5 (f = 0.01) | 3.8 |
# | 450 | 3, 1.36 | 612.58, 1.5e-11 | 716.1 | 456.3 | 481.3 (f = 0.01) | 2.9 |
# | 500 | 1, 1.13 | 612.58, 6.3e-13 | 709.8 | 510.5 | 523.9 (f = 0.01) | 1.6 |
# | 550 | 2, 0.412 | 612.58, 6.7e-15 | 733.8 | 561.5 | 570.5 (f = 0.01) | 2.3 |
#
# (CPU seconds per cut under load 15 on the 2-core machine; "nan": the margin fit chose no break.)
#
# The default fit keeps its breaks where two fitting points lie beyond them and so cannot reach a
# break that has not begun: its extrapolation RMSLE at the cut 405 is 1.41 (the issue quoted 0.68 from
# an earlier version of the default). With a margin of one decade and the number of breaks chosen, the
# break is found from the cut 405 on (RMSLE 1.8e-10; the released LM fit stops at 0.0052); at 390 the
# chosen fit extrapolates with 0.19 (one break forced: 8e-5, where the released script fails with
# 0.236), and at 350 and below no break is chosen. The horizon of the default fit for a break like the
# true one (616-734) lies beyond 612.6 at every cut, also at 300 and 350 where no fit located it: it
# is an upper bound. Within the noise the extrapolation is identified only 1-4% beyond each cut
# ($x_{id}$): a break of this size hidden just beyond $x_h$ would already show there.
#
# **Noise study** (the same curve cut at 405, multiplicative log-normal noise $\sigma$, seeds 0-4;
# horizon for the true $c_1, f_1$; located: $|\ln(\hat d_1/d_1)| < 0.15$ with `break_margin=1`):
#
# | noise | horizon x_h (median, range) | closed form | located by margin 1 | RMSLE beyond (margin, median) | CPU s |
# |---|---|---|---|---|---|
# | 0 | 700.5 (700.5-700.5) | 901.5 | 5/5 | 3e-10 | 15.1 |
# | 1e-06 | 690.7 (680.9-691.1) | 860.5 | 2/5 | 1.11 | 9.5 |
# | 1e-05 | 615.3 (614.4-618.7) | 765.8 | 2/5 | 1.38 | 5.4 |
# | 0.0001 | 561.2 (509.6-601.4) | 668.2 | 1/5 | 1.41 | 5.1 |
# | 0.001 | 577.3 (576.6-579) | 583.9 | 0/5 | 1.42 | 7.4 |
# | 0.01 | 504.4 (498.6-512) | 510.5 | 0/5 | 1.42 | 6.4 |
#
# The horizon shrinks with the noise, from 700 (noiseless: $\sigma$ is the default fit's misfit,
# $8\times10^{-7}$) past the break at 612.6 near $\sigma = 10^{-5}$ to 504 at $10^{-2}$; it is not
# monotone between $10^{-4}$ and $10^{-3}$ because the default fit changes there from one break (pinned
# at the last points, which absorbs more of a further break) to none. Locating the break needs more
# than the horizon: 2 of 5 fits at $\sigma = 10^{-6}$ and $10^{-5}$, 1 of 15 beyond (at $10^{-4}$,
# where $x_h$ = 510-601 reaches within 2% of the break), none from $10^{-3}$ on.
#
# **Known breaks** (40 log-spaced points over two decades, a break of slope change 1 and sharpness 0.3
# at $d$ = 1.2-3 $x_{max}$, noise $10^{-4}$, $10^{-3}$, $10^{-2}$, seeds 0-4):
#
# | d / x_h | fits | located |
# |---|---|---|
# | 0-0.75 | 13 | 12 |
# | 0.75-1 | 18 | 0 |
# | 1-inf | 29 | 0 |
#
# | d / x_max | noise | x_h (median) | located |
# |---|---|---|---|
# | 1.2 | 0.0001 | 2029 | 5/5 |
# | 1.2 | 0.001 | 1519 | 1/5 |
# | 1.2 | 0.01 | 1000 | 0/5 |
# | 1.5 | 0.0001 | 2264 | 5/5 |
# | 1.5 | 0.001 | 1555 | 0/5 |
# | 1.5 | 0.01 | 1000 | 0/5 |
# | 2 | 0.0001 | 2661 | 1/5 |
# | 2 | 0.001 | 1503 | 0/5 |
# | 2 | 0.01 | 1817 | 0/5 |
# | 3 | 0.0001 | 3309 | 0/5 |
# | 3 | 0.001 | 2239 | 0/5 |
# | 3 | 0.01 | 1862 | 0/5 |
#
# (93 s CPU for the three studies, seeds 0-4.)
#
# The report draws the cut-405 fits and the horizon against the noise (`bnsl_predictability.png`, from
# `plots/bnsl.py`) and carries two rows of checks: $d_1$ located with the margin (truth 612.5836, route
# `fit`) and the horizon's noise slope against the closed form (route `solver`).
#
# So $x_h$ is an upper bound on where a break can be located: the fits never located a break beyond
# it, and located it reliably only well inside it (locating $c$, $d$ and $f$ separately asks more of
# the data than detecting that something bends). `fit --break-margin M` is the knob that lets a fit
# try: it trades the default's robustness (no break the data cannot place decides the extrapolation;
# Revisiting BB, one break: 0.0092 by default, 0.0171 with breaks one decade beyond the data, §8.1) for
# reach (the noiseless addition at the cut 405: 1.4 by default, 3e-10 with the margin).

# %%
xs_nl = np.arange(1.0, 406.0)
form1 = BNSL(1)
ys_nl = form1.predict(form1.theta_from_params(bnsl.NOISELESS_PARAMS), xs_nl)
margin_fit = fit(xs_nl, ys_nl, breaks=1, break_margin=1.0, interval=None)
assert abs(margin_fit.params["d1"] / bnsl.NOISELESS_PARAMS["d1"] - 1) < 1e-6
print(f"noiseless addition, x <= 405, break_margin=1: d1 = {margin_fit.params['d1']:.7g} "
      f"(truth {bnsl.NOISELESS_PARAMS['d1']:.7g})")
