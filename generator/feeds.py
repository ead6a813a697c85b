"""Build feeds as bytes with feedgen: RSS 2.0 and Atom for any FeedSpec, and one OPML file
listing them all.

Pure: the same specs give the same bytes. Every date comes from the data, never from the clock:
an entry is dated by the day its paper joined the site (midnight UTC), a feed by its newest
entry. feedgen stamps the time of the call on a feed or entry it is not given a date for, and
puts each added entry first unless told `order="append"`, so every date is set and every entry
appended, in the spec's order (newest first). A paper is an entry in several feeds (the site's,
its topics', its collections'): its entry is built once per format and added to each of them.

Text: every string from a dump is stripped of the characters XML forbids before it reaches
feedgen (lxml refuses them); lxml escapes the rest. What a feed reader renders as HTML is given as
HTML in which the dump's text is escaped, so the reader shows that text literally, markup and
all: an entry's description (`item_html`), and an RSS channel's description, which readers take
as HTML. RSS does not say whether a title is text or HTML, and readers guess: a title holding a
closing tag or an entity reference (`</a>`, `&amp;`) is rendered as HTML (feedparser does, and
drops a `javascript:` link from it). Such an RSS title is given HTML-escaped, and shows as the
text it is; any other is left as it is, which readers show as text. Atom says its titles are
text, so Atom gets every title as it is.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from generator.listing import newest_papers
from generator.model import FeedSpec, Paper
from generator.urls import FeedPaths, arxiv_abs_url, arxiv_pdf_url, file_url, page_url, paper_path
from generator.wording import paper_facts

GENERATOR_NAME = "Paper Trail"
# An empty feed has no newest item to date it by; it gets a fixed date rather than the clock's.
EMPTY_FEED_DATE = dt.date(2000, 1, 1)
# What a feed calls a paper whose title is empty once stripped of what XML forbids (a title line
# of U+FFFF alone): feedgen refuses an Atom entry without a title.
UNTITLED = "Untitled paper"
# XML 1.0 forbids most control characters, lone surrogates and U+FFFE/U+FFFF; C1 controls are
# allowed but discouraged (validators warn), so they go too.
_NOT_XML = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What makes a reader take an RSS title for HTML: a closing tag or an entity reference.
_LOOKS_LIKE_HTML = re.compile(r"</\w+>|&#?\w+;")
_RSS_TYPE = "application/rss+xml"
_ATOM_TYPE = "application/atom+xml"


@dataclass(frozen=True, slots=True)
class FeedContext:
    """What every feed needs beyond its own spec.

    `categories` maps a paper id to the names its items are filed under (its topics);
    `collection_titles` maps a collection slug to its title, for the items' metadata line.
    """

    site_url: str
    site_name: str
    categories: Mapping[str, tuple[str, ...]]
    collection_titles: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _Item:
    """What a feed says about one paper, in either format; text already XML-safe."""

    url: str
    title: str
    summary: str
    categories: tuple[str, ...]
    published: dt.datetime
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Entries:
    """Each paper's feedgen entry, by paper id, in each format (one object where they agree)."""

    rss: Mapping[str, FeedEntry]
    atom: Mapping[str, FeedEntry]


def feed_spec(
    name: str,
    title: str,
    description: str,
    page: str,
    paths: FeedPaths,
    papers: Iterable[Paper],
    size: int,
) -> FeedSpec:
    """A feed of the newest `size` of `papers`, ordered by (first seen, date, id), newest first."""
    return FeedSpec(
        name=name,
        title=title,
        description=description,
        page=page,
        rss_path=paths.rss,
        atom_path=paths.atom,
        papers=tuple(newest_papers(papers, size)),
    )


