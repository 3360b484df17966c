# %% [markdown]
# # Random-feature dynamical model: derivations and checks
#
# Bordelon, Atanasov & Pehlevan, *A Dynamical Model of Neural Scaling Laws*, ICML 2024
# (arXiv:2402.01092). Modes $\lambda_k=k^{-\alpha}$, target power
# $\lambda_k w_k^{*2}=k^{-(\alpha\beta+1)}$ (paper Eq. 13 with $b=\alpha$, $a=1+\alpha\beta$),
# student $f=N^{-1/2}w\cdot A\psi$, gradient flow from $w=0$ on $P$ samples (or online).
#
# Every closed form of `scalingtheory.models.random_features` is derived here, then checked
# against independent routes: the deterministic-equivalent solver (`numerics/dmft.py`,
# discrete mode sums), and exact finite-size simulations (`numerics/rf_exact.py`).
#
# **Finding.** The published summary has the width and data bottlenecks symmetric,
# $N^{-\min(a-1,2b)}$ and $P^{-\min(a-1,2b)}$. The data law holds. The width law holds only
# for $\beta<1$: the test loss of one model carries the variance over the projection $A$,
# which decays as $N^{-\alpha}$ once $\beta>1$, so $r_N=\alpha\min(\beta,1)=\min(a-1,b)$.
# $N^{-\alpha\min(\beta,2)}$ is the decay of the *mean-predictor bias* (paper Eq. 19).
# For $\beta>1$ the compute-optimal rule is set by the time term and a finite-width transient
# $N^{-1}t^{-(1-1/\alpha)}$, giving $L^*\sim C^{-\alpha\beta/(1+\alpha\beta)}$.

# %%
import time

import numpy as np
import sympy as sp

from scalingtheory.models import random_features as rf  # noqa: E402
from scalingtheory.models.random_features import MODEL  # noqa: E402
from scalingtheory.numerics._shared import blas_threads  # noqa: E402
from scalingtheory.numerics.dmft import DMFT  # noqa: E402
from scalingtheory.numerics.rf_exact import draw, simulate  # noqa: E402
from scalingtheory.symbols import N, P, alpha, beta, t  # noqa: E402
from scalingtheory.symbols import a_rf as a, b_rf as b  # noqa: E402  (printed a_RF, b_RF)

START = time.time()
k, y, rho, z = sp.symbols("k y rho z", positive=True)

# %% [markdown]
# ## 1. Time bottleneck ($N, P=\infty$)
#
# Each mode relaxes as $e^{-\lambda_k t}$, so $L(t)=\sum_k\lambda_kw_k^2e^{-2\lambda_kt}$.
# Replacing the sum by an integral (the modes near $k_*\sim t^{1/\alpha}$ dominate):

# %%
L_time = sp.integrate(k ** (-(alpha * beta + 1)) * sp.exp(-2 * t * k ** (-alpha)), (k, 0, sp.oo), conds="none")
L_time = sp.simplify(L_time)
assert sp.simplify(L_time / (rf.prefactor_time() * t ** (-beta)) - 1) == 0
L_time

# %% [markdown]
# No cap: the exponential filter removes high modes faster than any power.
#
# ## 2. The self-consistency and the number of learned modes
#
# With $\mathrm{df}(\rho)=\sum_k\lambda_k/(\lambda_k+\rho)$ the renormalised ridge solves
# $z=\rho(1-\mathrm{df}/N)(1-\mathrm{df}/P)$ (paper Eq. 11 in scalar form). For small $\rho$:

# %%
df_cont = sp.simplify(sp.integrate(1 / (1 + rho * k ** alpha), (k, 0, sp.oo), conds="none"))
assert sp.simplify(df_cont / (rf.C1 * rho ** (-1 / alpha)) - 1) == 0
df_cont

