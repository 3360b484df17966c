r"""One style for every figure of the toolkit.

* colours: the Okabe--Ito palette (distinguishable under the common colour-vision deficiencies);
  theory is drawn as lines, numerics as markers, and legends name both;
* exponents in labels are typeset by :func:`power` (``C^{2/5}``, never ``C^2/5``);
* :func:`figure` makes a constrained-layout figure (no overlapping labels); :func:`save` writes PNG.

>>> power("C", sp.Rational(2, 5))
'$C^{2/5}$'
>>> power("C", -sp.Rational(1, 3))
'$C^{-1/3}$'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

#: Okabe & Ito (2008), "Color universal design": black, orange, sky blue, bluish green, yellow,
#: blue, vermillion, reddish purple
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
#: the colours used for series (yellow, too light on white, last)
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: regime fills of phase diagrams (light tints of the palette)
REGIME_FILLS = ("#cfe3f2", "#f7dcc6", "#cdeadf", "#f0d8e7")
#: sequential colour map of exponents (perceptually uniform, colour-blind safe)
CMAP = "cividis"
DPI = 120
#: a log axis spanning fewer decades is labelled at 1, 2, 5 x 10^k in plain numbers (:func:`log_ticks`)
MIN_DECADES = 2
#: the largest a figure is printed (inches): the report's landscape text block less room for a caption; a
#: larger figure is scaled down to fit (:data:`INCLUDE_SIZE`)
PRINT_SIZE = (9.8, 5.8)
#: ``\includegraphics`` options of a figure in the report (and the spectrum section): at its own size (the size
#: its fonts were chosen for), scaled down only where larger than :data:`PRINT_SIZE` (adjustbox's ``max``)
INCLUDE_SIZE = f"max width={PRINT_SIZE[0]}in,max height={PRINT_SIZE[1]}in"
#: the smallest text of a figure at the scale it is printed (points): :func:`save` enlarges smaller text
MIN_PRINT_PT = 7.0
#: the PNG text chunk where :func:`save` records the smallest font at print scale
PRINT_KEY = "scalingtheory:min_print_pt"
FONT = {"font.size": 9, "axes.titlesize": 9, "axes.labelsize": 9, "legend.fontsize": 7,
        "xtick.labelsize": 8, "ytick.labelsize": 8}


def color(i: int) -> str:
    """The ``i``-th series colour."""
    return SERIES[i % len(SERIES)]


def power(base: str, exponent) -> str:
    """Math-text label ``$base^{exponent}$`` with the exponent exact (a rational stays ``p/q``)."""
    e = sp.nsimplify(exponent) if not isinstance(exponent, sp.Basic) else exponent
    text = sp.sstr(e) if e.is_Rational else f"{float(e):.3g}"
    return f"${base}^{{{text}}}$"


def figure(ncols: int = 1, nrows: int = 1, width: float = 5.0, height: float = 3.8):
    """``(fig, axes)``: a constrained-layout :class:`matplotlib.figure.Figure` (not pyplot) in this style."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context(FONT):
        fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat:
        style_axes(ax)
    return fig, (axes.flat[0] if axes.size == 1 else list(axes.flat))


def style_axes(ax) -> None:
    """Readable ticks (plain numbers on linear axes, powers of ten on log axes) and fonts."""
    ax.tick_params(labelsize=FONT["xtick.labelsize"])
    ax.title.set_fontsize(FONT["axes.titlesize"])


def tick_label(value, _pos=None) -> str:
    r"""A tick label on a narrow log axis: plain digits from 0.001 to 99999 (``0.05``, ``200``), else
    ``m x 10^k`` in math text.

    >>> tick_label(0.05), tick_label(2000), tick_label(3e-5), tick_label(1e6)
    ('0.05', '2000', '$3\\times10^{-5}$', '$10^{6}$')
    """
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:g}"
    power = int(np.floor(np.log10(abs(value)) + 1e-9))
    mantissa = round(value / 10.0 ** power, 6)
    return f"$10^{{{power}}}$" if mantissa == 1 else f"${mantissa:g}\\times10^{{{power}}}$"


