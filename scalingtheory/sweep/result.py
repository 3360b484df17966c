"""The outcome of a sweep: rows, measured vs closed-form exponents, the figure.

:class:`SweepResult` renders as a table (``report()``, ``_repr_html_`` in Jupyter),
serialises to strict JSON (``to_json()``, the content of ``exponents.json``) and plots
(``plot(ax=None, resource=None)``): measured exponents with their intervals against the
closed form along the grid, or, when two grid parameters vary, a phase-plane map of the
measured exponent with each cell's closed form written in it.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..safe_io import atomic_write
from .store import EXPONENTS, FIGURE


@dataclass
class SweepResult:
    """Rows (pyarrow Table), the analysis (``exponents.json`` content) and the output directory."""

    out: Path
    exponents: dict
    table: object = field(repr=False)
    notes: list = field(default_factory=list)

    @property
    def points(self) -> list[dict]:
        return self.exponents["points"]

    @property
    def resources(self) -> list[str]:
        return list(self.exponents["spec"]["vary"])

    def to_json(self) -> dict:
        return self.exponents

    def _lines(self) -> list[tuple]:
        out = []
        for p in self.points:
            for r in self.resources:
                m, th = p["measured"].get(r), p["theory"].get(r)
                meas = "n/a" if m is None else f"{m['value']:.3f} [{m['lo']:.3f}, {m['hi']:.3f}]"
                out.append((p["point"], r, meas, "n/a" if th is None else p["theory_exact"][r], p["verdict"]))
        return out

    def report(self) -> str:
        """Plain-text table: point, resource, measured [interval], closed form, verdict."""
        head = ("point", "resource", "measured [95% CI]", "closed form", "verdict")
        rows = [head] + self._lines()
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(head))]
        text = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        tol, why = self.exponents["tolerance"], self.exponents.get("tolerance_reason")
        text.append(f"closed form widened by +-{tol:g}: {why}" if tol else "closed form compared as a point "
                    "(no systematic error stated)")
        text.append(f"verdict: {self.exponents['verdict_rule']}")
        text.append(f"method: {self.exponents['method']}")
        text += [f"note: {n}" for n in self.notes]
        return "\n".join(text)

    def __repr__(self) -> str:
        return self.report()

    def _repr_html_(self) -> str:
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                        for r in self._lines())
        head = "".join(f"<th>{h}</th>" for h in ("point", "resource", "measured [95% CI]", "closed form", "verdict"))
        return f"<table><tr>{head}</tr>{cells}</table><p>{html.escape(self.exponents['method'])}</p>"

    def plot(self, ax=None, resource: str | None = None):
        """Measured vs closed-form exponent of ``resource`` (default: the first varied) on ``ax``."""
        from .. import figure_style as style
        from . import figures

        if ax is None:
            ax = style.figure()[1]
        return figures.draw(ax, self.exponents, resource or self.resources[0])


def write_outputs(out: Path, exponents: dict) -> list[str]:
    """``exponents.json`` (strict JSON) and ``exponents.png``, each written under a temporary name; the notes
    (a figure that cannot be drawn is a note: the rows and exponents are the sweep's result)."""
    from .. import figure_style as style
    from . import figures

    text = json.dumps(exponents, indent=2, allow_nan=False) + "\n"
    atomic_write(out / EXPONENTS, lambda p: p.write_text(text, encoding="utf-8"), replace=True)
    resources = list(exponents["spec"]["vary"])
    try:
        fig, axes = style.figure(ncols=len(resources))
        for ax, res in zip(axes if len(resources) > 1 else [axes], resources):
            figures.draw(ax, exponents, res)
        atomic_write(out / FIGURE, lambda p: fig.savefig(p, format="png", dpi=style.DPI), replace=True)
    except (ValueError, ArithmeticError, RuntimeError, TypeError, OSError) as exc:
        return [f"the figure {FIGURE} could not be drawn ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
                f"the rows and {EXPONENTS} are complete"]
    return []