# %% [markdown]
# so $\mathrm{df}(\rho_0)=n$ gives $\rho_0\simeq(c_1/n)^\alpha$ with $c_1=\pi/(\alpha\sin(\pi/\alpha))$.
#
# ## 3. Width bottleneck ($t, P=\infty$): projection variance, not bias
#
# Condition on $A$: the student features $\phi=A\psi/\sqrt N$ have covariance
# $\Sigma_F=A\Lambda A^\top/N$; the best width-$N$ predictor leaves the error
# $\sigma^2=L_0-b^\top\Sigma_F^{-1}b$, $b=A\Lambda w^*/\sqrt N$. Push-through and the one-point
# equivalent $(\Lambda^{1/2}A^\top A\Lambda^{1/2}/N+\kappa)^{-1}\simeq(\rho/\kappa)(\Lambda+\rho)^{-1}$,
# $\kappa=\rho(1-\mathrm{df}/N)\to0$, give
#
# $$\sigma^2(N)=\sum_k\lambda_kw_k^2\,\frac{\rho_0}{\lambda_k+\rho_0},\qquad
#   B(\infty,N)=\sum_k\lambda_kw_k^2\,\frac{\rho_0^2}{(\lambda_k+\rho_0)^2}\ \text{(mean predictor, Eq. 19)}.$$
#
# The loss is *linear* in $\rho_0$; the bias is quadratic. Hard case ($\beta<1$, continuum):

# %%
mellin = sp.integrate(y ** (-beta) / (1 + y), (y, 0, sp.oo), conds="none")   # x = k rho^(1/alpha), y = x^-alpha
sigma2_hard = rf.C1 ** (alpha * beta) * N ** (-alpha * beta) * mellin / alpha
assert sp.simplify(sigma2_hard / (rf.prefactor_width(regime="hard") * N ** (-alpha * beta)) - 1) == 0
sigma2_hard

# %% [markdown]
# For $\beta>1$ the sum $\sum_k\lambda_kw_k^2/\lambda_k=\sum_kw_k^2=\zeta(\alpha(\beta-1)+1)$
# (the RKHS norm) converges, so $\sigma^2\simeq\rho_0\|w^*\|^2\propto N^{-\alpha}$: the width
# exponent saturates at $\alpha$, while the bias saturates only at $2\alpha$ ($\beta>2$).

# %%
rN_loss = rf.width_exponent()
rN_bias = alpha * sp.Min(beta, 2)
ab = {alpha: b, beta: (a - 1) / b}
(sp.simplify(rN_loss.subs(ab)), sp.simplify(rN_bias.subs(ab)))

# %% [markdown]
# ## 4. Data bottleneck ($t, N=\infty$): ridgeless regression
#
# The data average gives the classical $L=\mathcal B/(1-\gamma)$,
# $\mathcal B=\sum_k\lambda_kw_k^2\kappa^2/(\lambda_k+\kappa)^2$,
# $\gamma=\frac1P\sum_k\lambda_k^2/(\lambda_k+\kappa)^2$, $\mathrm{df}(\kappa)=P$. In the continuum
# $\gamma\to1-1/\alpha$ and $\mathcal B\to\kappa^\beta\Gamma(\beta)\Gamma(2-\beta)/\alpha$:

# %%
gamma_int = sp.integrate(1 / (1 + rho * k ** alpha) ** 2, (k, 0, sp.oo), conds="none")
gamma_limit = sp.simplify(gamma_int / df_cont)          # gamma = (1/P) * that, with P = df
assert sp.simplify(gamma_limit - (1 - 1 / alpha)) == 0
bias_int = sp.integrate(y ** (1 - beta) / (1 + y) ** 2, (y, 0, sp.oo), conds="none") / alpha
L_data = sp.simplify(rf.C1 ** (alpha * beta) * P ** (-alpha * beta) * bias_int / (1 - gamma_limit))
assert sp.simplify(L_data / (rf.prefactor_data(regime="hard") * P ** (-alpha * beta)) - 1) == 0
L_data

# %% [markdown]
# For $\beta>2$, $\mathcal B\simeq\kappa^2\sum_kw_k^2/\lambda_k$ gives $P^{-2\alpha}$: the data
# exponent is $\alpha\min(\beta,2)=\min(a-1,2b)$ as published.
#
# ## 5. Full test loss at finite $N$ and $P$ (the DMFT solver)
#
# Conditioning on $A$ turns the problem into linear regression on $\phi$ with target
# $\theta=\Sigma_F^{-1}b$ and independent "label noise" of variance $\sigma^2$. The data average
# of the two-time error (two-point resolvent equivalents) is
# $zz'\hat L=(\kappa\kappa'\theta^\top\Sigma_FGG'\theta+\sigma^2\gamma)/(1-\gamma)$ with
# $G=(\Sigma_F+\kappa)^{-1}$, $\gamma=\frac1P\mathrm{tr}\,\Sigma_F^2GG'$. Partial fractions reduce every
# trace to one-point functions of $\Sigma_F$, whose $A$-averages are those of Sec. 3:
# $\gamma=\frac1P(\kappa'\mathrm{df}'-\kappa\mathrm{df})/(\kappa'-\kappa)$ and
# $\kappa\kappa'\theta^\top\Sigma_FGG'\theta=(\kappa r'-\kappa'r)/(\kappa-\kappa')-\sigma^2$ with
# $r=\sum_k\lambda_kw_k^2\rho/(\lambda_k+\rho)$. SymPy checks the two partial-fraction identities:

# %%
s_, k1, k2 = sp.symbols("s kappa kappa'", positive=True)
assert sp.simplify(s_ ** 2 / ((s_ + k1) * (s_ + k2))
                   - (k2 * s_ / (s_ + k2) - k1 * s_ / (s_ + k1)) / (k2 - k1)) == 0
assert sp.simplify(1 / (s_ * (s_ + k1) * (s_ + k2))
                   - (1 / (k1 * k2 * s_) + 1 / (k1 * (k1 - k2) * (s_ + k1))
                      + 1 / (k2 * (k2 - k1) * (s_ + k2)))) == 0

# %% [markdown]
# The exact solver is the independent check (digest Sec. 4 setting: $M=600$, $b=1.5$, $a=2$;
# ridge $z=10^{-3}$ is the static limit, loss curves the dynamics). The deterministic equivalent is
# exact up to $O(1/N+1/P)$ relative corrections, so the loss curves must agree within the 95 % CI of
# the 12 draws plus `FINITE_SIZE` $(1/N+1/P)$ relative, the one allowance of the model's checks, of the
# report and of `tests/test_random_features_dmft.py` (`rf.FINITE_SIZE`; these 12-draw curves use at
# most 0.35 of it here, 0.53 in the tests):

# %%
kk = np.arange(1, 601.0)
lam6, w6 = kk ** -1.5, np.sqrt(kk ** -2.0 / kk ** -1.5)
with blas_threads(1):
    for NN, PP in [(100, 250), (400, 80), (150, None), (None, 150)]:
        sims = [draw(lam6, w6, NN, PP, rng=s).ridge_loss(1e-3)[0] for s in range(16)]
        theory = DMFT(lam6, w6, NN, PP).ridge_loss(1e-3)[0]
        m, sd = np.mean(sims), np.std(sims, ddof=1) / 4
        print(f"ridge N={NN} P={PP}: DMFT {theory:.5f}  exact {m:.5f} +- {sd:.5f}")
        assert abs(theory - m) < 3 * sd

    t_grid = np.array([1.0, 100.0, 1e4])
    sim = simulate(lam6, w6, 120, 200, t_grid, seeds=range(3, 15))
    th = DMFT(lam6, w6, 120, 200)
    print("test  DMFT", th.test_loss(t_grid).round(5), "exact", sim.test_mean.round(5), "95% CI", np.round(sim.test_ci, 5))
    print("train DMFT", th.train_loss(t_grid).round(5), "exact", sim.train_mean.round(5))
    finite = rf.FINITE_SIZE * (1 / 120 + 1 / 200)
    assert np.all(np.abs(th.test_loss(t_grid) - sim.test_mean)
                  < (sim.test_ci[1] - sim.test_ci[0]) / 2 + finite * th.test_loss(t_grid))

# %% [markdown]
# ## 6. Finite-width transient
#
# Online, the loss is $\hat L(z,z')=[z\,r(\rho')-z'r(\rho)]/[(z-z')zz']$ with $z=\rho(1-\mathrm{df}/N)$.
# To first order $\rho\simeq z(1+\mathrm{df}(z)/N)$, so
# $\delta\hat L=-[q(z)-q(z')]/[N(z-z')]$, $q=r'(z)\,\mathrm{df}(z)$. For $\beta>1$,
# $r'(0)=\|w^*\|^2$ is finite and $q\simeq\|w^*\|^2\mathrm{df}(z)$, whose divided difference inverts to
# $\delta L(t)\simeq\|w^*\|^2N^{-1}\sum_k\lambda_ke^{-2\lambda_kt}$:

# %%
transient = sp.zeta(alpha * (beta - 1) + 1) * sp.simplify(
    sp.integrate(k ** (-alpha) * sp.exp(-2 * t * k ** (-alpha)), (k, 0, sp.oo), conds="none"))
assert sp.simplify(transient / (rf.prefactor_transient() * t ** (-rf.transient_exponent())) - 1) == 0
transient

