"""The values that flow through the pipeline: entries, papers, collections and problems.

Everything here is immutable. Dates are calendar days (`datetime.date`): the dumps carry no time of
day, and the feeds turn a day into midnight UTC at their edge.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    """How bad a problem is: a notice is advice, a warning means input was not understood."""

    NOTICE = "notice"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a person should look at, located in a file (and a line, where there is one)."""

    file: str
    line: int | None
    message: str
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class Organization:
    """A Hugging Face organisation: its handle (the URL part) and its display name."""

    handle: str
    name: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper as one dump shows it, with the optional metadata block that may follow it."""

    title: str
    abstract: str
    line: int
    date: dt.date | None = None
    authors_count: int | None = None
    organization: Organization | None = None
    votes: int | None = None


@dataclass(frozen=True, slots=True)
class Collection:
    """A dump seen as a curated collection, described by its manifest entry (or by defaults)."""

    slug: str
    title: str
    description: str
    captured: dt.date
    file: str
    source_url: str | None = None


@dataclass(frozen=True, slots=True)
class Dump:
    """A parsed dump: its collection and the entries found in it, in file order."""

    collection: Collection
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Identity:
    """A paper as the Hugging Face Hub knows it, read from the lock file: its arXiv id, the Hub's
    title, the authors in order, the day it was published, its code and its project page."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    published: dt.date | None = None
    code_url: str | None = None
    project_url: str | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    """One work, merged across every dump that lists it. `lines` holds the line of its entry in
    each of `collections` (same order): its place in each listing it came from."""

    id: str
    title: str
    aliases: tuple[str, ...]
    abstract: str
    collections: tuple[str, ...]
    first_seen: dt.date
    date: dt.date | None = None
    authors_count: int | None = None
    organization: Organization | None = None
    votes: int | None = None
    # From the lock file, where the resolver (or the curator) found the paper on the Hub.
    identity: Identity | None = None
    # The Hub's GitHub repository, else the first one the abstract names.
    code_url: str | None = None
    lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every paper once, every collection once, and how many duplicate entries were merged."""

    papers: tuple[Paper, ...]
    collections: tuple[Collection, ...]
    merged: int


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed, in any format: what it follows (`name`, such as a collection's title), its title
    and description, the page it belongs to (a Markdown path), where its RSS and Atom files go,
    and its papers, newest first and cut to size."""

    name: str
    title: str
    description: str
    page: str
    rss_path: str
    atom_path: str
    papers: tuple[Paper, ...]
