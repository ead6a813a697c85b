"""Load the curated taxonomy, `topics.yml`, into frozen `Topic` values and check its pins.

The file is a top-level `topics:` list; its header documents every key. Loading checks what the
file alone can tell (keys, slugs, terms, paper ids written as strings); whether a pinned id names a
paper in the dumps is known only once the catalogue is built, so `check_pins` reports it then.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import load_yaml
from generator.errors import ConfigError
from generator.model import Problem, Severity

UNCATEGORISED = "uncategorised"
_RESERVED_SLUGS = frozenset({"index", UNCATEGORISED})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A term's words: letters and digits, with "." or "'" inside ("GPT-3.5", "o'clock") and a comma
# between digits ("10,000").
TERM_WORD = re.compile(r"[^\W_]+(?:(?:[.']|(?<=\d),(?=\d))[^\W_]+)*")
# What the matcher (generator.topics) can match: words joined by hyphens or white space. Any other
# character would be dropped from the term ("C++" would match every "C"), so it is refused.
_TERM = re.compile(rf"{TERM_WORD.pattern}(?:[-\s]+{TERM_WORD.pattern})*")
_KEYS = frozenset({"slug", "name", "description", "include", "exclude", "papers", "not_papers"})


@dataclass(frozen=True, slots=True)
class Topic:
    """A curated topic: its URL slug, display name, description and matching terms.

    `papers` are ids of papers always in the topic, `not_papers` ids of papers never in it,
    whatever the terms say; `source` is the file the topic was read from, for messages.
    """

    slug: str
    name: str
    description: str
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    not_papers: tuple[str, ...] = ()
    source: str = "topics.yml"


def load_topics(path: Path) -> tuple[Topic, ...]:
    """Read the taxonomy from `path` (a top-level `topics:` list), in file order.

    A missing file, bad YAML, a missing or unknown key, an empty term list, a term with a
    character the matcher cannot match (see `generator.topics`), a malformed, reserved or
    repeated slug, a paper id that is not a string, or one listed twice in a topic
    are ConfigErrors naming the file and the topic.
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


def check_pins(topics: Iterable[Topic], paper_ids: Collection[str]) -> tuple[Problem, ...]:
    """A notice for each id in a topic's `papers` or `not_papers` that names no paper in
    `paper_ids`: the pin does nothing. Not a warning, so `--strict` still passes: the same
    taxonomy may be used with other dumps, where the pinned papers are absent."""
    return tuple(
        Problem(
            topic.source,
            None,
            f"topic {topic.slug}: {key}: no paper has the id {pin!r}",
            Severity.NOTICE,
        )
        for topic in topics
        for key, pins in (("papers", topic.papers), ("not_papers", topic.not_papers))
        for pin in pins
        if pin not in paper_ids
    )


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
    papers = _ids(where, "papers", item.get("papers") or [])
    not_papers = _ids(where, "not_papers", item.get("not_papers") or [])
    both = sorted(set(papers) & set(not_papers))
    if both:
        raise ConfigError(f"{where}: {both[0]!r} is in both papers and not_papers")
    return Topic(
        slug=slug,
        name=item["name"].strip(),
        description=" ".join(item["description"].split()),
        include=include,
        exclude=_terms(where, "exclude", item.get("exclude") or []),
        papers=papers,
        not_papers=not_papers,
        source=str(path),
    )


def _terms(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(term, str) for term in value):
        raise ConfigError(f"{where}: {key} must be a list of words or phrases")
    terms = tuple(term.strip() for term in value)
    for term in terms:
        if not TERM_WORD.search(term):
            raise ConfigError(f"{where}: {key}: {term!r} has no words to match")
        if not _TERM.fullmatch(term):
            # The first character outside the words, a hyphen only if that is all there is
            # (one that joins no words, as in "pre-").
            stray = (re.sub(r"[-\s]", "", TERM_WORD.sub("", term)) or "-")[0]
            raise ConfigError(
                f"{where}: {key}: {term!r} cannot match as written: {stray!r} is not part of a "
                "word (terms are letters and digits, with '.' or \"'\" inside a word or ',' "
                "between digits, joined by spaces or hyphens)"
            )
    return terms


def _ids(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {key} must be a list of paper ids")
    for pin in value:
        if not isinstance(pin, str) or not pin.strip():
            raise ConfigError(f"{where}: {key}: {pin!r} is not a paper id (write it as a string)")
    ids = tuple(pin.strip() for pin in value)
    twice = sorted({pin for pin in ids if ids.count(pin) > 1})
    if twice:
        raise ConfigError(f"{where}: {key}: {twice[0]!r} is listed twice")
    return ids
