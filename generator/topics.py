"""Assign papers to the curated topics of `topics.yml` (read by `generator.taxonomy`).

A topic lists terms that put a paper in it (`include`) and terms that keep a paper out
(`exclude`). A term is a word or phrase: words of letters and digits (with "." or "'" inside a
word, as in "GPT-3.5", or "," between digits, as in "10,000") joined by spaces or hyphens; a term
with any other character is refused when `topics.yml` is loaded. It is matched on a paper's title
and abstract:

- on word boundaries: "RL" does not match inside "URL", nor "code" inside "decoder";
- case-insensitively, except acronym words (two or more capitals, such as "MoE", "LoRA",
  "KV"), which match only as written, so "LoRA" does not match "lora" in running text;
- hyphens, spaces or nothing between words are interchangeable: "mixture-of-experts" matches
  "mixture of experts", and "pre-training" matches "pretraining" and "pre training";
- the last word may take a plural "s" or "es": "scaling law" matches "scaling laws";
- "-ize" and "-ise" spellings are interchangeable: "quantization" matches "quantisation".

Scoring: a title where any of a topic's terms occurs scores `TITLE_SCORE`, and each place in the
abstract where one occurs scores 1 ("web agent" is one place even if "agent" is a term too); a
paper with `THRESHOLD` or more is in the topic, unless an exclude term occurs in its title or
abstract. So a title match alone is enough, while the abstract must mention the topic twice.
Last, the curator's pins by id decide: a paper in a topic's `papers` is in it, one in its
`not_papers` is not, whatever the terms say.

How: an Aho-Corasick automaton (ahocorasick-rs) finds in one pass over a lower-cased text every
place where some term's words stand (each spelling of each term is one of its patterns); the
term's own regular expression (`term_pattern`) then checks that place against the rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ahocorasick_rs import AhoCorasick, Implementation

from generator.model import Paper
from generator.taxonomy import TERM_WORD, UNCATEGORISED, Topic, check_pins, load_topics

__all__ = [
    "THRESHOLD",
    "TITLE_SCORE",
    "UNCATEGORISED",
    "Topic",
    "TopicMatch",
    "assign_topics",
    "check_pins",
    "load_topics",
    "term_pattern",
]

TITLE_SCORE = 2
THRESHOLD = 2
_ACRONYM = re.compile(r"(?:.*[A-Z]){2}")
_IZE = re.compile(r"(?<=i)[zs](?=(?:e|es|ed|ing|ation|ations|er|ers)\Z)")


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A paper's membership of one topic (by slug) and the include terms that put it there.

    `terms` is empty when the paper is in the topic only because `topics.yml` pins it there.
    """

    topic: str
    terms: tuple[str, ...]


def term_pattern(term: str) -> str:
    """The regular expression source that matches `term` under the rules of the module docstring."""
    parts = [_word_pattern(word) for word in TERM_WORD.findall(term)]
    return r"\b" + r"[-\s]*".join(parts) + r"(?:s|es)?\b"


def _word_pattern(word: str) -> str:
    if _ACRONYM.match(word):
        return re.escape(word)
    return "(?i:" + _IZE.sub("[zs]", re.escape(word.lower())) + ")"


def _spellings(term: str) -> Iterator[str]:
    """How `term`'s words may stand in a lower-cased text whose separator runs are single spaces:
    each gap a space or nothing, each "-ize" word with "z" or "s" (the plural is left to
    `term_pattern`, checked after)."""
    words = []
    for word in TERM_WORD.findall(term.lower()):
        ize = _IZE.search(word)
        if ize is None:
            words.append((word,))
        else:
            words.append(tuple(word[: ize.start()] + c + word[ize.end() :] for c in "zs"))
    for chosen in itertools.product(*words):
        for gaps in itertools.product(("", " "), repeat=len(chosen) - 1):
            yield chosen[0] + "".join(
                gap + word for gap, word in zip(gaps, chosen[1:], strict=True)
            )


