r"""Theory meets data: spectrum -> predicted exponents -> learning curves measured on the same
data -> a verdict per exponent.

Verdict: the toolkit's one rule (:mod:`scalingtheory.verdict`: *no power law* when the measured
loss does not fall, *disagree* when the intervals are disjoint, *inconclusive* when they overlap
but one is too wide to decide, *agree* otherwise); a disagreement names the likely causes found
in the data (label noise above 10% of the target variance, a local slope that drifts by
more than 20% across the measured range -- pre-asymptotic --, the finite-``P`` floor of the
width curve), else the kernel's bandwidth and the unseen spectrum beyond mode ``n/10``. Ranges are never tuned to agree.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

#: the measured exponents compared with predictions: resource -> prediction key
MEASURED = {"P": "P", "N": "N"}
NOISE_CAUSE = 0.10
DRIFT_CAUSE = 0.20


def _drift(curve) -> tuple[float, float]:
    """Local decay rates over the first and the second half of a measured curve."""
    from .learning_curves import decay_rate

    sizes, mean = curve.sizes, curve.losses.mean(axis=0)
    h = len(sizes) // 2
    return decay_rate(sizes[:h + 1], mean[:h + 1]), decay_rate(sizes[h:], mean[h:])


def verdict(key, prediction, curve, estimate, krr_floor=None) -> dict:
    """``{"verdict": one of scalingtheory.verdict.VERDICTS, "text": ...}`` for one exponent (module docstring)."""
    from ..verdict import DISAGREE, compare
    m = curve.exponent
    text = (f"r_{key}: measured {m['value']:.3f} [{m['ci'][0]:.3f}, {m['ci'][1]:.3f}] over {key} = "
            f"{m['range'][0]:g}..{m['range'][1]:g}; predicted {prediction.value:.3f} "
            f"[{prediction.ci[0]:.3f}, {prediction.ci[1]:.3f}]")
    word, reason = compare(m["value"], m["ci"], prediction.value, prediction.ci)
    if word != DISAGREE:
        return {"verdict": word, "text": f"{text}: {word} ({reason})"}
    causes = []
    if estimate.noise["fraction"] > NOISE_CAUSE:
        causes.append(f"label noise (up to {estimate.noise['fraction']:.0%} of the target variance: the tiny-ridge "
                      "curve bends toward the noise level)")
    first, second = _drift(curve)
    if abs(first - second) > DRIFT_CAUSE * max(abs(first), abs(second)):
        causes.append(f"pre-asymptotic range (local rate {first:.2f} on the first half, {second:.2f} on the second)")
    if krr_floor is not None and curve.losses.mean(axis=0)[-1] < 2 * krr_floor:
        causes.append("finite P: the widest model's loss is within a factor 2 of the kernel limit at this P")
    if not causes:
        causes.append("the kernel bandwidth or the spectrum beyond mode n/10, which n samples do not show")
    return {"verdict": DISAGREE, "text": text + ": DISAGREE beyond the intervals; likely cause: " + "; ".join(causes)}


@dataclass
class Comparison:
    """Estimate, predictions, measured learning curves and verdicts for one data set and kernel."""
    dataset: str
    estimate: object
    predicted: dict
    measured: dict
    verdicts: dict
    notes: list = field(default_factory=list)

    def to_json(self) -> dict:
        """The CLI's JSON contract (strict: no NaN/Infinity)."""
        e = self.estimate.to_json()
        out = {"dataset": self.dataset, "kernel": e["kernel"], "n": e["n"], "bandwidth": e["bandwidth"],
               "alpha": e["alpha"], "beta": e["beta"], "noise": e["noise"],
               "predicted": {k: p.to_json() for k, p in self.predicted.items()},
               "measured": {k: c.to_json() for k, c in self.measured.items()},
               "verdicts": self.verdicts, "notes": e["notes"] + list(self.notes)}
        json.dumps(out, allow_nan=False)
        return out

    def _table(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for key, p in self.predicted.items():
            c = self.measured.get(key)
            meas = "" if c is None else f"{c.exponent['value']:.3f} [{c.exponent['ci'][0]:.3f}, {c.exponent['ci'][1]:.3f}]"
            name = f"a_{key[2:]}" if key.startswith("C.") else f"r_{key}"   # C.N: the allocation N* ~ C^a_N
            rows.append((name, f"{p.value:.3f} [{p.ci[0]:.3f}, {p.ci[1]:.3f}]", meas,
                         self.verdicts.get(key, {}).get("verdict", "")))
        return rows

    def report(self) -> str:
        lines = [f"{self.dataset}: " + self.estimate.report(), "",
                 f"{'exponent':<10} {'predicted [95%]':<24} {'measured [95%]':<24} verdict"]
        lines += [f"{a:<10} {b:<24} {c:<24} {d}" for a, b, c, d in self._table()]
        lines += [""] + [v["text"] for v in self.verdicts.values()]
        lines += [f"{k}: {c.setup}" for k, c in self.measured.items()]
        lines += [f"note: {x}" for x in self.notes]
        return "\n".join(lines)

    __repr__ = report

    def _repr_html_(self) -> str:
        import html
        head = "<tr><th>exponent</th><th>predicted</th><th>measured</th><th>verdict</th></tr>"
        body = "".join("<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in row) + "</tr>" for row in self._table())
        return self.estimate._repr_html_() + f"<table>{head}{body}</table>"

    def plot(self, axes=None):
        """Three panels: the spectrum fit, and the ``P`` and ``N`` curves with the predicted slopes."""
        from .. import figure_style as plot_style
        if axes is None:
            axes = plot_style.figure(3, width=5.0, height=4.2)[1]
        self.estimate.plot(axes[0])
        for ax, (key, c) in zip(axes[1:], self.measured.items()):
            mean = c.losses.mean(axis=0)
            ax.errorbar(c.sizes, mean, yerr=c.losses.std(axis=0), fmt="o", ms=4, color=plot_style.color(6),
                        label=f"measured: {c.exponent['value']:.2f} [{c.exponent['ci'][0]:.2f}, {c.exponent['ci'][1]:.2f}]")
            p = self.predicted.get(MEASURED[key])
            if p is not None:
                for r, style in ((p.value, "-"), (p.ci[0], ":"), (p.ci[1], ":")):
                    ax.plot(c.sizes, mean[-1] * (c.sizes / c.sizes[-1]) ** -r, style, color=plot_style.color(1), lw=1.2,
                            label=f"predicted {p.value:.2f} [{p.ci[0]:.2f}, {p.ci[1]:.2f}]" if style == "-"
                            else "slopes at the interval's ends" if r == p.ci[0] else None)
            ax.set(xscale="log", yscale="log", xlabel=f"${key}$", ylabel="test MSE",
                   title=f"{'kernel regression' if key == 'P' else 'random features'}: "
                         f"{self.verdicts.get(key, {}).get('verdict', '')}")
            plot_style.log_ticks(ax)
            plot_style.legend(ax)
        return axes[0].figure


def theory_meets_data(X, Y, kernel="rbf", *, dataset: str = "data", bandwidth="median", n_max: int = 2000,
                      bootstrap: int = 20, repeats: int = 5, seed: int = 0, progress: bool = False) -> Comparison:
    """The whole loop on ``(X, Y)`` (see the module docstring and :func:`~.estimate.spectrum`); ``progress``:
    one bar for the whole run (:mod:`.progress`), BLAS on :data:`.progress.BLAS_THREADS` threads."""
    from .estimate import estimate_from_gram, prepare
    from .learning_curves import krr_curve, rf_curve
    from ..verdict import RULE
    from .predict import predictions
    from ..limits import check_count
    from .progress import blas_limit, run_bar, step
    repeats = check_count("repeats", repeats)
    bootstrap = check_count("subsamples", bootstrap, "bootstrap")        # before any work
    bar = run_bar(4 + bootstrap + 2 * repeats, dataset, progress)
    try:
        with blas_limit():
            with step(bar, "Gram matrix"):
                K, Y, name, bw, notes = prepare(X, Y, kernel, None, bandwidth, n_max, seed)
            est = estimate_from_gram(K, Y, name, bw, bootstrap, seed, bar, notes)
            with step(bar, "predictions"):
                predicted, pnotes = predictions(est)
            measured = {"P": krr_curve(K, Y, repeats, seed, bar), "N": rf_curve(K, Y, repeats, seed, bar)}
    finally:
        if not isinstance(bar, bool):
            bar.close()
    floor = measured["P"].losses.mean(axis=0)[-1]
    verdicts = {k: verdict(k, predicted[MEASURED[k]], c, est, floor if k == "N" else None)
                for k, c in measured.items() if MEASURED[k] in predicted}
    notes = pnotes + ["t, C: predicted only (no training-time curve is measured here)", f"verdict rule: {RULE}"]
    if est.noise["fraction"] > NOISE_CAUSE:
        notes.append("label noise: with an optimally tuned ridge the data exponent would be P_noisy; the tiny-ridge "
                     "curve measured here flattens toward the noise level instead")
    return Comparison(dataset, est, predicted, measured, verdicts, notes)



def report_section(figures_dir, quick: bool = True) -> dict:
    """The report's "Theory meets data" section: ``{"markdown", "latex", "figure", "numbers"}``.

    Runs :func:`theory_meets_data` on the packaged digits with an RBF kernel; ``quick`` uses
    700 points, 6 bootstrap subsamples and 3 repeats. The figure is written into ``figures_dir``.
    """
    from pathlib import Path

    from ..display import math_text
    from .. import figure_style as style
    from ..figure_style import INCLUDE_SIZE as FIGURE_SIZE
    from .datasets import load_digits
    X, Y, info = load_digits()
    size = dict(n_max=700, bootstrap=6, repeats=3) if quick else {}
    res = theory_meets_data(X, Y, "rbf", dataset=info["name"], **size)
    figure = Path(figures_dir) / "theory_meets_data.png"
    style.save(res.plot(), figure)
    e = res.estimate
    intro = (f"Kernel spectrum of {res.dataset} ({e.kernel} kernel, n = {e.n}): alpha = {e.alpha.value:.3f} "
             f"[{e.alpha.ci[0]:.3f}, {e.alpha.ci[1]:.3f}], beta = {e.beta.value:.3f} [{e.beta.ci[0]:.3f}, "
             f"{e.beta.ci[1]:.3f}] (modes {e.alpha.range[0]}..{e.alpha.range[1]}); predicted exponents from the "
             "random-feature model, measured ones from kernel-regression (P) and random-feature (N) learning "
             "curves on the same data: decay rates r_X (L ~ X^-r_X) and compute-optimal allocations a_X (X* ~ C^a_X, "
             "C = N t).")
    items = [v["text"] for v in res.verdicts.values()]
    if quick:
        items.append(f"quick mode: {e.n} points; the full run (`scalingtheory spectrum --dataset digits`) "
                     "narrows the intervals")
    table = res._table()
    caption = ("Theory meets data: the kernel spectrum with the fitted laws (left); measured learning curves "
               "(markers, 1 s.d. over repeats) against the predicted slopes, solid, with the ends of their 95 % "
               "intervals dotted.")
    markdown = "\n".join(["## Theory meets data", "", math_text(intro, "markdown"), "",
                          "| exponent | predicted [95%] | measured [95%] | verdict |", "|---|---|---|---|",
                          *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in table], "",
                          *[f"- {math_text(x, 'markdown')}" for x in items], "", f"![figure {figure.stem}](figures/{figure.name})",
                          "", f"*{math_text(caption, 'markdown')}*"])
    latex = "\n".join([r"\section{Theory meets data}", math_text(intro), "",
                       r"\begin{tabular}{llll}\toprule exponent & predicted [95\%] & measured [95\%] & verdict \\ \midrule",
                       *[" & ".join(math_text(x) for x in row) + r" \\" for row in table],
                       r"\bottomrule\end{tabular}", r"\begin{itemize}", *[f"\\item {math_text(x)}" for x in items],
                       r"\end{itemize}", r"\begin{figure}[H]\centering",
                       f"\\includegraphics[{FIGURE_SIZE}]{{figures/{figure.name}}}",
                       f"\\caption{{{math_text(caption)}}}", r"\end{figure}"])
    return {"markdown": markdown, "latex": latex, "figure": figure, "numbers": res.to_json()}


__all__ = ["theory_meets_data", "Comparison", "verdict", "report_section"]
