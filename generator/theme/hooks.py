"""MkDocs hooks for the generated site (listed under `hooks:` in mkdocs.yml).

Pages whose front matter sets `html_body` hold a body that the generator wrote as HTML, with
every piece of dump text already escaped: it becomes the page's content as it is, without
Markdown. At tens of thousands of paper pages, running Markdown over them was most of the build's
time, and even over an empty text, setting up a Markdown converter for each page (its extensions
and the ones MkDocs adds) took about a tenth of the build.

A section whose only page in the navigation is its own index (the collections: each collection's
page is left out of the navigation) is shown as that page: Material draws such a section as a
sub-menu whose `aria-labelledby` names a label it leaves out.

Built pages lose the indentation and blank lines of Material's templates (a seventh of a paper
page). Line breaks stay, and so does everything inside `<pre>` and `<textarea>`, where white space
shows: the browser draws the page the same. A minifier (minify-html) took a paper page a little
further but made MkDocs take half again as long.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

# Runs of white space that start with a line break; and the elements whose white space shows.
_INDENTATION = re.compile(r"\n\s+")
_SHOWN_AS_TYPED = re.compile(r"(<(?:pre|textarea)\b.*?</(?:pre|textarea)>)", re.DOTALL | re.I)


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


def on_post_page(output: str, page: Any, config: Any) -> str:
    """The built page without indentation or blank lines, outside `<pre>` and `<textarea>`."""
    parts = _SHOWN_AS_TYPED.split(output)  # text, element, text, ..., text
    parts[::2] = [_INDENTATION.sub("\n", text) for text in parts[::2]]
    return "".join(parts)


def on_nav(nav: Navigation, config: Any, files: Any) -> Navigation:
    """Show each section whose only child is its index page as that page."""
    nav.items = [_alone_index(item) for item in nav.items]
    return nav


def _alone_index(item: Any) -> Any:
    """`item`, or its index page if it is a section holding only that page."""
    if not isinstance(item, Section):
        return item
    item.children = [_alone_index(child) for child in item.children]
    if len(item.children) != 1:
        return item
    only = item.children[0]
    if not isinstance(only, Page) or not only.is_index:
        return item
    only.parent = item.parent
    return only
