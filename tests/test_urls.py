"""Slugs are readable, stable and unique to a title's identity."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from slugify import slugify

from generator.urls import (
    MAX_SLUG_LENGTH,
    file_href,
    folder_href,
    make_slug,
    page_href,
    page_url,
    readable_slug,
    relative_link,
    title_key,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Densing Law of LLMs", "densing-law-of-llms"),
        (
            "Unraveling the Mystery of Scaling Laws: Part I",
            "unraveling-the-mystery-of-scaling-laws-part-i",
        ),
        ('Can Mamba Always Enjoy the "Free Lunch"?', "can-mamba-always-enjoy-the-free-lunch"),
    ],
)
def test_plain_titles_are_their_own_slug(title: str, slug: str) -> None:
    assert make_slug(title) == slug


def test_lossy_titles_get_a_hash_and_stay_distinct() -> None:
    pi, plain = make_slug("PanGu-π: Architectures"), make_slug("PanGu-pi: Architectures")
    assert plain == "pangu-pi-architectures"
    assert pi != plain
    assert pi.startswith("pangu-")


def test_long_titles_are_capped_and_unique() -> None:
    base = "A Very Long Title About Scaling " * 10
    first, second = make_slug(base + "One"), make_slug(base + "Two")
    assert first != second
    assert len(first) <= MAX_SLUG_LENGTH + 9
    assert len(second) <= MAX_SLUG_LENGTH + 9


@pytest.mark.parametrize("title", ["../../etc/passwd", "..", "/", "???", "<script>"])
def test_hostile_titles_give_safe_slugs(title: str) -> None:
    slug = make_slug(title)
    assert slug
    assert "/" not in slug
    assert "." not in slug


def test_title_key_ignores_case_and_punctuation() -> None:
    assert (
        title_key("Scaling Laws: Part I")
        == title_key("scaling laws -- PART I!")
        == "scaling-laws-part-i"
    )


def test_page_urls_and_links() -> None:
    assert page_url("https://x.org/", "papers/a.md") == "https://x.org/papers/a/"
    assert page_url("https://x.org", "index.md") == "https://x.org/"
    assert page_url("https://x.org/site/", "topics/index.md") == "https://x.org/site/topics/"
    assert relative_link("collections/a.md", "papers/b.md") == "../papers/b.md"
    assert relative_link("index.md", "papers/b.md") == "papers/b.md"


# Printable ASCII with extra apostrophes, dots, digits, commas and ampersands: the characters
# python-slugify treats specially.
_ASCII_TITLES = st.text(alphabet=string.printable + "''..,,&&0123456789", max_size=100)


# python-slugify's special cases (commas between digits, entities, "&", length, accents,
# apostrophes) always, and random printable ASCII.
@given(_ASCII_TITLES)
@example("1,000 Layers")
@example("Q&amp;A at Scale")
@example("R&D")
@example("x" * 100)
@example("Café au lait")
@example("don't stop")
def test_readable_slug_is_what_python_slugify_gives(title: str) -> None:
    expected = slugify(title, max_length=MAX_SLUG_LENGTH, word_boundary=True)
    assert readable_slug(title, title_key(title)) == expected


@pytest.mark.parametrize(
    ("here", "folder", "page"),
    [
        ("papers/a.md", "papers", "papers/b.md"),
        ("topics/x.md", "papers", "papers/b.md"),
        ("index.md", "papers", "papers/b.md"),
        ("topics/index.md", "topics", "topics/y.md"),
        ("papers/a.md", "collections", "collections/c.md"),
    ],
)
def test_folder_href_joined_with_a_page_name_is_page_href(
    here: str, folder: str, page: str
) -> None:
    name = page.split("/")[1].removesuffix(".md")
    assert folder_href(here, folder) + f"{name}/" == page_href(here, page)


@pytest.mark.parametrize(
    ("here", "target", "href"),
    [
        ("topics/x.md", "feeds/topics/x.xml", "../../feeds/topics/x.xml"),
        ("topics/x/page-2.md", "feeds/topics/x.atom.xml", "../../../feeds/topics/x.atom.xml"),
        ("index.md", "feed.xml", "feed.xml"),
        ("collections/c.md", "collections/c.xml", "../c.xml"),
    ],
)
def test_file_href_leads_from_a_served_page_to_a_file(here: str, target: str, href: str) -> None:
    assert file_href(here, target) == href