def plan_feeds(specs: Sequence[FeedSpec], context: FeedContext, opml_path: str) -> dict[str, bytes]:
    """Every feed file: each spec as RSS and as Atom, plus the OPML file listing them.

    Each paper's entry is built once, however many feeds list it."""
    entries = _entries([paper for spec in specs for paper in spec.papers], context)
    files = {spec.rss_path: _rss(spec, context, entries.rss) for spec in specs}
    files |= {spec.atom_path: _atom(spec, context, entries.atom) for spec in specs}
    files[opml_path] = build_opml(specs, context.site_url, context.site_name)
    return files


def build_rss(spec: FeedSpec, context: FeedContext) -> bytes:
    """The feed as RSS 2.0, with an atom:link to itself and lastBuildDate = newest item's date."""
    return _rss(spec, context, _entries(spec.papers, context).rss)


def build_atom(spec: FeedSpec, context: FeedContext) -> bytes:
    """The feed as Atom, with a self link, an author, and updated = newest entry's date."""
    return _atom(spec, context, _entries(spec.papers, context).atom)


def build_opml(specs: Iterable[FeedSpec], site_url: str, site_name: str) -> bytes:
    """OPML 2.0 with one outline per feed (its RSS file, titled, with its page), in spec order.

    Each feed is listed once, in one format: a reader importing it subscribes once per subject.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = xml_text(f"{site_name}: all feeds")
    body = ET.SubElement(root, "body")
    for spec in specs:
        title = xml_text(spec.title)
        ET.SubElement(
            body,
            "outline",
            type="rss",
            text=title,
            title=title,
            xmlUrl=file_url(site_url, spec.rss_path),
            htmlUrl=page_url(site_url, spec.page),
        )
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"


def item_html(paper: Paper, collection_titles: Mapping[str, str]) -> str:
    """An item's description: the abstract, then a metadata line, as HTML in which every string
    from a dump is escaped (a reader shows `<script>` in an abstract as text). A paper found on
    the Hub adds its authors and links to arXiv, the PDF and its code: the description is where
    both formats link the paper (feedgen 1.0 writes an Atom entry's links without their `rel`,
    so a second link would be taken for another alternate)."""
    facts = paper_facts(paper)
    titles = [collection_titles.get(slug, slug) for slug in paper.collections]
    if titles:
        facts.append("Collections: " + ", ".join(titles))
    abstract = paper.abstract or "The dump gave no abstract for this paper."
    text = f"<p>{html.escape(abstract)}</p>\n<p>{html.escape(' · '.join(facts))}</p>"
    identity = paper.identity
    if identity is None:
        return text
    links = [
        (f"arXiv {identity.arxiv_id}", arxiv_abs_url(identity.arxiv_id)),
        ("PDF", arxiv_pdf_url(identity.arxiv_id)),
    ]
    if paper.code_url and paper.code_url.startswith(("https://", "http://")):
        links.append(("Code", paper.code_url))
    anchors = " · ".join(f'<a href="{html.escape(u)}">{html.escape(n)}</a>' for n, u in links)
    byline = html.escape(", ".join(identity.authors))
    return text + (f"\n<p>{byline}</p>" if byline else "") + f"\n<p>{anchors}</p>"


def xml_text(text: str) -> str:
    """`text` without the characters XML forbids (or discourages), which feed readers choke on."""
    return _NOT_XML.sub("", text)


def rss_title(text: str) -> str:
    """XML-safe `text` as an RSS title that readers show as that text: HTML-escaped if it holds
    what would make a reader take it for HTML (a closing tag or an entity reference), else as is.
    """
    return html.escape(text, quote=False) if _LOOKS_LIKE_HTML.search(text) else text


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of `day`: the timestamp a feed gives a calendar day."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _rss(spec: FeedSpec, context: FeedContext, entries: Mapping[str, FeedEntry]) -> bytes:
    """The RSS document: the channel (its link is the page, its description HTML), then its
    items in order."""
    feed = _generator(spec, context, entries, spec.rss_path, _RSS_TYPE)
    if any(entries[paper.id].author() for paper in spec.papers):
        feed.load_extension("dc", atom=False, rss=True)  # declares the dc: namespace
    title = _feed_title(spec)
    feed.title(rss_title(title))
    feed.description(html.escape(xml_text(spec.description) or title, quote=False))
    data: bytes = feed.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def _atom(spec: FeedSpec, context: FeedContext, entries: Mapping[str, FeedEntry]) -> bytes:
    """The Atom document: the feed (its id is its own URL, its author the site), then its
    entries in order."""
    feed = _generator(spec, context, entries, spec.atom_path, _ATOM_TYPE)
    feed.id(file_url(context.site_url, spec.atom_path))
    feed.title(_feed_title(spec))
    feed.author(name=xml_text(context.site_name) or GENERATOR_NAME)
    if description := xml_text(spec.description):
        feed.subtitle(description)
    data: bytes = feed.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def _generator(
    spec: FeedSpec,
    context: FeedContext,
    entries: Mapping[str, FeedEntry],
    self_path: str,
    self_type: str,
) -> FeedGenerator:
    """A FeedGenerator with what both formats share: links, language, generator, the newest
    entry's date (not feedgen's clock), and the spec's entries appended in order."""
    feed = FeedGenerator()
    # RSS has one channel link and feedgen takes the last one given: the page, not the feed.
    feed.link(href=file_url(context.site_url, self_path), rel="self", type=self_type)
    feed.link(href=page_url(context.site_url, spec.page), rel="alternate")
    feed.language("en")
    feed.generator(GENERATOR_NAME)
    feed.updated(day_start(spec.papers[0].first_seen if spec.papers else EMPTY_FEED_DATE))
    for paper in spec.papers:
        feed.add_entry(entries[paper.id], order="append")
    return feed


