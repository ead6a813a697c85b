"""Measure search in a real browser: time to the first result shown, and the bytes the browser
fetched for search, with a cold cache for every query. Two ways in:

- typed: the reader presses "/" and types the query at 8 keys a second; timed from the last key.
- pasted: the whole query arrives at once, right after "/": nothing is loaded yet (worst case).

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
import os
import re
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, Request, sync_playwright

# Where Chrome or Chromium is looked for: CHROME_PATH if set, else these names on PATH (Debian's
# chromium, Ubuntu's chromium-browser, Google Chrome as on GitHub's runners).
CHROME_ENV = "CHROME_PATH"
CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
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
# Distinctive words and words most papers share (in the synthetic abstracts "language model" is
# in four papers in five, "scaling" in one in two).
QUERIES = (
    "scaling",
    "quantization",
    "multilingual translation",
    "language model",
    "learning",
    "reasoning",
)
TIMEOUT_MS = 60_000
KEY_DELAY_MS = 125


def find_chrome() -> str:
    """The Chrome or Chromium to drive: `$CHROME_PATH` if set, else the first of `CHROME_NAMES`
    on PATH. None found is a RuntimeError saying how to get one."""
    chosen = os.environ.get(CHROME_ENV)
    if chosen:
        return chosen
    for name in CHROME_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(
        f"no Chrome or Chromium found (looked for {', '.join(CHROME_NAMES)} on PATH): "
        f"install one (`make chromium`) or set {CHROME_ENV}"
    )


@dataclass(frozen=True, slots=True)
class Measurement:
    """One query, cold: seconds from the last key typed, and from pasting, to the first result;
    search bytes fetched for the typed query."""

    query: str
    typed_s: float
    pasted_s: float
    search_kb: float
    results_shown: int


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every query on the site; print a table, optionally write JSON."""
    args = _parser().parse_args(argv)
    with serve(args.site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chrome(), headless=True, args=CHROMIUM_ARGS
        )
        browser.new_page().goto(base_url)  # warm up: the first page of a browser pays its start
        rows = [measure_query(browser, base_url, query) for query in args.query]
        browser.close()
    home = (args.site / "index.html").read_text(encoding="utf-8")
    engine = "pagefind" if "data-pagefind-search" in home else "material"
    print(
        "| engine | query | typed: first results s | pasted: first results s | search KB | results |"
    )
    print("|" + " --- |" * 6)
    for row in rows:
        print(
            f"| {engine} | {row.query} | {row.typed_s} | {row.pasted_s} | {row.search_kb:,} "
            f"| {row.results_shown} |"
        )
    summary = {
        "engine": engine,
        "median_typed_s": statistics.median(row.typed_s for row in rows),
        "median_pasted_s": statistics.median(row.pasted_s for row in rows),
        "max_search_kb": max(row.search_kb for row in rows),
        "queries": [asdict(row) for row in rows],
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 0


def measure_query(browser: Browser, base_url: str, query: str) -> Measurement:
    """Time `query` typed, then pasted, each in a fresh context (cold cache)."""
    typed_s, search_kb, shown = _time_query(browser, base_url, query, typed=True)
    pasted_s, _, _ = _time_query(browser, base_url, query, typed=False)
    return Measurement(query, typed_s, pasted_s, search_kb, shown)


def _time_query(
    browser: Browser, base_url: str, query: str, *, typed: bool
) -> tuple[float, float, int]:
    """Open the home page, press "/", enter `query`; seconds to the first result for it (from
    the last key), search KB fetched, results shown."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[int] = []

    def count(request: Request) -> None:
        if any(part in request.url for part in SEARCH_FILES):
            fetched.append(request.sizes()["responseBodySize"])

    page.on("requestfinished", count)
    page.goto(base_url, wait_until="load")
    page.keyboard.press("/")
    search_box = page.locator(".md-search__input")
    if typed:
        search_box.press_sequentially(query[:-1], delay=KEY_DELAY_MS)
        page.wait_for_timeout(KEY_DELAY_MS)
    started = time.perf_counter()
    if typed:
        search_box.press_sequentially(query[-1])
    else:
        search_box.fill(query)
    # Results for the whole query: Material and our box both put the query's words in <mark>.
    page.locator(_shown(page, query)).first.wait_for(timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    shown = page.locator(RESULT).count()
    context.close()
    return round(seconds, 3), round(sum(fetched) / 1024, 1), shown


def _shown(page: Page, query: str) -> str:
    """A selector that appears once the results for exactly `query` are on screen."""
    if page.locator("[data-pagefind-search]").count():
        return f'[data-shown-query="{query}"] {RESULT}'
    # Material's search has no such marker: wait for its <mark> of the query's last word.
    return f"{RESULT} mark:text-matches('{re.escape(query.rsplit(maxsplit=1)[-1])}', 'i')"


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
