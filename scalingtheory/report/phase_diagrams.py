r"""Figures and theory-vs-numerics checks of the feature-learning model.

* :func:`phase_diagram` -- the :math:`(\alpha, \beta)` plane for lazy or rich training,
  coloured by the compute-optimal loss exponent :math:`r_C` (:math:`L^*\sim C^{-r_C}`),
  with the regime boundaries :math:`\beta = 1` and :math:`\beta = 2 - 1/\alpha` (paper Fig. 1b,c).
  Colours are computed from the model's exact symbolic :math:`r_C` of each regime through
  :func:`sympy.lambdify`, never from retyped formulas.
* :func:`chi_plot` -- :math:`\chi(\beta)` lazy vs rich (paper Fig. 1a, Eq. 10), with local
  slopes measured on the mean-field solution.
* :func:`feature_learning_figures` / :func:`feature_learning_agreement` -- what
  ``scalingtheory plot`` and the report call through the model.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import sympy as sp

from ..symbols import alpha, beta, t

ALPHA_RANGE = (1.02, 4.0)
BETA_RANGE = (0.02, 3.0)


@functools.lru_cache(maxsize=None)
def exponent_functions(model, training: str, quantity: str = "loss"):
    """``{regime: f(alpha, beta)}`` numeric functions of the symbolic compute-optimal exponent.

    ``quantity`` is ``"loss"`` (``r_C``) or a resource name of the allocation (``"N"``, ``"t"``).
    Cached: the symbolic analysis of a regime takes seconds.
    """
    out = {}
    for regime in ("hard", "easy", "super-easy"):
        co = model.analyze(task=regime, training=training).compute_optimal
        expr = co.loss.expr if quantity == "loss" else co.allocation[quantity].expr
        out[regime] = sp.lambdify((alpha, beta), expr, "numpy")
    return out


def exponent_grid(model, training: str, alphas: np.ndarray, betas: np.ndarray, quantity: str = "loss"):
    """``r_C`` (or an allocation exponent) on the grid ``betas x alphas`` (rows: beta)."""
    A, Bt = np.meshgrid(alphas, betas)
    funcs = exponent_functions(model, training, quantity)
    top = 2 - 1 / A
    out = np.where(Bt <= 1, funcs["hard"](A, Bt) * np.ones_like(A), np.nan)
    out = np.where((Bt > 1) & (Bt <= top), funcs["easy"](A, Bt) * np.ones_like(A), out)
    return np.where(Bt > top, funcs["super-easy"](A, Bt) * np.ones_like(A), out)


def phase_diagram(model, training: str, path: Path, n: int = 120, vmax: float | None = None) -> Path:
    """Write the (alpha, beta) phase diagram of ``training`` (lazy or rich) to ``path``."""
    from matplotlib.figure import Figure

    alphas = np.linspace(*ALPHA_RANGE, n)
    betas = np.linspace(*BETA_RANGE, n)
    grid = exponent_grid(model, training, alphas, betas)
    fig = Figure(figsize=(5.4, 4.2), layout="constrained")
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(alphas, betas, grid, shading="auto", cmap="viridis", vmin=0, vmax=vmax)
    fig.colorbar(mesh, ax=ax, label=r"compute-optimal exponent $r_C$ ($L^*\sim C^{-r_C}$)")
    ax.plot(alphas, np.ones_like(alphas), "w-", lw=1.5)
    ax.plot(alphas, 2 - 1 / alphas, "w--", lw=1.5)
    labels = {"hard": (2.8, 0.5), "easy": (3.0, 1.33), "super-easy": (2.6, 2.45)}
    for name, (x, y) in labels.items():
        p = model.validate(alpha=sp.Rational(x).limit_denominator(10), beta=sp.Rational(y).limit_denominator(10))
        arrow = "\n→ ".join(s.split(" (")[0] for s in model.dominance(p, model.regime(p)))
        ax.text(x, y, f"{name}\n{arrow}", color="w", ha="center", va="center", fontsize=7)
    ax.set_xlabel(r"capacity $\alpha$")
    ax.set_ylabel(r"source $\beta$")
    ax.set_title(f"{training} training, C = N t (online SGD)")
    fig.savefig(path, dpi=120)
    return path


def measured_chi(betas, gamma: float, modes: int = 20000, window=(1e3, 1e4)) -> np.ndarray:
    """Local slope of the ``N = oo`` mean-field loss between ``window`` times (alpha = 2)."""
    from ..numerics.feature_learning import local_slopes
    from ..numerics.mean_field import Problem, gradient_flow_loss, infinite_width_problem

    out = []
    for b in betas:
        pb = infinite_width_problem(2, float(b), modes)
        pb = Problem(pb.eigenvalues, pb.target, 0.0)
        ts = np.array(window, dtype=float)
        out.append(local_slopes(ts, gradient_flow_loss(pb, gamma, ts))[1][0])
    return np.array(out)


def chi_plot(path: Path, quick: bool = False) -> Path:
    """chi(beta) lazy vs rich (exact Eq. 10) with slopes measured on the mean-field solution."""
    from matplotlib.figure import Figure

    from ..models.feature_learning import chi

    bs = np.linspace(0.01, 2.0, 200)
    fig = Figure(figsize=(5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for training, style in (("lazy", "C0-"), ("rich", "C3-")):
        f = sp.lambdify(beta, chi(beta, training), "numpy")
        ax.plot(bs, f(bs) * np.ones_like(bs), style, label=f"{training} (Eq. 10)")
    pts = np.array([0.5, 0.75, 1.5]) if quick else np.array([0.3, 0.5, 0.75, 1.0, 1.25, 1.5])
    modes = 10000 if quick else 20000
    ax.plot(pts, measured_chi(pts, 0.0, modes), "C0o", mfc="none", label="lazy, mean-field slope")
    ax.plot(pts, measured_chi(pts, 1.0, modes), "C3s", mfc="none", label=r"rich ($\gamma=1$), mean-field slope")
    ax.axvline(1, color="k", lw=0.5, ls=":")
    ax.set_xlabel(r"source $\beta$")
    ax.set_ylabel(r"$\chi(\beta)$, $L\sim t^{-\chi}$")
    ax.legend(fontsize=8)
    ax.set_title(r"time exponent ($\alpha=2$; slopes over $t\in[10^3,10^4]$)")
    fig.savefig(path, dpi=120)
    return path


def mean_field_convergence_plot(path: Path, quick: bool = False) -> Path:
    """Finite-width losses (exact reduced flow, seed means) approaching the N = oo solution."""
    from matplotlib.figure import Figure

    from ..numerics.feature_learning import gradient_flow
    from ..numerics.mean_field import gradient_flow_loss, infinite_width_problem

    M = 2000 if quick else 8000
    ts = np.geomspace(1, 1e5, 60)
    fig = Figure(figsize=(5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for gamma, color in ((0.0, "C0"), (1.0, "C3")):
        ax.loglog(ts, gradient_flow_loss(infinite_width_problem(2, 0.5, M), gamma, ts), color=color, lw=2,
                  label=f"N = ∞, γ = {gamma:g}")
        for j, width in enumerate((32, 128) if quick else (32, 128, 512)):
            L = gradient_flow(2, 0.5, M, width, gamma, ts, seeds=range(3)).mean(0)
            ax.loglog(ts, L, color=color, lw=0.8, ls=("--", ":", "-.")[j], label=f"N = {width}")
    ax.set_xlabel("t")
    ax.set_ylabel("test loss")
    ax.set_title(r"$\alpha=2,\ \beta=1/2$: finite N vs mean field")
    ax.legend(fontsize=7, ncol=2)
    fig.savefig(path, dpi=120)
    return path


def feature_learning_figures(model, out_dir: Path, quick: bool = False) -> list[Path]:
    """The model's figures: two phase diagrams, chi(beta), finite-N vs mean field."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n = 60 if quick else 160
    vmax = float(np.nanmax(exponent_grid(model, "rich", np.linspace(*ALPHA_RANGE, n),
                                         np.linspace(*BETA_RANGE, n))))
    paths = [phase_diagram(model, tr, out_dir / f"feature_learning_phases_{tr}.png", n, vmax)
             for tr in ("lazy", "rich")]
    paths.append(chi_plot(out_dir / "feature_learning_chi.png", quick))
    paths.append(mean_field_convergence_plot(out_dir / "feature_learning_mean_field.png", quick))
    return paths


