"""Related papers: the most similar papers by TF-IDF cosine similarity of title and abstract.

Built to stay fast at tens of thousands of papers, with numpy and scipy.sparse only:

- texts are tokenised without a Python object per word: a batch of papers becomes one byte
  buffer, lowercased with everything but ASCII letters and digits turned into separators; each
  run of two or more of those bytes is a term, hashed from its bytes (8 at a time) and numbered
  through an open-addressing table;
- TF-IDF as usual: sublinear term frequency (1 + ln count) times smooth inverse document
  frequency (ln((1 + papers) / (1 + papers with the term)) + 1), rows of unit length;
- English stop words, and terms in more than a tenth of the papers (and more than 50), are left
  out: they say little about which papers are related and are what makes similarity products
  dense;
- each paper keeps only its strongest `TERMS_PER_PAPER` terms (then is renormalised), so the
  work per paper is bounded whatever the abstract's length;
- the similarity matrix is never built whole: a block of rows at a time is multiplied against
  the corpus (a sparse product) and only each row's best few columns survive, found with a
  per-row histogram of scores so that only a handful of entries per row is ever sorted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix

from generator.model import Paper

RELATED_COUNT = 5
TERMS_PER_PAPER = 12
_BLOCK_ROWS = 1024
_BATCH_PAPERS = 512
_COMMON_SHARE = 10
_COMMON_MIN = 50
# Longer runs of letters and digits are encoded data rather than words (and would cost a hashing
# step per 8 bytes).
_LONGEST_TERM = 64
# Scores are rounded to this many steps before ranking, so float noise cannot reorder two papers
# with equal text similarity: equal scores fall back to the paper id.
_SCORE_STEPS = 1_000_000
# Each block's floor score: this percentile of the sixth best score of its first rows.
_SAMPLE_ROWS = 64
_FLOOR_PERCENTILE = 5
# Coarse score bins for finding each row's best entries without sorting them all: a score's bin
# is its steps shifted right, and 64 bins hold 2**20 > _SCORE_STEPS steps.
_COARSE_SHIFT = 14
_BINS = 64

# Bytes to their lowercase letter or digit; anything else separates terms.
_TERM_BYTES = bytes(
    byte if chr(byte).isascii() and chr(byte).isalnum() else 0 for byte in range(256)
).lower()
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: 2**64 / golden ratio, for multiplicative hashing
_LOW_BYTES = np.array([(1 << (8 * size)) - 1 for size in range(8)] + [2**64 - 1], np.uint64)

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
    vectors = _paper_vectors(ordered)
    if vectors is None or count < 1:
        return dict.fromkeys(ids, ())
    transposed = vectors.T.tocsr()
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), _BLOCK_ROWS):
        rows, columns = _top_k(vectors[start : start + _BLOCK_ROWS] @ transposed, start, count)
        found = [ids[column] for column in columns.tolist()]
        ends = np.cumsum(np.bincount(rows, minlength=min(_BLOCK_ROWS, len(ids) - start)))
        for offset, (begin, end) in enumerate(pairwise([0, *ends.tolist()])):
            related[ids[start + offset]] = tuple(found[begin:end])
    return related


class _Counts(NamedTuple):
    """How often terms occur in a batch of texts: one entry per text and term in it."""

    rows: np.ndarray  # the text's place in the batch
    columns: np.ndarray  # the term's column
    counts: np.ndarray


def _paper_vectors(papers: Sequence[Paper]) -> csr_matrix | None:
    """Each paper's strongest `TERMS_PER_PAPER` TF-IDF weights (title and abstract) as a row of
    unit length, or None when the papers have no usable term."""
    terms = _Terms(_STOP_WORDS.split())
    batches = [
        _term_counts([f"{paper.title}\n{paper.abstract}" for paper in papers[start:end]], terms)
        for start, end in _batches(len(papers), _BATCH_PAPERS)
    ]
    if not batches:
        return None
    papers_with = np.bincount(
        np.concatenate([batch.columns for batch in batches]), minlength=terms.size
    )
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
    weights = np.concatenate([piece.counts for piece in kept])
    return csr_matrix((weights, (rows, columns)), shape=(len(papers), terms.size))


def _batches(total: int, size: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive batches of `size` items out of `total`."""
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _strongest(batch: _Counts, usable: np.ndarray, idf: np.ndarray) -> _Counts:
    """TF-IDF weights of a batch's usable terms, each text's strongest `TERMS_PER_PAPER` only,
    as rows of unit length (in place of counts)."""
    kept = usable[batch.columns]
    rows, columns = batch.rows[kept], batch.columns[kept]
    weights = (1 + np.log(batch.counts[kept], dtype=np.float32)) * idf[columns]
    height = int(rows.max(initial=-1)) + 1
    weights = _unit_rows(rows, weights, height)
    best = _best_in_rows(rows, _steps(weights), columns, (height, len(idf)), TERMS_PER_PAPER)
    return _Counts(rows[best], columns[best], _unit_rows(rows[best], weights[best], height))


