"""Feeds, parsed back: every generated feed with feedparser and lxml, field by field (titles,
links, guids, dates, order, count, categories), the OPML file, the Subscribe page, the built
pages' autodiscovery links, and feeds of hostile input, which readers must show as the literal
text in both formats."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generator import feeds, site
from generator.build import Build, build_site
from generator.cli import EXIT_ERROR, main
from generator.config import ManifestEntry, SiteConfig, load_manifest, load_site_config
from generator.dumps import DumpFile, read_dump_files
from generator.errors import ConfigError
from generator.feeds import (
    EMPTY_FEED_DATE,
    GENERATOR_NAME,
    UNTITLED,
    FeedContext,
    build_atom,
    build_opml,
    build_rss,
    feed_spec,
    item_html,
    plan_feeds,
    rss_title,
    xml_text,
)
from generator.listing import newest_papers
from generator.model import Collection, FeedSpec, Paper
from generator.render import render_collection_page
from generator.topics import load_topics
from generator.urls import (
    OPML_PATH,
    SITE_FEED,
    SUBSCRIBE_PATH,
    FeedPaths,
    feed_paths,
    file_url,
    page_url,
    paper_path,
)

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ROOT / "dumps"
ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = dt.date(2025, 12, 31)


def _build(config: SiteConfig, today: dt.date = TODAY) -> Build:
    return build_site(
        read_dump_files(DUMPS),
        load_manifest(DUMPS),
        config,
        load_topics(ROOT / "topics.yml"),
        today,
    )


@dataclasses.dataclass(frozen=True)
class PlannedFeeds:
    """A built site with the specs and the context its feeds were written from."""

    build: Build
    specs: tuple[FeedSpec, ...]
    context: FeedContext


def _build_keeping_feed_specs(
    files: Sequence[DumpFile], manifest: Mapping[str, ManifestEntry], config: SiteConfig
) -> PlannedFeeds:
    """Build a site as the CLI does, keeping what the plan passed to `plan_feeds`."""
    calls: list[tuple[tuple[FeedSpec, ...], FeedContext]] = []
    plan_feeds = site.plan_feeds

    def recording(
        specs: Sequence[FeedSpec], context: FeedContext, opml_path: str
    ) -> dict[str, bytes]:
        calls.append((tuple(specs), context))
        return plan_feeds(specs, context, opml_path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site, "plan_feeds", recording)
        build = build_site(files, manifest, config, load_topics(ROOT / "topics.yml"), TODAY)
    ((specs, context),) = calls
    return PlannedFeeds(build, specs, context)


@pytest.fixture(scope="module")
def config() -> SiteConfig:
    return load_site_config(ROOT / "mkdocs.yml")


@pytest.fixture(scope="module")
def seed_feeds(config: SiteConfig) -> PlannedFeeds:
    return _build_keeping_feed_specs(read_dump_files(DUMPS), load_manifest(DUMPS), config)


@pytest.fixture(scope="module")
def build(seed_feeds: PlannedFeeds) -> Build:
    return seed_feeds.build


def _feeds(build: Build, kind: str) -> dict[str, bytes]:
    """The planned feeds of one format ("rss" or "atom"), by path."""

    def is_atom(path: str) -> bool:
        return path == SITE_FEED.atom or path.endswith(".atom.xml")

    return {
        path: data
        for path, data in build.plan.files.items()
        if path.endswith(".xml") and is_atom(path) == (kind == "atom")
    }


def test_the_site_every_topic_and_every_collection_have_both_feeds(build: Build) -> None:
    topics = load_topics(ROOT / "topics.yml")
    expected = (
        {SITE_FEED}
        | {feed_paths("collections", c.slug) for c in build.catalog.collections}
        | {feed_paths("topics", t.slug) for t in topics}
    )
    for paths in expected:
        assert paths.rss in build.plan.files
        assert paths.atom in build.plan.files
    assert len(_feeds(build, "rss")) == len(_feeds(build, "atom")) == len(expected)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_every_feed_parses_back_with_its_required_fields(
    build: Build, config: SiteConfig, kind: str
) -> None:
    page_urls = {page_url(config.site_url, paper_path(p.id)) for p in build.catalog.papers}
    for path, data in _feeds(build, kind).items():
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if kind == "rss" else "atom10")
        assert parsed.feed.title and parsed.feed.link.startswith(config.site_url)
        assert parsed.entries, path
        ids = [entry.id for entry in parsed.entries]
        assert len(set(ids)) == len(ids), path
        for entry in parsed.entries:
            assert entry.title and entry.summary
            assert entry.id == entry.link
            assert entry.id in page_urls
        dates = [entry.published_parsed for entry in parsed.entries]
        assert dates == sorted(dates, reverse=True), path


def test_site_feed_holds_the_newest_papers_dated_when_first_seen(
    build: Build, config: SiteConfig
) -> None:
    parsed = feedparser.parse(build.plan.files[SITE_FEED.rss])
    newest = newest_papers(build.catalog.papers, config.feed_size)
    assert len(parsed.entries) == config.feed_size == 50
    assert [e.id for e in parsed.entries] == [
        page_url(config.site_url, paper_path(p.id)) for p in newest
    ]
    first_seen = [dt.date(*e.published_parsed[:3]) for e in parsed.entries]
    assert first_seen == [p.first_seen for p in newest]


def test_rss_channel_has_a_self_link_and_the_newest_items_date(
    build: Build, config: SiteConfig
) -> None:
    for path, data in _feeds(build, "rss").items():
        channel = etree.fromstring(data).find("channel")
        assert channel is not None
        self_links = channel.findall(f"{ATOM}link[@rel='self']")
        assert [link.get("href") for link in self_links] == [file_url(config.site_url, path)]
        assert channel.findtext("lastBuildDate") == channel.findtext("item/pubDate")
        for item in channel.iter("item"):
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "true"
            assert guid.text == item.findtext("link")
            # RFC 822 dates, parseable and in UTC
            parsed = email.utils.parsedate_to_datetime(item.findtext("pubDate") or "")
            assert parsed.utcoffset() == dt.timedelta(0)


def test_atom_feed_has_a_self_link_an_author_and_the_newest_entrys_date(
    build: Build, config: SiteConfig
) -> None:
    for path, data in _feeds(build, "atom").items():
        feed = etree.fromstring(data)
        self_links = feed.findall(f"{ATOM}link[@rel='self']")
        assert [link.get("href") for link in self_links] == [file_url(config.site_url, path)]
        assert feed.findtext(f"{ATOM}author/{ATOM}name")
        updated = feed.findtext(f"{ATOM}updated") or ""
        assert updated == feed.findtext(f"{ATOM}entry/{ATOM}updated")
        assert dt.datetime.fromisoformat(updated).utcoffset() == dt.timedelta(0)
        # RFC 3339 timestamps, in UTC
        dates = [element.text or "" for element in feed.iter(f"{ATOM}updated", f"{ATOM}published")]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+00:00", date) for date in dates)
        assert len(dates) == 1 + 2 * len(feed.findall(f"{ATOM}entry"))
        for entry in feed.iterfind(f"{ATOM}entry"):
            # A link without rel is the alternate link: the paper's page, which is also its id.
            links = [
                (link.get("rel", "alternate"), link.get("href"))
                for link in entry.iterfind(f"{ATOM}link")
            ]
            assert links == [("alternate", entry.findtext(f"{ATOM}id"))]


def test_rss_names_no_author_which_rss_wants_as_an_email_address(build: Build) -> None:
    for data in _feeds(build, "rss").values():
        channel = etree.fromstring(data).find("channel")
        assert channel is not None
        assert channel.find("managingEditor") is None and channel.find("item/author") is None


def test_each_papers_entry_is_built_once_and_shared_by_every_feed_that_lists_it(
    seed_feeds: PlannedFeeds, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[object] = []

    class CountedEntry(feeds.FeedEntry):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            built.append(self)

    monkeypatch.setattr(feeds, "FeedEntry", CountedEntry)
    specs, context = seed_feeds.specs, seed_feeds.context
    files = plan_feeds(specs, context, OPML_PATH)
    listed = {paper.id for spec in specs for paper in spec.papers}
    assert sum(len(spec.papers) for spec in specs) > 2 * len(listed)
    # One entry for both formats: no seed title needs escaping in RSS.
    assert len(built) == len(listed)
    for spec in specs:
        assert files[spec.rss_path] == build_rss(spec, context)
        assert files[spec.atom_path] == build_atom(spec, context)


def test_feeds_are_byte_identical_across_builds_whatever_the_day(config: SiteConfig) -> None:
    first = _build(config, dt.date(2025, 12, 31)).plan.files
    second = _build(config, dt.date(2026, 6, 1)).plan.files
    assert first == second
    assert SITE_FEED.rss in first and OPML_PATH in first


def test_feed_size_is_honoured(config: SiteConfig) -> None:
    small = _build(dataclasses.replace(config, feed_size=3))
    for data in [*_feeds(small, "rss").values(), *_feeds(small, "atom").values()]:
        assert len(feedparser.parse(data).entries) == 3


def test_opml_lists_every_feed_with_its_title_and_page(build: Build, config: SiteConfig) -> None:
    root = etree.fromstring(build.plan.files[OPML_PATH])
    assert root.get("version") == "2.0"
    outlines = root.findall("body/outline")
    rss_urls = {file_url(config.site_url, path) for path in _feeds(build, "rss")}
    assert {o.get("xmlUrl") for o in outlines} == rss_urls
    assert len(outlines) == len(rss_urls)
    for outline in outlines:
        assert outline.get("type") == "rss"
        assert outline.get("text") and outline.get("text") == outline.get("title")
        assert (outline.get("htmlUrl") or "").startswith(config.site_url)


def test_subscribe_page_links_every_feed_and_the_opml_file(build: Build) -> None:
    page = build.plan.files[SUBSCRIBE_PATH].decode()
    for path in [*_feeds(build, "rss"), *_feeds(build, "atom"), OPML_PATH]:
        assert f"]({path})" in page


def test_collection_pages_name_their_feeds_in_front_matter(build: Build) -> None:
    for collection in build.catalog.collections:
        paths = feed_paths("collections", collection.slug)
        page = build.plan.files[f"collections/{collection.slug}.md"].decode()
        meta = yaml.safe_load(page.split("---\n")[1])
        assert (meta["feed_rss"], meta["feed_atom"]) == (paths.rss, paths.atom)
        # ... and link them in the page, from its served folder "collections/<slug>/".
        assert f'<a href="../../{paths.rss}">RSS</a>' in page
        assert f'<a href="../../{paths.atom}">Atom</a>' in page


@pytest.mark.parametrize(
    ("source", "linked"),
    [("https://huggingface.co/papers", True), ("javascript:alert(1)", False), ("", False)],
)
def test_a_collection_links_its_source_page_only_on_the_web(source: str, linked: bool) -> None:
    collection = Collection("c", "C", "About c.", dt.date(2025, 1, 1), "c.txt", source or None)
    spec = feed_spec("C", "Site: C", "About c.", "collections/c.md",
                     feed_paths("collections", "c"), [], 10)  # fmt: skip
    page = render_collection_page(collection, [], spec)
    assert ('<a href="https://huggingface.co/papers">source page</a>' in page) is linked
    assert "javascript:" not in page


HOSTILE = Paper(
    id="hostile",
    title="<script>alert(1)</script>\x07 & more",
    aliases=(),
    abstract="Look: <img src=x onerror=alert(1)> and a bell\x07 and \ufffe here.",
    collections=("c",),
    first_seen=dt.date(2025, 3, 11),
    date=dt.date(2025, 3, 1),
    votes=3,
)
CONTEXT = FeedContext(
    site_url="https://example.org/",
    site_name="Site",
    categories={"hostile": ("Agents & tools", "Scaling")},
    collection_titles={"c": "<b>Collection</b>"},
)


def _hostile_feed(builder: str) -> bytes:
    spec = feed_spec(
        "Hostile",
        "Hostile\x00 feed",
        "A feed\x1b of hostile text.",
        "index.md",
        FeedPaths("h.xml", "h.atom.xml"),
        [HOSTILE],
        5,
    )
    return build_rss(spec, CONTEXT) if builder == "rss" else build_atom(spec, CONTEXT)


@pytest.mark.parametrize("builder", ["rss", "atom"])
def test_hostile_text_shows_as_text_and_never_breaks_the_xml(builder: str) -> None:
    data = _hostile_feed(builder)
    assert b"\x07" not in data and b"\x00" not in data and "\ufffe".encode() not in data
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    root = etree.fromstring(data)
    if builder == "rss":
        title, description = (
            root.findtext("channel/item/title"),
            root.findtext("channel/item/description"),
        )
    else:
        title = root.findtext(f"{ATOM}entry/{ATOM}title")
        description = root.findtext(f"{ATOM}entry/{ATOM}summary")
    literal = "<script>alert(1)</script> & more"
    # An RSS title that looks like markup is HTML-escaped, so a reader renders the literal text.
    assert title == (html.escape(literal, quote=False) if builder == "rss" else literal)
    assert _shown(feedparser.parse(data).entries[0].title_detail) == literal
    assert description is not None
    # The description is HTML: parsed as HTML, dump text is text, never an element.
    fragment = lxml.html.fragment_fromstring(description, create_parent="div")
    assert fragment.findall(".//script") == [] and fragment.findall(".//img") == []
    assert fragment.findall(".//b") == []
    assert {element.tag for element in fragment.iter()} == {"div", "p"}
    text = fragment.text_content()
    assert "<img src=x onerror=alert(1)>" in text and "<b>Collection</b>" in text
    assert "Mar 1, 2025 · 3 votes" in text


def test_categories_come_from_the_mapping() -> None:
    rss = etree.fromstring(_hostile_feed("rss"))
    assert [c.text for c in rss.iterfind("channel/item/category")] == ["Agents & tools", "Scaling"]
    atom = etree.fromstring(_hostile_feed("atom"))
    terms = [c.get("term") for c in atom.iterfind(f"{ATOM}entry/{ATOM}category")]
    assert terms == ["Agents & tools", "Scaling"]
    for builder in ("rss", "atom"):
        (entry,) = feedparser.parse(_hostile_feed(builder)).entries
        assert [tag.term for tag in entry.tags] == ["Agents & tools", "Scaling"]


def _shown(detail: Mapping[str, str]) -> str:
    """What a reader shows for a text field as feedparser read it: plain text as it is; HTML
    rendered to its text, which must hold no element (markup from a dump is text, not markup)."""
    if detail["type"] == "text/plain":
        return detail["value"]
    assert detail["type"] == "text/html", detail
    fragment = lxml.html.fragment_fromstring(detail["value"], create_parent="div")
    assert len(fragment) == 0, detail["value"]
    return fragment.text_content()


# Titles that a reader guessing at RSS (feedparser does) would take for HTML, and ones it would not.
LITERAL_TEXTS = [
    '<a href="javascript:alert(1)">js link</a>',
    "<script>alert(1)</script> Reading Untrusted Titles",
    "</title><script>alert(2)</script> Breaking Out of Page Titles",
    "&amp; &lt;script&gt;alert(6)&lt;/script&gt; Entities Are Text",
    "<b>Bold</b> &copy; &#169; &#x41; &bogus; and <i>italic</i>",
    "A & B < C > D, \"quoted\" and 'single'",
    "Scaling Laws for Neural Language Models",
]


@pytest.mark.parametrize("text", LITERAL_TEXTS)
def test_readers_show_titles_descriptions_and_categories_literally_in_both_formats(
    text: str,
) -> None:
    """feedparser, which guesses whether RSS text is HTML, reads every field back as the text."""
    paper = dataclasses.replace(HOSTILE, title=text, abstract=text)
    context = dataclasses.replace(CONTEXT, site_name=text, categories={paper.id: (text,)})
    spec = feed_spec(
        "Literal", text, text, "index.md", FeedPaths("h.xml", "h.atom.xml"), [paper], 5
    )
    for data in (build_rss(spec, context), build_atom(spec, context)):
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0
        assert _shown(parsed.feed.title_detail) == text
        assert _shown(parsed.feed.subtitle_detail) == text
        (entry,) = parsed.entries
        assert _shown(entry.title_detail) == text
        assert [tag.term for tag in entry.tags] == [text]
        summary = lxml.html.fragment_fromstring(entry.summary, create_parent="div")
        assert [p.tag for p in summary] == ["p", "p"]
        assert [dict(element.attrib) for element in summary.iter()] == [{}, {}, {}]
        assert summary[0].text_content() == text
    atom = feedparser.parse(build_atom(spec, context))
    assert atom.feed.author_detail.name == text


HOSTILE_DUMPS = ROOT / "tests" / "fixtures" / "hostile"
NO_ABSTRACT = "The dump gave no abstract for this paper."
HOSTILE_SEED_DUMP = "003_5bc1377f66e9d0d6.txt"


@pytest.fixture(scope="module")
def hostile_feeds(config: SiteConfig) -> PlannedFeeds:
    """The site test_hostile.py builds, planned here: one seed dump, every hostile dump and an
    abstract of a megabyte on one line."""
    files = [f for f in read_dump_files(DUMPS) if f.name == HOSTILE_SEED_DUMP]
    files += read_dump_files(HOSTILE_DUMPS)
    sentence = "Whole pages pasted onto one line make abstracts of a megabyte or more. "
    long_line = f"Subscribe\n\nA Paper With a One Megabyte Abstract\n\n{sentence * 15_000}\n"
    files.append(DumpFile("long_line.txt", long_line.encode()))
    manifest = {HOSTILE_SEED_DUMP: load_manifest(DUMPS)[HOSTILE_SEED_DUMP]}
    return _build_keeping_feed_specs(files, manifest, config)


def test_every_feed_of_hostile_dumps_shows_each_title_literally(
    hostile_feeds: PlannedFeeds,
) -> None:
    build, site_url = hostile_feeds.build, hostile_feeds.context.site_url
    titles = {page_url(site_url, paper_path(p.id)): p.title for p in build.catalog.papers}
    markup = {url: title for url, title in titles.items() if rss_title(title) != title}
    assert len(markup) == 3  # titles a reader would take for HTML in RSS
    shown: set[str] = set()
    for kind in ("rss", "atom"):
        for path, data in _feeds(build, kind).items():
            parsed = feedparser.parse(data)
            assert parsed.bozo == 0, path
            for entry in parsed.entries:
                assert _shown(entry.title_detail) == (
                    xml_text(titles[entry.id]).strip() or UNTITLED
                )
                shown.add(entry.id)
    assert set(markup) <= shown


def test_every_feed_of_hostile_dumps_shows_each_description_and_feed_text_literally(
    hostile_feeds: PlannedFeeds,
) -> None:
    """Each entry's summary is HTML whose first paragraph reads as the dump's abstract; each
    feed's own title and description read as written, in RSS and Atom alike."""
    build, context = hostile_feeds.build, hostile_feeds.context
    abstracts = {
        page_url(context.site_url, paper_path(p.id)): p.abstract for p in build.catalog.papers
    }
    assert "" in abstracts.values()  # a paper cut off before its abstract
    marked = [text for text in abstracts.values() if "<" in text or "&" in text]
    assert len(marked) >= 4  # abstracts holding markup and entity references
    for spec in hostile_feeds.specs:
        for data in (build.plan.files[spec.rss_path], build.plan.files[spec.atom_path]):
            parsed = feedparser.parse(data)
            assert parsed.bozo == 0, spec.rss_path
            assert _shown(parsed.feed.title_detail) == xml_text(spec.title).strip()
            assert _shown(parsed.feed.subtitle_detail) == xml_text(spec.description).strip()
            for entry in parsed.entries:
                summary = lxml.html.fragment_fromstring(entry.summary, create_parent="div")
                assert [p.tag for p in summary] == ["p", "p"], entry.id
                assert [dict(element.attrib) for element in summary.iter()] == [{}, {}, {}]
                abstract = xml_text(abstracts[entry.id]) or NO_ABSTRACT
                assert summary[0].text_content() == abstract, entry.id


