"""Same dumps, same bytes: whatever the order of files on disk, the hash seed or the clock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import yaml

from generator.build import build_site
from generator.config import load_manifest, load_site_config
from generator.dumps import read_dump_files
from generator.state import STATE_FILE
from generator.topics import load_topics
from tests.conftest import ROOT, copy_project

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"


def _project(target: Path, reverse: bool, mtime: int) -> Path:
    """The seed dumps plus the hostile ones, every dump listed in the manifest (so the clock
    plays no part), created in the given order and stamped with the given modification time."""
    project = copy_project(target)
    dumps = project / "dumps"
    manifest = yaml.safe_load((dumps / "manifest.yml").read_text(encoding="utf-8"))
    sources = sorted([*dumps.glob("*.txt"), *FIXTURES.glob("*.txt")], reverse=reverse)
    contents = {path.name: path.read_bytes() for path in sources}
    for path in dumps.glob("*.txt"):
        path.unlink()
    for name, data in contents.items():
        (dumps / name).write_bytes(data)
        os.utime(dumps / name, (mtime, mtime))
        manifest["dumps"].setdefault(
            name,
            {"title": f"Hostile {name}", "description": "Bad input.", "captured": "2025-06-01"},
        )
    text = yaml.safe_dump(manifest).replace("'2025-06-01'", "2025-06-01")
    (dumps / "manifest.yml").write_text(text, encoding="utf-8")
    return project


def _generate(project: Path, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-m", "generator"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    docs = project / "docs"
    return {
        path.relative_to(docs).as_posix(): path.read_bytes()
        for path in docs.rglob("*")
        if path.is_file() and path.name != STATE_FILE  # the run's own cache: never published
    }


def test_docs_are_byte_identical_across_file_order_mtime_and_hash_seed(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _generate(_project(tmp_path / "a", reverse=False, mtime=1_000_000_000), "1")
    second = _generate(_project(tmp_path / "b", reverse=True, mtime=1_700_000_000), "2024")
    assert len(first) > 500
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def test_the_clock_does_not_change_a_site_whose_dumps_are_listed(tmp_path: Path) -> None:
    dumps = ROOT / "dumps"
    files, manifest = read_dump_files(dumps), load_manifest(dumps)
    config = load_site_config(ROOT / "mkdocs.yml")
    plans = [
        build_site(files, manifest, config, load_topics(ROOT / "topics.yml"), today).plan.files
        for today in (dt.date(2025, 12, 31), dt.date(2031, 7, 4))
    ]
    assert plans[0] == plans[1]
