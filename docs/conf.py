"""Sphinx configuration of the scalingtheory documentation site.

Build (warnings are errors; nothing is fetched from the network)::

    pip install '.[docs]'
    sphinx-build -W -b html docs docs/_build/html

* narrative pages are MyST Markdown; pages with ``{code-cell}`` blocks are MyST-NB notebooks executed
  during the build (a failing cell fails the build), so every number they show is computed by the toolkit;
* ``derivations/*.py`` (jupytext percent format, Markdown + math) are converted to notebooks under
  ``docs/derivations/`` and executed by MyST-NB: each derivation is a page with its checks' output;
* ``examples/*.py`` form the gallery (``_gallery.py``): each example runs in its own process with
  ``--quick --out DIR`` and its page shows its text, output, the PNG files it wrote and its code;
* math is typeset by MathJax 2.7 served from the built site (the copy shipped by the PyPI package
  ``jupyter-server-mathjax``), never from a CDN.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(DOCS), str(ROOT)]  # cli_parser.py, _pages.py; the package of this checkout
# the executed pages' kernels and the gallery's processes import the same (they run in temporary folders)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(DOCS), str(ROOT), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("OMP_NUM_THREADS", "1")   # the gallery's and derivations' BLAS: no spin-waiting threads
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import scalingtheory  # noqa: E402

project = "scalingtheory"
author = "the scalingtheory developers"
copyright = "2026, the scalingtheory developers (code MIT; packaged data CC BY 4.0)"
version = release = scalingtheory.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinxarg.ext",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "gallery_header.rst"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"

# -- MyST / MyST-NB ------------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
#: ``SCALINGTHEORY_DOCS_DRAFT=1`` skips executing pages and examples (for editing text; CI never sets it)
DRAFT = os.environ.get("SCALINGTHEORY_DOCS_DRAFT") == "1"
nb_execution_mode = "off" if DRAFT else "force"
nb_execution_timeout = 900
nb_execution_raise_on_error = True
nb_execution_in_temp = True          # a page's cells write into a temporary folder, never into docs/
nb_merge_streams = True
#: Markdown that a cell displays (the model pages' tables, whose cells are $...$ math) is parsed as MyST, with
#: dollarmath, so MathJax typesets it; CommonMark (the default) would leave the TeX as text
nb_render_markdown_format = "myst"

# -- API reference -------------------------------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
suppress_warnings = ["myst.header", "autosummary.import_cycle"]

# -- math, offline -------------------------------------------------------------------------------
MATHJAX = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
mathjax_path = MATHJAX
myst_update_mathjax = False   # MyST's settings are MathJax 3's; the site serves MathJax 2.7
mathjax2_config = {"tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                               "processEscapes": True, "processClass": "math|output_area|tex2jax_process",
                               "ignoreClass": "tex2jax_ignore|mathjax_ignore"},
                   # the package ships the STIX-Web fonts only (as Jupyter configures it)
                   "HTML-CSS": {"availableFonts": [], "webFont": "STIX-Web", "imageFont": None, "preferredFont": None},
                   "showMathMenu": False, "messageStyle": "none"}

# -- HTML ----------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"scalingtheory {release}"
html_theme_options = {
    "navbar_end": ["navbar-icon-links"],
    "icon_links": [],
    "show_toc_level": 2,
    "header_links_before_dropdown": 4,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False


# -- derivations: percent-format scripts -> executed notebooks ------------------------------------
def _derivation_pages(app) -> None:
    """Convert ``derivations/*.py`` to ``docs/derivations/*.ipynb`` (generated, not committed)."""
    import jupytext

    target = DOCS / "derivations"
    target.mkdir(exist_ok=True)
    for old in target.glob("*.ipynb"):
        old.unlink()
    for src in sorted((ROOT / "derivations").glob("*.py")):
        notebook = jupytext.read(src, fmt="py:percent")
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        jupytext.write(notebook, target / f"{src.stem}.ipynb")


def _vendor_mathjax(app, exception) -> None:
    """Copy MathJax 2.7 from the ``jupyter-server-mathjax`` package into the built site."""
    if exception is not None or app.builder.format != "html":
        return
    import jupyter_server_mathjax

    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", Path(app.outdir) / "_static" / "mathjax",
                    dirs_exist_ok=True)


def _gallery(app) -> None:
    import _gallery

    _gallery.build(ROOT, DOCS, run=not DRAFT)


def setup(app):
    app.connect("builder-inited", _derivation_pages)
    app.connect("builder-inited", _gallery)
    app.connect("build-finished", _vendor_mathjax)
