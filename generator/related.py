"""Related papers: the most similar papers by TF-IDF cosine similarity of title and abstract.

Built to stay fast at tens of thousands of papers, with numpy and scipy's sparse matrices:

- no Python object per word: a batch of papers becomes one byte buffer, lowercased, with all
  but ASCII letters and digits turned into separators (so "naïve" is "na" and "ve"); each run
  of letters and digits is hashed from its bytes, 8 at a time, and numbered through a hash
  table; a counting sort by term adds up each paper's repeats;
- TF-IDF as usual: sublinear term frequency (1 + ln count) times smooth inverse document
  frequency (ln((1 + papers) / (1 + papers with the term)) + 1), rows of unit length;
- single characters, English stop words and terms in more than a tenth of the papers (and more
  than 50) are left out: they say little about which papers are related and are what makes
  similarity products dense;
- each paper keeps only its strongest `TERMS_PER_PAPER` terms (then is renormalised), so the
  work per paper is bounded whatever the abstract's length;
- the similarity matrix is never built whole, and each pair of papers is scored once: a block
  of rows at a time is multiplied by the rows from its first one on (a sparse product). Only
  pairs at or above a floor similarity are kept, and each row's best are found with a per-row
  histogram of scores, so that only a handful of pairs per row is ever sorted.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from generator.model import Paper

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

RELATED_COUNT = 5
TERMS_PER_PAPER = 12
_BLOCK_ROWS = 1024
# Papers counted together, and read together (small enough for their byte buffers to be
# reused rather than mapped afresh each time).
_BATCH_PAPERS = 1024
_TEXT_PAPERS = 128
_COMMON_SHARE = 10
_COMMON_MIN = 50
# Terms are told apart by their first this many bytes: longer runs of letters and digits are
# encoded data rather than words (and each 8 bytes costs a hashing step).
_LONGEST_TERM = 64
# Scores are rounded to this many steps before ranking, so float noise cannot reorder two papers
# with equal text similarity: equal scores fall back to the paper id.
_SCORE_STEPS = 1_000_000
# The floor similarity: this percentile, over a sample of rows, of the worst of each row's best
# (itself and `count` others).
_SAMPLE_ROWS = 128
_FLOOR_PERCENTILE = 2
# Coarse score bins for finding each row's best entries without sorting them all: a score's bin
# is its steps shifted right, and 64 bins hold 2**20 > _SCORE_STEPS steps.
_COARSE_SHIFT = 14
_BINS = 64

# Bytes to their lowercase letter or digit; anything else separates terms.
_TERM_BYTES = bytes(
    byte if chr(byte).isascii() and chr(byte).isalnum() else 0 for byte in range(256)
).lower()
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: 2**64 / golden ratio, for multiplicative hashing
_TOP_BIT = np.uint64(1 << 63)

# English stop words: scikit-learn's list (from the Glasgow Information Retrieval Group).
_STOP_WORDS = """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg eight
    either eleven else elsewhere empty enough etc even ever every everyone everything everywhere
    except few fifteen fifty fill find fire first five for former formerly forty found four from
    front full further get give go had has hasnt have he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into
    is it its itself keep last latter latterly least less ltd made many may me meanwhile might
    mill mine more moreover most mostly move much must my myself name namely neither never
    nevertheless next nine no nobody none noone nor not nothing now nowhere of off often on once
    one only onto or other others otherwise our ours ourselves out over own part per perhaps
    please put rather re same see seem seemed seeming seems serious several she should show side
    since sincere six sixty so some somehow someone something sometime sometimes somewhere still
    such system take ten than that the their them themselves then thence there thereafter thereby
    therefore therein thereupon these they thick thin third this those though three through
    throughout thru thus to together too top toward towards twelve twenty two un under until up
    upon us very via was we well were what whatever when whence whenever where whereafter whereas
    whereby wherein whereupon wherever whether which while whither who whoever whole whom whose
    why will with within without would yet you your yours yourself yourselves
