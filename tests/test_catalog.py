"""Merge rules: one paper per title (ignoring case and punctuation), metadata from all dumps."""

from __future__ import annotations

import datetime as dt

from generator.catalog import build_catalog
from generator.model import Collection, Dump, Entry, Organization


def _dump(slug: str, captured: dt.date, *entries: Entry) -> Dump:
    return Dump(Collection(slug, slug.title(), "", captured, f"{slug}.txt"), entries)


EARLY = dt.date(2025, 3, 11)
LATE = dt.date(2025, 12, 4)


def test_case_and_punctuation_variants_are_one_paper_with_aliases() -> None:
    catalog = build_catalog(
        [
            _dump(
                "late", LATE, Entry("scaling laws -- part i", "Longer abstract text.", 1, votes=4)
            ),
            _dump("early", EARLY, Entry("Scaling Laws: Part I", "Abstract.", 1, authors_count=3)),
        ]
    )
    (paper,) = catalog.papers
    assert paper.title == "Scaling Laws: Part I"  # the earliest capture's spelling
    assert paper.aliases == ("scaling laws -- part i",)
    assert paper.abstract == "Longer abstract text."
    assert paper.collections == ("early", "late")
    assert (paper.first_seen, paper.authors_count, paper.votes) == (EARLY, 3, 4)
    assert catalog.merged == 1


def test_different_titles_are_different_papers_even_with_equal_abstracts() -> None:
    catalog = build_catalog(
        [
            _dump(
                "a",
                EARLY,
                Entry("Medical Adaptation: Are We Making Progress?", "Same words.", 1),
                Entry("The Limited Impact of Medical Adaptation", "Same words.", 3),
            )
        ]
    )
    assert len(catalog.papers) == 2
    assert catalog.merged == 0


def test_metadata_from_one_dump_collections_from_all() -> None:
    nvidia = Organization("nvidia", "NVIDIA")
    catalog = build_catalog(
        [
            _dump("a", EARLY, Entry("Paper", "x", 1)),
            _dump("b", LATE, Entry("Paper", "x", 5, date=dt.date(2024, 1, 2), organization=nvidia)),
        ]
    )
    (paper,) = catalog.papers
    assert (paper.date, paper.organization, paper.collections) == (
        dt.date(2024, 1, 2),
        nvidia,
        ("a", "b"),
    )


def test_paper_ids_do_not_depend_on_other_papers() -> None:
    alone = build_catalog([_dump("a", EARLY, Entry("Densing Law of LLMs", "x", 1))])
    crowded = build_catalog(
        [
            _dump(
                "a",
                EARLY,
                Entry("Densing Law of LLMs", "x", 1),
                Entry("Densing law of LLMs!", "y", 3),
            ),
            _dump("b", LATE, Entry("Densing Law of LLMs (v2)", "z", 1)),
        ]
    )
    ids = {p.title: p.id for p in crowded.papers}
    assert alone.papers[0].id == ids["Densing Law of LLMs"] == "densing-law-of-llms"
    assert len(set(ids.values())) == 2
