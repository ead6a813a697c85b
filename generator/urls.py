"""Slugs, paths and URLs: the one place that decides where everything lives.

Pages are Markdown paths relative to `docs/` ("papers/<id>.md"); MkDocs serves them as directories
("papers/<id>/"), and absolute URLs join that to `site_url`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import NamedTuple

from slugify import slugify

MAX_SLUG_LENGTH = 80
_HASH_LENGTH = 8
_NON_WORD = re.compile(r"[\W_]+")
# A key that already ends like a hashed slug, or names a folder's index page, is hashed too:
# otherwise the title "PanGu-p 1bcb78e2" would take the slug of "PanGu-π" ("pangu-p-1bcb78e2"),
# and "Index" the path of a folder's own page.
_HASHED_LOOKING = re.compile(rf"(?:^|-)[0-9a-f]{{{_HASH_LENGTH}}}$")
_RESERVED = frozenset({"index"})

PAPERS_DIR = "papers"
TOPICS_DIR = "topics"
COLLECTIONS_DIR = "collections"
FEEDS_DIR = "feeds"
TOPICS_INDEX = f"{TOPICS_DIR}/index.md"
COLLECTIONS_INDEX = f"{COLLECTIONS_DIR}/index.md"
SUBSCRIBE_PATH = "subscribe.md"
OPML_PATH = "feeds.opml"


class FeedPaths(NamedTuple):
    """Where one feed is published, under `docs/`, in each format."""

    rss: str
    atom: str


SITE_FEED = FeedPaths(rss="feed.xml", atom="atom.xml")


def title_key(title: str) -> str:
    """Return the identity of a title: case, accents-as-typed and punctuation do not count.

    "Scaling Laws: Part I" and "scaling laws -- part i" give the same key, "scaling-laws-part-i".
    Non-Latin letters are kept as they are, so "PanGu-π" and "PanGu-pi" stay different. A title
    with no letter or digit ("!!!", "🚀🚀🚀") is its own key, spaces aside: "!!!" and "???" stay
    two papers (such a key has no word character, so it is never another title's key).
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    return "-".join(word for word in _NON_WORD.split(folded) if word) or "".join(folded.split())


def make_slug(text: str, key: str | None = None) -> str:
    """Return a readable, URL-safe slug for `text` that is unique to its title key.

    A title whose key is already a short ASCII slug is its own slug. Any other title (non-ASCII,
    over-long, or empty once punctuation is gone) gets a readable prefix plus a hash of its key,
    so a slug never depends on which other titles exist and two keys never share a slug (a
    readable slug never looks like a hashed one, and is never "index"). `key` is
    `title_key(text)`, for a caller that already has it.
    """
    key = title_key(text) if key is None else key
    readable = readable_slug(text, key)
    if key and readable == key and key not in _RESERVED and not _HASHED_LOOKING.search(key):
        return readable
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    return f"{readable}-{digest}" if readable else digest


def readable_slug(text: str, key: str) -> str:
    """python-slugify's slug of `text` (`key` is its title key), cut to MAX_SLUG_LENGTH.

    For ASCII text with no "&" (slugify reads HTML entities) and no "," (it drops commas between
    digits) whose key fits the limit and is made of words, that slug is the key itself: 30,000 titles are spared
    slugify's dozen regular-expression passes. A test holds the two equal.
    """
    if (
        len(key) <= MAX_SLUG_LENGTH
        and key[:1].isalnum()  # not the key of a title with no letter or digit
        and text.isascii()
        and "&" not in text
        and "," not in text
    ):
        return key
    return str(slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True))


def paper_path(paper_id: str) -> str:
    """Markdown path of a paper page."""
    return f"{PAPERS_DIR}/{paper_id}.md"


def collection_path(slug: str) -> str:
    """Markdown path of a collection page."""
    return f"{COLLECTIONS_DIR}/{slug}.md"


def topic_path(slug: str) -> str:
    """Markdown path of a topic page."""
    return f"{TOPICS_DIR}/{slug}.md"


