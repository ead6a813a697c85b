"""Plan the whole site in memory: every generated file as {path under docs/: content}."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.config import SiteConfig
from generator.errors import PlanError
from generator.model import Catalog, Paper
from generator.render import (
    TOPICS_INDEX,
    UNCATEGORISED_TOPIC,
    collection_counts,
    newest_papers,
    render_collection_page,
    render_collections_index,
    render_home,
    render_paper_page,
    render_topic_page,
    render_topics_index,
)
from generator.topics import UNCATEGORISED, Topic, TopicMatch
from generator.urls import (
    COLLECTIONS_DIR,
    FEEDS_DIR,
    PAPERS_DIR,
    TOPICS_DIR,
    collection_path,
    page_url,
    paper_path,
    topic_path,
)

# The generator owns these folders (stale files in them are deleted) and these root files.
OWNED_DIRS = (PAPERS_DIR, COLLECTIONS_DIR, TOPICS_DIR, FEEDS_DIR)
OWNED_ROOT_FILES = ("index.md", "papers.json")
JSON_EXPORT = "papers.json"


@dataclass(frozen=True, slots=True)
class SitePlan:
    """Every generated file: path relative to `docs/` -> bytes."""

    files: dict[str, bytes]


def plan_site(
    catalog: Catalog,
    config: SiteConfig,
    topics: Sequence[Topic],
    assignments: Mapping[str, tuple[TopicMatch, ...]],
    related: Mapping[str, tuple[str, ...]],
) -> SitePlan:
    """Render every page and export of the site. Two outputs on one path is a PlanError.

    `assignments` and `related` map paper ids to topic matches and related paper ids; a paper
    missing from them has none.
    """
    collections = {c.slug: c for c in catalog.collections}
    by_slug = {t.slug: t for t in topics}
    by_id = {p.id: p for p in catalog.papers}
    by_topic = topic_members(catalog.papers, assignments)
    topic_counts = {slug: len(group) for slug, group in by_topic.items()}
    counts = collection_counts(catalog.papers)
    pages: list[tuple[str, str]] = [
        (
            "index.md",
            render_home(
                catalog,
                config.site_name,
                newest_papers(catalog.papers, config.newest_on_home),
                topics,
                topic_counts,
            ),
        ),
        (f"{COLLECTIONS_DIR}/index.md", render_collections_index(catalog.collections, counts)),
    ]
    pages += [
        (
            paper_path(p.id),
            render_paper_page(
                p,
                collections,
                [(by_slug[m.topic], m) for m in assignments.get(p.id, ())],
                [by_id[other] for other in related.get(p.id, ())],
            ),
        )
        for p in catalog.papers
    ]
    pages.append((TOPICS_INDEX, render_topics_index(topics, topic_counts)))
    pages += [
        (topic_path(t.slug), render_topic_page(t, by_topic.get(t.slug, [])))
        for t in (*topics, UNCATEGORISED_TOPIC)
    ]
    for collection in catalog.collections:
        members = [p for p in catalog.papers if collection.slug in p.collections]
        pages.append(
            (collection_path(collection.slug), render_collection_page(collection, members))
        )
    pages.append((JSON_EXPORT, export_json(catalog.papers, config.site_url, assignments, related)))
    return SitePlan(_unique_paths((path, text.encode("utf-8")) for path, text in pages))


def topic_members(
    papers: Iterable[Paper], assignments: Mapping[str, tuple[TopicMatch, ...]]
) -> dict[str, list[Paper]]:
    """Topic slug -> its papers; papers in no topic go under `UNCATEGORISED`."""
    members: dict[str, list[Paper]] = {UNCATEGORISED: []}
    for paper in papers:
        slugs = [m.topic for m in assignments.get(paper.id, ())] or [UNCATEGORISED]
        for slug in slugs:
            members.setdefault(slug, []).append(paper)
    return members


def export_json(
    papers: Iterable[Paper],
    site_url: str,
    assignments: Mapping[str, tuple[TopicMatch, ...]],
    related: Mapping[str, tuple[str, ...]],
) -> str:
    """The JSON export: {"papers": [...]}, one object per paper, sorted by id (schema in README).

    `topics` lists the paper's topic slugs (empty when uncategorised), `related` its related
    paper ids, most similar first."""
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
            "topics": [m.topic for m in assignments.get(p.id, ())],
            "related": list(related.get(p.id, ())),
        }
        for p in papers
    ]
    return json.dumps({"papers": records}, ensure_ascii=False, indent=1) + "\n"


def _unique_paths(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    plan: dict[str, bytes] = {}
    for path, content in files:
        if path in plan:
            raise PlanError(f"two outputs on one path: docs/{path}")
        plan[path] = content
    return plan