MARKUP_TEXT = st.lists(
    st.one_of(
        st.sampled_from(['<a href="javascript:x">', "</a>", "<b>", "</b>", "</script>", "&amp;",
                         "&lt;", "&#169;", "&#x41;", "&bogus;", "<", ">", "&", '"', "'", ";"]),
        st.text("abc xyz", max_size=4),
    ),
    max_size=10,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(MARKUP_TEXT)
def test_readers_show_any_markup_like_title_literally_in_both_formats(text: str) -> None:
    paper = dataclasses.replace(HOSTILE, title=text)
    spec = feed_spec("Any", "Any", "Any.", "index.md", FeedPaths("h.xml", "h.atom.xml"), [paper], 5)
    for data in (build_rss(spec, CONTEXT), build_atom(spec, CONTEXT)):
        (entry,) = feedparser.parse(data).entries
        # feedparser trims the ends; an empty title is the placeholder
        assert _shown(entry.title_detail) == (text.strip() or UNTITLED)


# What could break XML written by hand: markup, an entity, a CDATA end, both quotes, tab and
# newline (kept, in text and in attributes), characters XML forbids (stripped), non-ASCII.
NASTY = "a]]>b <c>&amp; & \"q\" 'a'\ttab\nline\x00\x0b\x7f\x85\ud800\ufffe é π 🙂 \u202e"


def _feeds_of(text: str) -> tuple[bytes, bytes, Paper, FeedContext]:
    """Both feeds of one paper, with `text` in every string a feed takes from the data."""
    paper = dataclasses.replace(HOSTILE, title=text, abstract=text)
    context = FeedContext(
        site_url='https://example.org/a&b"c<d>/',
        site_name=text,
        categories={paper.id: (text, f"2 {text}")},
        collection_titles={"c": text},
    )
    spec = feed_spec("Nasty", text, text, "index.md", FeedPaths("h.xml", "h.atom.xml"), [paper], 5)
    return build_rss(spec, context), build_atom(spec, context), paper, context


def _assert_every_field_reads_back(text: str) -> None:
    rss_data, atom_data, paper, context = _feeds_of(text)
    clean = xml_text(text)
    page = page_url(context.site_url, "index.md")
    item_url = page_url(context.site_url, paper_path(paper.id))
    summary = xml_text(item_html(paper, context.collection_titles))
    day = "Tue, 11 Mar 2025 00:00:00 +0000"
    rss = etree.fromstring(rss_data)
    channel = rss.find("channel")
    assert channel is not None
    # Text feedgen refuses empty has a fallback; RSS titles and descriptions read as readers take
    # them (a title that looks like markup, and every description, as HTML-escaped text).
    feed_title = clean or GENERATOR_NAME
    assert [channel.findtext(tag) for tag in ("title", "link", "description")] == [
        rss_title(feed_title),
        page,
        html.escape(clean or feed_title, quote=False),
    ]
    assert channel.find(f"{ATOM}link").attrib == {
        "href": file_url(context.site_url, "h.xml"),
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert [channel.findtext(tag) for tag in ("generator", "language", "lastBuildDate")] == [
        "Paper Trail",
        "en",
        day,
    ]
    item = channel.find("item")
    assert item is not None
    assert [item.findtext(tag) for tag in ("title", "link", "description", "guid")] == [
        rss_title(clean.strip() or UNTITLED),
        item_url,
        summary,
        item_url,
    ]
    assert [c.text or "" for c in item.iterfind("category")] == [clean, f"2 {clean}"]
    assert item.findtext("pubDate") == day
    atom = etree.fromstring(atom_data)
    assert atom.findtext(f"{ATOM}id") == file_url(context.site_url, "h.atom.xml")
    assert atom.findtext(f"{ATOM}title") == feed_title
    assert (atom.findtext(f"{ATOM}subtitle") or "") == clean
    assert atom.findtext(f"{ATOM}author/{ATOM}name") == (clean or GENERATOR_NAME)
    assert [dict(link.attrib) for link in atom.iterfind(f"{ATOM}link")] == [
        {
            "href": file_url(context.site_url, "h.atom.xml"),
            "rel": "self",
            "type": "application/atom+xml",
        },
        {"href": page, "rel": "alternate"},
    ]
    entry = atom.find(f"{ATOM}entry")
    assert entry is not None
    assert [entry.findtext(f"{ATOM}{tag}") for tag in ("id", "title", "summary")] == [
        item_url,
        clean.strip() or UNTITLED,
        summary,
    ]
    assert [link.get("href") for link in entry.iterfind(f"{ATOM}link")] == [item_url]
    assert [c.get("term") for c in entry.iterfind(f"{ATOM}category")] == [clean, f"2 {clean}"]
    dates = [entry.findtext(f"{ATOM}{tag}") for tag in ("updated", "published")]
    assert dates == ["2025-03-11T00:00:00+00:00"] * 2


def test_every_field_reads_back_as_the_literal_text_xml_allows() -> None:
    _assert_every_field_reads_back(NASTY)
    rss_data, atom_data, _, _ = _feeds_of(NASTY)
    for data in (rss_data, atom_data):
        assert feedparser.parse(data).bozo == 0
        assert b"]]>" not in data and b"\x00" not in data


# Any character, surrogates and unassigned ones included, and often one XML treats specially.
SPECIAL = [*"&<>\"'\t\n\r]", "]]>", "&amp;", "\x00", "\x0b", "\x7f", "\x85", "\ud800", "\uffff"]
ANY_TEXT = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=[])), max_size=40
).map("".join)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_any_text_reads_back_from_both_formats(text: str) -> None:
    _assert_every_field_reads_back(text)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("bell\x07nul\x00esc\x1b", "bellnulesc"),
        ("cr\r", "cr"),
        ("c1\x85\x9f", "c1"),
        ("nonchars\ufffe\uffff", "nonchars"),
        ("lone\ud800surrogate", "lonesurrogate"),
        ("ünïcode π 🙂", "ünïcode π 🙂"),
    ],
)
def test_xml_text_strips_what_xml_forbids(text: str, clean: str) -> None:
    assert xml_text(text) == clean


