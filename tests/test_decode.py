"""Decoding a dump's bytes: UTF-8, UTF-16 and UTF-32 read; binary data and web pages refused."""

from __future__ import annotations

import codecs
import html
import random
from pathlib import Path

import pytest

from generator.decode import decode_dump

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "dumps" / "003_5bc1377f66e9d0d6.txt").read_text(encoding="utf-8")
AS_TEXT = "save the page as plain text: select all, copy, paste"


@pytest.mark.parametrize(
    "codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_utf16_and_utf32_with_or_without_a_byte_order_mark_read_as_utf8_does(codec: str) -> None:
    assert decode_dump(SEED.encode(codec), "wide.txt") == (SEED, ())


def test_a_utf16_byte_order_mark_on_bytes_that_are_not_utf16_refuses_the_file() -> None:
    data = codecs.BOM_UTF16_LE + b"\x00\xd8\x00\xd8"  # two high surrogates: not UTF-16
    assert [str(p) for p in decode_dump(data, "bad.txt")[1]] == [
        "bad.txt: warning: not a text dump, refused: starts with a UTF-16 byte-order mark but "
        "is not UTF-16 text; save the dump as UTF-8"
    ]
    assert decode_dump(data, "bad.txt")[0] is None


def _page(doctype: str) -> str:
    lines = [line for line in SEED.splitlines() if line.strip()]
    cards = "\n".join(
        f'<div class="card"><a href="/p/{n}">{html.escape(line)}</a></div>'
        for n, line in enumerate(lines)
    )
    return f"{doctype}<body>\n{cards}\n</body>\n"


@pytest.mark.parametrize(
    ("text", "looks_like"),
    [
        (_page("<!DOCTYPE html>\n<html>"), "a web page saved as HTML"),
        (_page("  <html lang=en>"), "a web page saved as HTML"),
        (_page(""), "a web page saved as HTML (100% of its lines start with a tag)"),
    ],
)
def test_a_saved_web_page_is_refused_with_one_message(text: str, looks_like: str) -> None:
    decoded, problems = decode_dump(text.encode("utf-8"), "page.txt")
    assert decoded is None
    assert [str(p) for p in problems] == [
        f"page.txt: warning: not a text dump, refused: {looks_like}; {AS_TEXT}"
    ]


def test_random_bytes_are_refused_as_binary_data() -> None:
    data = random.Random(15).randbytes(300_000)
    decoded, problems = decode_dump(data, "noise.txt")
    assert decoded is None
    assert [str(p) for p in problems] == [
        "noise.txt: warning: not a text dump, refused: binary data (55% of its characters are "
        f"not text); {AS_TEXT}"
    ]


def test_bytes_mostly_nul_that_read_as_no_wide_text_are_binary() -> None:
    data = b"\x00" * 900 + b"\x01\x02" * 50
    decoded, problems = decode_dump(data, "zeros.txt")
    assert decoded is None
    assert "binary data (100% of its characters are not text)" in str(problems[0])


def test_markup_inside_a_dump_is_no_web_page() -> None:
    """Titles made of tags are a minority of a dump's lines: every abstract is a line too."""
    abstract = "We study markup in titles. It is text. " * 10
    text = "".join(f"<b>Title {n}</b>\n\n{abstract}\n\n" for n in range(20))
    assert decode_dump(text.encode("utf-8"), "tags.txt") == (text, ())


def test_a_few_stray_control_characters_are_no_binary_data() -> None:
    text = "Title\x00 With a NUL\n\n" + "An abstract of a paper. " * 20
    assert decode_dump(text.encode("utf-8"), "nul.txt") == (text, ())
