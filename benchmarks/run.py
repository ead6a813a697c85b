"""Build the site from N synthetic papers in a temporary copy of the project, and measure it.

    python benchmarks/run.py --papers 30000 --json benchmarks/results/30000.json

Measures the generator (wall time, peak memory), a second generator run with nothing changed
(time, files written), `mkdocs build` (wall time, peak memory), the search indexer, the size of
the built site and of its search index. Prints a table; `--json` also writes the figures.
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
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and str(ROOT) not in sys.path:  # run as a script, not with -m
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import synthesise, vocabulary  # noqa: E402
from generator.config import load_manifest  # noqa: E402
from generator.dumps import load_dump, read_dump_files  # noqa: E402
from generator.model import Entry  # noqa: E402

# What a build needs besides the dumps; optional files (topics.yml) are copied when present.
PROJECT_FILES = ("mkdocs.yml", "topics.yml", "generator", "docs/about.md", "docs/assets")
SEARCH_INDEXES = ("pagefind", "search/search_index.json")
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
    site_mb: float
    search_index_mb: float
    # CPU seconds (user + system): steadier than wall time on a machine shared with other work.
    generator_cpu_s: float
    noop_cpu_s: float
    mkdocs_cpu_s: float


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="paper-trail-bench-") as tmp:
        project = args.keep or Path(tmp)
        project.mkdir(parents=True, exist_ok=True)
        prepare_project(project, args.papers, args.seed)
        figures = measure(project, args.papers)
    print(table([figures]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(figures), indent=1) + "\n", encoding="utf-8")
    return 0


def prepare_project(project: Path, papers: int, seed: int) -> None:
    """Copy the project's config, package and hand-written pages (and link its node_modules);
    write synthetic dumps."""
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
    dumps = project / "dumps"
    dumps.mkdir()
    for name, text in synthesise(vocabulary(seed_entries()), papers, seed).items():
        (dumps / name).write_text(text, encoding="utf-8")


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


def measure(project: Path, papers: int) -> Figures:
    """Generate, regenerate, build and index the project; return the figures."""
    python = sys.executable
    generator = run([python, "-m", "generator", "--strict"], project)
    noop = run([python, "-m", "generator", "--strict"], project)
    mkdocs = run([python, "-m", "mkdocs", "build", "--strict", "--quiet"], project)
    pagefind = run([python, "-m", "generator.search_index", "--site", "site"], project)
    written = _WROTE.search(noop.stdout)
    if written is None:
        raise RuntimeError(f"no summary line in the generator's output:\n{noop.stdout}")
    site = project / "site"
    return Figures(
        papers=papers,
        generator_s=generator.seconds,
        generator_peak_rss_mb=generator.peak_rss_mb,
        noop_s=noop.seconds,
        noop_files_written=int(written.group(1)),
        mkdocs_s=mkdocs.seconds,
        mkdocs_peak_rss_mb=mkdocs.peak_rss_mb,
        pagefind_s=pagefind.seconds,
        pagefind_peak_rss_mb=pagefind.peak_rss_mb,
        site_mb=round(tree_size(site) / MB, 1),
        search_index_mb=round(sum(tree_size(site / name) for name in SEARCH_INDEXES) / MB, 1),
        generator_cpu_s=generator.cpu_seconds,
        noop_cpu_s=noop.cpu_seconds,
        mkdocs_cpu_s=mkdocs.cpu_seconds,
    )


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
    """The figures as a Markdown table, one row per benchmark run."""
    header = (
        "| papers | generator s | peak MB | no-op s | files written | mkdocs s | peak MB "
        "| pagefind s | peak MB | site MB | search index MB | generator CPU s | no-op CPU s "
        "| mkdocs CPU s |"
    )
    lines = [header, "|" + " ---: |" * header.count(" | ") + " ---: |"]
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
