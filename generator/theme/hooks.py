"""MkDocs hooks for the generated site (listed under `hooks:` in mkdocs.yml).

Pages whose front matter sets `html_body` hold a body that the generator wrote as HTML, with
every piece of dump text already escaped: it becomes the page's content as it is, without
Markdown. At tens of thousands of paper pages, running Markdown over them was most of the build's
time, and even over an empty text, setting up a Markdown converter for each page (its extensions
and the ones MkDocs adds) took about a tenth of the build.
"""

from __future__ import annotations

from typing import Any


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Have an HTML body taken as the page's content instead of being converted."""
    if page.meta.get("html_body"):
        page.render = lambda config, files: _take_as_content(page, markdown)
    return markdown


def _take_as_content(page: Any, html: str) -> None:
    # What Page.render leaves for a page without Markdown headings or anchors: the body as the
    # content, an empty table of contents and no anchors, the title from the front matter.
    page.content = html
    page.toc = []
    page.present_anchor_ids = set()
