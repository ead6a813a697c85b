"""Remember what the last run read and wrote, so that a run with nothing changed costs little.

Planning 30,000 papers takes seconds, and most runs (`make site`, `make serve`) change nothing.
After each run the CLI saves, in `docs/.generator-state.json` (MkDocs skips dot-files), a
fingerprint of everything the run read and the size and modification time of every file the
generator owns. A later run whose fingerprint and files match has nothing to do: it writes
nothing and repeats the last run's report. Any change to a dump, the config, the generator's own
code or the day, and any generated file edited, added or removed by hand, means a full run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
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


def fingerprint_inputs(folders: Iterable[Path], files: Iterable[Path], today: dt.date) -> str:
    """A hash of every file in `folders` and of `files` (missing ones count as missing), the
    generator's code, the Python version and `today`."""
    digest = hashlib.sha256(f"{sys.version}\n{today.isoformat()}\n".encode())
    paths = [p for folder in folders if folder.is_dir() for p in folder.iterdir() if p.is_file()]
    paths += [*files, *_PACKAGE.glob("*.py")]
    for path in sorted(paths):
        digest.update(f"{path}\n".encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()


def snapshot_outputs(
    docs_dir: Path, owned_dirs: Iterable[str], root_files: Iterable[str]
) -> dict[str, list[int]]:
    """Size and modification time of every file the generator owns under `docs_dir`."""
    snapshot: dict[str, list[int]] = {}
    for name in root_files:
        _record(docs_dir / name, name, snapshot)
    for folder in owned_dirs:
        for top, _, names in os.walk(docs_dir / folder):
            relative = Path(top).relative_to(docs_dir).as_posix()
            for name in names:
                _record(Path(top, name), f"{relative}/{name}", snapshot)
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
    (docs_dir / STATE_FILE).write_text(json.dumps(asdict(state)), encoding="utf-8")


def _record(path: Path, name: str, snapshot: dict[str, list[int]]) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    snapshot[name] = [status.st_size, status.st_mtime_ns]
