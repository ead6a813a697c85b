"""Publishing: the GitHub workflows are valid and least-privilege, and a new dump reaches the site.

The end-to-end tests run the generator and MkDocs on a copy of the project, as the publish workflow
does with `make site`; the MkDocs build runs once for the whole module.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from generator.site import OWNED_DIRS, OWNED_ROOT_FILES
from tests.conftest import SITE_URL_VARIABLE, site_environment
from tests.served import PUBLISHED_URL

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
RESOLVE = WORKFLOWS / "resolve.yml"
BIN = Path(sys.executable).parent
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

NEW_DUMP = "900_new_dump.txt"
# Three papers in the seed layout (blank-line separated, chrome first, metadata blocks),
# with titles no seed dump holds, so each must get a page of its own.
NEW_PAPERS = {
    "Lighthouse Decoding: Steering Small Models with Sparse Beacons": (
        "We introduce lighthouse decoding, a procedure that steers a small language model "
        "towards a larger model's answers with a handful of sparse beacon tokens. The beacons "
        "are chosen once per task and cost nothing at inference time. Across eleven benchmarks "
        "the method recovers most of the gap between the two models."
    ),
    "Tidepool: A Benchmark of Slowly Changing Facts": (
        "Language models answer questions about facts that change over months or years, yet "
        "existing benchmarks treat every fact as fixed. Tidepool collects four thousand facts "
        "with dated revisions and asks models for the value at a given date. Models of every "
        "size confuse old and new values, and retrieval helps only when the index is fresh."
    ),
    "Quiet Gradients: Training Without Loss Spikes at Scale": (
        "Loss spikes waste compute and sometimes end large training runs. We trace most spikes "
        "to a few embedding rows whose gradients grow without bound, and we propose quiet "
        "gradients, a per-row clipping rule with no extra hyperparameters. Runs up to seventy "
        "billion parameters train without a single spike."
    ),
}
CHROME = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "byAK and the research community",
)


def _dump_text(papers: dict[str, str]) -> str:
    lines = list(CHROME)
    for title, abstract in papers.items():
        lines += [title, abstract, "• 6 authors", "·", "Nov 3, 2025"]
    return "\n\n".join(lines) + "\n"


def _copy_project(dest: Path) -> Path:
    """Copy what `make site` reads (hand-written docs only) into `dest`; return `dest`."""
    for name in ("mkdocs.yml", "topics.yml"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "generator", dest / "generator", ignore=_pycache)
    shutil.copytree(ROOT / "dumps", dest / "dumps")
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=_generated)
    return dest


def _pycache(_directory: str, names: list[str]) -> set[str]:
    return {name for name in names if name == "__pycache__"}


def _generated(directory: str, names: list[str]) -> set[str]:
    """The generator's own outputs at the top of docs/, which a fresh clone does not have."""
    if Path(directory) != ROOT / "docs":
        return set()
    return set(names) & {*OWNED_DIRS, *OWNED_ROOT_FILES}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`args` run in `cwd` for the published address, as the publish workflow sets it."""
    env = {**site_environment(PUBLISHED_URL), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _generate(project: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "generator", "--strict"], project)


# --- The workflow files -------------------------------------------------------------------------


def _workflow(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the bare key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def test_workflows_validate_against_the_github_workflow_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert {path.name for path in files} >= {"test.yml", "publish.yml", "resolve.yml"}
    result = _run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, files),
        ],
        ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tests_also_run_on_debians_own_python() -> None:
    jobs = _workflow(WORKFLOWS / "test.yml")["jobs"]
    assert isinstance(jobs, dict)
    debian = jobs["debian"]
    assert debian["container"] == "debian:bookworm"
    uses = [step.get("uses", "") for step in debian["steps"]]
    assert not [use for use in uses if use.startswith("actions/setup-")]
    assert "python3" in debian["steps"][0]["run"].split()
    assert debian["steps"][-1]["run"] == "make test"


def test_publish_workflow_has_least_privilege_and_one_deployment_at_a_time() -> None:
    workflow = _workflow(PUBLISH)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    assert "permissions" not in jobs["build"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "build"
    assert all("timeout-minutes" in job for job in jobs.values())


def test_publish_workflow_runs_on_every_input_of_the_site() -> None:
    triggers = _workflow(PUBLISH)["on"]
    assert isinstance(triggers, dict)
    assert "workflow_dispatch" in triggers
    push = triggers["push"]
    assert push["branches"] == ["main"]
    for path in ("dumps/**", "generator/**", "topics.yml", "docs/**", "mkdocs.yml"):
        assert path in push["paths"]


def test_publish_build_runs_make_site_for_the_pages_address_then_uploads_site() -> None:
    jobs = _workflow(PUBLISH)["jobs"]
    assert isinstance(jobs, dict)
    steps = jobs["build"]["steps"]
    runs = [step for step in steps if "run" in step]
    assert [step["run"] for step in runs] == ["make site"]
    pages = [step for step in steps if step.get("uses", "").startswith("actions/configure-pages")]
    assert steps.index(pages[0]) < steps.index(runs[0])
    assert runs[0]["env"] == {
        SITE_URL_VARIABLE: f"${{{{ steps.{pages[0]['id']}.outputs.base_url }}}}/"
    }
    uploads = [step for step in steps if step.get("uses", "").startswith("actions/upload-pages")]
    assert [step["with"]["path"] for step in uploads] == ["site"]
    deploy_steps = jobs["deploy"]["steps"]
    assert [step["uses"] for step in deploy_steps] == ["actions/deploy-pages@v4"]


def test_resolve_workflow_runs_on_dumps_weekly_and_by_hand() -> None:
    triggers = _workflow(RESOLVE)["on"]
    assert isinstance(triggers, dict)
    assert triggers["push"] == {
        "branches": ["main"],
        "paths": ["dumps/**", "!dumps/papers.lock.yml"],
    }
    assert len(triggers["schedule"]) == 1 and "workflow_dispatch" in triggers


def test_resolve_workflow_writes_only_in_its_resolve_job_and_never_races() -> None:
    workflow = _workflow(RESOLVE)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"] == {"group": "resolve", "cancel-in-progress": False}
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    assert jobs["resolve"]["permissions"] == {"contents": "write"}
    assert "write" not in str(jobs["publish"]["permissions"].get("contents"))


def test_resolve_workflow_commits_a_changed_lock_file_then_publishes() -> None:
    jobs = _workflow(RESOLVE)["jobs"]
    assert isinstance(jobs, dict)
    runs = [step["run"] for step in jobs["resolve"]["steps"] if "run" in step]
    assert runs[0] == "make resolve"
    assert "git add dumps/papers.lock.yml" in runs[1] and "git push" in runs[1]
    publish = jobs["publish"]
    assert publish["uses"] == "./.github/workflows/publish.yml"
    assert publish["needs"] == "resolve"
    assert publish["if"] == "needs.resolve.outputs.changed == 'true'"
    # The caller grants what the publish workflow's deploy job asks for.
    deploy = _workflow(PUBLISH)["jobs"]["deploy"]["permissions"]  # type: ignore[index]
    assert deploy.items() <= publish["permissions"].items()
    assert "workflow_call" in _workflow(PUBLISH)["on"]  # type: ignore[operator]


# --- A new dump reaches the built site ----------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the project with one new, unlisted dump, built as `make site` builds it.

    Returns the project folder and what the generator printed to stderr.
    """
    project = _copy_project(tmp_path_factory.mktemp("project"))
    (project / "dumps" / NEW_DUMP).write_text(_dump_text(NEW_PAPERS), encoding="utf-8")
    generated = _generate(project)
    assert generated.returncode == 0, generated.stderr
    mkdocs = _run([str(BIN / "mkdocs"), "build", "--strict"], project)
    assert mkdocs.returncode == 0, mkdocs.stderr
    return project, generated.stderr


