"""The order of papers in lists: dated newest first, undated in the order of their listing."""

from __future__ import annotations

import datetime as dt

from generator.listing import listing_place, order_for_collection, order_for_topic
from generator.model import Paper

DAY = dt.date(2025, 3, 11)


def _paper(
    paper_id: str,
    date: dt.date | None = None,
    collections: tuple[str, ...] = ("a",),
    lines: tuple[int, ...] = (1,),
    first_seen: dt.date = DAY,
) -> Paper:
    return Paper(paper_id, paper_id, (), "", collections, first_seen, date, lines=lines)


def test_a_collection_lists_dated_papers_newest_first_then_undated_ones_as_its_dump_does() -> None:
    papers = [
        _paper("zebra", lines=(5,)),
        _paper("apple", lines=(30,)),
        _paper("old", DAY, lines=(9,)),
        _paper("new", DAY + dt.timedelta(days=1), lines=(40,)),
        _paper("mango", lines=(12,)),
    ]
    ordered = order_for_collection(papers, "a")
    assert [p.id for p in ordered] == ["new", "old", "zebra", "mango", "apple"]


def test_a_collection_orders_by_its_own_listing_not_the_first_one() -> None:
    first = _paper("first", collections=("a", "b"), lines=(1, 50))
    second = _paper("second", collections=("a", "b"), lines=(2, 10))
    assert [p.id for p in order_for_collection([first, second], "b")] == ["second", "first"]
    assert [p.id for p in order_for_collection([second, first], "a")] == ["first", "second"]


def test_a_topic_lists_undated_papers_by_capture_then_listing_order() -> None:
    earlier = DAY - dt.timedelta(days=7)
    papers = [
        _paper("b-late-line", lines=(20,)),
        _paper("a-early-line", lines=(3,)),
        _paper("older-capture", lines=(1,), first_seen=earlier),
        _paper("dated", DAY - dt.timedelta(days=30), lines=(99,), first_seen=earlier),
    ]
    ordered = order_for_topic(papers)
    assert [p.id for p in ordered] == ["dated", "a-early-line", "b-late-line", "older-capture"]
    assert ordered == order_for_topic(reversed(papers))  # the input order never counts


def test_a_paper_without_lines_stands_at_the_start_of_its_listing() -> None:
    assert listing_place(_paper("x", collections=(), lines=())) == ("", 0, "x")