# %% [markdown]
# Exact simulations (online, $\alpha=2$, $\beta=3/2$, $M=4000$, 16 draws): $N\,\delta L$ is
# independent of $N$ and matches the DMFT and the closed form.

# %%
lam_t, w_t = MODEL.task(2, sp.Rational(3, 2), 4000)
t_tr = np.array([30.0, 100.0])
L_inf_t = (lam_t * w_t ** 2 * np.exp(-2 * np.outer(t_tr, lam_t))).sum(axis=1)
closed = float(rf.prefactor_transient(2, sp.Rational(3, 2))) * t_tr ** -0.5
with blas_threads(1):
    for n in (100, 200, 400):
        sim = simulate(lam_t, w_t, n, None, t_tr, seeds=range(16))
        exact_NdL = (sim.test_mean - L_inf_t) * n
        dmft_NdL = (DMFT(lam_t, w_t, n, None).test_loss(t_tr) - L_inf_t) * n
        print(f"N={n}: N dL exact {exact_NdL.round(4)} 95% CI {np.round(np.multiply(sim.test_ci, n), 4)}, "
              f"DMFT {dmft_NdL.round(4)}, closed form {closed.round(4)}")
        assert np.all(np.abs(exact_NdL - dmft_NdL) < (sim.test_ci[1] - sim.test_ci[0]) / 2 * n + 0.1 * dmft_NdL)
        assert np.all(np.abs(dmft_NdL / closed - 1) < 0.2)

# %% [markdown]
# (For $\beta<1$ the same expansion gives $N^{-1}t^{-(\beta-1/\alpha)}$, which balances at the
# same compute-optimal vertex as the other terms and changes no exponent.)
#
# ## 7. Scaling law and compute-optimal rule ($C=Nt$)
#
# The power-law algebra (`ScalingLaw.compute_optimal`) on the verified terms, per regime:

# %%
rows = {}
for name in ("hard", "easy", "super-easy"):
    res = MODEL.analyze(regime=name)
    rows[name] = (res.exponents["t"].expr, res.exponents["N"].expr, res.exponents["P"].expr,
                  res.compute_optimal.allocation["N"].expr, res.compute_optimal.allocation["t"].expr,
                  res.compute_optimal.loss.expr)
    print(name, rows[name])
# the general Min forms reduce to the regime laws
for name, bval in (("hard", sp.Rational(1, 2)), ("easy", sp.Rational(3, 2)), ("super-easy", 3)):
    assert rows[name][1].subs(beta, bval) == rf.width_exponent(alpha, bval)
    assert rows[name][2].subs(beta, bval) == rf.data_exponent(alpha, bval)
assert sp.simplify(rows["hard"][5] - alpha * beta / (1 + alpha)) == 0          # published Eq. 17 (beta < 1)
assert sp.simplify(rows["easy"][5] - alpha * beta / (1 + alpha * beta)) == 0   # this work (beta > 1)
# the published rule (digest Eq. 17) follows from its law by the same algebra
published = rf.published_law(2, sp.Rational(3, 2)).compute_optimal(N * t)
print("published L* exponent at (alpha, beta) = (2, 3/2):", published.loss_exponent,
      " this work:", rows["easy"][5].subs({alpha: 2, beta: sp.Rational(3, 2)}))
assert published.loss_exponent == 1                    # digest Sec. 3: (a-1) m / (a-1+bm) at a=4, b=2

# %% [markdown]
# ## 8. Exponents by exact simulation (two decades of $N$ and of $P$)
#
# $t\to\infty$ ($t=10^{13}$), exact draws, $M=3000$ modes; slopes fitted over $N,P\in[25,800]$
# and compared with the DMFT at the same $M$ (finite-$M$ reference) and with the closed forms.
# The loss of one narrow draw is heavy-tailed (relative s.d. 0.9 at $N=25$, 0.07 at $N=800$), so
# the number of draws falls as $2400/N$ (96 at $N=25$, 3 at $N=800$): similar standard errors.

