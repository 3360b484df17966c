r"""The report's opening: the verdicts of every check, and a glossary of every symbol its tables use.

:func:`summary` counts the agreement rows (the rows of ``checks.json``) by verdict, model by model,
names the size that produced them, and lists every row beyond its tolerance or not resolved with its
reason. :func:`glossary` defines each column of the report's tables from its kind (the letters of
:mod:`scalingtheory.report.tables`: ``r_X``, ``a_X``, ``G_X``, ``A_X``, ``A_C``), the resources, the
agreement table's columns and the columns of the models' own tables.

>>> from scalingtheory.models.engine import AgreementRow
>>> rows = {"m": [AgreementRow("r_N", 1.0, 1.01, 0.05, "w", size="quick"),
...               AgreementRow("r_C", 0.4, 0.3, 0.1, "w", caveat="pre-asymptotic", size="quick")]}
>>> counts(rows["m"])
{'within': 1, 'beyond': 1, 'not resolved': 0}
>>> print(summary(rows)[0].splitlines()[2])
2 checks of 1 model, each against an independent numeric route, measured at quick size (`scalingtheory report --quick`; the default report runs the same checks at full size): **1 within** tolerance, **1 beyond**, **0 not resolved**. Every row is also in `checks.json`.
>>> _item("m", AgreementRow("tau_2", 2908.0, float("nan"), 0.1, "w", size="quick")).split(";")[0]
'm, tau_2: no measurement against theory 2908'
"""

from __future__ import annotations

import math

from ..display import markdown_table, math_text, tex_escape
from ..models.engine import VERDICTS
from . import tables


def counts(rows) -> dict:
    """``{verdict: number of rows}`` in the order of :data:`~scalingtheory.models.engine.VERDICTS`."""
    return {v: sum(r.verdict == v for r in rows) for v in VERDICTS}


def _sizes(agreement: dict, code) -> str:
    sizes = sorted({r.size for rows in agreement.values() for r in rows if r.size})
    if sizes == ["quick"]:
        return (f"quick size ({code('scalingtheory report --quick')}; the default report runs the same checks at "
                "full size)")
    return "full size" if sizes == ["full"] else " and ".join(sizes) + " size"


def _flagged(agreement: dict) -> list[tuple]:
    """``(model, row)`` of every row not within its tolerance."""
    return [(m, r) for m, rows in agreement.items() for r in rows if r.verdict != "within"]


def _item(model: str, r) -> str:
    """One flagged row: what was measured against what, and why."""
    measured = (f"numerics {r.numerics:.4g} against theory {r.theory:.4g}" if math.isfinite(r.numerics)
                else f"no measurement against theory {r.theory:.4g}")
    if r.verdict == "beyond":
        measured += f" (relative deviation {r.rel_dev:.3g} > tolerance {r.tolerance:.2g})"
    return f"{model}, {r.quantity}: {measured}; {r.reason}"


def summary(agreement: dict) -> tuple[str, str]:
    """Markdown and LaTeX of the summary (``agreement``: ``{model: [AgreementRow]}``, the rows of the report)."""
    every = [r for rows in agreement.values() for r in rows]
    total = counts(every)
    n_models = sum(bool(rows) for rows in agreement.values())
    def head(code, bold):
        return (f"{len(every)} checks of {n_models} model{'s' * (n_models != 1)}, each against an independent "
                f"numeric route, measured at {_sizes(agreement, code)}: {bold(f'{total[VERDICTS[0]]} within')} "
                f"tolerance, {bold(f'{total[VERDICTS[1]]} beyond')}, {bold(f'{total[VERDICTS[2]]} not resolved')}. "
                f"Every row is also in {code('checks.json')}.")

    texttt = lambda s: r"\texttt{" + tex_escape(s).replace("--", "-{}-") + "}"  # noqa: E731
    header = ["model", "checks", *VERDICTS]
    body = [[m, len(rows), *counts(rows).values()] for m, rows in agreement.items() if rows]
    body.append(["all", len(every), *total.values()])
    md = ["## Summary", "", head(lambda s: f"`{s}`", lambda s: f"**{s}**"), "", markdown_table(header, body), ""]
    tex = [r"\section*{Summary}", head(texttt, lambda s: r"\textbf{" + s + "}"), "", r"\begin{center}\begin{tabular}{lrrrr}\toprule",
           " & ".join(header) + r" \\ \midrule",
           *[" & ".join(tex_escape(c) for c in row) + r" \\" for row in body[:-1]],
           r"\midrule " + " & ".join(map(str, body[-1])) + r" \\ \bottomrule\end{tabular}\end{center}"]
    for verdict, title in (("beyond", "Beyond tolerance"), ("not resolved", "Not resolved")):
        items = [_item(m, r) for m, r in _flagged(agreement) if r.verdict == verdict]
        if items:
            md += [f"**{title}**", "", *[f"- {math_text(i, 'markdown')}" for i in items], ""]
            tex += [f"\\paragraph{{{title}}}", r"\begin{itemize}", *[f"\\item {math_text(i)}" for i in items],
                    r"\end{itemize}"]
    return "\n".join(md), "\n".join(tex)


