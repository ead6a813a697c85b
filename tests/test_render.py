"""Every page kind shows hostile text as the literal text it is, in its body and its front matter.

Each page is rendered with the same hostile string in every field that reaches it (titles,
abstracts, aliases, organisation, topic names and terms, collection titles and descriptions,
feed names, the site name). Bodies that the MkDocs hook passes through (`html_body`) are parsed
as HTML as they are; the others go through Markdown with the extensions mkdocs.yml enables first.
Front matter values are parsed as HTML too: Material prints them unescaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import lxml.html
import markdown
import pytest
import yaml

from generator.listing import paginate
from generator.model import Catalog, Collection, FeedSpec, Organization, Paper
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
