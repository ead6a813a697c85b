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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """

    regex: re.Pattern[str]
    terms: tuple[tuple[str, _Term], ...]
    resolved: dict[str, tuple[_Term, ...]] = field(default_factory=dict)

    @classmethod
    def compile(cls, topics: Sequence[Topic]) -> _Scanner:
        terms: list[tuple[str, _Term]] = []
        trie: dict[str, Any] = {}
        for number, topic in enumerate(topics):
            for include, listed in ((True, topic.include), (False, topic.exclude)):
                for index, text in enumerate(listed):
                    term = _Term(number, index, include, re.compile(term_pattern(text)))
                    terms.append((_key("".join(_TERM_WORD.findall(text))), term))
                    _insert(trie, _atoms(text))
        return cls(re.compile(r"\b(?:" + _render(trie) + r")(?:s|es)?\b"), tuple(terms))

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

    def _resolve(self, span: str) -> tuple[_Term, ...]:
        key = _key(span)
        best: dict[tuple[int, bool], tuple[int, _Term]] = {}
        for term_key, term in self.terms:
            if term_key in key and term.pattern.search(span):
                kind = (term.topic, term.include)
                if kind not in best or len(term_key) > best[kind][0]:
                    best[kind] = (len(term_key), term)
        return tuple(term for _, term in best.values())


def _lower(text: str) -> str:
    """`text` in lower case, character for character (so match positions stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


_END = ""
_SEPARATOR = r"[-\s]*"


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
    return {
        paper.id: _matches(scanner.scan(paper.title), scanner.scan(paper.abstract), topics)
        for paper in papers
    }


def _matches(
    in_title: list[tuple[_Term, ...]], in_abstract: list[tuple[_Term, ...]], topics: Sequence[Topic]
) -> tuple[TopicMatch, ...]:
    """Score each topic (module docstring) and keep those that reach the threshold."""
    scores: dict[int, int] = {}
    hits: dict[int, set[int]] = {}
    vetoed: set[int] = set()
    places = [(terms, True) for terms in in_title] + [(terms, False) for terms in in_abstract]
    for terms, in_the_title in places:
        for term in terms:
            if not term.include:
                vetoed.add(term.topic)
                continue
            hits.setdefault(term.topic, set()).add(term.index)
            scores[term.topic] = TITLE_SCORE if in_the_title else scores.get(term.topic, 0) + 1
    return tuple(
        TopicMatch(
            topics[number].slug, tuple(topics[number].include[i] for i in sorted(hits[number]))
        )
        for number in sorted(scores)
        if scores[number] >= THRESHOLD and number not in vetoed
    )
