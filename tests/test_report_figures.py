"""Figures of the report: the same pixels as matplotlib draws them, stored so that pdflatex copies them."""

import io

import numpy as np
from PIL import Image

from scalingtheory import figure_style as style


def _figure(alpha: float = 1.0):
    fig, ax = style.figure(width=3.0, height=2.0)
    fig.patch.set_alpha(alpha)
    ax.loglog([1, 10, 100], [1, 0.3, 0.1], "o-", label=r"$L \sim t^{-1/2}$")
    style.legend(ax)
    return fig


def test_an_opaque_figure_is_stored_as_rgb_with_matplotlibs_pixels(tmp_path):
    path = style.save(_figure(), tmp_path / "a.png")
    fig, reference = _figure(), io.BytesIO()   # a fresh figure: a second draw would lay out anew
    for ax in fig.axes:
        style.log_ticks(ax)
    fig.savefig(reference, format="png", dpi=style.DPI)
    want = np.asarray(Image.open(reference))
    with Image.open(path) as image:
        assert image.mode == "RGB" and tuple(round(d) for d in image.info["dpi"]) == (style.DPI, style.DPI)
        got = np.asarray(image)
    assert want.shape[:2] == got.shape[:2] and (want[..., 3] == 255).all()
    assert np.array_equal(want[..., :3], got)


def test_a_transparent_figure_keeps_its_alpha_channel(tmp_path):
    with Image.open(style.save(_figure(alpha=0.0), tmp_path / "t.png")) as image:
        assert image.mode == "RGBA" and image.getextrema()[3][0] < 255


def test_text_of_a_wide_figure_prints_at_seven_points_or_more(tmp_path):
    """A 15-inch figure is printed at 9.8/15 of its size: text smaller than 7 pt at that scale is enlarged,
    and the smallest printed size is recorded in the PNG for the report's check."""
    fig, axes = style.figure(ncols=3, width=5.0, height=3.0)
    for ax in axes:
        ax.plot([1, 2], [1, 2], label="a")
        ax.text(1, 1, "note", fontsize=5)
        style.legend(ax)
    scale = style.print_scale(fig)
    assert scale == style.PRINT_SIZE[0] / 15.0
    with Image.open(style.save(fig, tmp_path / "w.png")) as image:
        assert float(image.text[style.PRINT_KEY]) >= style.MIN_PRINT_PT
    sizes = [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_text()]
    assert min(sizes) * scale >= style.MIN_PRINT_PT - 1e-6
    from scalingtheory.report.report import FIGURE_SIZE
    assert FIGURE_SIZE == f"max width={style.PRINT_SIZE[0]}in,max height={style.PRINT_SIZE[1]}in"


def test_rich_gain_diagram_is_the_difference_of_the_exact_exponents():
    """phase_difference (rich - lazy r_C): the exact difference of the analysed exponents, positive only in
    the hard regime (beta < 1), zero in easy and super-easy."""
    from scalingtheory.models import get_model
    from scalingtheory.plots import phase
    from scalingtheory.symbols import alpha, beta

    model = get_model("feature_learning")
    fig, ax = style.figure()
    mesh = phase.phase_difference(ax, model, alpha, beta, np.array([2.0, 3.0]), np.array([0.5, 1.25, 2.5]),
                                  {"training": "lazy"}, {"training": "rich"}, levels=(0.05,))
    grid = np.asarray(mesh.get_array()).reshape(3, 2)
    for i, b in enumerate(("1/2", "5/4", "5/2")):
        for j, a in enumerate((2, 3)):
            r = {tr: model.analyze(alpha=a, beta=b, training=tr).compute_optimal.loss.value for tr in ("lazy", "rich")}
            assert abs(grid[i, j] - (r["rich"] - r["lazy"])) < 1e-12
    assert (grid[0] > 0).all() and (grid[1:] == 0).all()