"""


def related_papers(
    papers: Sequence[Paper], count: int = RELATED_COUNT
) -> dict[str, tuple[str, ...]]:
    """Paper id -> ids of up to `count` most similar other papers, most similar first.

    Ties go to the smaller id; papers sharing no term are never related, and a paper is never
    related to itself. The result depends only on the papers, not on their order.
    """
    ordered = sorted(papers, key=lambda paper: paper.id)
    ids = [paper.id for paper in ordered]
    vectors = _paper_vectors(ordered) if count > 0 else None
    if vectors is None:
        return dict.fromkeys(ids, ())
    rows, columns = _most_similar(vectors, count)
    found = [ids[column] for column in columns.tolist()]
    ends = np.cumsum(np.bincount(rows, minlength=len(ids))).tolist()
    return {
        ids[row]: tuple(found[begin:end]) for row, (begin, end) in enumerate(pairwise([0, *ends]))
    }


class _Entries(NamedTuple):
    """A batch of papers' terms: one entry per paper and term in it, in no particular order."""

    rows: np.ndarray  # the paper's place in the batch
    columns: np.ndarray  # the term's column
    values: np.ndarray  # its count, or weight


def _paper_vectors(papers: Sequence[Paper]) -> csr_matrix | None:
    """Each paper's strongest `TERMS_PER_PAPER` TF-IDF weights (title and abstract) as a row of
    unit length, or None when the papers have no usable term."""
    # Single letters and digits are ignored too: terms have two characters or more.
    terms = _Terms([*_STOP_WORDS.split(), *string.ascii_lowercase, *string.digits])
    batches = [
        _term_counts(papers[start:end], terms)
        for start, end in _batches(len(papers), _BATCH_PAPERS)
    ]
    if not batches:
        return None
    papers_with = np.zeros(terms.size, np.int64)
    for batch in batches:
        papers_with += np.bincount(batch.columns, minlength=terms.size)
    usable = papers_with <= max(_COMMON_MIN, len(papers) // _COMMON_SHARE)
    idf = (np.log((1 + len(papers)) / (1 + papers_with)) + 1).astype(np.float32)
    kept = [_strongest(batch, usable, idf) for batch in batches]
    rows = np.concatenate(
        [
            piece.rows + start
            for piece, (start, _) in zip(kept, _batches(len(papers), _BATCH_PAPERS), strict=True)
        ]
    )
    if len(rows) == 0:
        return None
    columns = np.concatenate([piece.columns for piece in kept])
    weights = np.concatenate([piece.values for piece in kept]).astype(np.float32)
    return _csr((weights, (rows, columns)), (len(papers), terms.size))


def _batches(total: int, size: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive batches of `size` items out of `total`."""
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _strongest(counts: _Entries, usable: np.ndarray, idf: np.ndarray) -> _Entries:
    """The TF-IDF weights of a batch's usable terms, each paper's strongest `TERMS_PER_PAPER`
    only (ties to the term first seen, papers taken by id), as rows of unit length."""
    kept = usable[counts.columns]
    rows, columns = np.compress(kept, counts.rows), np.compress(kept, counts.columns)
    weights = (1 + np.log(np.compress(kept, counts.values), dtype=np.float32)) * idf[columns]
    height = int(rows.max(initial=-1)) + 1
    weights = _unit_rows(rows, weights, height)
    best = _best_in_rows(rows, _steps(weights), columns, (height, len(idf)), TERMS_PER_PAPER)
    return _Entries(rows[best], columns[best], _unit_rows(rows[best], weights[best], height))


def _term_counts(papers: Sequence[Paper], terms: _Terms) -> _Entries:
    """The terms of the papers' titles and abstracts and their counts, leaving out the terms
    `terms` ignores.

    A counting sort on the term's column (a CSR to CSC conversion) brings a term's repeats in
    a paper together to be added up, and the ignored terms' columns to the front to be cut
    off; the entries come by column, then paper."""
    columns: list[np.ndarray] = []
    indptr = [np.zeros(1, np.int32)]
    for start, end in _batches(len(papers), _TEXT_PAPERS):
        raw, offsets = _term_bytes(papers[start:end])
        hashes, starts = _term_hashes(raw)
        columns.append(terms.columns(hashes))
        indptr.append((np.searchsorted(starts, offsets[1:]) + indptr[-1][-1]).astype(np.int32))
    by_paper = _csr(
        (np.ones(indptr[-1][-1], np.int32), np.concatenate(columns), np.concatenate(indptr)),
        (len(papers), terms.size),
    )
    by_column = by_paper.tocsc()
    by_column.sum_duplicates()
    ignored = by_column.indptr[terms.ignored]
    column_of = np.repeat(
        np.arange(terms.ignored, terms.size, dtype=np.int32),
        np.diff(by_column.indptr[terms.ignored :]),
    )
    # Copies, so that the ignored terms' entries go.
    return _Entries(by_column.indices[ignored:].copy(), column_of, by_column.data[ignored:].copy())


def _term_bytes(papers: Sequence[Paper]) -> tuple[bytes, np.ndarray]:
    """The papers' titles and abstracts as one buffer of lowercase letters, digits and zero
    bytes (separators), padded with zeros, and the offsets where each paper starts (then where
    the last one ends)."""
    texts = [""] * (2 * len(papers))
    texts[0::2] = [paper.title for paper in papers]
    texts[1::2] = [paper.abstract for paper in papers]
    joined = "\0".join(["", *texts, "\0" * 7])
    sizes: Iterable[int] = map(len, texts)
    if not joined.isascii():
        sizes = (len(text.encode(errors="replace")) for text in texts)
    ends = np.cumsum(np.fromiter(sizes, np.int64, len(texts)).reshape(-1, 2).sum(axis=1) + 2)
    return joined.encode(errors="replace").translate(_TERM_BYTES), np.concatenate(([1], 1 + ends))


def _term_hashes(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A 64-bit hash of each term in a `_term_bytes` buffer, and where each term starts.

    A term of up to 8 bytes hashes to its bytes read as a number, so those never collide;
    longer ones hash to a number with the top bit set, from their first `_LONGEST_TERM` bytes."""
    letters = np.frombuffer(raw, np.uint8) != 0
    edges = np.flatnonzero(letters[1:] != letters[:-1]) + 1
    starts, lengths = edges[0::2], edges[1::2] - edges[0::2]
    hashes = _first_bytes(_eight_bytes(raw, 0)[starts], lengths)
    longer = np.flatnonzero(lengths > 8)
    if len(longer):
        hashes[longer] = _long_hashes(raw, starts[longer], lengths[longer], hashes[longer])
    return hashes, starts


def _long_hashes(
    raw: bytes, starts: np.ndarray, lengths: np.ndarray, hashes: np.ndarray
) -> np.ndarray:
    """`hashes` (of terms' first 8 bytes) carried on over their next bytes, 8 at a time."""
    for skip in range(8, min(int(lengths.max()), _LONGEST_TERM), 8):
        longer = np.flatnonzero(lengths > skip) if skip > 8 else slice(None)
        block = _first_bytes(_eight_bytes(raw, skip)[starts[longer]], lengths[longer] - skip)
        hashes[longer] = hashes[longer] * _MIX + block
    return hashes | _TOP_BIT


def _first_bytes(words: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each of `words` (8 little-endian bytes) with only its first `sizes` bytes (up to 8) kept."""
    drop = (64 - 8 * np.minimum(sizes, 8)).astype(np.uint64)
    kept: np.ndarray = (words << drop) >> drop
    return kept


def _eight_bytes(raw: bytes, skip: int) -> np.ndarray:
    """For each offset i, bytes i + skip to i + skip + 7 of `raw` as a little-endian number."""
    return np.ndarray((len(raw) - 7 - skip,), "<u8", raw, skip, (1,))


class _Terms:
    """Term hash -> column, numbered in order of first sight: a linear-probing hash table that
    grows fourfold whenever it is half full."""

    def __init__(self, ignored: Iterable[str]) -> None:
        """A table that knows the `ignored` terms first: their columns are those below
        `self.ignored`."""
        self._keys = np.zeros(1 << 16, np.uint64)
        self._numbers = np.full(1 << 16, -1, np.int32)
        self.size = 0
        raw = "\0".join(["", *sorted(ignored), "\0" * 7]).encode().translate(_TERM_BYTES)
        self.columns(_term_hashes(raw)[0])
        self.ignored = self.size

    def columns(self, hashes: np.ndarray) -> np.ndarray:
        """The column of each hash, numbering hashes not seen before."""
        result = np.empty(len(hashes), np.int32)
        start = 0
        while start < len(hashes):
            # At most half full before, at most three quarters full after: never full.
            end = start + len(self._keys) * 3 // 4 - self.size
            slots, claimed = _insert(self._keys, hashes[start:end])
            if len(claimed):
                fresh = np.unique(claimed)
                self._numbers[fresh] = np.arange(self.size, self.size + len(fresh))
                self.size += len(fresh)
            result[start:end] = self._numbers[slots]
            if self.size * 2 > len(self._keys):
                self._grow()
            start = end
        return result

    def _grow(self) -> None:
        held = np.flatnonzero(self._numbers >= 0)
        keys = np.zeros(len(self._keys) * 4, np.uint64)
        numbers = np.full(len(keys), -1, np.int32)
        numbers[_insert(keys, self._keys[held])[0]] = self._numbers[held]
        self._keys, self._numbers = keys, numbers


def _insert(keys: np.ndarray, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The slot of each hash in the table `keys` (0 marks a free slot), adding those missing,
    and the slots they were added to (some more than once).

    Linear probing for every hash at once: each round, hashes whose slot is free take it, and
    those whose slot holds another key move on to the next slot. The table must have a free
    slot for each new hash."""
    mask = len(keys) - 1
    slots = (hashes * _MIX >> np.uint64(64 - mask.bit_length())).astype(np.int64)
    waiting = np.flatnonzero(keys[slots] != hashes)
    claimed = []
    while len(waiting):
        at, wanted = slots[waiting], hashes[waiting]
        free = np.flatnonzero(keys[at] == 0)
        claimed.append(at[free])
        keys[at[free]] = wanted[free]
        waiting = waiting[keys[at] != wanted]
        slots[waiting] = (slots[waiting] + 1) & mask
    return slots, np.concatenate([np.zeros(0, np.int64), *claimed])


def _most_similar(vectors: csr_matrix, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The `count` most similar other rows of each row, as (row, column) pairs by row, best
    first: by rounded similarity, then column; zero similarities are dropped.

    Only pairs at or above a floor similarity are kept; the few rows with too few of those
    are compared with every row again. Any floor gives the same result; a good one spares
    ranking most pairs."""
    height = vectors.shape[0]
    wanted = count + 1  # a row's best include itself: take one more, then drop it
    floor = _floor(vectors, wanted)
    rows, columns, steps = _similar_pairs(vectors, floor)
    short = np.flatnonzero(np.bincount(rows[steps >= floor], minlength=height) < wanted)
    if len(short):
        kept = np.ones(height, bool)
        kept[short] = False
        kept = kept[rows]
        again = vectors[short] @ vectors.T
        rows = np.concatenate((np.compress(kept, rows), short[_row_of_each(again)]))
        columns = np.concatenate((np.compress(kept, columns), again.indices))
        steps = np.concatenate((np.compress(kept, steps), _steps(again.data)))
    best = _best_in_rows(rows, steps, columns, (height, height), wanted)
    rows, columns, steps = rows[best], columns[best], steps[best]
    useful = (columns != rows) & (steps > 0)
    rows, columns = np.compress(useful, rows), np.compress(useful, columns)
    best = _leading(rows, count)
    return np.compress(best, rows), np.compress(best, columns)


def _similar_pairs(vectors: csr_matrix, floor: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, steps) for every pair of rows whose similarity may round to `floor` steps
    or more, each way round (and rows with themselves).

    The similarity matrix is symmetric: a block of rows is multiplied by the rows from its own
    first one on, and what that finds for later rows is copied to them."""
    least = np.float32((floor - 1) / _SCORE_STEPS)
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, vectors.shape[0], _BLOCK_ROWS):
        end = start + _BLOCK_ROWS
        block = vectors[start:end] @ _rows_from(vectors, start).T
        at_least = np.flatnonzero(block.data >= least)
        rows = _row_of_each(block)[at_least] + np.int32(start)
        columns = block.indices[at_least] + np.int32(start)
        steps = _steps(block.data[at_least])
        later = columns >= end
        pieces += [
            (rows, columns, steps),
            (np.compress(later, columns), np.compress(later, rows), np.compress(later, steps)),
        ]
    return (
        np.concatenate([piece[0] for piece in pieces]),
        np.concatenate([piece[1] for piece in pieces]),
        np.concatenate([piece[2] for piece in pieces]),
    )


def _rows_from(matrix: csr_matrix, start: int) -> csr_matrix:
    """`matrix[start:]` without copying its entries."""
    first = matrix.indptr[start]
    return _csr(
        (matrix.data[first:], matrix.indices[first:], matrix.indptr[start:] - first),
        (matrix.shape[0] - start, matrix.shape[1]),
    )


def _csr(arrays: tuple[object, ...], shape: tuple[int, int]) -> csr_matrix:
    """`csr_matrix(arrays, shape=shape)`, with scipy imported on first use rather than with this
    module: a run that finds nothing to do never needs it (a fifth of a second to import), and a
    full run works out related papers in a second process (`build.py`), which imports it there."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415

    return csr_matrix(arrays, shape=shape)


def _floor(vectors: csr_matrix, wanted: int) -> int:
    """A similarity (in steps) that most rows have `wanted` others at or above, judged from
    `_SAMPLE_ROWS` rows spread over all (0 when none of those has `wanted` others)."""
    spread = max(1, vectors.shape[0] // _SAMPLE_ROWS)
    sample = vectors[::spread][:_SAMPLE_ROWS] @ vectors.T
    rows, steps = _row_of_each(sample), _steps(sample.data)
    best = _best_in_rows(rows, steps, sample.indices, sample.shape, wanted)
    rows, steps = rows[best], steps[best]
    last = _leading(rows, wanted) & ~_leading(rows, wanted - 1)
    if not last.any():
        return 0
    return int(np.percentile(steps[last], _FLOOR_PERCENTILE, method="lower"))


def _steps(values: np.ndarray) -> np.ndarray:
    """Values in [0, 1] rounded to whole `_SCORE_STEPS`, as int32."""
    scaled = values * np.float32(_SCORE_STEPS)
    np.rint(scaled, out=scaled)
    return np.minimum(scaled, _SCORE_STEPS).astype(np.int32)


def _best_in_rows(
    rows: np.ndarray, steps: np.ndarray, columns: np.ndarray, shape: tuple[int, int], count: int
) -> np.ndarray:
    """Positions of each row's `count` best entries, grouped by row, best first.

    Best is the most `_steps`, then the smallest column. Only the entries in each row's top
    coarse bins (enough of them to hold `count`) are sorted."""
    coarse = steps >> _COARSE_SHIFT
    per_bin = np.bincount(rows * _BINS + coarse, minlength=shape[0] * _BINS)
    from_top = np.cumsum(per_bin.reshape(shape[0], _BINS)[:, ::-1], axis=1)
    lowest = (_BINS - 1 - np.argmax(from_top >= count, axis=1)).astype(np.int32)
    lowest[from_top[:, -1] < count] = 0
    candidates = np.flatnonzero(coarse >= lowest[rows])
    keys = _ranking_keys(rows[candidates], steps[candidates], columns[candidates], shape[1])
    order = candidates[np.argsort(keys)]
    best: np.ndarray = np.compress(_leading(rows[order], count), order)
    return best


def _ranking_keys(
    rows: np.ndarray, steps: np.ndarray, columns: np.ndarray, width: int
) -> np.ndarray:
    """One int64 per entry that sorts by row, then steps (most first), then column, so a
    single argsort ranks every row at once."""
    keys = rows.astype(np.int64) * (_SCORE_STEPS + 1) + _SCORE_STEPS
    keys -= steps
    keys *= width
    keys += columns
    return keys


def _unit_rows(rows: np.ndarray, values: np.ndarray, height: int) -> np.ndarray:
    """`values` scaled so that each row's add up to unit length."""
    norms = np.sqrt(np.bincount(rows, values * values, minlength=height))
    scaled: np.ndarray = values / norms[rows]
    return scaled


def _row_of_each(matrix: csr_matrix) -> np.ndarray:
    """The row index of each stored entry of a CSR matrix."""
    return np.repeat(np.arange(matrix.shape[0], dtype=np.int32), np.diff(matrix.indptr))


def _leading(sorted_rows: np.ndarray, count: int) -> np.ndarray:
    """Mask of the first `count` entries of each row, given entries grouped by row."""
    if len(sorted_rows) == 0:
        return np.zeros(0, bool)
    sizes = np.bincount(sorted_rows)
    starts = np.cumsum(sizes) - sizes
    mask: np.ndarray = np.arange(len(sorted_rows)) - starts[sorted_rows] < count
    return mask
