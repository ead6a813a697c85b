"""The pipeline in one screen: dumps -> parse -> catalogue -> topics -> plan. Pure: no disk, no clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from generator.catalog import build_catalog
from generator.config import MANIFEST_NAME, ManifestEntry, SiteConfig
from generator.dumps import DumpFile, load_dump, unused_manifest_entries
from generator.errors import ConfigError
from generator.identity import Coverage, attach_identities, coverage
from generator.lock import LockEntry
from generator.model import Catalog, Dump, Problem
from generator.parallel import cpu_count, in_background
from generator.related import related_papers
from generator.site import SitePlan, plan_site
from generator.topics import Topic, TopicMatch, assign_topics, check_pins


@dataclass(frozen=True, slots=True)
class Build:
    """A planned site, with what went into it and every problem met on the way."""

    catalog: Catalog
    assignments: dict[str, tuple[TopicMatch, ...]]
    plan: SitePlan
    entries_per_dump: tuple[tuple[str, int], ...]
    problems: tuple[Problem, ...]
    coverage: Coverage


def build_site(
    files: Sequence[DumpFile],
    manifest: Mapping[str, ManifestEntry],
    config: SiteConfig,
    topics: Sequence[Topic],
    today: dt.date,
    lock: Mapping[str, LockEntry] | None = None,
) -> Build:
    """Turn dump files into a planned site. `today` only dates dumps the manifest does not;
    `lock` (paper id -> lock entry, `lock.read_lock`) links papers to the Hub."""
    problems: list[Problem] = list(unused_manifest_entries(dict(manifest), tuple(files)))
    dumps = []
    for dump_file in sorted(files, key=lambda f: f.name):
        if dump_file.unread is not None:
            problems.append(Problem(dump_file.name, None, dump_file.unread))
            continue
        dump, dump_problems = load_dump(dump_file, manifest.get(dump_file.name), today)
        dumps.append(dump)
        problems += dump_problems
    _check_slugs(dumps)
    lock = lock or {}
    catalog = attach_identities(build_catalog(dumps), lock)
    problems += check_pins(topics, {paper.id for paper in catalog.papers})
    # Related papers need only the catalogue: they are worked out in a second process while
    # this one assigns topics and plans the site, feeds included. The plan renders pages only
    # when asked for, so `related` is filled in before any page can be.
    related_task = partial(related_papers, catalog.papers, threads=cpu_count())
    related: dict[str, tuple[str, ...]] = {}
    with in_background(related_task) as related_result:
        assignments = assign_topics(catalog.papers, topics)
        plan = plan_site(catalog, config, topics, assignments, related)
        related.update(related_result())
    counts = tuple((dump.collection.file, len(dump.entries)) for dump in dumps)
    return Build(catalog, assignments, plan, counts, tuple(problems), coverage(catalog, lock))


def _check_slugs(dumps: Sequence[Dump]) -> None:
    """Two collections on one page would merge: a ConfigError names both dumps (the manifest
    checks its own entries; this catches a dump it does not list, whose slug is its name's)."""
    seen: dict[str, str] = {}
    for dump in dumps:
        first = seen.setdefault(dump.collection.slug, dump.collection.file)
        if first != dump.collection.file:
            raise ConfigError(
                f"{first} and {dump.collection.file} have one collection slug, "
                f"{dump.collection.slug!r}: give one a slug of its own in {MANIFEST_NAME}"
            )
