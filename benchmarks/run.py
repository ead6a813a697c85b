"""Build the site from N synthetic papers in a temporary copy of the project, and measure it.

    python benchmarks/run.py --papers 30000 --json benchmarks/results/30000.json

Measures each stage of `make site` (the generator, `mkdocs build`, the search indexer: wall time,
CPU time, peak memory), a second generator run with nothing changed (time, files written), the
size of the built site, of its search index and of its paper pages. Then a new dump of 50 papers
is added and the site built again: the generator (time, files written), a full `mkdocs build`
and the indexer, and beside it MkDocs' `--dirty` build of the previous site (time, pages it
rebuilt, and how many files of the result differ from the full build's). Prints a table; `--json`
also writes the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and str(ROOT) not in sys.path:  # run as a script, not with -m
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import added_dump, synthesise, vocabulary  # noqa: E402
from generator.config import load_manifest  # noqa: E402
from generator.dumps import load_dump, read_dump_files  # noqa: E402
from generator.model import Entry  # noqa: E402

# What a build needs besides the dumps; optional files (topics.yml) are copied when present.
PROJECT_FILES = ("mkdocs.yml", "topics.yml", "generator", "docs/about.md", "docs/assets")
SEARCH_INDEXES = ("pagefind", "search/search_index.json")
PAPER_PAGES = "papers/*/index.html"
ADDED_PAPERS = 50
_WROTE = re.compile(r"wrote (\d+) files")
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Run:
    """One measured command: wall time, CPU time, peak resident memory, and what it printed."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    stdout: str


@dataclass(frozen=True, slots=True)
class Figures:
    """The benchmark's results, as written to JSON."""

    papers: int
    generator_s: float
    generator_peak_rss_mb: float
    noop_s: float
    noop_files_written: int
    mkdocs_s: float
    mkdocs_peak_rss_mb: float
    pagefind_s: float
    pagefind_peak_rss_mb: float
    make_site_s: float  # generator, MkDocs and the indexer, one after the other
    site_mb: float
    search_index_mb: float
    paper_page_kb: float  # the median paper page's HTML
    paper_page_max_kb: float
    # CPU seconds (user + system): steadier than wall time on a machine shared with other work.
    generator_cpu_s: float
    noop_cpu_s: float
    mkdocs_cpu_s: float
    pagefind_cpu_s: float
    make_site_cpu_s: float
    # A new dump of ADDED_PAPERS papers, then the site built again.
    added_generator_s: float
    added_files_written: int
    added_mkdocs_s: float
    added_pagefind_s: float
    added_make_site_s: float
    added_make_site_cpu_s: float
    # The same, with `mkdocs build --dirty` over the previous site instead of a full build.
    dirty_mkdocs_s: float
    dirty_pages_rebuilt: int
    dirty_files_differing: int


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="paper-trail-bench-") as tmp:
        project = args.keep or Path(tmp)
        project.mkdir(parents=True, exist_ok=True)
        dumps = prepare_project(project, args.papers, args.seed)
        figures = measure(
            project,
            args.papers,
            added_dump(vocabulary(seed_entries()), dumps, ADDED_PAPERS, args.seed + 1),
        )
    print(table([figures]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(figures), indent=1) + "\n", encoding="utf-8")
    return 0


