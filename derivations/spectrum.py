# %% [markdown]
# # From a data set to its exponents: the spectrum estimator
#
# Every model of the toolkit is parameterised by a capacity $\alpha$ and a source $\beta$
# (`scalingtheory.spectra`, Bordelon, Atanasov & Pehlevan 2025, Eq. 6):
#
# $$\lambda_k\sim k^{-\alpha},\qquad p_k=\lambda_k w_k^2\sim k^{-(\alpha\beta+1)},\qquad
#   \sum_{k>n}p_k\sim n^{-\alpha\beta}.$$
#
# `st.spectrum(X, y, kernel)` reads them off a data set; this document derives the
# estimator, explains the fitting ranges, shows what a finite sample does to the tail,
# and runs the comparison of predicted and measured exponents on the packaged digits.
# Each claim is checked numerically below (assertions), on Gram matrices whose spectrum
# is known by construction.

# %%
import numpy as np

from scalingtheory.spectra import PowerLawSpectrum
from scalingtheory.spectrum.datasets import load_teacher
from scalingtheory.spectrum.estimate import (RANGE_SPAN, RANGE_TOP, binned_slope, eigensystem,
                                             fitting_ranges, spectrum)
from scalingtheory.spectrum.kernels import gram

rng = np.random.default_rng(0)


def known_gram(n, alpha, beta, outputs=10, noise=0.0):
    """K = n U diag(k^-alpha) U^T on Haar-random U; targets with p_k = k^-(alpha beta+1) x chi-square."""
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    k = np.arange(1, n + 1.0)
    K = n * (U * k ** -alpha) @ U.T
    Y = U @ (np.sqrt(n * k ** -(alpha * beta + 1))[:, None] * rng.standard_normal((n, outputs)))
    return (K + K.T) / 2, Y + np.sqrt(noise) * rng.standard_normal(Y.shape)

# %% [markdown]
# ## 1. The estimator
#
# For a kernel with Mercer expansion $K(x,x')=\sum_k\lambda_k\phi_k(x)\phi_k(x')$
# ($\phi_k$ orthonormal under the data distribution), the Gram matrix on $n$ samples is
# $K_{ij}\approx\sum_k\lambda_k\phi_k(x_i)\phi_k(x_j)$ and, since
# $\frac1n\sum_i\phi_k(x_i)\phi_l(x_i)\to\delta_{kl}$, its eigenpairs approach
# $\mu_k/n\to\lambda_k$ and $u_{k,i}\to\phi_k(x_i)/\sqrt n$. A target
# $y=\sum_k \sqrt{\lambda_k}w_k\phi_k$ then has
#
# $$\hat p_k=\frac{(u_k^\top y)^2}{n}\to\lambda_k w_k^2,\qquad \sum_{k=1}^n\hat p_k=\frac1n\sum_i y_i^2 .$$
#
# The toolkit centres both sides: $y\to y-\bar y$ and $K\to HKH$ with
# $H=I-\mathbf 1\mathbf 1^\top/n$ (as kernel PCA does). The learning curves fit the mean
# separately, so their exponents do not move when a constant is added to $y$; without
# centring $\beta$ did (breast cancer: 0.235 for the 0/1 labels, 0.575 for $y+5$), and
# centring $y$ alone spreads the mean over every mode whose eigenvector is not orthogonal to
# $\mathbf 1$. Then $\sum_k\hat p_k$ is the target variance, the unit of the noise fraction.
# With several outputs (one-hot classes) $\hat p_k$ is the mean over outputs. On a Gram
# matrix built from a known spectrum the estimator returns it to within the rank-one
# centring, and Parseval holds to rounding:

# %%
K, Y = known_gram(400, 2.0, 0.75)
lam, p = eigensystem(K, Y)
assert np.allclose(lam[:50], np.arange(1, 51.0) ** -2.0, rtol=0.05)
assert np.isclose(p.sum(), Y.var(axis=0).mean())
print("lambda_1..3 =", lam[:3].round(4), "  sum p_k / var y =", round(p.sum() / Y.var(axis=0).mean(), 12))

# %% [markdown]
# $\alpha$ is minus the log-log slope of $\hat\lambda_k$; $\alpha\beta+1$ is minus the
# slope of $\hat p_k$. One target's $\hat p_k$ scatter like $\chi^2$ variables about the
# law, so the fit uses averages over logarithmic bins (8 per decade), weighted by the
# number of modes per bin (the inverse variance of a bin's log-average).

