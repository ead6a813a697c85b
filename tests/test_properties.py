"""Property-based tests of the parser: random valid papers, page chrome and noise.

A valid paper here is what a Daily Papers page can show: a one-line title of 1-15 words that is
not page chrome, not a date line, not a paragraph (fewer than two sentence breaks), not starting
with "Subscribe" (which a packed dump glues to its first title) and with a letter or digit (a
title without one is warned about); an abstract of several sentences and at least 300
characters; optionally a metadata block with a date line.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build_site
from generator.config import SiteConfig
from generator.decode import decode_dump
from generator.dumps import DumpFile
from generator.model import Organization
from generator.parse import (
    _META_DATE,
    _PAGE_DATE,
    _SENTENCE_BREAK,
    CHROME,
    infer_year,
    parse_dump,
)

CAPTURED = dt.date(2025, 12, 4)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONFIG = SiteConfig(site_name="Papers", site_url="https://papers.example.org/")
# Punctuation a title may carry, markup characters included; "·" and "•" start metadata lines.
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~–—"
LETTERS = string.ascii_letters + string.digits + "éüπ"


@dataclass(frozen=True)
class Paper:
    """A paper as the parser should read it back."""

    title: str
    abstract: str
    date: dt.date | None = None
    year_shown: bool = True
    authors_count: int | None = None
    organization: Organization | None = None
    votes: int | None = None

    def expected(self) -> tuple[object, ...]:
        date = self.date
        if date is not None and not self.year_shown:
            date = infer_year(date.month, date.day, CAPTURED)
        return (self.title, self.abstract, date, self.authors_count, self.organization, self.votes)


def _valid_title(title: str) -> bool:
    return (
        title not in CHROME
        and not _PAGE_DATE.match(title)
        and not _META_DATE.match(title)
        and not title.startswith("Subscribe")
        and len(_SENTENCE_BREAK.findall(title)) < 2
        and any(char.isalnum() for char in title)
    )


words = st.text(alphabet=LETTERS + PUNCTUATION, min_size=1, max_size=12)
titles = st.lists(words, min_size=1, max_size=15).map(" ".join).filter(_valid_title)
VOCABULARY = [
    "model",
    "language",
    "scaling",
    "training",
    "data",
    "token",
    "loss",
    "compute",
    "expert",
    "layer",
    "attention",
    "memory",
    "inference",
    "benchmark",
    "quantised",
    "sparse",
    "dense",
    "parameter",
    "gradient",
    "optimiser",
    "schedule",
    "batch",
    "context",
    "window",
    "retrieval",
    "agent",
    "reward",
    "policy",
    "evaluation",
    "dataset",
    "corpus",
    "tokenizer",
]
plain_words = st.sampled_from(VOCABULARY)
sentences = st.lists(plain_words, min_size=10, max_size=20).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
abstracts = st.lists(sentences, min_size=6, max_size=10).map(" ".join)
handles = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12)
bylines = st.one_of(
    st.none(),
    st.integers(min_value=1, max_value=500).map(lambda n: ("authors", n)),
    st.tuples(handles, titles).map(lambda hn: ("organization", Organization(*hn))),
)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    title, abstract = draw(titles), draw(abstracts)
    if not draw(st.booleans()):
        return Paper(title, abstract)
    byline = draw(bylines)
    year_shown = draw(st.booleans())
    # A page shows no year only for days of the past year, which is how the parser reads them.
    earliest = dt.date(2015, 1, 1) if year_shown else CAPTURED - dt.timedelta(days=364)
    return Paper(
        title,
        abstract,
        date=draw(st.dates(earliest, CAPTURED)),
        year_shown=year_shown,
        authors_count=byline[1] if byline and byline[0] == "authors" else None,
        organization=byline[1] if byline and byline[0] == "organization" else None,
        votes=draw(st.none() | st.integers(min_value=0, max_value=9999)),
    )


@dataclass(frozen=True)
class Layout:
    """How a dump is pasted: spacing, chrome, glued "Subscribe", line ends, BOM, trailing spaces."""

    packed: bool
    header: tuple[str, ...]
    glued: bool
    crlf: bool
    bom: bool
    trailing: tuple[str, ...]


chrome_lines = st.sampled_from([*sorted(CHROME), "Mar 11", "Dec 4"])
layouts = st.builds(
    Layout,
    packed=st.booleans(),
    header=st.lists(chrome_lines, max_size=6).map(tuple),
    glued=st.booleans(),
    crlf=st.booleans(),
    bom=st.booleans(),
    trailing=st.lists(st.sampled_from(["", " ", "\t", "  \t "]), min_size=1).map(tuple),
)


def paper_lines(paper: Paper) -> list[str]:
    """The lines a page shows for one paper: title, abstract, then the metadata block."""
    lines = [paper.title, paper.abstract]
    if paper.date is None:
        return lines
    if paper.authors_count is not None:
        lines.append(f"  • {paper.authors_count} authors")
    if paper.organization is not None:
        lines.append(f"{paper.organization.handle} {paper.organization.name}")
    date = f"{paper.date:%b} {paper.date.day}" + (
        f", {paper.date.year}" if paper.year_shown else ""
    )
    lines += ["·", date + (f" {paper.votes}" if paper.votes is not None else "")]
    return lines


def render_dump(
    papers: list[Paper], layout: Layout, between: list[list[str]] | None = None
) -> bytes:
    """Papers written back as a dump, the way a curator's paste would look.

    `between[i]` are noise lines placed before paper i (after its predecessor's metadata).
    """
    lines = list(layout.header)
    glue = layout.glued and "Subscribe" not in layout.header
    for index, paper in enumerate(papers):
        lines += between[index] if between else []
        body = paper_lines(paper)
        if index == 0 and glue and not between:
            body[0] = "Subscribe" + body[0]
        lines += body
    lines = [line + layout.trailing[n % len(layout.trailing)] for n, line in enumerate(lines)]
    text = ("\n" if layout.packed else "\n\n").join(lines) + "\n"
    if layout.crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if layout.bom else "").encode("utf-8") + text.encode("utf-8")


def parse_bytes(data: bytes) -> tuple[list[tuple[object, ...]], list[str]]:
    text, decoding = decode_dump(data, "d.txt")
    result = parse_dump(text, "d.txt", CAPTURED)
    found = [
        (e.title, e.abstract, e.date, e.authors_count, e.organization, e.votes)
        for e in result.entries
    ]
    return found, [str(p) for p in (*decoding, *result.problems)]


@SETTINGS
@given(st.lists(papers(), min_size=1, max_size=6), layouts)
def test_rendered_papers_parse_back_to_the_same_papers(
    dump_papers: list[Paper], layout: Layout
) -> None:
    found, problems = parse_bytes(render_dump(dump_papers, layout))
    assert found == [paper.expected() for paper in dump_papers]
    assert problems == []


junk_lines = st.text(alphabet=LETTERS + PUNCTUATION + " ", min_size=1, max_size=40).filter(
    lambda line: line.strip() not in ("", "·")
)
noise = st.lists(st.one_of(st.just(""), st.just("   "), chrome_lines, junk_lines), max_size=4)


@SETTINGS
@given(st.lists(papers(), min_size=1, max_size=6), layouts, st.data())
def test_noise_between_papers_never_loses_a_paper(
    dump_papers: list[Paper], layout: Layout, data: st.DataObject
) -> None:
    between = [data.draw(noise) for _ in dump_papers]
    found, _ = parse_bytes(render_dump(dump_papers, layout, between))
    remaining = iter(found)
    assert all(paper.expected() in remaining for paper in dump_papers)  # in order


@SETTINGS
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)))
def test_arbitrary_bytes_never_crash_the_pipeline(data: bytes) -> None:
    text, problems = decode_dump(data, "x.txt")
    if text is None:  # refused whole, with one message
        assert len(problems) == 1
    else:
        parse_dump(text, "x.txt", CAPTURED)
    build = build_site([DumpFile("x.txt", data)], {}, CONFIG, (), CAPTURED)
    assert "papers.json" in build.plan.files
