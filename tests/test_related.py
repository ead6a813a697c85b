"""Related papers: never the paper itself, deterministic, exact, sensible on the seed corpus."""

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


def test_seed_papers_relate_within_their_subject(seed_catalog: Catalog) -> None:
    result = related_papers(seed_catalog.papers)
    titles = {p.id: p.title for p in seed_catalog.papers}
    [survey] = [p for p in seed_catalog.papers if p.title == "A Survey on Mixture of Experts"]
    on_moe = ["Mixture" in titles[i] or "MoE" in titles[i] for i in result[survey.id]]
    # Four of five, the first two included: the third shares "survey" and "large language".
    assert len(on_moe) == 5
    assert on_moe[:2] == [True, True]
    assert sum(on_moe) >= 4
    assert all(paper_id not in ids for paper_id, ids in result.items())


def test_abstract_only_papers_still_relate() -> None:
    untitled = [dataclasses.replace(p, title="") for p in PAPERS]
    assert related_papers(untitled, count=1)["kv-cache"] == ("kv-quant",)


def test_case_and_punctuation_do_not_matter() -> None:
    loud = paper("loud", "MIXTURE-OF-EXPERTS ROUTING!", "Sparse (experts), routers; load-balance.")
    quiet = paper("quiet", "mixture of experts routing", "sparse experts routers load balance")
    vectors = related.paper_vectors([loud, quiet, *PAPERS])
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


def test_unicode_words_are_one_term_with_or_without_accents() -> None:
    decomposed = "nai\u0308ve"  # "naïve" written with a combining diaeresis
    papers = [
        paper("a", "Naïve Bayes für Ünïcode"),
        paper("b", f"A {decomposed} baseline"),
        paper("c", "Na ve"),
        paper("d", "Ωmega sums"),
        paper("e", "ωmega"),
    ]
    result = related_papers(papers)
    assert (result["a"], result["b"], result["c"]) == (("b",), ("a",), ())
    assert (result["d"], result["e"]) == (("e",), ("d",))


def test_word_pairs_count_beyond_their_words() -> None:
    papers = [
        paper("q", "graph neural network"),
        paper("a", "network neural graph"),  # the same words, no pair in common
        paper("b", "neural network graph"),  # shares the pair "neural network"
    ]
    assert related_papers(papers)["q"] == ("b", "a")


def test_every_paper_gets_five_when_five_others_share_a_term() -> None:
    # Every paper says "transformer" (a term in all of them) and has a word of its own: all
    # scores are equal, so each paper's five are the smallest other ids.
    papers = [paper(f"p{n:02}", f"Transformer topic{n}") for n in range(60)]
    result = related_papers(papers)
    assert result["p00"] == ("p01", "p02", "p03", "p04", "p05")
    assert result["p03"] == ("p00", "p01", "p02", "p04", "p05")
    assert result["p59"] == ("p00", "p01", "p02", "p03", "p04")
    assert all(len(ids) == 5 for ids in result.values())


def test_blocks_of_rows_scored_again_do_not_change_the_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    papers = [paper(f"p{n:02}", f"Transformer topic{n}") for n in range(60)]
    whole = related_papers(papers)
    monkeypatch.setattr(related, "_BLOCK_ROWS", 7)
    assert related_papers(papers) == whole


def test_seed_papers_all_get_five_whatever_their_order(seed_catalog: Catalog) -> None:
    result = related_papers(seed_catalog.papers)
    assert all(len(ids) == 5 for ids in result.values())
    assert related_papers(seed_catalog.papers[::-1]) == result


def test_many_papers_get_exactly_their_most_similar_others() -> None:
    rng = random.Random(11)
    words = [f"w{n}" for n in range(2000)]
    papers = [
        paper(f"p{n:04}", " ".join(rng.sample(words, 3)), " ".join(rng.choices(words, k=25)))
        for n in range(3000)
    ]
    result = related_papers(papers)
    vectors = related.paper_vectors(papers)
    assert vectors is not None
    scores = (vectors @ vectors.T).toarray().astype(np.float64)
    np.fill_diagonal(scores, 0)
    for row, p in enumerate(papers):
        found = [int(other[1:]) for other in result[p.id]]
        assert len(found) == min(5, np.count_nonzero(scores[row]))
        best = scores[row, found]
        assert np.all(np.diff(best) <= 1e-6)
        scores[row, found] = 0
        assert scores[row].max() <= (best[-1] if len(found) == 5 else 0) + 1e-6
