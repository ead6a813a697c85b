"""Index a built site for search with Pagefind, split into shards:
`python -m generator.search_index [--site DIR] [--shard-size N]`, run after `mkdocs build`.

Only paper pages are indexed, and only their title and abstract (the elements the generator marks
`data-pagefind-body`). The papers are dealt into shards of at most `--shard-size` by a hash of
their slug (a paper stays in its shard from build to build while the count of shards holds).
The first shard is the bundle itself (`site/pagefind/`, with Pagefind's scripts); each other
shard is an index of its own in `site/pagefind/shard-<n>/`, listed in `site/pagefind/shards.json`,
which the search box merges into every search (Pagefind's `mergeIndex`).

Why shards: Pagefind's ranking (in its WebAssembly) matches every page that has a query's words
against every entry of those words, so its time grows with the square of the pages that share a
word. At 30,000 papers "scaling", in half the abstracts, took 2.4 s to rank in one index; in 24
shards of 1,250 papers the same search ranks in a tenth of that. But each shard costs the browser
its own small metadata file and one index chunk (about 20 KB) per query word, so shards are no
smaller than they need to be: at 30,000 papers a two-word query fetches about 1.5 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from pagefind.service import PagefindService

from generator.urls import PAPERS_DIR

BUNDLE = "pagefind"
SHARDS_FILE = "shards.json"
SHARD_SIZE = 1250
# Shards indexed at the same time: Pagefind's service works on them in parallel.
_AT_ONCE = 4
# Slugs are lowercase ASCII words and hyphens (generator/urls.py), so none needs escaping in a
# Pagefind (Wax) glob; anything else is refused rather than matched wrongly.
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
# What a secondary shard needs in the browser: its entry file, metadata, index chunks and
# fragments. Pagefind also writes its scripts and WebAssembly into every bundle; only the first
# shard's are loaded.
_SHARD_FILES = ("pagefind-entry.json", "*.pf_meta", "index", "fragment", "filter")
# Pagefind refuses a glob longer than 128 KiB ("did not parse as a valid glob"), and a shard of
# 1,250 papers whose slugs are all 80 characters long comes close: a shard's pages are added
# with as many globs under this length as they need.
GLOB_LIMIT = 100_000


def plan_shards(slugs: Sequence[str], shard_size: int = SHARD_SIZE) -> list[list[str]]:
    """Deal `slugs` into the fewest shards of at most about `shard_size` papers, by a hash of
    each slug; each shard sorted. Always at least one shard."""
    if shard_size < 1:
        raise ValueError("shard size must be at least 1")
    count = max(1, -(-len(slugs) // shard_size))
    shards: list[list[str]] = [[] for _ in range(count)]
    for slug in sorted(slugs):
        digest = hashlib.sha1(slug.encode("utf-8"), usedforsecurity=False).digest()
        shards[int.from_bytes(digest[:8], "big") % count].append(slug)
    return shards


def paper_slugs(site: Path) -> list[str]:
    """The slugs of the paper pages in the built `site`."""
    slugs = sorted(page.parent.name for page in (site / PAPERS_DIR).glob("*/index.html"))
    odd = [slug for slug in slugs if not _SLUG.fullmatch(slug)]
    if odd:
        raise ValueError(f"paper folders whose names are not slugs: {odd[:5]}")
    return slugs


def shard_dir(number: int) -> str:
    """The folder of shard `number` inside the bundle ("" for the bundle itself)."""
    return "" if number == 0 else f"shard-{number}/"


def shard_globs(slugs: Sequence[str], limit: int = GLOB_LIMIT) -> list[str]:
    """Globs, each at most `limit` characters, that together match the paper pages of `slugs`
    and nothing else; no glob at all for no slugs."""
    globs: list[str] = []
    batch: list[str] = []
    overhead = len(_glob([]))
    length = overhead
    for slug in slugs:
        if batch and length + len(slug) + 1 > limit:
            globs.append(_glob(batch))
            batch, length = [], overhead
        batch.append(slug)
        length += len(slug) + 1
    if batch:
        globs.append(_glob(batch))
    return globs


def _glob(slugs: Sequence[str]) -> str:
    return f"{PAPERS_DIR}/{{{','.join(slugs)}}}/index.html"


def build_index(site: Path, shard_size: int = SHARD_SIZE) -> list[int]:
    """Index the paper pages of `site` into `site/pagefind/`; the number of pages in each shard."""
    shards = plan_shards(paper_slugs(site), shard_size)
    bundle = site / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    counts = asyncio.run(_index(site, shards))
    for number in range(1, len(shards)):
        _keep_only_index_files(bundle / shard_dir(number))
    listed = [shard_dir(number) for number in range(1, len(shards))]
    (bundle / SHARDS_FILE).write_text(json.dumps(listed) + "\n", encoding="utf-8")
    return counts


async def _index(site: Path, shards: Sequence[Sequence[str]]) -> list[int]:
    """Index the shards with one Pagefind service, `_AT_ONCE` at a time (its memory holds only
    those), writing shard n into its folder of the bundle; the pages in each shard."""
    limit = asyncio.Semaphore(_AT_ONCE)
    async with PagefindService() as service:

        async def one(number: int, slugs: Sequence[str]) -> int:
            async with limit:
                index = await service.create_index()
                pages = 0
                for glob in shard_globs(slugs, GLOB_LIMIT) or ["-"]:  # "-": a site of no papers
                    pages += (await index.add_directory(str(site), glob=glob))["page_count"]
                await index.write_files(str(site / BUNDLE / shard_dir(number)))
                await index.delete_index()
                return pages

        return list(await asyncio.gather(*(one(n, slugs) for n, slugs in enumerate(shards))))


def _keep_only_index_files(folder: Path) -> None:
    keep = {path for pattern in _SHARD_FILES for path in folder.glob(pattern)}
    for path in folder.iterdir():
        if path not in keep:
            path.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    """Index the site; print the pages per shard. Exit 1 if no page was indexed."""
    parser = argparse.ArgumentParser(prog="python -m generator.search_index", description=__doc__)
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site")
    parser.add_argument(
        "--shard-size", type=int, default=SHARD_SIZE, help="papers per shard, at most"
    )
    args = parser.parse_args(argv)
    if args.shard_size < 1:
        parser.error("--shard-size must be at least 1")
    if not (args.site / PAPERS_DIR).is_dir():
        parser.error(f"no {PAPERS_DIR}/ folder in {args.site}: build the site first")
    counts = build_index(args.site, args.shard_size)
    print(f"search index: {sum(counts)} pages in {len(counts)} shards {counts}")
    return 0 if sum(counts) else 1


if __name__ == "__main__":
    sys.exit(main())
