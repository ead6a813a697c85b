"""Plan the whole site in memory: every generated file as {path under docs/: content}."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from generator.config import SiteConfig
from generator.errors import PlanError
from generator.model import Catalog, Paper
from generator.render import (
    collection_counts,
    newest_papers,
    render_collection_page,
    render_collections_index,
    render_home,
    render_paper_page,
)
from generator.urls import (
    COLLECTIONS_DIR,
    FEEDS_DIR,
    PAPERS_DIR,
    TOPICS_DIR,
    collection_path,
    page_url,
    paper_path,
)

# The generator owns these folders (stale files in them are deleted) and these root files.
OWNED_DIRS = (PAPERS_DIR, COLLECTIONS_DIR, TOPICS_DIR, FEEDS_DIR)
OWNED_ROOT_FILES = ("index.md", "papers.json")
JSON_EXPORT = "papers.json"


@dataclass(frozen=True, slots=True)
class SitePlan:
    """Every generated file: path relative to `docs/` -> bytes."""

    files: dict[str, bytes]


def plan_site(catalog: Catalog, config: SiteConfig) -> SitePlan:
    """Render every page and export of the site. Two outputs on one path is a PlanError."""
    collections = {c.slug: c for c in catalog.collections}
    counts = collection_counts(catalog.papers)
    pages: list[tuple[str, str]] = [
        (
            "index.md",
            render_home(
                catalog, config.site_name, newest_papers(catalog.papers, config.newest_on_home)
            ),
        ),
        (f"{COLLECTIONS_DIR}/index.md", render_collections_index(catalog.collections, counts)),
    ]
    pages += [(paper_path(p.id), render_paper_page(p, collections)) for p in catalog.papers]
    members = papers_by_collection(catalog.papers)
    pages += [
        (collection_path(c.slug), render_collection_page(c, members.get(c.slug, [])))
        for c in catalog.collections
    ]
    pages.append((JSON_EXPORT, export_json(catalog.papers, config.site_url)))
    return SitePlan(_unique_paths((path, text.encode("utf-8")) for path, text in pages))


def papers_by_collection(papers: Iterable[Paper]) -> dict[str, list[Paper]]:
    """Each collection's papers, in catalogue order, grouped in one pass over the papers."""
    members: dict[str, list[Paper]] = {}
    for paper in papers:
        for slug in paper.collections:
            members.setdefault(slug, []).append(paper)
    return members


def export_json(papers: Iterable[Paper], site_url: str) -> str:
    """The JSON export: {"papers": [...]}, one object per paper, sorted by id (schema in README)."""
    records = [
        {
            "id": p.id,
            "url": page_url(site_url, paper_path(p.id)),
            "title": p.title,
            "aliases": list(p.aliases),
            "abstract": p.abstract,
            "collections": list(p.collections),
            "date": p.date.isoformat() if p.date else None,
            "authors_count": p.authors_count,
            "organization": (
                {"handle": p.organization.handle, "name": p.organization.name}
                if p.organization
                else None
            ),
            "votes": p.votes,
            "first_seen": p.first_seen.isoformat(),
        }
        for p in papers
    ]
    # One paper per line: diffable, and each line goes through json's C encoder (indent= would
    # switch the whole export to the pure-Python one, 3 s at 30,000 papers).
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    return '{"papers": [\n' + lines + "\n]}\n"


def _unique_paths(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    plan: dict[str, bytes] = {}
    for path, content in files:
        if path in plan:
            raise PlanError(f"two outputs on one path: docs/{path}")
        plan[path] = content
    return plan
