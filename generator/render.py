"""Render pages as Markdown strings. Pure: values in, text out.

Every piece of text that came from a dump or a config file goes through `html_text` (in raw HTML
blocks, which Markdown passes through untouched: the bulk of every page, and cheap for MkDocs)
or `md_text` (in Markdown), so it shows as itself.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote_plus

from generator.listing import ListingPage, one_page, order_for_collection, order_for_topic
from generator.model import Catalog, Collection, FeedSpec, Paper
from generator.text import front_matter, html_text, md_text, snippet
from generator.topics import UNCATEGORISED, Topic, TopicMatch
from generator.urls import (
    COLLECTIONS_DIR,
    OPML_PATH,
    PAPERS_DIR,
    SUBSCRIBE_PATH,
    TOPICS_DIR,
    collection_path,
    file_href,
    folder_href,
    page_href,
    paper_path,
    relative_link,
    topic_path,
)
from generator.wording import counted, format_date, paper_facts

GENERATED_NOTICE = (
    "<!-- Generated from dumps/ by `python -m generator`: edits here are overwritten. -->"
)
HF_PAPERS_SEARCH = "https://huggingface.co/papers?q="
ARXIV_SEARCH = "https://arxiv.org/search/?searchtype=title&query="
SCHOLAR_SEARCH = "https://scholar.google.com/scholar?q="
HF_ORG = "https://huggingface.co/"
# Marks what Pagefind indexes: a paper page's title and abstract, and nothing else on the site
# (pages without it, such as topics and collections, stay out of search results).
SEARCH_BODY = "data-pagefind-body"
TOPICS_INDEX = f"{TOPICS_DIR}/index.md"
EMPTY_TOPIC_NAMES: Mapping[str, Sequence[str]] = {}
# Every paper page is served two folders deep ("papers/<id>/"), whatever its id: links from one
# to a folder of pages start the same way.
_FROM_PAPER = {
    folder: folder_href(paper_path("_"), folder)
    for folder in (PAPERS_DIR, TOPICS_DIR, COLLECTIONS_DIR)
}
_SEARCH_SITES = tuple(
    (name, html_text(url))
    for name, url in (
        ("Hugging Face", HF_PAPERS_SEARCH),
        ("arXiv", ARXIV_SEARCH),
        ("Google Scholar", SCHOLAR_SEARCH),
    )
)
# Front matter that has the site's MkDocs hook pass a page's body through as the HTML it is:
# paper pages, and topic and collection pages with up to `page_size` cards, which Markdown would
# only parse again.
_HTML_BODY: dict[str, object] = {"html_body": 1}
_CARD_START = '<div class="paper-card">\n<a class="paper-card__title" href="'
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
    titles: Mapping[str, str] | None = None,
) -> str:
    """The page of one paper: title, metadata, abstract, topics (with the terms that put it
    there; none means uncategorised), collections, related papers, search links, citation meta.

    `titles` (paper id -> escaped title, from `paper_fragments`) spares escaping the titles of
    the paper and of its related papers again on every page that shows them.
    """
    escaped = titles or {p.id: html_text(p.title) for p in (paper, *related)}
    meta: dict[str, object] = {"title": paper.title, "description": snippet(paper.abstract, 160)}
    meta["citation_title"] = paper.title
    if paper.date is not None:
        meta["citation_publication_date"] = paper.date.strftime("%Y/%m/%d")
    # The body is HTML from end to end (`_HTML_BODY`), sparing 30,000 pages the Markdown parser.
    meta |= _HTML_BODY
    to_papers, to_collections = _FROM_PAPER[PAPERS_DIR], _FROM_PAPER[COLLECTIONS_DIR]
    parts = [
        front_matter(meta),
        GENERATED_NOTICE,
        f'<h1 class="paper-title" {SEARCH_BODY}>{escaped[paper.id]}</h1>',
        _metadata_line(paper),
        _heading("Abstract"),
        f'<p class="abstract" {SEARCH_BODY}>{html_text(paper.abstract)}</p>'
        if paper.abstract
        else "<p><em>The dump gave no abstract for this paper.</em></p>",
        _heading("Topics"),
        _paper_topics(_FROM_PAPER[TOPICS_DIR], topics),
        _heading("Collections"),
        _html_list(
            f'<a href="{to_collections}{slug}/">{_escaped(collections[slug].title)}</a>'
            for slug in paper.collections
        ),
        _heading("Related papers") if related else "",
        _html_list(f'<a href="{to_papers}{p.id}/">{escaped[p.id]}</a>' for p in related),
        _heading("Find it"),
        _search_links(paper.title),
    ]
    if paper.aliases:
        parts += [
            _heading("Also listed as"),
            _html_list(html_text(alias) for alias in paper.aliases),
        ]
    return _join(parts)


def render_collection_page(
    collection: Collection,
    papers: Sequence[Paper],
    feed: FeedSpec,
    topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES,
    fragments: Fragments | None = None,
    page: ListingPage | None = None,
) -> str:
    """A collection: its description, capture date, its feeds, and its papers (dated ones newest
    first) as cards naming their topics (`topic_names`: paper id -> topic names). The front
    matter names the feed, so the page links it for autodiscovery.

    `page` is one page of the collection's list (`paginate` over `order_for_collection`); the
    whole list on one page without it."""
    if page is None:
        page = one_page(order_for_collection(papers), collection_path(collection.slug))
    here = page.path
    source = collection.source_url or ""
    facts = (
        f"Captured <strong>{format_date(collection.captured)}</strong> · {counted(page.total, 'paper')}"
        + _page_of(page)
        + (f' · <a href="{html_text(source)}">source page</a>' if _is_web(source) else "")
    )
    meta: dict[str, object] = {
        "title": _page_title(collection.title, page),
        "description": collection.description,
    }
    return _join(
        [
            front_matter(meta | feed_meta(feed) | _HTML_BODY),
            GENERATED_NOTICE,
            f"<h1>{html_text(collection.title)}</h1>",
            f"<p>{html_text(collection.description)}</p>",
            f"<p>{facts}</p>",
            f"<p>Subscribe: {_feed_anchors(here, feed)}</p>",
            _cards(here, page.papers, topic_names, fragments),
            _pager(page),
        ]
    )


def render_collections_index(collections: Sequence[Collection], counts: Mapping[str, int]) -> str:
    """Every collection with its description, capture date and paper count."""
    here = "collections/index.md"
    items = [
        f"- **[{md_text(c.title)}]({relative_link(here, collection_path(c.slug))})** · "
        f"{counted(counts.get(c.slug, 0), 'paper')} · captured {format_date(c.captured)}  \n"
        f"  {md_text(c.description)}"
        for c in collections
    ]
    return _join(
        [
            front_matter({"title": "Collections"}),
            GENERATED_NOTICE,
            "# Collections",
            "Each collection is one page of Hugging Face Daily Papers, saved by the curator.",
            "\n".join(items),
        ]
    )


def render_topics_index(topics: Sequence[Topic], counts: Mapping[str, int]) -> str:
    """Every topic with its description and paper count, then the uncategorised papers' page."""
    items = [
        f"- **[{md_text(t.name)}]({relative_link(TOPICS_INDEX, topic_path(t.slug))})** · "
        f"{counted(counts.get(t.slug, 0), 'paper')}  \n  {md_text(t.description)}"
        for t in (*topics, UNCATEGORISED_TOPIC)
    ]
    return _join(
        [
            front_matter({"title": "Topics"}),
            GENERATED_NOTICE,
            "# Topics",
            "Each topic gathers the papers whose title or abstract uses its terms; "
            "a paper can be in several topics.",
            "\n".join(items),
        ]
    )


