"""Papers linked to themselves: the seed site built with a small lock file, and the links made
from abstracts for every paper."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from generator.build import Build
from generator.cite import bibtex
from generator.lock import LOCK_NAME, parse_lock
from generator.model import Identity, Paper
from generator.text import Segment, github_repository, link_segments
from tests.conftest import ROOT, TODAY, build_seed, copy_project, run_generator, run_mkdocs

SCHEMA = json.loads((ROOT / "schema" / "papers.schema.json").read_text(encoding="utf-8"))
SURVEY = "a-survey-on-mixture-of-experts"
LOCK = f"""\
papers:
  {SURVEY}:
    title: A Survey on Mixture of Experts
    status: resolved
    match: title
    arxiv_id: '2407.06204'
    hub_title: A Survey on Mixture of Experts
    authors: [Weilin Cai, Juyong Jiang, "Fan <Wang>", Jiayi Huang]
    published: 2024-06-26
    code_url: https://github.com/withinmiaov/A-Survey-on-Mixture-of-Experts
    project_url: https://example.org/moe-survey
    resolved_at: '2026-01-15T10:00:00Z'
  a-comprehensive-survey-of-mixture-of-experts-algorithms-theory-and-applications:
    title: A Comprehensive Survey of Mixture-of-Experts
    status: unresolved
    tried_at: '2026-01-15T10:00:00Z'