def log_ticks(ax, which: str = "both") -> None:
    """The one tick rule of log axes. Spanning at least :data:`MIN_DECADES` decades: labels at powers of
    ten only. Narrower: labels at 1, 2, 5 x 10^k (every integer multiple when that gives fewer than three)
    as plain numbers (:func:`tick_label`), never the overlapping ``2x10^0 3x10^0`` minor labels.
    Unlabelled minor ticks stay; an axis with ticks set by hand (``set_xticks``) is left alone.
    Called by :func:`save` on every axes (after drawing: the span is the axis' view limits)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter

    axes = {"x": [ax.xaxis], "y": [ax.yaxis], "both": [ax.xaxis, ax.yaxis]}[which]
    for axis in axes:
        low, high = sorted(axis.get_view_interval())
        if axis.get_scale() != "log" or low <= 0 or isinstance(axis.get_major_locator(), FixedLocator):
            continue
        decades = np.log10(high / low)
        if decades >= MIN_DECADES:
            axis.set_major_locator(LogLocator(base=10, numticks=8))
        else:
            subs = (1.0, 2.0, 5.0)
            powers = 10.0 ** np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
            if sum(low <= m * p <= high for m in subs for p in powers) < 3:
                subs = tuple(np.arange(1.0, 10.0))
            axis.set_major_locator(LogLocator(base=10, subs=subs))
            axis.set_major_formatter(FuncFormatter(tick_label))
        axis.set_minor_formatter(NullFormatter())


def math_label(text) -> str:
    """A note's plain text (``t^-chi -> N^-(alpha min(beta, 1))``) in matplotlib math text: the report's
    rule (:func:`scalingtheory.display.math_text`)."""
    from .display import math_text

    return math_text(text, "mpl")


def legend(ax, **kw):
    """A legend placed where it hides least data (``best``), small and semi-transparent."""
    return ax.legend(**{"loc": "best", "fontsize": FONT["legend.fontsize"], "framealpha": 0.8, **kw})


def print_scale(fig) -> float:
    """The scale a figure is printed at: 1, or less where it is larger than :data:`PRINT_SIZE`."""
    width, height = fig.get_size_inches()
    return min(1.0, PRINT_SIZE[0] / width, PRINT_SIZE[1] / height)


def readable(fig) -> float:
    """Enlarge every text of ``fig`` (labels, ticks, legends, notes) that would print smaller than
    :data:`MIN_PRINT_PT` at :func:`print_scale`; returns the smallest font at print scale (points)."""
    from matplotlib.text import Text

    scale, smallest = print_scale(fig), np.inf
    least = MIN_PRINT_PT / scale + 1e-9
    for ax in fig.axes:   # tick labels get their text only when drawn: their size is set on the ticks
        for which, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            sizes = [t.label1.get_fontsize() for t in axis.get_major_ticks() + axis.get_minor_ticks()]
            if sizes and min(sizes) < least:
                ax.tick_params(axis=which, which="both", labelsize=least)
            smallest = min([smallest, *(max(s, least) * scale for s in sizes)])
    for text in fig.findobj(Text):
        if text.get_text() and text.get_visible():
            text.set_fontsize(max(text.get_fontsize(), least))
            smallest = min(smallest, text.get_fontsize() * scale)
    return float(smallest)


def save(fig, path) -> Path:
    """Write ``fig`` as PNG at the common resolution, the tick rule (:func:`log_ticks`) applied to
    every axes and text enlarged to print readably (:func:`readable`; the smallest font at print scale is
    stored in the PNG's ``scalingtheory:min_print_pt`` text); returns the path.

    An opaque figure (all of them: white background) is stored without its alpha channel, the same
    pixels as matplotlib's RGBA file: pdflatex copies an RGB PNG into the PDF as it is, but decodes and
    re-compresses every image with an alpha channel (the quick report's pdflatex pass took 1.1 s CPU
    instead of 0.2 s, at the end of the report where nothing else runs)."""
    import io

    from PIL import Image

    from PIL.PngImagePlugin import PngInfo

    for ax in fig.axes:
        log_ticks(ax)
    info = PngInfo()
    info.add_text(PRINT_KEY, f"{readable(fig):.2f}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=DPI)
    with Image.open(png) as image:
        opaque = image.mode == "RGBA" and image.getextrema()[3][0] == 255
        (image.convert("RGB") if opaque else image).save(path, format="png", dpi=(DPI, DPI), pnginfo=info)
    return path


__all__ = ["PALETTE", "SERIES", "REGIME_FILLS", "CMAP", "color", "power", "figure", "style_axes", "log_ticks", "tick_label", "math_label",
           "legend", "save",
           "print_scale", "readable", "PRINT_SIZE", "MIN_PRINT_PT", "PRINT_KEY"]
