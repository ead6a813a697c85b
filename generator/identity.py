"""Give each paper what the lock file knows of it: its identity on the Hub, and its code link.
Pure: the lock file is read at the edge (`lock.read_lock`) and passed in.

A paper with a resolved (or pinned) entry gets that entry's `Identity`. Every paper's `code_url`
is the Hub's GitHub repository, else the first GitHub repository its abstract links to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from generator.lock import LockEntry, Status
from generator.model import Catalog, Paper
from generator.text import github_repository


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many papers the lock file links to the Hub, marks as not on it, or leaves to resolve."""

    linked: int
    not_on_hub: int
    pending: int


def attach_identities(catalog: Catalog, lock: Mapping[str, LockEntry]) -> Catalog:
    """`catalog` with each paper's identity (from `lock`: paper id -> entry) and code link."""
    return replace(catalog, papers=tuple(_attach(p, lock.get(p.id)) for p in catalog.papers))


def _attach(paper: Paper, entry: LockEntry | None) -> Paper:
    identity = entry.identity if entry is not None else None
    code = (identity.code_url if identity else None) or github_repository(paper.abstract)
    if identity is None and code is None:
        return paper
    return replace(paper, identity=identity, code_url=code)


def coverage(catalog: Catalog, lock: Mapping[str, LockEntry]) -> Coverage:
    """Count the catalogue's papers by what the lock file says of them."""
    linked = sum(1 for p in catalog.papers if p.identity is not None)
    not_on_hub = sum(
        1
        for p in catalog.papers
        if (entry := lock.get(p.id)) is not None and entry.status is Status.NOT_ON_HUB
    )
    return Coverage(linked, not_on_hub, len(catalog.papers) - linked - not_on_hub)
