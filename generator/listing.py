"""The order of papers in lists and how long lists are cut into pages: decided by the plan, shown
by the templates. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.model import Paper
from generator.urls import listing_paths

_NO_DATE = dt.date.min


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One page of a long list of papers: the page's papers (in list order), its number (from
    1), the Markdown paths of all the list's pages, and how many papers the whole list holds."""

    papers: Sequence[Paper]
    number: int
    paths: tuple[str, ...]
    total: int

    @property
    def path(self) -> str:
        return self.paths[self.number - 1]


def paginate(ordered: Sequence[Paper], first: str, size: int) -> list[ListingPage]:
    """`ordered` cut into pages of `size` papers; the first page is at `first` (an empty list
    still has one page)."""
    count = max(1, -(-len(ordered) // size))
    paths = listing_paths(first, count)
    return [
        ListingPage(ordered[index * size : (index + 1) * size], index + 1, paths, len(ordered))
        for index in range(count)
    ]


def one_page(ordered: Sequence[Paper], first: str) -> ListingPage:
    """The whole list on a single page."""
    return paginate(ordered, first, max(1, len(ordered)))[0]


def order_for_collection(papers: Iterable[Paper], slug: str) -> list[Paper]:
    """Dated papers newest first, then undated ones; papers of one date, and the undated ones,
    in the order the collection `slug` lists them."""
    in_listing = sorted(papers, key=lambda p: listing_place(p, slug))
    # Python's sort is stable in reverse too: equal keys keep the listing's order.
    return sorted(in_listing, key=lambda p: (p.date is not None, p.date or _NO_DATE), reverse=True)


def order_for_topic(papers: Iterable[Paper]) -> list[Paper]:
    """Newest first: by paper date (undated papers last), then first seen; papers alike in both
    in the order of the listing they came from (`listing_place`)."""
    in_listing = sorted(papers, key=listing_place)
    return sorted(
        in_listing,
        key=lambda p: (p.date is not None, p.date or p.first_seen, p.first_seen),
        reverse=True,
    )


def listing_place(paper: Paper, slug: str | None = None) -> tuple[str, int, str]:
    """Where `paper` stands in a listing it came from: the collection `slug` (by default the
    first that listed it), the line of its entry there, then its id (two papers never tie)."""
    at = paper.collections.index(slug) if slug in paper.collections else 0
    line = paper.lines[at] if at < len(paper.lines) else 0
    collection = paper.collections[at] if paper.collections else ""
    return collection, line, paper.id


def newest_papers(papers: Iterable[Paper], count: int) -> list[Paper]:
    """The papers most recently added to the site (by capture date, then paper date)."""
    oldest = dt.date.min
    ranked = sorted(papers, key=lambda p: (p.first_seen, p.date or oldest, p.id), reverse=True)
    return ranked[:count]