def test_every_address_in_the_site_is_under_the_published_one(built: tuple[Path, str]) -> None:
    site = built[0] / "site"
    feed = etree.parse(site / "feed.xml")
    links = [*feed.xpath("//link/text() | //guid/text() | //atom:link/@href", namespaces=ATOM)]
    opml = etree.parse(site / "feeds.opml")
    links += [*opml.xpath("//outline/@xmlUrl | //outline/@htmlUrl")]
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    links += [paper["url"] for paper in papers]
    links += etree.parse(site / "sitemap.xml").xpath("//s:loc/text()", namespaces=SITEMAP)
    assert len(links) > 2 * len(papers)  # papers.json and the sitemap, at least
    assert [link for link in links if not link.startswith(PUBLISHED_URL)] == []
    for path in site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".opml"}:
            text = path.read_text(encoding="utf-8")
            assert "127.0.0.1" not in text and "example.org" not in text, path


def test_the_new_dumps_titles_are_not_in_the_seed_dumps() -> None:
    seed = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "dumps").glob("*.txt"))
    assert not [title for title in NEW_PAPERS if title in seed]


def test_an_unlisted_dump_publishes_with_a_notice_naming_it(built: tuple[Path, str]) -> None:
    _, stderr = built
    notices = [line for line in stderr.splitlines() if line.startswith(f"{NEW_DUMP}: notice:")]
    assert len(notices) == 1
    assert "no entry in manifest.yml" in notices[0]
    assert "warning" not in stderr


