"""Turn the files of the dumps folder into parsed dumps, each described as a collection.

`read_dump_files` is the only part that touches the disk; `load_dump` is pure. Only regular
files are read: an entry named `*.txt` that is a symbolic link (dangling or not), a folder, a
named pipe, a socket or a device is never followed nor opened, only reported, so nothing from
outside `dumps/` reaches the site and a pipe cannot make the run wait.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.config import MANIFEST_NAME, ManifestEntry
from generator.decode import decode_dump
from generator.errors import InputError
from generator.model import Collection, Dump, Problem, Severity
from generator.parse import ParseResult, parse_dump
from generator.urls import make_slug

DUMP_SUFFIX = ".txt"


# O_NOFOLLOW and O_NONBLOCK back up the check made before opening, should the entry be
# replaced by a link or a pipe in between (they are 0 where the system has no such flag).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_KINDS = (
    (stat.S_ISLNK, "a symbolic link: not followed (put the dump itself in the folder)"),
    (stat.S_ISDIR, "a folder, not a dump"),
    (stat.S_ISFIFO, "a named pipe, not a dump: not opened"),
)
_SPECIAL = "a device or socket, not a dump: not opened"


@dataclass(frozen=True, slots=True)
class DumpFile:
    """A `*.txt` entry of the dumps folder: its name and bytes, or (`unread`) why it was not read."""

    name: str
    data: bytes
    unread: str | None = None


def read_dump_files(dumps_dir: Path) -> tuple[DumpFile, ...]:
    """Every `*.txt` entry in `dumps_dir`, sorted by name. An entry that is not a regular file,
    or cannot be read, comes with `unread` set and no data. A missing folder is an InputError."""
    if not dumps_dir.is_dir():
        raise InputError(f"{dumps_dir}: dumps folder not found")
    return tuple(_read(path) for path in sorted(dumps_dir.glob(f"*{DUMP_SUFFIX}")))


def _read(path: Path) -> DumpFile:
    try:
        kind = _kind(os.lstat(path).st_mode)
        if kind is not None:
            return DumpFile(path.name, b"", kind)
        descriptor = os.open(path, _OPEN_FLAGS)
        with open(descriptor, "rb") as file:
            kind = _kind(os.fstat(descriptor).st_mode)
            return DumpFile(path.name, b"", kind) if kind else DumpFile(path.name, file.read())
    except OSError as error:
        return DumpFile(path.name, b"", f"cannot be read: {error.strerror or error}")


def _kind(mode: int) -> str | None:
    """What an entry that is not a regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for is_kind, kind in _KINDS if is_kind(mode)), _SPECIAL)


def load_dump(
    dump_file: DumpFile, manifest_entry: ManifestEntry | None, today: dt.date
) -> tuple[Dump, tuple[Problem, ...]]:
    """Parse one dump and describe its collection.

    With a manifest entry, the entry gives title, description and capture date. Without one the
    dump still publishes: title from the file name, capture date from the page's own date line
    (the latest such day on or before `today`), else `today`, and a notice says what to add.
    """
    text, problems = decode_dump(dump_file.data, dump_file.name)
    if manifest_entry is not None:
        result = _parsed(text, dump_file.name, manifest_entry.captured)
        collection = _described(dump_file.name, manifest_entry)
        return Dump(collection, result.entries), problems + result.problems
    first = _parsed(text, dump_file.name, today)
    captured = first.page_date or today
    result = _parsed(text, dump_file.name, captured) if captured != today else first
    notice = Problem(
        dump_file.name,
        None,
        f"no entry in {MANIFEST_NAME}: published as {_default_title(dump_file.name)!r}, "
        f"captured {captured.isoformat()}; add title, description and captured for it",
        Severity.NOTICE,
    )
    collection = Collection(
        slug=make_slug(Path(dump_file.name).stem),
        title=_default_title(dump_file.name),
        description=f"Papers from the dump {dump_file.name}.",
        captured=captured,
        file=dump_file.name,
    )
    return Dump(collection, result.entries), (notice, *problems, *result.problems)


def _parsed(text: str | None, file: str, captured: dt.date) -> ParseResult:
    """The parsed dump; for a refused file (no text), no entries and no further problem."""
    return ParseResult((), None, ()) if text is None else parse_dump(text, file, captured)


def unused_manifest_entries(
    manifest: dict[str, ManifestEntry], files: tuple[DumpFile, ...]
) -> tuple[Problem, ...]:
    """A warning for each manifest entry whose dump file is not in the folder."""
    present = {dump_file.name for dump_file in files}
    return tuple(
        Problem(MANIFEST_NAME, None, f"entry for {name!r}, but no such dump file")
        for name in sorted(manifest)
        if name not in present
    )


def _described(name: str, entry: ManifestEntry) -> Collection:
    return Collection(
        slug=entry.slug or make_slug(entry.title),
        title=entry.title,
        description=entry.description,
        captured=entry.captured,
        file=name,
        source_url=entry.source_url,
    )


def _default_title(name: str) -> str:
    return Path(name).stem.replace("_", " ").replace("-", " ").strip() or name