def _term_counts(texts: Sequence[str], terms: _Terms) -> _Counts:
    """The terms of `texts` and their counts, leaving out the terms `terms` ignores.

    A term's repeats in a text are merged by a counting sort on the term's column (a CSR to
    CSC conversion), so the entries come by column, then text."""
    raw, offsets = _term_bytes(texts)
    hashes, starts = _term_hashes(raw)
    columns = terms.columns(hashes)
    wanted = columns >= terms.ignored
    by_text = csr_matrix(
        (
            np.ones(np.count_nonzero(wanted), np.int8),
            columns[wanted],
            np.searchsorted(starts[wanted], offsets),
        ),
        shape=(len(texts), terms.size),
    )
    by_column = by_text.tocsc()
    rows = by_column.indices
    firsts = np.empty(len(rows) + 1, bool)
    firsts[0] = True
    np.not_equal(rows[1:], rows[:-1], out=firsts[1:-1])
    firsts[by_column.indptr] = True
    where = np.flatnonzero(firsts[:-1])
    column_of = np.repeat(np.arange(terms.size, dtype=np.int32), np.diff(by_column.indptr))
    return _Counts(rows[where], column_of[where], np.diff(where, append=len(rows)))


def _term_bytes(texts: Sequence[str]) -> tuple[bytes, np.ndarray]:
    """`texts` as one buffer of lowercase letters, digits and zero bytes (separators), padded
    with zeros on both sides, and the offsets where each text starts (then where the last ends)."""
    parts = [text.encode() for text in texts]
    sizes = np.fromiter(map(len, parts), np.int64, len(parts)) + 1
    offsets = np.concatenate(([1], 1 + np.cumsum(sizes)))
    raw = b"\0" + b"\0".join(parts).translate(_TERM_BYTES) + bytes(_LONGEST_TERM + 8)
    return raw, offsets


