"""Results in a real notebook (issue 26, item 2): executed by nbclient, exported by nbconvert, rendered by
headless Chromium with MathJax loaded from disk.

What this proves: a notebook that shows the toolkit's results (a result set over two models, the symbolic
random-feature closed forms with their wide prefactors, a quantity, a regime, one quantity by regime, a
verify verdict) carries their math as LaTeX in its outputs (no Python syntax such as ``**`` or ``pi``),
and in the HTML that ``jupyter nbconvert --to html`` writes, MathJax 2.7 (the version nbconvert's
template loads, here from the ``jupyter-server-mathjax`` package instead of its CDN; every other address
fails by ``--host-resolver-rules``) typesets every formula without an error, leaves no raw LaTeX in the
outputs, and no output is wider than its area. The screenshot (``notebook.png`` beside the HTML under
the test's tmp folder, ``-m slow``) is for a person to look at; it asserts only that a page was drawn. JupyterLab's own renderer
(MathJax 3) is not run here.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")
pytest.importorskip("ipykernel")
mathjax = pytest.importorskip("jupyter_server_mathjax")
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (Debian package chromium)")

REPO = pathlib.Path(__file__).resolve().parents[1]
CELLS = [
    "import scalingtheory as st\nfrom scalingtheory.symbols import alpha, beta\nfrom scalingtheory.verify import verify",
    "st.optimal(alpha=2, beta='1/2')",
    "st.optimal('random_features', alpha=alpha, beta=beta)",
    "st.exponents('random_features', alpha=2, beta='1/2')['compute_optimal.prefactors.t']",
    "st.exponents('random_features', alpha=2, beta='1/2').regime",
    "st.optimal('random_features', alpha=alpha, beta=beta)['exponents.N']",
    "verify('random_features', 'exponents.t', 'beta', alpha=2, beta='1/2')",
]
#: run after MathJax has typeset the page: what it rendered, its errors, raw LaTeX left, overflowing outputs
CHECK = """<script>
(function () {
  var errors = [];
  MathJax.Hub.Register.MessageHook("TeX Jax - parse error", function (m) { errors.push(String(m[1])); });
  MathJax.Hub.Register.MessageHook("Math Processing Error", function (m) { errors.push(String(m[2])); });
  MathJax.Hub.Queue(function () {
    var outs = Array.prototype.slice.call(document.querySelectorAll(".jp-OutputArea-output"));
    var text = outs.map(function (o) { return o.innerText; }).join("\\n");
    var wide = outs.filter(function (o) { return o.scrollWidth > o.clientWidth + 1; }).length;
    var pre = document.createElement("pre");
    pre.id = "st-check";
    pre.textContent = JSON.stringify({
      scripts: document.querySelectorAll("script[type^='math/tex']").length,
      typeset: document.querySelectorAll("span.MathJax").length,
      errors: errors, raw: (text.match(/\\\\\\(|\\\\frac|\\\\begin|\\$/g) || []).length,
      outputs: outs.length, wide: wide});
    document.body.appendChild(pre);
  });
})();
</script>"""


def _execute(tmp_path):
    """The notebook, executed in a fresh kernel that imports this tree."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
        mp.setenv("OMP_NUM_THREADS", "1")
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
    nbformat.write(nb, tmp_path / "results.ipynb")
    return nb


def _chromium(html_path: pathlib.Path, action: str) -> subprocess.CompletedProcess:
    """Headless Chromium, offline, on ``html_path`` with one ``action`` (``--dump-dom``, ``--screenshot=...``)."""
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={html_path.parent / 'chromium-profile'}", "--allow-file-access-from-files",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1100,3000", "--virtual-time-budget=30000"]
    return subprocess.run(flags + [action, html_path.as_uri()], capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    """``(executed notebook, its HTML page)``: one kernel run and one nbconvert export shared by the tests
    (the kernel's imports and derivations are most of their CPU)."""
    tmp = tmp_path_factory.mktemp("notebook")
    nb = _execute(tmp)
    mj = pathlib.Path(mathjax.__file__).parent / "static" / "MathJax.js"
    exporter = nbconvert.HTMLExporter(mathjax_url=mj.as_uri() + "?config=TeX-AMS-MML_HTMLorMML-full,Safe")
    body, _ = exporter.from_notebook_node(nb)
    assert mj.as_uri() in body
    html_path = tmp / "notebook.html"
    html_path.write_text(body.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    return nb, html_path


def test_notebook_outputs_carry_their_math_as_latex(notebook):
    nb, _ = notebook
    shown = [o for c in nb.cells[1:] for o in c.outputs if o.output_type == "execute_result"]
    assert len(shown) == len(CELLS) - 1
    for out in shown:
        rich = out.data.get("text/html") or out.data["text/markdown"]
        assert re.search(r"\\\(|\$", rich), rich[:300]        # the math is there, as LaTeX
        python = r"[\w)]\*\*[\w(]|(?<![\\\w])(pi|sqrt\(|gamma\()"     # 2**(2/3), pi, not **bold** or \pi
        assert not re.search(python, rich), rich[:300]
    result_set = shown[0].data["text/html"]
    assert result_set.count("<table") == 1 and "feature_learning" in result_set and "random_features" in result_set
    assert r"\begin{array}{l}" in shown[1].data["text/html"]   # the symbolic prefactors are folded


def test_mathjax_typesets_every_formula_in_chromium(notebook):
    """Chromium's DOM after MathJax ran (the check's JSON): every formula typeset, no error, no raw LaTeX,
    no output wider than its area."""
    nb, html_path = notebook
    dom = _chromium(html_path, "--dump-dom")
    found = re.search(r'<pre id="st-check">(.*?)</pre>', dom.stdout, re.S)
    assert found, f"MathJax never finished typesetting (stderr: {dom.stderr[-500:]})"
    check = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    shown = sum(o.output_type == "execute_result" for c in nb.cells[1:] for o in c.outputs)
    assert check["errors"] == [], check
    assert check["scripts"] > 100 and check["typeset"] == check["scripts"], check   # every formula typeset
    assert check["raw"] == 0 and check["wide"] == 0 and check["outputs"] >= shown, check


@pytest.mark.slow
def test_screenshot_of_the_rendered_notebook(notebook):
    """A picture for a person to look at (``notebook.png`` beside the HTML under the test's tmp folder); the
    typeset output is checked by the DOM test above (a second Chromium run, ~4 s CPU, so it is slow-marked)."""
    _, html_path = notebook
    shot = html_path.with_name("notebook.png")
    _chromium(html_path, f"--screenshot={shot}")
    assert shot.stat().st_size > 50_000      # a page was drawn
