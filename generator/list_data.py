"""The data of a whole list of papers (a topic's or a collection's, every page of it) as JSON,
written beside the list's first page: the listing script of the site (assets/listing.js) fetches
it to sort and filter across all the list's papers, not only the page in view. Pure.

    {"topics": {slug: name}, "collections": {slug: title},
     "papers": [{"id", "title", "date", "votes", "first_seen", "topics", "collections",
                 "code", "order", "facts", "snippet"}, ...]}

`code` is the paper's code link (or null: the "With code" filter); `order` is the paper's place in the list as the pages show it (newest first); `topics` and
`collections` name only those the list's papers are in, for the filters. A paper in no curated
topic is in the uncategorised one. A field the listing script does not know is ignored by it, so
a new fact (a link to code) is one more key here and one more filter there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from generator.model import Paper
from generator.text import snippet
from generator.wording import paper_facts


def list_data(
    ordered: Sequence[Paper],
    topic_slugs: Mapping[str, Sequence[str]],
    topic_names: Mapping[str, str],
    collection_titles: Mapping[str, str],
    card_topics: Mapping[str, Sequence[str]],
) -> str:
    """The JSON of the list `ordered` (in the order its pages show it). `topic_slugs`: paper id
    -> its topics' slugs (none: uncategorised, `topic_names` has that slug too); `topic_names`:
    topic slug -> name; `collection_titles`: collection slug -> title; `card_topics`: paper id
    -> the topic names its card shows. A slug missing from the names shows as itself."""
    papers = [
        {
            "id": p.id,
            "title": p.title,
            "date": p.date.isoformat() if p.date else None,
            "votes": p.votes,
            "first_seen": p.first_seen.isoformat(),
            "topics": list(topic_slugs[p.id]),
            "collections": list(p.collections),
            "code": p.code_url,
            "order": order,
            "facts": " · ".join([*paper_facts(p), *card_topics.get(p.id, ())]),
            "snippet": snippet(p.abstract),
        }
        for order, p in enumerate(ordered)
    ]
    used_topics = sorted({slug for p in ordered for slug in topic_slugs[p.id]})
    used_collections = sorted({slug for p in ordered for slug in p.collections})
    data = {
        "topics": {slug: topic_names.get(slug, slug) for slug in used_topics},
        "collections": {slug: collection_titles.get(slug, slug) for slug in used_collections},
        "papers": papers,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
