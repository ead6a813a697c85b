"""Shared fixtures: the project root and the catalogue of the seed dumps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.catalog import build_catalog
from generator.config import load_manifest
from generator.dumps import load_dump, read_dump_files
from generator.model import Catalog

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seed_catalog() -> Catalog:
    """The catalogue merged from the seed dumps in dumps/."""
    dumps_dir = ROOT / "dumps"
    manifest = load_manifest(dumps_dir)
    today = dt.date(2025, 12, 31)
    files = read_dump_files(dumps_dir)
    return build_catalog([load_dump(f, manifest.get(f.name), today)[0] for f in files])
