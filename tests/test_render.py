"""Every page kind shows hostile text as the literal text it is, in its body and its front matter;
a paper page's side column holds its facts and links, once.

Each page is rendered with the same hostile string in every field that reaches it (titles,
abstracts, aliases, organisation, topic names and terms, collection titles and descriptions,
feed names, the site name). Bodies that the MkDocs hook passes through (`html_body`) are parsed
as HTML as they are; the others go through Markdown with the extensions mkdocs.yml enables first.
Front matter values are parsed as HTML too: Material prints them unescaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import lxml.html
import markdown
import pytest
import yaml

from generator.listing import paginate
from generator.model import Catalog, Collection, FeedSpec, Identity, Organization, Paper
from generator.render import (
    render_collection_page,
    render_collections_index,
    render_home,
    render_paper_page,
    render_subscribe_page,
    render_topic_page,
    render_topics_index,
)
from generator.topics import Topic, TopicMatch
from generator.urls import arxiv_abs_url, arxiv_pdf_url, hub_paper_url

HOSTILE = (
    "</title><script>alert(1)</script> {{ 7*7 }} {% if 1 %}x{% endif %} "
    '<a href=javascript:alert(2)>click</a> "quoted" & *stars* [link](javascript:alert(3))'
)
PAPER = Paper(
    id="p",
    title=HOSTILE,
    aliases=(HOSTILE,),
    abstract=HOSTILE,
    collections=("c",),
    first_seen=dt.date(2025, 3, 11),
    date=dt.date(2025, 3, 1),
    authors_count=1,
    organization=Organization(handle=HOSTILE, name=HOSTILE),
    votes=2,
)
OTHER = Paper("q", HOSTILE, (), HOSTILE, ("c",), dt.date(2025, 3, 12))
COLLECTION = Collection("c", HOSTILE, HOSTILE, dt.date(2025, 3, 11), "c.txt", "javascript:alert(4)")
TOPIC = Topic(slug="t", name=HOSTILE, description=HOSTILE, include=(HOSTILE,))
FEED = FeedSpec(HOSTILE, HOSTILE, HOSTILE, "topics/t.md", "t.xml", "t.atom.xml", (PAPER,))
NAMES = {"p": (HOSTILE,), "q": (HOSTILE,)}
EXTENSIONS = ["attr_list", "tables", "toc"]  # as in mkdocs.yml

PAGES: dict[str, Callable[[], str]] = {
    "paper": lambda: render_paper_page(
        PAPER, {"c": COLLECTION}, [(TOPIC, TopicMatch("t", (HOSTILE,)))], [OTHER]
    ),
    "topic": lambda: render_topic_page(
        TOPIC, [], FEED, NAMES, paginate([PAPER, OTHER], "topics/t.md", 1)[1]
    ),
    "collection": lambda: render_collection_page(
        COLLECTION, [], FEED, NAMES, paginate([PAPER, OTHER], "collections/c.md", 1)[0]
    ),
    "topics index": lambda: render_topics_index([TOPIC], {"t": 1}),
    "collections index": lambda: render_collections_index([COLLECTION], {"c": 1}),
    "home": lambda: render_home(
        Catalog((PAPER, OTHER), (COLLECTION,), 0),
        HOSTILE,
        [PAPER, OTHER],
        {"c": 2},
        [(TOPIC, 2)],
        NAMES,
    ),
    "subscribe": lambda: render_subscribe_page(FEED, [(HOSTILE, [FEED])]),
}


@pytest.mark.parametrize("kind", PAGES)
def test_hostile_text_shows_as_itself_on_every_page_kind(kind: str) -> None:
    _, front, body = PAGES[kind]().split("---\n", 2)
    meta = yaml.safe_load(front)
    html = body if meta.get("html_body") else markdown.markdown(body, extensions=EXTENSIONS)
    page = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not page.xpath("//script | //title")
    links = page.xpath("//a/@href")
    assert links
    assert not [href for href in links if href.strip().lower().startswith("javascript:")]
    assert page.text_content().count(HOSTILE) >= 1  # "{{ 7*7 }}" too: never evaluated
    assert "49" not in page.text_content()
    for value in meta.values():
        if isinstance(value, str):
            shown = lxml.html.fragment_fromstring(value, create_parent="div")
            assert len(shown) == 0  # no element: the text shows as text


# --- A paper page's side column ------------------------------------------------------------------

FOUND = Paper(
    id="found",
    title="Sparse Experts",
    aliases=(),
    abstract="We route tokens.",
    collections=("c",),
    first_seen=dt.date(2025, 3, 11),
    date=dt.date(2025, 3, 1),
    authors_count=3,
    organization=Organization(handle="ai2", name="Ai2"),
    votes=1,
    identity=Identity(
        arxiv_id="2407.06204",
        title="Sparse Experts",
        authors=("A. Author",),
        published=dt.date(2024, 6, 26),
        project_url="https://example.org/experts",
    ),
    code_url="https://github.com/example/experts",
)
PLAIN_COLLECTION = Collection("c", "First week", "Papers.", dt.date(2025, 3, 11), "c.txt")
A_TOPIC = [
    (
        Topic(slug="t", name="Routing", description="", include=("route",)),
        TopicMatch("t", ("route",)),
    )
]


def _paper_page(
    paper: Paper, topics: list[tuple[Topic, TopicMatch]]
) -> tuple[dict[str, object], lxml.html.HtmlElement]:
    _, front, body = render_paper_page(paper, {"c": PLAIN_COLLECTION}, topics).split("---\n", 2)
    return yaml.safe_load(front), lxml.html.fragment_fromstring(body, create_parent="div")


def test_a_paper_pages_side_column_holds_its_facts_and_links_once() -> None:
    meta, page = _paper_page(FOUND, A_TOPIC)
    assert meta["template"] == "paper.html"  # the theme's page without a table of contents
    [side] = page.xpath("//aside[@class='paper-side']")
    assert side.get("aria-labelledby") == "at-a-glance"
    assert side.xpath("h2[@id='at-a-glance']/text()") == ["At a glance"]
    assert [li.text_content() for li in side.xpath(".//ul[@class='paper-facts']/li")] == [
        "published Jun 26, 2024",
        "Mar 1, 2025",
        "3 authors",
        "Ai2",
        "1 vote",
        "first seen Mar 11, 2025",
        "1 topic, 1 collection",
    ]
    assert side.xpath(".//li[@data-pagefind-meta='date']/text()") == ["Mar 1, 2025"]
    assert side.xpath(".//ul/li/a/@href") == [
        "https://huggingface.co/ai2",
        "#topics",
        "#collections",
    ]
    assert page.xpath("//*[@id='topics'] and //*[@id='collections']")
    arxiv = "2407.06204"
    assert side.xpath("h3/text()") == ["Read it"]
    assert side.xpath(".//a[contains(@class, 'md-button')]/@href") == [
        arxiv_abs_url(arxiv),
        arxiv_pdf_url(arxiv),
        hub_paper_url(arxiv),
        "https://github.com/example/experts",
        "https://example.org/experts",
    ]
    assert len(page.xpath("//a[contains(@class, 'md-button')]")) == 5  # none outside the column
    assert side.xpath(".//*[@data-pagefind-body]") == []  # search never indexes it


def test_a_paper_without_identity_gives_searches_for_it_and_no_published_day() -> None:
    paper = Paper("plain", "Tiny Models", (), "", ("c",), dt.date(2025, 3, 11))
    _, page = _paper_page(paper, [])
    [side] = page.xpath("//aside")
    assert [li.text_content() for li in side.xpath(".//li")] == [
        "first seen Mar 11, 2025",
        "uncategorised, 1 collection",
    ]
    assert side.xpath("h3/text()") == ["Find it"]
    assert [a.text_content() for a in side.xpath(".//a[contains(@class, 'md-button')]")] == [
        "Hugging Face",
        "arXiv",
        "Google Scholar",
    ]
    assert side.xpath(".//a[contains(@class, 'md-button')]/@href")[0].endswith("?q=Tiny+Models")


def test_the_day_a_paper_was_published_is_not_shown_twice() -> None:
    identity = FOUND.identity
    assert identity is not None
    same_day = replace(FOUND, identity=replace(identity, published=FOUND.date))
    _, page = _paper_page(same_day, A_TOPIC)
    facts = [li.text_content() for li in page.xpath("//ul[@class='paper-facts']/li")]
    assert facts[0] == "Mar 1, 2025"
    assert not [fact for fact in facts if fact.startswith("published")]
