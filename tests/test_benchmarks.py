"""The benchmark's synthetic dumps: as many distinct papers as asked, in the seed layouts."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from benchmarks.run import seed_entries, table
from benchmarks.synth import added_dump, synthesise, vocabulary
from generator.build import Build, build_site
from generator.config import load_manifest, load_site_config
from generator.dumps import read_dump_files
from tests.conftest import ROOT, TODAY


def _build(folder: Path, files: Mapping[str, str]) -> Build:
    """The site built from `files` (name -> text), written into `folder`, with no topics."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    config = load_site_config(ROOT / "mkdocs.yml")
    return build_site(read_dump_files(folder), load_manifest(folder), config, (), TODAY)


def test_synthetic_dumps_hold_exactly_the_papers_asked_for(tmp_path: Path) -> None:
    files = synthesise(vocabulary(seed_entries()), 600, seed=3)
    build = _build(tmp_path, files)
    assert build.problems == ()
    assert len(build.catalog.papers) == 600
    entries = sum(count for _, count in build.entries_per_dump)
    assert 0.10 < build.catalog.merged / entries < 0.15  # the seed dumps: 76 of 583
    assert any(p.authors_count for p in build.catalog.papers)  # metadata blocks were read
    assert any(text.startswith("Get trending") for text in files.values())  # packed layout


def test_an_added_dump_brings_only_new_papers(tmp_path: Path) -> None:
    vocab = vocabulary(seed_entries())
    files = synthesise(vocab, 300, seed=3)
    added = added_dump(vocab, files, 50, seed=4)
    assert len(added) == 2  # the dump and the manifest naming it
    build = _build(tmp_path, files | added)
    assert build.problems == ()
    assert len(build.catalog.papers) == 350
    assert len(build.entries_per_dump) == len(files)  # the old dumps less the manifest, plus one


def test_synthesis_is_reproducible() -> None:
    vocab = vocabulary(seed_entries())
    assert synthesise(vocab, 200, seed=1) == synthesise(vocab, 200, seed=1)
    assert synthesise(vocab, 200, seed=1) != synthesise(vocab, 200, seed=2)


def test_table_has_a_column_per_figure() -> None:
    header, rule = table([]).splitlines()
    assert header.count("|") == rule.count("|")
