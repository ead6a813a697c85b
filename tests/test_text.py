"""Dump text placed in Markdown always shows as the literal text it is."""

from __future__ import annotations

import html
import re

import markdown
import pytest

from generator.text import md_text, snippet

# The Markdown extensions mkdocs.yml enables.
EXTENSIONS = ["attr_list", "tables", "toc"]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "# Heading",
        "1. not a list",
        "- not a list",
        "> not a quote",
        "**bold** _em_ `code` ~~strike~~",
        "[link](javascript:alert(1)) ![img](x.png)",
        "| a | b |",
        "{: .class } {{ jinja }} {% block %}",
        "&amp; &lt; &#60; \\backslash\\ a\\*b",
        "https://example.org <https://example.org>",
        "x^2^ == y",
    ],
)
def test_markdown_shows_the_text_itself(text: str) -> None:
    rendered = markdown.markdown(md_text(text), extensions=EXTENSIONS)
    assert rendered.startswith("<p>")
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in inner.replace("&lt;", "")
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text


def test_snippet_cuts_at_a_word() -> None:
    assert snippet("one two three four", 9) == "one two…"
    assert snippet("short", 9) == "short"
