"""Search, checked as a reader uses it: the seed site built and indexed, searched in Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from benchmarks.search import CHROMIUM, CHROMIUM_ARGS, serve
from tests.conftest import ROOT, copy_project, run_generator, run_mkdocs

RESULT = ".md-search-result__item"
TITLE = "Preserving In-Context Learning ability in Large Language Model Fine-tuning"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site, generated, built by MkDocs and indexed by Pagefind, as `make site` does."""
    project = copy_project(tmp_path_factory.mktemp("search"))
    shutil.copy(ROOT / "pagefind.yml", project / "pagefind.yml")
    assert run_generator(project).returncode == 0
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr
    indexed = subprocess.run(
        [sys.executable, "-m", "pagefind", "--silent"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert indexed.returncode == 0, indexed.stderr
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
    page.goto(url)
    page.keyboard.press("/")
    page.locator(".md-search__input").fill(query)
    page.wait_for_selector(RESULT)
    return page.locator(f"{RESULT} h1").all_text_contents()


def test_pagefind_index_replaces_materials(site: Path) -> None:
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert any((site / "pagefind" / "fragment").iterdir())
    assert not (site / "search" / "search_index.json").exists()
    # Only page content is indexed, and paper cards are left to their papers' own pages.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in home
    assert 'data-pagefind-search data-pagefind-ignore="all"' in home


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
