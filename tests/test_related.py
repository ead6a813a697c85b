"""Related papers: never the paper itself, deterministic, sensible on the seed corpus."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import numpy as np
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


def test_case_and_punctuation_do_not_matter() -> None:
    loud = paper("loud", "MIXTURE-OF-EXPERTS ROUTING!", "Sparse (experts), routers; load-balance.")
    quiet = paper("quiet", "mixture of experts routing", "sparse experts routers load balance")
    vectors = related._paper_vectors([loud, quiet, *PAPERS])
    assert vectors is not None
    assert (vectors[0] != vectors[1]).nnz == 0
    assert related_papers([loud, quiet, *PAPERS], count=1)["loud"] == ("quiet",)


def test_terms_are_two_or_more_letters_or_digits() -> None:
    papers = [
        paper("a", "x 2 y", "Z, 7."),
        paper("b", "x 2 y", "Z, 7."),
        paper("c", "o1 and GPT4"),
        paper("d", "O1, gpt4"),
    ]
    result = related_papers(papers)
    assert (result["a"], result["b"]) == ((), ())
    assert (result["c"], result["d"]) == (("d",), ("c",))


def test_other_characters_separate_terms_and_keep_papers_apart() -> None:
    papers = [
        paper("a", "Naïve Bayes für Ünïcode", "Ωmega — ∑ “quotes” " * 20),
        paper("b", "KV cache", "Quantized keys."),
        paper("c", "KV cache", "Quantized values."),
        paper("d", "Bayes"),
    ]
    result = related_papers(papers)
    assert (result["a"], result["b"], result["c"]) == (("d",), ("c",), ("b",))


def test_a_term_in_more_than_a_tenth_of_the_papers_relates_none() -> None:
    # Every paper says "transformer" and has a word of its own.
    papers = [paper(f"p{n:02}", f"Transformer topic{n}") for n in range(60)]
    assert all(ids == () for ids in related_papers(papers).values())
    # Up to 50 papers, no term is too common.
    assert all(len(ids) == 5 for ids in related_papers(papers[:50]).values())


def test_the_floor_only_saves_work(seed_catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    usual = related_papers(seed_catalog.papers)
    monkeypatch.setattr(related, "_floor", lambda vectors, wanted: 0)
    assert related_papers(seed_catalog.papers) == usual


def test_many_papers_get_their_most_similar_others() -> None:
    rng = random.Random(11)
    words = [f"w{n}" for n in range(2000)]
    papers = [
        paper(f"p{n:04}", " ".join(rng.sample(words, 3)), " ".join(rng.choices(words, k=25)))
        for n in range(3000)
    ]
    result = related_papers(papers)
    vectors = related._paper_vectors(papers)
    assert vectors is not None
    dense = vectors.toarray().astype(np.float64)
    scores = dense @ dense.T
    np.fill_diagonal(scores, 0)
    assert sum(len(ids) == 5 for ids in result.values()) > 2900
    for row, p in enumerate(papers):
        found = [int(other[1:]) for other in result[p.id]]
        best = scores[row, found]
        assert np.all(np.diff(best) <= 1e-6)
        scores[row, found] = 0
        assert scores[row].max() <= (best[-1] if len(found) == 5 else 0) + 1e-6