def _feed_title(spec: FeedSpec) -> str:
    """The feed's title, XML-safe and never empty (feedgen refuses a feed without one)."""
    return xml_text(spec.title) or GENERATOR_NAME


def _entries(papers: Iterable[Paper], context: FeedContext) -> _Entries:
    """Each distinct paper's entry in both formats, built once: one object for both unless its
    RSS title must be HTML-escaped."""
    rss: dict[str, FeedEntry] = {}
    atom: dict[str, FeedEntry] = {}
    for paper in papers:
        if paper.id in atom:
            continue
        item = _item(paper, context)
        atom[paper.id] = _entry(item, item.title)
        escaped = rss_title(item.title)
        rss[paper.id] = atom[paper.id] if escaped == item.title else _entry(item, escaped)
    return _Entries(rss, atom)


def _item(paper: Paper, context: FeedContext) -> _Item:
    """What the feeds say about `paper`: its page URL (guid, id and link), its title, its HTML
    summary, its topics as categories, and the day it joined the site."""
    return _Item(
        url=page_url(context.site_url, paper_path(paper.id)),
        title=xml_text(paper.title).strip() or UNTITLED,
        summary=xml_text(item_html(paper, context.collection_titles)),
        categories=tuple(xml_text(name) for name in context.categories.get(paper.id, ())),
        published=day_start(paper.first_seen),
        authors=tuple(filter(None, map(xml_text, paper.identity.authors)))
        if paper.identity
        else (),
    )


def _entry(item: _Item, title: str) -> FeedEntry:
    """A feedgen entry for `item` titled `title`: a permalink guid, the page as its alternate
    link, an HTML summary, categories, and published and updated both the item's day."""
    entry = FeedEntry()
    entry.guid(item.url, permalink=True)
    entry.title(title)
    entry.link(href=item.url, rel="alternate")
    entry.summary(item.summary, type="html")
    entry.published(item.published)
    entry.updated(item.published)
    if item.categories:
        entry.category([{"term": name} for name in item.categories])
    if item.authors:
        entry.author([{"name": name} for name in item.authors])
        # RSS's own <author> is an e-mail address: RSS items name theirs in dc:creator.
        entry.load_extension("dc", atom=False, rss=True)
        entry.dc.dc_creator(list(item.authors))
    return entry
