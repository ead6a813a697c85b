"""Measure search in a real browser: time from typing a query to the first result shown, and the
bytes the browser fetched for search, with a cold cache for every query.

    python benchmarks/search.py SITE_DIR [--query WORDS ...] [--json FILE]

SITE_DIR is a built site (`site/`), searched with whichever engine it was built with: Pagefind
(our search box) or Material's built-in search; both show results as `.md-search-result__item`.
The site is served on 127.0.0.1 from a thread; Chromium runs headless through Playwright.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from playwright.sync_api import Browser, Request, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULT = ".md-search-result__item"
SEARCH_FILES = ("/pagefind/", "/search/search_index.json", "/workers/search.")
QUERIES = ("scaling", "quantization", "multilingual translation")
TIMEOUT_MS = 60_000


@dataclass(frozen=True, slots=True)
class Measurement:
    """One query, cold: seconds from typing to the first result, search bytes fetched."""

    query: str
    seconds: float
    search_kb: float
    results_shown: int


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every query on the site; print a table, optionally write JSON."""
    args = _parser().parse_args(argv)
    with serve(args.site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        rows = [measure_query(browser, base_url, query) for query in args.query]
        browser.close()
    home = (args.site / "index.html").read_text(encoding="utf-8")
    engine = "pagefind" if "data-pagefind-search" in home else "material"
    print(f"| engine | query | first results s | search KB fetched | results |\n|{' --- |' * 5}")
    for row in rows:
        print(
            f"| {engine} | {row.query} | {row.seconds} | {row.search_kb:,} | {row.results_shown} |"
        )
    summary = {
        "engine": engine,
        "median_s": statistics.median(row.seconds for row in rows),
        "max_search_kb": max(row.search_kb for row in rows),
        "queries": [asdict(row) for row in rows],
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 0


def measure_query(browser: Browser, base_url: str, query: str) -> Measurement:
    """Open the home page in a fresh context (cold cache), press "/", type `query`, wait."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[int] = []

    def count(request: Request) -> None:
        if any(part in request.url for part in SEARCH_FILES):
            fetched.append(request.sizes()["responseBodySize"])

    page.on("requestfinished", count)
    page.goto(base_url, wait_until="load")
    page.keyboard.press("/")
    started = time.perf_counter()
    page.locator(".md-search__input").fill(query)
    page.wait_for_selector(RESULT, timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    shown = page.locator(RESULT).count()
    context.close()
    return Measurement(query, round(seconds, 3), round(sum(fetched) / 1024, 1), shown)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on a free port of 127.0.0.1 from a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="benchmarks/search.py", description=__doc__)
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--query", nargs="+", default=list(QUERIES), help="queries to time")
    parser.add_argument("--json", type=Path, help="write the measurements to this JSON file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
