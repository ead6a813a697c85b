"""Write a planned site into `docs/`: only changed files; prune stale files.

A file that exists is replaced atomically (written to a temporary name, then renamed), so an
interrupted run never leaves a page half old, half new. A new file is written in place: if the
run is cut off, the next run finds files its last saved state does not list (`state.py`),
compares every file again and rewrites it.

Stale files are deleted only inside the folders the generator owns; hand-written pages elsewhere
in `docs/` are never touched.

One run at a time writes a `docs/`: `lock_docs` takes an exclusive lock on `docs/.generator.lock`
and a second run stops at once with a BusyError rather than wait behind the first (a run that
waited silently would look hung). The system drops the lock when the process that holds it ends,
however it ends, so a killed run never leaves `docs/` locked. A temporary file's name holds the id
of the process writing it, so two writers never share one.

At 30,000 papers a run compares and writes some 31,000 files, and most of the site's pages are
rendered only when asked for (`site.PlannedFiles`). So the files are split into shards, one per
CPU: each shard's files are rendered, compared with what `docs/` holds, and written if changed,
in a forked process of its own (`parallel.map_shards`: the plan is inherited, never copied).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from generator.errors import BusyError
from generator.parallel import map_shards

if sys.platform != "win32":
    import fcntl

# Below this many files a shard, starting a process costs more than it saves.
_SHARD_MIN_FILES = 1000
LOCK_FILE = ".generator.lock"


# Size and modification time (ns) of a file.
Status = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Changes:
    """What writing a plan would do, or did: files (re)written and stale files deleted; and the
    size and modification time of each planned file `docs/` holds (after writing, for `sync`)."""

    write: tuple[str, ...]
    delete: tuple[str, ...]
    held: Mapping[str, Status]

    @property
    def empty(self) -> bool:
        return not self.write and not self.delete


@contextlib.contextmanager
def lock_docs(docs_dir: Path) -> Iterator[None]:
    """Hold the exclusive lock on `docs_dir` (created if missing) for the block; BusyError at
    once if another run holds it."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    with open(docs_dir / LOCK_FILE, "ab") as lock:
        try:
            if sys.platform != "win32":  # Windows has no flock: runs there are not serialised
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                f"another run is writing {docs_dir}/ (it holds {docs_dir / LOCK_FILE}); "
                "run again when it has finished"
            ) from None
        yield


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
    outcomes = map_shards(task, paths, _workers(paths, workers))
    changed = sorted(path for path, differed, _ in outcomes if differed)
    held = {path: status for path, _, status in outcomes if status is not None}
    changes = Changes(tuple(changed), _stale(docs_dir, files, owned_dirs), held)
    if write:
        _delete(docs_dir, changes.delete)
    return changes


def _workers(paths: Sequence[str], workers: int) -> int:
    return max(1, min(workers, len(paths) // _SHARD_MIN_FILES))


def _sync_shard(
    docs_dir: Path, files: Mapping[str, bytes], write: bool, paths: Sequence[str]
) -> list[tuple[str, bool, Status | None]]:
    """For each of `paths`: whether its content differs from the file in `docs_dir` (written if
    `write`), and the size and modification time of the file `docs_dir` then holds."""
    outcomes: list[tuple[str, bool, Status | None]] = []
    root = os.fspath(docs_dir)
    for path in paths:
        content = files[path]
        target = f"{root}/{path}"
        status = _status(target)
        if status is not None and _holds(target, status, content):
            outcomes.append((path, False, status))
        elif not write:
            outcomes.append((path, True, status))
        elif status is None:
            outcomes.append((path, True, _write_new(target, content)))
        else:
            outcomes.append((path, True, _write_atomically(target, content)))
    return outcomes


def _status(target: str) -> Status | None:
    try:
        stat = os.stat(target)
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _holds(target: str, status: Status, content: bytes) -> bool:
    """Whether the file `target` holds `content` (read only when the sizes agree)."""
    if status[0] != len(content):
        return False
    with open(target, "rb") as file:
        return file.read() == content


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


def _write_new(target: str, content: bytes) -> Status:
    """Create `target`, which did not exist, without a temporary name (see the module
    docstring): at 30,000 new pages, renaming took as long again as writing."""
    try:
        with open(target, "xb") as file:
            return _written(file, content)
    except FileExistsError:  # created since it was found missing: replace it safely
        return _write_atomically(target, content)


def _write_atomically(target: str, content: bytes) -> Status:
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            status = _written(file, content)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return status


def _written(file: BinaryIO, content: bytes) -> Status:
    """Write `content` to `file`; the file's size and modification time once written."""
    file.write(content)
    file.flush()
    stat = os.fstat(file.fileno())
    return stat.st_size, stat.st_mtime_ns
