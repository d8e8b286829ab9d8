"""Both editions of the book in a real browser: headless Chromium, offline, over local HTTP.

Every page opens without a console error and without a request leaving 127.0.0.1; its formulas
are typeset by the bundled MathJax and its images load; next/previous walk the table of
contents; the download button serves a valid notebook; search finds chapter 1; the animation
plays. Screenshots of three pages are saved to _build/screenshots/ for a human to look at.
"""

import functools
import http.server
import re
import threading
from pathlib import Path

import nbformat
import pytest
from support import REPO, exercise_pages, pages

SCREENSHOTS = REPO / "_build" / "screenshots"

# Waits until MathJax (when the page loads it) has typeset everything; true when there is none.
MATHJAX_DONE = """async () => {
    if (!document.querySelector('script[src*="mathjax"]')) return true;
    for (let i = 0; i < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
        await new Promise(resolve => setTimeout(resolve, 50));
    await MathJax.startup.promise;
    return true;
}"""
# Loads every image, lazy ones included, and waits until each has loaded or failed.
IMAGES_LOADED = """async () => {
    const images = [...document.images];
    images.forEach(image => { image.loading = "eager"; });
    await Promise.all(images.map(image => image.complete ? null :
        new Promise(resolve => { image.onload = image.onerror = resolve; })));
    return images.map(image => [image.getAttribute("src") || image.id, image.naturalWidth]);
}"""
UNRENDERED_MATH = """() => [...document.querySelectorAll(".math")]
    .filter(math => !math.querySelector("mjx-container") || math.querySelector("mjx-merror"))
    .map(math => math.textContent.slice(0, 80))"""


# Module scope: Playwright's sync API keeps an event loop running in the main thread while it
# is open, and asyncio.run in a later test module would refuse to start.
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    """Serve `folder` on 127.0.0.1 from a thread; the server (its base URL is `server.url`)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.url = f"http://127.0.0.1:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def sites(book, instructor_book):  # noqa: F811 (fixtures imported from test_book)
    """{edition: base URL} of both editions, each served over HTTP for the session."""
    servers = {"student": serve(book), "instructor": serve(instructor_book)}
    yield {name: server.url for name, server in servers.items()}
    for server in servers.values():
        server.shutdown()


class Tab:
    """One browser page that records console errors, page errors and requests off the host."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors, self.offsite = [], []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        # Only requests that leave the local server reach Python (matched in the browser's driver).
        self.context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), self._offsite_request)

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location})")

    def _offsite_request(self, route):
        if route.request.url.startswith("data:"):
            route.continue_()
        else:  # the book must work offline: record the request and refuse it
            self.offsite.append(route.request.url)
            route.abort()

    def open(self, url):
        self.page.goto(url, wait_until="load")
        self.page.evaluate(MATHJAX_DONE)
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def tab(chromium):
    tab = Tab(chromium)
    yield tab
    tab.close()


@pytest.fixture(params=["student", "instructor"])
def edition(request, sites):
    return request.param, sites[request.param]


def test_every_page_opens_offline_without_errors_with_math_typeset_and_images_loaded(edition, tab):
    name, url = edition
    for page_path in [*pages(name), "search.html", "genindex.html"]:
        page = tab.open(url + page_path)
        where = f"{name} edition, {page_path}"
        assert not tab.errors, f"{where}: {tab.errors}"
        assert not tab.offsite, f"{where} requested {tab.offsite}"
        unrendered = page.evaluate(UNRENDERED_MATH)
        assert not unrendered, f"{where}: formulas not typeset: {unrendered}"
        assert "$$" not in page.inner_text("body"), f"{where} shows raw $$ math"
        broken = [src for src, width in page.evaluate(IMAGES_LOADED) if width == 0]
        assert not broken, f"{where}: images that did not load: {broken}"
    page = tab.open(url + "book/ch1_sigmoid.html")
    assert page.locator("mjx-container").count() >= 20, "chapter 1's formulas are not typeset"


def test_next_and_previous_walk_the_table_of_contents(edition, tab):
    # Next is clicked through the whole book; each page's previous link is read on the way
    # (its target is then a page the walk loads anyway), which halves the pages loaded.
    name, url = edition
    expected = pages(name)
    visited, previous = [expected[0]], []
    page = tab.open(url + expected[0])
    while True:
        back = page.locator("a.left-prev")
        href = back.first.evaluate("a => a.href") if back.count() else None
        previous.append(href and href.removeprefix(url).split("#")[0])
        if not page.locator("a.right-next").count():
            break
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.locator("a.right-next").first.click()
        visited.append(page.url.removeprefix(url).split("#")[0])
        assert len(visited) <= len(expected), f"{name}: next goes on past the end: {visited}"
    assert visited == expected, f"{name}: next visits {visited}, the toc says {expected}"
    assert previous == [None, *expected[:-1]], f"{name}: previous links to {previous}"
    assert not tab.errors, tab.errors


def test_the_download_button_serves_the_notebook_of_the_page(edition, tab):
    name, url = edition
    for page_path in exercise_pages(name):
        page = tab.open(url + page_path)
        page.locator("button[aria-label='Download this page']").click()
        link = page.locator(".dropdown-download-buttons a[href$='.ipynb']")
        assert link.count() == 1, f"{name}, {page_path}: no .ipynb in the download menu"
        assert link.is_visible(), f"{name}, {page_path}: the .ipynb download is not shown"
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.ok, f"{name}, {page_path}: the download answers {response.status}"
        notebook = nbformat.reads(response.text(), as_version=4)
        nbformat.validate(notebook)
        source = REPO / Path(page_path).with_suffix(".ipynb")
        assert notebook == nbformat.read(source, as_version=4), (
            f"{name}: {page_path} serves another notebook"
        )
        assert not tab.errors, tab.errors


def test_search_finds_a_word_of_chapter_1(sites, tab):
    page = tab.open(sites["student"] + "search.html?q=overflow")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15000)
    found = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("ch1_sigmoid" in href for href in found), f"searching 'overflow' found {found}"
    assert not tab.errors, tab.errors


def test_the_animation_plays(sites, tab):
    page = tab.open(sites["student"] + "book/notation.html")
    frame = page.locator("figure img[id^='_anim_img']")
    assert frame.count() == 1, "the notation page has no animation"
    frame.scroll_into_view_if_needed()
    page.locator("button[title='Pause']").first.click()
    page.locator("button[title='First frame']").first.click()
    first = frame.get_attribute("src")
    assert first and first.startswith("data:image/png"), "the animation shows no frame"
    page.locator("button[title='Play']").first.click()
    page.wait_for_timeout(1600)  # two frames at 700 ms each
    assert frame.get_attribute("src") != first, "the animation's frames do not change"
    assert frame.evaluate("image => image.naturalWidth") > 0
    assert not tab.errors, tab.errors


def test_screenshots_of_three_pages(sites, tab):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = [
        ("student-intro.png", sites["student"] + "book/intro.html"),
        ("student-ch1-sigmoid.png", sites["student"] + "book/ch1_sigmoid.html"),
        ("instructor-ch1-solution.png", sites["instructor"] + exercise_pages("instructor")[0]),
    ]
    for name, url in shots:
        page = tab.open(url)
        page.evaluate(IMAGES_LOADED)
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
        assert (SCREENSHOTS / name).stat().st_size > 10_000, name
    print(f"\nscreenshots of {len(shots)} pages in {SCREENSHOTS}")