def test_empty_feed_is_dated_without_the_clock() -> None:
    spec = feed_spec("None", "Empty", "Nothing yet.", "index.md", SITE_FEED, [], 5)
    assert build_rss(spec, CONTEXT) == build_rss(spec, CONTEXT)
    assert feedparser.parse(build_atom(spec, CONTEXT)).bozo == 0
    rss = etree.fromstring(build_rss(spec, CONTEXT))
    assert rss.findtext("channel/lastBuildDate") == "Sat, 01 Jan 2000 00:00:00 +0000"
    assert etree.fromstring(build_atom(spec, CONTEXT)).findtext(f"{ATOM}updated") == (
        f"{EMPTY_FEED_DATE.isoformat()}T00:00:00+00:00"
    )


def _one_paper_feed(paper: Paper = HOSTILE, description: str = "A feed.") -> FeedSpec:
    return feed_spec(
        "One", "One", description, "index.md", FeedPaths("h.xml", "h.atom.xml"), [paper], 5
    )


def test_a_title_empty_once_stripped_is_the_placeholder_in_both_formats() -> None:
    """A dump can give one: a title line of U+FFFF alone is kept; feedgen refuses an empty one."""
    spec = _one_paper_feed(dataclasses.replace(HOSTILE, title="\uffff"))
    for data in (build_rss(spec, CONTEXT), build_atom(spec, CONTEXT)):
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0 and [e.title for e in parsed.entries] == [UNTITLED]


