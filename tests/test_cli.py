"""The command line, run as a user runs it: into a copy of the project."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from generator.parse import infer_year
from tests.conftest import ROOT, copy_project, run_generator, run_mkdocs


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def test_run_writes_pages_and_summary(project: Path) -> None:
    result = run_generator(project)
    assert result.returncode == 0, result.stderr
    assert "002_2e1a7ba535186e7a.txt: 244 papers" in result.stdout
    assert "507 papers from 5 dumps (76 duplicates merged); 0 problems" in result.stdout
    assert len(list((project / "docs" / "papers").glob("*.md"))) == 507
    assert (project / "docs" / "about.md").exists()
    export = json.loads((project / "docs" / "papers.json").read_text(encoding="utf-8"))
    assert len(export["papers"]) == 507


def test_second_run_writes_nothing_and_check_passes(project: Path) -> None:
    run_generator(project)
    again = run_generator(project)
    assert "wrote 0 files, deleted 0" in again.stdout
    assert run_generator(project, "--check").returncode == 0


def test_check_reports_out_of_date_docs_without_writing(project: Path) -> None:
    run_generator(project)
    page = next((project / "docs" / "papers").glob("*.md"))
    page.write_text("edited by hand", encoding="utf-8")
    result = run_generator(project, "--check")
    assert result.returncode == 1
    assert "would write 1 files" in result.stdout
    assert page.read_text(encoding="utf-8") == "edited by hand"


def test_stale_generated_pages_are_removed_hand_written_kept(project: Path) -> None:
    run_generator(project)
    stale = project / "docs" / "papers" / "gone.md"
    stale.write_text("old", encoding="utf-8")
    result = run_generator(project)
    assert "deleted 1" in result.stdout
    assert not stale.exists()
    assert (project / "docs" / "about.md").exists()


def test_strict_fails_on_a_warning_and_names_file_and_line(project: Path) -> None:
    dump = project / "dumps" / "cut.txt"
    dump.write_text("new\n\nSubscribe\n\nA Lonely Title\n", encoding="utf-8")
    relaxed = run_generator(project)
    assert relaxed.returncode == 0
    assert "cut.txt:5: warning: title with no abstract: 'A Lonely Title'" in relaxed.stderr
    assert "508 papers from 6 dumps" in relaxed.stdout  # kept, not dropped
    assert run_generator(project, "--strict").returncode == 1


def test_unlisted_dump_publishes_with_a_notice(project: Path) -> None:
    seed = (project / "dumps" / "003_5bc1377f66e9d0d6.txt").read_text(encoding="utf-8")
    (project / "dumps" / "new_scaling.txt").write_text(
        seed.replace("Scaling", "Rescaling"), encoding="utf-8"
    )
    result = run_generator(project, "--strict")
    assert result.returncode == 0, result.stderr
    assert "new_scaling.txt: notice: no entry in manifest.yml" in result.stderr
    captured = infer_year(3, 11, dt.date.today())  # its page says "Mar 11": the latest one
    assert f"captured {captured.isoformat()}" in result.stderr
    assert (project / "docs" / "collections" / "new-scaling.md").exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda text: re.sub(r"(?m)^site_url: .*\n", "", text),
            "site_url is required",
        ),
        (lambda text: text + "\n  bad: [\n", "invalid YAML"),
    ],
)
def test_config_errors_are_one_line_and_exit_2(project: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    config = project / "mkdocs.yml"
    config.write_text(edit(config.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_generator(project)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_usage_error_exits_2(project: Path) -> None:
    assert run_generator(project, "--no-such-option").returncode == 2


def test_missing_dumps_folder_is_one_line(project: Path) -> None:
    result = run_generator(project, "--dumps", "nowhere")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: nowhere: dumps folder not found"


def test_strict_mkdocs_build_has_a_page_per_paper(project: Path) -> None:
    assert run_generator(project, "--strict").returncode == 0
    build = run_mkdocs(project)
    assert build.returncode == 0, build.stderr
    site = project / "site"
    export = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    pages = {path.parent.name for path in (site / "papers").glob("*/index.html")}
    assert pages == {record["id"] for record in export}
    ring = next(r for r in export if r["title"].startswith("Every Step Evolves"))
    page = site / "papers" / ring["id"] / "index.html"
    meta = {m.get("name"): m.get("content") for m in lxml.html.parse(str(page)).iterfind(".//meta")}
    assert meta["citation_title"].startswith("Every Step Evolves: Scaling Reinforcement")
    assert meta["citation_publication_date"] == "2025/10/21"
    html = page.read_text(encoding="utf-8")
    assert "https://huggingface.co/inclusionAI" in html
    assert "3 votes" in html
    home = lxml.html.parse(str(site / "index.html")).getroot()
    assert "collections/scaling-laws/" in home.xpath("//a/@href")
    assert not [
        href
        for href in home.xpath("//a[@class='md-nav__link']/@href")
        if href.startswith("papers/")
    ]


def test_every_link_in_the_built_site_resolves(project: Path) -> None:
    """Links in raw HTML blocks are not checked by MkDocs: check every relative href here."""
    assert run_generator(project, "--strict").returncode == 0
    assert run_mkdocs(project).returncode == 0
    site = project / "site"
    broken = []
    for page in site.rglob("*.html"):
        for href in lxml.html.parse(str(page)).getroot().xpath("//a/@href"):
            target = urlsplit(href)
            if target.scheme or target.netloc or not target.path or href.startswith("/"):
                continue  # outside the site, an anchor, or the 404 page's root-absolute links
            resolved = (page.parent / unquote(target.path)).resolve()
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)}: {href}")
    assert broken == []


def _docs(project: Path) -> dict[str, bytes]:
    """Every file under docs/ but the run's own bookkeeping (its state and lock)."""
    docs = project / "docs"
    return {
        path.relative_to(docs).as_posix(): path.read_bytes()
        for path in sorted(docs.rglob("*"))
        if path.is_file() and not (path.parent == docs and path.name.startswith("."))
    }