# %%
fit = lambda xs, ys: -np.polyfit(np.log(xs), np.log(ys), 1)[0]  # noqa: E731
Mx = 3000
sizes = np.array([25, 80, 250, 800])
measured = {}
with blas_threads(1):
    for al, be in [(1.5, 0.5), (2.0, 1.5), (1.5, 3.0)]:
        lam, w = MODEL.task(sp.nsimplify(al), sp.nsimplify(be), Mx)
        LN = [simulate(lam, w, int(n), None, [1e13], seeds=range(2400 // n)).test_mean[0] for n in sizes]
        LP = [simulate(lam, w, None, int(n), [1e13], seeds=range(2400 // n, 4800 // n)).test_mean[0]
              for n in sizes]
        DN = [DMFT(lam, w, n, None).sigma2 for n in sizes]
        big = MODEL.dmft(sp.nsimplify(al), sp.nsimplify(be), M=300_000)
        rho0 = [big._root_real(n) for n in sizes]
        DN_big = [DMFT(big.lam, big.w, n, None).sigma2 for n in sizes]
        bias_big = [np.sum(big.power * r ** 2 / (big.lam + r) ** 2) for r in rho0]
        measured[(al, be)] = (fit(sizes, LN), fit(sizes, LP), fit(sizes, DN), fit(sizes, DN_big),
                              fit(sizes, bias_big))
        print(f"alpha={al} beta={be}: r_N exact {fit(sizes, LN):.3f} (DMFT M=3e3 {fit(sizes, DN):.3f}, "
              f"M=3e5 {fit(sizes, DN_big):.3f}; alpha min(beta,1) = {al * min(be, 1)}; published "
              f"{al * min(be, 2)}; mean-predictor bias {fit(sizes, bias_big):.3f}) | "
              f"r_P exact {fit(sizes, LP):.3f} (alpha min(beta,2) = {al * min(be, 2)})")
for (al, be), (rn, rp, rn_dmft, rn_big, rb) in measured.items():
    assert abs(rn - rn_dmft) < 0.08                               # exact = theory at the same M
    assert abs(rn_big - al * min(be, 1)) < 0.05 * al * min(be, 1)  # M -> oo: the closed form
    # finite M = 3000 shifts r_N (DMFT at M = 3e3 vs 3e5: +0.12 at alpha = 1.5, beta = 1/2): the exact
    # slope meets the closed form up to the DMFT's finite-M shift and the 0.08 of sampling noise
    assert abs(rn - al * min(be, 1)) < abs(rn_dmft - al * min(be, 1)) + 0.08
    assert abs(rp - al * min(be, 2)) < 0.15 * al * min(be, 2)
    assert abs(rb - al * min(be, 2)) < 0.05 * al * min(be, 2)     # the published law is the bias's
    if be > 1:      # the published symmetric width law is excluded for the loss
        assert abs(rn - al * min(be, 2)) > 0.3 * al

# %% [markdown]
# ## 9. Prefactors (DMFT mode sums, $M=3\cdot10^5$) and the numerical compute-optimal rule

# %%
for al, be in [(1.5, 0.5), (2.0, 1.5)]:
    reg = rf.classify(sp.nsimplify(al), sp.nsimplify(be))
    lam, w = MODEL.task(sp.nsimplify(al), sp.nsimplify(be), 300_000)
    n = 400.0
    ratios = [float(((lam * w * w) * np.exp(-2 * lam * 1e3)).sum() / (rf.prefactor_time(al, be) * 1e3 ** -be)),
              DMFT(lam, w, n, None).sigma2 / float(rf.prefactor_width(al, be, reg) * n ** -(al * min(be, 1))),
              DMFT(lam, w, None, n).ridge_loss(1e-15)[0]
              / float(rf.prefactor_data(al, be, reg) * n ** -(al * min(be, 2)))]
    print(f"alpha={al} beta={be}: (numeric / closed form) for A_t, A_N, A_P:", np.round(ratios, 4))
    assert np.all(np.abs(np.array(ratios) - 1) < 0.05)

C = np.logspace(3, 6, 4)
for al, be in [(1.5, 0.5), (2.0, 1.5)]:
    Ns, Ls = MODEL.compute_optimal_numeric(al, be, C, M=20_000)
    slope_N = np.polyfit(np.log(C), np.log(Ns), 1)[0]
    slope_L = -np.polyfit(np.log(C), np.log(Ls), 1)[0]
    co = MODEL.analyze(alpha=sp.nsimplify(al), beta=sp.nsimplify(be)).compute_optimal
    print(f"alpha={al} beta={be}: N* slope {slope_N:.3f} (theory {float(co.allocation['N'].expr):.3f}), "
          f"L* slope {slope_L:.3f} (theory {float(co.loss.expr):.3f})")
    assert abs(slope_N - float(co.allocation["N"].expr)) < 0.04
    assert abs(slope_L - float(co.loss.expr)) < 0.04

print(f"derivation checks passed in {time.time() - START:.1f} s")