def test_an_empty_description_is_the_title_in_rss_and_no_subtitle_in_atom() -> None:
    spec = _one_paper_feed(description="\x00")
    rss = etree.fromstring(build_rss(spec, CONTEXT))
    assert rss.findtext("channel/description") == "One"
    atom = etree.fromstring(build_atom(spec, CONTEXT))
    assert atom.find(f"{ATOM}subtitle") is None


def test_an_empty_site_name_leaves_the_atom_feed_an_author() -> None:
    data = build_atom(_one_paper_feed(), dataclasses.replace(CONTEXT, site_name="\ufffe"))
    names = etree.fromstring(data).findall(f"{ATOM}author/{ATOM}name")
    assert [name.text for name in names] == [GENERATOR_NAME]


def test_entries_keep_the_specs_order_newest_first_and_its_size() -> None:
    papers = [
        dataclasses.replace(HOSTILE, id=f"p{n}", title=f"Paper {n}", first_seen=dt.date(2025, 1, n))
        for n in (3, 1, 5, 2, 4)
    ]
    spec = feed_spec(
        "Five", "Five", "Five.", "index.md", FeedPaths("h.xml", "h.atom.xml"), papers, 3
    )
    urls = [page_url(CONTEXT.site_url, paper_path(f"p{n}")) for n in (5, 4, 3)]
    for data in (build_rss(spec, CONTEXT), build_atom(spec, CONTEXT)):
        entries = feedparser.parse(data).entries
        assert [e.title for e in entries] == ["Paper 5", "Paper 4", "Paper 3"]
        assert [e.id for e in entries] == [e.link for e in entries] == urls
        assert [e.published_parsed[:3] for e in entries] == [(2025, 1, n) for n in (5, 4, 3)]


