"""Related papers: the most similar papers by TF-IDF cosine similarity of title and abstract.

- scikit-learn's `TfidfVectorizer` weighs each paper's words and word pairs: English stop words
  left out, Unicode words of two or more letters or digits (accents stripped, so "naïve" is one
  term, the same as "naive"), sublinear term frequency, rows of unit length, so that a product
  of two rows is their cosine similarity.
- sparse_dot_topn's `sp_matmul_topn` multiplies the vectors by their transpose keeping only each
  row's best scores, on every CPU: the whole similarity matrix is never stored.
- The result is exact: a row whose cut falls inside a tie (equal scores, which go to the
  smaller id, where the library keeps any of them) is scored again in full with scipy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from generator.model import Paper

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

RELATED_COUNT = 5
# Scores are rounded to this many steps before ranking, so float noise cannot reorder two papers
# with equal text similarity: equal scores fall back to the paper id.
_SCORE_STEPS = 1_000_000
# A term: two or more Unicode letters or digits (Python's `\w`, so "naïve" is one word).
_TERM = r"(?u)\b\w\w+\b"
# Rows scored again in full at a time (each row of the product has up to one entry per paper).
_BLOCK_ROWS = 256


def related_papers(
    papers: Sequence[Paper], count: int = RELATED_COUNT, threads: int = 1
) -> dict[str, tuple[str, ...]]:
    """Paper id -> ids of the `count` most similar other papers, most similar first.

    Every paper that shares a term with `count` others gets `count`; fewer only when fewer
    share one. Ties go to the smaller id; a paper is never related to itself. The result depends
    only on the papers, not on their order (nor on `threads`).

    `threads` over 1 multiply on that many threads, with OpenMP: a process that has done so
    must not fork a child that does it too (GNU OpenMP then hangs in the child), so only a
    process that forks no such child should pass more (`build.py`'s forked worker).
    """
    ordered = sorted(papers, key=lambda paper: paper.id)
    ids = [paper.id for paper in ordered]
    vectors = paper_vectors(ordered) if count > 0 else None
    if vectors is None:
        return dict.fromkeys(ids, ())
    best = _most_similar(vectors, count, threads)
    found: dict[str, list[str]] = {paper_id: [] for paper_id in ids}
    for row, column in zip(best.rows.tolist(), best.columns.tolist(), strict=True):
        found[ids[row]].append(ids[column])
    return {paper_id: tuple(others) for paper_id, others in found.items()}


def paper_vectors(papers: Sequence[Paper]) -> csr_matrix | None:
    """The papers' TF-IDF vectors (title and abstract), one row of unit length a paper, in the
    given order; None when no paper has a term (say, only stop words)."""
    # Imported here, not with this module: a run with nothing to do never needs scikit-learn
    # (about a second to import), and a full run works out related papers in a second process.
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415

    vectorizer = TfidfVectorizer(
        strip_accents="unicode",
        token_pattern=_TERM,
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        vectors: csr_matrix = vectorizer.fit_transform(
            [f"{paper.title}\n{paper.abstract}" for paper in papers]
        )
    except ValueError:  # "empty vocabulary": no paper has a term
        return None
    return vectors


class _Scores(NamedTuple):
    """Similarity scores as entries (row, column, score in whole `_SCORE_STEPS`)."""

    rows: np.ndarray
    columns: np.ndarray
    steps: np.ndarray


def _most_similar(vectors: csr_matrix, count: int, threads: int) -> _Scores:
    """Each row's `count` most similar other rows, by row, best first (most steps, then the
    smaller column); rows sharing no term are never similar."""
    from sparse_dot_topn import sp_matmul_topn  # noqa: PLC0415 - only a full run needs it

    # Room for the row itself, and one more: a row whose `count`-th best other scores above the
    # worst of these is settled, as any score left out is at most that worst one.
    kept = count + 2
    top = sp_matmul_topn(vectors, vectors.T, top_n=kept, threshold=0.0, n_threads=threads)
    scores = _entries(top, np.arange(top.shape[0]))
    unsettled = _unsettled(scores, count, kept)
    if len(unsettled):
        again = [
            _entries(vectors[block] @ vectors.T, block)
            for block in np.split(unsettled, range(_BLOCK_ROWS, len(unsettled), _BLOCK_ROWS))
        ]
        scores = _concatenate([_without_rows(scores, unsettled), *again])
    return _best_others(scores, count)


def _entries(matrix: csr_matrix, rows: np.ndarray) -> _Scores:
    """The stored entries of a block of similarity rows (row `i` of `matrix` is row `rows[i]`
    of the whole), scores rounded to `_SCORE_STEPS`."""
    steps = np.rint(matrix.data * np.float32(_SCORE_STEPS)).astype(np.int32)
    return _Scores(np.repeat(rows, np.diff(matrix.indptr)), matrix.indices, steps)


def _best_others(scores: _Scores, count: int) -> _Scores:
    """The best `count` entries of each row but the row's own, by row, best first."""
    others = scores.columns != scores.rows
    rows, columns, steps = (np.compress(others, part) for part in scores)
    order = np.lexsort((columns, -steps, rows))
    ranked = _Scores(rows[order], columns[order], steps[order])
    return _Scores(*(np.compress(_places(ranked.rows) < count, part) for part in ranked))


def _places(rows: np.ndarray) -> np.ndarray:
    """Each entry's place in its row (0 for the first), given entries grouped by row."""
    sizes = np.bincount(rows)
    starts = np.cumsum(sizes) - sizes
    places: np.ndarray = np.arange(len(rows)) - starts[rows]
    return places


def _unsettled(scores: _Scores, count: int, kept: int) -> np.ndarray:
    """Rows whose best `count` others may include a score the top-k product left out: rows
    with `kept` scores, the worst of them not below their `count`-th best other's."""
    height = int(scores.rows.max(initial=-1)) + 1
    full = np.bincount(scores.rows, minlength=height) == kept
    worst = np.full(height, _SCORE_STEPS + 1, np.int64)
    np.minimum.at(worst, scores.rows, scores.steps)
    best = _best_others(scores, count)
    last = np.zeros(height, np.int64)  # a full row has more than `count` others
    at_count = _places(best.rows) == count - 1
    last[best.rows[at_count]] = best.steps[at_count]
    return np.flatnonzero(full & (last <= worst))


def _without_rows(scores: _Scores, rows: np.ndarray) -> _Scores:
    """`scores` without the entries of `rows`."""
    kept = ~np.isin(scores.rows, rows)
    return _Scores(*(np.compress(kept, part) for part in scores))


def _concatenate(pieces: Sequence[_Scores]) -> _Scores:
    """The entries of all `pieces`, in order."""
    return _Scores(*(np.concatenate(parts) for parts in zip(*pieces, strict=True)))
