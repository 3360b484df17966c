r"""Figures of the broken neural scaling law (Caballero et al. 2023); each takes its axes.

* :func:`decomposition` -- paper Fig. 1: the 3-break curve with its segment asymptotes, and the exact
  log-log slope against finite differences;
* :func:`addition_fit` -- 4-digit addition: a 1-break fit on the first 14 points with its bootstrap band;
* :func:`benchmark_curve` -- a Revisiting-NSL curve: BNSL with its calibrated band against M1-M4;
* :func:`predictability` -- the limit of predictability: the noiseless 4-digit-addition simulation cut at
  x = 405, the default fit against ``break_margin=1``, and the break horizon against the noise.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .. import figure_style as style
from ..fitting.figures import fit_curve, form_label

CAPTIONS = {
    "bnsl_figure1_decomposition": "BNSL, paper Fig. 1: the 3-break curve with its segment asymptotes; right: the exact "
                                  "log-log slope (line) against finite differences (markers).",
    "bnsl_4digit_addition_fit": "BNSL on 4-digit addition: 1-break fit on the first 14 points with its bootstrap band and "
                                "the held-out points.",
    "bnsl_benchmark_curve": "A Revisiting-NSL curve: BNSL's fit and band against M1-M4, with their extrapolation RMSLE "
                            "(the legend names BNSL's break count: the full report's figure lets the fit select it, "
                            "the benchmark table scores 1 break).",
    "bnsl_predictability": "Limit of predictability: the paper's noiseless 4-digit addition fitted to x <= 405; the default "
                           "fit keeps its break inside the data, break_margin=1 finds the break at 612.6. Right: the "
                           "horizon beyond which a break like the true one cannot be located, against the noise "
                           "(numerical, and the far-field closed form, an upper bound).",
}


def decomposition(axes):
    """Two panels: Eq. 1 with its segment asymptotes; the exact slope (line) vs finite differences (markers)."""
    from ..models.bnsl import FIGURE1_PARAMS, bnsl_symbols, evaluate, n_breaks, parameter_values, segment_asymptotes
    from ..models.bnsl import slope, x

    ax, ax2 = axes
    n = n_breaks(FIGURE1_PARAMS)
    xs = np.logspace(-1, 26, 2000)
    vals = parameter_values(FIGURE1_PARAMS, n)
    ax.plot(xs, evaluate(FIGURE1_PARAMS, xs), "k-", lw=2, label="BNSL, Eq. 1")
    for k, seg in enumerate(segment_asymptotes(n)):
        fn = sp.lambdify(x, seg.subs(vals), "numpy")
        ax.plot(xs, fn(xs) * np.ones_like(xs), "--", lw=1, color=style.color(k), label=f"segment {k} asymptote")
    ax.set(xscale="log", yscale="log", ylim=(1e-4, 1e5), xlabel="$x$", ylabel="$y$",
           title="Caballero et al. Fig. 1: decomposition")
    style.log_ticks(ax)
    style.legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3)   # below: inside, it covers an asymptote
    a = vals[bnsl_symbols(n)[0]]
    fd = np.gradient(np.log(evaluate(FIGURE1_PARAMS, xs) - a), np.log(xs))
    ax2.plot(xs, slope(FIGURE1_PARAMS, xs), "k-", label=r"exact: $-c_0-\sum_i c_i\sigma_i$")
    ax2.plot(xs[::40], fd[::40], "o", ms=3, color=style.color(1), label=r"finite difference of $\log(y-a)$")
    ax2.axhline(0, color="0.6", lw=0.8, label="zero slope (y rises above)")
    ax2.set(xscale="log", xlabel="$x$", ylabel=r"$d\log(y-a)/d\log x$")
    style.log_ticks(ax2, "x")
    style.legend(ax2)


def addition_fit(ax, n_boot: int):
    """4-digit addition: fit on the first 14 points, bootstrap 95 % band, held-out points."""
    from ..models.bnsl import ADDITION_SPLIT, ADDITION_X, ADDITION_Y
    from ..fitting.curve import fit

    xa, ya = np.array(ADDITION_X, float), np.array(ADDITION_Y)
    res = fit(xa[:ADDITION_SPLIT], ya[:ADDITION_SPLIT], breaks=1, space="log1p", interval="bootstrap", bootstrap=n_boot,
              names=("training set size", "test cross-entropy"))
    fit_curve(res, ax, x_test=xa[ADDITION_SPLIT:], y_test=ya[ADDITION_SPLIT:], x_max=1500)
    ax.set_title("4-digit addition (Caballero et al.): 1-break BNSL")  # the band is named in the legend


def benchmark_curve(ax, forms=("m1", "m2", "m3", "m4"), breaks="auto") -> None:
    """First IC curve of the Revisiting-NSL benchmark (packaged data): BNSL's fit with ``breaks`` (default: the
    count the fit selects) and its band vs M1-M4."""
    from ..datasets import revisiting
    from ..fitting.curve import fit, rmsle
    from ..fitting.revisiting import M4_UP_BOUND

    curve = revisiting(domains=["IC"])[0]
    best = fit(curve.x_fit, curve.y_fit, breaks=breaks, names=("seen examples", "error rate"))
    fit_curve(best, ax, x_test=curve.x_test, y_test=curve.y_test)
    xs = np.logspace(np.log10(curve.x_fit.min()), np.log10(curve.x_test.max()), 200)
    label = form_label(best.form) + (" (selected)" if breaks == "auto" else "")
    scores = [f"{label} {rmsle(best.predict(curve.x_test), curve.y_test):.4f}"]
    fits = [fit(curve.x_fit, curve.y_fit, form=name, up_bound=M4_UP_BOUND[curve.domain], interval=None)
            for name in forms]
    for i, (name, res) in enumerate(zip(forms, fits)):
        ys = res.predict(xs)
        same = [o.upper() for o, r in zip(forms[i + 1:], fits[i + 1:]) if np.allclose(r.predict(xs), ys, rtol=1e-3)]
        ax.plot(xs, ys, lw=1, color=style.color(i + 2),
                label=f"{name.upper()} fit" + (f" (= {same[0]}, drawn under it)" if same else ""))
        scores.append(f"{name.upper()} {rmsle(res.predict(curve.x_test), curve.y_test):.4f}")
    style.legend(ax, loc="lower left", bbox_to_anchor=(0.0, 0.05))   # the empty corner, above the data credit
    ax.set_title(f"{curve.key}; extrapolation RMSLE: " + ", ".join(scores), fontsize=7)
    ax.text(0.01, 0.01, "data: Alabdulmohsin et al. 2022, google-research, CC BY 4.0", transform=ax.transAxes,
            fontsize=style.MIN_PRINT_PT)


def predictability(axes) -> None:
    """Left: truth, fitting points (x <= NOISELESS_CUT), default and ``break_margin=1`` fits (those of the check,
    :func:`scalingtheory.models.bnsl.noiseless_fit`), break horizon and ``x_id`` of the default fit
    (for the true slope change and sharpness); right: that horizon against the noise, numerical and closed form."""
    from ..models.bnsl import NOISELESS_CUT, NOISELESS_PARAMS, noiseless_fit
    from ..fitting.forms import BNSL

    form, ax, ax2, cut = BNSL(1), *axes, NOISELESS_CUT
    xs = np.arange(1.0, 1501.0)
    ys = form.predict(form.theta_from_params(NOISELESS_PARAMS), xs)
    k = xs <= cut
    default, margin = noiseless_fit(), noiseless_fit(1.0)   # the fits of the check (its process: cached)
    true_break = {"slope_change": NOISELESS_PARAMS["c1"], "sharpness": NOISELESS_PARAMS["f1"]}
    h = default.horizon(**true_break)
    ax.plot(xs, ys, "-", color="0.6", lw=3, label="truth (released script)")
    ax.plot(xs[k][::8], ys[k][::8], "o", ms=3, color="k", label=f"fitting points (x <= {cut}, every 8th shown)")
    ax.plot(xs, default.predict(xs), "--", color=style.color(0), label="default fit (breaks inside the data)")
    ax.plot(xs, margin.predict(xs), ":", lw=2, color=style.color(1), label="--break-margin 1")
    for xv, text, c in ((h.break_horizon, "break horizon", 2), (h.identified_until, "identified until", 3)):
        ax.axvline(xv, color=style.color(c), lw=1, label=f"{text} x = {xv:.4g}")
    ax.set(xscale="log", yscale="log", xlabel="training set size", ylabel="test cross-entropy",
           title="noiseless 4-digit addition")
    style.legend(ax, loc="lower left")
    noises = np.logspace(-10, -1, 10)
    hs = [default.horizon(noise=n, **true_break) for n in noises]
    ax2.plot(noises, [v.closed_form for v in hs], "-", color=style.color(1), label="far-field closed form (upper bound)")
    ax2.plot(noises, [v.break_horizon for v in hs], "o", color=style.color(0), label="numerical (first order)")
    ax2.axhline(NOISELESS_PARAMS["d1"], color="0.5", lw=1, label=f"true break d1 = {NOISELESS_PARAMS['d1']:.4g}")
    ax2.axhline(cut, color="k", lw=0.8, ls="--", label=f"last fitting point {cut}")
    ax2.set(xscale="log", yscale="log", xlabel=r"noise $\sigma$ (log units)", ylabel="break horizon $x_h$",
            title="horizon shrinks f decades per decade of noise")
    style.legend(ax2)


def write(model, out_dir, sizes: dict) -> list:
    """Fig. 1 decomposition, the 4-digit-addition fit, and (data permitting) a benchmark curve."""
    paths = []
    if sizes.get("theory", True):   # closed form only (plots.write_figures)
        fig, axes = style.figure(2, width=5.2, height=4.0)
        decomposition(axes)
        paths.append(style.save(fig, out_dir / "bnsl_figure1_decomposition.png"))
    fig, ax = style.figure(width=6.0, height=4.2)
    addition_fit(ax, sizes["n_boot"])
    paths.append(style.save(fig, out_dir / "bnsl_4digit_addition_fit.png"))
    fig, ax = style.figure(width=7.0, height=4.5)
    benchmark_curve(ax, sizes["forms"], sizes["breaks"])
    paths.append(style.save(fig, out_dir / "bnsl_benchmark_curve.png"))
    fig, axes = style.figure(2, width=5.2, height=4.0)
    predictability(axes)
    return paths + [style.save(fig, out_dir / "bnsl_predictability.png")]


__all__ = ["decomposition", "addition_fit", "benchmark_curve", "predictability", "write"]
