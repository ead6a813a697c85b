"""Plan the whole site in memory: every generated file as {path under docs/: content}."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from generator.config import SiteConfig
from generator.errors import PlanError
from generator.feeds import FeedContext, feed_spec, plan_feeds
from generator.model import Catalog, FeedSpec, Paper
from generator.render import (
    collection_counts,
    newest_papers,
    render_collection_page,
    render_collections_index,
    render_home,
    render_paper_page,
    render_subscribe_page,
)
from generator.urls import (
    COLLECTIONS_DIR,
    FEEDS_DIR,
    OPML_PATH,
    PAPERS_DIR,
    SITE_FEED,
    SUBSCRIBE_PATH,
    TOPICS_DIR,
    FeedPaths,
    collection_path,
    feed_paths,
    page_url,
    paper_path,
)

# The generator owns these folders (stale files in them are deleted) and these root files.
OWNED_DIRS = (PAPERS_DIR, COLLECTIONS_DIR, TOPICS_DIR, FEEDS_DIR)
OWNED_ROOT_FILES = (
    "index.md",
    "papers.json",
    SITE_FEED.rss,
    SITE_FEED.atom,
    OPML_PATH,
    SUBSCRIBE_PATH,
)
JSON_EXPORT = "papers.json"


@dataclass(frozen=True, slots=True)
class SitePlan:
    """Every generated file: path relative to `docs/` -> bytes."""

    files: dict[str, bytes]


def plan_site(catalog: Catalog, config: SiteConfig) -> SitePlan:
    """Render every page, feed and export of the site. Two outputs on one path is a PlanError."""
    collections = {c.slug: c for c in catalog.collections}
    counts = collection_counts(catalog.papers)
    site_feed = feed_spec(
        "Every paper",
        config.site_name,
        f"The newest papers on {config.site_name}.",
        "index.md",
        SITE_FEED,
        catalog.papers,
        config.feed_size,
    )
    members = {
        c.slug: [p for p in catalog.papers if c.slug in p.collections] for c in collections.values()
    }
    collection_feeds = {
        c.slug: _page_feed(
            c.title,
            c.description,
            collection_path(c.slug),
            feed_paths(COLLECTIONS_DIR, c.slug),
            members[c.slug],
            config,
        )
        for c in catalog.collections
    }
    # Each section is a heading on the Subscribe page and a run of feeds in the OPML file.
    sections: list[tuple[str, list[FeedSpec]]] = [("Collections", list(collection_feeds.values()))]
    context = FeedContext(
        site_url=config.site_url,
        site_name=config.site_name,
        categories={},
        collection_titles={slug: c.title for slug, c in collections.items()},
    )
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
    pages += [
        (
            collection_path(slug),
            render_collection_page(collections[slug], papers, collection_feeds[slug]),
        )
        for slug, papers in members.items()
    ]
    pages.append((SUBSCRIBE_PATH, render_subscribe_page(site_feed, sections)))
    pages.append((JSON_EXPORT, export_json(catalog.papers, config.site_url)))
    specs = [site_feed] + [feed for _, feeds in sections for feed in feeds]
    files = [(path, text.encode("utf-8")) for path, text in pages]
    files += plan_feeds(specs, context, OPML_PATH).items()
    return SitePlan(_unique_paths(files))


def _page_feed(
    name: str,
    description: str,
    page: str,
    paths: FeedPaths,
    papers: Iterable[Paper],
    config: SiteConfig,
) -> FeedSpec:
    """The feed of one collection's or topic's page, titled "<site>: <name>"."""
    return feed_spec(
        name, f"{config.site_name}: {name}", description, page, paths, papers, config.feed_size
    )


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
    return json.dumps({"papers": records}, ensure_ascii=False, indent=1) + "\n"


def _unique_paths(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    plan: dict[str, bytes] = {}
    for path, content in files:
        if path in plan:
            raise PlanError(f"two outputs on one path: docs/{path}")
        plan[path] = content
    return plan
