"""MkDocs hooks for the generated site (listed under `hooks:` in mkdocs.yml).

Pages whose front matter sets `html_body` hold a body that the generator wrote as HTML, with
every piece of dump text already escaped: it is passed through as it is instead of being run
through Markdown, which at tens of thousands of paper pages is most of the build's time.

A section whose only page in the navigation is its own index (the collections: each collection's
page is left out of the navigation) is shown as that page: Material draws such a section as a
sub-menu whose `aria-labelledby` names a label it leaves out.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

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
