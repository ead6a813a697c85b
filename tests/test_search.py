"""Search, checked as a reader uses it: the seed site built and indexed, searched in Chromium."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from benchmarks.search import CHROMIUM_ARGS, find_chrome, serve
from generator import search_index
from generator.search_index import BINARY_VARIABLE, choose_binary, npm_binary
from tests.conftest import ROOT, copy_project, run_generator, run_mkdocs, run_search_index
from tests.served import DESKTOP, PHONE, PUBLISHED_URL
from tests.test_browser import axe_violations

RESULT = ".md-search-result__item"
TITLE = "Preserving In-Context Learning ability in Large Language Model Fine-tuning"


def _build_and_index(project: Path, papers: int) -> Path:
    """The project's site, generated, built by MkDocs and indexed, as `make site` does; its index
    holds `papers` pages."""
    assert run_generator(project, site_url=PUBLISHED_URL).returncode == 0
    built = run_mkdocs(project, site_url=PUBLISHED_URL)
    assert built.returncode == 0, built.stderr
    indexed = run_search_index(project)
    assert indexed.returncode == 0, indexed.stderr
    assert f"search index: {papers} pages" in indexed.stdout  # every paper, and nothing else
    return project / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site, built and indexed."""
    return _build_and_index(copy_project(tmp_path_factory.mktemp("search")), 507)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of the hostile fixture whose titles and abstracts hold markup and entities."""
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    for dump in (project / "dumps").iterdir():
        dump.unlink()
    shutil.copy(ROOT / "tests" / "fixtures" / "hostile" / "markup.txt", project / "dumps")
    return _build_and_index(project, 8)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chrome(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(site: Path, chromium: Browser) -> Iterator[tuple[Browser, str]]:
    with serve(site) as url:
        yield chromium, url


def _search(page: Page, url: str, query: str) -> list[str]:
    """Search `query` from the home page; the titles of the results shown once all ten are."""
    page.goto(url)
    page.keyboard.press("/")
    page.locator(".md-search__input").fill(query)
    page.wait_for_selector(f'[data-shown-query="{query}"]')
    page.wait_for_load_state("networkidle")
    return page.locator(f"{RESULT} h1").all_text_contents()


def test_a_search_asks_nothing_of_another_host_and_logs_no_error(
    browser: tuple[Browser, str],
) -> None:
    chromium, url = browser
    page = chromium.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        assert TITLE in _search(page, url, "in-context learning fine-tuning")
    finally:
        page.close()
    assert any("/pagefind/" in request for request in requests)
    assert [request for request in requests if not request.startswith(url)] == []
    assert errors == []


def test_pagefind_index_replaces_materials(site: Path) -> None:
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert any((bundle / "fragment").iterdir())
    assert not (site / "search" / "search_index.json").exists()
    assert len(list((bundle / "fragment").iterdir())) == 507  # one per paper page


def test_only_paper_titles_and_abstracts_are_indexed(site: Path) -> None:
    home = lxml.html.parse(str(site / "index.html")).getroot()
    assert home.xpath("//*[@data-pagefind-body]") == []
    [dialog] = home.xpath("//*[@data-pagefind-search]")
    assert dialog.get("data-pagefind-ignore") == "all"
    slug = sorted(page.name for page in (site / "papers").iterdir())[0]
    paper = lxml.html.parse(str(site / "papers" / slug / "index.html")).getroot()
    marked = [(e.tag, e.get("class")) for e in paper.xpath("//*[@data-pagefind-body]")]
    assert marked in ([("h1", "paper-title"), ("p", "abstract")], [("h1", "paper-title")])


def test_the_site_is_indexed_by_the_pagefind_that_package_json_pins(site: Path) -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    pinned = set(package["optionalDependencies"].values())
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {entry["version"]} == pinned == {"1.6.0"}


def test_npm_binary_is_found_for_this_system_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index.platform, "system", lambda: "Linux")
    monkeypatch.setattr(search_index.platform, "machine", lambda: "x86_64")
    assert npm_binary(tmp_path) is None
    (tmp_path / "linux-arm64" / "bin").mkdir(parents=True)
    (tmp_path / "linux-arm64" / "bin" / "pagefind_extended").write_bytes(b"")
    assert npm_binary(tmp_path) is None  # another CPU's
    (tmp_path / "linux-x64" / "bin").mkdir(parents=True)
    (tmp_path / "linux-x64" / "bin" / "pagefind").write_bytes(b"")
    assert npm_binary(tmp_path) == tmp_path / "linux-x64" / "bin" / "pagefind"
    (tmp_path / "linux-x64" / "bin" / "pagefind_extended").write_bytes(b"")
    assert npm_binary(tmp_path) == tmp_path / "linux-x64" / "bin" / "pagefind_extended"
    monkeypatch.setattr(search_index.platform, "system", lambda: "Plan9")
    assert npm_binary(tmp_path) is None


def test_a_named_binary_is_kept_and_a_missing_one_gives_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BINARY_VARIABLE, "/opt/pagefind")
    assert choose_binary() is None
    assert search_index.os.environ[BINARY_VARIABLE] == "/opt/pagefind"
    monkeypatch.delenv(BINARY_VARIABLE)
    monkeypatch.setattr(search_index, "NPM_BINARIES", tmp_path)
    notice = choose_binary()
    assert notice is not None and "npm ci" in notice
    assert BINARY_VARIABLE not in search_index.os.environ


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("Preserving in-context", id="title words"),
        pytest.param("ProMoT", id="abstract-only word"),
    ],
)
def test_search_finds_paper(browser: tuple[Browser, str], query: str) -> None:
    chromium, url = browser
    page = chromium.new_page()
    titles = _search(page, url, query)
    assert titles[0] == TITLE
    marked = page.locator(f"{RESULT} mark").first.text_content() or ""
    assert any(word in marked.casefold() for word in query.casefold().split())
    page.close()


def test_result_opens_paper_with_terms_highlighted(browser: tuple[Browser, str]) -> None:
    chromium, url = browser
    page = chromium.new_page()
    _search(page, url, "ProMoT")
    page.locator(f"{RESULT} a").first.click()
    page.wait_for_selector("article mark")
    assert page.locator("h1").first.text_content() == TITLE
    assert "highlight=promot" in page.url.casefold()
    assert page.locator("article mark").first.text_content() == "ProMoT"
    page.close()


def test_keyboard_opens_and_escape_closes(browser: tuple[Browser, str]) -> None:
    chromium, url = browser
    page = chromium.new_page()
    page.goto(url)
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.close()


def test_phone_layout_search_from_header_button(browser: tuple[Browser, str]) -> None:
    chromium, url = browser
    page = chromium.new_page(viewport={"width": 390, "height": 800})
    page.goto(url)
    page.locator("label.md-header__button[for=__search]").click()
    search_box = page.locator(".md-search__input")
    search_box.fill("ProMoT")
    page.wait_for_selector(RESULT)
    box = search_box.bounding_box()
    assert box is not None
    assert box["width"] > 250  # the search box takes the phone's width, as Material's does
    page.close()


def test_topic_collection_and_home_pages_are_not_results(browser: tuple[Browser, str]) -> None:
    chromium, url = browser
    page = chromium.new_page()
    # "Uncategorised" is a topic page's title and a line on papers' pages, in no title or abstract.
    assert _search(page, url, "Uncategorised") == []
    assert page.locator(".md-search-result__meta").text_content() == "No matching documents"
    _search(page, url, "reasoning")
    hrefs = page.locator(f"{RESULT} a").evaluate_all("links => links.map(a => a.pathname)")
    assert len(hrefs) == 10
    assert all(href.startswith("/papers/") for href in hrefs)
    page.close()


def test_enter_opens_the_first_result_and_arrows_move(browser: tuple[Browser, str]) -> None:
    chromium, url = browser
    page = chromium.new_page()
    _search(page, url, "ProMoT")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/**")
    assert "highlight=promot" in page.url.casefold()
    assert page.locator("h1").first.text_content() == TITLE
    page.close()


# Hostile titles and abstracts (tests/fixtures/hostile/markup.txt): a search result shows each
# as the dump has it, markup and entity references as text.
ENTITIES = "&amp; &lt;script&gt;alert(6)&lt;/script&gt; Entities Are Text"
MARKUP = "<script>alert(1)</script> Reading Untrusted Titles"


@pytest.mark.parametrize(
    ("query", "title", "abstract"),
    [
        pytest.param(
            "entities",
            ENTITIES,
            "&#60;script&#62;alert(7)&#60;/script&#62; &quot;quoted&quot; &copy; &nbsp; We study",
            id="entity references",
        ),
        pytest.param(
            "untrusted",
            MARKUP,
            "An <img src=x onerror=alert(1)> tag and an <iframe src=javascript:alert(1)></iframe>",
            id="markup",
        ),
        pytest.param(
            "backslashes",
            r"C:\Windows\System32 \\ Backslashes \*Not Emphasis\* \n",
            r"an escape \<b\> and \[x\](y)",
            id="backslashes",
        ),
    ],
)
def test_a_result_shows_the_literal_text_of_the_dump(
    hostile_site: Path, chromium: Browser, query: str, title: str, abstract: str
) -> None:
    with serve(hostile_site) as url:
        page = chromium.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        try:
            assert _search(page, url, query) == [title]
            excerpt = page.locator(f"{RESULT} p")
            shown = excerpt.inner_text()
            assert shown.startswith(title + ". ")  # the page's text: its title, then abstract
            assert abstract in shown
            # Only the matched words are elements: each in a <mark>, as the reader typed them.
            marks = excerpt.locator("*").evaluate_all("nodes => nodes.map(n => n.outerHTML)")
            assert marks and all(
                re.fullmatch(rf"<mark>{query}</mark>", mark, re.IGNORECASE) for mark in marks
            )
            assert dialogs == []
        finally:
            page.close()


def test_focus_stays_in_the_open_search_dialog(browser: tuple[Browser, str]) -> None:
    chromium, url = browser
    page = chromium.new_page()
    inside = "document.activeElement.closest('[data-pagefind-search]') !== null"
    try:
        _search(page, url, "ProMoT")
        seen = set()
        for key in ["Tab"] * 4 + ["Shift+Tab"] * 4:
            page.keyboard.press(key)
            assert page.evaluate(inside), key
            seen.add(page.evaluate("document.activeElement.classList[0]"))
        assert seen == {"md-search__input", "md-search__scrollwrap"}
        page.keyboard.press("Escape")
        assert not page.locator("#__search").is_checked()
        left = []
        for _ in range(3):  # closed, the dialog lets the focus go on to the page
            page.keyboard.press("Tab")
            left.append(not page.evaluate(inside))
        assert any(left)
    finally:
        page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_search_dialog_has_no_serious_accessibility_problem(
    browser: tuple[Browser, str], scheme: str, viewport: ViewportSize
) -> None:
    chromium, url = browser
    context = chromium.new_context(color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    try:
        page.goto(url)
        page.keyboard.press("/")
        page.locator(".md-search__input").fill("ProMoT")
        page.wait_for_selector(RESULT)
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == []
    finally:
        context.close()
