"""A fake Hugging Face Hub on 127.0.0.1: `/api/papers/search?q=` and `/api/papers/{id}` answered
in the shapes huggingface_hub parses (`HfApi.list_papers`, `HfApi.paper_info`).

Papers are given as `HubPaper`s; `script` queues special answers for a path (a status with a
body, a body that is not JSON, or a hang longer than the client's timeout) that are used up before
the normal answer. Every request's path is logged.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class HubPaper:
    """A paper the fake Hub knows."""

    arxiv_id: str
    title: str
    summary: str
    authors: tuple[str, ...] = ()
    published: str = "2024-01-15T12:00:00.000Z"
    github: str | None = None
    project: str | None = None

    def info(self) -> dict[str, object]:
        """The paper as `/api/papers/{id}` gives it."""
        return {
            "id": self.arxiv_id,
            "authors": [
                {"_id": f"a{n}", "name": name, "hidden": False}
                for n, name in enumerate(self.authors)
            ],
            "publishedAt": self.published,
            "title": self.title,
            "summary": self.summary,
            "upvotes": 3,
            "discussionId": "d1",
            "githubRepo": self.github,
            "projectPage": self.project,
        }

    def hit(self) -> dict[str, object]:
        """The paper as one result of `/api/papers/search` gives it (no code or project page)."""
        paper = {
            key: value
            for key, value in self.info().items()
            if key not in ("githubRepo", "projectPage")
        }
        return {
            "paper": paper,
            "title": self.title,
            "publishedAt": self.published,
            "numComments": 0,
        }


@dataclass
class Answer:
    """A special answer: `status` with `body` (bytes as they are), or `hang` seconds of silence."""

    status: int = 200
    body: bytes = b""
    hang: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeHub:
    """The fake's state: its papers, queued special answers by path, and the paths asked."""

    papers: list[HubPaper]
    script: dict[str, list[Answer]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, path: str, query: dict[str, list[str]]) -> Answer:
        self.log.append(path + (f"?q={query['q'][0]}" if "q" in query else ""))
        queued = self.script.get(path)
        if queued:
            return queued.pop(0)
        if path == "/api/papers/search":
            words = query.get("q", [""])[0].lower().split()
            hits = [p.hit() for p in self.papers if any(w in p.title.lower() for w in words)]
            return Answer(body=json.dumps(hits).encode())
        arxiv_id = unquote(path.removeprefix("/api/papers/"))
        for paper in self.papers:
            if paper.arxiv_id == arxiv_id:
                return Answer(body=json.dumps(paper.info()).encode())
        return Answer(404, b'{"error": "Paper not found"}')


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            answer = hub.answer(parts.path, parse_qs(parts.query))
            if answer.hang:
                hub.release.wait(answer.hang)  # longer than the client waits: a timeout
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (a timeout test)
                self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(hub: FakeHub) -> Iterator[FakeHub]:
    """Run `hub` on a free port of 127.0.0.1 for the block; `hub.url` is its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield hub
    finally:
        hub.release.set()
        server.shutdown()
        server.server_close()
