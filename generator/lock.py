"""The lock file, `dumps/papers.lock.yml`: what the Hugging Face Hub said about each paper.

`python -m generator.resolve` writes it; the curator may edit it; the site build only reads it, so
a build never touches the network. One entry per paper, keyed by the paper's id (its page's name):

    papers:
      attention-is-all-you-need:
        title: Attention Is All You Need        # the title in the dumps
        status: resolved                        # resolved | unresolved | pinned | not-on-hub
        match: title                            # or "abstract 0.97": how the Hub's paper was chosen
        arxiv_id: '1706.03762'
        hub_title: Attention Is All You Need
        authors: [Ashish Vaswani, Noam Shazeer]
        published: 2017-06-12
        code_url: https://github.com/tensorflow/tensor2tensor
        project_url: null
        resolved_at: '2026-01-15T10:00:00Z'

`unresolved` entries hold the `candidates` the search returned (`arxiv_id`, `title`) and are tried
again by the next run. The curator writes `pinned` (with an `arxiv_id`: the resolver fills in the
fields that are missing, never changes one that is there) or `not-on-hub` (never looked up).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.config import load_yaml
from generator.errors import ConfigError
from generator.model import Identity

LOCK_NAME = "papers.lock.yml"
# arXiv identifiers, new style ("2401.01234", "2401.01234v2") and old ("hep-th/9901001").
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?")
_HEADER = """\
# What the Hugging Face Hub says about each paper, by paper id: written by `make resolve`, read
# by `make site` (which never goes online). Hand edits are kept: set `status: pinned` with an
# `arxiv_id` to choose the paper yourself, or `status: not-on-hub` to stop the lookups.
"""


class Status(enum.Enum):
    """Where a paper stands: found by the resolver, not found yet, or decided by the curator."""

    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    PINNED = "pinned"
    NOT_ON_HUB = "not-on-hub"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A paper the Hub's search returned that was not accepted."""

    arxiv_id: str
    title: str


@dataclass(frozen=True, slots=True)
class LockEntry:
    """One paper's entry. `identity` is set for resolved papers and for pins with an arXiv id;
    `checked` is when the resolver last asked the Hub about it."""

    title: str
    status: Status
    identity: Identity | None = None
    match: str | None = None
    checked: dt.datetime | None = None
    candidates: tuple[Candidate, ...] = ()

    @property
    def settled(self) -> bool:
        """Whether the resolver leaves this entry alone: anything but an unresolved paper or a
        pin with no authors that it has not filled in yet."""
        if self.status is Status.PINNED:
            return self.checked is not None or bool(self.identity and self.identity.authors)
        return self.status is not Status.UNRESOLVED


def read_lock(dumps_dir: Path) -> dict[str, LockEntry]:
    """The lock file in `dumps_dir` (none is an empty lock). Malformed YAML, an entry that is not
    a mapping, an unknown status or a pin without an arXiv id is a ConfigError naming it."""
    path = dumps_dir / LOCK_NAME
    if not path.exists():
        return {}
    return parse_lock(load_yaml(path), path.name)


def parse_lock(data: Any, name: str = LOCK_NAME) -> dict[str, LockEntry]:
    """Lock entries from the YAML value of a lock file (`name` is for messages)."""
    papers = (data or {}).get("papers") if isinstance(data, dict | None) else None
    if not isinstance(papers, dict | None):
        raise ConfigError(f"{name}: `papers` must map paper ids to entries")
    return {str(key): _entry(name, str(key), value) for key, value in (papers or {}).items()}


def _entry(name: str, key: str, value: Any) -> LockEntry:
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: {key}: an entry must be a mapping")
    try:
        status = Status(value.get("status"))
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise ConfigError(f"{name}: {key}: status must be one of {choices}") from None
    if status is Status.PINNED and not value.get("arxiv_id"):
        raise ConfigError(f"{name}: {key}: a pinned entry needs an arxiv_id")
    arxiv_id = value.get("arxiv_id")
    if arxiv_id and not _ARXIV_ID.fullmatch(str(arxiv_id)):
        raise ConfigError(f"{name}: {key}: {arxiv_id!r} is not an arXiv id")
    title = str(value.get("title") or key)
    identity = None
    if value.get("arxiv_id") and status in (Status.RESOLVED, Status.PINNED):
        identity = Identity(
            arxiv_id=str(value["arxiv_id"]),
            title=str(value.get("hub_title") or title),
            authors=tuple(str(author) for author in value.get("authors") or ()),
            published=_day(value.get("published")),
            code_url=_text(value.get("code_url")),
            project_url=_text(value.get("project_url")),
        )
    checked = value.get("resolved_at") or value.get("tried_at")
    return LockEntry(
        title=title,
        status=status,
        identity=identity,
        match=_text(value.get("match")),
        checked=dt.datetime.fromisoformat(str(checked)) if checked else None,
        candidates=tuple(
            Candidate(str(c.get("arxiv_id", "")), str(c.get("title", "")))
            for c in value.get("candidates") or ()
            if isinstance(c, dict)
        ),
    )


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)) if value else None


def _text(value: Any) -> str | None:
    return str(value) if value else None


def dump_lock(entries: Mapping[str, LockEntry]) -> str:
    """The lock file's text: a header, then every entry sorted by paper id."""
    papers = {key: _record(entries[key]) for key in sorted(entries)}
    body = yaml.safe_dump(
        {"papers": papers}, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    return _HEADER + body


def _record(entry: LockEntry) -> dict[str, object]:
    record: dict[str, object] = {"title": entry.title, "status": entry.status.value}
    if entry.match:
        record["match"] = entry.match
    if entry.identity is not None:
        identity = entry.identity
        record |= {
            "arxiv_id": identity.arxiv_id,
            "hub_title": identity.title,
            "authors": list(identity.authors),
            "published": identity.published,
            "code_url": identity.code_url,
            "project_url": identity.project_url,
        }
    if entry.checked is not None:
        stamp = entry.checked.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        record["tried_at" if entry.status is Status.UNRESOLVED else "resolved_at"] = stamp
    if entry.candidates:
        record["candidates"] = [
            {"arxiv_id": c.arxiv_id, "title": c.title} for c in entry.candidates
        ]
    return record


def write_lock(dumps_dir: Path, entries: Mapping[str, LockEntry]) -> None:
    """Write the lock file whole through a temporary file, so a run stopped midway leaves the
    last complete version (never half a file)."""
    path = dumps_dir / LOCK_NAME
    temporary = path.with_name(f".{LOCK_NAME}.tmp")
    temporary.write_text(dump_lock(entries), encoding="utf-8")
    os.replace(temporary, path)
