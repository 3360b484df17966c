"""Results in a real notebook (issue 26, item 2): executed by nbclient, exported by nbconvert, rendered by
headless Chromium with MathJax loaded from disk.

What this proves: a notebook that shows the toolkit's results (a result set over two models, the symbolic
random-feature closed forms with their wide prefactors, a quantity, a regime, one quantity by regime, a
verify verdict) carries their math as LaTeX in its outputs (no Python syntax such as ``**`` or ``pi``),
and in the HTML that ``jupyter nbconvert --to html`` writes, MathJax 2.7 (the version nbconvert's
template loads, here from the ``jupyter-server-mathjax`` package instead of its CDN; every other address
fails by ``--host-resolver-rules``) typesets every formula without an error, leaves no raw LaTeX in the
outputs, and no output is wider than its area. The screenshot (``notebook.png`` beside the HTML under
the test's tmp_path) is for a person to look at; it asserts nothing by itself. JupyterLab's own renderer
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


def _execute(tmp_path, monkeypatch):
    """The notebook, executed in a fresh kernel that imports this tree."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    nbformat.write(nb, tmp_path / "results.ipynb")
    return nb


def _render(html_path: pathlib.Path, shot: pathlib.Path) -> dict:
    """Chromium's DOM after MathJax ran (the check's JSON) and a screenshot, offline."""
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={html_path.parent / 'chromium-profile'}", "--allow-file-access-from-files",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1100,3000", "--virtual-time-budget=30000"]
    dom = subprocess.run(flags + ["--dump-dom", html_path.as_uri()], capture_output=True, text=True, timeout=180)
    subprocess.run(flags + [f"--screenshot={shot}", html_path.as_uri()], capture_output=True, timeout=180)
    found = re.search(r'<pre id="st-check">(.*?)</pre>', dom.stdout, re.S)
    assert found, f"MathJax never finished typesetting (stderr: {dom.stderr[-500:]})"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_notebook_results_typeset_by_mathjax_in_chromium(tmp_path, monkeypatch):
    nb = _execute(tmp_path, monkeypatch)
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

    mj = pathlib.Path(mathjax.__file__).parent / "static" / "MathJax.js"
    exporter = nbconvert.HTMLExporter(mathjax_url=mj.as_uri() + "?config=TeX-AMS-MML_HTMLorMML-full,Safe")
    body, _ = exporter.from_notebook_node(nb)
    assert mj.as_uri() in body
    html_path = tmp_path / "notebook.html"
    html_path.write_text(body.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    shot = tmp_path / "notebook.png"
    check = _render(html_path, shot)
    assert check["errors"] == [], check
    assert check["scripts"] > 100 and check["typeset"] == check["scripts"], check   # every formula typeset
    assert check["raw"] == 0 and check["wide"] == 0 and check["outputs"] >= len(shown), check
    assert shot.stat().st_size > 50_000      # a page was drawn (for a person to look at: tmp_path/notebook.png)
