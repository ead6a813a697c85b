"""The five seed dumps, counted by hand: every paper reaches the catalogue once."""

from __future__ import annotations

import datetime as dt
import json

from generator.build import Build
from generator.config import load_site_config
from generator.urls import paper_path, title_key
from tests.conftest import ROOT

# Counted by reading the files: title/abstract pairs after the page chrome.
SEED_COUNTS = {
    "000_17c7c5b628c5f8f0.txt": 112,
    "001_b07f67c0449023ce.txt": 108,
    "002_2e1a7ba535186e7a.txt": 244,  # the packed layout, first title glued to "Subscribe"
    "003_5bc1377f66e9d0d6.txt": 74,
    "004_517fc90bb09dc6b7.txt": 45,  # 44 metadata blocks: 40 author counts, 4 organisations
}
DISTINCT_PAPERS = 507  # 583 entries, 76 of them a paper already listed by another dump


def test_entries_per_dump(seed_build: Build) -> None:
    assert dict(seed_build.entries_per_dump) == SEED_COUNTS
    assert seed_build.problems == ()


def test_every_paper_once(seed_build: Build) -> None:
    papers = seed_build.catalog.papers
    assert len(papers) == DISTINCT_PAPERS
    assert seed_build.catalog.merged == sum(SEED_COUNTS.values()) - DISTINCT_PAPERS
    assert len({p.id for p in papers}) == DISTINCT_PAPERS
    assert len({title_key(p.title) for p in papers}) == DISTINCT_PAPERS
    assert all(paper_path(p.id) in seed_build.plan.files for p in papers)


def test_metadata_of_the_annotated_dump(seed_build: Build) -> None:
    in_004 = [p for p in seed_build.catalog.papers if "training-at-trillion-scale" in p.collections]
    assert len(in_004) == 45
    assert sum(p.authors_count is not None for p in in_004) == 40
    assert sum(p.organization is not None for p in in_004) == 4
    assert sum(p.date is not None for p in in_004) == 44
    assert sum(p.votes is not None for p in in_004) == 17
    ring = next(p for p in in_004 if p.title.startswith("Every Step Evolves"))
    assert (ring.organization and ring.organization.handle, ring.date, ring.votes) == (
        "inclusionAI",
        dt.date(2025, 10, 21),  # "Oct 21 3": no year, so the year of the Dec 4, 2025 capture
        3,
    )


def test_paper_in_four_dumps_merges_its_collections(seed_build: Build) -> None:
    paper = next(p for p in seed_build.catalog.papers if p.title.startswith("To Repeat or Not"))
    assert set(paper.collections) == {
        "the-llm-landscape",
        "efficient-training-and-serving",
        "scaling-laws",
        "training-at-trillion-scale",
    }
    assert sum(len(p.collections) == 4 for p in seed_build.catalog.papers) == 2
    frontier = next(
        p
        for p in seed_build.catalog.papers
        if p.title.startswith("Optimizing Distributed Training on Frontier")
    )
    assert frontier.date == dt.date(2023, 12, 19)  # the date only dump 004 gives
    assert frontier.authors_count == 8
    assert frontier.first_seen == dt.date(2025, 3, 11)


def test_extended_versions_stay_two_papers(seed_build: Build) -> None:
    titles = {p.title for p in seed_build.catalog.papers}
    assert (
        "Medical Adaptation of Large Language and Vision-Language Models: Are We Making Progress?"
        in titles
    )
    assert (
        "The Limited Impact of Medical Adaptation of Large Language and Vision-Language Models"
        in titles
    )


def test_json_export_matches_catalogue(seed_build: Build) -> None:
    records = json.loads(seed_build.plan.files["papers.json"])["papers"]
    assert len(records) == DISTINCT_PAPERS
    ring = next(r for r in records if r["title"].startswith("Every Step Evolves"))
    assert ring["organization"] == {"handle": "inclusionAI", "name": "inclusionAI"}
    assert ring["date"] == "2025-10-21"
    assert ring["votes"] == 3
    assert ring["first_seen"] == "2025-12-04"
    assert ring["url"] == f"{load_site_config(ROOT / 'mkdocs.yml').site_url}papers/{ring['id']}/"
    assert set(records[0]) >= {
        "id", "url", "title", "aliases", "abstract", "collections", "date",
        "authors_count", "organization", "votes", "first_seen",
    }  # fmt: skip
