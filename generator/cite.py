"""How reference managers cite a paper: a BibTeX entry and Google Scholar's meta tags. Pure.

Only a paper found on the Hub is cited: without its arXiv id and authors an entry would be a title
and nothing else. The entry is written here rather than with a BibTeX library: it is one `@misc`
record in arXiv's own style, and its one subtlety, escaping TeX's special characters, is a table.
"""

from __future__ import annotations

import re
import unicodedata

from generator.model import Identity, Paper
from generator.urls import arxiv_abs_url, arxiv_pdf_url

# TeX's special characters, as BibTeX fields must spell them.
_TEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_SPECIAL = re.compile("[" + re.escape("".join(_TEX)) + "]")
_KEY_WORD = re.compile(r"[a-z0-9]+")
# Title words too common to name an entry by.
_SMALL = frozenset({"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "towards"})


def bibtex(paper: Paper) -> str | None:
    """A BibTeX `@misc` entry for `paper` (arXiv's style: eprint, archivePrefix, url), keyed
    "<first author's surname><year><first title word>"; None for a paper not found on the Hub."""
    identity = paper.identity
    if identity is None:
        return None
    day = identity.published or paper.date
    fields = [
        ("title", "{" + _tex(paper.title) + "}"),
        ("author", " and ".join(map(_tex, identity.authors))),
        ("year", str(day.year) if day else ""),
        ("eprint", identity.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("url", arxiv_abs_url(identity.arxiv_id)),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@misc{{{_key(paper, identity)},\n{body}}}\n"


def citation_meta(paper: Paper) -> dict[str, object]:
    """Google Scholar's tags for the page's front matter: title, publication date (the Hub's,
    else the dump's), and for a paper found on the Hub its authors, PDF and arXiv id."""
    meta: dict[str, object] = {"citation_title": paper.title}
    identity = paper.identity
    day = (identity.published if identity else None) or paper.date
    if day is not None:
        meta["citation_publication_date"] = day.strftime("%Y/%m/%d")
    if identity is not None:
        if identity.authors:
            meta["citation_authors"] = identity.authors
        meta["citation_pdf_url"] = arxiv_pdf_url(identity.arxiv_id)
        meta["citation_arxiv_id"] = identity.arxiv_id
    return meta


def _tex(text: str) -> str:
    return _TEX_SPECIAL.sub(lambda match: _TEX[match.group()], text)


def _key(paper: Paper, identity: Identity) -> str:
    surname = identity.authors[0].split()[-1] if identity.authors else "anonymous"
    day = identity.published or paper.date
    words = [w for w in _words(paper.title) if w not in _SMALL]
    return "".join(_words(surname)) + (str(day.year) if day else "") + (words[0] if words else "")


def _words(text: str) -> list[str]:
    """The lower-case ASCII words of `text`, accents dropped ("Zoë" gives "zoe")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _KEY_WORD.findall(folded)
