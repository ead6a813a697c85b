"""`python -m generator.resolve [--dumps DIR]` (`make resolve`): find each paper on the Hugging Face
Hub and record it in the lock file (`generator.lock`), the one way network data enters the site.

Every paper of the dumps without a settled entry is searched by title; the candidate that
`matching.choose` accepts is read in full (authors, publication day, code, project page) and
recorded as resolved, and a paper with no acceptable candidate is recorded as unresolved, with the
candidates seen, to be tried again next run. Pins and not-on-hub marks are the curator's: a pin
without details has the missing fields filled in, and nothing the curator wrote is changed.

The lock file is saved after every paper, so a run stopped midway keeps what it found and the
next run carries on. A paper whose requests fail (after their retries) is left as it was and
counted as an error. Exit status: 0 done, 1 some papers met errors, 2 a configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

# huggingface_hub's tqdm: HF_HUB_DISABLE_PROGRESS_BARS turns it off, as for the library itself.
from huggingface_hub.utils.tqdm import tqdm

from generator.catalog import build_catalog
from generator.config import load_manifest
from generator.dumps import load_dump, read_dump_files
from generator.errors import GeneratorError
from generator.hub import Hub, HubError
from generator.lock import Candidate, LockEntry, Status, read_lock, write_lock
from generator.matching import Found, choose
from generator.model import Identity, Paper

EXIT_OK, EXIT_ERRORS, EXIT_CONFIG = 0, 1, 2
# Candidates recorded for an unresolved paper: enough for the curator to pick one.
KEPT_CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class Tally:
    """What a run did: papers resolved, still unresolved, and met with errors."""

    resolved: int = 0
    unresolved: int = 0
    errors: int = 0


def resolve_paper(paper: Paper, entry: LockEntry | None, hub: Hub, now: dt.datetime) -> LockEntry:
    """The lock entry for `paper` after asking `hub` (a HubError if it could not be asked).

    A pin gets the Hub's details for its arXiv id, under what the curator wrote; any other
    paper is searched by title and resolved or left unresolved."""
    if entry is not None and entry.status is Status.PINNED and entry.identity is not None:
        found = hub.paper(entry.identity.arxiv_id)
        return replace(entry, identity=_fill(entry.identity, found), checked=now)
    candidates = hub.search(paper.title)
    chosen = choose(paper.title, paper.abstract, candidates)
    if chosen is None:
        seen = tuple(Candidate(c.arxiv_id, c.title) for c in candidates[:KEPT_CANDIDATES])
        return LockEntry(paper.title, Status.UNRESOLVED, checked=now, candidates=seen)
    # The search's answer may leave out the authors, code and project page: read the paper.
    found = hub.paper(chosen.found.arxiv_id)
    return LockEntry(paper.title, Status.RESOLVED, _identity(found), match=chosen.how, checked=now)


def resolve_all(
    papers: Sequence[Paper],
    lock: dict[str, LockEntry],
    hub: Hub,
    save: Callable[[dict[str, LockEntry]], None],
    now: Callable[[], dt.datetime],
    progress: bool = True,
) -> Tally:
    """Resolve every paper whose entry is not settled, saving `lock` after each one."""
    todo = [p for p in papers if p.id not in lock or not lock[p.id].settled]
    resolved = unresolved = errors = 0
    bar = tqdm(todo, desc="resolve", unit="paper", disable=not progress or None)  # type: ignore[no-untyped-call]
    for paper in bar:
        try:
            entry = resolve_paper(paper, lock.get(paper.id), hub, now())
        except HubError as error:
            errors += 1
            tqdm.write(f"{paper.id}: {error}", file=sys.stderr)
            continue
        if entry.status is Status.UNRESOLVED:
            unresolved += 1
            if _same_miss(lock.get(paper.id), entry):
                continue  # nothing new: the file keeps its entry and its date
        else:
            resolved += 1
        lock[paper.id] = entry
        save(lock)
    return Tally(resolved, unresolved, errors)


def _same_miss(old: LockEntry | None, new: LockEntry) -> bool:
    """Whether an unresolved paper's entry would change only by the date of the attempt."""
    return old is not None and replace(old, checked=new.checked) == new


def _identity(found: Found) -> Identity:
    return Identity(
        arxiv_id=found.arxiv_id,
        title=found.title,
        authors=found.authors,
        published=dt.date.fromisoformat(found.published) if found.published else None,
        code_url=found.code_url,
        project_url=found.project_url,
    )


def _fill(pinned: Identity, found: Found) -> Identity:
    """The curator's pin with what it leaves out taken from the Hub (its own fields win)."""
    hub = _identity(found)
    return Identity(
        arxiv_id=pinned.arxiv_id,
        title=pinned.title or hub.title,
        authors=pinned.authors or hub.authors,
        published=pinned.published or hub.published,
        code_url=pinned.code_url or hub.code_url,
        project_url=pinned.project_url or hub.project_url,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the resolver; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m generator.resolve", description=__doc__)
    parser.add_argument("--dumps", type=Path, default=Path("dumps"), help="default: dumps")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        papers = _papers(args.dumps)
        lock = read_lock(args.dumps)
    except GeneratorError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    hub = Hub()
    started = dt.datetime.now(dt.UTC)
    tally = resolve_all(
        papers,
        lock,
        hub,
        lambda entries: write_lock(args.dumps, entries),
        lambda: dt.datetime.now(dt.UTC).replace(microsecond=0),
        progress=not args.quiet,
    )
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    rate = f"{hub.requests / seconds:.1f}" if seconds > 0 else "0"
    pending = sum(1 for p in papers if p.id not in lock or not lock[p.id].settled)
    print(
        f"resolved {tally.resolved}, unresolved {tally.unresolved}, errors {tally.errors}; "
        f"{pending} of {len(papers)} papers left to resolve; "
        f"{hub.requests} requests to {hub.endpoint} ({rate}/s)"
    )
    return EXIT_ERRORS if tally.errors else EXIT_OK


def _papers(dumps_dir: Path) -> tuple[Paper, ...]:
    """The catalogue's papers, as the site build merges them (the dumps' problems are the
    build's to report)."""
    manifest = load_manifest(dumps_dir)
    today = dt.date.today()
    dumps = [
        load_dump(file, manifest.get(file.name), today)[0]
        for file in read_dump_files(dumps_dir)
        if file.unread is None
    ]
    return build_catalog(dumps).papers


if __name__ == "__main__":
    sys.exit(main())
