"""The parser: problems are located by file and line."""

from __future__ import annotations

import datetime as dt

from generator.parse import parse_dump

CAPTURED = dt.date(2025, 3, 11)
ABSTRACT = (
    "Large language models are trained on ever more text. We measure how much of it they keep. "
    "Our results show that recall falls with the age of the text."
)


def test_a_real_abstract_is_no_problem() -> None:
    result = parse_dump(f"Subscribe\n\nA Title\n\n{ABSTRACT}\n", "d.txt", CAPTURED)
    assert [entry.abstract for entry in result.entries] == [ABSTRACT]
    assert result.problems == ()


def test_an_abstract_too_short_to_be_one_is_reported_with_its_line() -> None:
    text = "meta-llama/Llama-3-8B\n\nText Generation · Updated 5 days ago\n\nQwen/Qwen2-7B\n\nUpdated Jun 4\n"
    result = parse_dump(text, "d.txt", CAPTURED)
    assert [str(problem) for problem in result.problems] == [
        "d.txt:3: warning: too short for an abstract: 'Text Generation · Updated 5 days ago'",
        "d.txt:7: warning: too short for an abstract: 'Updated Jun 4'",
    ]
