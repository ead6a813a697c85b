"""Render pages from the Jinja2 templates in `templates/`, one per page kind. Pure: values in,
text out.

Each page is Markdown: a front matter block (`text.front_matter`), the notice that it is
generated, then a body that the template writes. Paper, topic and collection pages write their
bodies as HTML and set `html_body`, so the site's MkDocs hook passes them through without running
Markdown (at 30,000 papers that is most of the build); the home, index and Subscribe pages are
Markdown, for the table of contents and for MkDocs to check their links.

The templates are autoescaped: every value shows as the literal text it is. Text in Markdown goes
through the `md` filter, which escapes Markdown's own characters as well. The order of papers and
how long lists are cut into pages are the plan's (`listing`); templates only show them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote_plus

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator import urls
from generator.cite import bibtex, citation_meta
from generator.listing import ListingPage, one_page, order_for_collection, order_for_topic
from generator.model import Catalog, Collection, FeedSpec, Paper
from generator.text import front_matter, link_segments, md_text, snippet
from generator.topics import UNCATEGORISED, Topic, TopicMatch
from generator.urls import SUBSCRIBE_PATH, TOPICS_INDEX, collection_path, paper_path, topic_path
from generator.wording import counted, format_date, paper_facts

TEMPLATES = Path(__file__).with_name("templates")
EMPTY_TOPIC_NAMES: Mapping[str, Sequence[str]] = {}
# Front matter that has the site's MkDocs hook pass a page's body through as the HTML it is.
_HTML_BODY: dict[str, object] = {"html_body": 1}
# Front matter for pages outside the navigation (collections, a topic's later pages; papers
# through paper.html, which extends it): the theme's lean.html writes the navigation's top level
# directly, which is all Material shows such a page, instead of walking every topic and
# collection for each of them.
_OUTSIDE_NAV: dict[str, object] = {"template": "lean.html"}
# Paper pages: lean.html without the table of contents' column, where their side column goes.
_PAPER_TEMPLATE: dict[str, object] = {"template": "paper.html"}
UNCATEGORISED_TOPIC = Topic(
    slug=UNCATEGORISED,
    name="Uncategorised",
    description="Papers that match no curated topic: what the taxonomy in topics.yml misses.",
    include=(),
)


def render_paper_page(
    paper: Paper,
    collections: Mapping[str, Collection],
    topics: Sequence[tuple[Topic, TopicMatch]] = (),
    related: Sequence[Paper] = (),
) -> str:
    """The page of one paper: title, a side column of its facts and links (the paper's, or
    searches for it), abstract, topics (with the terms that put it there; none means
    uncategorised), collections (`collections`: slug -> collection, holding at least the
    paper's), related papers, citation meta."""
    meta: dict[str, object] = {"title": paper.title, "description": snippet(paper.abstract, 160)}
    return _render(
        "paper.md.jinja",
        meta | citation_meta(paper) | _HTML_BODY | _PAPER_TEMPLATE,
        paper_path(paper.id),
        paper=paper,
        collections=collections,
        topics=topics,
        related=related,
    )


def render_collection_page(
    collection: Collection,
    papers: Sequence[Paper],
    feed: FeedSpec,
    topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES,
    page: ListingPage | None = None,
) -> str:
    """A collection: its description, capture date, its feeds, and its papers as cards naming
    their topics (`topic_names`: paper id -> topic names). The front matter names the feed, so
    the page links it for autodiscovery.

    `page` is one page of the collection's list (`paginate` over `order_for_collection`); the
    whole of `papers` on one page, in that order, without it."""
    if page is None:
        page = one_page(
            order_for_collection(papers, collection.slug), collection_path(collection.slug)
        )
    meta = {"title": _page_title(collection.title, page), "description": collection.description}
    return _render(
        "collection.md.jinja",
        meta | feed_meta(feed) | _HTML_BODY | _OUTSIDE_NAV,
        page.path,
        collection=collection,
        feed=feed,
        page=page,
        topic_names=topic_names,
    )


def render_topic_page(
    topic: Topic,
    papers: Iterable[Paper],
    feed: FeedSpec | None,
    topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES,
    page: ListingPage | None = None,
) -> str:
    """A topic: its description, paper count, its feeds and its papers as cards naming their
    topics (`topic_names`: paper id -> topic names). The front matter names the feed (the
    uncategorised page has none) for autodiscovery.

    `page` is one page of the topic's list (`paginate` over `order_for_topic`); the whole of
    `papers` on one page, in that order, without it."""
    if page is None:
        page = one_page(order_for_topic(papers), topic_path(topic.slug))
    meta: dict[str, object] = {
        "title": _page_title(topic.name, page),
        "description": topic.description,
    }
    if feed:
        meta |= feed_meta(feed)
    if page.number > 1:  # a topic's first page is in the navigation, the others are not
        meta |= _OUTSIDE_NAV
    return _render(
        "topic.md.jinja",
        meta | _HTML_BODY,
        page.path,
        topic=topic,
        feed=feed,
        page=page,
        topic_names=topic_names,
    )


def render_collections_index(collections: Sequence[Collection], counts: Mapping[str, int]) -> str:
    """Every collection with its description, capture date and paper count (`counts`: slug ->
    papers; a collection missing from it has none)."""
    return _render(
        "collections_index.md.jinja",
        {"title": "Collections"},
        urls.COLLECTIONS_INDEX,
        collections=collections,
        counts=counts,
    )


def render_topics_index(topics: Sequence[Topic], counts: Mapping[str, int]) -> str:
    """Every topic with its description and paper count (`counts`: slug -> papers; a topic
    missing from it has none), then the uncategorised papers' page."""
    return _render(
        "topics_index.md.jinja",
        {"title": "Topics"},
        TOPICS_INDEX,
        topics=(*topics, UNCATEGORISED_TOPIC),
        counts=counts,
    )


def render_home(
    catalog: Catalog,
    site_name: str,
    newest: Sequence[Paper],
    counts: Mapping[str, int],
    topics: Sequence[tuple[Topic, int]] = (),
    topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES,
) -> str:
    """The front page: what the site is, its figures, the topics (`topics`: each with its paper
    count) as a grid of links, the `newest` papers as cards, and the collections with their
    paper counts (`counts`: collection slug -> papers)."""
    meta = {"title": site_name, "description": "A curated reading list of research papers."}
    return _render(
        "home.md.jinja",
        meta,
        "index.md",
        catalog=catalog,
        site_name=site_name,
        papers=len(catalog.papers),
        updated=max((c.captured for c in catalog.collections), default=None),
        topics=topics,
        newest=newest,
        topic_names=topic_names,
        counts=counts,
    )


def render_subscribe_page(
    site_feed: FeedSpec, sections: Sequence[tuple[str, Sequence[FeedSpec]]]
) -> str:
    """The Subscribe page: the site feed, each section's feeds (linked to their pages) and the
    OPML file that subscribes to all of them at once."""
    meta = {"title": "Subscribe", "description": "Follow new papers in a feed reader."}
    return _render(
        "subscribe.md.jinja", meta, SUBSCRIBE_PATH, site_feed=site_feed, sections=sections
    )


def feed_meta(feed: FeedSpec) -> dict[str, object]:
    """Front matter naming a page's own feed; the theme links it for autodiscovery."""
    return {"feed_title": feed.title, "feed_rss": feed.rss_path, "feed_atom": feed.atom_path}


def _page_title(name: str, page: ListingPage) -> str:
    return name if page.number == 1 else f"{name} (page {page.number})"


def _render(template: str, meta: Mapping[str, object], here: str, **context: object) -> str:
    """The page `template` gives for `context`, under the front matter `meta`; `here` is the
    page's path under docs/."""
    return environment().get_template(template).render(meta=meta, here=here, **context)


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment every page is rendered in, made on first use (in each process
    that renders) and kept: templates are compiled once.

    Undefined names are errors; autoescaping is on. Filters: `counted` ("3 papers"), `date`
    ("Mar 4, 2025"), `facts` (a paper's short facts), `snippet`, `quote_plus`, `md` (Markdown
    text), `front_matter`, `links` (text as runs, web addresses with their href), `bibtex`. Test: `web_address` (http or https only). Globals: the paths and
    relative links of urls.py, the uncategorised topic.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates do not change during a run: no stat per page
    )
    env.filters |= {
        "counted": counted,
        "date": format_date,
        "facts": paper_facts,
        "snippet": snippet,
        "quote_plus": quote_plus,
        "md": _markdown_text,
        "links": link_segments,
        "bibtex": bibtex,
        "front_matter": _front_matter,
    }
    env.tests["web_address"] = _is_web
    env.globals |= {
        name: getattr(urls, name)
        for name in (
            "COLLECTIONS_DIR",
            "OPML_PATH",
            "PAPERS_DIR",
            "TOPICS_DIR",
            "TOPICS_INDEX",
            "collection_path",
            "file_href",
            "folder_href",
            "list_data_path",
            "page_href",
            "relative_link",
            "topic_path",
            "arxiv_abs_url",
            "arxiv_pdf_url",
            "hub_paper_url",
        )
    }
    env.globals["uncategorised"] = UNCATEGORISED_TOPIC
    return env


def _markdown_text(text: str) -> Markup:
    """Text for a Markdown line that shows as itself (`md_text`), safe from further escaping."""
    return Markup(md_text(text))  # noqa: S704 (md_text escapes &, < and > as well)


def _front_matter(meta: Mapping[str, object]) -> Markup:
    """The YAML front matter of `meta`, whose strings `front_matter` has HTML-escaped."""
    return Markup(front_matter(meta))  # noqa: S704


def _is_web(url: object) -> bool:
    """Only http(s) addresses become links (never `javascript:`); no address is not one."""
    return isinstance(url, str) and url.startswith(("https://", "http://"))
