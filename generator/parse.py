"""Parse a dump: the text a curator copied from a Hugging Face Daily Papers page.

A dump is page chrome, then papers. Each paper is a title line followed by its abstract on one line,
optionally followed by a metadata block. Most dumps separate lines with blank lines::

    new
    Get trending papers in your email inbox!
    Subscribe
    byAK and the research community
    Mar 11                                  <- the day the page showed (no year)
    Densing Law of LLMs                     <- title
    Large Language Models (LLMs) have ...   <- abstract
      • 8 authors                           <- metadata: author count, or "handle Name"
    ·
    Dec 19, 2023                            <- date, with or without year, then optional votes

Some pack every line with no blank lines, and the first title is glued to the chrome
("SubscribeMT-Ladder: ..."). A metadata organisation line reads "nvidia NVIDIA" (handle, then
display name); a date line reads "Dec 19, 2023", "Oct 21" (a day of the capture year) or
"Oct 21 3" (3 votes). A year-less date gets the year that puts it on or before the capture date.

The parser never prints and never raises on bad input: it returns what it found together with the
problems it met, each located by file and line. Dumps are pasted by hand, so:

- CRLF or CR line ends, a byte-order mark, tabs, runs of spaces and trailing spaces are normal
  and silently tidied. Lines break only at CR and LF: a form feed or U+2028 inside a title is
  whitespace, not a new line.
- Bytes that are not UTF-8 are decoded as U+FFFD and warned about, so the rest of the file
  still publishes. UTF-16 and UTF-32 (a byte-order mark, or no mark and 10% or more NUL bytes)
  are decoded as such.
- Control characters are removed, with a warning naming the line.
- Bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) are
  removed, with a warning naming the line: they are invisible, and left in they could reorder the
  text around a title on a page or in a feed reader. Every visible character is kept.
- A title with no abstract (a cut-off paste) is kept with an empty abstract and warned about.
- A title over 300 characters or an abstract over 10,000 is kept whole and warned about: it is
  most likely a paste gone wrong.
- An empty file, or one holding only page chrome, is warned about ("no papers").
- A title with no letter or digit ("!!!", "🚀") is kept as a paper of its own and warned about.

A file that is not a text dump is refused whole, with one warning (`decode.decode_dump`):
binary data (10% or more of its characters U+FFFD or control characters), a saved web page (it
opens with `<!DOCTYPE html` or `<html`, or more than half its lines, and 10 or more, start
with a tag).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from generator.decode import Line, content_lines
from generator.model import Entry, Organization, Problem

CHROME = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        "by AK and the research community",
    }
)
_GLUED_PREFIX = "Subscribe"
_SEPARATOR = "·"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_PAGE_DATE = re.compile(rf"^(?P<month>{_MONTHS}) (?P<day>\d{{1,2}})$")
_META_DATE = re.compile(
    rf"^(?P<month>{_MONTHS}) (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?(?: (?P<votes>\d+))?$"
)
_AUTHORS = re.compile(r"^•\s*(?P<count>\d+) authors?$")
_ORGANIZATION = re.compile(r"^(?P<handle>[A-Za-z0-9][\w.-]*) (?P<name>\S.*)$")
_SENTENCE_BREAK = re.compile(r"[.;]\s+[A-Z(]")
_ABSTRACT_MIN_LENGTH = 300
_WORDLESS = re.compile(r"[\W_]+")  # a title whose `urls.title_key` has no word
_LENGTH_LIMITS = {"title": 300, "abstract": 10_000}


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What one dump holds: its entries in file order, the page's date line, and the problems."""

    entries: tuple[Entry, ...]
    page_date: dt.date | None
    problems: tuple[Problem, ...]


def parse_dump(text: str, file: str, captured: dt.date) -> ParseResult:
    """Parse the text of one dump.

    `captured` is the day the page was saved; year-less dates are placed on or before it.
    Returns the entries (a title with no abstract is kept with an empty abstract and reported;
    so is an "abstract" too short to be one, as when the page was not a paper listing),
    the page's own date line if it has one, and every problem as (file, line, message).
    """
    problems: list[Problem] = []
    lines = content_lines(text, file, problems)
    page_date, body = _strip_header(lines, captured)
    entries = _read_entries(body, file, captured, problems)
    if not entries:
        message = "no papers found in this dump" if lines else "empty file: no papers"
        problems.append(Problem(file, None, message))
    return ParseResult(tuple(entries), page_date, tuple(problems))


def infer_year(month: int, day: int, captured: dt.date) -> dt.date:
    """The date with this month and day that falls on or before `captured` (at most a year back).

    Raises ValueError for a day that does not exist (Feb 30).
    """
    for year in (captured.year, captured.year - 1, captured.year - 2, captured.year - 3):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # Feb 29 outside a leap year: look further back.
        if candidate <= captured:
            return candidate
    raise ValueError(f"no such day: {month}/{day}")


def _strip_header(lines: list[Line], captured: dt.date) -> tuple[dt.date | None, list[Line]]:
    """Drop the page chrome before the first paper; return the page date line's date, if any."""
    page_date = None
    subscribe_seen = False  # then a title such as "Subscribers ..." is not glued to it
    for index, line in enumerate(lines):
        match = _PAGE_DATE.match(line.text)
        if line.text in CHROME:
            subscribe_seen = subscribe_seen or line.text == _GLUED_PREFIX
            continue
        if match:
            page_date = _safe_date(_month(match["month"]), int(match["day"]), captured)
            continue
        is_glued = not subscribe_seen and line.text.startswith(_GLUED_PREFIX)
        if is_glued and index + 1 < len(lines):
            glued = Line(line.number, line.text.removeprefix(_GLUED_PREFIX).strip())
            return page_date, [glued, *lines[index + 1 :]]
        return page_date, lines[index:]
    return page_date, []


