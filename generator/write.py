"""Write a planned site into `docs/`: only changed files, each atomically; prune stale files.

Stale files are deleted only inside the folders the generator owns; hand-written pages elsewhere
in `docs/` are never touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Changes:
    """What writing a plan would do: files to (re)write and stale files to delete."""

    write: tuple[str, ...]
    delete: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.write and not self.delete


def compare(docs_dir: Path, files: Mapping[str, bytes], owned_dirs: Iterable[str]) -> Changes:
    """Compare the plan with what `docs_dir` holds, without changing anything."""
    write = tuple(path for path in sorted(files) if _read(docs_dir / path) != files[path])
    existing = {
        path.relative_to(docs_dir).as_posix()
        for folder in owned_dirs
        if (docs_dir / folder).is_dir()
        for path in (docs_dir / folder).rglob("*")
        if path.is_file()
    }
    return Changes(write, tuple(sorted(existing - set(files))))


def apply(docs_dir: Path, files: Mapping[str, bytes], changes: Changes) -> None:
    """Carry out `changes`: each file is written to a temporary name, then renamed into place,
    so an interrupted run leaves every file either old or new, never half-written."""
    for path in changes.write:
        _write_atomically(docs_dir / path, files[path])
    for path in changes.delete:
        (docs_dir / path).unlink()
    for folder in sorted({(docs_dir / path).parent for path in changes.delete}, reverse=True):
        if folder != docs_dir and not any(folder.iterdir()):
            folder.rmdir()


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