def render_topic_page(
    topic: Topic,
    papers: Iterable[Paper],
    feed: FeedSpec | None,
    topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES,
    fragments: Fragments | None = None,
    page: ListingPage | None = None,
) -> str:
    """A topic: its description, paper count, its feeds and its papers, newest first, as cards
    naming their topics (`topic_names`: paper id -> topic names). The front matter names the
    feed (the uncategorised page has none) for autodiscovery.

    `page` is one page of the topic's list (`paginate` over `order_for_topic`); the whole list
    on one page without it."""
    if page is None:
        page = one_page(order_for_topic(papers), topic_path(topic.slug))
    here = page.path
    meta: dict[str, object] = {
        "title": _page_title(topic.name, page),
        "description": topic.description,
    }
    facts = (
        f"<strong>{counted(page.total, 'paper')}</strong>{_page_of(page)} · "
        f'<a href="{page_href(here, TOPICS_INDEX)}">all topics</a>'
        + (f" · Subscribe: {_feed_anchors(here, feed)}" if feed else "")
    )
    return _join(
        [
            front_matter((meta | feed_meta(feed) if feed else meta) | _HTML_BODY),
            GENERATED_NOTICE,
            f"<h1>{html_text(topic.name)}</h1>",
            f"<p>{html_text(topic.description)}</p>",
            f"<p>{facts}</p>",
            _cards(here, page.papers, topic_names, fragments),
            _pager(page),
        ]
    )


def _page_title(name: str, page: ListingPage) -> str:
    return name if page.number == 1 else f"{name} (page {page.number})"


def _page_of(page: ListingPage) -> str:
    """ " · page 2 of 69" on a list of several pages; nothing on a list that fits one."""
    return f" · page {page.number} of {len(page.paths)}" if len(page.paths) > 1 else ""


