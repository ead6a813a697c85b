"""The built site as a reader sees it: Chromium, driven by Playwright, on a local server.

Two sites are built once each: the seed site, and a site from a hostile dump whose titles and
abstracts carry script. Every page visit records the requests, console errors and dialogs it
causes; every test checks that nothing left the local server and nothing went wrong.

Accessibility is checked here too: axe-core, run in the page, on each kind of page in both colour
schemes at desktop and phone widths; and the Nu HTML checker on every kind of built page.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.html
import pytest
import yaml
from lxml import etree
from playwright.sync_api import Browser, Dialog, Page, ViewportSize, sync_playwright

from tests.conftest import ROOT, copy_project
from tests.served import DESKTOP, PHONE, PUBLISHED_URL, build_for, launch, origin_of, serve

NEWEST_ON_HOME = 12

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_ABSTRACT = (
    "We study large language models that are fed markup. Existing pipelines copy text from web "
    "pages and publish it without looking at it. In this paper, we measure how often such text "
    "carries script, and we propose a simple rule: every character is shown as itself. "
    "Experiments on twelve benchmarks show that the rule costs nothing and stops every attack."
)
HOSTILE_DUMP = f"""new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Mar 11

Scaling {SCRIPT} Language Models

{SCRIPT} {HOSTILE_ABSTRACT}

Pretraining {IMG} Data Quality