"""


@pytest.fixture(scope="module")
def linked() -> Build:
    return build_seed(parse_lock(yaml.safe_load(LOCK)))


def _page(build: Build, paper_id: str) -> BeautifulSoup:
    return BeautifulSoup(build.plan.files[f"papers/{paper_id}.md"].decode(), "html.parser")


def _export(build: Build) -> dict[str, dict[str, object]]:
    data = json.loads(build.plan.files["papers.json"])
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return {paper["id"]: paper for paper in data["papers"]}


# --- A paper in the lock file -------------------------------------------------------------------


def test_a_resolved_paper_page_links_the_paper_lists_authors_and_gives_bibtex(
    linked: Build,
) -> None:
    page = _page(linked, SURVEY)
    hrefs = {a.get_text(): a["href"] for a in page.select(".paper-links a")}
    assert hrefs == {
        "arXiv 2407.06204": "https://arxiv.org/abs/2407.06204",
        "PDF": "https://arxiv.org/pdf/2407.06204",
        "Hugging Face": "https://huggingface.co/papers/2407.06204",
        "Code": "https://github.com/withinmiaov/A-Survey-on-Mixture-of-Experts",
        "Project page": "https://example.org/moe-survey",
    }
    assert (
        page.select_one(".paper-authors").get_text()
        == "Weilin Cai, Juyong Jiang, Fan <Wang>, Jiayi Huang"
    )
    assert page.select_one(".paper-side .paper-facts li").get_text() == "Jun 26, 2024"
    entry = page.select_one("pre.bibtex code").get_text()
    assert entry.startswith("@misc{cai2024survey,\n")
    assert "  author = {Weilin Cai and Juyong Jiang and Fan <Wang> and Jiayi Huang},\n" in entry
    assert "  eprint = {2407.06204},\n" in entry and "  year = {2024},\n" in entry
    assert page.find(id="find-it") is None


def test_a_resolved_paper_gives_reference_managers_its_tags(linked: Build) -> None:
    text = linked.plan.files[f"papers/{SURVEY}.md"].decode()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["citation_authors"] == [
        "Weilin Cai",
        "Juyong Jiang",
        "Fan &lt;Wang&gt;",
        "Jiayi Huang",
    ]
    assert meta["citation_publication_date"] == "2024/06/26"
    assert meta["citation_pdf_url"] == "https://arxiv.org/pdf/2407.06204"
    assert meta["citation_arxiv_id"] == "2407.06204"


def test_the_export_carries_the_lock_files_fields_and_matches_its_schema(linked: Build) -> None:
    paper = _export(linked)[SURVEY]
    assert paper["arxiv_id"] == "2407.06204"
    assert paper["authors"] == ["Weilin Cai", "Juyong Jiang", "Fan <Wang>", "Jiayi Huang"]
    assert paper["published"] == "2024-06-26"
    assert paper["project_url"] == "https://example.org/moe-survey"
    assert isinstance(paper["bibtex"], str) and "eprint = {2407.06204}" in paper["bibtex"]


def test_feeds_name_the_authors_and_link_the_paper(linked: Build) -> None:
    atom = feedparser.parse(
        linked.plan.files["feeds/collections/training-at-trillion-scale.atom.xml"]
    )
    entry = next(e for e in atom.entries if e.id.endswith(f"/papers/{SURVEY}/"))
    assert [a.name for a in entry.authors] == [
        "Weilin Cai",
        "Juyong Jiang",
        "Fan <Wang>",
        "Jiayi Huang",
    ]
    assert [link.href for link in entry.links] == [entry.id]
    assert '<a href="https://arxiv.org/abs/2407.06204">arXiv 2407.06204</a>' in entry.summary
    rss = linked.plan.files["feeds/collections/training-at-trillion-scale.xml"].decode()
    assert (
        "<dc:creator>Weilin Cai</dc:creator>" in rss
        and "<dc:creator>Fan &lt;Wang&gt;</dc:creator>" in rss
    )
    item = next(e for e in feedparser.parse(rss).entries if e.id.endswith(f"/papers/{SURVEY}/"))
    assert '<a href="https://arxiv.org/pdf/2407.06204">PDF</a>' in item.summary
    assert "Weilin Cai, Juyong Jiang, Fan &lt;Wang&gt;, Jiayi Huang" in item.summary


def test_the_summary_counts_papers_left_to_resolve(linked: Build) -> None:
    assert linked.coverage.linked == 1
    assert linked.coverage.pending == len(linked.catalog.papers) - 1


# --- Every paper ----------------------------------------------------------------------------------


def test_without_a_lock_entry_a_page_is_as_before(linked: Build, seed_build: Build) -> None:
    other = "scaling-laws-for-neural-machine-translation"
    assert linked.plan.files[f"papers/{other}.md"] == seed_build.plan.files[f"papers/{other}.md"]
    assert _page(seed_build, SURVEY).find(id="find-it") is not None
    assert _export(seed_build)[SURVEY]["arxiv_id"] is None


def test_abstract_addresses_are_links_and_a_github_one_is_the_code_link(seed_build: Build) -> None:
    papers = [p for p in seed_build.catalog.papers if p.code_url and p.identity is None]
    assert len(papers) > 100
    paper = papers[0]
    page = _page(seed_build, paper.id)
    abstract_links = [a["href"] for a in page.select("p.abstract a")]
    assert paper.code_url in abstract_links
    assert not [href for href in abstract_links if href.endswith((".", ",", ")"))]
    assert [a["href"] for a in page.select(".paper-links a")] == [paper.code_url]


def test_cards_mark_papers_with_code(seed_build: Build) -> None:
    with_code = {p.id for p in seed_build.catalog.papers if p.code_url}
    page = BeautifulSoup(
        seed_build.plan.files["collections/scaling-laws.md"].decode(), "html.parser"
    )
    cards = page.select(".paper-card")
    marked = {
        c.select_one(".paper-card__title")["href"].split("/")[-2]
        for c in cards
        if c.select_one(".paper-card__code")
    }
    listed = {c.select_one(".paper-card__title")["href"].split("/")[-2] for c in cards}
    assert marked and marked == listed & with_code


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        (
            "Code: https://github.com/a/b.",
            [("Code: ", None), ("https://github.com/a/b", "https://github.com/a/b"), (".", None)],
        ),
        (
            "(see https://x.org/a_(b)), then",
            [("(see ", None), ("https://x.org/a_(b)", "https://x.org/a_(b)"), ("), then", None)],
        ),
        (
            "at github.com/a/b, now",
            [("at ", None), ("github.com/a/b", "http://github.com/a/b"), (", now", None)],
        ),
        ("run train.py on arXiv.org", [("run train.py on arXiv.org", None)]),
        ("javascript:alert(1) and <script>", [("javascript:alert(1) and <script>", None)]),
        ("mail me@x.org or ftp://x.org/f", [("mail me@x.org or ftp://x.org/f", None)]),
    ],
)
def test_link_segments(text: str, segments: list[tuple[str, str | None]]) -> None:
    assert link_segments(text) == tuple(Segment(t, h) for t, h in segments)


@pytest.mark.parametrize(
    ("text", "repository"),
    [
        ("at https://github.com/Org/Repo.git.", "https://github.com/Org/Repo"),
        (
            "see https://github.com/org/repo/tree/main/x and https://github.com/b/c",
            "https://github.com/org/repo",
        ),
        ("the https://github.com/org page", None),
        ("https://gitlab.com/a/b", None),
    ],
)
def test_github_repository(text: str, repository: str | None) -> None:
    assert github_repository(text) == repository


def test_hostile_abstract_text_is_never_markup(tmp_path: Path) -> None:
    segments = link_segments('x https://a.org/"><script>alert(1)</script> y')
    assert [s.href for s in segments if s.href] == ["https://a.org/"]


def test_bibtex_escapes_what_tex_reads() -> None:
    paper = Paper("p", "50% of {Data} & $5_x#", (), "", (), TODAY)
    paper = Paper(
        **{
            **{f: getattr(paper, f) for f in Paper.__slots__},
            "identity": Identity("2401.00001", "", ("Émile Zoë",)),
        }
    )  # type: ignore[arg-type]
    entry = bibtex(paper)
    assert entry is not None
    assert r"title = {{50\% of \{Data\} \& \$5\_x\#}}," in entry
    assert entry.startswith("@misc{zoe50,")


# --- The built site ---------------------------------------------------------------------------


def test_the_built_site_has_google_scholar_tags_and_the_summary_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    for dump in (project / "dumps").glob("00[0-3]_*.txt"):
        dump.unlink()
    (project / "dumps" / LOCK_NAME).write_text(LOCK, encoding="utf-8")
    generated = run_generator(project)
    assert generated.returncode == 0, generated.stderr
    total = int(re.search(r"(\d+) papers from", generated.stdout).group(1))  # type: ignore[union-attr]
    assert (
        f"links: 1/{total} papers found on the Hub; {total - 1} unresolved (run make resolve)"
        in generated.stdout
    )
    built = run_mkdocs(project)
    assert built.returncode == 0, built.stderr
    head = BeautifulSoup(
        (project / "site" / "papers" / SURVEY / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    ).head
    assert [m["content"] for m in head.select('meta[name="citation_author"]')] == [
        "Weilin Cai",
        "Juyong Jiang",
        "Fan <Wang>",
        "Jiayi Huang",
    ]
    assert (
        head.select_one('meta[name="citation_pdf_url"]')["content"]
        == "https://arxiv.org/pdf/2407.06204"
    )
    assert head.select_one('meta[name="citation_arxiv_id"]')["content"] == "2407.06204"
    assert head.select_one('meta[name="citation_publication_date"]')["content"] == "2024/06/26"
    assert not head.select('meta[name="citation_author"]') or "<Wang>" not in str(head).replace(
        "&lt;Wang&gt;", ""
    )
