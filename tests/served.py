"""A built site served on 127.0.0.1 and Chromium to look at it: shared by the browser tests
and the screenshot script."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Browser, Playwright, ViewportSize

from benchmarks.search import CHROMIUM_ARGS, find_chrome
from tests.conftest import ROOT, run_generator, run_mkdocs

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 812}
SITE_URL: str = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


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


def build_for(project: Path, origin: str) -> Path:
    """Generate and build the site in `project` with `origin` as its site_url (the feed links in
    every page's head are absolute, so they then point at the served copy); the built folder.
    A failing generator or MkDocs raises RuntimeError with its output."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(f"site_url: {SITE_URL}", f"site_url: {origin}"), "utf-8")
    for run in (run_generator, run_mkdocs):
        result = run(project)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
    return project / "site"


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with background networking, updates and sync off."""
    return playwright.chromium.launch(
        executable_path=find_chrome(), headless=True, args=CHROMIUM_ARGS
    )
