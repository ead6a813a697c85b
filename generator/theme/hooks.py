"""MkDocs hooks for the generated site (listed under `hooks:` in mkdocs.yml).

Pages whose front matter sets `html_body` hold a body that the generator wrote as HTML, with
every piece of dump text already escaped: it is passed through as it is instead of being run
through Markdown, which at tens of thousands of paper pages is most of the build's time.
"""

from __future__ import annotations

from typing import Any

_BODIES: dict[str, str] = {}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Keep an HTML body aside and give Markdown nothing to convert."""
    if page.meta.get("html_body"):
        _BODIES[page.file.src_uri] = markdown
        return ""
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put the kept HTML body back as the page's content."""
    return _BODIES.pop(page.file.src_uri, html)