def test_a_strict_run_with_a_warning_writes_nothing(project: Path) -> None:
    before = _docs(project)
    secret = project / "secret.txt"
    secret.write_text("Outside Title\n\n" + "An abstract. " * 40, encoding="utf-8")
    (project / "dumps" / "link.txt").symlink_to(secret)
    result = run_generator(project, "--strict")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "link.txt: warning: a symbolic link: not followed (put the dump itself in the folder)",
        "--strict: 1 warning, so docs/ was left as it was",
    ]
    assert _docs(project) == before
    relaxed = run_generator(project)
    assert relaxed.returncode == 0
    assert "Outside Title" not in (project / "docs" / "papers.json").read_text(encoding="utf-8")


def test_a_run_stops_with_one_line_while_another_writes_docs(project: Path) -> None:
    (project / "docs").mkdir(exist_ok=True)
    with (project / "docs" / ".generator.lock").open("ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a run in another process does
        result = run_generator(project)
    assert result.returncode == 2
    assert result.stderr == (
        "error: another run is writing docs/ (it holds docs/.generator.lock); "
        "run again when it has finished\n"
    )
    assert not (project / "docs" / "papers").exists()
    assert run_generator(project).returncode == 0  # the lock went with its holder


def _clean_run(tmp_path: Path) -> dict[str, bytes]:
    (tmp_path / "clean").mkdir()
    clean = copy_project(tmp_path / "clean")
    assert run_generator(clean).returncode == 0
    return _docs(clean)


def test_two_runs_at_once_never_collide(project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "generator"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = sorted((run.wait(), run.communicate()[1]) for run in runs)
    busy = "error: another run is writing docs/ (it holds docs/.generator.lock); "
    assert outcomes[0] == (0, "")
    assert outcomes[1] in {(0, ""), (2, busy + "run again when it has finished\n")}
    assert _docs(project) == _clean_run(tmp_path)


def test_a_killed_run_then_a_new_run_gives_a_clean_runs_docs(project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.Popen([sys.executable, "-m", "generator"], cwd=project, env=env)
    papers = project / "docs" / "papers"
    deadline = time.monotonic() + 120
    while killed.poll() is None and not any(papers.glob("*.md")):
        assert time.monotonic() < deadline
        time.sleep(0.01)  # polling for the first page: there is no event to wait on
    killed.kill()
    killed.wait()
    assert run_generator(project).returncode == 0
    assert _docs(project) == _clean_run(tmp_path)


FIRST = "000_17c7c5b628c5f8f0.txt"
CAPTURED_LINE = "    captured: 2025-03-11\n"  # the first manifest entry's, on line 13
# The line of the first topic's slug in topics.yml (after its documenting header).
FIRST_SLUG_LINE = (ROOT / "topics.yml").read_text(encoding="utf-8").split("\n  - slug: ")[0].count(
    "\n"
) + 2


def _replace_once(old: str, new: str) -> Callable[[str], str]:
    return lambda text: text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "dumps/manifest.yml",
            _replace_once("2025-03-11", "2025-13-40"),
            "dumps/manifest.yml:13: '2025-13-40' is not a date that exists",
        ),
        (
            "dumps/manifest.yml",
            _replace_once("2025-03-11", "2025-02-30"),
            "dumps/manifest.yml:13: '2025-02-30' is not a date that exists",
        ),
        (
            "dumps/manifest.yml",
            _replace_once("2025-03-11", "2025-03-11T10:00:00"),
            f"dumps/manifest.yml: {FIRST}: captured must be a day such as 2025-03-11, "
            "without a time",
        ),
        (
            "dumps/manifest.yml",
            _replace_once("The LLM landscape", "The LLM landscap\udce9"),
            "dumps/manifest.yml:9: bytes that are not UTF-8 (save it as UTF-8)",
        ),
        (
            "dumps/manifest.yml",
            _replace_once(CAPTURED_LINE, CAPTURED_LINE + "    title: Again\n"),
            "dumps/manifest.yml:14: key 'title' appears twice (first on line 9)",
        ),
        (
            "dumps/manifest.yml",
            _replace_once("Efficient training and serving", "The LLM landscape"),
            f"dumps/manifest.yml: {FIRST} and 001_b07f67c0449023ce.txt have one title, "
            "'The LLM landscape': each collection needs its own",
        ),
        (
            "dumps/manifest.yml",
            _replace_once(CAPTURED_LINE, CAPTURED_LINE + "    slug: scaling-laws\n"),
            f"dumps/manifest.yml: {FIRST} and 003_5bc1377f66e9d0d6.txt have one slug, "
            "'scaling-laws': each collection needs its own",
        ),
        (
            "mkdocs.yml",
            _replace_once("\nextra:\n", "\nextra: 5\nx:\n"),
            "mkdocs.yml: extra must be a mapping",
        ),
        (
            "topics.yml",
            _replace_once("\n  - slug: ", "\n  - slug: x\n    slug: "),
            f"topics.yml:{FIRST_SLUG_LINE + 1}: key 'slug' appears twice "
            f"(first on line {FIRST_SLUG_LINE})",
        ),
        (
            "topics.yml",
            _replace_once("- distributed training\n", "- distributed training\\\n"),
            "topics.yml: topic distributed-training: include: 'distributed training\\\\' "
            "cannot match as written: '\\\\' is not part of a word (terms are letters and "
            "digits, with '.' or \"'\" inside a word or ',' between digits, joined by spaces or "
            "hyphens)",
        ),
    ],
)
def test_every_config_error_is_one_line_naming_file_and_line(
    project: Path, name: str, edit: Callable[[str], str], message: str
) -> None:
    path = project / name
    edited = edit(path.read_text(encoding="utf-8"))
    path.write_bytes(edited.encode("utf-8", errors="surrogateescape"))
    result = run_generator(project, "--strict")
    assert (result.returncode, result.stderr) == (2, f"error: {message}\n")
    assert not (project / "docs" / "papers").exists()


