"""Assign papers to the curated topics of `topics.yml`.

A topic lists terms that put a paper in it (`include`) and terms that keep a paper out
(`exclude`). A term is a word or phrase, matched on a paper's title and abstract:

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
"""

from __future__ import annotations

import codecs
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.config import load_yaml
from generator.errors import ConfigError
from generator.model import Paper

TITLE_SCORE = 2
THRESHOLD = 2
UNCATEGORISED = "uncategorised"
_RESERVED_SLUGS = frozenset({"index", UNCATEGORISED})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TERM_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")
_ACRONYM = re.compile(r"(?:.*[A-Z]){2}")
_IZE = re.compile(r"(?<=i)[zs](?=(?:e|es|ed|ing|ation|ations|er|ers)\Z)")
_KEYS = frozenset({"slug", "name", "description", "include", "exclude"})
_END = ""
_SEPARATOR_CHAR = r"[-\s]"
_SEPARATOR = _SEPARATOR_CHAR + "*"


@dataclass(frozen=True, slots=True)
class Topic:
    """A curated topic: its URL slug, display name, description and matching terms."""

    slug: str
    name: str
    description: str
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A paper's membership of one topic (by slug) and the include terms that put it there."""

    topic: str
    terms: tuple[str, ...]


def load_topics(path: Path) -> tuple[Topic, ...]:
    """Read the taxonomy from `path` (a top-level `topics:` list), in file order.

    A missing file, bad YAML, a missing or unknown key, an empty term list, a malformed,
    reserved or repeated slug are ConfigErrors naming the file and the topic.
    """
    data = load_yaml(path)
    items = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: expected a top-level 'topics:' list")
    topics = tuple(_topic(path, index, item) for index, item in enumerate(items, start=1))
    seen: set[str] = set()
    for topic in topics:
        if topic.slug in seen:
            raise ConfigError(f"{path}: topic {topic.slug!r}: slug used twice")
        seen.add(topic.slug)
    return topics


