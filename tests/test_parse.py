"""The parser on each dump layout, on inline snippets."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.decode import decode_dump
from generator.model import Organization
from generator.parse import infer_year, parse_dump

CAPTURED = dt.date(2025, 12, 4)
ABSTRACT_A = ("We study how the loss of language models falls with compute. " * 6).strip()
ABSTRACT_B = ("Mixture-of-experts layers route each token to a few experts. " * 6).strip()

SPACED = f"""new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

Dec 4

Scaling Laws: Part I

{ABSTRACT_A}

Sparse Experts at Scale

{ABSTRACT_B}
"""

PACKED = f"""Get trending papers in your email inbox once a day!
Get trending papers in your email inbox!
SubscribeScaling Laws: Part I
{ABSTRACT_A}
Sparse Experts at Scale
{ABSTRACT_B}
"""

WITH_METADATA = f"""new

Subscribe

Scaling Laws: Part I

{ABSTRACT_A}

  • 8 authors
·
Dec 19, 2023

Sparse Experts at Scale

{ABSTRACT_B}

nvidia NVIDIA
·
Oct 21 3

Undated Paper

{ABSTRACT_A}

Last Paper With Votes And Year

{ABSTRACT_B}

  • 1 authors
·
Aug 13, 2024 2
"""


@pytest.mark.parametrize("text", [SPACED, PACKED], ids=["blank-line separated", "packed"])
def test_layouts_give_the_same_papers(text: str) -> None:
    result = parse_dump(text, "d.txt", CAPTURED)
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("Scaling Laws: Part I", ABSTRACT_A),
        ("Sparse Experts at Scale", ABSTRACT_B),
    ]
    assert result.problems == ()


def test_page_date_line_is_read_and_placed_before_capture() -> None:
    assert parse_dump(SPACED, "d.txt", CAPTURED).page_date == dt.date(2025, 12, 4)
    assert parse_dump(SPACED, "d.txt", dt.date(2026, 3, 1)).page_date == dt.date(2025, 12, 4)


def test_line_numbers_point_at_titles() -> None:
    entries = parse_dump(SPACED, "d.txt", CAPTURED).entries
    assert [e.line for e in entries] == [13, 17]
    assert [e.line for e in parse_dump(PACKED, "d.txt", CAPTURED).entries] == [3, 5]


def test_metadata_block_variants() -> None:
    entries = parse_dump(WITH_METADATA, "d.txt", CAPTURED).entries
    first, second, third, fourth = entries
    assert (first.authors_count, first.organization, first.date, first.votes) == (
        8,
        None,
        dt.date(2023, 12, 19),
        None,
    )
    assert second.organization == Organization("nvidia", "NVIDIA")
    assert (second.date, second.votes, second.authors_count) == (dt.date(2025, 10, 21), 3, None)
    assert (third.date, third.votes, third.authors_count, third.organization) == (
        None,
        None,
        None,
        None,
    )
    assert (fourth.authors_count, fourth.date, fourth.votes) == (1, dt.date(2024, 8, 13), 2)


def test_crlf_and_byte_order_mark() -> None:
    data = ("\ufeff" + SPACED.replace("\n", "\r\n")).encode("utf-8")
    text, problems = decode_dump(data, "d.txt")
    assert problems == ()
    result = parse_dump(text, "d.txt", CAPTURED)
    assert [e.title for e in result.entries] == ["Scaling Laws: Part I", "Sparse Experts at Scale"]
    assert result.entries[1].abstract == ABSTRACT_B


def test_tabs_and_trailing_spaces_are_tidied() -> None:
    text = SPACED.replace("Sparse Experts at Scale", "Sparse\tExperts  at Scale   ")
    assert parse_dump(text, "d.txt", CAPTURED).entries[1].title == "Sparse Experts at Scale"


def test_title_without_abstract_at_end_is_kept_and_reported() -> None:
    result = parse_dump(SPACED + "\nA Cut-off Title\n", "cut.txt", CAPTURED)
    assert result.entries[-1].title == "A Cut-off Title"
    assert result.entries[-1].abstract == ""
    assert [str(p) for p in result.problems] == [
        "cut.txt:21: warning: title with no abstract: 'A Cut-off Title'"
    ]


def test_title_without_abstract_in_the_middle_keeps_alignment() -> None:
    text = SPACED.replace("Sparse Experts at Scale", "Lonely Title\n\nSparse Experts at Scale")
    result = parse_dump(text, "d.txt", CAPTURED)
    assert [e.title for e in result.entries] == [
        "Scaling Laws: Part I",
        "Lonely Title",
        "Sparse Experts at Scale",
    ]
    assert result.entries[2].abstract == ABSTRACT_B
    assert len(result.problems) == 1
    assert "d.txt:17: warning: title with no abstract" in str(result.problems[0])


def test_chrome_only_dump_reports_no_papers() -> None:
    result = parse_dump("new\n\nSubscribe\n\nDaily Papers\n\nMar 11\n", "empty.txt", CAPTURED)
    assert result.entries == ()
    assert [str(p) for p in result.problems] == ["empty.txt: warning: no papers found in this dump"]


def test_bytes_that_are_not_utf8_are_replaced_and_reported_with_line() -> None:
    data = SPACED.replace("Sparse", "Sp\x00arse").encode("utf-8").replace(b"\x00", b"\xff")
    text, problems = decode_dump(data, "latin.txt")
    assert "Sp\ufffdarse Experts at Scale" in text
    assert [str(p) for p in problems] == [
        "latin.txt:17: warning: bytes that are not UTF-8; they are shown as U+FFFD "
        "(save the dump as UTF-8)"
    ]


def test_control_characters_are_removed_and_reported() -> None:
    result = parse_dump(SPACED.replace("Sparse", "Spa\x07rse"), "c.txt", CAPTURED)
    assert result.entries[1].title == "Sparse Experts at Scale"
    assert [str(p) for p in result.problems] == ["c.txt:17: warning: control characters removed"]


@pytest.mark.parametrize(
    ("month", "day", "captured", "expected"),
    [
        (3, 11, dt.date(2025, 3, 11), dt.date(2025, 3, 11)),
        (3, 12, dt.date(2025, 3, 11), dt.date(2024, 3, 12)),
        (12, 19, dt.date(2025, 1, 5), dt.date(2024, 12, 19)),
        (2, 29, dt.date(2025, 6, 1), dt.date(2024, 2, 29)),
    ],
)
def test_year_is_inferred_on_or_before_capture(
    month: int, day: int, captured: dt.date, expected: dt.date
) -> None:
    assert infer_year(month, day, captured) == expected


REAL_ABSTRACT = (
    "Large language models are trained on ever more text. We measure how much of it they keep. "
    "Our results show that recall falls with the age of the text."
)


def test_a_real_abstract_is_no_problem() -> None:
    result = parse_dump(f"Subscribe\n\nA Title\n\n{REAL_ABSTRACT}\n", "d.txt", CAPTURED)
    assert [entry.abstract for entry in result.entries] == [REAL_ABSTRACT]
    assert result.problems == ()


def test_an_abstract_too_short_to_be_one_is_reported_with_its_line() -> None:
    text = "meta-llama/Llama-3-8B\n\nText Generation · Updated 5 days ago\n\nQwen/Qwen2-7B\n\nUpdated Jun 4\n"
    result = parse_dump(text, "d.txt", CAPTURED)
    assert [str(problem) for problem in result.problems] == [
        "d.txt:3: warning: too short for an abstract: 'Text Generation · Updated 5 days ago'",
        "d.txt:7: warning: too short for an abstract: 'Updated Jun 4'",
    ]