def test_each_new_paper_has_a_page_with_its_abstract(built: tuple[Path, str]) -> None:
    site = built[0] / "site"
    records = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    by_title = {record["title"]: record for record in records}
    for title, abstract in NEW_PAPERS.items():
        record = by_title[title]
        assert record["abstract"] == abstract
        page = site / "papers" / record["id"] / "index.html"
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert title in text
        assert abstract in " ".join(text.split())


def test_home_page_shows_the_newest_capture_date(built: tuple[Path, str]) -> None:
    project, stderr = built
    # An unlisted dump without a date line is captured on the day it is built; the notice says so.
    match = re.search(rf"^{NEW_DUMP}: notice: .*captured (\S+);", stderr, re.MULTILINE)
    assert match is not None, stderr
    captured = dt.date.fromisoformat(match[1])
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert f"last updated {captured:%b} {captured.day}, {captured.year}" in text
    for title in NEW_PAPERS:
        assert title in text  # among the newest additions


# --- A dump that yields nothing, or nonsense, fails the build --------------------------------

WRONG_PAGE = "meta-llama/Llama-3-8B\n\nText Generation · Updated 5 days ago\n\nQwen/Qwen2-7B\n\nUpdated Jun 4\n"
BAD_DUMPS = {
    "only page chrome": (_dump_text({}).encode(), "900_bad.txt: warning: no papers found"),
    "not a paper listing": (
        WRONG_PAGE.encode(),
        "900_bad.txt:3: warning: too short for an abstract",
    ),
    "not UTF-8": (  # Latin-1: UTF-16 and UTF-32 are read as such
        _dump_text(NEW_PAPERS).replace("new", "caf\xe9", 1).encode("latin-1", "replace"),
        "900_bad.txt:1: warning: bytes that are not UTF-8",
    ),
    "binary data": (bytes(range(256)) * 8, "900_bad.txt: warning: not a text dump, refused"),
}


@pytest.mark.parametrize(("data", "message"), BAD_DUMPS.values(), ids=BAD_DUMPS.keys())
def test_a_bad_dump_fails_the_strict_build_naming_its_file(
    tmp_path: Path, data: bytes, message: str
) -> None:
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "900_bad.txt").write_bytes(data)
    args = ["--dumps", str(tmp_path / "dumps"), "--docs", str(tmp_path / "docs")]
    result = _run([sys.executable, "-m", "generator", "--strict", *args], ROOT)
    assert result.returncode == 1
    assert message in result.stderr
