"""The Hugging Face Hub, asked politely: search papers by title and read one by arXiv id, through
huggingface_hub, at a few requests a second, retrying with backoff on 429, 5xx and timeouts.

The only module that touches the network. `HF_ENDPOINT` (huggingface_hub's own setting) points
it at another server; it is read when a `Hub` is made, not when the library was imported.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx2
from huggingface_hub import HfApi, set_client_factory
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.hf_api import PaperInfo

from generator.matching import Found

DEFAULT_ENDPOINT = "https://huggingface.co"
# A few requests a second at most; a request that takes longer than this is a timeout.
MIN_INTERVAL = 0.34
TIMEOUT = 20.0
RETRIES = 4
BACKOFF = 2.0
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
T = TypeVar("T")


class HubError(Exception):
    """A request failed for good (after its retries), or the Hub answered what cannot be read."""


@dataclass(slots=True)
class Hub:
    """A client of the Hub's paper API. `sleep` and `clock` are injectable so tests need not wait;
    `requests` counts the HTTP requests made (retries included)."""

    endpoint: str = field(default_factory=lambda: os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT))
    min_interval: float = MIN_INTERVAL
    timeout: float = TIMEOUT
    retries: int = RETRIES
    backoff: float = BACKOFF
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests: int = 0
    _api: HfApi = field(init=False)
    _last: float = field(init=False, default=-1e9)

    def __post_init__(self) -> None:
        self.endpoint = self.endpoint.rstrip("/")
        self._api = HfApi(endpoint=self.endpoint, token=False)
        # huggingface_hub's shared client waits forever by default; this one gives up.
        timeout = self.timeout
        set_client_factory(lambda: httpx2.Client(timeout=timeout, follow_redirects=True))

    def search(self, title: str) -> tuple[Found, ...]:
        """The papers the Hub's search returns for `title` (a HubError when it cannot say)."""
        return self._call(lambda: tuple(map(_found, self._api.list_papers(query=title))))

    def paper(self, arxiv_id: str) -> Found:
        """The paper with this arXiv id, with its authors, code and project page."""
        return self._call(lambda: _found(self._api.paper_info(arxiv_id)))

    def _call(self, request: Callable[[], T]) -> T:
        """`request` run after the pause the rate asks for, retried on 408, 429, 5xx, timeouts
        and dropped connections (waiting `backoff` seconds, doubled each time, or as long as a
        Retry-After header says); any other failure, or the last, is a HubError."""
        for attempt in range(self.retries + 1):
            self._pause()
            self.requests += 1
            try:
                return request()
            except HfHubHTTPError as error:
                status = error.response.status_code if error.response is not None else 0
                if status not in _RETRY_STATUS or attempt == self.retries:
                    raise HubError(f"HTTP {status} from the Hub") from error
                wait = _retry_after(error) or self.backoff * 2**attempt
            except (httpx2.TimeoutException, httpx2.NetworkError) as error:
                if attempt == self.retries:
                    raise HubError(f"no answer from the Hub: {type(error).__name__}") from error
                wait = self.backoff * 2**attempt
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                raise HubError(f"the Hub's answer cannot be read: {error}") from error
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self) -> None:
        wait = self._last + self.min_interval - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last = self.clock()


def _retry_after(error: HfHubHTTPError) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), at most a minute."""
    value = error.response.headers.get("Retry-After") if error.response is not None else None
    if not value:
        return None
    if value.strip().isdigit():
        return min(float(value), 60.0)
    when = email.utils.parsedate_to_datetime(value)
    return min(max(when.timestamp() - time.time(), 0.0), 60.0)


def _found(info: PaperInfo) -> Found:
    """What the lock file records of a PaperInfo (authors in order, hidden ones left out)."""
    if not info.id:
        raise ValueError("a paper without an id")
    return Found(
        arxiv_id=str(info.id),
        title=info.title or "",
        summary=info.summary or "",
        authors=tuple(a.name for a in info.authors or () if a.name and not a.hidden),
        published=info.published_at.date().isoformat() if info.published_at else None,
        code_url=info.github_repo or None,
        project_url=info.project_page or None,
    )
