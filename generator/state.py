"""Remember what the last run read and wrote, so that a run with nothing changed costs little.

Planning 30,000 papers takes seconds, and most runs (`make site`, `make serve`) change nothing.
After each run the CLI saves, in `docs/.generator-state.json` (MkDocs skips dot-files), a
fingerprint of everything the run read and the size and modification time of every file the
generator owns. A later run whose fingerprint and files match has nothing to do: it writes
nothing and repeats the last run's report. Any change to a dump, the config, the generator's own
code or templates or the day, and any generated file edited, added or removed by hand, means a
full run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

STATE_FILE = ".generator-state.json"
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class RunState:
    """What a run read (a fingerprint), what it left in `docs/`, and what it reported."""

    inputs: str
    outputs: dict[str, list[int]]
    stdout: str
    stderr: str
    warned: bool


def fingerprint_inputs(
    folders: Iterable[Path], files: Iterable[Path], today: dt.date, settings: str = ""
) -> str:
    """A hash of every entry in `folders` and of `files` (missing ones count as missing), the
    generator's code and page templates, the Python version, `today` and `settings` (the
    configuration as read, which the environment can change). Of an entry that is not a file (a
    folder, a pipe, a dangling link), the name counts: the run reports it."""
    digest = hashlib.sha256(f"{sys.version}\n{today.isoformat()}\n{settings}\n".encode())
    paths = [path for folder in folders if folder.is_dir() for path in folder.iterdir()]
    paths += [*files, *_PACKAGE.glob("*.py"), *_PACKAGE.glob("templates/**/*.jinja")]
    for path in sorted(paths):
        digest.update(f"{path}\n".encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0not a file")
    return digest.hexdigest()


def snapshot_outputs(
    docs_dir: Path, owned_dirs: Iterable[str], root_files: Iterable[str]
) -> dict[str, list[int]]:
    """Size and modification time of every file the generator owns under `docs_dir`."""
    snapshot: dict[str, list[int]] = {}
    root = os.fspath(docs_dir)
    for name in root_files:
        _record(f"{root}/{name}", name, snapshot)
    folders = list(owned_dirs)
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(f"{root}/{folder}"))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(f"{folder}/{entry.name}")
            else:
                _record(entry.path, f"{folder}/{entry.name}", snapshot)
    return snapshot


def load_state(docs_dir: Path) -> RunState | None:
    """The state the last run saved in `docs_dir`; None if there is none or it is unreadable."""
    try:
        data = json.loads((docs_dir / STATE_FILE).read_text(encoding="utf-8"))
        return RunState(**data)
    except (OSError, ValueError, TypeError):
        return None


def save_state(docs_dir: Path, state: RunState) -> None:
    """Save `state` in `docs_dir` for the next run."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    fields = {field.name: getattr(state, field.name) for field in dataclasses.fields(state)}
    (docs_dir / STATE_FILE).write_text(json.dumps(fields), encoding="utf-8")


def _record(path: str, name: str, snapshot: dict[str, list[int]]) -> None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return
    snapshot[name] = [status.st_size, status.st_mtime_ns]
