"""The data of a whole list, which the listing script sorts and filters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from generator.list_data import list_data
from generator.model import Paper

PAPERS = [
    Paper("b", "B <two>", (), "Second.", ("week-2",), dt.date(2025, 3, 18), votes=4),
    Paper("a", "A one", (), "First.", ("week-1", "week-2"), dt.date(2025, 3, 11),
          dt.date(2025, 3, 1)),
]  # fmt: skip


def test_every_paper_is_listed_in_the_given_order_with_what_sorting_and_filters_need() -> None:
    data = json.loads(
        list_data(
            PAPERS,
            topic_slugs={"a": ["scaling"], "b": ["uncategorised"]},
            topic_names={"scaling": "Scaling laws", "uncategorised": "Uncategorised"},
            collection_titles={"week-1": "Week 1"},
            card_topics={"a": ["Scaling laws"]},
        )
    )
    assert data["topics"] == {"scaling": "Scaling laws", "uncategorised": "Uncategorised"}
    assert data["collections"] == {"week-1": "Week 1", "week-2": "week-2"}
    first, second = data["papers"]
    assert first == {
        "id": "b",
        "title": "B <two>",
        "date": None,
        "votes": 4,
        "first_seen": "2025-03-18",
        "topics": ["uncategorised"],
        "collections": ["week-2"],
        "code": None,
        "order": 0,
        "facts": "4 votes",
        "snippet": "Second.",
    }
    assert (second["order"], second["date"], second["facts"]) == (
        1,
        "2025-03-01",
        "Mar 1, 2025 · Scaling laws",
    )


def test_a_paper_with_code_carries_its_link_for_the_with_code_filter() -> None:
    with_code = dataclasses.replace(PAPERS[1], code_url="https://github.com/a/one")
    data = json.loads(
        list_data(
            [PAPERS[0], with_code],
            topic_slugs={"a": ["scaling"], "b": ["uncategorised"]},
            topic_names={"scaling": "Scaling laws", "uncategorised": "Uncategorised"},
            collection_titles={},
            card_topics={},
        )
    )
    assert [paper["code"] for paper in data["papers"]] == [None, "https://github.com/a/one"]