def listing_paths(first: str, count: int) -> tuple[str, ...]:
    """Markdown paths of the `count` pages of a long list whose first page is `first`:
    "topics/x.md", then "topics/x/page-2.md", "topics/x/page-3.md", ..."""
    stem = first.removesuffix(".md")
    return (first, *(f"{stem}/page-{number}.md" for number in range(2, count + 1)))


def list_data_path(first: str) -> str:
    """Path of the JSON data of a whole list (every page of it) whose first page is `first`,
    beside that page: "topics/x.md" -> "topics/x.json"."""
    return first.removesuffix(".md") + ".json"


def feed_paths(kind: str, slug: str) -> FeedPaths:
    """RSS and Atom paths of the feeds of one collection or topic (`kind`: COLLECTIONS_DIR or
    TOPICS_DIR): "feeds/<kind>/<slug>.xml" and "feeds/<kind>/<slug>.atom.xml"."""
    base = f"{FEEDS_DIR}/{kind}/{slug}"
    return FeedPaths(rss=f"{base}.xml", atom=f"{base}.atom.xml")


def page_url(site_url: str, path: str) -> str:
    """Absolute URL at which MkDocs serves the Markdown page `path` (directory URLs)."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return site_url.rstrip("/") + "/" + stem.lstrip("/")


def file_url(site_url: str, path: str) -> str:
    """Absolute URL of a non-page file (a feed, the JSON export) published at `path`."""
    return site_url.rstrip("/") + "/" + path


def page_href(from_path: str, to_path: str) -> str:
    """Relative URL, as a browser resolves it, from the page `from_path` to the page `to_path`
    (both Markdown paths), for links in raw HTML, which MkDocs does not rewrite:
    "collections/a.md" -> "papers/b.md" gives "../../papers/b/"."""
    here, there = _served_dir(from_path), _served_dir(to_path)
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    return "/".join(parts) + "/" if parts else "./"


def file_href(from_path: str, file_path: str) -> str:
    """Relative URL from the page `from_path` to a file that is not a page (a feed), both paths
    under `docs/`, for links in raw HTML: "topics/x.md" -> "feeds/a.xml" gives "../../feeds/a.xml"."""
    return _from_folder(_served_dir(from_path), file_path)


def folder_href(from_path: str, folder: str) -> str:
    """Relative URL from the page `from_path` to the folder of pages `folder`: appending a page's
    name and "/" gives `page_href` to it ("papers/a.md", "papers" -> "../"; + "b/" is "../b/").
    Pages that list many others ask once, not once per link."""
    href = page_href(from_path, f"{folder}/index.md")
    return "" if href == "./" else href


def _served_dir(path: str) -> list[str]:
    """The folders of the URL MkDocs serves a page at: "papers/x.md" -> ["papers", "x"]."""
    stem = path.removesuffix(".md").split("/")
    return stem[:-1] if stem[-1] == "index" else stem


def relative_link(from_path: str, to_path: str) -> str:
    """Link from one file under `docs/` to another, as MkDocs expects (relative, to the .md).

    Both are plain paths under `docs/` ("papers/x.md"), so the link is worked out from their
    folders alone: posixpath.relpath would give the same, five times slower (it resolves both
    against the working directory), and pages make a link for every paper they list.
    """
    return _from_folder(from_path.split("/")[:-1], to_path)


def _from_folder(folders: list[str], path: str) -> str:
    """Relative path from the folder `folders` (its parts) to the file `path` under `docs/`."""
    target = path.split("/")
    common = 0
    while common < min(len(folders), len(target) - 1) and folders[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(folders) - common) + target[common:])


def arxiv_abs_url(arxiv_id: str) -> str:
    """The arXiv abstract page of a paper."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    """The PDF of a paper on arXiv."""
    return f"https://arxiv.org/pdf/{arxiv_id}"


def hub_paper_url(arxiv_id: str) -> str:
    """The paper's page on the Hugging Face Hub."""
    return f"https://huggingface.co/papers/{arxiv_id}"
