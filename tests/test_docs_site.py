"""The documentation site, as a reader sees it: built pages opened in headless Chromium.

``.ci/run`` builds the site (``sphinx-build -W -b html docs docs/_build/html``) before the test suite;
these tests read that build. Without a build (a user who runs only the tests) they are skipped, and
without Chromium the browser checks are skipped; the link check needs neither a browser nor a network.

What they prove:
* every link inside the site (``href`` of ``<a>``, ``src`` of ``<img>``/``<script>``, ``<link>``) resolves
  to a file of the build, and a ``#fragment`` to an element with that id;
* no page loads a script, stylesheet or image from the network;
* in Chromium, after the page's scripts ran, MathJax typeset the math: typeset elements exist and no
  TeX source (``\\frac``, ``\\(``, ``$$``) is left in the visible text; screenshots of the landing page,
  a model page and a gallery page are written to ``docs/_build/screenshots/`` and are not blank
  (``-m slow``: a second Chromium run per page).
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "_build" / "html"
PAGES = {"landing": "index.html", "model": "models/feature_learning.html", "gallery": "auto_examples/compute_budget.html"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]

pytestmark = pytest.mark.skipif(not (SITE / "index.html").is_file(),
                                reason="documentation not built (sphinx-build -W -b html docs docs/_build/html)")


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _references(soup):
    for tag, attr in (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href")):
        for element in soup.find_all(tag):
            if element.get(attr):
                yield tag, element[attr]


def test_every_link_inside_the_site_resolves_and_nothing_comes_from_the_network():
    pages = sorted(p for p in SITE.rglob("*.html") if "_static" not in p.relative_to(SITE).parts)
    assert len(pages) > 20
    ids = {}
    broken, remote = [], []
    for page in pages:
        for tag, ref in _references(_soup(page)):
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https") or ref.startswith("//"):
                if tag != "a":
                    remote.append(f"{page.relative_to(SITE)}: <{tag}> {ref}")
                continue
            if parts.scheme or (not parts.path and not parts.fragment):
                continue   # mailto:, data: ...
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(SITE)}: {ref}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {el["id"] for el in _soup(target).find_all(id=True)}
                if parts.fragment not in ids[target]:
                    broken.append(f"{page.relative_to(SITE)}: {ref} (no id {parts.fragment!r})")
    assert not remote, remote[:10]
    assert not broken, broken[:20]


def test_every_example_and_derivation_has_its_page_with_figures():
    for script in sorted((ROOT / "examples").glob("*.py")):
        page = SITE / "auto_examples" / f"{script.stem}.html"
        assert page.is_file(), script.name
    for doc in sorted((ROOT / "derivations").glob("*.py")):
        assert (SITE / "derivations" / f"{doc.stem}.html").is_file(), doc.name
    figures = [img for img in _soup(SITE / "auto_examples" / "compute_budget.html").find_all("img")
               if "images/" in img.get("src", "")]
    assert figures, "the gallery page shows the figure its example wrote"


@functools.lru_cache(maxsize=None)
def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


@pytest.fixture(scope="module")
def server():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _browser(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=15000",
                           *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed (Debian package chromium)")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_renders_its_math_in_chromium(name, server, tmp_path):
    from bs4 import BeautifulSoup

    url = f"{server}/{PAGES[name]}"
    dom = _browser(["--dump-dom", url], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    soup = BeautifulSoup(dom.stdout, "html.parser")
    typeset = soup.select(".MathJax_CHTML, .MathJax, .MathJax_SVG, mjx-container")
    if name != "gallery":
        assert typeset, f"{url}: no math was typeset"
    for hidden in soup(["script", "style", "noscript", "template"]):
        hidden.decompose()
    text = soup.get_text(" ")
    raw = re.findall(r"\\frac|\\\(|\\\[|\$\$|\\alpha|\\beta", text)
    assert not raw, f"{url}: TeX left untypeset: {raw[:5]}"


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed (Debian package chromium)")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_screenshot_is_not_blank(name, server, tmp_path):
    """A screenshot of each page in ``docs/_build/screenshots/`` for a person to look at (a second Chromium run
    per page, ~4 s CPU each: slow-marked; that the math is typeset is checked above from the DOM)."""
    shots = ROOT / "docs" / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    png = shots / f"{name}.png"
    shot = _browser([f"--screenshot={png}", "--window-size=1280,1600", f"{server}/{PAGES[name]}"], tmp_path)
    assert shot.returncode == 0 and png.is_file(), shot.stderr[-2000:]
    from PIL import Image

    with Image.open(png) as image:
        lo, hi = image.convert("L").getextrema()
    assert hi - lo > 100, f"{png} is blank"
