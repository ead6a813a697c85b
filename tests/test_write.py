"""Writing: only changed files, atomically; stale files pruned only in owned folders."""

from __future__ import annotations

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
    assert sync(tmp_path, {"papers/new.md": b"new"}, OWNED) == changes
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
