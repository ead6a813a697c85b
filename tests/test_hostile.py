"""Bad and hostile dumps: located messages, no paper lost, no dump text ever becomes markup.

The fixtures in `fixtures/hostile/` are written in the seed layouts; the 1 MB line is made here,
to keep the repository small. One module-scoped run generates a site from them plus one seed dump
and builds it with `mkdocs build --strict`; every built page is then parsed as HTML.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml
from lxml import etree

from generator.build import build_site
from generator.catalog import build_catalog
from generator.config import SiteConfig, load_manifest
from generator.decode import decode_dump
from generator.dumps import DumpFile, load_dump, read_dump_files
from generator.errors import ConfigError
from generator.model import Catalog, Collection, Dump, Entry, Problem, Severity
from generator.parse import parse_dump
from generator.text import front_matter
from generator.urls import MAX_SLUG_LENGTH, make_slug, paper_path
from tests.conftest import copy_project, run_generator, run_mkdocs

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
CAPTURED = dt.date(2025, 12, 4)
SEED_DUMP = "003_5bc1377f66e9d0d6.txt"
SEED_PAPERS = 74
BIDI = "bidirectional formatting characters removed (they could reorder the page)"
LONG_TITLE = "title of 5,000 characters (over 300): kept; check the paste"

# Every warning each hostile dump gives, as the CLI prints it.
WARNINGS = {
    "chrome_only.txt": ["chrome_only.txt: warning: no papers found in this dump"],
    "control.txt": [
        "control.txt:11: warning: control characters removed",
        "control.txt:15: warning: control characters removed",
        "control.txt:17: warning: control characters removed",
    ],
    "crlf_bom.txt": [],  # CRLF, a byte-order mark, tabs and trailing spaces are normal pastes
    "cut_off.txt": [
        "cut_off.txt:15: warning: title with no abstract: 'A Title Cut Off Before Its Abstract'"
    ],
    "empty.txt": ["empty.txt: warning: empty file: no papers"],
    "latin1.txt": [
        "latin1.txt:15: warning: bytes that are not UTF-8; they are shown as U+FFFD "
        "(save the dump as UTF-8)"
    ],
    "markup.txt": [f"markup.txt:39: warning: {BIDI}", f"markup.txt:41: warning: {BIDI}"],
    "paths.txt": [f"paths.txt:18: warning: {LONG_TITLE}"],
}
# Entries per hostile dump: every one that has a title survives.
ENTRIES = {
    "chrome_only.txt": 0,
    "control.txt": 3,
    "crlf_bom.txt": 2,
    "cut_off.txt": 2,
    "empty.txt": 0,
    "latin1.txt": 2,
    "markup.txt": 8,
    "paths.txt": 9,  # three spellings of one title merge into one paper
}
MARKUP_TITLES = [
    "<script>alert(1)</script> Reading Untrusted Titles",
    "</title><script>alert(2)</script> Breaking Out of Page Titles",
    "[Click me](javascript:alert(4)) and ![img](javascript:alert(5)): Links as Text",
    '{{ config }} and {% include "base.html" %}: Template Syntax in Titles',
    "# Heading **bold** _emphasis_ `code` ~~strike~~ | a | b |",
    "&amp; &lt;script&gt;alert(6)&lt;/script&gt; Entities Are Text",
    "C:\\Windows\\System32 \\\\ Backslashes \\*Not Emphasis\\* \\n",
    "Safe Title txt.exe With Bidi Overrides",
]
LONG_LINE = "long_line.txt"


def _parse(name: str) -> tuple[list[Entry], list[str]]:
    text, decoding = decode_dump((FIXTURES / name).read_bytes(), name)
    result = parse_dump(text, name, CAPTURED)
    return list(result.entries), [str(p) for p in (*decoding, *result.problems)]


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_each_hostile_dump_gets_messages_naming_file_and_line(name: str) -> None:
    entries, messages = _parse(name)
    assert messages == WARNINGS[name]
    assert len(entries) == ENTRIES[name]


def test_markup_titles_are_kept_as_text() -> None:
    entries, _ = _parse("markup.txt")
    assert [e.title for e in entries] == MARKUP_TITLES
    assert all(len(e.abstract) >= 300 for e in entries)
    assert "<iframe src=javascript:alert(1)></iframe>" in entries[0].abstract


def test_bidi_controls_are_removed_and_visible_text_kept() -> None:
    entries, _ = _parse("markup.txt")
    assert "Isolates like this and marks and appear here." in entries[-1].abstract
    assert not any(char in entries[-1].abstract for char in "\u202e\u202c\u2066\u2069\u200f")


def test_line_separators_inside_a_line_do_not_split_it() -> None:
    entries, _ = _parse("control.txt")
    assert [e.title for e in entries] == [
        "Null and Bell Characters",
        "A FormFeed and a Line Separator Inside a Title",
        "An Ordinary Paper After Them",
    ]
    assert entries[1].abstract.startswith("Escape [31mred[0m codes.")


def test_crlf_bom_tabs_and_trailing_spaces_are_tidied() -> None:
    entries, _ = _parse("crlf_bom.txt")
    assert [e.title for e in entries] == ["Windows Line Ends", "A Byte-Order Mark First"]
    assert entries[0].abstract.endswith("prevents every attack we tried.")


def test_bytes_that_are_not_utf8_keep_the_paper() -> None:
    entries, _ = _parse("latin1.txt")
    assert [e.title for e in entries] == [
        "Plain ASCII Before the Bad Bytes",
        "Caf\ufffd Cr\ufffdme: Text Saved as Latin-1",
    ]


ABSTRACT = "We study how language models scale. " * 10


def test_a_metadata_block_without_a_byline_keeps_its_abstract() -> None:
    text = f"Subscribe\n\nA Title\n\n{ABSTRACT}\n\n·\n\nDec 1\n"
    (entry,) = parse_dump(text, "d.txt", CAPTURED).entries
    assert (entry.abstract, entry.date) == (ABSTRACT.strip(), dt.date(2025, 12, 1))


def test_a_first_title_starting_with_subscribe_is_not_unglued_after_a_subscribe_line() -> None:
    text = f"Subscribe\n\nSubscribers Prefer Short Abstracts\n\n{ABSTRACT}\n"
    (entry,) = parse_dump(text, "d.txt", CAPTURED).entries
    assert entry.title == "Subscribers Prefer Short Abstracts"


def test_the_line_of_a_bad_byte_counts_from_the_start_after_a_byte_order_mark() -> None:
    text, problems = decode_dump(b"\xef\xbb\xbfone\ntwo\nthr\xffee\n", "bom.txt")
    assert text == "one\ntwo\nthr\ufffdee\n"
    assert [p.line for p in problems] == [3]


WORDLESS = ["!!!", "???", "🚀🚀🚀", "—", "! ! !"]


def test_titles_with_no_letter_or_digit_stay_apart_with_a_warning() -> None:
    text = "".join(f"{title}\n\n{n} {ABSTRACT}\n\n" for n, title in enumerate(WORDLESS))
    result = parse_dump(text, "w.txt", CAPTURED)
    assert [str(p) for p in result.problems] == [
        f"w.txt:{1 + 4 * n}: warning: title with no letter or digit: {title!r}; "
        "kept as a paper of its own"
        for n, title in enumerate(WORDLESS)
    ]
    collection = Collection("w", "W", "Wordless titles.", CAPTURED, "w.txt")
    catalog = build_catalog([Dump(collection, result.entries)])
    # "!!!" and "! ! !" differ only in spaces: one paper; every other title its own.
    assert sorted(p.title for p in catalog.papers) == sorted(WORDLESS[:4])
    assert len({p.id for p in catalog.papers}) == 4
    assert catalog.merged == 1
    assert next(p for p in catalog.papers if p.title == "???").abstract.startswith("1 ")


@pytest.mark.parametrize("slug", ["../../etc/passwd", "index", "Scaling Laws"])
def test_a_manifest_slug_must_be_a_slug(tmp_path: Path, slug: str) -> None:
    (tmp_path / "manifest.yml").write_text(
        f"dumps:\n  a.txt:\n    title: A\n    description: B\n    captured: 2025-03-11\n"
        f"    slug: {json.dumps(slug)}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="is not a slug"):
        load_manifest(tmp_path)


def _paths_catalog() -> Catalog:
    entries, _ = _parse("paths.txt")
    collection = Collection("paths", "Paths", "Hostile paths.", CAPTURED, "paths.txt")
    return build_catalog([Dump(collection, tuple(entries))])


def test_hostile_titles_get_safe_unique_capped_slugs() -> None:
    ids = [paper.id for paper in _paths_catalog().papers]
    assert len(ids) == len(set(ids)) == 7  # the three spellings of "Scaling Laws" are one paper
    assert "etc-passwd" in ids
    assert all("/" not in i and "." not in i and len(i) <= MAX_SLUG_LENGTH + 9 for i in ids)
    assert "index" not in ids


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("PanGu-π: Enhancing Language Model Architectures", "PanGu-p: Enhancing Language Model"),
        ("PanGu-π", "PanGu-p 1bcb78e2"),  # the second's key is the first's hashed slug
        ("Index", "index-b"),
    ],
)
def test_titles_that_slugify_alike_get_different_slugs(first: str, second: str) -> None:
    assert make_slug(first) != make_slug(second)
    assert make_slug(first) != "index"


def test_titles_differing_in_case_or_punctuation_are_one_paper_with_aliases() -> None:
    scaling = next(p for p in _paths_catalog().papers if p.id == "scaling-laws-part-i")
    assert scaling.title == "Scaling Laws: Part I"
    assert scaling.aliases == ("SCALING LAWS, PART I", "scaling laws -- part i")


def test_only_regular_files_are_read_and_every_other_entry_is_named(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("Outside Title\n\n" + ABSTRACT, encoding="utf-8")
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "ok.txt").write_text("Inside Title\n\n" + ABSTRACT, encoding="utf-8")
    (dumps / "link.txt").symlink_to(secret)
    (dumps / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (dumps / "folder.txt").mkdir()
    os.mkfifo(dumps / "pipe.txt")  # opened, it would wait for a writer forever
    files = read_dump_files(dumps)
    assert [(f.name, f.data, f.unread) for f in files] == [
        ("dangling.txt", b"", "a symbolic link: not followed (put the dump itself in the folder)"),
        ("folder.txt", b"", "a folder, not a dump"),
        ("link.txt", b"", "a symbolic link: not followed (put the dump itself in the folder)"),
        ("ok.txt", (dumps / "ok.txt").read_bytes(), None),
        ("pipe.txt", b"", "a named pipe, not a dump: not opened"),
    ]
    config = SiteConfig(site_name="Papers", site_url="https://papers.example.org/")
    build = build_site(files, {}, config, (), CAPTURED)
    assert [p.title for p in build.catalog.papers] == ["Inside Title"]
    assert [c.file for c in build.catalog.collections] == ["ok.txt"]
    assert [str(p) for p in build.problems if p.severity is Severity.WARNING] == [
        "dangling.txt: warning: a symbolic link: not followed (put the dump itself in the folder)",
        "folder.txt: warning: a folder, not a dump",
        "link.txt: warning: a symbolic link: not followed (put the dump itself in the folder)",
        "pipe.txt: warning: a named pipe, not a dump: not opened",
    ]


def test_an_empty_unlisted_file_still_gives_a_collection_and_a_message() -> None:
    dump, problems = load_dump(DumpFile("empty.txt", b""), None, CAPTURED)
    assert dump.entries == ()
    assert Problem("empty.txt", None, "empty file: no papers") in problems


def test_front_matter_values_are_html_escaped() -> None:
    meta = yaml.safe_load(front_matter({"title": '</title><b a="1">&amp;', "n": 3}).strip("-\n"))
    assert meta == {"title": "&lt;/title&gt;&lt;b a=&quot;1&quot;&gt;&amp;amp;", "n": 3}


# The built site ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HostileSite:
    project: Path
    relaxed_status: int
    strict_status: int
    stderr: str
    stdout: str


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    """The seed dump 003 plus every hostile dump and a 1 MB line, generated and built."""
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    dumps = project / "dumps"
    for path in dumps.glob("*.txt"):
        if path.name != SEED_DUMP:
            path.unlink()
    manifest = yaml.safe_load((dumps / "manifest.yml").read_text(encoding="utf-8"))
    manifest["dumps"] = {SEED_DUMP: manifest["dumps"][SEED_DUMP]}
    (dumps / "manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    for path in FIXTURES.glob("*.txt"):
        shutil.copy(path, dumps / path.name)
    sentence = "Whole pages pasted onto one line make abstracts of a megabyte or more. "
    (dumps / LONG_LINE).write_text(
        f"Subscribe\n\nA Paper With a One Megabyte Abstract\n\n{sentence * 15_000}\n",
        encoding="utf-8",
    )
    strict = run_generator(project, "--strict")
    relaxed = run_generator(project)
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr
    return HostileSite(
        project, relaxed.returncode, strict.returncode, relaxed.stderr, relaxed.stdout
    )


def test_strict_fails_relaxed_builds_and_every_message_is_printed(
    hostile_site: HostileSite,
) -> None:
    assert hostile_site.strict_status == 1
    assert hostile_site.relaxed_status == 0
    warnings = [line for line in hostile_site.stderr.splitlines() if ": warning: " in line]
    expected = [message for name in sorted(WARNINGS) for message in WARNINGS[name]]
    long_line = "long_line.txt:5: warning: abstract of 1,064,999 characters (over 10,000): kept"
    assert sorted(warnings) == sorted([*expected, f"{long_line}; check the paste"])


def test_no_sound_paper_is_lost(hostile_site: HostileSite) -> None:
    export = (hostile_site.project / "docs" / "papers.json").read_text(encoding="utf-8")
    titles = {record["title"] for record in json.loads(export)["papers"]}
    seed_text, _ = decode_dump((hostile_site.project / "dumps" / SEED_DUMP).read_bytes(), "s")
    seed = parse_dump(seed_text, SEED_DUMP, CAPTURED).entries
    assert len(seed) == SEED_PAPERS
    assert {e.title for e in seed} <= titles
    assert set(MARKUP_TITLES) <= titles
    # 74 seed papers, 27 hostile entries of which 2 merge, and the 1 MB one
    assert len(titles) == SEED_PAPERS + sum(ENTRIES.values()) - 2 + 1
    assert f"{LONG_LINE}: 1 papers" in hostile_site.stdout


def _pages(site: Path) -> list[tuple[Path, lxml.html.HtmlElement]]:
    return [(path, lxml.html.fromstring(path.read_bytes())) for path in site.rglob("*.html")]


def test_no_element_attribute_or_url_comes_from_a_dump(hostile_site: HostileSite) -> None:
    pages = _pages(hostile_site.project / "site")
    assert len(pages) > 100
    for path, page in pages:
        for element in page.iter(etree.Element):
            where = f"{path}: <{element.tag}>"
            assert element.tag not in {"iframe", "object", "embed"}, where
            assert not (element.tag == "meta" and element.get("http-equiv")), where
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), f"{where} {name}"
                assert not value.strip().lower().startswith("javascript:"), f"{where} {value}"
            if element.tag == "script":
                assert "alert" not in (element.text or ""), where
                assert "assets/" in element.get("src", "assets/"), where  # the site's own


def _paper_page(site: HostileSite, title: str) -> lxml.html.HtmlElement:
    path = site.project / "site" / paper_path(make_slug(title)).removesuffix(".md") / "index.html"
    return lxml.html.fromstring(path.read_bytes())


@pytest.mark.parametrize("title", MARKUP_TITLES)
def test_titles_show_as_literal_text_in_title_h1_and_meta(
    hostile_site: HostileSite, title: str
) -> None:
    page = _paper_page(hostile_site, title)
    assert page.findtext(".//title") == f"{title} - Paper Trail"
    assert page.find(".//article//h1").text_content() == title
    assert page.find(".//meta[@name='citation_title']").get("content") == title


def test_abstracts_show_as_literal_text(hostile_site: HostileSite) -> None:
    page = _paper_page(hostile_site, MARKUP_TITLES[0])
    text = page.find(".//article").text_content()
    assert (
        "An <img src=x onerror=alert(1)> tag and an <iframe src=javascript:alert(1)></iframe>"
        in (text)
    )
    description = _paper_page(hostile_site, MARKUP_TITLES[1]).find(".//meta[@name='description']")
    assert description.get("content").startswith('"><script>alert(3)</script><meta http-equiv=')


def test_json_export_carries_the_literal_text(hostile_site: HostileSite) -> None:
    # Search (Pagefind) indexes the built pages' text, which the test above checks.
    site = hostile_site.project / "site"
    export = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    by_title = {record["title"]: record for record in export}
    assert "<iframe src=javascript:alert(1)></iframe>" in by_title[MARKUP_TITLES[0]]["abstract"]


def test_feeds_carry_the_literal_text_and_no_markup(hostile_site: HostileSite) -> None:
    """Every feed: titles are the literal text; each description, read as the HTML a feed
    reader renders, holds no element, attribute or URL that came from a dump."""
    site = hostile_site.project / "site"
    feeds = [*site.glob("*.xml"), *(site / "feeds").rglob("*.xml")]
    feeds = [path for path in feeds if path.name != "sitemap.xml"]
    assert len(feeds) > 10
    titles: set[str] = set()
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, path
        for entry in parsed.entries:
            titles.add(entry.title)
            body = lxml.html.fragment_fromstring(entry.summary, create_parent="div")
            for element in body.iter(etree.Element):
                assert element.tag in {"div", "p"}, f"{path}: <{element.tag}>"
                assert dict(element.attrib) == {}, f"{path}: {element.attrib}"
    assert set(MARKUP_TITLES[:7]) <= titles