def prepare_project(project: Path, papers: int, seed: int) -> dict[str, str]:
    """Copy the project's config, package and hand-written pages (and link its node_modules);
    write synthetic dumps and return them ({file name: text})."""
    for name in PROJECT_FILES:
        source, target = ROOT / name, project / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    # Pagefind's binary from npm, as `make` installs it (generator/search_index.py).
    if (ROOT / "node_modules").is_dir():
        (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    files = synthesise(vocabulary(seed_entries()), papers, seed)
    write_dumps(project / "dumps", files)
    return files


def write_dumps(folder: Path, files: dict[str, str]) -> None:
    """Write dump files ({file name: text}) into `folder`."""
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def seed_entries() -> list[Entry]:
    """Every entry of the seed dumps, parsed by the generator itself."""
    dumps = ROOT / "dumps"
    manifest = load_manifest(dumps)
    today = dt.date.today()
    return [
        entry
        for dump_file in read_dump_files(dumps)
        for entry in load_dump(dump_file, manifest.get(dump_file.name), today)[0].entries
    ]


def measure(project: Path, papers: int, added: dict[str, str]) -> Figures:
    """Generate, regenerate, build and index the project; add the dumps `added` and build it
    again, in full and dirty; return the figures."""
    python = sys.executable
    generator = run([python, "-m", "generator", "--strict"], project)
    noop = run([python, "-m", "generator", "--strict"], project)
    mkdocs = run([python, "-m", "mkdocs", "build", "--strict", "--quiet"], project)
    pagefind = run([python, "-m", "generator.search_index", "--site", "site"], project)
    site = project / "site"
    pages = sorted(p.stat().st_size for p in site.glob(PAPER_PAGES))
    site_mb = round(tree_size(site) / MB, 1)
    search_index_mb = round(sum(tree_size(site / name) for name in SEARCH_INDEXES) / MB, 1)
    stages = (generator, mkdocs, pagefind)

    write_dumps(project / "dumps", added)
    added_generator = run([python, "-m", "generator", "--strict"], project)
    full = project / "site-full"
    added_mkdocs = run(
        [python, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(full)], project
    )
    added_pagefind = run([python, "-m", "generator.search_index", "--site", str(full)], project)
    # MkDocs refuses a dirty build under --strict (it warns that one is inaccurate).
    before = modified_times(site)
    dirty = run([python, "-m", "mkdocs", "build", "--dirty", "--quiet"], project)
    rebuilt = sum(1 for path, time in modified_times(site).items() if before.get(path) != time)
    run([python, "-m", "generator.search_index", "--site", "site"], project)
    added_stages = (added_generator, added_mkdocs, added_pagefind)
    return Figures(
        papers=papers,
        generator_s=generator.seconds,
        generator_peak_rss_mb=generator.peak_rss_mb,
        noop_s=noop.seconds,
        noop_files_written=files_written(noop),
        mkdocs_s=mkdocs.seconds,
        mkdocs_peak_rss_mb=mkdocs.peak_rss_mb,
        pagefind_s=pagefind.seconds,
        pagefind_peak_rss_mb=pagefind.peak_rss_mb,
        make_site_s=round(sum(r.seconds for r in stages), 2),
        site_mb=site_mb,
        search_index_mb=search_index_mb,
        paper_page_kb=round(pages[len(pages) // 2] / 1024, 1),
        paper_page_max_kb=round(pages[-1] / 1024, 1),
        generator_cpu_s=generator.cpu_seconds,
        noop_cpu_s=noop.cpu_seconds,
        mkdocs_cpu_s=mkdocs.cpu_seconds,
        pagefind_cpu_s=pagefind.cpu_seconds,
        make_site_cpu_s=round(sum(r.cpu_seconds for r in stages), 2),
        added_generator_s=added_generator.seconds,
        added_files_written=files_written(added_generator),
        added_mkdocs_s=added_mkdocs.seconds,
        added_pagefind_s=added_pagefind.seconds,
        added_make_site_s=round(sum(r.seconds for r in added_stages), 2),
        added_make_site_cpu_s=round(sum(r.cpu_seconds for r in added_stages), 2),
        dirty_mkdocs_s=dirty.seconds,
        dirty_pages_rebuilt=rebuilt,
        dirty_files_differing=len(differing_files(site, full)),
    )


def files_written(generator: Run) -> int:
    """The files a generator run says it wrote."""
    written = _WROTE.search(generator.stdout)
    if written is None:
        raise RuntimeError(f"no summary line in the generator's output:\n{generator.stdout}")
    return int(written.group(1))


def modified_times(folder: Path) -> dict[Path, int]:
    """Each HTML file under `folder`, with its modification time in nanoseconds."""
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*.html")}


def differing_files(one: Path, other: Path) -> list[str]:
    """The files, relative to their folders, that are in only one of `one` and `other` or whose
    bytes differ."""
    ones = {p.relative_to(one) for p in one.rglob("*") if p.is_file()}
    others = {p.relative_to(other) for p in other.rglob("*") if p.is_file()}
    changed = {n for n in ones & others if (one / n).read_bytes() != (other / n).read_bytes()}
    return sorted(str(n) for n in (ones ^ others) | changed)


def run(command: list[str], cwd: Path) -> Run:
    """Run `command` to completion; its wall time and the peak RSS of that process alone.

    `os.wait4` gives the resource usage of the one child it reaps, where
    `getrusage(RUSAGE_CHILDREN)` would give the maximum over every child so far.
    """
    env = {**os.environ, "PYTHONPATH": str(cwd), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(round(seconds, 2), round(cpu, 2), round(usage.ru_maxrss / 1024, 1), output)


def tree_size(path: Path) -> int:
    """Bytes in the file `path`, or in every file under the folder `path`; 0 if missing."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def table(rows: Sequence[Figures]) -> str:
    """The figures as a Markdown table, one row per benchmark run, a column per figure."""
    names = [field.name for field in fields(Figures)]
    lines = ["| " + " | ".join(names) + " |", "|" + " ---: |" * len(names)]
    lines += [
        "| " + " | ".join(f"{value:,}" for value in asdict(row).values()) + " |" for row in rows
    ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__)
    parser.add_argument("--papers", type=int, required=True, help="distinct papers to synthesise")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument(
        "--keep", type=Path, help="build in this new folder and keep it (for benchmarks/search.py)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