def _row(quantity, theory, numerics, note):
    theory, numerics = float(theory), float(numerics)
    return {"quantity": quantity, "theory": theory, "numerics": numerics,
            "rel_dev": abs(numerics - theory) / abs(theory), "note": note}


def feature_learning_agreement(model, quick: bool = True) -> list[dict]:
    """Theory vs numerics: chi (lazy/rich), width exponent, compute-optimal loss exponents."""
    from ..numerics.feature_learning import compute_optimal_frontier, lazy_sgd_loss, local_slopes, width_floor
    from ..numerics.mean_field import Problem, infinite_width_problem

    rows = []
    for b, training, gamma in ((0.5, "lazy", 0.0), (0.75, "rich", 1.0), (0.5, "rich", 1.0)):
        th = model.analyze(alpha=2, beta=b, training=training, optimizer="gf").exponents["t"].value
        rows.append(_row(f"chi {training}, alpha=2, beta={b}", th, measured_chi([b], gamma)[0],
                         "local slope of the N=oo mean-field loss on t in [1e3, 1e4], M=20000"))
    Ns = np.array([16, 32, 64, 128])
    for b in (0.5, 1.5):
        floors = [width_floor(2, b, 2048, n, seeds=range(3)).mean() for n in Ns]
        rows.append(_row(f"width exponent, alpha=2, beta={b}", model.analyze(alpha=2, beta=b).exponents["N"].value,
                         -np.polyfit(np.log(Ns), np.log(floors), 1)[0],
                         "projection floor (t -> oo), N = 16..128, M = 2048, 3 seeds"))
    pb = infinite_width_problem(2, 3.0, 5000)
    pb = Problem(pb.eigenvalues, pb.target, 0.0)
    rec = np.array([10000, 30000])
    sgd = lazy_sgd_loss(pb, 0.5, 1, int(rec[-1]), rec)[1]
    gd = np.array([np.sum(pb.eigenvalues * pb.target**2 * (1 - 0.5 * pb.eigenvalues) ** (2 * n)) for n in rec])
    p3 = model.validate(alpha=2, beta=3)
    noise = [tm for tm in model.law(p3, model.regime(p3)).terms if "SGD" in str(tm)][0]
    rows.append(_row("SGD-noise exponent, alpha=2, beta=3", noise.powers[t], local_slopes(rec, sgd - gd)[1][0],
                     "local slope of (online SGD - GD) loss, lazy N=oo, exact second-moment recursion, B=1"))
    widths = np.unique(np.geomspace(4, 256 if quick else 512, 10 if quick else 15).round().astype(int))
    computes = np.geomspace(1e3, 1e5 if quick else 1e6, 6 if quick else 10)
    for training, gamma in (("lazy", 0.0), ("rich", 1.0)):
        fr = compute_optimal_frontier(2, 0.5, gamma, 2048 if quick else 4096, widths, computes,
                                      seeds=(0, 1) if quick else (0, 1, 2))
        th = model.analyze(alpha=2, beta=0.5, training=training, optimizer="gf").compute_optimal.loss.value
        rows.append(_row(f"compute-optimal r_C {training}, alpha=2, beta=0.5", th, fr.loss_exponent,
                         f"min over N of the exact gradient-flow loss at C = N t, C in "
                         f"[{computes[0]:.0e}, {computes[-1]:.0e}]"))
    return rows


__all__ = ["exponent_functions", "exponent_grid", "phase_diagram", "measured_chi", "chi_plot",
           "mean_field_convergence_plot", "feature_learning_figures", "feature_learning_agreement"]
