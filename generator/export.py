"""The JSON export, `papers.json`: every paper with its facts, topics, related papers and what the
lock file knows of it. Pure; its JSON Schema is schema/papers.schema.json."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from generator.cite import bibtex
from generator.model import Paper
from generator.topics import TopicMatch
from generator.urls import page_url, paper_path


def _identity_fields(paper: Paper) -> dict[str, object]:
    """A paper's fields in the export from the lock file (null where it has none)."""
    identity = paper.identity
    published = identity.published if identity else None
    return {
        "arxiv_id": identity.arxiv_id if identity else None,
        "authors": list(identity.authors) if identity else None,
        "published": published.isoformat() if published else None,
        "code_url": paper.code_url,
        "project_url": identity.project_url if identity else None,
        "bibtex": bibtex(paper),
    }


def export_json(
    papers: Iterable[Paper],
    site_url: str,
    assignments: Mapping[str, tuple[TopicMatch, ...]],
    related: Mapping[str, tuple[str, ...]],
) -> str:
    """The JSON export: {"papers": [...]}, one object per paper, sorted by id (its JSON Schema is
    schema/papers.schema.json).

    `topics` lists the paper's topic slugs (empty when uncategorised), `related` its related
    paper ids, most similar first. `arxiv_id`, `authors`, `published`, `project_url` and
    `bibtex` are null for a paper not found on the Hub; `code_url` may come from the abstract."""
    records = [
        {
            "id": p.id,
            "url": page_url(site_url, paper_path(p.id)),
            "title": p.title,
            "aliases": list(p.aliases),
            "abstract": p.abstract,
            "collections": list(p.collections),
            "date": p.date.isoformat() if p.date else None,
            "authors_count": p.authors_count,
            "organization": (
                {"handle": p.organization.handle, "name": p.organization.name}
                if p.organization
                else None
            ),
            "votes": p.votes,
            "first_seen": p.first_seen.isoformat(),
            "topics": [m.topic for m in assignments.get(p.id, ())],
            "related": list(related.get(p.id, ())),
            **_identity_fields(p),
        }
        for p in papers
    ]
    # One paper per line: diffable, and each line goes through json's C encoder (indent= would
    # switch the whole export to the pure-Python one, 3 s at 30,000 papers).
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = ",\n".join(map(encode, records))
    return '{"papers": [\n' + lines + "\n]}\n"