{IMG} {HOSTILE_ABSTRACT}
"""
HOSTILE_MANIFEST = {
    "dumps": {
        "hostile.txt": {
            "title": f"Hostile {SCRIPT}",
            "description": f"Titles and abstracts with {IMG} in them.",
            "captured": dt.date(2025, 3, 11),
        }
    }
}


@pytest.fixture(scope="module")
def serve_folder() -> Iterator[Callable[[Path], str]]:
    """A function that serves a folder and returns its origin; every server stops at the end."""
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        servers.append(serve(folder))
        return origin_of(servers[-1])

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, whose site `seed_site` builds."""
    return copy_project(tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def seed_site(seed_project: Path, serve_folder: Callable[[Path], str]) -> str:
    """The seed site, served and built once: its origin, with a trailing slash."""
    origin = serve_folder(seed_project / "site")
    build_for(seed_project)
    return origin


@pytest.fixture(scope="module")
def hostile_site(
    tmp_path_factory: pytest.TempPathFactory, serve_folder: Callable[[Path], str]
) -> tuple[str, Path]:
    """A site built from one hostile dump only, served: its origin and built folder."""
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    dumps = project / "dumps"
    for old in dumps.iterdir():
        old.unlink()
    (dumps / "hostile.txt").write_text(HOSTILE_DUMP, encoding="utf-8")
    (dumps / "manifest.yml").write_text(yaml.safe_dump(HOSTILE_MANIFEST), encoding="utf-8")
    origin = serve_folder(project / "site")
    return origin, build_for(project)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with nothing running in the background."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """One browser tab and what it saw: every request URL, console errors and dialogs."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def check_clean(self, origin: str) -> None:
        """Nothing left the site (the site is built for another host, `PUBLISHED_URL`), no
        sitemap was fetched, nothing was missing, nothing logged an error, no dialog opened."""
        outside = [url for url in self.requests if not url.startswith(origin)]
        assert outside == []
        assert [url for url in self.requests if "sitemap" in url] == []
        assert self.missing == []
        assert self.errors == []
        assert self.dialogs == []


# Opens a tab at a URL, with an optional viewport size.
OpenTab = Callable[..., Visit]


@pytest.fixture
def visit(browser: Browser) -> Iterator[OpenTab]:
    """A function opening a fresh light-scheme tab at a URL and size; closed after the test."""
    contexts = []

    def open_tab(url: str, viewport: ViewportSize = DESKTOP) -> Visit:
        context = browser.new_context(viewport=viewport, color_scheme="light")
        contexts.append(context)
        seen = Visit(context.new_page())

        def on_dialog(dialog: Dialog) -> None:
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        seen.page.on("request", lambda request: seen.requests.append(request.url))
        seen.page.on(
            "response",
            lambda response: seen.missing.append(response.url) if response.status >= 400 else None,
        )
        seen.page.on(
            "console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None
        )
        seen.page.on("pageerror", lambda error: seen.errors.append(str(error)))
        seen.page.on("dialog", on_dialog)
        seen.page.goto(url, wait_until="networkidle")
        return seen

    yield open_tab
    for context in contexts:
        context.close()


def test_the_home_page_shows_the_newest_papers_the_topics_and_the_collections(
    seed_site: str, visit: OpenTab
) -> None:
    home = visit(seed_site)
    page = home.page
    assert page.locator(".paper-card").count() == NEWEST_ON_HOME
    assert page.locator(".topic-grid a").count() >= 10
    assert page.locator(".topic-grid__count").first.inner_text().isdigit()
    assert page.locator("article a[href^='collections/']").count() >= 5
    home.check_clean(seed_site)


def test_a_reader_goes_from_a_topic_to_a_paper(seed_site: str, visit: OpenTab) -> None:
    home = visit(seed_site)
    page = home.page
    topic = page.locator(".topic-grid a").first
    topic_name = topic.inner_text()
    topic.click()
    page.wait_for_url("**/topics/**")
    assert page.locator("h1").inner_text() == topic_name
    card = page.locator(".paper-card").first
    assert topic_name in card.locator(".paper-card__facts").inner_text()
    title = card.locator(".paper-card__title").inner_text()
    card.locator(".paper-card__title").click()
    page.wait_for_url("**/papers/**")
    assert page.locator("h1").inner_text() == title
    assert len(page.locator("h2#abstract + p").inner_text()) > 100
    assert page.locator("article .paper-side .paper-facts li").count() >= 1
    topics = page.locator("h2#topics + ul a")
    assert topic_name in topics.all_inner_texts()
    assert page.locator("h2#related-papers + ul a").count() >= 1
    outbound = page.locator(".paper-side a.md-button").evaluate_all("as => as.map(a => a.href)")
    assert page.locator("a.md-button").count() == len(outbound)
    assert len(outbound) == 3
    assert all(url.startswith("https://") for url in outbound)
    home.check_clean(seed_site)


def test_a_topic_page_links_its_feed_and_the_feed_serves_items(
    seed_site: str, visit: OpenTab
) -> None:
    topic = visit(seed_site + "topics/reasoning/")
    page = topic.page
    for kind, item in (("rss+xml", "channel/item"), ("atom+xml", "{*}entry")):
        links = page.locator(f"head link[rel~=alternate][type='application/{kind}']")
        hrefs = links.evaluate_all("links => links.map(l => l.href)")
        own = [href for href in hrefs if "/topics/reasoning" in href]
        assert len(own) == 1 and own[0].startswith(seed_site)
        response = page.request.get(own[0])
        assert response.status == 200
        assert etree.fromstring(response.body()).findall(item)
    topic.check_clean(seed_site)


@pytest.mark.parametrize(
    ("path", "feeds"),
    [("", 2), ("topics/reasoning/", 4), ("collections/", 2), ("subscribe/", 2)],
)
def test_a_feed_reader_finds_the_feeds_of_a_page(seed_site: str, path: str, feeds: int) -> None:
    """As a feed reader does it, without running the page's script: `<link rel="alternate">`
    elements with a feed type, their relative addresses resolved against the page's."""
    url = seed_site + path
    with urllib.request.urlopen(url) as response:
        head = lxml.html.fromstring(response.read()).head
    found = [
        urljoin(url, link.get("href"))
        for link in head.iter("link")
        if link.get("rel") == "alternate" and link.get("type", "").endswith(("rss+xml", "atom+xml"))
    ]
    assert len(found) == feeds
    assert {seed_site + "feed.xml", seed_site + "atom.xml"} <= set(found)
    for feed_url in found:
        parsed = feedparser.parse(feed_url)
        assert parsed.bozo == 0, feed_url
        assert parsed.entries, feed_url


@pytest.mark.parametrize(
    "path",
    [
        "",
        "topics/",
        "topics/reasoning/",
        "topics/uncategorised/",
        "collections/",
        "collections/scaling-laws/",
        "subscribe/",
        "about/",
    ],
)
def test_every_page_kind_asks_nothing_of_another_host(
    seed_site: str, visit: OpenTab, path: str
) -> None:
    seen = visit(seed_site + path)
    paper = seen.page.locator(".paper-card__title").first
    if paper.count():
        paper.click()
        seen.page.wait_for_url("**/papers/**")
        seen.page.wait_for_load_state("networkidle")
    seen.check_clean(seed_site)


def test_the_palette_toggle_switches_between_light_and_dark(seed_site: str, visit: OpenTab) -> None:
    home = visit(seed_site)
    page = home.page
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("form[data-md-component=palette] label:visible").click()
    assert page.evaluate(scheme) == "slate"
    page.locator("form[data-md-component=palette] label:visible").click()
    assert page.evaluate(scheme) == "default"
    home.check_clean(seed_site)


@pytest.mark.parametrize("path", ["", "topics/reasoning/", "collections/"])
def test_pages_fit_a_phone_without_sideways_scrolling(
    seed_site: str, visit: OpenTab, path: str
) -> None:
    phone = visit(seed_site + path, PHONE)
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    assert phone.page.evaluate(fits)
    phone.page.locator(".paper-card__title, article a").first.click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.page.evaluate(fits)
    phone.check_clean(seed_site)


def test_script_in_a_dump_never_runs_and_shows_as_text(
    hostile_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = hostile_site
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    paths = ["", "collections/", f"collections/{papers[0]['collections'][0]}/"]
    paths += [p["url"].removeprefix(PUBLISHED_URL) for p in papers]
    for path in paths:
        seen = visit(origin + path)
        page = seen.page
        assert page.locator("img[src=x], [onerror]").count() == 0
        inline = page.locator("script:not([src])").all_text_contents()
        assert not [text for text in inline if "alert(1)" in text]
        shown = page.locator("article").inner_text()
        assert SCRIPT in shown or IMG in shown
        seen.check_clean(origin)


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The serious and critical violations axe finds on the page, as "rule: element, element".
AXE_RUN = """async () => (await axe.run()).violations
    .filter((rule) => rule.impact === "serious" || rule.impact === "critical")
    .map((rule) => `${rule.id}: ${rule.nodes.map((node) => node.target.join(" ")).join(", ")}`)"""
A_TOPIC = "topics/reasoning/"
# Every kind of page, a paper's found from the topic's first card.
AXE_PAGES = ["", A_TOPIC, "collections/scaling-laws/", "subscribe/", "collections/"]
AXE_PAGES += ["collections/efficient-training-and-serving/page-2/"]  # with a pager


def axe_violations(page: Page) -> list[str]:
    """The serious and critical accessibility problems axe-core finds on the open page."""
    page.add_script_tag(path=AXE)
    found: list[str] = page.evaluate(AXE_RUN)
    return found


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(("scheme", "material_scheme"), [("light", "default"), ("dark", "slate")])
def test_no_page_has_a_serious_accessibility_problem(
    seed_site: str, browser: Browser, viewport: ViewportSize, scheme: str, material_scheme: str
) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(seed_site + A_TOPIC)
        paper = page.locator(".paper-card__title").first.get_attribute("href")
        found = {}
        for path in [*AXE_PAGES, urljoin(A_TOPIC, paper)]:
            page.goto(seed_site + path, wait_until="networkidle")
            assert page.evaluate("document.body.dataset.mdColorScheme") == material_scheme
            found[path] = axe_violations(page)
    finally:
        context.close()
    assert found == {path: [] for path in found}


VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Errors in Material's own markup, which the theme cannot override: base.html, outside any block,
# gives its two toggles (checkboxes) an `autocomplete` attribute.
MATERIAL_ERRORS = {
    ("Attribute “autocomplete” is only allowed when the input type is", f'data-md-toggle="{name}"')
    for name in ("drawer", "search")
}
# Every kind of page, the second page of a collection, and a paper's.
CHECKED_PAGES = ["index.html", "topics/", "topics/reasoning/", "topics/uncategorised/"]
CHECKED_PAGES += ["collections/", "collections/scaling-laws/", "subscribe/", "about/", "404.html"]
CHECKED_PAGES += ["collections/efficient-training-and-serving/page-2/"]


def html_errors(files: list[Path]) -> list[tuple[str, str, str]]:
    """The Nu HTML checker's errors in `files`: (file, message, the markup)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    return [(m["url"], m["message"], m.get("extract", "")) for m in messages]


def test_the_html_checker_finds_no_error_but_materials(
    seed_site: str, seed_project: Path, hostile_site: tuple[str, Path]
) -> None:
    """Every kind of page of the seed site and every page of the hostile one, as the Nu HTML
    checker reads them: no error but Material's own (two on every page)."""
    seed = seed_project / "site"
    files = [seed / path if path.endswith(".html") else seed / path / "index.html"
             for path in CHECKED_PAGES]  # fmt: skip
    files.append(min((seed / "papers").glob("*/index.html")))
    files += sorted(hostile_site[1].rglob("index.html"))
    errors = html_errors(files)
    theirs = [
        error
        for error in errors
        if any(error[1].startswith(m) and toggle in error[2] for m, toggle in MATERIAL_ERRORS)
    ]
    assert [error for error in errors if error not in theirs] == []
    assert len(theirs) == 2 * len(files)


def _top_navigation(html: bytes, page_url: str, site_url: str) -> list[tuple[str, str, str]]:
    """Each entry of a page's primary navigation: its classes, the path its link leads to under
    the site (links resolved against `page_url`, then taken relative to `site_url`), its text."""
    tree = lxml.html.fromstring(html)
    return [
        (
            item.get("class", ""),
            urljoin(page_url, item.find("a").get("href")).removeprefix(site_url),
            item.text_content().strip(),
        )
        for item in tree.xpath("//nav[contains(@class, 'md-nav--primary')]/ul/li")
    ]


def test_a_paper_page_shows_the_navigation_material_shows_outside_it(
    seed_site: str, visit: OpenTab
) -> None:
    # Paper pages use the theme's lean.html, which writes the navigation's top level itself;
    # Material's own 404 page is outside the navigation too, and links from the site's address.
    papers = json.loads(urllib.request.urlopen(seed_site + "papers.json").read())["papers"]
    paper = seed_site + papers[0]["url"].removeprefix(PUBLISHED_URL)
    shown = _top_navigation(urllib.request.urlopen(paper).read(), paper, seed_site)
    not_found = urllib.request.urlopen(seed_site + "404.html").read()
    material = _top_navigation(not_found, PUBLISHED_URL, PUBLISHED_URL)
    assert [title for _, _, title in shown] == [
        "Paper Trail",
        "About",
        "Saved papers",
        "Subscribe",
        "Collections",
        "Topics",
    ]
    assert shown == material
    phone = visit(paper, PHONE)
    phone.page.locator("form[data-md-component=palette] label:visible").click()
    assert phone.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    phone.page.locator("label.md-header__button[for=__drawer]").click()
    assert phone.page.locator(".md-nav--primary a[href$='topics/']").is_visible()
    phone.check_clean(seed_site)