def _topic(path: Path, index: int, item: Any) -> Topic:
    if not isinstance(item, dict):
        raise ConfigError(f"{path}: topic #{index}: expected a mapping")
    where = f"{path}: topic {item.get('slug') or f'#{index}'}"
    unknown = set(item) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    for key in ("slug", "name", "description"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ConfigError(f"{where}: {key} is required (a non-empty string)")
    slug = item["slug"].strip()
    if not _SLUG.fullmatch(slug) or slug in _RESERVED_SLUGS:
        raise ConfigError(
            f"{where}: slug must be lower-case words joined by hyphens, "
            f"and neither index nor {UNCATEGORISED}"
        )
    include = _terms(where, "include", item.get("include"))
    if not include:
        raise ConfigError(f"{where}: include needs at least one term")
    return Topic(
        slug=slug,
        name=item["name"].strip(),
        description=" ".join(item["description"].split()),
        include=include,
        exclude=_terms(where, "exclude", item.get("exclude") or []),
    )


def _terms(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(term, str) for term in value):
        raise ConfigError(f"{where}: {key} must be a list of words or phrases")
    terms = tuple(term.strip() for term in value)
    for term in terms:
        if not _TERM_WORD.search(term):
            raise ConfigError(f"{where}: {key}: {term!r} has no words to match")
    return terms


def term_pattern(term: str) -> str:
    """The regular expression source that matches `term` under the rules of the module docstring."""
    words = _TERM_WORD.findall(term)
    parts = [_word_pattern(word) for word in words]
    return r"\b" + r"[-\s]*".join(parts) + r"(?:s|es)?\b"


def _word_pattern(word: str) -> str:
    if _ACRONYM.match(word):
        return re.escape(word)
    return "(?i:" + _IZE.sub("[zs]", re.escape(word.lower())) + ")"


@dataclass(frozen=True, slots=True)
class _Term:
    """One term of one topic, with the pattern that checks a candidate match against the rules."""

    topic: int
    index: int
    include: bool
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Scanner:
    """Every term of every topic compiled once into a single prefix-tree regex.

    Python's `re` tries each branch of an alternation at every word, so hundreds of separate
    terms would be slow; a prefix tree only follows the branches that fit, and matching
    lower-cased text is several times faster than asking `re` to ignore case. The tree finds the
    longest term at each place; the terms inside that text (another topic's shorter term, say)
    are then found by their `_key` and checked against their own pattern, which keeps acronyms
    case-sensitive. Resolved texts are cached: the same few phrases recur in paper after paper.

    When every term is ASCII (the usual case), `scan_all` takes a faster road to the same places
    (`batched`): texts are joined into buffers in a canonical ASCII form, `_Openings` picks the
    few word starts there where a term could begin, and the tree, compiled for bytes, is tried at
    those alone.
    """

    regex: re.Pattern[str]
    terms: tuple[tuple[str, _Term], ...]
    batched: tuple[re.Pattern[bytes], _Openings] | None
    resolved: dict[str, tuple[_Term, ...]] = field(default_factory=dict)

    @classmethod
    def compile(cls, topics: Sequence[Topic]) -> _Scanner:
        terms: list[tuple[str, _Term]] = []
        trie: dict[str, Any] = {}
        atoms: list[list[str]] = []
        for number, topic in enumerate(topics):
            for include, listed in ((True, topic.include), (False, topic.exclude)):
                for index, text in enumerate(listed):
                    term = _Term(number, index, include, re.compile(term_pattern(text)))
                    terms.append((_key("".join(_TERM_WORD.findall(text))), term))
                    atoms.append(_atoms(text))
                    _insert(trie, atoms[-1])
        regex = re.compile(r"\b(?:" + _render(trie) + r")(?:s|es)?\b")
        batched = None
        if regex.pattern.isascii():  # compiled for bytes, it reads `_scan_batch`'s buffers alike
            batched = (re.compile(regex.pattern.encode("ascii")), _Openings.compile(atoms))
        return cls(regex, tuple(terms), batched)

    def scan_all(self, texts: Sequence[str]) -> tuple[list[tuple[_Term, ...]], list[int]]:
        """The places `scan` finds in each of `texts` that keep a term after resolution, all in
        one list, and where each text's places begin in it: text i has `places[cuts[i]:cuts[i+1]]`.
        """
        places: list[tuple[_Term, ...]] = []
        cuts = [0]
        if self.batched is None:
            for text in texts:
                places += [terms for terms in self.scan(text) if terms]
                cuts.append(len(places))
            return places, cuts
        first = size = 0
        for number, text in enumerate(texts, start=1):
            size += len(text)
            if size >= _BATCH or number == len(texts):
                self._scan_batch(texts[first:number], places, cuts)
                first, size = number, 0
        return places, cuts

    def scan(self, text: str) -> list[tuple[_Term, ...]]:
        """For each place in `text` where terms occur, those terms: one per topic (and kind), the
        longest, so "web agent" and "agent" in one place count once."""
        found = []
        for match in self.regex.finditer(_lower(text)):
            span = text[match.start() : match.end()]
            terms = self.resolved.get(span)
            if terms is None:
                terms = self.resolved[span] = self._resolve(span)
            found.append(terms)
        return found

    def _scan_batch(
        self, texts: Sequence[str], places: list[tuple[_Term, ...]], cuts: list[int]
    ) -> None:
        """`scan_all` of `texts`, joined by NULs, with the regex compiled for bytes.

        The canonical buffer has, for each character of the lower-cased texts, one that the regex
        treats alike (`_stand_in`, then `_CANONICAL`), and a NUL neither joins words nor separates
        them, so the regex matches there exactly where it matches each lower-cased text. Trying it
        only at the word starts `_Openings` keeps, in order and from the end of the last match, is
        `finditer` over the buffer: no match starts anywhere else.
        """
        assert self.batched is not None
        regex, openings = self.batched
        joined = "\0" + "\0".join(texts) + "\0" * _WINDOW
        canonical = joined.encode("ascii", _STAND_IN).translate(_CANONICAL)
        match, resolved, starts = regex.match, self.resolved, []
        end = 0
        for start in openings.find(canonical).tolist():
            if start < end or (found := match(canonical, start)) is None:
                continue
            end = found.end()
            span = joined[start:end]
            terms = resolved.get(span)
            if terms is None:
                terms = resolved[span] = self._resolve(span)
            if terms:
                starts.append(start)
                places.append(terms)
        ends = np.cumsum([len(text) + 1 for text in texts]) + 1
        cuts += (np.searchsorted(starts, ends) + cuts[-1]).tolist()

    def _resolve(self, span: str) -> tuple[_Term, ...]:
        key = _key(span)
        best: dict[tuple[int, bool], tuple[int, _Term]] = {}
        for term_key, term in self.terms:
            if term_key in key and term.pattern.search(span):
                kind = (term.topic, term.include)
                if kind not in best or len(term_key) > best[kind][0]:
                    best[kind] = (len(term_key), term)
        return tuple(term for _, term in best.values())


# `scan_all` joins texts into buffers of about this many characters.
_BATCH = 1 << 18
# How many characters of a word `_Openings` checks; longer is choosier, and slower to compile.
_WINDOW = 12
# What the scan regex can tell apart, as the canonical form writes it: a NUL for any character that
# neither makes words nor separates them, a space for any separator, "." and "'" (which a term may
# hold), then the word characters, in lower case.
_ALPHABET = "\0 .'0123456789_abcdefghijklmnopqrstuvwxyz"


@functools.cache
def _stand_in(char: str) -> str:
    """An ASCII character the scan regex treats as it does non-ASCII `char` lower-cased: a word
    character no term holds, a space, a NUL, or the ASCII letter it lowers to."""
    lowered = char.lower() if len(char.lower()) == 1 else char  # as `_lower` does
    if lowered.isascii():  # the Kelvin sign is a "k"
        return lowered
    if re.fullmatch(r"\s", lowered):
        return " "
    return "_" if re.fullmatch(r"\w", lowered) else "\0"


def _canonical(char: str) -> str:
    """The character of `_ALPHABET` that stands for ASCII `char` in the canonical form."""
    if re.fullmatch(r"\w", char):
        return char.lower()
    if re.fullmatch(_SEPARATOR_CHAR, char):
        return " "
    return char if char in ".'" else "\0"


def _stand_in_error(error: UnicodeError) -> tuple[str, int]:
    """Encoding error handler `_STAND_IN`: each non-ASCII character to its `_stand_in`."""
    assert isinstance(error, UnicodeEncodeError)
    return "".join(map(_stand_in, error.object[error.start : error.end])), error.end


_STAND_IN = "generator.topics.stand-in"
codecs.register_error(_STAND_IN, _stand_in_error)
_CANONICAL = bytes(ord(_canonical(chr(code))) for code in range(128)) + bytes(128)
_GRAM_BITS = 16
_DEAD, _ACCEPT, _START = 0, 1, 2
_ROW = 128  # a state's next states, by canonical character


@dataclass(frozen=True, slots=True)
class _Openings:
    """Finds the word starts in a canonical buffer where a match of the scan regex could begin.

    An opening is how a match begins: its first `_WINDOW` characters, or all of it and the
    character after it (which is not a word character) if it is shorter; it spells each term
    with separators of any length (or none) between its words, either "-ize" spelling and a plural
    ending. A word start is kept if the characters from it begin with an opening: first a hashed
    table of openings' first four characters (`grams`) rules out most words at once, then an
    automaton that reads openings (`transitions`: for each state a row of `_ROW` next states, by
    canonical character; a state is numbered by where its row starts) walks the rest. A kept word
    start need not start a match, but every match starts at a kept one.
    """

    grams: npt.NDArray[np.bool_]
    transitions: npt.NDArray[np.int32]

    @classmethod
    def compile(cls, terms: Iterable[list[str]]) -> _Openings:
        """The openings of `terms`, each given as its `_atoms`."""
        openings = {opening for atoms in terms for opening in _openings(atoms, 0, "")}
        grams = np.zeros(1 << _GRAM_BITS, np.bool_)
        quads = {
            (opening + "".join(tail))[:4]
            for opening in openings
            for tail in itertools.product(_ALPHABET, repeat=max(0, 4 - len(opening)))
        }
        grams[_hash(np.frombuffer("".join(quads).encode("ascii"), "<u4"))] = True
        rows: list[dict[str, int]] = [{}, {}, {}]
        for opening in openings:
            state = _START
            for char in opening[:-1]:
                if char not in rows[state]:
                    rows[state][char] = len(rows)
                    rows.append({})
                state = rows[state][char]
                if state == _ACCEPT:
                    break
            else:
                rows[state][opening[-1]] = _ACCEPT
        transitions = np.zeros(len(rows) * _ROW, np.int32)
        transitions[_ACCEPT * _ROW : (_ACCEPT + 1) * _ROW] = _ACCEPT * _ROW
        for state, row in enumerate(rows):
            for char, following in row.items():
                transitions[state * _ROW + ord(char)] = following * _ROW
        return cls(grams, transitions)

    def find(self, canonical: bytes) -> npt.NDArray[np.intp]:
        """The kept word starts of `canonical` (which starts with a NUL and ends with at least
        `_WINDOW` of them), in order."""
        text = np.frombuffer(canonical, np.uint8)
        word = text >= ord("0")  # every word character of `_ALPHABET`, and nothing else
        starts: npt.NDArray[np.intp] = np.flatnonzero(word[1:] > word[:-1]) + 1
        quads: npt.NDArray[np.uint32] = np.ndarray((len(text) - 3,), "<u4", canonical, strides=(1,))
        starts = starts[self.grams[_hash(quads[starts])]]
        states = np.full(len(starts), _START * _ROW, np.int32)
        for depth in range(_WINDOW):
            states = self.transitions[states + text[starts + depth]]
            if depth % 4 == 3:
                alive: npt.NDArray[np.bool_] = states != _DEAD
                starts, states = starts[alive], states[alive]
        kept: npt.NDArray[np.intp] = starts[states != _DEAD]
        return kept


def _hash(grams: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Four characters (read as a little-endian number) to a row of `_Openings.grams`."""
    return (grams * np.uint32(0x9E3779B1)) >> np.uint32(32 - _GRAM_BITS)


def _openings(atoms: list[str], done: int, opening: str) -> Iterator[str]:
    """The openings (see `_Openings`) of a term's `_atoms`, given the atoms `done` so far spelt
    `opening`."""
    if len(opening) >= _WINDOW:
        yield opening[:_WINDOW]
    elif done == len(atoms):
        for ending in ("", "s", "es"):
            for after in _ALPHABET[:4]:
                yield (opening + ending + after)[:_WINDOW]
    elif atoms[done] == _SEPARATOR:
        for run in range(_WINDOW - len(opening) + 1):
            yield from _openings(atoms, done + 1, opening + " " * run)
    else:
        for char in "zs" if atoms[done] == "[zs]" else atoms[done][-1]:
            yield from _openings(atoms, done + 1, opening + char)


def _lower(text: str) -> str:
    """`text` in lower case, character for character (so match positions stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def _key(text: str) -> str:
    """What a term and its matches have in common: lower case, no separators, "s" for "z"."""
    return "".join(text.lower().split()).replace("-", "").replace("z", "s")


def _atoms(term: str) -> list[str]:
    """The term as a list of regex atoms: its letters (lower case), separators, "[zs]"."""
    atoms: list[str] = []
    for word in _TERM_WORD.findall(term):
        if atoms:
            atoms.append(_SEPARATOR)
        ize = _IZE.search(word.lower())
        atoms += [
            "[zs]" if ize and position == ize.start() else re.escape(char)
            for position, char in enumerate(word.lower())
        ]
    return atoms


def _insert(trie: dict[str, Any], atoms: list[str]) -> None:
    node = trie
    for atom in atoms:
        node = node.setdefault(atom, {})
    node[_END] = {}


def _render(node: dict[str, Any]) -> str:
    """A prefix tree as a regex; a node that ends a term makes its continuations optional
    (greedy, so the longest term wins)."""
    branches = [atom + _render(child) for atom, child in sorted(node.items()) if atom != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body


def assign_topics(
    papers: Iterable[Paper], topics: Sequence[Topic]
) -> dict[str, tuple[TopicMatch, ...]]:
    """Paper id -> the topics it belongs to (in taxonomy order), with the terms that matched.

    Every paper gets an entry; an empty tuple means the paper is uncategorised.
    """
    scanner = _Scanner.compile(topics)
    papers = list(papers)
    places, cuts = scanner.scan_all(
        [text for paper in papers for text in (paper.title, paper.abstract)]
    )
    made: dict[int, TopicMatch] = {}
    return {
        paper.id: _matches(
            places[cuts[2 * number] : cuts[2 * number + 1]],
            places[cuts[2 * number + 1] : cuts[2 * number + 2]],
            topics,
            made,
        )
        for number, paper in enumerate(papers)
    }


def _matches(
    in_title: list[tuple[_Term, ...]],
    in_abstract: list[tuple[_Term, ...]],
    topics: Sequence[Topic],
    made: dict[int, TopicMatch],
) -> tuple[TopicMatch, ...]:
    """Score each topic (module docstring) and keep those that reach the threshold.

    Matches are shared through `made`, keyed by topic and the set of its terms that matched.
    """
    scores: dict[int, int] = {}
    hits: dict[int, int] = {}  # topic -> a bit for each of its include terms that matched
    vetoed = 0  # a bit for each topic an exclude term vetoes
    for terms in in_title:
        for term in terms:
            if term.include:
                hits[term.topic] = hits.get(term.topic, 0) | 1 << term.index
                scores[term.topic] = TITLE_SCORE
            else:
                vetoed |= 1 << term.topic
    for terms in in_abstract:
        for term in terms:
            if term.include:
                hits[term.topic] = hits.get(term.topic, 0) | 1 << term.index
                scores[term.topic] = scores.get(term.topic, 0) + 1
            else:
                vetoed |= 1 << term.topic
    found = []
    for number in sorted(scores):
        if scores[number] >= THRESHOLD and not vetoed >> number & 1:
            key = hits[number] * len(topics) + number
            match = made.get(key)
            if match is None:
                include = topics[number].include
                listed = tuple(term for i, term in enumerate(include) if hits[number] >> i & 1)
                match = made[key] = TopicMatch(topics[number].slug, listed)
            found.append(match)
    return tuple(found)
