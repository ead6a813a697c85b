"""Long topic and collection lists are cut into pages: every paper once, pages linked in order."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import PurePosixPath

import pytest

from generator.build import Build
from generator.config import load_site_config
from generator.listing import order_for_topic, paginate
from generator.site import plan_site
from generator.topics import load_topics
from generator.urls import collection_path, listing_paths, topic_path
from tests.conftest import ROOT

SIZE = 20
_CARD_LINK = re.compile(r'class="paper-card__title" href="\.\./\.\./(?:\.\./)?papers/([^/"]+)/"')
_PAGER_LINK = re.compile(r'<a class="md-button" href="([^"]+)">(First|Previous|Next|Last)</a>')


@pytest.fixture(scope="module")
def small_pages(seed_build: Build) -> dict[str, bytes]:
    """The seed site planned with SIZE papers a page."""
    config = dataclasses.replace(load_site_config(ROOT / "mkdocs.yml"), page_size=SIZE)
    catalog = seed_build.catalog
    related = {p.id: () for p in catalog.papers}
    plan = plan_site(
        catalog, config, load_topics(ROOT / "topics.yml"), seed_build.assignments, related
    )
    return dict(plan.files)


def _pages_of(files: dict[str, bytes], first: str) -> list[str]:
    stem = first.removesuffix(".md")
    extra = sorted(
        (path for path in files if path.startswith(f"{stem}/page-")),
        key=lambda path: int(path.rsplit("-", 1)[1].removesuffix(".md")),
    )
    return [first, *extra]


def test_paginate_cuts_in_order_and_keeps_an_empty_list_on_one_page() -> None:
    pages = paginate(list(range(25)), "topics/x.md", 10)  # type: ignore[arg-type]
    assert [list(page.papers) for page in pages] == [
        list(range(10)),
        list(range(10, 20)),
        list(range(20, 25)),
    ]
    assert [page.path for page in pages] == list(listing_paths("topics/x.md", 3))
    assert pages[1].path == "topics/x/page-2.md"
    assert {page.total for page in pages} == {25}
    empty = paginate([], "topics/y.md", 10)
    assert [(page.path, list(page.papers)) for page in empty] == [("topics/y.md", [])]


def test_every_paper_of_a_topic_is_on_exactly_one_of_its_pages_newest_first(
    seed_build: Build, small_pages: dict[str, bytes]
) -> None:
    members = [p for p in seed_build.catalog.papers if any(
        m.topic == "pretraining-data" for m in seed_build.assignments[p.id])]  # fmt: skip
    pages = _pages_of(small_pages, topic_path("pretraining-data"))
    assert len(pages) == -(-len(members) // SIZE) > 1
    listed = [pid for path in pages for pid in _CARD_LINK.findall(small_pages[path].decode())]
    assert listed == [p.id for p in order_for_topic(members)]


def test_every_paper_of_a_collection_is_listed_once(
    seed_build: Build, small_pages: dict[str, bytes]
) -> None:
    for collection in seed_build.catalog.collections:
        members = {p.id for p in seed_build.catalog.papers if collection.slug in p.collections}
        pages = _pages_of(small_pages, collection_path(collection.slug))
        listed = [pid for path in pages for pid in _CARD_LINK.findall(small_pages[path].decode())]
        assert sorted(listed) == sorted(members)
        assert len(pages) == -(-len(members) // SIZE)


def test_pager_links_lead_to_the_neighbouring_pages(small_pages: dict[str, bytes]) -> None:
    pages = _pages_of(small_pages, topic_path("pretraining-data"))
    for number, path in enumerate(pages, start=1):
        text = small_pages[path].decode()
        assert f"page {number} of {len(pages)}" in text
        targets = {label: _served(path, href) for href, label in _PAGER_LINK.findall(text)}
        expected = {"First": 1, "Previous": number - 1, "Next": number + 1, "Last": len(pages)}
        for label, target in expected.items():
            if 1 <= target <= len(pages) and target != number:
                assert targets[label] == _served(pages[target - 1], "./")
            else:
                assert label not in targets  # shown greyed out, not linked


def test_a_list_that_fits_one_page_has_no_pager(
    seed_build: Build, small_pages: dict[str, bytes]
) -> None:
    counts = Counter(m.topic for matches in seed_build.assignments.values() for m in matches)
    slug = min(counts, key=lambda slug: counts[slug])
    assert counts[slug] <= SIZE
    assert f"topics/{slug}/page-2.md" not in small_pages
    assert 'class="pager"' not in small_pages[topic_path(slug)].decode()


def _served(page: str, href: str) -> str:
    """The folder a browser lands in following `href` from the served page of `page`."""
    stem = page.removesuffix(".md")
    parts = list(PurePosixPath(stem).parts)
    for part in href.strip("/").split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)
