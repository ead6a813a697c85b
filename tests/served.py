"""A built site served on 127.0.0.1 and Chromium to look at it: shared by the browser tests
and the screenshot script."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Playwright, ViewportSize

from benchmarks.search import CHROMIUM_ARGS, find_chrome
from tests.conftest import run_generator, run_mkdocs

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 812}
# The address the test sites are built for: a host the tests never serve, so a page that
# reached for it (a feed link, a sitemap) would show as a request leaving the local server.
PUBLISHED_URL = "https://someone.github.io/trail/"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the output clean: no line per request."""


def serve(folder: Path) -> ThreadingHTTPServer:
    """Serve `folder` (created if missing) on 127.0.0.1, any free port, in a daemon thread.
    Stop it with `shutdown()` and `server_close()`."""
    folder.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def origin_of(server: ThreadingHTTPServer) -> str:
    """The server's origin with a trailing slash, such as http://127.0.0.1:41234/."""
    return f"http://127.0.0.1:{server.server_address[1]}/"


def build_for(project: Path) -> Path:
    """Generate and build the site in `project` for `PUBLISHED_URL`, as the publish workflow
    does for its host; the built folder. A failing generator or MkDocs raises RuntimeError with
    its output."""
    for result in (
        run_generator(project, site_url=PUBLISHED_URL),
        run_mkdocs(project, site_url=PUBLISHED_URL),
    ):
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
    return project / "site"


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with background networking, updates and sync off."""
    return playwright.chromium.launch(
        executable_path=find_chrome(), headless=True, args=CHROMIUM_ARGS
    )
