"""Golden files: a small fixture site, generated whole, is compared with the expected files.

`fixtures/golden/` holds two dumps with metadata (one paper in both, under two spellings), their
manifest, a taxonomy of two topics and the settings the generator reads from `mkdocs.yml`, with
lists short enough to be paged. `golden/` holds every file the generator makes from them: each
page kind, every feed, the OPML file and papers.json.

When a change to the output is meant, regenerate the expected files and review them as a diff:

    .venv/bin/pytest tests/test_golden.py --update-golden
    git diff tests/golden/

`--update-golden` rewrites `golden/` (deleting files the generator no longer makes); without it
the test only compares.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from generator.build import build_site
from generator.config import load_manifest, load_site_config
from generator.dumps import read_dump_files
from generator.topics import load_topics

FIXTURE = Path(__file__).parent / "fixtures" / "golden"
GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2025, 3, 20)
# One of each kind of page and file: a fixture change that loses one fails here, not silently.
EVERY_KIND = (
    "index.md",
    "subscribe.md",
    "topics/index.md",
    "topics/scaling-laws.md",
    "topics/scaling-laws/page-2.md",
    "topics/uncategorised.md",
    "collections/index.md",
    "collections/first-week.md",
    "collections/first-week/page-2.md",
    "papers/scaling-laws-for-tiny-models.md",
    "feed.xml",
    "atom.xml",
    "feeds/topics/scaling-laws.xml",
    "feeds/topics/scaling-laws.atom.xml",
    "feeds/collections/second-week.xml",
    "feeds/collections/second-week.atom.xml",
    "feeds.opml",
    "papers.json",
)


@pytest.fixture(scope="module")
def generated() -> dict[str, bytes]:
    """Every file the generator makes from the fixture: path under docs/ -> bytes."""
    dumps = FIXTURE / "dumps"
    build = build_site(
        read_dump_files(dumps),
        load_manifest(dumps),
        load_site_config(FIXTURE / "mkdocs.yml"),
        load_topics(FIXTURE / "topics.yml"),
        TODAY,
    )
    assert not build.problems
    return dict(build.plan.files)


def test_the_fixture_makes_every_kind_of_page_and_file(generated: dict[str, bytes]) -> None:
    assert set(EVERY_KIND) <= set(generated)


def test_generated_files_match_the_golden_files(
    generated: dict[str, bytes], request: pytest.FixtureRequest
) -> None:
    if request.config.getoption("--update-golden"):
        _rewrite(generated)
    expected = {
        path.relative_to(GOLDEN).as_posix(): path.read_bytes()
        for path in GOLDEN.rglob("*")
        if path.is_file()
    }
    missing, unexpected = sorted(expected.keys() - generated), sorted(generated.keys() - expected)
    changed = sorted(
        path for path in expected.keys() & generated if expected[path] != generated[path]
    )
    diffs = [_diff(path, expected[path], generated[path]) for path in changed[:3]]
    assert not (missing or unexpected or changed), (
        f"not made: {missing}; not expected: {unexpected}; changed: {changed}\n"
        + "\n".join(diffs)
        + "\n(if the change is meant: pytest tests/test_golden.py --update-golden)"
    )


def _rewrite(files: dict[str, bytes]) -> None:
    for stale in GOLDEN.rglob("*"):
        if stale.is_file() and stale.relative_to(GOLDEN).as_posix() not in files:
            stale.unlink()
    for path, content in files.items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)


def _diff(path: str, expected: bytes, generated: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode().splitlines(keepends=True),
        generated.decode().splitlines(keepends=True),
        f"golden/{path}",
        f"generated/{path}",
    )
    return "".join(list(lines)[:40])