def test_an_unlisted_dump_whose_slug_is_taken_is_one_line(project: Path) -> None:
    dumps = project / "dumps"
    (dumps / "scaling_laws.txt").write_bytes((dumps / "003_5bc1377f66e9d0d6.txt").read_bytes())
    result = run_generator(project)
    assert (result.returncode, result.stderr) == (
        2,
        "error: 003_5bc1377f66e9d0d6.txt and scaling_laws.txt have one collection slug, "
        "'scaling-laws': give one a slug of its own in manifest.yml\n",
    )


def test_dumps_that_are_not_text_are_refused_and_utf16_is_read(project: Path) -> None:
    dumps = project / "dumps"
    seed = (dumps / "003_5bc1377f66e9d0d6.txt").read_text(encoding="utf-8")
    (dumps / "wide.txt").write_bytes(seed.replace("Scaling", "Wide").encode("utf-16"))
    (dumps / "page.txt").write_text("<!DOCTYPE html>\n<html><body>Hi</body></html>\n")
    (dumps / "noise.txt").write_bytes(bytes(range(256)) * 40)
    result = run_generator(project, "--strict")
    assert result.returncode == 1
    refused = "warning: not a text dump, refused:"
    advice = "save the page as plain text: select all, copy, paste"
    assert [line for line in result.stderr.splitlines() if "warning" in line] == [
        f"noise.txt: {refused} binary data (61% of its characters are not text); {advice}",
        f"page.txt: {refused} a web page saved as HTML; {advice}",
        "--strict: 2 warnings, so docs/ was left as it was",
    ]
    assert "wide.txt: 74 papers" in result.stdout
    assert not (project / "docs" / "papers").exists()  # nothing written under --strict
    (dumps / "page.txt").unlink()
    (dumps / "noise.txt").unlink()
    relaxed = run_generator(project, "--strict")
    assert relaxed.returncode == 0, relaxed.stderr
    assert "wide.txt: 74 papers" in relaxed.stdout


def test_a_new_site_url_from_the_environment_rebuilds_an_unchanged_project(project: Path) -> None:
    for site_url in ("https://first.example.net/", "https://second.example.net/trail/"):
        result = run_generator(project, site_url=site_url)
        assert result.returncode == 0, result.stderr
        export = json.loads((project / "docs" / "papers.json").read_text(encoding="utf-8"))
        assert {paper["url"].removesuffix(paper["id"] + "/") for paper in export["papers"]} == {
            site_url + "papers/"
        }
