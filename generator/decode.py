"""Turn a dump's bytes into text and tidy lines, or refuse a file that is not a text dump at all.

`decode_dump` chooses the encoding and refuses what is not text; `content_lines` splits the text
into numbered, tidied lines for the parser (`parse.py` describes what tidying removes).

A curator saves a Daily Papers page as text. What else lands in `dumps/` by mistake is told
apart by measurable signals, in this order (the parser's module docstring lists them too):

1. A byte-order mark names the encoding: UTF-8, UTF-32 or UTF-16 (either byte order). UTF-16
   and UTF-32 are decoded, not refused: "Save as Unicode" in some editors writes them. A file
   with a UTF-16 or UTF-32 mark that does not decode as such is refused.
2. No mark, but at least `_WIDE_NUL_SHARE` of the bytes are NUL: UTF-32 and UTF-16 are tried,
   each byte order, and the first that decodes into text at least half ASCII (NUL aside) is
   used. An English dump in UTF-16 is about half NUL bytes, one in UTF-8 has none.
3. Anything else is UTF-8; bytes that are not are shown as U+FFFD, with a warning naming the
   line of the first one (a Latin-1 accent should not cost the rest of the file).
4. Binary data: `_BINARY_SHARE` or more of the decoded characters are U+FFFD or control
   characters other than tab, line and page breaks (random bytes give about 55%; a dump with a
   stray control character, well under 1%). Refused.
5. A saved web page: the text opens with `<!DOCTYPE html` or `<html`, or more than
   `_TAG_LINE_SHARE` of its non-blank lines, and at least `_TAG_LINES_MIN`, start with an HTML
   tag or comment (a saved page: nearly all; the hostile fixture of titles made of markup: under
   10%; a dump has an abstract line per title, so even titles that all start with a tag are
   half its lines at most). Refused.

A refused file gives no papers and exactly one warning, naming the file, saying what it looks
like and what to do.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from generator.model import Problem

_WIDE_NUL_SHARE = 0.1
_ASCII_SHARE = 0.5
_BINARY_SHARE = 0.1
_TAG_LINE_SHARE = 0.5
_TAG_LINES_MIN = 10
# UTF-32 marks first: the UTF-32-LE mark begins with the UTF-16-LE one.
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
_NOT_TEXT = re.compile("[\ufffd\x00-\x08\x0e-\x1f\x7f-\x9f]")
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html)\b", re.IGNORECASE)
_TAG_START = re.compile(r"\s*(?:<[a-z][a-z0-9-]*(?:\s[^<>]*)?>|</[a-z][a-z0-9-]*\s*>|<!--)", re.I)
_AS_TEXT = "save the page as plain text: select all, copy, paste"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_REMOVED = (
    (_CONTROL, "control characters removed"),
    (_BIDI, "bidirectional formatting characters removed (they could reorder the page)"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

Decoded = tuple[str | None, tuple[Problem, ...]]


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of a dump, tidied, and its number in the file (from 1)."""

    number: int
    text: str


def decode_dump(data: bytes, file: str) -> Decoded:
    """Decode a dump's bytes (see the module docstring for how the encoding is chosen).

    Returns the text and the problems met; a file that is not a text dump (binary data, a saved
    web page, a broken UTF-16 or UTF-32 file) gives None and the one warning that refuses it.
    """
    for mark, codec, name in _MARKS:
        if data.startswith(mark):
            try:
                return _judged(data[len(mark) :].decode(codec), file, ())
            except UnicodeDecodeError:
                message = f"starts with a {name} byte-order mark but is not {name} text"
                return None, (_refusal(file, message, "save the dump as UTF-8"),)
    if data.count(0) >= _WIDE_NUL_SHARE * len(data) > 0:
        wide = _wide_text(data)
        if wide is not None:
            return _judged(wide, file, ())
    text, problems = _utf8(data.removeprefix(codecs.BOM_UTF8), file)
    return _judged(text, file, problems)


def _wide_text(data: bytes) -> str | None:
    """`data` as UTF-32 or UTF-16 text, if one of them reads it as mostly ASCII."""
    for codec in _WIDE:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        ascii_share = sum(1 for char in text if "\0" < char < "\x80") / len(text)
        if ascii_share >= _ASCII_SHARE:
            return text
    return None


def _utf8(body: bytes, file: str) -> tuple[str, tuple[Problem, ...]]:
    """UTF-8 text; bad bytes become U+FFFD, reported once with the line of the first."""
    # Not "utf-8-sig": its error offsets would skip the byte-order mark.
    try:
        return body.decode("utf-8"), ()
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        message = "bytes that are not UTF-8; they are shown as U+FFFD (save the dump as UTF-8)"
        return body.decode("utf-8", errors="replace"), (Problem(file, line, message),)


def _judged(text: str, file: str, problems: tuple[Problem, ...]) -> Decoded:
    """`text` and `problems`, or a refusal if the text is binary data or a web page."""
    not_text = len(_NOT_TEXT.findall(text))
    if text and not_text >= _BINARY_SHARE * len(text):
        share = f"{not_text / len(text):.0%} of its characters are not text"
        return None, (_refusal(file, f"binary data ({share})", _AS_TEXT),)
    if _HTML_START.match(text):
        return None, (_refusal(file, "a web page saved as HTML", _AS_TEXT),)
    lines = [line for line in text.splitlines() if line.strip()]
    tags = sum(1 for line in lines if _TAG_START.match(line))
    if tags >= _TAG_LINES_MIN and tags > _TAG_LINE_SHARE * len(lines):
        share = f"{tags / len(lines):.0%} of its lines start with a tag"
        return None, (_refusal(file, f"a web page saved as HTML ({share})", _AS_TEXT),)
    return text, problems


def _refusal(file: str, looks_like: str, advice: str) -> Problem:
    return Problem(file, None, f"not a text dump, refused: {looks_like}; {advice}")


def content_lines(text: str, file: str, problems: list[Problem]) -> list[Line]:
    """Non-blank lines with their numbers; whitespace tidied, control characters removed."""
    # Most dumps hold no line that needs cleaning: the whole text is checked once, and only a
    # text with something to remove or normalise is checked line by line.
    removals = [(pattern, message) for pattern, message in _REMOVED if pattern.search(text)]
    normalized = unicodedata.is_normalized("NFC", text)
    raw_lines = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        cleaned = raw
        for pattern, message in removals:
            if pattern.search(cleaned):
                problems.append(Problem(file, number, message))
                cleaned = pattern.sub("", cleaned)
        if not normalized and not unicodedata.is_normalized("NFC", cleaned):
            cleaned = unicodedata.normalize("NFC", cleaned)
        # str.split() splits on exactly the characters \s matches; it is several times faster.
        tidy = " ".join(cleaned.split())
        if tidy:
            lines.append(Line(number, tidy))
    return lines