# %%
est = spectrum(y=Y, gram=K, kernel="known", bootstrap=6)
print(est)
assert est.alpha.ci[0] <= 2.0 <= est.alpha.ci[1] and est.beta.ci[0] <= 0.75 <= est.beta.ci[1]

# %% [markdown]
# ## 2. Why the ranges
#
# *Top, $k_{hi}=n/10$.* The empirical eigenvalues follow the population ones only for
# $k\ll n$: the Gram matrix of $n$ points cannot resolve modes whose eigenfunctions vary
# on scales finer than the sample spacing. On the linear teacher (population spectrum
# exactly $k^{-3/2}$, data in $D=2n$ dimensions) the ratio $\hat\lambda_k/\lambda_k$
# (normalised at $k=1$) drifts away once $k$ is a sizeable fraction of $n$:

# %%
n = 800
X, Yt, info = load_teacher(n=n)
lam_t, p_t = eigensystem(gram(X, "linear"), Yt)
ratio = lam_t / lam_t[0] / np.arange(1, n + 1.0) ** -info["alpha"]
for k in (n // 40, n // 10, n // 4, n // 2):
    print(f"k = {k:4d} (n/{n // k:2d}): empirical / population eigenvalue = {ratio[k - 1]:.3f}")
assert abs(np.log(ratio[n // 10 - 1] / ratio[n // 40 - 1])) < abs(np.log(ratio[n // 2 - 1] / ratio[n // 10 - 1]))

# %% [markdown]
# The local slope between $n/40$ and $n/10$ is still the population's; beyond $n/10$ it
# bends (the spectrum of a finite sample of a $D$-dimensional Gaussian is a
# Marchenko--Pastur-deformed version of the population one). *Bottom,
# $k_{lo}=\max(2,k_{hi}/30)$*: the first modes carry the data's coarse structure (for a
# translation-invariant kernel the first one is nearly the constant), and 1.5 decades is
# what $n\approx2000$ affords. The rule is stated before looking at a data set, and the
# intervals include what moving either end by a factor 2 changes.

# %%
print("nominal ranges on n = 1797:", fitting_ranges(1797)[0], f"(n/{RANGE_TOP}, /{RANGE_SPAN})")
slope_in, _ = binned_slope(lam_t, *fitting_ranges(n)[0])
slope_out, _ = binned_slope(lam_t, n // 4, n // 2)
print(f"teacher alpha: {-slope_in:.3f} in the range, {-slope_out:.3f} on modes n/4..n/2 (truth 1.5)")
assert abs(-slope_in - 1.5) < abs(-slope_out - 1.5)

# %% [markdown]
# ## 3. What finite n does to the tail
#
# **Truncation.** The empirical tail $\hat T(k)=\sum_{k<j\le n}\hat p_j$ stops at $n$:
# $\hat T(k)\approx T(k)-T(n)$, so its log-log slope is biased by the factor
# $1-(k/n)^{\alpha\beta}$, large when $\alpha\beta$ is small. That is why $\beta$ is fitted
# on the per-mode power, not on the tail sum. With $\alpha\beta=0.3$ (a value typical of
# real data: digits gives about 0.5):

# %%
spec = PowerLawSpectrum("3/2", "1/5")                 # alpha beta = 3/10
p_true = spec.target_power_array(n)
tail = np.cumsum(p_true[::-1])[::-1]                  # sum_{j >= k} p_j, truncated at n
k_lo, k_hi = fitting_ranges(n)[0]
tail_rate = -binned_slope(tail, k_lo, k_hi)[0]
mode_rate = -binned_slope(p_true, k_lo, k_hi)[0] - 1
print(f"alpha beta = 0.3: truncated tail gives {tail_rate:.3f}, per-mode power gives {mode_rate:.3f}")
assert abs(mode_rate - 0.3) < 0.01 < abs(tail_rate - 0.3)

# %% [markdown]
# **Label noise.** Noise of variance $\sigma^2$ is white in any orthonormal basis: it adds
# $\sigma^2/n$ to every $\hat p_k$, so the power flattens where the signal $k^{-(\alpha\beta+1)}$
# falls below it. The estimator takes the floor as the median of $\hat p_k$ over
# $k>n/2$ ($\hat\sigma^2=n\cdot$floor; without noise this is an upper bound set by the
# signal's own tail) and stops $\beta$'s range at half the mode where the binned power
# falls below three times the floor:

# %%
K, Y = known_gram(600, 2.0, 1.0, noise=0.02)
est = spectrum(y=Y, gram=K, kernel="known", bootstrap=6)
print(f"sigma^2 = 0.02: estimated {est.noise['sigma2']:.4f}, flattening near mode {est.noise['k_flat']:.0f}, "
      f"beta range {est.beta.range}, beta = {est.beta.value:.3f} {tuple(round(v, 3) for v in est.beta.ci)}")
assert 0.014 < est.noise["sigma2"] < 0.03 and est.beta.ci[0] <= 1.0 <= est.beta.ci[1]

# %% [markdown]
# **Sampling.** The bootstrap draws subsamples of $0.8n$ points *without* replacement: a
# resample with repeated rows would put exact duplicates into the Gram matrix, each adding
# a spurious zero mode. The interval is the union over the nine ranges of the bootstrap
# 95% percentiles and of the 95% regression box of $(\alpha,\alpha\beta+1)$; on 40 Gram
# matrices with known spectra (four $(\alpha,\beta)$, ten seeds, $n=800$) every interval
# held the truth -- the union is conservative.
#
# ## 4. Predictions and measurements on digits
#
# `scalingtheory.spectrum.predict` takes the exponents from the random-feature model
# (kernel regression is its $N,t\to\infty$ limit): $r_P=\alpha\min(\beta,2)$, the width
# exponent $\alpha\min(\beta,1)$, the time exponent $\beta$ and the compute-optimal rule,
# each evaluated at the bootstrap pairs and regression corners. With label noise and an
# optimally tuned ridge the ridge sets a number $X$ of learned modes, bias $X^{-r_P}$ and
# variance $\sigma^2X/P$; with $Y=P/X$ the toolkit's power-law algebra minimises
# $X^{-r_P}+Y^{-1}$ at fixed $P=XY$ and returns $r_P/(1+r_P)$ (Cui et al. 2021).
#
# The measured side fits kernel ridge regression (ridge $10^{-8}$ of the mean diagonal)
# at eight $P$ from $P_{max}/32$ to $P_{max}$ and random-feature regression at eight $N$ up
# to $P_{max}/4$, five seeded splits each.

# %%
from scalingtheory.spectrum.compare import theory_meets_data
from scalingtheory.spectrum.datasets import load_digits

Xd, Yd, _ = load_digits()
res = theory_meets_data(Xd, Yd, "rbf", dataset="digits", n_max=900, bootstrap=8, repeats=3)
print(res.report())
for key, v in res.verdicts.items():
    print(f"{key}: {v['verdict']}")

# %% [markdown]
# ## 5. Honest limits
#
# On the full digits set (1797 images, RBF kernel at the median bandwidth; the CLI's
# default; target and kernel centred) the spectrum gives $\alpha=1.64\,[1.44,1.70]$,
# $\beta=0.31\,[0.07,0.41]$; the predicted data exponent $0.51\,[0.11,0.69]$ and the measured
# $0.52\,[0.50,0.55]$ overlap, and so do the width exponents (predicted $0.51$, measured
# $0.46\,[0.43,0.49]$), but the verdict is *inconclusive*: the prediction spans a factor 6,
# more than the factor 3 beyond which the toolkit's rule (`scalingtheory.verdict`) calls an
# interval too wide to decide (before that rule, overlapping intervals were printed as *agree*).
# The predicted interval is wide because the fitting range's lower end moves $\beta$ from
# 0.07 to 0.41; the point values lie within 0.06 of each other, which the rule does not
# count. At $n=700$ (the example's `--quick`) the intervals span almost $[0, 0.85]$. The spectral side is the
# less stable one: on 900 of the images (section 4) the point value of $\alpha\beta$ is
# 0.32 against 0.51 on all 1797, while the measured exponent stays at 0.52--0.54 -- the
# binned target power is not yet a clean power law over modes $n/300..n/10$ at these $n$
# (a pre-asymptotic spectrum), which the range sensitivity in the interval reflects.
# Agreement is not guaranteed and is never forced: the ranges are fixed by the rule above
# and the verdict says *disagree* when the intervals do not overlap, naming the likely
# cause found in the data -- label noise (the tiny-ridge curve bends toward the noise
# level; compare `P_noisy`), a pre-asymptotic range (the local slope drifts by more than
# 20% across the measured sizes), the finite-$P$ floor of the width curve, else the
# kernel's bandwidth and the part of the spectrum beyond mode $n/10$ that $n$ samples do not
# show. The lower ends of the intervals are wide on digits because moving the bottom of the
# range to mode 3 lets the first, coarse-structure modes in: the range sensitivity is
# reported, not hidden. The linear kernel on digits is degenerate (rank 64): its ranges are
# capped at half the rank and its estimate is not meaningful for the models.
