"""The reference the template feeds are checked against: RSS and Atom built with feedgen 1.0.

`generator.feeds` writes its feeds from string templates, for speed; before that it built them
with feedgen, as this module does, and the templates were written to give the same bytes. The
tests compare the two on every feed of the seed site, on a site of hostile dumps and on random
text, so the claim stays checked. This is the previous implementation, kept as it was: the same
calls, in the same order, on the same inputs (every string stripped by `xml_text`, every date a
day's start in UTC, feedgen's own stamps, the build time and its version, replaced).

Not collected as tests: a helper for `test_feeds.py`. feedgen is a test requirement only.
"""

from __future__ import annotations

from typing import Any

from feedgen.feed import FeedGenerator

from generator.feeds import (
    EMPTY_FEED_DATE,
    GENERATOR_NAME,
    FeedContext,
    day_start,
    item_html,
    xml_text,
)
from generator.model import FeedSpec, Paper
from generator.urls import file_url, page_url, paper_path


def build_rss(spec: FeedSpec, context: FeedContext) -> bytes:
    """The feed as RSS 2.0, as feedgen writes it."""
    feed = _generator(spec, context, spec.rss_path, "application/rss+xml")
    data: bytes = feed.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def build_atom(spec: FeedSpec, context: FeedContext) -> bytes:
    """The feed as Atom, as feedgen writes it."""
    feed = _generator(spec, context, spec.atom_path, "application/atom+xml")
    data: bytes = feed.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


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
