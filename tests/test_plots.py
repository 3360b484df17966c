"""The plots package: one style, one phase-diagram routine reading the declarations, captions;
models and numerics import no matplotlib (issue 14, item 2; issue 15, item 6)."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from scalingtheory.models import get_model
from scalingtheory.plots import phase, style
from scalingtheory.symbols import alpha, beta

PLOTS = Path(__file__).resolve().parents[1] / "scalingtheory" / "plots"


def test_exponent_labels_are_exact_and_grouped():
    assert style.power("C", sp.Rational(2, 5)) == "$C^{2/5}$"     # not C^2/5, read as (C^2)/5
    assert style.power("N", -sp.Rational(3, 13)) == "$N^{-3/13}$"
    assert style.power("k", 1.6) == "$k^{8/5}$"


def test_palette_is_okabe_ito():
    assert set(style.SERIES) == set(style.PALETTE) and len(style.PALETTE) == 8


def test_log_ticks_keep_labels_on_narrow_axes():
    """Powers of ten only on an axis spanning >= MIN_DECADES; a narrower one keeps its labelled minor ticks."""
    from matplotlib.ticker import NullFormatter

    ax = style.figure()[1]
    ax.loglog([1, 10.0 ** (style.MIN_DECADES + 3)], [1, 10.0 ** (style.MIN_DECADES - 1)])
    style.log_ticks(ax)
    assert isinstance(ax.xaxis.get_minor_formatter(), NullFormatter)
    assert not isinstance(ax.yaxis.get_minor_formatter(), NullFormatter)


def test_fit_figures_name_points_and_lines(tmp_path):
    """plots.fit draws FitResult.plot and FittedLaw.plot: legends name the data and the lines."""
    from scalingtheory.fitting.law import fit_law
    from scalingtheory.numerics.fitting import fit

    x = np.logspace(1, 4, 12)
    ax = fit(x[:9], 0.5 + 3 * x[:9] ** -0.4, form="m2", interval="delta").plot(
        style.figure()[1], x_test=x[9:], y_test=0.5 + 3 * x[9:] ** -0.4)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["fit points", "held-out points", "m2 fit", "95% band (delta)", "last fit point"]
    law = fit_law({"N": x, "loss": 1 + x ** -0.3}, "E + A*N**-a", bootstrap=0).plot()
    assert [t.get_text() for t in law.get_legend().get_texts()] == ["runs", "fitted = observed"]


@pytest.mark.parametrize("name", ["random_features", "feature_learning"])
def test_phase_masks_agree_with_exact_classification(name):
    """NumPy masks from the declared intervals vs the engine's exact classification (inequalities.sign)."""
    model = get_model(name)
    als, bs = np.array([1.5, 2.0, 3.0]), np.array([0.5, 1.0, 1.2, 1.5, 2.0, 2.5])
    A, B = np.meshgrid(als, bs)
    masks = phase.regime_masks(model, alpha, beta, A, B)
    assert np.all(sum(m.astype(int) for m in masks.values()) == 1)
    for i, b in enumerate(bs):
        for j, a in enumerate(als):
            exact = model.classify(alpha=sp.nsimplify(a), beta=sp.nsimplify(b))
            assert masks[exact][i, j], (a, b, exact)


def test_boundaries_come_from_the_declaration():
    assert phase.boundaries(get_model("feature_learning"), beta) == [1, 2 - 1 / alpha]
    assert phase.boundaries(get_model("random_features"), beta) == [1, 2]


def test_models_and_numerics_import_no_matplotlib():
    code = ("import sys; from scalingtheory.models import get_model\n"
            "for m in ('random_features', 'feature_learning', 'sparse_parity', 'bnsl'):\n"
            "    get_model(m).analyze()  if m in ('sparse_parity', 'bnsl') else get_model(m).analyze(regime='hard')\n"
            "import scalingtheory.numerics.rf_exact, scalingtheory.numerics.dmft, scalingtheory.numerics.sparse_parity\n"
            "import numpy as np, scalingtheory.numerics.fitting as nf, scalingtheory.fitting.law as fl\n"
            "x = np.logspace(1, 4, 12); nf.fit(x, 0.5 + 3 * x**-0.4, form='m2', interval='delta').report()\n"
            "fl.fit_law({'N': x, 'loss': 1 + x**-0.3}, 'E + A*N**-a', bootstrap=0).report()\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.parametrize("package", ["models", "numerics", "fitting"])
def test_no_drawing_code_outside_plots(package):
    """Models, numerics and fitting (FitResult.plot, FittedLaw.plot delegate to plots.fit) name no matplotlib."""
    root = PLOTS.parent / package
    sources = sorted(root.glob("**/*.py"))
    assert sources
    assert [p.name for p in sources if "matplotlib" in p.read_text()] == []


@pytest.mark.parametrize("name", ["random_features", "feature_learning", "sparse_parity", "bnsl"])
def test_every_figure_has_a_caption(name):
    from scalingtheory.plots import caption

    written = set(re.findall(r'"(\w+)(?:_\{training\})?\.png"', (PLOTS / f"{name}.py").read_text()))
    written |= {f"{name}_phases_{t}" for t in ("lazy", "rich")} if name == "feature_learning" else set()
    written.discard("feature_learning_phases")
    assert written
    for stem in written:
        assert caption(f"{stem}.png") != stem, stem
