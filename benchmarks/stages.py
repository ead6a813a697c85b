"""Where the generator's time goes: each stage timed on N synthetic papers, in this process.

    python benchmarks/stages.py --papers 30000

Runs the pipeline stage by stage as `python -m generator` does (parse, catalogue; topics, plan
and feeds while a second process works out related papers; write into a new temporary `docs/`)
and prints each stage's wall and CPU seconds, and how long rendering alone takes (every file
rendered and compared with the empty folder, nothing written). CPU seconds are this process's
only: related papers, and the second shard of the writing, run in forked workers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and str(ROOT) not in sys.path:  # run as a script, not with -m
    sys.path.insert(0, str(ROOT))

from benchmarks.run import seed_entries  # noqa: E402
from benchmarks.synth import synthesise, vocabulary  # noqa: E402
from generator import feeds, site  # noqa: E402
from generator.catalog import build_catalog  # noqa: E402
from generator.config import load_manifest, load_site_config  # noqa: E402
from generator.dumps import load_dump, read_dump_files  # noqa: E402
from generator.parallel import cpu_count, in_background  # noqa: E402
from generator.related import related_papers  # noqa: E402
from generator.topics import assign_topics, load_topics  # noqa: E402
from generator.write import compare, sync  # noqa: E402

T = TypeVar("T")


class Stopwatch:
    """Wall and CPU seconds of each stage, in the order they ran."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def time(self, name: str, work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        return result

    def exclude(self, outer: str, inner: str) -> None:
        """Take the time of stage `inner`, which ran inside `outer`, out of `outer`'s."""
        times = {name: (wall, cpu) for name, wall, cpu in self.rows}
        self.rows = [
            (name, wall - times[inner][0], cpu - times[inner][1])
            if name == outer
            else (name, wall, cpu)
            for name, wall, cpu in self.rows
        ]

    def table(self) -> str:
        lines = ["| stage | wall s | CPU s (this process) |", "| --- | ---: | ---: |"]
        lines += [f"| {name} | {wall:.2f} | {cpu:.2f} |" for name, wall, cpu in self.rows]
        total_wall = sum(wall for _, wall, _ in self.rows)
        total_cpu = sum(cpu for _, _, cpu in self.rows)
        lines.append(f"| total | {total_wall:.2f} | {total_cpu:.2f} |")
        return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Time each stage; print the table."""
    args = _parser().parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="paper-trail-dumps-"))
    for name, text in synthesise(vocabulary(seed_entries()), args.papers, args.seed).items():
        (folder / name).write_text(text, encoding="utf-8")
    files, manifest = read_dump_files(folder), load_manifest(folder)
    shutil.rmtree(folder)
    today = dt.date(2026, 1, 1)
    watch = Stopwatch()
    dumps = watch.time(
        "parse", lambda: [load_dump(f, manifest.get(f.name), today)[0] for f in files]
    )
    catalog = watch.time("catalogue", lambda: build_catalog(dumps))
    topics = load_topics(ROOT / "topics.yml")
    config = load_site_config(ROOT / "mkdocs.yml")
    # Feeds are planned inside plan_site: timed on their own by wrapping the function it calls.
    plan_feeds = feeds.plan_feeds
    vars(site)["plan_feeds"] = lambda *a, **kw: watch.time("feeds", lambda: plan_feeds(*a, **kw))
    related: dict[str, tuple[str, ...]] = {}  # filled in before any page is rendered
    with in_background(
        partial(related_papers, catalog.papers, threads=cpu_count())
    ) as related_result:
        assignments = watch.time("topics", lambda: assign_topics(catalog.papers, topics))
        plan = watch.time(
            "plan", lambda: site.plan_site(catalog, config, topics, assignments, related)
        )
        related.update(watch.time("related papers (waiting for)", related_result))
    vars(site)["plan_feeds"] = plan_feeds
    watch.exclude("plan", "feeds")
    with tempfile.TemporaryDirectory(prefix="paper-trail-stages-") as docs:
        # Rendered once without writing (compared with an empty folder), to tell the cost of
        # creating the files from the cost of rendering them.
        started = time.perf_counter()
        compare(Path(docs), plan.files, site.OWNED_DIRS, cpu_count())
        render_only = time.perf_counter() - started
        watch.time(
            "render and write", lambda: sync(Path(docs), plan.files, site.OWNED_DIRS, cpu_count())
        )
    print(f"{args.papers:,} papers, {len(plan.files):,} files, {cpu_count()} CPUs")
    print(watch.table())
    print(f"Rendering alone, nothing written: {render_only:.2f} s wall.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="benchmarks/stages.py", description=__doc__)
    parser.add_argument("--papers", type=int, required=True, help="distinct papers to synthesise")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
