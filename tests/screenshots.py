"""Screenshots of the seed site for the README: `make screenshots` (or `python -m
tests.screenshots`) builds the seed dumps into a temporary folder, serves it on 127.0.0.1 and
saves the home, a topic and a paper page, on a desktop and on a phone, into screenshots/."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

from tests.conftest import ROOT, copy_project
from tests.served import DESKTOP, PHONE, PUBLISHED_URL, build_for, launch, origin_of, serve

OUTPUT = ROOT / "screenshots"
TOPIC = "topics/reasoning/"
VIEWPORTS: dict[str, ViewportSize] = {"desktop": DESKTOP, "phone": PHONE}


def take_screenshots(output: Path) -> list[Path]:
    """Build and serve the seed site, save home-, topic- and paper-{desktop,phone}.png in
    `output` (created if missing); the files written."""
    output.mkdir(exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        server = serve(project / "site")
        origin = origin_of(server)
        try:
            site = build_for(project)
            papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
            pages = {
                "home": "",
                "topic": TOPIC,
                "paper": papers[0]["url"].removeprefix(PUBLISHED_URL),
            }
            with sync_playwright() as playwright:
                browser = launch(playwright)
                for size, viewport in VIEWPORTS.items():
                    tab = browser.new_page(viewport=viewport, color_scheme="light")
                    for name, path in pages.items():
                        tab.goto(origin + path, wait_until="networkidle")
                        written.append(output / f"{name}-{size}.png")
                        tab.screenshot(path=written[-1])
                    tab.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return written


if __name__ == "__main__":
    for path in take_screenshots(OUTPUT):
        print(path.relative_to(ROOT))
