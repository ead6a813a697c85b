"""Write a planned site into `docs/`: only changed files; prune stale files.

A file that exists is replaced atomically (written to a temporary name, then renamed), so an
interrupted run never leaves a page half old, half new. A new file is written in place: if the
run is cut off, the next run finds files its last saved state does not list (`state.py`),
compares every file again and rewrites it.

Stale files are deleted only inside the folders the generator owns; hand-written pages elsewhere
in `docs/` are never touched.

At 30,000 papers a run compares and writes some 31,000 files, and most of the site's pages are
rendered only when asked for (`site.PlannedFiles`). So the files are split into shards, one per
CPU: each shard's files are rendered, compared with what `docs/` holds, and written if changed,
in a forked process of its own (`parallel.map_shards`: the plan is inherited, never copied).
"""

from __future__ import annotations

import contextlib
import enum
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.parallel import map_shards

# Below this many files a shard, starting a process costs more than it saves.
_SHARD_MIN_FILES = 1000


@dataclass(frozen=True, slots=True)
class Changes:
    """What writing a plan would do, or did: files (re)written and stale files deleted."""

    write: tuple[str, ...]
    delete: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.write and not self.delete


def compare(
    docs_dir: Path, files: Mapping[str, bytes], owned_dirs: Iterable[str], workers: int = 1
) -> Changes:
    """Compare the plan with what `docs_dir` holds, without changing anything."""
    return _sweep(docs_dir, files, owned_dirs, workers, write=False)


def sync(
    docs_dir: Path, files: Mapping[str, bytes], owned_dirs: Iterable[str], workers: int = 1
) -> Changes:
    """Write every file of the plan whose content differs from `docs_dir`'s, and delete the stale
    ones in `owned_dirs`: what `compare` reports, carried out, each file rendered once."""
    return _sweep(docs_dir, files, owned_dirs, workers, write=True)


def _sweep(
    docs_dir: Path, files: Mapping[str, bytes], owned_dirs: Iterable[str], workers: int, write: bool
) -> Changes:
    paths = sorted(files)
    if write:
        _make_folders(docs_dir, paths)
    task = partial(_sync_shard, docs_dir, files, write)
    changed = map_shards(task, paths, _workers(paths, workers))
    changes = Changes(tuple(sorted(changed)), _stale(docs_dir, files, owned_dirs))
    if write:
        _delete(docs_dir, changes.delete)
    return changes


def _workers(paths: Sequence[str], workers: int) -> int:
    return max(1, min(workers, len(paths) // _SHARD_MIN_FILES))


def _sync_shard(
    docs_dir: Path, files: Mapping[str, bytes], write: bool, paths: Sequence[str]
) -> list[str]:
    """The `paths` whose content differs from the file in `docs_dir`; written if `write`."""
    changed = []
    root = os.fspath(docs_dir)
    for path in paths:
        content = files[path]
        target = f"{root}/{path}"
        held = _held(target, content)
        if held is _Held.SAME:
            continue
        changed.append(path)
        if write and held is _Held.MISSING:
            _write_new(target, content)
        elif write:
            _write_atomically(target, content)
    return changed


class _Held(enum.Enum):
    MISSING = "missing"
    SAME = "same"
    DIFFERENT = "different"


def _held(target: str, content: bytes) -> _Held:
    """Whether the file `target` is missing, holds `content`, or holds something else (it is
    read only when the sizes agree)."""
    try:
        if os.stat(target).st_size != len(content):
            return _Held.DIFFERENT
        with open(target, "rb") as file:
            return _Held.SAME if file.read() == content else _Held.DIFFERENT
    except FileNotFoundError:
        return _Held.MISSING


def _stale(
    docs_dir: Path, files: Mapping[str, bytes], owned_dirs: Iterable[str]
) -> tuple[str, ...]:
    """Files in the owned folders that the plan does not hold."""
    existing: set[str] = set()
    for folder in owned_dirs:
        for top, _, names in os.walk(docs_dir / folder):
            relative = Path(top).relative_to(docs_dir).as_posix()
            existing.update(f"{relative}/{name}" for name in names)
    return tuple(sorted(path for path in existing if path not in files))


def _make_folders(docs_dir: Path, paths: Iterable[str]) -> None:
    for folder in sorted({path.rpartition("/")[0] for path in paths}):
        (docs_dir / folder).mkdir(parents=True, exist_ok=True)


def _delete(docs_dir: Path, paths: Sequence[str]) -> None:
    for path in paths:
        (docs_dir / path).unlink()
    for folder in sorted({(docs_dir / path).parent for path in paths}, reverse=True):
        if folder != docs_dir and not any(folder.iterdir()):
            folder.rmdir()


def _write_new(target: str, content: bytes) -> None:
    """Create `target`, which did not exist, without a temporary name (see the module
    docstring): at 30,000 new pages, renaming took as long again as writing."""
    try:
        with open(target, "xb") as file:
            file.write(content)
    except FileExistsError:  # created since it was found missing: replace it safely
        _write_atomically(target, content)


def _write_atomically(target: str, content: bytes) -> None:
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
