"""A run with nothing changed skips planning, but never skips a change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.state import STATE_FILE, fingerprint_inputs, load_state, snapshot_outputs
from tests.conftest import copy_project, run_generator

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path)
    assert run_generator(project).returncode == 0
    return project


def test_unchanged_run_repeats_report_and_writes_nothing(project: Path) -> None:
    state = load_state(project / "docs")
    assert state is not None
    assert "wrote 0 files, deleted 0" in state.stdout
    page = next((project / "docs" / "papers").glob("*.md"))
    before = page.stat().st_mtime_ns
    again = run_generator(project)
    assert again.returncode == 0
    assert again.stdout == state.stdout
    assert page.stat().st_mtime_ns == before


@pytest.mark.parametrize("change", ["edit", "delete", "add"])
def test_hand_changed_output_is_regenerated(project: Path, change: str) -> None:
    page = next((project / "docs" / "papers").glob("*.md"))
    stray = project / "docs" / "papers" / "stray.md"
    if change == "edit":
        page.write_text("edited\n", encoding="utf-8")
    elif change == "delete":
        page.unlink()
    else:
        stray.write_text("stray\n", encoding="utf-8")
    again = run_generator(project)
    expected = "wrote 0 files, deleted 1" if change == "add" else "wrote 1 files, deleted 0"
    assert expected in again.stdout
    assert not stray.exists()


def test_changed_dump_means_a_full_run(project: Path) -> None:
    dump = next((project / "dumps").glob("003_*.txt"))
    dump.write_text(dump.read_text(encoding="utf-8").replace("Scaling", "Scoling", 1), "utf-8")
    again = run_generator(project)
    assert "wrote 0 files" not in again.stdout


def test_fingerprint_covers_inputs_and_day(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    first = fingerprint_inputs([dumps], [config], DAY)
    assert fingerprint_inputs([dumps], [config], DAY) == first
    assert fingerprint_inputs([dumps], [config], DAY + dt.timedelta(days=1)) != first
    assert fingerprint_inputs([dumps], [config], DAY, settings="site_url=elsewhere") != first
    (dumps / "a.txt").write_text("new\n", encoding="utf-8")
    assert fingerprint_inputs([dumps], [config], DAY) != first
    config.write_text("site_name: y\n", encoding="utf-8")
    assert fingerprint_inputs([dumps], [config], DAY) != first


def test_snapshot_lists_owned_files_only(project: Path) -> None:
    snapshot = snapshot_outputs(project / "docs", ("papers",), ("index.md",))
    assert "index.md" in snapshot
    assert all(path == "index.md" or path.startswith("papers/") for path in snapshot)
    assert STATE_FILE not in snapshot
