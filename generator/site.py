"""Plan the whole site in memory: every generated file as {path under docs/: content}."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from generator.config import SiteConfig
from generator.errors import PlanError
from generator.export import export_json
from generator.feeds import FeedContext, feed_spec, plan_feeds
from generator.list_data import list_data
from generator.listing import newest_papers, order_for_collection, order_for_topic, paginate
from generator.model import Catalog, FeedSpec, Paper
from generator.render import (
    UNCATEGORISED_TOPIC,
    render_collection_page,
    render_collections_index,
    render_home,
    render_paper_page,
    render_subscribe_page,
    render_topic_page,
    render_topics_index,
)
from generator.topics import UNCATEGORISED, Topic, TopicMatch
from generator.urls import (
    COLLECTIONS_DIR,
    COLLECTIONS_INDEX,
    FEEDS_DIR,
    OPML_PATH,
    PAPERS_DIR,
    SITE_FEED,
    SUBSCRIBE_PATH,
    TOPICS_DIR,
    TOPICS_INDEX,
    FeedPaths,
    collection_path,
    feed_paths,
    list_data_path,
    paper_path,
    topic_path,
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


class PlannedFiles(Mapping[str, bytes]):
    """Every generated file: path relative to `docs/` -> bytes. Two files on one path is a
    PlanError.

    Pages are rendered each time one is asked for (`later`: path -> a function giving the
    page's text): the processes that write the site (`write.sync`) render their own share, and
    at 30,000 papers the plan never holds every page at once.
    """

    def __init__(
        self, made: Iterable[tuple[str, bytes]], later: Iterable[tuple[str, Callable[[], str]]]
    ) -> None:
        self._made: dict[str, bytes] = {}
        self._pages: dict[str, Callable[[], str]] = {}
        for path, content in made:
            self._claim(path)
            self._made[path] = content
        for path, render in later:
            self._claim(path)
            self._pages[path] = render

    def _claim(self, path: str) -> None:
        if path in self._made or path in self._pages:
            raise PlanError(f"two outputs on one path: docs/{path}")

    def __getitem__(self, path: str) -> bytes:
        made = self._made.get(path)
        if made is not None:
            return made
        return self._pages[path]().encode("utf-8")

    def __iter__(self) -> Iterator[str]:
        yield from self._made
        yield from self._pages

    def __len__(self) -> int:
        return len(self._made) + len(self._pages)

    def __contains__(self, path: object) -> bool:
        return path in self._made or path in self._pages


@dataclass(frozen=True, slots=True)
class SitePlan:
    """Every generated file: path relative to `docs/` -> bytes."""

    files: PlannedFiles


def plan_site(
    catalog: Catalog,
    config: SiteConfig,
    topics: Sequence[Topic],
    assignments: Mapping[str, tuple[TopicMatch, ...]],
    related: Mapping[str, tuple[str, ...]],
) -> SitePlan:
    """Render every page, feed and export of the site. Two outputs on one path is a PlanError.

    `assignments` and `related` map paper ids to topic matches and related paper ids; a paper
    missing from them has none. Feeds and the topic and collection pages are made now; the
    other pages and the export when first asked for, and only they read `related` (so it may be
    filled in after this returns).
    """
    collections = {c.slug: c for c in catalog.collections}
    by_slug = {t.slug: t for t in topics}
    by_id = {p.id: p for p in catalog.papers}
    # Newest first: each group's feed takes its first papers, and sorting what is already in
    # order is quick.
    ranked = newest_papers(catalog.papers, len(catalog.papers))
    in_collection = collection_members(ranked)
    in_topic = topic_members(ranked, assignments)
    site_feed = feed_spec(
        "Every paper",
        config.site_name,
        f"The newest papers on {config.site_name}.",
        "index.md",
        SITE_FEED,
        ranked,
        config.feed_size,
    )
    collection_feeds = {
        c.slug: _page_feed(c.title, c.description, collection_path(c.slug),
                           feed_paths(COLLECTIONS_DIR, c.slug), in_collection.get(c.slug, []), config)
        for c in catalog.collections
    }  # fmt: skip
    topic_feeds = {
        t.slug: _page_feed(t.name, t.description, topic_path(t.slug),
                           feed_paths(TOPICS_DIR, t.slug), in_topic.get(t.slug, []), config)
        for t in topics
    }  # fmt: skip
    # Each section is a heading on the Subscribe page and a run of feeds in the OPML file.
    sections: list[tuple[str, list[FeedSpec]]] = [
        ("Topics", list(topic_feeds.values())),
        ("Collections", list(collection_feeds.values())),
    ]
    context = FeedContext(
        site_url=config.site_url,
        site_name=config.site_name,
        categories={
            paper_id: tuple(by_slug[m.topic].name for m in matches)
            for paper_id, matches in assignments.items()
        },
        collection_titles={slug: c.title for slug, c in collections.items()},
    )
    newest = ranked[: config.newest_on_home]
    names = context.categories
    topic_counts = [(t, len(in_topic.get(t.slug, []))) for t in topics]
    collection_counts = counts_of(in_collection)
    later: list[tuple[str, Callable[[], str]]] = [
        ("index.md", partial(render_home, catalog, config.site_name, newest, collection_counts, topic_counts, names)),
        (COLLECTIONS_INDEX, partial(render_collections_index, catalog.collections, collection_counts)),
        (TOPICS_INDEX, partial(render_topics_index, topics, counts_of(in_topic))),
        (SUBSCRIBE_PATH, partial(render_subscribe_page, site_feed, sections)),
        (JSON_EXPORT, partial(export_json, catalog.papers, config.site_url, assignments, related)),
    ]  # fmt: skip
    # Long lists are cut into pages of `page_size` papers ("topics/x.md", "topics/x/page-2.md");
    # each list's data, for sorting and filtering all of it, goes beside its first page. These
    # need no related papers: they are rendered now, while those may still be worked out.
    listings: list[tuple[str, str]] = []
    listed = partial(
        list_data,
        topic_slugs={p.id: [m.topic for m in assignments.get(p.id, ())] or [UNCATEGORISED]
                     for p in catalog.papers},
        topic_names={t.slug: t.name for t in (*topics, UNCATEGORISED_TOPIC)},
        collection_titles=context.collection_titles,
        card_topics=names,
    )  # fmt: skip
    for t in (*topics, UNCATEGORISED_TOPIC):
        ordered = order_for_topic(in_topic.get(t.slug, []))
        listings.append((list_data_path(topic_path(t.slug)), listed(ordered)))
        listings += [
            (page.path, render_topic_page(t, page.papers, topic_feeds.get(t.slug), names, page))
            for page in paginate(ordered, topic_path(t.slug), config.page_size)
        ]  # fmt: skip
    for slug, c in collections.items():
        ordered = order_for_collection(in_collection.get(slug, []), slug)
        listings.append((list_data_path(collection_path(slug)), listed(ordered)))
        listings += [
            (page.path, render_collection_page(c, page.papers, collection_feeds[slug], names,
                                               page))
            for page in paginate(ordered, collection_path(slug), config.page_size)
        ]  # fmt: skip

    def paper_page(paper: Paper) -> str:
        return render_paper_page(
            paper,
            collections,
            [(by_slug[m.topic], m) for m in assignments.get(paper.id, ())],
            [by_id[other] for other in related.get(paper.id, ())],
        )

    later += [(paper_path(p.id), partial(paper_page, p)) for p in catalog.papers]
    specs = [site_feed] + [feed for _, feeds in sections for feed in feeds]
    made = list(plan_feeds(specs, context, OPML_PATH).items())
    made += [(path, text.encode("utf-8")) for path, text in listings]
    return SitePlan(PlannedFiles(made, later))


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


def collection_members(papers: Iterable[Paper]) -> dict[str, list[Paper]]:
    """Collection slug -> its papers, in the order given."""
    members: dict[str, list[Paper]] = {}
    for paper in papers:
        for slug in paper.collections:
            members.setdefault(slug, []).append(paper)
    return members


def counts_of(members: Mapping[str, list[Paper]]) -> dict[str, int]:
    """Group key -> how many papers the group holds."""
    return {key: len(group) for key, group in members.items()}


def topic_members(
    papers: Iterable[Paper], assignments: Mapping[str, tuple[TopicMatch, ...]]
) -> dict[str, list[Paper]]:
    """Topic slug -> its papers, in the order given; papers in no topic go under
    `UNCATEGORISED`."""
    members: dict[str, list[Paper]] = {UNCATEGORISED: []}
    for paper in papers:
        slugs = [m.topic for m in assignments.get(paper.id, ())] or [UNCATEGORISED]
        for slug in slugs:
            members.setdefault(slug, []).append(paper)
    return members
