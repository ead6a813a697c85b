"""Decide whether a paper the Hub's search returned is the paper in the dumps. Pure.

A candidate is accepted when its title is ours once case, punctuation and spacing are ignored
(`urls.title_key`, the rule that merges the dumps' own spellings), or, failing that, when its
abstract and ours agree closely: `ABSTRACT_AGREEMENT` (0.9) or more of their words in the same
order (difflib's ratio over the two word sequences). A title that is merely near ours ("Scaling
Laws for Neural Language Models" against "... Neural Machine Translation") is not enough.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from generator.urls import title_key

ABSTRACT_AGREEMENT = 0.9
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Found:
    """A paper the Hub returned: the fields the lock file records."""

    arxiv_id: str
    title: str
    summary: str
    authors: tuple[str, ...]
    published: str | None = None  # an ISO day
    code_url: str | None = None
    project_url: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """The accepted candidate and how it was recognised ("title" or "abstract 0.97")."""

    found: Found
    how: str


def abstract_agreement(ours: str, theirs: str) -> float:
    """How closely two abstracts agree, 0 to 1: difflib's ratio over their lower-cased words
    (punctuation and spacing do not count). Either one empty gives 0."""
    a, b = _WORD.findall(ours.casefold()), _WORD.findall(theirs.casefold())
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def choose(title: str, abstract: str, candidates: Sequence[Found]) -> Choice | None:
    """The first candidate whose title agrees with `title`, else the one whose abstract agrees
    best with `abstract` at `ABSTRACT_AGREEMENT` or more, else None."""
    key = title_key(title)
    for found in candidates:
        if title_key(found.title) == key:
            return Choice(found, "title")
    scored = [(abstract_agreement(abstract, found.summary), found) for found in candidates]
    best = max(scored, key=lambda pair: pair[0], default=None)
    if best is not None and best[0] >= ABSTRACT_AGREEMENT:
        return Choice(best[1], f"abstract {best[0]:.2f}")
    return None
