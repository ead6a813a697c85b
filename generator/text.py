"""Make dump text safe to place in Markdown: it must always show as the literal text it is."""

from __future__ import annotations

import html
from collections.abc import Mapping

import yaml

# HTML's own characters become entities; the characters Python-Markdown (with the tables
# extension) lets you backslash are backslashed; the few it gives meaning to but cannot
# backslash (setext "=", strike "~", "^", ":") become numeric character references.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {char: "\\" + char for char in "\\`*_{}[]()#+-.!|"}
    | {char: f"&#{ord(char)};" for char in "=~^:"}
)
_SNIPPET_LENGTH = 220


def md_text(text: str) -> str:
    """Escape `text` so that Markdown shows it as the literal text it is.

    "<script>" shows as "<script>", "**bold**" as "**bold**", "[x](javascript:...)" as itself.
    """
    return text.translate(_ESCAPES)


def snippet(text: str, length: int = _SNIPPET_LENGTH) -> str:
    """The start of `text`, cut at a word boundary, with an ellipsis when shortened."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def front_matter(fields: Mapping[str, object]) -> str:
    """A YAML front matter block (MkDocs page meta); values are quoted by the YAML dumper.

    Material prints page meta as HTML, unescaped (`<title>{{ page.meta.title }}`, the meta
    description, the header, the navigation and the search index), so every string value is
    HTML-escaped here: "</title><script>" shows as that text, never as markup.
    """
    escaped = {key: html.escape(v) if isinstance(v, str) else v for key, v in fields.items()}
    body = yaml.safe_dump(escaped, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{body}---\n"
