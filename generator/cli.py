"""Command line: `python -m generator [--dumps DIR] [--docs DIR] [--topics FILE] [--strict] [--check]`.

The only module that reads the clock, prints, and chooses exit statuses: 0 done, 1 problems under
`--strict` or an out-of-date `docs/` under `--check`, 2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from generator.build import Build, build_site
from generator.config import load_manifest, load_site_config
from generator.dumps import read_dump_files
from generator.errors import GeneratorError
from generator.lock import read_lock
from generator.model import Severity
from generator.parallel import cpu_count
from generator.site import OWNED_DIRS, OWNED_ROOT_FILES
from generator.state import RunState, fingerprint_inputs, load_state, save_state, snapshot_outputs
from generator.topics import load_topics
from generator.wording import counted
from generator.write import Changes, compare, lock_docs, sync

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator; return the exit status."""
    # A run builds one large heap that lives until it ends (30,000 papers, their pages and
    # indexes) and makes no reference cycles worth collecting: the cyclic garbage collector
    # would walk that heap again and again for nothing (about a second at 30,000 papers).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv)
    finally:
        if collecting:
            gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.check:  # writes nothing, so takes no lock
            return _generate(args)
        with lock_docs(args.docs):
            return _generate(args)
    except GeneratorError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


def _generate(args: argparse.Namespace) -> int:
    today = dt.date.today()
    # The settings as read (site_url may come from the environment), and every file the run may
    # read: the dumps, the config and the YAML files beside it.
    config = load_site_config(args.config)
    inputs = fingerprint_inputs(
        [args.dumps],
        [args.config, args.topics, *args.config.parent.glob("*.yml")],
        today,
        settings=repr(config),
    )
    last = None if args.check else load_state(args.docs)
    if last and last.inputs == inputs and last.outputs == _snapshot(args.docs):
        print(last.stdout, end="")
        print(last.stderr, end="", file=sys.stderr)
        return EXIT_PROBLEMS if args.strict and last.warned else EXIT_OK
    files = read_dump_files(args.dumps)
    manifest, lock = load_manifest(args.dumps), read_lock(args.dumps)
    build = build_site(files, manifest, config, load_topics(args.topics), today, lock)
    if args.strict and _warnings(build) > 0 and not args.check:
        # Before anything is written: a failing strict run leaves docs/ as it was.
        _report(build, 0, 0, check=False)
        print(
            f"--strict: {counted(_warnings(build), 'warning')}, so {args.docs}/ was left as it was",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if args.check:
        changes = compare(args.docs, build.plan.files, OWNED_DIRS, cpu_count())
    else:
        changes = sync(args.docs, build.plan.files, OWNED_DIRS, cpu_count())
        save_state(args.docs, _state(build, inputs, changes))
    _report(build, len(changes.write), len(changes.delete), args.check)
    if args.check and not changes.empty:
        print(f"{args.docs} is out of date: run python -m generator", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_PROBLEMS if args.strict and _warnings(build) > 0 else EXIT_OK


def _warnings(build: Build) -> int:
    return sum(1 for problem in build.problems if problem.severity is Severity.WARNING)


def _snapshot(docs: Path) -> dict[str, list[int]]:
    return snapshot_outputs(docs, OWNED_DIRS, OWNED_ROOT_FILES)


def _state(build: Build, inputs: str, changes: Changes) -> RunState:
    """What this run leaves for the next: its inputs, its files (as `sync` left them: every file
    the generator owns is planned, the others were deleted), the report of a run that finds
    nothing to change."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        _report(build, 0, 0, check=False)
    outputs = {path: list(status) for path, status in changes.held.items()}
    return RunState(inputs, outputs, out.getvalue(), err.getvalue(), _warnings(build) > 0)


def _report(build: Build, written: int, deleted: int, check: bool) -> None:
    for problem in build.problems:
        print(problem, file=sys.stderr)
    for name, count in build.entries_per_dump:
        print(f"{name}: {count} papers")
    catalog = build.catalog
    print(_coverage(build))
    print(_links(build))
    verb = "would write" if check else "wrote"
    print(
        f"{len(catalog.papers)} papers from {len(catalog.collections)} dumps "
        f"({catalog.merged} duplicates merged); {len(build.problems)} problems; "
        f"{verb} {written} files, {'would delete' if check else 'deleted'} {deleted}"
    )


def _coverage(build: Build) -> str:
    total = len(build.catalog.papers)
    covered = sum(1 for matches in build.assignments.values() if matches)
    share = f" ({covered / total:.1%})" if total else ""
    return (
        f"topics: {covered}/{total} papers{share} in a curated topic; "
        f"{total - covered} uncategorised"
    )


def _links(build: Build) -> str:
    """The Hub links line: papers linked, marked not on the Hub, and left to resolve."""
    linked = build.coverage
    line = f"links: {linked.linked}/{len(build.catalog.papers)} papers found on the Hub"
    if linked.not_on_hub:
        line += f", {linked.not_on_hub} marked not on it"
    if linked.pending:
        line += f"; {linked.pending} unresolved (run make resolve)"
    return line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--dumps", type=Path, default=Path("dumps"), help="folder of dumps (default: dumps)"
    )
    parser.add_argument(
        "--docs", type=Path, default=Path("docs"), help="MkDocs source folder (default: docs)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        help="MkDocs config (default: mkdocs.yml)",
    )
    parser.add_argument(
        "--topics",
        type=Path,
        default=Path("topics.yml"),
        help="topic taxonomy (default: topics.yml)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if any warning was reported")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if docs/ is out of date"
    )
    return parser
