"""Index a built site for search with Pagefind: `python -m generator.search_index [--site DIR]`,
run after `mkdocs build`.

Only paper pages are indexed, and only their title and abstract (the elements the generator marks
`data-pagefind-body`), into one index in `site/pagefind/` that the search box loads piece by piece.

Which Pagefind: 1.6, from npm (`package.json`; `make` runs `npm ci`). Pagefind 1.5 took time
growing with the square of the pages sharing a query's words: at 30,000 papers "scaling", in half
the abstracts, took 2.4 s to rank in one index, so the index was split into shards merged in the
browser. 1.6 ranks one index of 30,000 papers in a fraction of that, and one index ranks fairly:
merged shards were each scored against their own word counts, and for "language" one shard of
six took all twenty top places. The cost is memory while building: one index of 30,000 papers
took Pagefind 3.6 GB (shards of 1,250, four at a time, under 0.5 GB). Where npm gave no binary for this system (its lock lists
Linux's), the PyPI package's 1.5 binary is used, with a notice: the index works the same,
searches on a large site are slower. PAGEFIND_BINARY_PATH, if set, names the binary to use.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from pagefind.service import PagefindService
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # the related papers' list

from generator.urls import PAPERS_DIR

BUNDLE = "pagefind"
STOP_WORDS = "stop-words.json"  # beside the index, read by assets/search.js
PAPER_PAGES = f"{PAPERS_DIR}/*/index.html"
BINARY_VARIABLE = "PAGEFIND_BINARY_PATH"
# Where `npm ci` puts Pagefind's binaries: node_modules/@pagefind/<system>-<cpu>/bin/.
NPM_BINARIES = Path(__file__).resolve().parent.parent / "node_modules" / "@pagefind"
_NPM_SYSTEMS = {"Linux": "linux", "Darwin": "darwin", "Windows": "windows", "FreeBSD": "freebsd"}
_NPM_CPUS = {"x86_64": "x64", "AMD64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}


def npm_binary(binaries: Path = NPM_BINARIES) -> Path | None:
    """Pagefind's binary as npm installed it for this system (the extended one, which also
    segments Chinese and Japanese, if there), or None."""
    system = _NPM_SYSTEMS.get(platform.system())
    cpu = _NPM_CPUS.get(platform.machine())
    if system is None or cpu is None:
        return None
    for name in ("pagefind_extended", "pagefind_extended.exe", "pagefind", "pagefind.exe"):
        path = binaries / f"{system}-{cpu}" / "bin" / name
        if path.is_file():
            return path
    return None


def choose_binary() -> str | None:
    """Make Pagefind's Python API run npm's binary (through PAGEFIND_BINARY_PATH, its way of
    naming one) unless a binary is named already; a notice if npm has none for this system."""
    if os.environ.get(BINARY_VARIABLE):
        return None
    binary = npm_binary(NPM_BINARIES)
    if binary is None:
        return (
            "notice: no Pagefind binary from npm for this system (run `npm ci`); "
            "using the PyPI package's, slower on large sites"
        )
    os.environ[BINARY_VARIABLE] = str(binary)
    return None


def build_index(site: Path) -> int:
    """Index the paper pages of `site` into `site/pagefind/`, with the stop words the search box
    marks no match of; the number of pages indexed."""
    bundle = site / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    pages = asyncio.run(_index(site, bundle))
    write_stop_words(bundle)
    return pages


async def _index(site: Path, bundle: Path) -> int:
    async with PagefindService() as service:
        index = await service.create_index()
        indexed = await index.add_directory(str(site), glob=PAPER_PAGES)
        await index.write_files(str(bundle))
        await index.delete_index()
        return int(indexed["page_count"])


def write_stop_words(bundle: Path) -> None:
    """The English stop words (the list the related papers leave out), as a JSON array in
    `bundle`: the search box marks no match of one."""
    words = sorted(ENGLISH_STOP_WORDS)
    (bundle / STOP_WORDS).write_text(json.dumps(words, separators=(",", ":")) + "\n", "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Index the site; print the pages indexed. Exit 1 if none was."""
    parser = argparse.ArgumentParser(prog="python -m generator.search_index", description=__doc__)
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site")
    args = parser.parse_args(argv)
    if not (args.site / PAPERS_DIR).is_dir():
        parser.error(f"no {PAPERS_DIR}/ folder in {args.site}: build the site first")
    notice = choose_binary()
    if notice:
        print(notice, file=sys.stderr)
    pages = build_index(args.site)
    print(f"search index: {pages} pages")
    return 0 if pages else 1


if __name__ == "__main__":
    sys.exit(main())