def _term_hashes(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A 64-bit hash of each term in a `_term_bytes` buffer, and where each term starts.

    Terms of up to 8 bytes hash to their bytes read as a number, so those never collide."""
    letters = np.frombuffer(raw, np.uint8) != 0
    edges = np.flatnonzero(letters[1:] != letters[:-1]) + 1
    starts, lengths = edges[0::2], edges[1::2] - edges[0::2]
    wanted = (lengths >= 2) & (lengths <= _LONGEST_TERM)
    starts, lengths = starts[wanted], lengths[wanted]
    hashes = _eight_bytes(raw, 0)[starts] & _LOW_BYTES[np.minimum(lengths, 8)]
    for skip in range(8, int(lengths.max(initial=0)), 8):
        longer = np.flatnonzero(lengths > skip)
        block = _eight_bytes(raw, skip)[starts[longer]]
        block &= _LOW_BYTES[np.minimum(lengths[longer] - skip, 8)]
        hashes[longer] = hashes[longer] * _MIX + block
    return hashes, starts


def _eight_bytes(raw: bytes, skip: int) -> np.ndarray:
    """For each offset i, bytes i + skip to i + skip + 7 of `raw` as a little-endian number."""
    return np.ndarray((len(raw) - 7 - skip,), "<u8", raw, skip, (1,))


class _Terms:
    """Term hash -> column, numbered in order of first sight: a linear-probing hash table that
    grows fourfold whenever it is half full."""

    def __init__(self, ignored: Iterable[str]) -> None:
        """A table that knows the `ignored` words first: their columns are those below
        `self.ignored`."""
        self._keys = np.zeros(1 << 16, np.uint64)
        self._numbers = np.full(1 << 16, -1, np.int32)
        self.size = 0
        self.columns(_term_hashes(_term_bytes(sorted(ignored))[0])[0])
        self.ignored = self.size

    def columns(self, hashes: np.ndarray) -> np.ndarray:
        """The column of each hash, numbering hashes not seen before."""
        result = np.empty(len(hashes), np.int32)
        start = 0
        while start < len(hashes):
            # A quarter of the slots at most: at most half full before, so never full.
            end = start + len(self._keys) // 4
            slots = _insert(self._keys, hashes[start:end])
            numbers = self._numbers[slots]
            new = numbers < 0
            if new.any():
                fresh = np.unique(slots[new])
                self._numbers[fresh] = np.arange(self.size, self.size + len(fresh))
                self.size += len(fresh)
                numbers[new] = self._numbers[slots[new]]
            result[start:end] = numbers
            if self.size * 2 > len(self._keys):
                self._grow()
            start = end
        return result

    def _grow(self) -> None:
        held = np.flatnonzero(self._numbers >= 0)
        keys = np.zeros(len(self._keys) * 4, np.uint64)
        numbers = np.full(len(keys), -1, np.int32)
        numbers[_insert(keys, self._keys[held])] = self._numbers[held]
        self._keys, self._numbers = keys, numbers


def _insert(keys: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """The slot of each hash in the table `keys` (0 marks a free slot), adding those missing.

    Linear probing for every hash at once: each round, hashes whose slot holds another key move
    on to the next slot. The table must have a free slot for each new hash."""
    mask = len(keys) - 1
    slots = (hashes * _MIX >> np.uint64(64 - mask.bit_length())).astype(np.int64)
    free = keys[slots] == 0
    keys[slots[free]] = hashes[free]
    waiting = np.flatnonzero(keys[slots] != hashes)
    while len(waiting):
        slots[waiting] = (slots[waiting] + 1) & mask
        at, wanted = slots[waiting], hashes[waiting]
        free = keys[at] == 0
        keys[at[free]] = wanted[free]
        waiting = waiting[keys[at] != wanted]
    return slots


def _top_k(block: csr_matrix, start: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The `count` best columns of each row of a block of similarities, as (row, column) pairs
    by row, best first.

    Rows are ranked by rounded score, then column; the diagonal (row `start + i` is paper
    `start + i`) and zero scores are dropped.
    """
    # The row's own column may be among its best: take one more, then drop it.
    rows, columns, steps = _candidates(block, count + 1)
    best = _best_in_rows(rows, steps, columns, block.shape, count + 1)
    rows, columns, steps = rows[best], columns[best], steps[best]
    useful = (columns != rows + start) & (steps > 0)
    rows, columns = rows[useful], columns[useful]
    best = _leading(rows, count)
    return rows[best], columns[best]


def _candidates(block: csr_matrix, wanted: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, steps) of a block's entries that can be among their row's `wanted` best.

    Most rows have plenty of entries at or above a floor: a low percentile of the `wanted`-th
    best score of a sample of rows. Those rows keep only such entries; the few others keep all
    of theirs. Any floor gives the same result; a good one saves ranking most entries."""
    sizes = np.diff(block.indptr)
    floor = _floor(block, wanted)
    at_least = np.flatnonzero(block.data >= np.float32((floor - 1) / _SCORE_STEPS))
    rows = np.searchsorted(block.indptr, at_least, side="right") - 1
    steps = _steps(block.data[at_least])
    enough = np.bincount(rows[steps >= floor], minlength=block.shape[0]) >= wanted
    kept = enough[rows]
    short = np.flatnonzero(~enough)
    everything = _entries_of(block.indptr, short)
    return (
        np.concatenate((rows[kept], np.repeat(short, sizes[short]))),
        np.concatenate((block.indices[at_least[kept]], block.indices[everything])),
        np.concatenate((steps[kept], _steps(block.data[everything]))),
    )


def _floor(block: csr_matrix, wanted: int) -> int:
    """A score (in steps) that most rows of `block` have `wanted` entries at or above, judged
    from its first `_SAMPLE_ROWS` rows (0 when none of those has `wanted` entries)."""
    sample = block[:_SAMPLE_ROWS]
    rows, steps = _row_of_each(sample), _steps(sample.data)
    best = _best_in_rows(rows, steps, sample.indices, sample.shape, wanted)
    rows, steps = rows[best], steps[best]
    last = _leading(rows, wanted) & ~_leading(rows, wanted - 1)
    if not last.any():
        return 0
    return int(np.percentile(steps[last], _FLOOR_PERCENTILE, method="lower"))


def _entries_of(indptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions of every entry of `rows` in a CSR matrix, row after row."""
    sizes = indptr[rows + 1] - indptr[rows]
    firsts = np.repeat(indptr[rows] - np.cumsum(sizes) + sizes, sizes)
    return firsts + np.arange(len(firsts))


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
    lowest = _BINS - 1 - np.argmax(from_top >= count, axis=1)
    lowest[from_top[:, -1] < count] = 0
    candidates = np.flatnonzero(coarse >= lowest[rows])
    keys = _ranking_keys(rows[candidates], steps[candidates], columns[candidates], shape[1])
    order = candidates[np.argsort(keys)]
    best: np.ndarray = order[_leading(rows[order], count)]
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
