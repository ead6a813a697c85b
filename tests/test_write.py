"""Writing: only changed files, atomically; stale files pruned only in owned folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import write
from generator.write import compare, sync

OWNED = ("papers",)


def test_only_changed_files_are_written(tmp_path: Path) -> None:
    files = {"papers/a.md": b"A", "papers/b.md": b"B", "index.md": b"home"}
    sync(tmp_path, files, OWNED)
    changed = {**files, "papers/b.md": b"B2"}
    assert compare(tmp_path, changed, OWNED).write == ("papers/b.md",)
    assert compare(tmp_path, files, OWNED).empty


def test_stale_files_only_deleted_inside_owned_folders(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "old.md").write_text("old")
    (tmp_path / "about.md").write_text("hand-written")
    changes = compare(tmp_path, {"papers/new.md": b"new"}, OWNED)
    assert changes.delete == ("papers/old.md",)
    synced = sync(tmp_path, {"papers/new.md": b"new"}, OWNED)
    assert (synced.write, synced.delete) == (changes.write, changes.delete)
    assert (tmp_path / "about.md").read_text() == "hand-written"
    assert not (tmp_path / "papers" / "old.md").exists()


def test_a_failure_midway_leaves_every_file_old_or_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = {f"papers/{n}.md": b"old" for n in range(5)}
    sync(tmp_path, old, OWNED)
    new = {path: b"new" for path in old}
    calls = 0
    real_replace = write.os.replace

    def failing_replace(source: Path, target: Path) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        sync(tmp_path, new, OWNED)
    contents = sorted((tmp_path / path).read_bytes() for path in old)
    assert contents == [b"new", b"new", b"old", b"old", b"old"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_writing_in_several_processes_writes_the_same_files(tmp_path: Path) -> None:
    files = {f"papers/{n}.md": f"page {n}".encode() for n in range(2500)}
    files["index.md"] = b"home"
    (tmp_path / "one" / "papers").mkdir(parents=True)
    (tmp_path / "one" / "papers" / "stale.md").write_text("old")
    alone = sync(tmp_path / "one", files, OWNED, workers=1)
    shared = sync(tmp_path / "two", files, OWNED, workers=2)
    assert alone.write == shared.write == tuple(sorted(files))
    assert alone.delete == ("papers/stale.md",)
    for path, content in files.items():
        assert (tmp_path / "two" / path).read_bytes() == content
    assert sync(tmp_path / "two", files, OWNED, workers=2).empty
    changed = {**files, "papers/7.md": b"new", "papers/2000.md": b"new too"}
    assert compare(tmp_path / "two", changed, OWNED, workers=2).write == (
        "papers/2000.md",
        "papers/7.md",
    )


def test_sync_reports_each_file_as_it_left_it(tmp_path: Path) -> None:
    files = {"papers/a.md": b"A", "papers/b.md": b"Bee", "index.md": b"home"}
    sync(tmp_path, files, OWNED)
    (tmp_path / "papers" / "stale.md").write_text("old")
    changes = sync(tmp_path, {**files, "papers/b.md": b"B2"}, OWNED)
    assert changes.write == ("papers/b.md",)
    on_disk = {}
    for path in files:
        status = (tmp_path / path).stat()
        on_disk[path] = (status.st_size, status.st_mtime_ns)
    assert changes.held == on_disk
    assert changes.held["papers/b.md"][0] == 2
    assert compare(tmp_path, {"papers/new.md": b"x"}, OWNED).held == {}


def test_an_error_rendering_a_page_stops_the_run_and_reaches_the_caller(tmp_path: Path) -> None:
    class Failing(dict[str, bytes]):
        def __getitem__(self, path: str) -> bytes:
            if path == "papers/0500.md":
                raise ValueError("cannot render papers/0500.md")
            return super().__getitem__(path)

    files = Failing({f"papers/{n:04}.md": b"page" for n in range(1000)})
    with pytest.raises(ValueError, match="0500"):
        sync(tmp_path, files, OWNED)
    assert not (tmp_path / "papers" / "0999.md").exists()


def test_temporary_names_hold_the_writing_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(tmp_path, {"papers/a.md": b"old"}, OWNED)
    renamed = []
    real_replace = write.os.replace

    def recording_replace(source: str, target: str) -> None:
        renamed.append(os.path.basename(source))
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", recording_replace)
    sync(tmp_path, {"papers/a.md": b"new"}, OWNED)
    assert renamed == [f".a.md.{os.getpid()}.tmp"]
