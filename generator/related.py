"""Related papers: the most similar papers by TF-IDF cosine similarity of title and abstract.

Built to stay fast at tens of thousands of papers:

- terms in more than a tenth of the papers (and more than 50) are left out: they say little
  about which papers are related and are what makes similarity products dense;
- each paper keeps only its strongest `TERMS_PER_PAPER` terms (then is renormalised), so the
  work per paper is bounded whatever the abstract's length;
- the similarity matrix is never built whole: a block of rows at a time is multiplied against
  the corpus (a sparse product) and only each row's best few columns survive.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix

from generator.model import Paper

RELATED_COUNT = 5
TERMS_PER_PAPER = 12
_BLOCK_ROWS = 1024
_COMMON_SHARE = 10
_COMMON_MIN = 50
# Scores are rounded to this many steps before ranking, so float noise cannot reorder two papers
# with equal text similarity: equal scores fall back to the paper id.
_SCORE_STEPS = 1_000_000


def related_papers(
    papers: Sequence[Paper], count: int = RELATED_COUNT
) -> dict[str, tuple[str, ...]]:
    """Paper id -> ids of up to `count` most similar other papers, most similar first.

    Ties go to the smaller id; papers sharing no term are never related, and a paper is never
    related to itself. The result depends only on the papers, not on their order.
    """
    ordered = sorted(papers, key=lambda paper: paper.id)
    ids = [paper.id for paper in ordered]
    vectors = _vectorise([f"{paper.title}\n{paper.abstract}" for paper in ordered])
    if vectors is None or count < 1:
        return dict.fromkeys(ids, ())
    vectors = _keep_strongest(vectors, TERMS_PER_PAPER)
    transposed = vectors.T.tocsr()
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), _BLOCK_ROWS):
        block = vectors[start : start + _BLOCK_ROWS] @ transposed
        for offset, columns in enumerate(_top_k(block, start, count)):
            related[ids[start + offset]] = tuple(ids[column] for column in columns)
    return related


def _vectorise(texts: list[str]) -> csr_matrix | None:
    """TF-IDF rows of `texts`, or None when they hold no usable term (empty, stop words only)."""
    # Imported here: scikit-learn takes a second to import, and a run that finds nothing changed
    # (generator/state.py) never gets this far.
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415

    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        max_df=max(_COMMON_MIN, len(texts) // _COMMON_SHARE),
        dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:
        return None


def _keep_strongest(vectors: csr_matrix, terms: int) -> csr_matrix:
    """Each row's `terms` largest weights (ties to the earlier term), L2-normalised again."""
    rows = _row_of_each(vectors)
    order = np.argsort(_ranking_keys(rows, vectors.data, vectors.indices, vectors.shape[1]))
    kept = order[_leading(rows[order], terms)]
    strongest = csr_matrix(
        (vectors.data[kept], (rows[kept], vectors.indices[kept])), shape=vectors.shape
    )
    norms = np.sqrt(np.asarray(strongest.multiply(strongest).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return csr_matrix(strongest.multiply(1 / norms[:, np.newaxis]))


def _top_k(block: csr_matrix, start: int, count: int) -> list[list[int]]:
    """For each row of a block of similarities, its `count` best columns, best first.

    Rows are ranked by rounded score, then column; the diagonal (row `start + i` is paper
    `start + i`) and zero scores are dropped.
    """
    block = block.tocsr()
    rows = _row_of_each(block)
    columns = block.indices.astype(np.int64)
    useful = (columns != rows + start) & (np.rint(block.data * _SCORE_STEPS) > 0)
    rows, columns = rows[useful], columns[useful]
    order = np.argsort(_ranking_keys(rows, block.data[useful], columns, block.shape[1]))
    best = order[_leading(rows[order], count)]
    result: list[list[int]] = [[] for _ in range(block.shape[0])]
    for row, column in zip(rows[best].tolist(), columns[best].tolist(), strict=True):
        result[row].append(column)
    return result


def _ranking_keys(
    rows: np.ndarray, values: np.ndarray, columns: np.ndarray, width: int
) -> np.ndarray:
    """One int64 per entry that sorts by row, then rounded value (highest first), then column,
    so a single argsort ranks every row at once."""
    steps = np.rint(values.astype(np.float64) * _SCORE_STEPS).astype(np.int64)
    keys: np.ndarray = (rows * (_SCORE_STEPS + 1) + _SCORE_STEPS - steps) * width + columns
    return keys


def _row_of_each(matrix: csr_matrix) -> np.ndarray:
    """The row index of each stored entry of a CSR matrix."""
    return np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))


def _leading(sorted_rows: np.ndarray, count: int) -> np.ndarray:
    """Mask of the first `count` entries of each row, given entries grouped by row."""
    sizes = np.bincount(sorted_rows)
    starts = np.cumsum(sizes) - sizes
    mask: np.ndarray = np.arange(len(sorted_rows)) - starts[sorted_rows] < count
    return mask
