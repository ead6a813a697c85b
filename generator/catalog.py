"""Merge the entries of every dump into one catalogue: one paper per work.

Two entries are the same work when their titles are equal ignoring case and punctuation
(`urls.title_key`). Anything else, however similar the abstracts, stays two papers: an extended
version of a paper is its own arXiv entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from generator.model import Catalog, Collection, Dump, Entry, Paper
from generator.urls import make_slug, title_key

T = TypeVar("T")


def build_catalog(dumps: Sequence[Dump]) -> Catalog:
    """Merge the dumps' entries into papers, sorted by id.

    The title is the spelling of the earliest capture (others become aliases); the abstract is the
    longest one seen; date, author count and organisation come from the first dump that gives them;
    votes are the highest count seen; `first_seen` is the earliest capture date; `lines` holds
    the line of the paper's first entry in each collection, its place in that listing.
    """
    ordered = sorted(dumps, key=lambda dump: (dump.collection.captured, dump.collection.file))
    groups: dict[str, list[tuple[Collection, Entry]]] = defaultdict(list)
    for dump in ordered:
        for entry in dump.entries:
            groups[title_key(entry.title)].append((dump.collection, entry))
    papers = sorted(
        (_merge(key, sightings) for key, sightings in groups.items()), key=lambda p: p.id
    )
    entry_count = sum(len(dump.entries) for dump in dumps)
    collections = tuple(dump.collection for dump in ordered)
    return Catalog(tuple(papers), collections, merged=entry_count - len(papers))


def _merge(key: str, sightings: list[tuple[Collection, Entry]]) -> Paper:
    """One paper from every (collection, entry) sighting of it (titles with this `key`),
    earliest capture first."""
    entries = [entry for _, entry in sightings]
    # Each collection once, with the line of its first entry for this paper.
    firsts: dict[str, int] = {}
    for collection, entry in sightings:
        firsts.setdefault(collection.slug, entry.line)
    title = entries[0].title
    return Paper(
        id=make_slug(title, key),
        title=title,
        aliases=tuple(sorted({entry.title for entry in entries} - {title})),
        abstract=max(entries, key=lambda entry: len(entry.abstract)).abstract,
        collections=tuple(firsts),
        first_seen=min(collection.captured for collection, _ in sightings),
        date=_first(entry.date for entry in entries),
        authors_count=_first(entry.authors_count for entry in entries),
        organization=_first(entry.organization for entry in entries),
        votes=max((entry.votes for entry in entries if entry.votes is not None), default=None),
        lines=tuple(firsts.values()),
    )


def _first(values: Iterable[T | None]) -> T | None:
    return next((value for value in values if value is not None), None)
