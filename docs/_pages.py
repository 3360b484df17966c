"""What the model pages show, computed by the toolkit when the site is built (imported by their code cells).

Each function returns an ``IPython.display.Markdown`` object, which MyST-NB renders as a table with
its math typeset; nothing here is typed by hand, so a page cannot disagree with the code.
"""

from __future__ import annotations


def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text)


def closed_forms(name: str):
    """The model's closed forms with every numeric parameter symbolic, one row per regime."""
    from scalingtheory import optimal
    from scalingtheory.report import tables

    return _markdown(tables.render(list(optimal(name)), "markdown"))


def table_points(name: str):
    """The model's exponents and prefactors at its representative points (those of the report)."""
    from scalingtheory.models import get_model
    from scalingtheory.report import tables

    model = get_model(name)
    return _markdown(tables.render([model.analyze(**point) for point in model.table_points()], "markdown"))


def checks(name: str):
    """The model's theory-vs-numerics checks at the report's quick size, with their verdicts."""
    from scalingtheory.models import get_model
    from scalingtheory.report import sections

    rows = get_model(name).agreement(quick=True)
    if not rows:
        return _markdown("*(this model declares no numeric checks)*")
    return _markdown(sections.agreement_tables(rows)[0])
