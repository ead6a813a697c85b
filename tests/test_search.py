"""Search, checked as a reader uses it: the seed site built and indexed, searched in Chromium."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from benchmarks.search import CHROMIUM, CHROMIUM_ARGS, serve
from generator import search_index
from generator.search_index import build_index, paper_slugs, plan_shards, shard_globs
from tests.conftest import copy_project, run_generator, run_mkdocs, run_search_index

RESULT = ".md-search-result__item"
TITLE = "Preserving In-Context Learning ability in Large Language Model Fine-tuning"
# Small shards, so that the seed site's 507 papers make three and every search merges them.
SHARD_SIZE = 200


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site, generated, built by MkDocs and indexed in shards, as `make site` does."""
    project = copy_project(tmp_path_factory.mktemp("search"))
    assert run_generator(project).returncode == 0
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr
    indexed = run_search_index(project, "--shard-size", str(SHARD_SIZE))
    assert indexed.returncode == 0, indexed.stderr
    assert "in 3 shards" in indexed.stdout
    return project / "site"


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Browser, str]]:
    with serve(site) as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium, url
        chromium.close()


def _search(page: Page, url: str, query: str) -> list[str]:
    """Search `query` from the home page; the titles of the results shown once all ten are."""
    page.goto(url)
    page.keyboard.press("/")
    page.locator(".md-search__input").fill(query)
    page.wait_for_selector(f'[data-shown-query="{query}"]')
    page.wait_for_load_state("networkidle")
    return page.locator(f"{RESULT} h1").all_text_contents()


def test_pagefind_index_replaces_materials(site: Path) -> None:
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert any((bundle / "fragment").iterdir())
    assert not (site / "search" / "search_index.json").exists()
    # The other shards hold only their index: the bundle's scripts and WebAssembly serve them all.
    shards = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))
    assert shards == ["shard-1/", "shard-2/"]
    for shard in shards:
        names = {path.name for path in (bundle / shard).iterdir()}
        assert {"pagefind-entry.json", "index", "fragment"} <= names
        assert not [name for name in names if name.endswith((".js", ".css", ".pagefind"))]


def test_only_paper_titles_and_abstracts_are_indexed(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home
    assert 'data-pagefind-search data-pagefind-ignore="all"' in home
    slug = paper_slugs(site)[0]
    paper = (site / "papers" / slug / "index.html").read_text(encoding="utf-8")
    marked = re.findall(r'<(\w+) class="([\w-]+)" data-pagefind-body>', paper)
    assert marked in ([("h1", "paper-title"), ("p", "abstract")], [("h1", "paper-title")])


def test_shards_deal_every_paper_once_by_a_hash_of_its_slug() -> None:
    slugs = [f"paper-{number}" for number in range(1000)]
    shards = plan_shards(slugs, 300)
    assert len(shards) == 4
    assert sorted(slug for shard in shards for slug in shard) == sorted(slugs)
    assert all(200 < len(shard) < 300 for shard in shards)
    assert plan_shards(list(reversed(slugs)), 300) == shards
    assert plan_shards(slugs[:10], 300) == [sorted(slugs[:10])]
    assert plan_shards([], 300) == [[]]


def test_shard_globs_stay_under_the_limit_and_match_every_slug_once() -> None:
    slugs = [f"paper-{number:03}-" + "x" * (number % 90) for number in range(500)]
    globs = shard_globs(slugs, 2000)
    assert len(globs) > 10
    assert all(len(glob) <= 2000 for glob in globs)
    matched = []
    for glob in globs:
        inner = re.fullmatch(r"papers/\{(.*)\}/index.html", glob)
        assert inner is not None
        matched += inner[1].split(",")
    assert matched == slugs
    assert shard_globs([], 2000) == []
    assert shard_globs(slugs[:3]) == ["papers/{" + ",".join(slugs[:3]) + "}/index.html"]


def test_a_shard_too_long_for_one_glob_is_indexed_whole(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(site / "papers", tmp_path / "papers")
    monkeypatch.setattr(search_index, "GLOB_LIMIT", 3000)
    counts = build_index(tmp_path, shard_size=SHARD_SIZE)
    assert sum(counts) == len(paper_slugs(site)) == 507
    assert len(counts) == 3
    assert sum(1 for _ in (tmp_path / "pagefind").rglob("pagefind-entry.json")) == 3


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


def test_a_search_merges_every_shard(site: Path, browser: tuple[Browser, str]) -> None:
    chromium, url = browser
    page = chromium.new_page()
    assert len(_search(page, url, "language")) == 10
    counted = page.locator(".md-search-result__meta").text_content() or ""
    total = int(re.sub(r"\D", "", counted))
    shards = plan_shards(paper_slugs(site), SHARD_SIZE)
    assert total > max(len(shard) for shard in shards)  # more papers than any one shard holds
    hrefs = page.locator(f"{RESULT} a").evaluate_all("links => links.map(a => a.pathname)")
    slugs = {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}
    assert sum(1 for shard in shards if slugs & set(shard)) > 1
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
