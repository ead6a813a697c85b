"""Topics: term matching, scoring, the taxonomy file, the seed corpus and the built site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import ConfigError
from generator.export import export_json
from generator.model import Catalog, Paper, Problem, Severity
from generator.render import render_paper_page, render_topic_page
from generator.topics import (
    Topic,
    TopicMatch,
    assign_topics,
    check_pins,
    load_topics,
    term_pattern,
)

ROOT = Path(__file__).resolve().parent.parent

TOPICS_YML = ROOT / "topics.yml"


def paper(title: str, abstract: str = "", paper_id: str = "p", **fields: Any) -> Paper:
    """A paper with the given text; other fields get plain defaults unless given."""
    first_seen = dt.date(2025, 3, 11)
    base = Paper(paper_id, title, (), abstract, ("c",), first_seen)
    return dataclasses.replace(base, **fields)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("mixture of experts", "A Mixture-of-Experts model"),
        ("mixture-of-experts", "sparse mixture of experts layers"),
        ("mixture of experts", "MIXTURE OF EXPERTS"),
        ("pre-training", "efficient pretraining"),
        ("fine tuning", "parameter-efficient finetuning"),
        ("scaling law", "new scaling laws for"),
        ("batch", "large batches"),
        ("quantization", "post-training quantisation"),
        ("optimizer", "a memory-light optimiser"),
        ("MoE", "MoE layers"),
        ("MoE", "several MoEs"),
        ("LoRA", "fine-tuned with LoRA."),
        ("KV cache", "compressing the KV-Cache"),
        ("chain of thought", "chain-of-thought prompting"),
    ],
)
def test_term_matches_its_variants(term: str, text: str) -> None:
    assert re.search(term_pattern(term), text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("MoE", "the moe of it"),  # an acronym matches only as written
        ("LoRA", "QLoRA adapters"),  # inside another word
        ("RL", "a URL"),
        ("code", "an encoder-decoder model"),
        ("code", "codebook learning"),
        ("scaling law", "scaling lawful"),
        ("translation", "translational medicine"),
    ],
)
def test_term_does_not_match(term: str, text: str) -> None:
    assert not re.search(term_pattern(term), text)


MOE = Topic("moe", "Mixture of experts", "Sparse experts.", ("mixture of experts", "MoE"))
CODE = Topic("code", "Code", "Programs.", ("code",), exclude=("code-switching",))


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        ("Routing in MoE models", "", ("MoE",)),  # a title match is enough
        ("Sparse models", "We study a mixture of experts.", None),  # one abstract mention is not
        ("Sparse models", "A mixture of experts (MoE) model.", ("mixture of experts", "MoE")),
        ("Sparse models", "MoE here. MoE there.", ("MoE",)),
        ("Dense models", "Nothing about experts.", None),
    ],
)
def test_title_counts_more_than_abstract(
    title: str, abstract: str, expected: tuple[str, ...] | None
) -> None:
    matches = assign_topics([paper(title, abstract)], [MOE])["p"]
    assert matches == ((TopicMatch("moe", expected),) if expected else ())


def test_exclude_terms_keep_a_paper_out() -> None:
    papers = [
        paper("Code generation with LLMs", paper_id="a"),
        paper("Code-switching in translation", "Writing code in two languages.", paper_id="b"),
    ]
    assert assign_topics(papers, [CODE]) == {"a": (TopicMatch("code", ("code",)),), "b": ()}


def test_one_place_counts_once_per_topic_and_reports_the_longest_term() -> None:
    agents = Topic("agents", "Agents", "Acting.", ("agent", "web agent", "web-agent"))
    once = paper("Browsing", "A web agent browses.")
    twice = paper("Browsing", "A web agent browses; the agent clicks.")
    assert assign_topics([once, dataclasses.replace(twice, id="q")], [agents]) == {
        "p": (),
        "q": (TopicMatch("agents", ("agent", "web agent")),),
    }


def test_a_shorter_term_of_another_topic_inside_a_longer_match_still_counts() -> None:
    multimodal = Topic("mm", "Multimodal", "Images.", ("cross-modal",))
    alignment = Topic("al", "Alignment", "RLHF.", ("alignment",), ("cross-modal alignment",))
    result = assign_topics([paper("Cross-modal alignment in VLMs")], [multimodal, alignment])
    assert result == {"p": (TopicMatch("mm", ("cross-modal",)),)}


def test_a_paper_can_be_in_several_topics_in_taxonomy_order() -> None:
    matches = assign_topics([paper("Code for MoE models")], [MOE, CODE])["p"]
    assert [match.topic for match in matches] == ["moe", "code"]


EDGES = Topic(
    "edges",
    "Edges",
    "Terms next to unusual text.",
    (
        "agent",
        "mixture of experts",
        "MoE",
        "KV cache",
        "knowledge distillation",
        "GPT-3.5",
        "10,000 GPUs",
    ),
)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Multi-agentë systems", None),  # a non-ASCII letter is part of the word
        ("Ωagent systems", None),
        ("agent\u2014based “agent” systems", ("agent",)),  # a dash or a quote is not
        ("Mixture\u00a0of\u2009experts", ("mixture of experts",)),  # Unicode spaces separate
        ("Mixture" + " -" * 20 + " of experts", ("mixture of experts",)),
        ("MoE\u2014routing", ("MoE",)),
        ("MOE routing, Moe routing, moe routing", None),  # an acronym in another case
        ("éMoE routing", None),
        ("\u212anowledge distillation", ("knowledge distillation",)),  # a Kelvin sign lowers to k
        ("\u212aV cache", None),  # but it is not the K of an acronym
        ("GPT-3.5 as a judge", ("GPT-3.5",)),
        ("GPT-3,5 as a judge", None),
        ("Training on 10,000 GPUs", ("10,000 GPUs",)),  # a comma between digits is in the word
        ("Training on 10000 GPUs", None),
        ("Training on 10,000, GPUs", None),
        ("Agent", ("agent",)),
    ],
)
def test_terms_next_to_unusual_text(title: str, expected: tuple[str, ...] | None) -> None:
    matches = assign_topics([paper(title, "Plain text."), paper("Nothing", paper_id="q")], [EDGES])
    assert matches == {"p": (TopicMatch("edges", expected),) if expected else (), "q": ()}


def test_a_term_does_not_run_from_the_title_into_the_abstract() -> None:
    matches = assign_topics([paper("Sparse mixture of", "experts. Mixture of experts.")], [EDGES])
    assert matches == {"p": ()}


# Words, separators and neighbours for texts on which the automaton must find what each term's
# regular expression finds, no more and no less.
WORDS = [
    *("mixture", "of", "experts", "expert", "agent", "web", "MoE", "moe", "MOE", "LoRA", "KV"),
    *("cache", "quantization", "quantisation", "pre", "training", "pretraining", "GPT", "3.5"),
    *("code", "switching", "scaling", "law", "laws", "s", "es", "C", "x", "_", "10", "000"),
    *("é", "ß", "İ", "\u212a", "Σ", "π", "\u212anowledge", "distillation", "o'clock", "café"),
]
GLUE = ["", " ", " ", "-", " - ", "--", "\t", "\u00a0", "\u2009", "\x1c", ".", ",", "'", "’"]
GLUE += ["(", ")", "—", "\u2028", "\0"]
TERMS = [
    *("mixture of experts", "MoE", "LoRA", "KV cache", "quantization", "pre-training", "GPT-3.5"),
    *("code", "code-switching", "scaling law", "agent", "web agent", "C", "o'clock", "10,000"),
    *("knowledge distillation", "café", "expert"),
]
text_strategy = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE), st.booleans()), max_size=25
).map(lambda parts: "".join((w.upper() if up else w) + glue for w, glue, up in parts))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_a_term_in_the_title_is_found_exactly_where_its_pattern_matches(title: str) -> None:
    topics = [Topic(f"t{i}", "T", "d", (term,)) for i, term in enumerate(TERMS)]
    [matches] = assign_topics([paper(title)], topics).values()
    found = {match.topic for match in matches}
    assert found == {
        f"t{i}" for i, term in enumerate(TERMS) if re.search(term_pattern(term), title)
    }


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_topics_reads_every_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "topics:\n  - slug: moe\n    name: MoE\n    description: >-\n      Sparse\n      experts.\n"
        "    include: [mixture of experts, MoE]\n    exclude: [moe-like]\n"
        "    papers: [switch-transformers]\n    not_papers: ['moe-like-routing', '2401.04088']\n",
    )
    assert load_topics(path) == (
        Topic(
            "moe",
            "MoE",
            "Sparse experts.",
            ("mixture of experts", "MoE"),
            ("moe-like",),
            papers=("switch-transformers",),
            not_papers=("moe-like-routing", "2401.04088"),
            source=str(path),
        ),
    )


MINIMAL = "topics:\n  - slug: a\n    name: A\n    description: d\n    include: [x]\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a top-level 'topics:' list"),
        (
            "topics:\n  - slug: a\n    name: A\n    include: [x]\n",
            "topic a: description is required",
        ),
        (
            "topics:\n  - slug: A B\n    name: A\n    description: d\n    include: [x]\n",
            "slug must",
        ),
        (
            "topics:\n  - slug: uncategorised\n    name: U\n    description: d\n    include: [x]\n",
            "slug must",
        ),
        ("topics:\n  - slug: a\n    name: A\n    description: d\n    include: []\n", "include"),
        ("topics:\n  - slug: a\n    name: A\n    description: d\n    include: x\n", "include"),
        ("topics:\n  - slug: a\n    name: A\n    description: d\n    include: ['--']\n", "'--'"),
        # Characters the matcher would drop, so the term would quietly match something else.
        (f"{MINIMAL[:-4]}['x\\']\n", "include: 'x\\\\' cannot match as written: '\\\\' is not"),
        (f"{MINIMAL[:-4]}[C++]\n", "include: 'C++' cannot match as written: '+' is not part of a"),
        (f"{MINIMAL}    exclude: [R&D]\n", "exclude: 'R&D' cannot match as written: '&' is not"),
        (f"{MINIMAL[:-4]}[x, U.S.]\n", "'U.S.' cannot match as written: '.' is not part of a word"),
        (f"{MINIMAL[:-4]}[pre-]\n", "'pre-' cannot match as written: '-' is not part of a word"),
        (f"{MINIMAL[:-4]}[a_b]\n", "'a_b' cannot match as written: '_' is not part of a word"),
        (f"{MINIMAL[:-4]}['1,a']\n", "'1,a' cannot match as written: ',' is not part of a word"),
        (
            "topics:\n  - slug: a\n    name: A\n    description: d\n    include: [x]\n    tags: []\n",
            "unknown keys ['tags']",
        ),
        (
            "topics:\n" + "  - slug: a\n    name: A\n    description: d\n    include: [x]\n" * 2,
            "topic 'a': slug used twice",
        ),
        ("topics: [\n", "invalid YAML"),
        (f"{MINIMAL}    papers: p\n", "topic a: papers must be a list of paper ids"),
        (f"{MINIMAL}    papers: [2401.04088]\n", "papers: 2401.04088 is not a paper id (write it"),
        (f"{MINIMAL}    not_papers: [p, '']\n", "not_papers: '' is not a paper id"),
        (f"{MINIMAL}    papers: [p, q, p]\n", "topic a: papers: 'p' is listed twice"),
        (
            f"{MINIMAL}    papers: [p]\n    not_papers: [p]\n",
            "'p' is in both papers and not_papers",
        ),
    ],
)
def test_load_topics_rejects_bad_input(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        load_topics(path)
    assert str(path) in str(error.value)


PINNED = Topic("moe", "MoE", "Experts.", ("MoE",), papers=("dense", "gone"), not_papers=("moe",))


def test_pins_by_id_put_a_paper_in_a_topic_or_keep_it_out() -> None:
    papers = [
        paper("Dense models", paper_id="dense"),  # pinned in, no term: listed with no terms
        paper("MoE routing", paper_id="moe"),  # the terms put it in, the curator keeps it out
        paper("MoE layers", paper_id="other"),
    ]
    assert assign_topics(papers, [PINNED]) == {
        "dense": (TopicMatch("moe", ()),),
        "moe": (),
        "other": (TopicMatch("moe", ("MoE",)),),
    }


def test_a_pin_outweighs_an_exclude_term_and_keeps_the_terms_that_matched() -> None:
    topic = dataclasses.replace(CODE, papers=("b",))
    papers = [paper("Code-switching in code", "Code and code.", paper_id="b")]
    assert assign_topics(papers, [topic]) == {"b": (TopicMatch("code", ()),)}
    pinned = dataclasses.replace(MOE, papers=("p",))
    assert assign_topics([paper("Routing in MoE models")], [pinned]) == {
        "p": (TopicMatch("moe", ("MoE",)),)
    }


def test_check_pins_warns_of_ids_that_name_no_paper() -> None:
    topic = dataclasses.replace(PINNED, source="curated/topics.yml")
    message = "topic moe: papers: no paper has the id 'gone'"
    assert check_pins([topic], {"dense", "moe"}) == (
        Problem("curated/topics.yml", None, message, Severity.NOTICE),
    )
    assert str(check_pins([topic], {"dense", "gone"})[0]) == (
        "curated/topics.yml: notice: topic moe: not_papers: no paper has the id 'moe'"
    )


def test_a_pin_to_an_unknown_paper_is_printed_as_a_notice_and_does_not_fail_a_strict_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taxonomy = TOPICS_YML.read_text(encoding="utf-8").replace(
        "    include:\n", "    papers: ['no-such-paper']\n    include:\n", 1
    )
    path = write(tmp_path, taxonomy)
    args = ["--dumps", str(ROOT / "dumps"), "--topics", str(path), "--docs", str(tmp_path / "docs")]
    assert main([*args, "--config", str(ROOT / "mkdocs.yml"), "--strict"]) == 0
    err = capsys.readouterr().err
    assert f"{path}: notice: topic scaling-laws: papers: no paper has the id 'no-such-paper'" in err


SeedTopics = tuple[tuple[Topic, ...], dict[str, tuple[TopicMatch, ...]]]


@pytest.fixture(scope="module")
def seed_topics(seed_catalog: Catalog) -> SeedTopics:
    topics = load_topics(TOPICS_YML)
    return topics, assign_topics(seed_catalog.papers, topics)


def test_shipped_taxonomy_covers_the_seed_corpus(
    seed_catalog: Catalog, seed_topics: SeedTopics
) -> None:
    topics, assignments = seed_topics
    total = len(seed_catalog.papers)
    covered = sum(1 for matches in assignments.values() if matches)
    sizes = Counter(match.topic for matches in assignments.values() for match in matches)
    assert 15 <= len(topics) <= 30
    assert covered / total >= 0.9
    assert max(sizes.values()) < total / 4  # no topic so broad it holds most papers
    assert set(sizes) == {topic.slug for topic in topics}  # no topic is empty


def test_every_pin_of_the_shipped_taxonomy_names_a_seed_paper(seed_catalog: Catalog) -> None:
    topics = load_topics(TOPICS_YML)
    assert any(topic.papers or topic.not_papers for topic in topics)
    assert check_pins(topics, {p.id for p in seed_catalog.papers}) == ()


# Seed papers labelled by hand: (title start, topics it must be in, topics it must not be in).
HAND_LABELLED = [
    ("A Survey on Mixture of Experts", {"mixture-of-experts", "surveys"}, {"code"}),
    ("GaLore: Memory-Efficient", {"memory-efficient-training"}, {"mixture-of-experts"}),
    ("KIVI: A Tuning-Free", {"quantization-and-compression", "efficient-inference"}, set()),
    ("Scaling Laws for Neural Machine", {"scaling-laws", "multilingual-and-translation"}, set()),
    ("DeepSpeed Ulysses", {"distributed-training", "long-context"}, set()),
    ("CodeT5+", {"code"}, {"multilingual-and-translation"}),
    ("Contextual Code Switching", {"multilingual-and-translation"}, {"code"}),
    ("Negative Preference Optimization", {"machine-unlearning"}, set()),
    ("The FineWeb Datasets", {"pretraining-data"}, {"multimodal"}),
    ("Large Language Models are Zero-Shot Reasoners", {"reasoning"}, set()),
    (
        "Parameter-Efficient Fine-Tuning for Large",
        {"parameter-efficient-fine-tuning", "surveys"},
        set(),
    ),
    ("GatorTron", {"domain-specific-models"}, {"code"}),
    ("Large Batch Optimization for Deep", {"optimizers-and-large-batch-training"}, set()),
    ("VILA: On Pre-training", {"multimodal"}, {"code"}),
    ("SOAP: Improving and Stabilizing", {"optimizers-and-large-batch-training"}, set()),
    # Misfilings a reader reported: "batch size", "speech" and "mathematical" alone.
    ("KIVI: A Tuning-Free", {"efficient-inference"}, {"optimizers-and-large-batch-training"}),
    ("ILASR: Privacy-Preserving", set(), {"multimodal", "optimizers-and-large-batch-training"}),
    ("Scaling Laws for Autoregressive Generative", {"scaling-laws", "multimodal"}, {"reasoning"}),
    ("H$_2$O: Heavy-Hitter Oracle", {"efficient-inference"}, {"memory-efficient-training"}),
    ("Diversity-Driven Synthesis", set(), {"quantization-and-compression"}),
    ("Towards Expert-Level Medical", {"domain-specific-models"}, {"long-context"}),
    ("AdAdaGrad: Adaptive Batch Size", {"optimizers-and-large-batch-training"}, set()),
    ("Hydragen: High-Throughput LLM", {"efficient-inference"}, set()),
    # Pinned by id: BIG-bench's abstract names no evaluation term.
    ("Beyond the Imitation Game", {"evaluation-and-benchmarks"}, {"reasoning"}),
]


@pytest.mark.parametrize(("title", "must", "must_not"), HAND_LABELLED)
def test_hand_labelled_seed_papers(
    seed_catalog: Catalog, seed_topics: SeedTopics, title: str, must: set[str], must_not: set[str]
) -> None:
    _, assignments = seed_topics
    [found] = [p for p in seed_catalog.papers if p.title.startswith(title)]
    slugs = {match.topic for match in assignments[found.id]}
    assert must <= slugs
    assert not must_not & slugs


def test_topic_page_lists_papers_newest_first_with_escaped_text() -> None:
    topic = Topic("t", "<b>Bold</b> topic", "Uses *stars*.", ("x",))
    papers = [
        paper("Undated", paper_id="u", first_seen=dt.date(2025, 1, 1)),
        paper("Old", paper_id="o", date=dt.date(2024, 1, 1)),
        paper("New", paper_id="n", date=dt.date(2025, 2, 1)),
    ]
    page = render_topic_page(topic, papers, None)
    assert page.index(">New</a>") < page.index(">Old</a>") < page.index(">Undated</a>")
    assert "&lt;b&gt;Bold&lt;/b&gt; topic" in page
    assert "<p>Uses *stars*.</p>" in page  # the body is HTML (html_body): no Markdown runs on it
    assert "html_body: 1" in page
    assert "<strong>3 papers</strong>" in page


def test_paper_page_shows_topics_with_terms_and_related_papers() -> None:
    moe_paper = paper("MoE routing", paper_id="moe-routing", collections=())
    other = paper("Other", paper_id="other")
    page = render_paper_page(moe_paper, {}, [(MOE, TopicMatch("moe", ("MoE",)))], [other]).replace(
        "\n\n", "\n"
    )
    assert (
        '<h2 id="topics">Topics</h2>\n<ul data-pagefind-meta="topics:Mixture of experts">\n'
        '<li><a href="../../topics/moe/">Mixture of experts</a>: matched “MoE”' in page
    )
    assert (
        '<h2 id="related-papers">Related papers</h2>\n<ul>\n<li><a href="../other/">Other</a></li>'
        in page
    )
    pinned = render_paper_page(moe_paper, {}, [(MOE, TopicMatch("moe", ()))])
    assert (
        '<a href="../../topics/moe/">Mixture of experts</a>: listed by id in topics.yml' in pinned
    )
    lonely = render_paper_page(paper("Nothing", collections=()), {})
    assert '<a href="../../topics/uncategorised/">Uncategorised</a>' in lonely
    assert "Related papers" not in lonely


def test_json_export_lists_topic_slugs_and_related_ids() -> None:
    papers = [paper("MoE routing", paper_id="a"), paper("Other", paper_id="b")]
    assignments = {"a": (TopicMatch("moe", ("MoE",)), TopicMatch("code", ("code",)))}
    exported = json.loads(export_json(papers, "https://x.org/", assignments, {"a": ("b",)}))
    records = {record["id"]: record for record in exported["papers"]}
    assert (records["a"]["topics"], records["a"]["related"]) == (["moe", "code"], ["b"])
    assert (records["b"]["topics"], records["b"]["related"]) == ([], [])


def test_generated_site_builds_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generated = {"papers", "collections", "topics", "feeds", "index.md", "papers.json"}
    shutil.copytree(
        ROOT / "docs", tmp_path / "docs", ignore=lambda _, names: generated & set(names)
    )
    shutil.copytree(ROOT / "generator" / "theme", tmp_path / "generator" / "theme")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    args = ["--dumps", str(ROOT / "dumps"), "--topics", str(TOPICS_YML)]
    assert (
        main([*args, "--docs", str(tmp_path / "docs"), "--config", str(ROOT / "mkdocs.yml")]) == 0
    )
    summary = capsys.readouterr().out
    assert re.search(
        r"topics: \d+/507 papers \(\d+\.\d%\) in a curated topic; \d+ uncategorised", summary
    )
    assert (tmp_path / "docs" / "topics" / "uncategorised.md").is_file()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {"About", "Collections", "Topics"} <= _nav_titles(tmp_path / "site" / "index.html")
    # The nav is pruned to the open section: a topic's page shows every topic in it.
    topic = tmp_path / "site" / "topics" / "reasoning" / "index.html"
    assert {"Mixture of experts", "Reasoning", "Scaling laws"} <= _nav_titles(topic)
    assert (tmp_path / "site" / "topics" / "mixture-of-experts" / "index.html").is_file()


def _nav_titles(page: Path) -> set[str]:
    """The titles of a built page's navigation entries."""
    root = lxml.html.parse(str(page)).getroot()
    return {span.text_content().strip() for span in root.xpath("//span[@class='md-ellipsis']")}
