"""The resolver against a fake Hub on 127.0.0.1: what it accepts, rejects, retries and keeps."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.hub import Hub, HubError
from generator.lock import LOCK_NAME, LockEntry, Status, read_lock, write_lock
from generator.matching import ABSTRACT_AGREEMENT, Found, abstract_agreement, choose
from generator.model import Identity, Paper
from generator.resolve import Tally, resolve_all
from tests.fakehub import Answer, FakeHub, HubPaper, serve

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)
ABSTRACT = (
    "We study how the loss of neural language models scales with model size, dataset size and "
    "the compute used for training. The loss follows a power law in each over seven orders of "
    "magnitude, and larger models are markedly more sample efficient."
)
SCALING = HubPaper(
    "2001.08361",
    "Scaling Laws for Neural Language Models",
    ABSTRACT,
    ("Jared Kaplan", "Sam McCandlish"),
    "2020-01-23T00:00:00.000Z",
    github="https://github.com/openai/scaling",
    project="https://openai.com/scaling",
)
ATTENTION = HubPaper(
    "1706.03762",
    "Attention Is All You Need",
    "The dominant sequence transduction models are based on recurrent networks.",
    ("Ashish Vaswani", "Noam Shazeer"),
    "2017-06-12T00:00:00.000Z",
)


def _paper(title: str, abstract: str = "", paper_id: str | None = None) -> Paper:
    key = paper_id or title.lower().replace(" ", "-")
    return Paper(key, title, (), abstract, ("c",), dt.date(2025, 3, 11))


def _hub(fake: FakeHub, **options: float) -> Hub:
    """A client of `fake` that never waits: no rate pause, backoff recorded, not slept."""
    options = {"min_interval": 0.0, "backoff": 0.0, "retries": 2} | options
    return Hub(endpoint=fake.url, sleep=lambda _seconds: None, **options)  # type: ignore[arg-type]


def _run(
    fake: FakeHub, papers: list[Paper], lock: dict[str, LockEntry] | None = None, **options: float
) -> tuple[dict[str, LockEntry], Tally]:
    lock = {} if lock is None else lock
    tally = resolve_all(
        papers, lock, _hub(fake, **options), lambda _l: None, lambda: NOW, progress=False
    )
    return lock, tally


@pytest.fixture
def fake() -> Iterator[FakeHub]:
    with serve(FakeHub([SCALING, ATTENTION])) as hub:
        yield hub


# --- Matching: pure -----------------------------------------------------------------------------


def _found(title: str, summary: str = "") -> Found:
    return Found("2401.00001", title, summary, ())


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Scaling Laws for Neural Language Models", "Scaling Laws for Neural Language Models"),
        ("scaling laws for neural language models", "Scaling Laws for Neural Language Models"),
        ("Scaling Laws: for Neural  Language-Models!", "Scaling laws for neural language models"),
    ],
)
def test_titles_that_differ_only_in_case_punctuation_and_spacing_agree(
    ours: str, theirs: str
) -> None:
    chosen = choose(ours, "", [_found(theirs)])
    assert chosen is not None and chosen.how == "title"


def test_a_near_title_with_another_abstract_is_rejected() -> None:
    near = _found("Scaling Laws for Neural Machine Translation", "We study translation models.")
    assert choose("Scaling Laws for Neural Language Models", ABSTRACT, [near]) is None


def test_a_retitled_paper_is_accepted_on_an_abstract_that_agrees_closely() -> None:
    edited = ABSTRACT.replace("markedly", "significantly")  # one word of 39
    retitled = _found("Scaling Laws for Language Models", edited)
    chosen = choose("Scaling Laws for Neural Language Models", ABSTRACT, [retitled])
    assert chosen is not None and chosen.how.startswith("abstract 0.9")


def test_abstract_agreement_is_word_order_agreement() -> None:
    assert abstract_agreement(ABSTRACT, ABSTRACT.upper()) == 1.0
    first_half = " ".join(ABSTRACT.split()[:20])
    assert abstract_agreement(ABSTRACT, first_half) < ABSTRACT_AGREEMENT
    assert abstract_agreement(ABSTRACT, "") == 0.0


# --- Against the fake Hub -----------------------------------------------------------------------


def test_an_exact_match_is_resolved_with_the_papers_details(fake: FakeHub) -> None:
    lock, tally = _run(fake, [_paper(SCALING.title, ABSTRACT)])
    entry = lock["scaling-laws-for-neural-language-models"]
    assert entry.status is Status.RESOLVED and entry.match == "title"
    assert entry.identity == Identity(
        "2001.08361",
        SCALING.title,
        ("Jared Kaplan", "Sam McCandlish"),
        dt.date(2020, 1, 23),
        "https://github.com/openai/scaling",
        "https://openai.com/scaling",
    )
    assert entry.checked == NOW
    assert fake.log[-1] == "/api/papers/2001.08361"
    assert (tally.resolved, tally.unresolved, tally.errors) == (1, 0, 0)


def test_a_match_differing_in_case_and_punctuation_is_resolved(fake: FakeHub) -> None:
    lock, _ = _run(fake, [_paper("attention is all you need!", paper_id="a")])
    assert lock["a"].status is Status.RESOLVED
    assert lock["a"].identity is not None and lock["a"].identity.arxiv_id == "1706.03762"


def test_a_near_title_is_unresolved_with_its_candidates(fake: FakeHub) -> None:
    lock, tally = _run(
        fake, [_paper("Scaling Laws for Neural Machine Translation", "Translation.", "s")]
    )
    entry = lock["s"]
    assert entry.status is Status.UNRESOLVED and entry.identity is None
    assert [c.arxiv_id for c in entry.candidates] == ["2001.08361"]
    assert tally.unresolved == 1


def test_no_result_is_unresolved_with_no_candidates(fake: FakeHub) -> None:
    lock, _ = _run(fake, [_paper("Zzyzx", paper_id="z")])
    assert lock["z"].status is Status.UNRESOLVED and lock["z"].candidates == ()


def test_429_then_success_is_retried_after_the_servers_wait() -> None:
    waits: list[float] = []
    with serve(FakeHub([SCALING])) as fake:
        fake.script["/api/papers/search"] = [Answer(429, b"{}", headers={"Retry-After": "3"})]
        hub = Hub(endpoint=fake.url, min_interval=0.0, sleep=waits.append)
        lock: dict[str, LockEntry] = {}
        tally = resolve_all(
            [_paper(SCALING.title, paper_id="k")], lock, hub, lambda _l: None, lambda: NOW, False
        )
    assert lock["k"].status is Status.RESOLVED and tally.errors == 0
    assert waits == [3.0] and hub.requests == 3


def test_a_500_is_retried_with_backoff_and_then_counted_as_an_error() -> None:
    waits: list[float] = []
    with serve(FakeHub([SCALING])) as fake:
        fake.script["/api/papers/search"] = [Answer(500, b"{}")] * 3
        hub = Hub(endpoint=fake.url, min_interval=0.0, backoff=1.0, retries=2, sleep=waits.append)
        lock: dict[str, LockEntry] = {}
        tally = resolve_all(
            [_paper(SCALING.title, paper_id="k")], lock, hub, lambda _l: None, lambda: NOW, False
        )
    assert lock == {} and tally.errors == 1
    assert waits == [1.0, 2.0]


def test_a_timeout_is_retried(fake: FakeHub) -> None:
    fake.script["/api/papers/search"] = [Answer(hang=5.0)]
    lock, _ = _run(fake, [_paper(SCALING.title, paper_id="k")], timeout=0.3)
    assert lock["k"].status is Status.RESOLVED
    assert fake.log.count(f"/api/papers/search?q={SCALING.title}") == 2


def test_malformed_json_is_an_error_and_not_recorded(fake: FakeHub) -> None:
    fake.script["/api/papers/search"] = [Answer(200, b"{not json")]
    lock, tally = _run(fake, [_paper(SCALING.title, paper_id="k")])
    assert lock == {} and tally.errors == 1


def test_requests_are_spaced_by_the_rate_limit() -> None:
    waits: list[float] = []
    ticks = iter([0.0, 0.0, 0.1, 0.34])  # the clock before and after each pause
    hub = Hub(
        endpoint="http://127.0.0.1:9",
        min_interval=0.34,
        sleep=waits.append,
        clock=lambda: next(ticks),
    )
    hub._pause()
    hub._pause()
    assert waits == [pytest.approx(0.24)]


def test_an_interrupted_run_keeps_what_it_found_and_the_next_run_carries_on(
    fake: FakeHub, tmp_path: Path
) -> None:
    papers = [_paper(SCALING.title, paper_id="a"), _paper(ATTENTION.title, paper_id="b")]

    def save_then_stop(entries: dict[str, LockEntry]) -> None:
        write_lock(tmp_path, entries)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        resolve_all(papers, {}, _hub(fake), save_then_stop, lambda: NOW, False)
    assert set(read_lock(tmp_path)) == {"a"}
    fake.log.clear()
    lock = read_lock(tmp_path)
    resolve_all(papers, lock, _hub(fake), lambda e: write_lock(tmp_path, e), lambda: NOW, False)
    assert set(read_lock(tmp_path)) == {"a", "b"}
    assert not any(SCALING.title in path for path in fake.log)  # "a" was not asked again


def test_hand_edits_are_left_alone(fake: FakeHub, tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text(
        "papers:\n"
        "  a:\n    title: Scaling Laws for Neural Language Models\n    status: pinned\n"
        "    arxiv_id: '2001.99999'\n    authors: [Someone Else]\n"
        "  b:\n    title: Attention Is All You Need\n    status: not-on-hub\n",
        encoding="utf-8",
    )
    before = (tmp_path / LOCK_NAME).read_text(encoding="utf-8")
    lock = read_lock(tmp_path)
    papers = [_paper(SCALING.title, paper_id="a"), _paper(ATTENTION.title, paper_id="b")]
    tally = resolve_all(
        papers, lock, _hub(fake), lambda e: write_lock(tmp_path, e), lambda: NOW, False
    )
    assert fake.log == [] and tally.resolved == tally.unresolved == 0
    assert (tmp_path / LOCK_NAME).read_text(encoding="utf-8") == before


def test_a_pin_without_details_is_filled_in_and_keeps_its_id(fake: FakeHub) -> None:
    pin = LockEntry("mine", Status.PINNED, Identity("1706.03762", "", ()))
    lock, _ = _run(fake, [_paper("A title the Hub does not use", paper_id="p")], {"p": pin})
    entry = lock["p"]
    assert entry.status is Status.PINNED and entry.title == "mine"
    assert entry.identity is not None and entry.identity.authors == ATTENTION.authors
    assert fake.log == ["/api/papers/1706.03762"]


def test_a_lock_file_round_trips(tmp_path: Path, fake: FakeHub) -> None:
    lock, _ = _run(fake, [_paper(SCALING.title, paper_id="a"), _paper("Zzyzx", paper_id="z")])
    write_lock(tmp_path, lock)
    assert read_lock(tmp_path) == lock


def test_a_hub_error_names_the_status() -> None:
    with serve(FakeHub([])) as fake:
        fake.script["/api/papers/1706.03762"] = [Answer(403, b"{}")]
        with pytest.raises(HubError, match="HTTP 403"):
            _hub(fake).paper("1706.03762")


def test_make_resolve_follows_hf_endpoint_and_prints_a_summary(
    tmp_path: Path, fake: FakeHub
) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "000_a.txt").write_text(
        f"{SCALING.title}\n\n{ABSTRACT}\n\nZzyzx: Nothing Like It\n\nNo abstract of note here.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HF_ENDPOINT": fake.url, "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "generator.resolve", "--dumps", str(dumps)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("resolved 1, unresolved 1, errors 0;")
    assert f"requests to {fake.url}" in result.stdout
    lock = read_lock(dumps)
    assert {entry.status for entry in lock.values()} == {Status.RESOLVED, Status.UNRESOLVED}
    assert "status: resolved" in (dumps / LOCK_NAME).read_text(encoding="utf-8")
