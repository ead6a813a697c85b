"""Make dump text safe to place in Markdown and front matter: it always shows as itself. (In
HTML, the page templates' autoescaping does that.)"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from linkify_it import LinkifyIt

# HTML's own characters become entities; the characters Python-Markdown (with the tables
# extension) lets you backslash are backslashed; the few it gives meaning to but cannot
# backslash (setext "=", strike "~", "^", ":") become numeric character references.
_ESCAPES = (
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {char: "\\" + char for char in "\\`*_{}[]()#+-.!|"}
    | {char: f"&#{ord(char)};" for char in "=~^:"}
)
# One regular-expression pass: about five times faster than str.translate, whose multi-character
# replacements take a slow path (measured on a 1,900-character abstract: 57 µs against 264 µs).
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_SNIPPET_LENGTH = 220
# What json.dumps(value, ensure_ascii=False) gives for a string, without building an encoder.
_json_string = json.encoder.encode_basestring
# Characters YAML does not accept raw in a document (or reads as line breaks): escaped in scalars.
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# Addresses in abstracts: linkify-it (no e-mail addresses). An address without a scheme is
# taken only when it starts with "www." or names a GitHub repository, as "train.py" or
# "arXiv.org" in running text are file and site names more often than links. So only the words
# (runs without white space, which no address contains) holding "://", "www." or "github.com/"
# are scanned: linkify-it takes a millisecond on a long abstract, a sixth of that on its words.
_LINKIFY = LinkifyIt(options={"fuzzy_email": False})
_MAYBE_ADDRESS = re.compile(r"://|www\.|github\.com/", re.IGNORECASE)
_ADDRESS_WORD = re.compile(rf"\S*(?:{_MAYBE_ADDRESS.pattern})\S*", re.IGNORECASE)
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text, and the web address it links to when it is one."""

    text: str
    href: str | None = None


def md_text(text: str) -> str:
    """Escape `text` so that Markdown shows it as the literal text it is.

    "<script>" shows as "<script>", "**bold**" as "**bold**", "[x](javascript:...)" as itself.
    """
    return _SPECIAL.sub(lambda match: _ESCAPES[match.group()], text)


def snippet(text: str, length: int = _SNIPPET_LENGTH) -> str:
    """The start of `text`, cut at a word boundary, with an ellipsis when shortened."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def front_matter(fields: Mapping[str, object]) -> str:
    """A YAML front matter block (MkDocs page meta), one `key: value` line per field.

    Material prints page meta as HTML, unescaped (`<title>{{ page.meta.title }}`, the meta
    description, the header and the navigation), so every string value is HTML-escaped here:
    "</title><script>" shows as that text, never as markup. Strings are written as JSON strings,
    which are valid YAML double-quoted scalars (with the characters YAML will not take raw
    escaped); that is many times faster than a YAML emitter for 30,000 pages.
    """
    lines = [f"{key}: {_yaml_scalar(value)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _yaml_scalar(value: object) -> str:
    if isinstance(value, tuple):  # a flow sequence: ["a", "b"]
        return "[" + ", ".join(map(_yaml_scalar, value)) + "]"
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"front matter takes strings, integers and tuples, not {value!r}")
    if isinstance(value, int):
        return str(value)
    quoted = _json_string(html.escape(value))
    if not _NOT_YAML_PRINTABLE.search(quoted):
        return quoted
    return _NOT_YAML_PRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def link_segments(text: str) -> tuple[Segment, ...]:
    """`text` cut into plain runs and web addresses (http and https only), in order; joined, the
    runs' text is `text`. Punctuation that ends a sentence is not part of an address:
    "see https://x.org/a." links "https://x.org/a". Text with no address is one plain run."""
    if not _MAYBE_ADDRESS.search(text):
        return (Segment(text),)
    return _scanned(text)


@functools.cache
def _scanned(text: str) -> tuple[Segment, ...]:
    # Cached: a paper's abstract is scanned for its code link, then again for its page (in a
    # process forked after the first scan, which inherits the cache).
    segments: list[Segment] = []
    start = 0
    for word in _ADDRESS_WORD.finditer(text):
        for match in _LINKIFY.match(word.group()) or ():
            url = str(match.url)
            if not url.startswith(("https://", "http://")):
                continue
            if not match.schema and not match.text.lower().startswith(("www.", "github.com/")):
                continue
            first, end = word.start() + match.index, word.start() + match.last_index
            if first > start:
                segments.append(Segment(text[start:first]))
            segments.append(Segment(text[first:end], url))
            start = end
    if start < len(text):
        segments.append(Segment(text[start:]))
    return tuple(segments)


def github_repository(text: str) -> str | None:
    """The first GitHub repository `text` links to, as "https://github.com/<owner>/<name>"
    (a link into the repository counts; ".git" is dropped), or None."""
    for segment in link_segments(text):
        if segment.href is None:
            continue
        parts = urlsplit(segment.href)
        path = [part for part in parts.path.split("/") if part]
        if parts.hostname in _GITHUB_HOSTS and len(path) >= 2:
            return f"https://github.com/{path[0]}/{path[1].removesuffix('.git')}"
    return None