def _read_entries(
    lines: list[Line], file: str, captured: dt.date, problems: list[Problem]
) -> list[Entry]:
    """Walk title, abstract, optional metadata block, and so on, reporting what does not fit."""
    entries: list[Entry] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.text in CHROME or _PAGE_DATE.match(line.text):
            index += 1  # chrome of a second page pasted into the same dump
            continue
        if _is_metadata_at(lines, index):
            problems.append(Problem(file, line.number, "metadata block with no paper before it"))
            index += _metadata_length(lines, index)
            continue
        _check_length("title", line, file, problems)
        if _WORDLESS.fullmatch(line.text):
            message = (
                f"title with no letter or digit: {line.text[:80]!r}; kept as a paper of its own"
            )
            problems.append(Problem(file, line.number, message))
        if _abstract_missing(lines, index):
            problems.append(
                Problem(file, line.number, f"title with no abstract: {line.text[:80]!r}")
            )
            entries.append(Entry(title=line.text, abstract="", line=line.number))
            index += 1
            continue
        abstract = lines[index + 1]
        _check_length("abstract", abstract, file, problems)
        if not _looks_like_abstract(abstract.text):
            # A page that is not a paper listing pairs short lines into "papers": say so.
            problems.append(
                Problem(file, abstract.number, f"too short for an abstract: {abstract.text[:80]!r}")
            )
        entry = Entry(title=line.text, abstract=abstract.text, line=line.number)
        index += 2
        if _is_metadata_at(lines, index):
            entry = _read_metadata(entry, lines, index, file, captured, problems)
            index += _metadata_length(lines, index)
        entries.append(entry)
    return entries


def _check_length(kind: str, line: Line, file: str, problems: list[Problem]) -> None:
    """Warn about a title or abstract so long that the paste probably went wrong."""
    limit = _LENGTH_LIMITS[kind]
    if len(line.text) > limit:
        message = f"{kind} of {len(line.text):,} characters (over {limit:,}): kept; check the paste"
        problems.append(Problem(file, line.number, message))


def _abstract_missing(lines: list[Line], index: int) -> bool:
    """True when the title at `index` has no abstract after it (end of file, or another title)."""
    if index + 1 >= len(lines):
        return True
    following = lines[index + 1].text
    if following in CHROME:
        return True
    if _looks_like_abstract(following):
        return False  # before the metadata test: a block may start with "·" right after it
    if _is_metadata_at(lines, index + 1):
        return True
    return index + 2 < len(lines) and _looks_like_abstract(lines[index + 2].text)


def _looks_like_abstract(text: str) -> bool:
    return len(text) >= _ABSTRACT_MIN_LENGTH or len(_SENTENCE_BREAK.findall(text)) >= 2


def _is_metadata_at(lines: list[Line], index: int) -> bool:
    """A metadata block starts here: "·" now, or one line (authors, organisation) then "·"."""
    if index >= len(lines):
        return False
    if lines[index].text == _SEPARATOR:
        return True
    return index + 1 < len(lines) and lines[index + 1].text == _SEPARATOR


def _metadata_length(lines: list[Line], index: int) -> int:
    """How many lines the metadata block at `index` spans (the date line is optional)."""
    separator = index if lines[index].text == _SEPARATOR else index + 1
    has_date = separator + 1 < len(lines) and _META_DATE.match(lines[separator + 1].text)
    return separator - index + 1 + (1 if has_date else 0)


def _read_metadata(
    entry: Entry,
    lines: list[Line],
    index: int,
    file: str,
    captured: dt.date,
    problems: list[Problem],
) -> Entry:
    """`entry` completed with the metadata block at `index`."""
    if lines[index].text != _SEPARATOR:
        entry = _read_byline(entry, lines[index], file, problems)
        index += 1
    date_line = lines[index + 1] if index + 1 < len(lines) else lines[index]
    match = _META_DATE.match(date_line.text)
    if not match:
        problems.append(Problem(file, lines[index].number, "metadata block without a date line"))
        return entry
    month, day = _month(match["month"]), int(match["day"])
    if match["year"]:
        date = _exact_date(int(match["year"]), month, day)
    else:
        date = _safe_date(month, day, captured)
    if date is None:
        problems.append(Problem(file, date_line.number, f"no such date: {date_line.text!r}"))
    votes = int(match["votes"]) if match["votes"] else None
    return replace(entry, date=date, votes=votes)


def _read_byline(entry: Entry, line: Line, file: str, problems: list[Problem]) -> Entry:
    """The line before "·": an author count ("• 8 authors") or an organisation ("nvidia NVIDIA")."""
    authors = _AUTHORS.match(line.text)
    if authors:
        return replace(entry, authors_count=int(authors["count"]))
    organization = _ORGANIZATION.match(line.text)
    if organization:
        return replace(
            entry, organization=Organization(organization["handle"], organization["name"])
        )
    problems.append(Problem(file, line.number, f"unrecognised metadata line: {line.text[:80]!r}"))
    return entry


def _month(name: str) -> int:
    return dt.datetime.strptime(name, "%b").month


def _exact_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _safe_date(month: int, day: int, captured: dt.date) -> dt.date | None:
    try:
        return infer_year(month, day, captured)
    except ValueError:
        return None
