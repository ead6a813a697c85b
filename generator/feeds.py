"""Build feeds as bytes: RSS 2.0 and Atom for any FeedSpec, and one OPML file listing them all.

Pure: the same specs give the same bytes. Every date comes from the data (an item is dated by the
day its paper joined the site, at midnight UTC), never from the clock, and feedgen's own stamps
(the build time, its version) are replaced. Every string from a dump is stripped of characters
XML forbids, and HTML-escaped where it goes into HTML, so a reader shows it as text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator

from generator.model import FeedSpec, Paper
from generator.render import newest_papers, paper_facts
from generator.urls import FeedPaths, file_url, page_url, paper_path

GENERATOR_NAME = "Paper Trail"
# An empty feed has no newest item to date it by; it gets a fixed date rather than the clock's.
EMPTY_FEED_DATE = dt.date(2000, 1, 1)
# XML 1.0 forbids most control characters, lone surrogates and U+FFFE/U+FFFF; C1 controls are
# allowed but discouraged (validators warn), so they go too.
_NOT_XML = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
    """Every feed file: each spec as RSS and as Atom, plus the OPML file listing them."""
    files = {spec.rss_path: build_rss(spec, context) for spec in specs}
    files |= {spec.atom_path: build_atom(spec, context) for spec in specs}
    files[opml_path] = build_opml(specs, context.site_url, context.site_name)
    return files


def build_rss(spec: FeedSpec, context: FeedContext) -> bytes:
    """The feed as RSS 2.0, with an atom:link to itself and lastBuildDate = newest item's date."""
    feed = _generator(spec, context, spec.rss_path, "application/rss+xml")
    data: bytes = feed.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def build_atom(spec: FeedSpec, context: FeedContext) -> bytes:
    """The feed as Atom, with a self link, an author, and updated = newest item's date."""
    feed = _generator(spec, context, spec.atom_path, "application/atom+xml")
    data: bytes = feed.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


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
    from a dump is escaped (a reader shows `<script>` in an abstract as text)."""
    facts = paper_facts(paper)
    titles = [collection_titles.get(slug, slug) for slug in paper.collections]
    if titles:
        facts.append("Collections: " + ", ".join(titles))
    abstract = paper.abstract or "The dump gave no abstract for this paper."
    return f"<p>{html.escape(abstract)}</p>\n<p>{html.escape(' · '.join(facts))}</p>"


def xml_text(text: str) -> str:
    """`text` without the characters XML forbids (or discourages), which feed readers choke on."""
    return _NOT_XML.sub("", text)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of `day`: the timestamp a feed gives a calendar day."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _generator(spec: FeedSpec, context: FeedContext, self_path: str, self_type: str) -> Any:
    """A FeedGenerator holding the feed's fields and its items, in spec order."""
    feed = FeedGenerator()
    self_url = file_url(context.site_url, self_path)
    feed.id(self_url)
    feed.title(xml_text(spec.title))
    feed.description(xml_text(spec.description))
    feed.author(name=xml_text(context.site_name))
    # RSS has one channel link and feedgen takes the last one given: the page, not the feed.
    feed.link(href=self_url, rel="self", type=self_type)
    feed.link(href=page_url(context.site_url, spec.page), rel="alternate")
    feed.language("en")
    feed.generator(GENERATOR_NAME)
    newest = spec.papers[0].first_seen if spec.papers else EMPTY_FEED_DATE
    feed.updated(day_start(newest))
    for paper in spec.papers:
        _add_item(feed, paper, context)
    return feed


def _add_item(feed: Any, paper: Paper, context: FeedContext) -> None:
    url = page_url(context.site_url, paper_path(paper.id))
    entry = feed.add_entry(order="append")
    entry.guid(url, permalink=True)
    entry.title(xml_text(paper.title))
    entry.link(href=url, rel="alternate")
    entry.summary(xml_text(item_html(paper, context.collection_titles)), type="html")
    entry.published(day_start(paper.first_seen))
    entry.updated(day_start(paper.first_seen))
    names = [xml_text(name) for name in context.categories.get(paper.id, ())]
    if names:
        entry.category([{"term": name} for name in names])
