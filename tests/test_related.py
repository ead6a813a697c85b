"""Related papers: never the paper itself, deterministic, sensible on the seed corpus."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from generator import related
from generator.model import Catalog, Paper
from generator.related import related_papers


def paper(paper_id: str, title: str, abstract: str = "") -> Paper:
    return Paper(paper_id, title, (), abstract, ("c",), dt.date(2025, 3, 11))


PAPERS = [
    paper("moe-routing", "Expert routing for mixture of experts", "Sparse experts and routers."),
    paper("moe-scaling", "Scaling mixture of experts", "Experts scale; routers balance load."),
    paper("moe-survey", "A survey of sparse experts", "Routers, experts and load balance."),
    paper("kv-cache", "Compressing the KV cache", "Quantized keys and values for serving."),
    paper("kv-quant", "KV cache quantization", "Two-bit keys and values for serving."),
    paper("lonely", "Bananas", "Orchards."),
]


def test_related_papers_are_the_most_similar_others() -> None:
    result = related_papers(PAPERS, count=2)
    assert set(result) == {p.id for p in PAPERS}
    assert set(result["moe-routing"]) == {"moe-scaling", "moe-survey"}
    assert result["kv-cache"] == ("kv-quant",)  # MoE papers share no term with it
    assert result["lonely"] == ()


def test_a_paper_is_never_related_to_itself_even_as_a_duplicate() -> None:
    twins = [*PAPERS, paper("moe-routing-2", PAPERS[0].title, PAPERS[0].abstract)]
    result = related_papers(twins)
    assert all(paper_id not in ids for paper_id, ids in result.items())
    assert result["moe-routing"][0] == "moe-routing-2"
    assert all(len(ids) <= 5 for ids in result.values())


def test_ties_go_to_the_smaller_id_whatever_the_input_order() -> None:
    same = [paper(f"p{n}", "Mixture of experts", "Sparse routers.") for n in (3, 1, 4, 2, 5)]
    expected = related_papers([*same, *PAPERS], count=3)
    assert expected["p3"] == ("p1", "p2", "p4")
    shuffled = [*same, *PAPERS]
    random.Random(7).shuffle(shuffled)
    assert related_papers(shuffled, count=3) == expected


@pytest.mark.parametrize("papers", [[], [PAPERS[0]], [paper("a", "the"), paper("b", "of")]])
def test_too_few_papers_or_terms_give_no_related_papers(papers: list[Paper]) -> None:
    assert related_papers(papers) == {p.id: () for p in papers}


def test_blocks_do_not_change_the_result(
    seed_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = related_papers(seed_catalog.papers)
    monkeypatch.setattr(related, "_BLOCK_ROWS", 7)
    assert related_papers(seed_catalog.papers) == whole


def test_seed_papers_relate_within_their_subject(seed_catalog: Catalog) -> None:
    result = related_papers(seed_catalog.papers)
    titles = {p.id: p.title for p in seed_catalog.papers}
    [survey] = [p for p in seed_catalog.papers if p.title == "A Survey on Mixture of Experts"]
    assert all("Mixture" in titles[i] or "MoE" in titles[i] for i in result[survey.id][:3])
    assert len(result[survey.id]) == 5
    assert all(paper_id not in ids for paper_id, ids in result.items())


def test_abstract_only_papers_still_relate() -> None:
    untitled = [dataclasses.replace(p, title="") for p in PAPERS]
    assert related_papers(untitled, count=1)["kv-cache"] == ("kv-quant",)
