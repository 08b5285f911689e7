"""The report opened from disk in a real browser (headless Chromium), with the network off.

Runs where Chromium and Playwright are installed (``apt-get install chromium``; Playwright is in
the test extra and drives the system browser, it downloads none); skipped with the reason
elsewhere.
"""

from __future__ import annotations

import shutil

import matplotlib
import pytest

import continuity as ct
from continuity.report import write_report

matplotlib.use("Agg")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(BROWSER is None,
                                reason="no Chromium on this machine (apt-get install chromium)")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    en = write_report(ct.datasets.load_solo(), out / "en", focal="Surakarta")
    idn = write_report(ct.datasets.load_solo(), out / "id", focal="Surakarta", lang="id")
    return {"en": en, "id": idn}


def _open(page_path, width):
    """Load the page with every request but the file itself refused; what the page did."""
    seen = {"console": [], "requests": []}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("console", lambda m: seen["console"].append((m.type, m.text)))
        page.on("pageerror", lambda e: seen["console"].append(("pageerror", str(e))))

        def route(r):
            if r.request.url == page_path.as_uri():
                r.continue_()
            else:
                seen["requests"].append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(page_path.as_uri())
        seen["figures"] = page.evaluate("""Array.from(document.querySelectorAll('figure svg'))
            .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })""")
        seen["tables"] = page.evaluate("document.querySelectorAll('table tbody tr').length")
        seen["scroll_width"] = page.evaluate("document.documentElement.scrollWidth")
        seen["overflowing"] = page.evaluate("""Array.from(document.querySelectorAll(
            'p, h1, h2, h3, li, figcaption, .caption'))
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.textContent.slice(0, 60))""")
        browser.close()
    return seen


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("width", [1280, 390])
def test_report_renders(pages, lang, width):
    seen = _open(pages[lang], width)
    assert seen["console"] == []
    assert seen["requests"] == []  # nothing fetched: the page is self-contained
    assert len(seen["figures"]) == 4
    assert all(w > 100 and h > 50 for w, h in seen["figures"])
    assert seen["tables"] > 10
    assert seen["scroll_width"] <= width  # no text pushes the page wider than the screen
    assert seen["overflowing"] == []