def test_opml_of_no_feeds_is_still_valid() -> None:
    root = etree.fromstring(build_opml([], "https://example.org/", "Site"))
    assert root.findtext("head/title") == "Site: all feeds"
    assert root.findall("body/outline") == []


def test_missing_site_url_is_a_config_error_and_exit_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text("site_name: Papers\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="site_url is required"):
        load_site_config(mkdocs_yml)
    status = main(["--config", str(mkdocs_yml), "--dumps", str(DUMPS), "--docs", str(tmp_path)])
    assert status == EXIT_ERROR == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "site_url is required" in err
    assert not (tmp_path / SITE_FEED.rss).exists()


def test_built_pages_link_their_feeds_for_autodiscovery(tmp_path: Path) -> None:
    """The one MkDocs build in the tests: generate, build strictly, read the pages' <head>."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "generator" / "theme", tmp_path / "generator" / "theme")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    docs = str(tmp_path / "docs")
    config = str(tmp_path / "mkdocs.yml")
    assert main(["--strict", "--dumps", str(DUMPS), "--docs", docs, "--config", config]) == 0
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", config],
        check=True,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
    )
    # Feed links are relative to the page: about/ is one folder down, a collection two.
    assert _alternate_links(tmp_path / "site" / "about" / "index.html") == [
        ("application/rss+xml", "../" + SITE_FEED.rss),
        ("application/atom+xml", "../" + SITE_FEED.atom),
    ]
    slug = "scaling-laws"
    paths = feed_paths("collections", slug)
    assert _alternate_links(tmp_path / "site" / "collections" / slug / "index.html") == [
        ("application/rss+xml", "../../" + SITE_FEED.rss),
        ("application/atom+xml", "../../" + SITE_FEED.atom),
        ("application/rss+xml", "../../" + paths.rss),
        ("application/atom+xml", "../../" + paths.atom),
    ]
    assert (tmp_path / "site" / paths.rss).read_bytes() == (
        tmp_path / "docs" / paths.rss
    ).read_bytes()
    assert (tmp_path / "site" / "subscribe" / "index.html").exists()


def _alternate_links(page: Path) -> list[tuple[str | None, str | None]]:
    head = lxml.html.parse(str(page)).getroot().head
    return [
        (link.get("type"), link.get("href")) for link in head.iterfind("link[@rel='alternate']")
    ]