@dataclass(frozen=True, slots=True)
class _Term:
    """One include or exclude term of one topic (by number), with its pattern."""

    topic: int
    index: int
    include: bool
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Matcher:
    """Every spelling of every term in one automaton; `terms[i]` are the terms spelt by its
    pattern i (two terms can share a spelling: "web agent" and "web-agent")."""

    automaton: AhoCorasick
    terms: tuple[tuple[_Term, ...], ...]

    @classmethod
    def compile(cls, topics: Sequence[Topic]) -> _Matcher:
        spelt: dict[str, list[_Term]] = {}
        for number, topic in enumerate(topics):
            for include, listed in ((True, topic.include), (False, topic.exclude)):
                for index, text in enumerate(listed):
                    term = _Term(number, index, include, re.compile(term_pattern(text)))
                    for spelling in dict.fromkeys(_spellings(text)):
                        spelt.setdefault(spelling, []).append(term)
        spellings = sorted(spelt)
        # A DFA takes more memory than the default NFA (about 1.5 MB against 0.15 MB for the
        # shipped taxonomy) and scans about twice as fast.
        automaton = AhoCorasick(spellings, implementation=Implementation.DFA)
        return cls(automaton, tuple(tuple(spelt[s]) for s in spellings))

    def places(self, text: str) -> list[tuple[int, int, _Term]]:
        """Each match of a term in `text` as (start, end, term), positions counted in `text`
        with its separator runs made single spaces."""
        spaced = _spaced(text)
        found = []
        hits = self.automaton.find_matches_as_indexes(_lower(spaced), overlapping=True)
        for spelling, start, _ in hits:
            for term in self.terms[spelling]:
                match = term.pattern.match(spaced, start)
                if match is not None:
                    found.append((start, match.end(), term))
        return found


def _spaced(text: str) -> str:
    """`text` with each run of hyphens and white space made one space: the rules do not tell
    them apart, and the automaton then needs two spellings of a gap, not endless ones."""
    return " ".join(text.replace("-", " ").split())


def _lower(text: str) -> str:
    """`text` in lower case, character for character (so positions stay valid): the rare
    character whose lower case is longer ("İ") keeps its first character."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower()[0] for char in text)


def _read(places: list[tuple[int, int, _Term]]) -> tuple[dict[int, list[int]], set[int]]:
    """Topic number -> its include terms (by index) at each place counted, one per place;
    and the topics an exclude term vetoes.

    A place is the longest match of a topic's terms from where the leftmost one starts; matches
    of that topic overlapping it are part of it ("agent" in "web agent").
    """
    counted: dict[int, list[int]] = {}
    reached: dict[int, int] = {}  # topic -> where its last counted place ends
    vetoed = set()
    for start, end, term in sorted(places, key=lambda p: (p[0], -p[1], p[2].index)):
        if not term.include:
            vetoed.add(term.topic)
        elif start >= reached.get(term.topic, 0):
            counted.setdefault(term.topic, []).append(term.index)
            reached[term.topic] = end
    return counted, vetoed


def assign_topics(
    papers: Iterable[Paper], topics: Sequence[Topic]
) -> dict[str, tuple[TopicMatch, ...]]:
    """Paper id -> the topics it belongs to (in taxonomy order), with the terms that matched.

    Every paper gets an entry; an empty tuple means the paper is uncategorised. Pins naming no
    paper do nothing (`check_pins` reports them).
    """
    matcher = _Matcher.compile(topics)
    pinned: dict[str, set[int]] = {}
    barred: dict[str, set[int]] = {}
    for number, topic in enumerate(topics):
        for pin in topic.papers:
            pinned.setdefault(pin, set()).add(number)
        for pin in topic.not_papers:
            barred.setdefault(pin, set()).add(number)
    return {
        paper.id: _paper_topics(
            matcher, paper, topics, pinned.get(paper.id, set()), barred.get(paper.id, set())
        )
        for paper in papers
    }


def _paper_topics(
    matcher: _Matcher, paper: Paper, topics: Sequence[Topic], pinned: set[int], barred: set[int]
) -> tuple[TopicMatch, ...]:
    """The topics of one paper: scored as the module docstring says, then pinned and barred."""
    in_title, title_vetoes = _read(matcher.places(paper.title))
    in_abstract, abstract_vetoes = _read(matcher.places(paper.abstract))
    found = []
    for number in sorted((in_title.keys() | in_abstract.keys() | pinned) - barred):
        score = (TITLE_SCORE if number in in_title else 0) + len(in_abstract.get(number, ()))
        if score >= THRESHOLD and number not in title_vetoes | abstract_vetoes:
            hits = set(in_title.get(number, ())) | set(in_abstract.get(number, ()))
            found.append(
                TopicMatch(
                    topics[number].slug,
                    tuple(map(topics[number].include.__getitem__, sorted(hits))),
                )
            )
        elif number in pinned:
            found.append(TopicMatch(topics[number].slug, ()))
    return tuple(found)