def _pager(page: ListingPage) -> str:
    """Links to the first, previous, next and last pages of a list of several pages."""
    if len(page.paths) == 1:
        return ""
    last = len(page.paths)
    links = [("First", 1), ("Previous", page.number - 1), ("Next", page.number + 1), ("Last", last)]
    items = [
        f'<a class="md-button" href="{page_href(page.path, page.paths[number - 1])}">{label}</a>'
        if 1 <= number <= last and number != page.number
        else f'<span class="md-button pager__off">{label}</span>'
        for label, number in links
    ]
    items.insert(2, f'<span class="pager__where">Page {page.number} of {last}</span>')
    return '<nav class="pager" aria-label="Pages">\n' + "\n".join(items) + "\n</nav>"


def render_home(
    catalog: Catalog,
    site_name: str,
    newest: Sequence[Paper],
    counts: Mapping[str, int],
    topics: Sequence[tuple[Topic, int]] = (),
    topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES,
    fragments: Fragments | None = None,
) -> str:
    """The front page: what the site is, its figures, the topics (`topics`: each with its paper
    count) as a grid of links, the newest additions as cards, and the collections with their
    paper counts (`counts`: collection slug -> papers)."""
    here = "index.md"
    updated = max((c.captured for c in catalog.collections), default=None)
    figures = f"**{len(catalog.papers)}** papers · **{len(catalog.collections)}** collections" + (
        f" · last updated **{format_date(updated)}**" if updated else ""
    )
    collections = "\n".join(
        f"- [{md_text(c.title)}]({relative_link(here, collection_path(c.slug))}) "
        f"· {counted(counts.get(c.slug, 0), 'paper')}"
        for c in catalog.collections
    )
    return _join(
        [
            front_matter(
                {"title": site_name, "description": "A curated reading list of research papers."}
            ),
            GENERATED_NOTICE,
            f"# {md_text(site_name)}",
            "A focused, searchable reading list of research papers on large language models, "
            "curated from Hugging Face Daily Papers. Every paper has its own page with its "
            "abstract and links to find it.",
            figures,
            "## Topics" if topics else "",
            _topic_grid(here, topics),
            "## Newest additions",
            _cards(here, newest, topic_names, fragments),
            "## Collections",
            collections,
        ]
    )


def _topic_grid(here: str, topics: Sequence[tuple[Topic, int]]) -> str:
    """Topics as a compact grid of links, each with its paper count; empty for no topics."""
    if not topics:
        return ""
    items = "".join(
        f'<li><a href="{page_href(here, topic_path(t.slug))}">{html_text(t.name)}</a> '
        f'<span class="topic-grid__count">{count}</span></li>\n'
        for t, count in topics
    )
    return f'<div class="topic-grid">\n<ul>\n{items}</ul>\n</div>'


def render_subscribe_page(
    site_feed: FeedSpec, sections: Sequence[tuple[str, Sequence[FeedSpec]]]
) -> str:
    """The Subscribe page: the site feed, each section's feeds (linked to their pages) and the
    OPML file that subscribes to all of them at once."""
    here = SUBSCRIBE_PATH
    parts = [
        front_matter({"title": "Subscribe", "description": "Follow new papers in a feed reader."}),
        GENERATED_NOTICE,
        "# Subscribe",
        "Follow new papers in any feed reader. Every feed comes as RSS 2.0 and as Atom (pick "
        "one), lists its newest papers first and dates each one by the day it joined the site.",
        "## Everything",
        f"- [{md_text(site_feed.name)}]({relative_link(here, site_feed.page)}) · "
        f"{_feed_links(here, site_feed)}",
    ]
    for heading, feeds in sections:
        items = [
            f"- [{md_text(feed.name)}]({relative_link(here, feed.page)}) · "
            f"{_feed_links(here, feed)}"
            for feed in feeds
        ]
        parts += [f"## {md_text(heading)}", "\n".join(items)]
    parts += [
        "## All at once",
        f"Import [{OPML_PATH}]({relative_link(here, OPML_PATH)}) into your feed reader to "
        "subscribe to every feed above in one step.",
    ]
    return _join(parts)


def feed_meta(feed: FeedSpec) -> dict[str, object]:
    """Front matter naming a page's own feed; the theme links it for autodiscovery."""
    return {"feed_title": feed.title, "feed_rss": feed.rss_path, "feed_atom": feed.atom_path}


@dataclass(frozen=True, slots=True)
class Fragments:
    """Every paper's escaped title and card, made once: a paper shows on its own page, as a card
    on the pages of its topics and collections, and in other papers' lists of related papers."""

    titles: Mapping[str, str]  # paper id -> title, HTML-escaped
    cards: Mapping[str, str]  # paper id -> its card, from just after its link's href value


