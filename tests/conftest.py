"""Shared fixtures: the project root, the seed dumps and a built seed site."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from generator.build import Build, build_site
from generator.config import load_manifest, load_site_config
from generator.dumps import read_dump_files
from generator.lock import LockEntry
from generator.model import Catalog
from generator.topics import load_topics

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 1, 15)
# The environment variable mkdocs.yml reads the site's address from.
SITE_URL_VARIABLE = "SITE_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden`: rewrite tests/golden/ from the fixture dump (see test_golden.py)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected files in tests/golden/ instead of comparing with them",
    )


def build_seed(lock: Mapping[str, LockEntry] | None = None) -> Build:
    """The site planned from the seed dumps, as the CLI would plan it (with `lock`, if given, as
    the lock file's entries)."""
    dumps = ROOT / "dumps"
    return build_site(
        read_dump_files(dumps),
        load_manifest(dumps),
        load_site_config(ROOT / "mkdocs.yml"),
        load_topics(ROOT / "topics.yml"),
        TODAY,
        lock,
    )


@pytest.fixture(scope="session")
def seed_build() -> Build:
    """The site planned from the seed dumps, with no lock file."""
    return build_seed()


@pytest.fixture(scope="session")
def seed_catalog(seed_build: Build) -> Catalog:
    """The catalogue merged from the seed dumps in dumps/."""
    return seed_build.catalog


HAND_WRITTEN_DOCS = ("about.md", "saved.md", "assets")


def copy_project(target: Path) -> Path:
    """A runnable copy of the project in `target`: config, dumps, hand-written docs and theme."""
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copy(ROOT / "topics.yml", target / "topics.yml")
    shutil.copytree(ROOT / "dumps", target / "dumps")
    shutil.copytree(ROOT / "generator" / "theme", target / "generator" / "theme")
    for name in HAND_WRITTEN_DOCS:
        source = ROOT / "docs" / name
        if source.is_dir():
            shutil.copytree(source, target / "docs" / name)
        else:
            (target / "docs").mkdir(exist_ok=True)
            shutil.copy(source, target / "docs" / name)
    return target


def site_environment(site_url: str | None = None) -> dict[str, str]:
    """This process's environment for a build, with `SITE_URL` (which `mkdocs.yml` reads) set to
    `site_url`, or unset so the build takes the local preview address."""
    env = {name: value for name, value in os.environ.items() if name != SITE_URL_VARIABLE}
    return env if site_url is None else {**env, SITE_URL_VARIABLE: site_url}


def run_generator(
    project: Path, *args: str, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` run in `project`, with this checkout's package (and
    `site_url`, if given, as the site's address)."""
    return _run_module(project, "generator", *args, site_url=site_url)


def run_search_index(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m generator.search_index ARGS` run in `project` (after MkDocs), with this
    checkout's package."""
    return _run_module(project, "generator.search_index", *args)


def _run_module(
    project: Path, module: str, *args: str, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**site_environment(site_url), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def run_mkdocs(project: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in `project`, with this virtualenv's MkDocs (and `site_url`, if
    given, as the site's address)."""
    env = {**site_environment(site_url), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
