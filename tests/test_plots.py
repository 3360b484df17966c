"""The plots package: one style, one phase-diagram routine reading the declarations, captions;
models and numerics import no matplotlib (issue 14, item 2; issue 15, item 6)."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from scalingtheory.models import available, get_model
from scalingtheory import figure_style as style
from scalingtheory.plots import phase
from scalingtheory.symbols import alpha, beta

PLOTS = Path(__file__).resolve().parents[1] / "scalingtheory" / "plots"


def test_exponent_labels_are_exact_and_grouped():
    assert style.power("C", sp.Rational(2, 5)) == "$C^{2/5}$"     # not C^2/5, read as (C^2)/5
    assert style.power("N", -sp.Rational(3, 13)) == "$N^{-3/13}$"
    assert style.power("k", 1.6) == "$k^{8/5}$"


def test_palette_is_okabe_ito():
    assert set(style.SERIES) == set(style.PALETTE) and len(style.PALETTE) == 8


def _labels(axis) -> list[str]:
    """The labels a reader sees on ``axis`` (major ticks inside the view; minor ticks are unlabelled)."""
    axis.axes.figure.canvas.draw()
    low, high = sorted(axis.get_view_interval())
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text() and low <= t.get_position()[axis is
                                                                                                 axis.axes.yaxis] <= high]


def test_log_ticks_one_rule_wide_and_narrow_axes():
    """>= MIN_DECADES: powers of ten only. Narrower (e.g. 150..1500, 0.3..2.2): plain numbers at 1, 2, 5 x 10^k,
    never the overlapping 2x10^2 3x10^2 minor labels; every axis of a saved figure gets the rule."""
    from matplotlib.ticker import NullFormatter

    fig, ax = style.figure()
    ax.loglog([1, 10.0 ** (style.MIN_DECADES + 3)], [1, 10.0 ** (style.MIN_DECADES - 1)])
    style.log_ticks(ax)
    assert all(re.fullmatch(r"\$\\mathdefault\{10\^\{\d+\}\}\$", t) for t in _labels(ax.xaxis)), _labels(ax.xaxis)
    assert isinstance(ax.xaxis.get_minor_formatter(), NullFormatter)
    fig, ax = style.figure()
    ax.loglog([150, 1500], [0.3, 2.2])
    style.log_ticks(ax)
    assert _labels(ax.xaxis) == ["200", "500", "1000"] and _labels(ax.yaxis) == ["0.5", "1", "2"]
    fig, ax = style.figure()
    ax.loglog([2e-5, 9e-5], [0.31, 0.9])        # < half a decade: every integer multiple
    style.log_ticks(ax)
    assert _labels(ax.xaxis) == [r"$2\times10^{-5}$", r"$3\times10^{-5}$", r"$4\times10^{-5}$", r"$5\times10^{-5}$",
                                 r"$6\times10^{-5}$", r"$7\times10^{-5}$", r"$8\times10^{-5}$", r"$9\times10^{-5}$"]
    assert _labels(ax.yaxis)[:3] == ["0.3", "0.4", "0.5"]
    fig, ax = style.figure()                    # style.save applies the rule to an axis drawn without it
    ax.loglog([150, 1500], [1, 2])
    ax.set_xticks([200, 1000], ["a", "b"])      # ticks set by hand are left alone
    style.save(fig, Path(__import__("tempfile").mkdtemp()) / "f.png")
    assert _labels(ax.yaxis) == ["1", "2"] and _labels(ax.xaxis) == ["a", "b"]


def test_fit_figures_name_points_and_lines(tmp_path):
    """fitting.figures draws FitResult.plot and FittedLaw.plot: legends name the data and the lines."""
    from scalingtheory.fitting.law import fit_law
    from scalingtheory.fitting.curve import fit

    x = np.logspace(1, 4, 12)
    ax = fit(x[:9], 0.5 + 3 * x[:9] ** -0.4, form="m2", interval="delta").plot(
        style.figure()[1], x_test=x[9:], y_test=0.5 + 3 * x[9:] ** -0.4)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["fit points", "held-out points", "M2 fit", "95% band (delta)", "last fit point"]
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
            "import numpy as np, scalingtheory.fitting.curve as nf, scalingtheory.fitting.law as fl\n"
            "x = np.logspace(1, 4, 12); nf.fit(x, 0.5 + 3 * x**-0.4, form='m2', interval='delta').report()\n"
            "fl.fit_law({'N': x, 'loss': 1 + x**-0.3}, 'E + A*N**-a', bootstrap=0).report()\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.parametrize("package, drawing", [("models", []), ("numerics", []), ("fitting", ["figures.py"])])
def test_drawing_code_lives_in_plots_and_in_the_figures_of_fit_results(package, drawing):
    """Models and numerics name no matplotlib; fitting names it only in fitting/figures.py, where its results draw
    themselves (FitResult.plot, FittedLaw.plot, ProfileResult.plot; fitting sits below plots)."""
    root = PLOTS.parent / package
    sources = sorted(root.glob("**/*.py"))
    assert sources
    assert [p.name for p in sources if "matplotlib" in p.read_text()] == drawing


@pytest.mark.parametrize("name", [n for n in available() if (PLOTS / f"{n}.py").exists()])
def test_every_figure_has_a_caption(name):
    from scalingtheory.plots import caption

    written = set(re.findall(r'"(\w+)(?:_\{training\})?\.png"', (PLOTS / f"{name}.py").read_text()))
    written |= {f"{name}_phases_{t}" for t in ("lazy", "rich")} if name == "feature_learning" else set()
    written.discard("feature_learning_phases")
    assert written
    for stem in written:
        assert caption(f"{stem}.png") != stem, stem


def test_spectrum_estimate_plot_uses_the_shared_style():
    """SpectrumEstimate.plot (the left panel of theory meets data): palette colours, math labels, tick rule."""
    from matplotlib.colors import to_hex

    import scalingtheory as st
    from scalingtheory.spectrum.datasets import load_teacher

    X, y, _ = load_teacher(n=300)
    ax = st.spectrum(X, y, bootstrap=4).plot()
    colours = {to_hex(line.get_color()).upper() for line in ax.get_lines()}
    assert colours <= set(style.PALETTE) | {"#808080"}, colours     # no matplotlib default C0/C1/C3
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "eigenvalues of $K/n$" and labels[1].startswith(r"$\alpha$ = ")
    assert any(lab.startswith(r"$\beta$ = ") for lab in labels) and ax.get_xlabel() == "mode $k$"


def test_every_note_typesets_in_matplotlib_mathtext():
    """style.math_label (the report's math_text rule) gives math text matplotlib can draw for every note and
    regime description of every model, and for the phase diagrams' dominance labels."""
    from matplotlib.mathtext import MathTextParser

    from scalingtheory.models import available

    parser = MathTextParser("path")
    texts = set()
    for name in available():
        model = get_model(name)
        for point in model.table_points():
            r = model.analyze(**point)
            texts |= set(r.notes) | {r.regime.description}
    fl = get_model("feature_learning")
    for regime in ("hard", "easy", "super-easy"):
        p = fl.representative(regime)
        texts |= set(fl.dominance(p, fl.regime(p)))
    assert len(texts) > 20
    for text in texts:
        label = style.math_label(text)
        assert label.count("$") % 2 == 0 and "^" not in "".join(label.split("$")[::2]), (text, label)
        for formula in label.split("$")[1::2]:
            parser.parse(f"${formula}$")      # raises ValueError on what mathtext cannot draw
