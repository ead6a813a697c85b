# ruff: noqa: F811 (the browser fixtures are imported from test_browser and named as arguments)
"""The reading tools, checked as a reader uses them in Chromium: sorting and filtering a list
across all its pages, with the choice kept in the address. Every visit checks that nothing
left the local server and nothing went wrong (`Visit.check_clean`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FloatRect, Locator, Page, ViewportSize

from generator.lock import LOCK_NAME
from generator.wording import format_date
from tests.conftest import copy_project, run_search_index
from tests.served import DESKTOP, PHONE, PUBLISHED_URL, build_for
from tests.test_browser import (  # noqa: F401 (fixtures, used by name)
    OpenTab,
    axe_violations,
    browser,
    serve_folder,
    visit,
)
from tests.test_identity import LOCK, SURVEY

TOPIC = "topics/reasoning/"
LONG_COLLECTION = "collections/pretraining-and-adapting-llms/"


@pytest.fixture(scope="module")
def reading_site(
    tmp_path_factory: pytest.TempPathFactory, serve_folder: Callable[[Path], str]
) -> tuple[str, Path]:
    """The seed site built and indexed for search, as `make site` does, served: its origin and
    built folder. One paper is in the lock file (test_identity's), so its page links the paper."""
    project = copy_project(tmp_path_factory.mktemp("reading"))
    (project / "dumps" / LOCK_NAME).write_text(LOCK, encoding="utf-8")
    origin = serve_folder(project / "site")
    site = build_for(project)
    indexed = run_search_index(project)
    assert indexed.returncode == 0, indexed.stderr
    return origin, site


def list_data(site: Path, page: str) -> list[dict[str, Any]]:
    """The papers of the list whose first page is `page` ("topics/x/"), in listing order."""
    data = json.loads((site / (page.rstrip("/") + ".json")).read_text(encoding="utf-8"))
    papers: list[dict[str, Any]] = data["papers"]
    return papers


def shown_titles(page: Page) -> list[str]:
    return page.locator(".paper-list .paper-card__title").all_inner_texts()


def choose(page: Page, name: str, value: str) -> None:
    """Pick `value` in the list's `name` control, as a reader does (reaching it first loads the
    list's data and fills the filters), and wait for the cards to show it."""
    control = page.locator(f".list-tools select[name={name}]")
    control.focus()
    control.select_option(value)
    page.wait_for_function(
        "([name, value]) => (document.querySelector('.list-tools').dataset.shown || '')"
        ".includes(`${value}`)",
        arg=[name, value],
    )


def test_sorting_a_topic_by_votes_orders_every_paper_and_keeps_the_choice_in_the_address(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    papers = list_data(site, TOPIC)
    seen = visit(origin + TOPIC)
    page = seen.page
    default = shown_titles(page)
    assert default == [p["title"] for p in papers][:100]
    choose(page, "sort", "votes")
    by_votes = sorted(
        papers, key=lambda p: (-(p["votes"] if p["votes"] is not None else -1), p["order"])
    )
    assert shown_titles(page) == [p["title"] for p in by_votes]
    assert shown_titles(page) != default
    assert page.url.endswith("?sort=votes")
    page.reload(wait_until="networkidle")
    assert page.locator(".list-tools select[name=sort]").input_value() == "votes"
    assert shown_titles(page) == [p["title"] for p in by_votes]
    choose(page, "sort", "newest")
    assert shown_titles(page) == default
    assert page.url == origin + TOPIC
    seen.check_clean(origin)


def test_sorting_a_long_collection_by_title_reaches_papers_on_its_later_pages(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    papers = list_data(site, LONG_COLLECTION)
    assert len(papers) > 200
    seen = visit(origin + LONG_COLLECTION + "page-3/")
    page = seen.page
    assert page.locator(".pager").is_visible()
    choose(page, "sort", "title")
    collate = (
        "ts => ts.sort(new Intl.Collator(undefined, {sensitivity: 'base', numeric: true}).compare)"
    )
    expected = page.evaluate(collate, [p["title"] for p in papers])
    titles = shown_titles(page)
    assert titles == expected[:100]
    assert {p["title"] for p in papers[200:]} & set(titles)  # papers from the list's last page
    assert page.locator(".pager").is_hidden()
    page.locator(".list-tools__more").click()
    page.locator(".list-tools__more").click()
    assert len(shown_titles(page)) == len(papers)
    assert page.locator(".list-tools__more").is_hidden()
    seen.check_clean(origin)


def test_filtering_a_topic_by_collection_counts_right_and_is_shared_by_its_address(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    papers = list_data(site, TOPIC)
    slug = LONG_COLLECTION.split("/")[1]
    members = [p["title"] for p in papers if slug in p["collections"]]
    assert 0 < len(members) < len(papers)
    seen = visit(origin + TOPIC)
    page = seen.page
    choose(page, "collection", slug)
    assert shown_titles(page) == members
    status = page.locator(".list-tools__status").inner_text()
    assert status == f"{len(members)} of {len(papers)} papers"
    shared = page.url
    assert shared.endswith(f"?collection={slug}")
    again = visit(shared)
    assert shown_titles(again.page) == members
    assert again.page.locator(".list-tools select[name=collection]").input_value() == slug
    seen.check_clean(origin)
    again.check_clean(origin)


def test_a_topic_sorted_by_votes_and_filtered_to_papers_with_code_keeps_both_in_its_address(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    papers = list_data(site, TOPIC)
    with_code = [p for p in papers if p["code"]]
    assert 0 < len(with_code) < len(papers)
    by_votes = sorted(
        with_code, key=lambda p: (-(p["votes"] if p["votes"] is not None else -1), p["order"])
    )
    seen = visit(origin + TOPIC)
    page = seen.page
    box = page.get_by_role("checkbox", name="With code")
    assert box.is_visible()  # offered from the start, before the list's data is fetched
    choose(page, "sort", "votes")
    box.check()
    page.wait_for_function("location.search.includes('code=1')")
    assert shown_titles(page) == [p["title"] for p in by_votes]
    status = page.locator(".list-tools__status").inner_text()
    assert status == f"{len(with_code)} of {len(papers)} papers"
    again = visit(page.url)
    assert again.page.url.endswith("?sort=votes&code=1")
    again.page.wait_for_selector(".list-tools input[name=code]:checked")
    assert shown_titles(again.page) == [p["title"] for p in by_votes]
    seen.check_clean(origin)
    again.check_clean(origin)


def test_a_collection_page_filters_by_topic(reading_site: tuple[str, Path], visit: OpenTab) -> None:
    origin, site = reading_site
    papers = list_data(site, LONG_COLLECTION)
    members = [p for p in papers if "reasoning" in p["topics"]]
    seen = visit(origin + LONG_COLLECTION + "?topic=reasoning&sort=votes")
    page = seen.page
    page.wait_for_selector(".list-tools[data-shown*=reasoning]")
    assert len(shown_titles(page)) == len(members)
    assert page.locator(".list-tools select[name=topic]").input_value() == "reasoning"
    seen.check_clean(origin)


def test_without_script_a_list_reads_as_built(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    seen = visit(origin + TOPIC)
    assert not [url for url in seen.requests if url.endswith(".json")]  # fetched only when used
    html = (site / TOPIC / "index.html").read_text(encoding="utf-8")
    assert "list-tools" not in html  # the controls are the script's
    assert html.count('class="paper-card"') == len(list_data(site, TOPIC))
    seen.check_clean(origin)


A2ATS = (
    "papers/a-2-ats-retrieval-based-kv-cache-reduction-via-windowed-rotary-position-and-4447601c/"
)
MONEY = "papers/flm-101b-an-open-llm-and-how-to-train-it-with-100k-budget/"


def test_math_in_a_title_renders_with_the_sites_own_katex(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + A2ATS)
    page = seen.page
    page.wait_for_selector("html[data-math=done]")
    title = page.locator("h1")
    assert title.locator(".katex").count() == 1
    assert title.locator(".katex-mathml annotation").text_content() == "^2"
    assert "$" not in title.inner_text()
    assert page.locator(".abstract .katex").count() == 0  # "A^2ATS" there is not between dollars
    assert [url for url in seen.requests if "/assets/vendor/katex/" in url]
    assert page.evaluate("document.fonts.check('1em KaTeX_Main')")
    seen.check_clean(origin)


def test_money_is_not_math_and_a_page_without_math_loads_no_katex(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + MONEY)
    assert "$100K Budget" in seen.page.locator("h1").inner_text()
    assert not [url for url in seen.requests if "katex" in url]
    seen.check_clean(origin)


def test_math_renders_in_cards_and_in_cards_redrawn_by_sorting(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + "topics/efficient-inference/")
    page = seen.page
    page.wait_for_selector("html[data-math=done]")
    math_titles = ".paper-list .paper-card__title:has(.katex)"
    assert page.locator(math_titles).count() == 2  # A$^2$ATS and H$_2$O
    choose(page, "sort", "title")
    page.wait_for_selector(math_titles)
    assert page.locator(math_titles).count() == 2
    seen.check_clean(origin)


def test_math_renders_in_search_results(reading_site: tuple[str, Path], visit: OpenTab) -> None:
    origin, _ = reading_site
    seen = visit(origin)
    page = seen.page
    page.keyboard.press("/")
    query = "Heavy-Hitter Oracle"
    page.locator(".md-search__input").fill(query)
    page.wait_for_selector(f'[data-shown-query="{query}"]')
    page.wait_for_selector(".md-search-result__item h1 .katex")
    page.wait_for_load_state("networkidle")
    seen.check_clean(origin)


def test_the_feeds_and_the_json_export_keep_the_source_text(
    reading_site: tuple[str, Path],
) -> None:
    _, site = reading_site
    assert "A$^2$ATS" in (site / "papers.json").read_text(encoding="utf-8")
    feed = (site / "feeds/topics/efficient-inference.xml").read_text(encoding="utf-8")
    assert "H$_2$O" in feed
    assert "katex" not in feed


@pytest.mark.parametrize("path", ["", TOPIC, A2ATS, "about/", "collections/"])
def test_every_page_has_a_share_card(
    reading_site: tuple[str, Path], visit: OpenTab, path: str
) -> None:
    origin, _ = reading_site
    seen = visit(origin + path)
    page = seen.page

    def tag(attribute: str, name: str) -> str | None:
        return page.locator(f"head meta[{attribute}='{name}']").get_attribute("content")

    assert tag("property", "og:site_name") == "Paper Trail"
    assert tag("property", "og:title") == page.title().removesuffix(" - Paper Trail")
    assert tag("property", "og:description") == tag("name", "description")
    assert tag("property", "og:url") == PUBLISHED_URL + path
    assert tag("property", "og:type") == ("article" if path == A2ATS else "website")
    assert tag("name", "twitter:card") == "summary"
    seen.check_clean(origin)


@pytest.mark.parametrize("path", ["", TOPIC, A2ATS, "about/", LONG_COLLECTION])
def test_every_page_has_a_skip_link_to_its_content(
    reading_site: tuple[str, Path], visit: OpenTab, path: str
) -> None:
    origin, _ = reading_site
    seen = visit(origin + path)
    page = seen.page
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip:focus")
    assert skip.inner_text() == "Skip to content"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('article') !== null")
    seen.check_clean(origin)


def skip_and_tab_to(page: Page, target: Locator, most: int) -> bool:
    """Take the skip link (the first Tab), then press Tab, `most` times at the most, until
    `target` has the focus; whether it has."""
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return True
    return False


def test_the_skip_link_brings_a_topics_first_paper_within_a_few_tabs(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + TOPIC)
    page = seen.page
    assert skip_and_tab_to(page, page.locator(".paper-list .paper-card__title").first, 8)
    seen.check_clean(origin)


def test_a_papers_title_is_its_strongest_heading(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + A2ATS)
    style = """selector => {
        const s = getComputedStyle(document.querySelector(selector));
        return [s.color, Number(s.fontWeight), parseFloat(s.fontSize)];
    }"""
    h1_color, h1_weight, h1_size = seen.page.evaluate(style, "article h1")
    _, h2_weight, h2_size = seen.page.evaluate(style, "article h2")
    text_color = seen.page.evaluate(style, "article .abstract")[0]
    assert h1_color == text_color  # not the light grey of Material's h1
    assert h1_weight >= 700 > h2_weight
    assert h1_size > h2_size
    seen.check_clean(origin)


def test_a_phones_first_screen_of_the_home_page_shows_a_paper(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin, PHONE)
    card = seen.page.locator(".paper-card").first.bounding_box()
    assert card is not None
    assert card["y"] + 60 < PHONE["height"]  # its title at least
    seen.check_clean(origin)


@pytest.mark.parametrize("topic", ["agents-and-tools", "reasoning"])
def test_the_topic_navigation_shows_its_first_entry_and_the_pages_own(
    reading_site: tuple[str, Path], visit: OpenTab, topic: str
) -> None:
    origin, _ = reading_site
    seen = visit(origin + f"topics/{topic}/")
    page = seen.page
    own = page.locator(".md-sidebar--primary .md-nav__link--active[href]")
    first = own.evaluate_handle("link => link.closest('.md-nav__list').querySelector('a[href]')")
    assert first.evaluate("link => link.textContent.trim()") == "Agents and tool use"
    shown = """link => {
        const box = link.getBoundingClientRect();
        const wrap = link.closest('.md-sidebar__scrollwrap').getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + 5, box.y + box.height / 2);
        return box.top >= wrap.top && box.bottom <= wrap.bottom && link.contains(hit);
    }"""
    assert first.evaluate(shown)
    assert own.evaluate(shown)
    seen.check_clean(origin)


def test_three_saved_papers_survive_a_reload_and_export_as_json_and_bibtex(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    seen = visit(origin + A2ATS)
    page = seen.page
    page.wait_for_selector("html[data-math=done]")
    page.locator(".save-toggle--page").click()
    assert page.locator(".save-toggle--page").get_attribute("aria-pressed") == "true"
    page.goto(origin + TOPIC, wait_until="networkidle")
    cards = page.locator(".paper-list .paper-card")
    cards.nth(0).locator(".save-toggle").click()
    cards.nth(1).locator(".save-toggle").click()
    titles = cards.locator(".paper-card__title").all_inner_texts()[:2]
    page.reload(wait_until="networkidle")
    assert cards.nth(0).locator(".save-toggle").get_attribute("aria-pressed") == "true"
    assert cards.nth(2).locator(".save-toggle").get_attribute("aria-pressed") == "false"
    page.goto(origin + "saved/", wait_until="networkidle")
    a2ats = next(p for p in list_data(site, "topics/efficient-inference/") if "A$^2$" in p["title"])
    listed = page.locator(".saved-papers__list a")
    assert listed.all_inner_texts()[1:] == titles
    page.wait_for_selector(".saved-papers__list a .katex")  # A$^2$ATS drawn as math here too
    assert page.locator(".saved-papers__status").inner_text() == "3 saved papers"
    with page.expect_download() as exported:
        page.locator("[data-export=json]").click()
    papers = json.loads(Path(exported.value.path()).read_text(encoding="utf-8"))["papers"]
    assert papers[0]["id"] == a2ats["id"]
    assert [p["title"] for p in papers] == [a2ats["title"], *titles]  # as written, "$^2$" and all
    assert all(p["url"].startswith(origin + "papers/") for p in papers)
    with page.expect_download() as exported:
        page.locator("[data-export=bibtex]").click()
    bib = Path(exported.value.path()).read_text(encoding="utf-8")
    assert bib.count("@misc{") == 3
    assert f"@misc{{{a2ats['id']}," in bib
    assert "title = {{A$^2$ATS: Retrieval-Based" in bib
    seen.check_clean(origin)


def test_saved_papers_are_removed_and_imported(
    reading_site: tuple[str, Path], visit: OpenTab, tmp_path: Path
) -> None:
    origin, site = reading_site
    papers = list_data(site, TOPIC)[:2]
    export = tmp_path / "saved.json"
    records = [
        {"id": p["id"], "title": p["title"], "url": f"{origin}papers/{p['id']}/"} for p in papers
    ]
    export.write_text(json.dumps({"papers": [*records, {"no": "id"}]}), encoding="utf-8")
    seen = visit(origin + "saved/")
    page = seen.page
    assert page.locator(".saved-papers__status").inner_text() == "0 saved papers"
    page.locator(".saved-papers input[type=file]").set_input_files(export)
    assert page.locator(".saved-papers__list a").all_inner_texts() == [p["title"] for p in papers]
    page.locator(".saved-papers__list button").first.click()
    assert page.locator(".saved-papers__list a").all_inner_texts() == [papers[1]["title"]]
    page.goto(origin + TOPIC, wait_until="networkidle")
    pressed = page.locator(".paper-list .save-toggle[aria-pressed=true]")
    assert pressed.count() == 1
    seen.check_clean(origin)


def test_papers_new_since_the_last_visit_are_marked(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    first = visit(origin)
    assert first.page.locator(".new-mark").count() == 0  # a first visit marks nothing
    days = sorted({p["first_seen"] for p in list_data(site, TOPIC)})
    before = days[-2]
    newer = [p for p in list_data(site, TOPIC) if p["first_seen"] > before]
    context = first.page.context
    context.add_init_script(
        f"sessionStorage.clear(); localStorage.setItem('paper-trail:seen', '{before}')"
    )
    again = context.new_page()
    again.goto(origin + TOPIC, wait_until="networkidle")
    assert again.locator(".paper-list .new-mark").count() == len(newer) > 0
    assert again.evaluate("localStorage.getItem('paper-trail:seen')") == days[-1]
    first.check_clean(origin)


def search(page: Page, query: str) -> None:
    """Open the search box with "/" and search `query`; wait for all its results."""
    page.keyboard.press("/")
    page.locator(".md-search__input").fill(query)
    page.wait_for_selector(f'[data-shown-query="{query}"]', state="attached")
    page.wait_for_load_state("networkidle")


MOE = "mixture of experts"


def test_the_result_the_arrow_keys_reach_is_plainly_marked(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin)
    page = seen.page
    search(page, MOE)
    page.keyboard.press("ArrowDown")
    focused = page.locator(".md-search-result__link:focus")
    assert focused.count() == 1
    outline = focused.evaluate(
        "a => { const s = getComputedStyle(a); return [s.outlineStyle, parseFloat(s.outlineWidth)] }"
    )
    assert outline[0] == "solid" and outline[1] >= 2
    seen.check_clean(origin)


def test_search_marks_whole_query_words_and_no_stop_word(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin)
    page = seen.page
    search(page, MOE)
    marks = [m.lower() for m in page.locator(".md-search-result__list mark").all_inner_texts()]
    assert marks
    assert all(m.startswith(("mixture", "expert")) for m in marks), marks
    first = page.locator(".md-search-result__link").first
    assert "highlight=of" not in (first.get_attribute("href") or "")
    first.click()
    page.wait_for_url("**/papers/**")
    page.wait_for_load_state("networkidle")
    words = page.locator("article mark").evaluate_all(
        """marks => marks.map(m => {
            const before = m.previousSibling?.textContent.slice(-1) ?? "";
            const after = m.nextSibling?.textContent.slice(0, 1) ?? "";
            return [m.textContent, before + after];
        })"""
    )
    assert words
    for word, around in words:
        assert word.lower().startswith(("mixture", "expert")), word
        assert not any(c.isalpha() for c in around), (word, around)  # never part of a word
    seen.check_clean(origin)


def test_search_results_show_their_date_and_topics(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    papers = {p["title"]: p for p in list_data(site, "topics/mixture-of-experts/")}
    seen = visit(origin)
    page = seen.page
    search(page, MOE)
    for result in page.locator(".md-search-result__article").all():
        title = result.locator("h1").inner_text()
        facts = result.locator(".search-result__facts").inner_text()
        paper = papers.get(title)
        if paper is None:
            continue
        assert "Mixture of experts" in facts.split(" · ")
        if paper["date"]:
            assert facts.startswith(format_date(dt.date.fromisoformat(paper["date"])) + " · ")
        else:
            assert not any(c.isdigit() for c in facts)
    assert page.locator(".search-result__facts").count() == 10
    seen.check_clean(origin)


def test_the_phone_search_fits_the_screen_however_it_is_opened(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    for opened_by in ("/", "button"):
        seen = visit(origin + TOPIC, PHONE)
        page = seen.page
        if opened_by == "button":
            page.locator("label.md-header__button[for=__search]").click()
        search(page, MOE)
        # The dialog is laid out for a phone once Material's script has followed the toggle;
        # under load that can lag the results by a moment (seen as a transient 1,181 px).
        page.wait_for_function(
            f"document.documentElement.scrollWidth <= {PHONE['width']}", timeout=5_000
        )
        assert page.locator(".md-search-result__list").bounding_box()["width"] <= PHONE["width"]
        seen.check_clean(origin)


# --- A paper page's side column: its facts and links --------------------------------------------

FOUND = f"papers/{SURVEY}/"  # in the lock file: it links the paper itself
# A phone of today (the axe and search tests use 375 px): the column reads in the article here.
PHONE_390: ViewportSize = {"width": 390, "height": 844}
FOUND_LINKS = [
    ("arXiv 2407.06204", "https://arxiv.org/abs/2407.06204"),
    ("PDF", "https://arxiv.org/pdf/2407.06204"),
    ("Hugging Face", "https://huggingface.co/papers/2407.06204"),
    ("Code", "https://github.com/withinmiaov/A-Survey-on-Mixture-of-Experts"),
    ("Project page", "https://example.org/moe-survey"),
]


def side_column(page: Page) -> Locator:
    """The paper's side column, found as assistive technology finds it: by its landmark."""
    return page.get_by_role("complementary", name="At a glance")


def links_in(column: Locator) -> list[tuple[str, str]]:
    """The (text, address) of each button in `column`."""
    found: list[tuple[str, str]] = column.locator("a.md-button").evaluate_all(
        "links => links.map(a => [a.textContent, a.href])"
    )
    return [(text, href) for text, href in found]


def box(locator: Locator) -> FloatRect:
    shown = locator.bounding_box()
    assert shown is not None
    return shown


def test_on_a_wide_screen_the_side_column_shows_a_papers_facts_and_links_beside_it(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + FOUND)  # 1280 px
    page = seen.page
    column = side_column(page)
    assert column.is_visible()
    facts = column.locator(".paper-facts li").all_inner_texts()
    assert facts == [
        "Jun 26, 2024",
        "6 authors",
        "first seen Mar 11, 2025",
        "2 topics, 2 collections",
    ]
    assert links_in(column) == FOUND_LINKS
    # In the right-hand column: right of the abstract, level with it, inside the window.
    side, abstract = box(column), box(page.locator("p.abstract"))
    assert side["x"] >= abstract["x"] + abstract["width"]
    assert side["y"] < abstract["y"] + abstract["height"]
    assert side["x"] + side["width"] <= DESKTOP["width"]
    assert page.locator(".md-sidebar--secondary").count() == 0  # no empty contents column
    # Once on the page, for the eye and for a screen reader.
    assert page.locator("a.md-button").count() == len(FOUND_LINKS)
    assert page.get_by_role("link", name="PDF", exact=True).count() == 1
    column.get_by_role("link", name="2 collections").click()
    assert page.url.endswith("#collections")
    seen.check_clean(origin)


def test_the_side_columns_links_come_right_after_the_title_by_keyboard(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + FOUND)
    page = seen.page
    arxiv = side_column(page).get_by_role("link", name="arXiv 2407.06204")
    assert skip_and_tab_to(page, arxiv, 4)  # Save, the topics and collections facts, the paper
    assert arxiv.is_visible()
    seen.check_clean(origin)


def test_on_a_phone_the_facts_and_links_read_between_the_title_and_the_abstract(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + A2ATS, PHONE_390)  # not in the lock file: searches for it
    page = seen.page
    column = side_column(page)
    assert column.is_visible()
    title, side, abstract = box(page.locator("h1")), box(column), box(page.locator("p.abstract"))
    assert title["y"] + title["height"] <= side["y"]
    assert side["y"] + side["height"] <= abstract["y"]
    assert side["x"] >= 0 and side["x"] + side["width"] <= PHONE_390["width"]
    assert column.locator(".paper-facts li").first.inner_text() == "first seen Mar 11, 2025"
    links = column.locator("a.md-button")
    assert [text for text, _ in links_in(column)] == ["Hugging Face", "arXiv", "Google Scholar"]
    for link in links.all():
        link.scroll_into_view_if_needed()
        shown = box(link)
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE_390["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("complementary").count() == 1
    assert page.get_by_role("link", name="Google Scholar").count() == 1
    seen.check_clean(origin)


def test_search_never_finds_a_paper_by_its_side_column(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, site = reading_site
    assert "At a glance" in (site / FOUND / "index.html").read_text(encoding="utf-8")
    seen = visit(origin)
    page = seen.page
    search(page, "glance")  # on every paper page, in its side column, and in no abstract
    # Indexed, the column would put the word in every result's excerpt, marked. (Pagefind may
    # still offer a near miss: "(GLMs)".)
    results = page.locator(".md-search-result__list")
    assert "glance" not in results.inner_text().lower()
    assert results.locator("mark").count() == 0
    seen.check_clean(origin)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
@pytest.mark.parametrize(("scheme", "material_scheme"), [("light", "default"), ("dark", "slate")])
def test_a_paper_that_links_itself_has_no_serious_accessibility_problem(
    reading_site: tuple[str, Path],
    browser: Browser,
    viewport: ViewportSize,
    scheme: str,
    material_scheme: str,
) -> None:
    origin, _ = reading_site
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(origin + FOUND, wait_until="networkidle")
        assert page.evaluate("document.body.dataset.mdColorScheme") == material_scheme
        found = axe_violations(page)
    finally:
        context.close()
    assert found == []


def test_a_papers_bibtex_entry_copies_with_one_button(
    reading_site: tuple[str, Path], visit: OpenTab
) -> None:
    origin, _ = reading_site
    seen = visit(origin + FOUND)
    page = seen.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    entry = page.locator("pre.bibtex code")
    assert entry.inner_text().startswith("@misc{")
    page.locator("pre.bibtex").get_by_role("button", name="Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == entry.inner_text().strip()
    assert "eprint = {2407.06204}" in copied
    seen.check_clean(origin)
