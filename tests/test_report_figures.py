"""Figures of the report: the same pixels as matplotlib draws them, stored so that pdflatex copies them."""

import io

import numpy as np
from PIL import Image

from scalingtheory.plots import style


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