def paper_fragments(
    papers: Iterable[Paper], topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES
) -> Fragments:
    """The fragments of `papers`; cards name each paper's topics (`topic_names`: id -> names)."""
    titles: dict[str, str] = {}
    cards: dict[str, str] = {}
    for paper in papers:
        title = titles[paper.id] = html_text(paper.title)
        facts = " · ".join([*paper_facts(paper), *topic_names.get(paper.id, ())])
        cards[paper.id] = (
            f'{paper.id}/">{title}</a>\n'
            + (f'<p class="paper-card__facts">{html_text(facts)}</p>\n' if facts else "")
            + f'<p class="paper-card__snippet">{html_text(snippet(paper.abstract))}</p>\n</div>'
        )
    return Fragments(titles, cards)


def _cards(
    here: str,
    papers: Iterable[Paper],
    topic_names: Mapping[str, Sequence[str]] = EMPTY_TOPIC_NAMES,
    fragments: Fragments | None = None,
) -> str:
    """A list of paper cards: linked title, facts line (date, authors, ..., then the paper's
    topics from `topic_names`), and a two-line snippet of the abstract."""
    papers = list(papers)
    cards = (fragments or paper_fragments(papers, topic_names)).cards
    start = _CARD_START + folder_href(here, PAPERS_DIR)
    return "\n\n".join([start + cards[paper.id] for paper in papers])


def _metadata_line(paper: Paper) -> str:
    """The paper's metadata as badges; the organisation links to its Hugging Face page."""
    badges = []
    if paper.date:
        badges.append(f'<span class="badge">{format_date(paper.date)}</span>')
    if paper.authors_count is not None:
        badges.append('<span class="badge">' + counted(paper.authors_count, "author") + "</span>")
    if paper.organization:
        org = paper.organization
        href = html_text(HF_ORG + quote_plus(org.handle))
        badges.append(f'<a class="badge" href="{href}">{html_text(org.name)}</a>')
    if paper.votes is not None:
        badges.append('<span class="badge">' + counted(paper.votes, "vote") + "</span>")
    badges.append(f'<span class="badge">first seen {format_date(paper.first_seen)}</span>')
    return '<div class="badges">\n' + "\n".join(badges) + "\n</div>"


def _search_links(title: str) -> str:
    """Search links built from the title (the dumps carry no identifiers)."""
    query = quote_plus(title)  # only URL-safe characters: nothing left to escape for HTML
    return (
        '<p class="search-links">'
        + " ".join(
            f'<a class="md-button" href="{site}{query}">{name}</a>' for name, site in _SEARCH_SITES
        )
        + "</p>"
    )


def _feed_anchors(here: str, feed: FeedSpec) -> str:
    """A page's RSS and Atom links in HTML."""
    rss, atom = file_href(here, feed.rss_path), file_href(here, feed.atom_path)
    return f'<a href="{rss}">RSS</a> · <a href="{atom}">Atom</a>'


def _is_web(url: str) -> bool:
    """Only http(s) addresses from the manifest become links (never `javascript:`)."""
    return url.startswith(("https://", "http://"))


def _feed_links(here: str, feed: FeedSpec) -> str:
    rss, atom = relative_link(here, feed.rss_path), relative_link(here, feed.atom_path)
    return f"[RSS]({rss}) · [Atom]({atom})"


def _paper_topics(to_topics: str, topics: Sequence[tuple[Topic, TopicMatch]]) -> str:
    """A paper's topics as links (`to_topics`: the page's `folder_href` to the topics), each with
    the terms that matched (uncategorised if none)."""
    if not topics:
        link = f"{to_topics}{UNCATEGORISED}/"
        return _html_list(
            [f'<a href="{link}">{UNCATEGORISED_TOPIC.name}</a>: matches no curated topic']
        )
    return _html_list(
        f'<a href="{to_topics}{topic.slug}/">{_escaped(topic.name)}</a>: ' + _why(match)
        for topic, match in topics
    )


def _why(match: TopicMatch) -> str:
    """Why a paper is in a topic: the terms that matched, or its id listed in `topics.yml`."""
    if not match.terms:
        return "listed by id in topics.yml"
    return "matched " + ", ".join(f"“{_escaped(term)}”" for term in match.terms)


@functools.cache
def _escaped(text: str) -> str:
    """`html_text` for the few strings that recur on thousands of pages (topic names, terms,
    collection titles)."""
    return html_text(text)


@functools.cache
def _heading(text: str) -> str:
    """A second-level heading in HTML, with the id the Markdown toc would give it."""
    return f'<h2 id="{text.lower().replace(" ", "-")}">{text}</h2>'


def _html_list(items: Iterable[str]) -> str:
    """An HTML list of already-escaped items; empty when there are none."""
    rows = "".join(f"<li>{item}</li>\n" for item in items)
    return f"<ul>\n{rows}</ul>" if rows else ""


def _join(parts: Iterable[str]) -> str:
    return "\n\n".join(part for part in parts if part) + "\n"
