"""Related papers alone: time and memory on N synthetic papers, as the generator works them out.

    python benchmarks/related.py --papers 30000

Synthesises the papers (`synth.py`), merges them into a catalogue, then runs `related_papers`
on every CPU in a forked process, as `build.py` does, and prints its wall and CPU seconds, the
process's peak memory, and how many papers got fewer than 5 related papers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and str(ROOT) not in sys.path:  # run as a script, not with -m
    sys.path.insert(0, str(ROOT))

from benchmarks.run import seed_entries  # noqa: E402
from benchmarks.synth import synthesise, vocabulary  # noqa: E402
from generator.catalog import build_catalog  # noqa: E402
from generator.config import load_manifest  # noqa: E402
from generator.dumps import load_dump, read_dump_files  # noqa: E402
from generator.model import Paper  # noqa: E402
from generator.parallel import cpu_count, in_background  # noqa: E402
from generator.related import RELATED_COUNT, related_papers  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    """Time related papers on synthetic papers; print the figures."""
    args = _parser().parse_args(argv)
    papers = _papers(args.papers, args.seed)
    with in_background(lambda: _measured(papers)) as result:
        wall, cpu, peak_mb, fewer = result()
    print(f"{len(papers):,} papers, {cpu_count()} CPUs")
    print(f"related papers: {wall:.2f} s wall, {cpu:.2f} s CPU, peak {peak_mb:.0f} MB")
    print(f"papers with fewer than {RELATED_COUNT} related papers: {fewer}")
    return 0


def _measured(papers: Sequence[Paper]) -> tuple[float, float, float, int]:
    """Wall and CPU seconds of `related_papers`, the peak memory of this process in MB (all
    its threads), and the papers it gave fewer than `RELATED_COUNT` related papers."""
    wall, cpu = time.perf_counter(), time.process_time()
    related = related_papers(papers, threads=cpu_count())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return wall, cpu, peak_mb, sum(len(ids) < RELATED_COUNT for ids in related.values())


def _papers(count: int, seed: int) -> tuple[Paper, ...]:
    folder = Path(tempfile.mkdtemp(prefix="paper-trail-dumps-"))
    try:
        for name, text in synthesise(vocabulary(seed_entries()), count, seed).items():
            (folder / name).write_text(text, encoding="utf-8")
        files, manifest = read_dump_files(folder), load_manifest(folder)
    finally:
        shutil.rmtree(folder)
    today = dt.date(2026, 1, 1)
    return build_catalog([load_dump(f, manifest.get(f.name), today)[0] for f in files]).papers


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="benchmarks/related.py", description=__doc__)
    parser.add_argument("--papers", type=int, required=True, help="distinct papers to synthesise")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
