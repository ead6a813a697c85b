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

Scoring: a matching title scores `TITLE_SCORE`, each match in the abstract scores 1; a paper with
`THRESHOLD` or more is in the topic, unless any exclude term matches its title or abstract. So a
title match alone is enough, while the abstract must mention the topic at least twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
class _Matcher:
    """One topic's terms compiled once: a named group per include term, one pattern for excludes."""

    topic: Topic
    include: re.Pattern[str]
    exclude: re.Pattern[str] | None

    @classmethod
    def compile(cls, topic: Topic) -> _Matcher:
        # Longer terms first, so "mixture of experts" wins over "experts" at the same place.
        ordered = sorted(range(len(topic.include)), key=lambda i: (-len(topic.include[i]), i))
        include = "|".join(f"(?P<t{i}>{term_pattern(topic.include[i])})" for i in ordered)
        exclude = "|".join(term_pattern(term) for term in topic.exclude)
        return cls(topic, re.compile(include), re.compile(exclude) if exclude else None)

    def match(self, title: str, abstract: str) -> TopicMatch | None:
        in_title = _hits(self.include, title)
        in_abstract = _hits(self.include, abstract)
        score = TITLE_SCORE * bool(in_title) + len(in_abstract)
        if score < THRESHOLD or self._excluded(title, abstract):
            return None
        hit = set(in_title) | set(in_abstract)
        terms = tuple(term for i, term in enumerate(self.topic.include) if f"t{i}" in hit)
        return TopicMatch(self.topic.slug, terms)

    def _excluded(self, title: str, abstract: str) -> bool:
        return self.exclude is not None and any(
            self.exclude.search(text) for text in (title, abstract)
        )


def _hits(pattern: re.Pattern[str], text: str) -> list[str]:
    """The group name (term) of every match of `pattern` in `text`, in order."""
    return [match.lastgroup or "" for match in pattern.finditer(text)]


def assign_topics(
    papers: Iterable[Paper], topics: Sequence[Topic]
) -> dict[str, tuple[TopicMatch, ...]]:
    """Paper id -> the topics it belongs to (in taxonomy order), with the terms that matched.

    Every paper gets an entry; an empty tuple means the paper is uncategorised.
    """
    matchers = [_Matcher.compile(topic) for topic in topics]
    return {
        paper.id: tuple(
            match
            for matcher in matchers
            if (match := matcher.match(paper.title, paper.abstract)) is not None
        )
        for paper in papers
    }