#: the resources of the models' laws
RESOURCES = {"t": "training time (SGD steps or gradient-flow time)", "N": "width (random features, hidden units)",
             "P": "training samples (a fixed data set, reused)", "D": "data set size (sparse parity)",
             "C": "compute, the model's cost (C = N t; sparse parity: its Eq. (328))",
             "x": "BNSL's resource (the x axis of the data it describes)"}

#: the columns of the agreement tables
AGREEMENT = {"route": "the independent numeric route: network (trained networks), exact (exact finite-size draws or "
                      "solver), dmft, mean_field (the N = oo mean-field ODE), sums (exact sums), simulation, solver, "
                      "reference (a number printed in the paper), fit",
             "theory": "the closed form's value",
             "numerics": "the value the route measured",
             "rel. deviation": "the absolute value of (numerics - theory) / theory",
             "tolerance": "the largest relative deviation accepted (a sampled mean: its CI half-width plus the "
                          "check's allowance), justified in the last column",
             "verdict": "within / beyond the tolerance, or not resolved (the size run cannot resolve the check)"}

#: the columns of the models' own tables (by a word their header contains)
EXTRA = {"tau_e": "emergence time of skill k: the step at which R_k / S reaches 0.05 (Nam et al. Eq. 40)",
         "tau_s": "saturation time of skill k: steps from R_k / S = 0.05 to 0.95",
         "Eq. (41) margin": "tau_e(k+1) - tau_e(k) - tau_s(k) (Nam et al. Eq. 41): > 0 when skill k saturates "
                            "before skill k+1 emerges (stage-like emergence)",
         "RMSLE (wins)": "root mean squared log error of the extrapolation, averaged over the domain's curves; in "
                         "brackets the share of the domain's curves on which the method's error is the lowest (ties "
                         "shared), of the number of curves that follows it (the curves column)",
         "coverage": "share of the held-out points inside BNSL's 95% band (delta method / calibrated / backtest)"}


def _symbol_rows(results: list) -> list[tuple[str, str]]:
    """``(symbol in math, definition)`` of every column of the regime tables."""
    described = {}
    for r in results:
        for path, q in r.quantities().items():
            described.setdefault(path, q.description)
    out = []
    for path in tables.columns(results):
        kind, _, name = path.rpartition(".")
        res = RESOURCES.get(name)
        if path == "compute_optimal.loss":
            text = "compute-optimal loss exponent: L* - L_inf ~ C^-r_C"
        elif path == "compute_optimal.prefactors.L":
            text = "prefactor of the compute-optimal loss: L* - L_inf = A_C C^-r_C"
        elif res is None:
            text = described[path]
        elif kind == "exponents":
            text = f"decay rate in {name}: L - L_inf ~ {name}^-r with the other resources unlimited"
        elif kind == "compute_optimal.allocation":
            text = f"compute-optimal allocation exponent: {name}* ~ C^a"
        elif kind == "compute_optimal.prefactors":
            text = f"prefactor of the compute-optimal allocation: {name}* = G C^a"
        else:
            text = f"prefactor of the loss term in {name}: A {name}^-r"
        if "*" in name:
            text = f"prefactor of the loss term in {name.replace('*', ' and ')} together"
        symbol = f"${tables.header_latex(path)}$"
        same = next((i for i, (s, _) in enumerate(out) if s == symbol), None)
        if same is None:
            out.append((symbol, text))
        elif text != out[same][1]:   # one symbol, two uses (A_C: loss term in C, compute-optimal prefactor)
            out[same] = (symbol, f"{out[same][1]}; or {text}")
    return out


def glossary(results: list, headers: list[str]) -> tuple[str, str]:
    """Markdown and LaTeX of the glossary: the symbols of the regime tables of ``results`` (every model's),
    the resources, the agreement columns, and the model tables' ``headers`` that need a definition."""
    rows = _symbol_rows(results)
    rows += [(f"${k}$", v) for k, v in RESOURCES.items()]
    rows += [(k, v) for k, v in AGREEMENT.items()]
    rows += [(k, v) for k, v in EXTRA.items() if any(k in h for h in headers)]
    md = ["## Glossary", "", markdown_table(["symbol", "meaning"],
                                            [[s, math_text(d, "markdown")] for s, d in rows]), ""]
    tex = [r"\section*{Glossary}", r"\begin{description}\small",
           *[f"\\item[{s if s.startswith('$') else tex_escape(s)}] {math_text(d)}" for s, d in rows],
           r"\end{description}"]
    return "\n".join(md), "\n".join(tex)


__all__ = ["summary", "glossary", "counts", "RESOURCES", "AGREEMENT", "EXTRA"]
