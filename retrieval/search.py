"""Sentence search: BM25 per field over sentences, fused with article relevance and neighbours.

A sentence's score is its own multi-field BM25 (normalized by the best sentence for the
question), plus a share of its article's BM25 (answers sit in articles that are about the
question as a whole), a share of its best neighbour's score (the question's words are
often spread over two adjacent sentences), and a bonus for holding a number or a month when
the question asks when or how many. ``search`` returns ``Candidate`` records that carry each
of these signals, the sentence and its analysed words.

A question touches only what its terms touch: every signal is computed over the candidates (the
sentences holding a question term, found from the postings), never over every sentence, so an
answer costs the same in a thousand sentences as in a million with the same matches.

The index grows and shrinks without re-analysing what it holds (``added``, ``removed``): each
field is a ``FieldIndex`` of segments whose scores stay exactly rank-bm25's over the live corpus.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from retrieval.analyzer import FIELDS, ArabicAnalyzer, Fields, FieldTerms, Question, Token
from retrieval.bm25_index import BM25Params
from retrieval.errors import IndexFormatError
from retrieval.kernels import article_runs, take_and_clear, take_and_clear_into, take_flagged
from retrieval.known_words import KnownWords, save_known_words
from retrieval.left_out import LeftOut
from retrieval.records import Article, Sentence
from retrieval.second_core import SECOND_CORE
from retrieval.segment import DEFAULT_MAX_CHARS
from retrieval.segments import FieldIndex, Segment, TermIds, WeightPieces
from retrieval.sentence_batch import AnalysedBatch, analyse_articles
from retrieval.sentence_terms import (
    GatheredWords,
    Int32Column,
    SentenceTerms,
    TermNames,
    appended,
    gather,
    gather_titles,
)
from retrieval.stored_arrays import StoredInts
from retrieval.stored_articles import ArticleList, StoredArticles, save_articles

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
FloatArray2D = npt.NDArray[np.float64]  # rows of floats
BoolArray = npt.NDArray[np.bool_]
# In tiny corpora rank-bm25's IDFs go to zero or below; every question word still counts.
_MIN_TERM_WEIGHT = 0.5
# The root field conflates most (كتاب and مكتب meet), so it weighs least (ARCD: 0.2 best of 0-0.4).
_FIELD_WEIGHTS = Fields(stem=1.0, word=0.5, skeleton=0.3, root=0.2)
# The article field keeps rank-bm25's default k1 and b (articles vary in length like documents).
_ARTICLE_PARAMS: Final = BM25Params()
# Beyond this many segments per field, the small ones (all but the base) are merged into one,
# so a question's cost does not grow with the number of batches added since the last build.
_MAX_SEGMENTS: Final = 8
# From these many articles analysis runs in forked workers: a full build, to use every core; an added
# batch, so the analysis (pure Python) does not hold the GIL while other threads answer questions.
# Below 200, forking pays nothing: adding 100 articles to a served 1M index cost the parent 0.25-0.55 s
# of CPU either way (the fork, the pool, copied pages), and took longer with a worker.
_PARALLEL_BUILD_ARTICLES: Final = 2_000
_PARALLEL_BATCH_ARTICLES: Final = 200
# From this many candidates, only the articles that can hold one of the best are fused (an
# article's ceiling is within this slack of what its candidates fuse to, in real arithmetic).
_NARROWED_FROM: Final = 20_000
# From this many postings (over the fields) a question's terms are added, weighted, into one buffer,
# and the few chosen candidates' BM25 per field looked up after: one scattered add per posting instead
# of an add and a flag, one row to read and reset instead of four (1M sentences, ARCD questions, ~470k
# postings: search 20.8 -> 17.7 ms). Below it the lookups cost more than they save (100k: 2.8 -> 3.1 ms).
_SUMMED_FROM_POSTINGS: Final = 100_000
# From this many postings, in an index of at least this many sentences, a question's positions are
# added in two halves, one on each core (see ``_accumulated``). Same process, the 300 bench questions'
# search calls interleaved: at 1M sentences search mean 9.80 -> 9.30 ms, p95 17.33 -> 15.19; at 100k
# (buffers in cache: the handoffs cost more than the second core saves) p95 4.56 -> 6.22. Between the
# two, unmeasured: the middle.
_SPLIT_FROM_POSTINGS = 100_000
_SPLIT_FROM_SENTENCES = 500_000
_CEILING_SLACK: Final = 1e-9
_ARRAY_NAMES: Final = (
    "owner", "start", "end", "has_number", "first_sentence", "article_live", "skeleton_terms", "term_bounds",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SearchWeights:
    """How the signals are mixed; tuned on the ARCD development set, not on the seeds."""

    fields: Fields[float] = _FIELD_WEIGHTS
    article: float = 2.0
    neighbour: float = 0.1
    max_sentence_chars: int = DEFAULT_MAX_CHARS
    # Sentences vary less in length than documents; weaker length normalization (b) helps.
    k1: float = 1.2
    b: float = 0.3
    # Bonus for sentences holding a number or a month when the question asks when / how many.
    number_answer: float = 0.2


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked sentence, with what composition needs and the signals that ranked it.

    ``score == own + neighbour + article_prior + number_bonus + article_bonus``, each signal
    already weighted.
    """

    position: int  # in the index: sentences of one article are consecutive
    sentence: Sentence
    article: Article
    score: float
    bm25: Fields[float]  # the sentence's own BM25 per field, unweighted
    own: float  # weighted BM25 over the fields, as a share of the best sentence's (1.0 for it)
    neighbour: float  # a share of the better of its neighbours' ``own``
    article_prior: float  # a share of its article's BM25, as a share of the best article's
    number_bonus: float  # when the question wants a number and the sentence holds one
    analyzer: ArabicAnalyzer = field(repr=False, compare=False)
    article_bonus: float = 0.0  # the caller's per-article bonus (a recency preference)

    def rescored(self, score: float) -> Candidate:
        """This candidate with another ``score`` (``dataclasses.replace`` costs several times more)."""
        return Candidate(
            self.position, self.sentence, self.article, score, self.bm25, self.own, self.neighbour,
            self.article_prior, self.number_bonus, self.analyzer, self.article_bonus,
        )  # fmt: skip

    @property
    def tokens(self) -> tuple[Token, ...]:
        """The sentence's words, stopwords included (flagged), offsets into ``sentence.text``.

        Analysed when first read (composition reads only the candidates it considers), then
        remembered by the analyzer.
        """
        return self.analyzer.sentence_tokens(self.sentence.text)


@dataclass(frozen=True, slots=True)
class _SentenceArrays:
    owner: Int32Array  # article number of each sentence
    start: Int32Array  # offsets into the article text
    end: Int32Array
    has_number: BoolArray  # the sentence holds a number or a month name
    first_sentence: IntArray  # per article, its first sentence's position; one extra at the end
    article_live: BoolArray  # per article, False once removed
    # A forward index of one field: sentence i's content words' skeleton term ids are
    # skeleton_terms[term_bounds[i]:term_bounds[i + 1]] (the same-fact check compares them).
    skeleton_terms: Int32Column  # loaded: read a few sentences at a time (see ``StoredInts``)
    term_bounds: IntArray

    @classmethod
    def of_batch(cls, batch: AnalysedBatch) -> _SentenceArrays:
        return cls(
            owner=batch.owner,
            start=batch.start,
            end=batch.end,
            has_number=batch.has_number,
            first_sentence=batch.first_sentence,
            article_live=np.ones(len(batch.first_sentence) - 1, dtype=np.bool_),
            skeleton_terms=batch.terms.skeleton,
            term_bounds=_bounds(batch.sentence_lengths),
        )

    def extended(self, batch: AnalysedBatch) -> _SentenceArrays:
        return _SentenceArrays(
            owner=np.concatenate([self.owner, batch.owner]),
            start=np.concatenate([self.start, batch.start]),
            end=np.concatenate([self.end, batch.end]),
            has_number=np.concatenate([self.has_number, batch.has_number]),
            first_sentence=np.concatenate([self.first_sentence[:-1], batch.first_sentence + len(self.owner)]),
            article_live=np.concatenate(
                [self.article_live, np.ones(len(batch.first_sentence) - 1, dtype=np.bool_)]
            ),
            skeleton_terms=appended(self.skeleton_terms, batch.terms.skeleton),
            term_bounds=np.concatenate(
                [self.term_bounds[:-1], _bounds(batch.sentence_lengths) + self.term_bounds[-1]]
            ),
        )

    def with_live(self, article_live: BoolArray) -> _SentenceArrays:
        return _SentenceArrays(
            self.owner, self.start, self.end, self.has_number, self.first_sentence, article_live,
            self.skeleton_terms, self.term_bounds,
        )  # fmt: skip


def _bounds(lengths: Int32Array) -> IntArray:
    bounds = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=bounds[1:])
    return bounds


class SentenceIndex:
    """All sentences of a corpus, searchable by an analysed question; immutable.

    Articles are numbered in the order they were indexed, removed ones included (their numbers
    are not reused until the next full build); ``articles`` lists the live ones.
    """

    def __init__(
        self,
        articles: Sequence[Article],
        analyzer: ArabicAnalyzer,
        weights: SearchWeights,
        arrays: _SentenceArrays,
        fields: Fields[FieldIndex],
        article_field: FieldIndex,
        terms: SentenceTerms,
        names: TermNames | None = None,
    ) -> None:
        # Stored articles stay lazy (decoded when read); anything else is frozen as a tuple.
        self.numbered: Sequence[Article] = (
            articles if isinstance(articles, (StoredArticles, ArticleList)) else tuple(articles)
        )
        live = arrays.article_live
        self.articles: Sequence[Article] = (
            self.numbered
            if bool(live.all())
            else tuple(a for a, keep in zip(self.numbered, live, strict=True) if keep)
        )
        self.analyzer = analyzer
        self.weights = weights
        self._arrays = arrays
        # Plain arrays over the loaded maps: each ``memmap`` index or slice costs a Python call,
        # and a question makes a few hundred.
        self._owner = np.asarray(arrays.owner)
        self._start = np.asarray(arrays.start)
        self._end = np.asarray(arrays.end)
        self._has_number = np.asarray(arrays.has_number)
        self._first_sentence = np.asarray(arrays.first_sentence)
        self._skeleton_terms = (
            arrays.skeleton_terms
            if isinstance(arrays.skeleton_terms, StoredInts)
            else np.asarray(arrays.skeleton_terms)
        )
        self._term_bounds = np.asarray(arrays.term_bounds)
        self._fields = fields
        self._article_field = article_field
        self._terms = terms
        self._names = TermNames(Fields(*(index.terms for index in fields))) if names is None else names
        self._local = threading.local()

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls, articles: Sequence[Article], analyzer: ArabicAnalyzer, weights: SearchWeights
    ) -> SentenceIndex:
        """Segment and analyse every article, then index each field."""
        tables = Fields(*(TermIds() for _ in FIELDS))
        batch = analyse_articles(
            articles,
            analyzer,
            tables,
            max_chars=weights.max_sentence_chars,
            workers=_workers(len(articles), _PARALLEL_BUILD_ARTICLES),
        )
        params = BM25Params(k1=weights.k1, b=weights.b)
        empty = Fields(*(FieldIndex.empty(params, table) for table in tables))
        return cls._grown(
            articles, analyzer, weights, _SentenceArrays.of_batch(batch), empty,
            FieldIndex.empty(_ARTICLE_PARAMS, tables.stem), SentenceTerms.of(batch.terms, batch.ordinals, articles, analyzer),
            None, batch,
        )  # fmt: skip

    @classmethod
    def _grown(
        cls,
        articles: Sequence[Article],
        analyzer: ArabicAnalyzer,
        weights: SearchWeights,
        arrays: _SentenceArrays,
        fields: Fields[FieldIndex],
        article_field: FieldIndex,
        terms: SentenceTerms,
        names: TermNames | None,
        batch: AnalysedBatch,
    ) -> SentenceIndex:
        """``fields`` and ``article_field`` each with one more segment, ``batch``'s."""
        grown = Fields(
            *(
                _compacted(
                    index.with_segment(Segment.from_tokens(terms, batch.sentence_lengths, len(index.terms)))
                )
                for index, terms in zip(fields, batch.terms, strict=True)
            )
        )
        article_segment = Segment.from_tokens(
            batch.terms.stem, batch.article_lengths, len(article_field.terms)
        )
        return cls(
            articles,
            analyzer,
            weights,
            arrays,
            grown,
            _compacted(article_field.with_segment(article_segment)),
            terms,
            names,
        )

    def added(self, articles: Sequence[Article]) -> SentenceIndex:
        """This index plus ``articles`` (analysed here; nothing already indexed is analysed again)."""
        batch = analyse_articles(
            articles,
            self.analyzer,
            Fields(*(index.terms for index in self._fields)),
            max_chars=self.weights.max_sentence_chars,
            first_article=len(self.numbered),
            # One core stays with the questions being answered meanwhile.
            workers=_workers(len(articles), _PARALLEL_BATCH_ARTICLES, spare=1),
        )
        return self._grown(
            ArticleList.joined(self.numbered, articles),
            self.analyzer,
            self.weights,
            self._arrays.extended(batch),
            self._fields,
            self._article_field,
            self._terms.extended(batch.terms, batch.ordinals, articles, self.analyzer),
            self._names,
            batch,
        )

    def removed(self, article_numbers: Iterable[int]) -> SentenceIndex:
        """This index without the articles numbered ``article_numbers`` (their sentences unsearchable)."""
        numbers = sorted(set(article_numbers))
        if not numbers:
            return self
        positions = np.concatenate([np.arange(*self._span(number)) for number in numbers])
        article_live = self._arrays.article_live.copy()
        article_live[numbers] = False
        arrays = self._arrays.with_live(article_live)
        fields = Fields(*(index.without(positions.tolist()) for index in self._fields))
        return SentenceIndex(
            self.numbered, self.analyzer, self.weights, arrays, fields, self._article_field.without(numbers),
            self._terms, self._names,
        )  # fmt: skip

    def _span(self, article_number: int) -> tuple[int, int]:
        return int(self._first_sentence[article_number]), int(self._first_sentence[article_number + 1])

    # ------------------------------------------------------------------ persistence

    def save(self, directory: Path) -> None:
        """Write the index to ``directory`` atomically: a crash leaves the old one or none."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.tmp-", dir=directory.parent))
        try:
            for name, index in zip(FIELDS, self._fields, strict=True):
                index.save(staging / name)
            self._article_field.save(staging / "articles", with_terms=False)
            save_articles(staging, self.numbered)
            save_known_words(staging, self.analyzer.known_words())
            for name in _ARRAY_NAMES:
                np.save(staging / f"{name}.npy", getattr(self._arrays, name), allow_pickle=False)
            self._terms.save(staging)
            if directory.exists():
                shutil.rmtree(directory)
            staging.rename(directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(
        cls,
        directory: Path,
        articles: Sequence[Article] | None,
        analyzer: ArabicAnalyzer,
        weights: SearchWeights,
    ) -> SentenceIndex:
        """Read an index written by ``save`` for exactly these articles (the caller checks the key).

        With ``articles`` None, the articles saved with the index are served (memory-mapped,
        decoded when read), so no corpus needs reading.
        """
        if articles is None:
            articles = StoredArticles(directory)
        try:
            loaded: dict[str, npt.NDArray[np.generic] | StoredInts] = {
                name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                for name in _ARRAY_NAMES
                if name != "skeleton_terms"
            }
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable sentence arrays in {directory}: {error}") from error
        loaded["skeleton_terms"] = StoredInts(directory / "skeleton_terms.npy")
        arrays = _SentenceArrays(**loaded)  # type: ignore[arg-type]
        if len(arrays.first_sentence) != len(articles) + 1:
            raise IndexFormatError(f"{directory} was built for another corpus")
        fields = Fields(*(FieldIndex.load(directory / name) for name in FIELDS))
        # The article field scores stems: one term table serves both, as when built.
        article_field = FieldIndex.load(directory / "articles", terms=fields.stem.terms)
        terms = SentenceTerms.load(directory, len(arrays.skeleton_terms), len(articles))
        analyzer.recall_from(KnownWords(directory))
        return cls(articles, analyzer, weights, arrays, fields, article_field, terms)

    # ------------------------------------------------------------------ searching

    @property
    def sentence_count(self) -> int:
        """Sentences of the live articles."""
        return self._fields.stem.doc_count

    def search(
        self,
        question: Question,
        *,
        limit: int,
        article_mask: BoolArray | None = None,
        article_bonus: FloatArray | None = None,
    ) -> list[Candidate]:
        """The best ``limit`` sentences that match at least one question term, best first.

        ``article_mask`` (one flag per article number) searches only the flagged articles, as if
        the others were not indexed (IDF aside); ``article_bonus`` (one value per article number)
        is added to the score of each of its sentences.
        """
        if not question.tokens or self.sentence_count == 0:
            return []
        weights = self.weights
        term_ids = [
            index.term_ids(terms) if weight else []
            for index, weight, terms in zip(self._fields, weights.fields, question.terms, strict=True)
        ]
        bm25: list[FloatArray] | None = None
        postings = sum(
            int(index.doc_freqs[ids].sum()) for index, ids in zip(self._fields, term_ids, strict=True)
        )
        if postings >= _SUMMED_FROM_POSTINGS and all(
            bool((index.idf[ids] > 0.0).all()) for index, ids in zip(self._fields, term_ids, strict=True)
        ):
            positions, own = self._summed_own(term_ids, article_mask, postings)
        else:
            positions, bm25 = self._per_field(term_ids, article_mask, postings)
            own = self._own(bm25)
        if len(positions) == 0:
            return []
        best = float(own.max())
        if best <= 0.0 and bm25 is not None:
            # In a corpus of one or two sentences every IDF is negative (rank-bm25's formula);
            # rank by how many fields matched instead of quoting nothing. (The summed path runs
            # only when every idf is positive: there the best is above 0.)
            matched = _matched_fields(weights.fields, bm25)
            if not matched.any():
                return []
            own, best = matched, float(matched.max())
        article_sums, article_top = (
            self._article_sums(question, article_mask) if weights.article else (None, 0.0)
        )
        fusion = _Fusion(
            article_sums,
            article_top,
            weights.number_answer if weights.number_answer and question.kind.wants_number else 0.0,
            article_bonus,
        )
        if len(positions) > _NARROWED_FROM:
            kept = self._reaching(positions, own, best, limit, fusion)
            positions, own = positions[kept], own[kept]
            if bm25 is not None:
                bm25 = [values[kept] for values in bm25]
        # Divided and gathered for the candidates left only: the same floats as over every one.
        own = own / best
        owners = self._owner[positions]
        fused, neighbour, article_prior, bonus = self._fused(positions, owners, own, fusion)
        number_bonus = fusion.number_bonus
        positive = own > 0.0
        chosen = _best(None if positive.all() else np.flatnonzero(positive), positions, fused, limit)
        # Plain Python values for the few chosen, read in one go per array.
        chosen_positions = positions[chosen]
        chosen_owners = owners[chosen]
        has_number = self._has_number[chosen_positions]
        nothing = np.zeros(len(chosen), dtype=np.float64)
        starts = self._start[chosen_positions].tolist()
        ends = self._end[chosen_positions].tolist()
        indexes = (chosen_positions - self._first_sentence[chosen_owners]).tolist()
        per_field = list(
            zip(
                *(values.tolist() for values in self._chosen_bm25(term_ids, bm25, chosen, chosen_positions)),
                strict=True,
            )
        )
        candidates = []
        articles: dict[int, Article] = {}
        for k, (position, owner, score, own_k, neighbour_k, prior_k, number_k, bonus_k) in enumerate(
            zip(
                chosen_positions.tolist(),
                chosen_owners.tolist(),
                fused[chosen].tolist(),
                own[chosen].tolist(),
                neighbour[chosen].tolist(),
                (nothing if article_prior is None else article_prior[chosen]).tolist(),
                has_number.tolist(),
                (nothing if bonus is None else bonus[chosen]).tolist(),
                strict=True,
            )
        ):
            article = articles.get(owner)
            if article is None:  # candidates share articles; a stored one is decoded when read
                article = articles[owner] = self.numbered[owner]
            start, end = starts[k], ends[k]
            candidates.append(
                Candidate(
                    position=position,
                    sentence=Sentence(article.id, indexes[k], start, end, article.text[start:end]),
                    article=article,
                    score=score,
                    bm25=Fields(*per_field[k]),
                    own=own_k,
                    neighbour=neighbour_k,
                    article_prior=prior_k,
                    number_bonus=number_bonus * float(number_k),
                    analyzer=self.analyzer,
                    article_bonus=bonus_k,
                )
            )
        return candidates

    def _summed_own(
        self, term_ids: list[list[int]], article_mask: BoolArray | None, postings: int
    ) -> tuple[IntArray, FloatArray]:
        """Every sentence holding a question term (of an unmasked article) and its weighted BM25
        over the fields, accumulated in one dense per-thread buffer (every idf positive)."""
        positions, sums = self._accumulated(term_ids, summed=True, postings=postings)
        own = sums[0]
        if not own.all():  # positive weights: only an underflow to 0.0 could leave one out
            positions, own = positions[own != 0.0], own[own != 0.0]
        if article_mask is not None:
            keep = article_mask[self._owner[positions]]
            positions, own = positions[keep], own[keep]
        return positions, own

    def _per_field(
        self, term_ids: list[list[int]], article_mask: BoolArray | None, postings: int
    ) -> tuple[IntArray, list[FloatArray]]:
        """Every sentence holding a question term (of an unmasked article) and its BM25 per field,
        in a buffer per field and a flag per sentence (a term may weigh 0 or less: tiny corpora)."""
        positions, sums = self._accumulated(term_ids, summed=False, postings=postings)
        bm25 = list(sums)
        if article_mask is not None:
            keep = article_mask[self._owner[positions]]
            positions = positions[keep]
            bm25 = [values[keep] for values in bm25]
        return positions, bm25

    def _accumulated(
        self, term_ids: list[list[int]], *, summed: bool, postings: int
    ) -> tuple[IntArray, FloatArray2D]:
        """The positions holding a question term (ascending) and their sums: one row, the fields
        weighted and added in one buffer (``summed``), else one row per field.

        From ``_SPLIT_FROM_POSTINGS`` (in ``_SPLIT_FROM_SENTENCES``) the positions are cut in two
        halves, added and gathered by this thread and the helper (``SECOND_CORE``) at once: each
        position's sum takes the same terms in the same order as in one pass, so the floats are the same.
        """
        scratch = self._scratch()
        sums = scratch.own if summed else scratch.sums
        total = len(self._owner)
        done = False
        try:
            if postings < _SPLIT_FROM_POSTINGS or total < max(_SPLIT_FROM_SENTENCES, 2):
                count = self._range_scatter(scratch, term_ids, summed, 0, total, None)
                positions = _touched(scratch.seen, scratch.touched, count)
                values = take_and_clear(sums, scratch.seen, positions)
                done = True
                return positions, values
            common = self._common_pieces(term_ids)
            half = total // 2
            ranges = [(0, half), (half, total)]
            counts = list(
                SECOND_CORE.both(
                    partial(self._range_scatter, scratch, term_ids, summed, 0, half, common),
                    partial(self._range_scatter, scratch, term_ids, summed, half, total, common),
                )
            )
            # A range's positions are listed once each, from its first slot: their number is known.
            sizes = [count - lo for count, (lo, _) in zip(counts, ranges, strict=True)]
            positions = np.empty(sum(sizes), dtype=np.int64)
            values = np.empty((len(sums), len(positions)), dtype=np.float64)
            takes = [
                partial(_take, sums, scratch.seen, scratch.touched, lo, hi, count, positions, values, offset)
                for (lo, hi), count, offset in zip(ranges, counts, (0, sizes[0]), strict=False)
            ]
            if len(takes) == 1:
                takes[0]()
            else:
                SECOND_CORE.both(*takes)
            done = True
        finally:
            if not done:
                _clear(sums, scratch.seen)
        return positions, values

    def _common_pieces(self, term_ids: list[list[int]]) -> list[dict[int, WeightPieces]]:
        """Each field's ``common_pieces`` of the question's terms, those to compute (largest first)
        dealt between this thread and the helper: at a million sentences, computing the weights of
        the common terms not kept took ~2.7 ms of a question on one core (300 questions: 40% of the
        common terms, a quarter of their postings, and a cache twice as large would keep only a
        third of those)."""
        sized = sorted(
            (0 if index.keeps(term_id) else -int(index.doc_freqs[term_id]), number, term_id)
            for number, (index, ids) in enumerate(zip(self._fields, term_ids, strict=True))
            for term_id in dict.fromkeys(ids)
        )
        halves: tuple[list[list[int]], list[list[int]]] = ([[] for _ in term_ids], [[] for _ in term_ids])
        loads = [0, 0]
        for negative_size, number, term_id in sized:
            lighter = 0 if loads[0] <= loads[1] else 1
            halves[lighter][number].append(term_id)
            loads[lighter] -= negative_size
        mine, beside = SECOND_CORE.both(
            partial(self._common_pieces_of, halves[0]), partial(self._common_pieces_of, halves[1])
        )
        return [here | there for here, there in zip(mine, beside, strict=True)]

    def _common_pieces_of(self, term_ids: list[list[int]]) -> list[dict[int, WeightPieces]]:
        return [index.common_pieces(ids) for index, ids in zip(self._fields, term_ids, strict=True)]

    def _range_scatter(
        self,
        scratch: _Scratch,
        term_ids: list[list[int]],
        summed: bool,
        lo: int,
        hi: int,
        common: list[dict[int, WeightPieces]] | None,
    ) -> int:
        """Add the question's postings of the positions lo <= p < hi alone, listing them in
        ``scratch.touched`` from slot ``lo`` (no more than ``hi - lo`` can be listed); the new count."""
        numbers = None if lo == 0 and hi == len(self._owner) else (lo, hi)
        count = lo
        for k, (index, weight, ids) in enumerate(
            zip(self._fields, self.weights.fields, term_ids, strict=True)
        ):
            count = index.accumulate(
                ids, weight if summed else 1.0, scratch.own[0] if summed else scratch.sums[k], scratch.seen,
                scratch.touched, count, numbers, None if common is None else common[k],
            )  # fmt: skip
        return count

    def _chosen_bm25(
        self, term_ids: list[list[int]], bm25: list[FloatArray] | None, chosen: IntArray, positions: IntArray
    ) -> list[FloatArray]:
        """Each field's BM25 of the chosen candidates (at ``positions``), in their order."""
        if bm25 is not None:
            return [values[chosen] for values in bm25]
        order = np.argsort(positions, kind="stable")
        ascending = self._bm25_at(term_ids, positions[order])
        result = []
        for values in ascending:
            unsorted = np.empty_like(values)
            unsorted[order] = values
            result.append(unsorted)
        return result

    def _bm25_at(self, term_ids: list[list[int]], positions: IntArray) -> list[FloatArray]:
        """Each field's BM25 of the sentences at ``positions`` (ascending), terms added in query order."""
        return [index.bm25_at(ids, positions) for index, ids in zip(self._fields, term_ids, strict=True)]

    def _own(self, bm25: list[FloatArray]) -> FloatArray:
        """Weighted BM25 over the fields, summed in field order."""
        own = np.zeros(len(bm25[0]), dtype=np.float64)
        for weight, values in zip(self.weights.fields, bm25, strict=True):
            if weight:
                own += weight * values
        return own

    def _scratch(self) -> _Scratch:
        """This thread's zeroed score buffers over all positions (questions may run concurrently)."""
        scratch: _Scratch | None = getattr(self._local, "scratch", None)
        if scratch is None:
            total = len(self._owner)
            # np.zeros maps untouched pages lazily: a buffer costs memory only where scores land.
            articles = len(self.numbered)
            scratch = _Scratch(
                np.zeros((len(FIELDS), total), dtype=np.float64),
                np.zeros(total, dtype=np.bool_),
                np.zeros((1, total), dtype=np.float64),
                np.empty(total, dtype=np.int64),
                np.zeros((1, articles), dtype=np.float64),
                np.zeros(articles, dtype=np.bool_),
                np.empty(articles, dtype=np.int64),
            )
            self._local.scratch = scratch
        return scratch

    def _article_sums(self, question: Question, mask: BoolArray | None) -> tuple[FloatArray, float]:
        """Every article's BM25 for the question (by number; a copy), and the best unmasked one's."""
        scratch = self._scratch()
        sums, seen = scratch.article_sums, scratch.article_seen
        field = self._article_field
        done = False
        try:
            count = field.accumulate(
                field.term_ids(question.terms.stem), 1.0, sums[0], seen, scratch.article_touched, 0
            )
            touched = _touched(seen, scratch.article_touched, count)
            values = take_and_clear(sums, seen, touched)[0]
            done = True
        finally:
            if not done:
                _clear(sums, seen)
        scores = values if mask is None else values * mask[touched]
        top = float(scores.max()) if len(scores) else 0.0
        if 0 < len(touched) < field.doc_count:
            top = max(top, 0.0)  # articles without a question term score 0
        copy = np.zeros(sums.shape[1], dtype=np.float64)
        copy[touched] = values
        return copy, top

    def _fused(
        self, positions: IntArray, owners: Int32Array, own: FloatArray, fusion: _Fusion
    ) -> tuple[FloatArray, FloatArray, FloatArray | None, FloatArray | None]:
        """(fused score, neighbour share, article prior, article bonus) of each of ``positions``,
        which hold every candidate of their articles (ascending)."""
        weights = self.weights
        neighbour = weights.neighbour * _neighbour_scores(positions, owners, own)
        fused = own + neighbour
        article_prior = None
        if fusion.article_sums is not None:
            article_prior = (
                # Candidates of masked articles were dropped already; the others' sums are as scored.
                weights.article * (fusion.article_sums[owners] / fusion.article_top)
                if fusion.article_top > 0.0
                else np.zeros(len(owners), dtype=np.float64)
            )
            fused += article_prior
        if fusion.number_bonus:
            fused += fusion.number_bonus * self._has_number[positions].astype(np.float64)
        bonus = None
        if fusion.article_bonus is not None:
            bonus = fusion.article_bonus[owners]
            fused += bonus
        return fused, neighbour, article_prior, bonus

    def _reaching(
        self, positions: IntArray, own: FloatArray, best: float, limit: int, fusion: _Fusion
    ) -> IntArray:
        """Indexes into ``positions`` of the candidates of the articles that may hold one of the
        best ``limit``: whole articles, ascending; the others' candidates cannot enter, not even by a tie.
        ``own`` is not yet divided by ``best`` (the highest of an article divided is the highest of
        its candidates divided: division rounds monotonically).

        No candidate of an article fuses above its ceiling: its best ``own``, plus the neighbour
        share of that, the number bonus, and the article's prior and bonus. The articles with the
        ``limit`` highest ceilings are fused; when they hold ``limit`` eligible candidates, the
        ``limit``-th best of those is reached by no article whose ceiling is below it (at 1M
        sentences, a few hundred candidates of 30k-500k).
        """
        weights = self.weights
        starts, highest, articles = article_runs(self._owner, positions, own)
        ends = np.append(starts[1:], len(positions))
        ceiling = (1.0 + weights.neighbour) * (highest / best) + fusion.number_bonus
        if fusion.article_sums is not None and fusion.article_top > 0.0:
            ceiling += weights.article * (fusion.article_sums[articles] / fusion.article_top)
        if fusion.article_bonus is not None:
            ceiling += fusion.article_bonus[articles]
        # The ``limit`` highest ceilings (not sorted: any articles with enough candidates will do).
        count = min(limit, len(ceiling))
        prefix = np.sort(np.argpartition(-ceiling, count - 1)[:count])
        sample = _ranges(starts[prefix], ends[prefix])
        sampled = positions[sample]
        fused = self._fused(sampled, self._owner[sampled], own[sample] / best, fusion)[0]
        candidates = fused[own[sample] > 0.0]
        if len(candidates) < limit:
            return np.arange(len(positions), dtype=np.int64)
        threshold = float(np.partition(candidates, len(candidates) - limit)[len(candidates) - limit])
        reaching = np.flatnonzero(ceiling + _CEILING_SLACK >= threshold)
        return _ranges(starts[reaching], ends[reaching])

    def holds_term(self, field: str, term: str) -> bool:
        """True when some sentence holds ``term`` in the analysis field named ``field`` (one of ``FIELDS``)."""
        return self._field(field).term_idf(term) is not None

    def term_weight(self, word: FieldTerms, *, left_out: LeftOut | None = None) -> float:
        """How much a question word matters: its stem's IDF over sentences.

        A word no sentence holds is often a paraphrase or a typo rather than the crux of the
        question, so it weighs like a moderately rare word (one in sqrt(N) sentences), not
        like the rarest possible one; weighing it more abstains on many answerable questions.
        With ``left_out``, the sentences of its article are taken out of the stem's document
        frequency, as if that article had never been indexed.
        """
        idf: float | None
        if left_out is not None and left_out.held(0, word.stem):
            n = self.sentence_count
            df = left_out.document_frequency(0, word.stem)
            idf = math.log((n - df + 0.5) / (df + 0.5)) if df > 0 else None
        else:
            idf = self._fields.stem.term_idf(word.stem)
        if idf is None:
            n = self.sentence_count
            guess = math.sqrt(n)
            idf = math.log((n - guess + 0.5) / (guess + 0.5))
        return max(idf, _MIN_TERM_WEIGHT)

    def document_frequency(self, field: int, term: str) -> int:
        """How many live sentences hold ``term`` in field number ``field`` (``FIELDS`` order)."""
        index = self._fields[field]
        term_id = index.terms.get(term)
        if term_id is None or term_id >= len(index.doc_freqs):
            return 0
        return int(index.doc_freqs[term_id])

    def article_of(self, position: int) -> int:
        """The number of the article the sentence at ``position`` belongs to."""
        return int(self._owner[position])

    # Sentence look-ups ---------------------------------------------------------------------

    def sentence(self, position: int) -> Sentence:
        """The sentence at ``position`` in the index."""
        article_number = int(self._owner[position])
        article = self.numbered[article_number]
        start, end = int(self._start[position]), int(self._end[position])
        return Sentence(
            article_id=article.id,
            index=position - int(self._first_sentence[article_number]),
            start=start,
            end=end,
            text=article.text[start:end],
        )

    def previous(self, position: int) -> Sentence | None:
        """The sentence before the one at ``position`` in the same article, or None for a first sentence."""
        if position == 0 or self._owner[position - 1] != self._owner[position]:
            return None
        return self.sentence(position - 1)

    def skeletons(self, position: int) -> frozenset[int]:
        """Ids of the skeleton terms of the sentence's content words, as indexed."""
        bounds = self._term_bounds
        return frozenset(self._skeleton_terms[int(bounds[position]) : int(bounds[position + 1])].tolist())

    def content_words(self, position: int) -> tuple[list[tuple[str, ...]], list[int]]:
        """The sentence's content words as indexed, without analysing it: each word's terms per
        field (``FIELDS`` order) and its ordinal among the sentence's words (stopwords included)."""
        first, end = int(self._term_bounds[position]), int(self._term_bounds[position + 1])
        kept = self._terms
        ids = (kept.stem_terms, kept.word_terms, self._skeleton_terms, kept.root_terms)
        names = self._names
        terms = zip(*(names.of(f, field[first:end].tolist()) for f, field in enumerate(ids)), strict=True)
        return list(terms), kept.ordinals[first:end].tolist()

    def content_term_ids(self, positions: IntArray) -> GatheredWords:
        """The content words of the sentences at ``positions`` as term ids (see ``term_id``), in one go."""
        return gather(self._terms, self._skeleton_terms, self._term_bounds, positions)

    def title_term_ids(self, article_numbers: IntArray) -> tuple[Int32Array, Int32Array, IntArray]:
        """The stem and word ids (in the title tables, see ``title_term_id``) of the content words of
        the titles of ``article_numbers``, one title after another, and where each title starts."""
        return gather_titles(self._terms.titles, article_numbers)

    def title_term_id(self, field: int, term: str) -> int | None:
        """The id of ``term`` in the title table of field number ``field`` (stem or word), None when
        no title holds it."""
        titles = self._terms.titles
        return (titles.stem_table if field == 0 else titles.word_table).get(term)

    def term_id(self, field: int, term: str) -> int | None:
        """The id of ``term`` in field number ``field`` (``FIELDS`` order), None when never indexed."""
        return self._fields[field].terms.get(term)

    def sentences_of(self, article_number: int) -> range:
        """The positions of an article's sentences, in order."""
        return range(*self._span(article_number))

    def field_scores(self, name: str, terms: Sequence[str]) -> tuple[IntArray, FloatArray]:
        """One field's BM25 (a name of ``FIELDS``, or "articles") of the live documents holding
        ``terms``: (positions or article numbers, scores)."""
        return self._field(name).scores(terms)

    def live_positions(self, name: str) -> IntArray:
        """The positions (article numbers for "articles") of the live documents of a field."""
        return self._field(name).live_numbers()

    def _field(self, name: str) -> FieldIndex:
        return self._article_field if name == "articles" else self._fields[FIELDS.index(name)]


@dataclass(frozen=True, slots=True)
class _Fusion:
    """What a question adds to its candidates' own BM25 besides their neighbours'."""

    article_sums: FloatArray | None  # every article's BM25, by number (None: no article prior)
    article_top: float  # the best unmasked article's
    number_bonus: float  # 0.0 unless the question asks for a number
    article_bonus: FloatArray | None  # the caller's, by article number


@dataclass(frozen=True, slots=True)
class _Scratch:
    """Per-thread accumulators: a question adds its postings' weights here, then zeroes what it touched."""

    sums: npt.NDArray[np.float64]  # one row per field, one column per position
    seen: BoolArray  # positions holding a question term in some field
    # One row: per position, its weighted BM25 over the fields (a question with many postings).
    own: npt.NDArray[np.float64]
    touched: IntArray  # the positions ``seen`` flags, in the order first touched (a prefix is used)
    article_sums: npt.NDArray[np.float64]  # one row: the article field's, by article number
    article_seen: BoolArray
    article_touched: IntArray


# Below this share of the positions touched, sorting the touched list costs less than scanning the flags.
_SORTED_BELOW_SHARE: Final = 1 / 16


def _touched(seen: BoolArray, touched: IntArray, count: int) -> IntArray:
    """The positions ``seen`` flags, ascending: the first ``count`` of ``touched``, sorted, when they
    are few; else a scan of the flags (the same positions)."""
    if count < len(seen) * _SORTED_BELOW_SHARE:
        return np.sort(touched[:count])
    return np.flatnonzero(seen)


def _take(
    sums: npt.NDArray[np.float64],
    seen: BoolArray,
    touched: IntArray,
    lo: int,
    hi: int,
    count: int,
    positions: IntArray,
    values: npt.NDArray[np.float64],
    offset: int,
) -> None:
    """Move the sums of the positions lo <= p < hi listed in ``touched[lo:count]`` to ``values``
    (and the positions, ascending, to ``positions``) from column ``offset``, zeroing them: the list
    sorted when short, else one scan of the flags (the same positions)."""
    listed = positions[offset : offset + count - lo]
    if count - lo < (hi - lo) * _SORTED_BELOW_SHARE:
        listed[:] = touched[lo:count]
        listed.sort()
        take_and_clear_into(sums, seen, listed, values, offset)
    else:
        take_flagged(sums, seen, lo, hi, listed, values, offset)


def _clear(sums: npt.NDArray[np.float64], seen: BoolArray) -> None:
    """Zero the scratch after a question that failed part way (whatever it had touched)."""
    positions = np.flatnonzero(seen)
    for row in sums:
        row[positions] = 0.0
    seen[positions] = False


def _ranges(starts: IntArray, ends: IntArray) -> IntArray:
    """``[starts[i], ends[i])`` for each i, one after another (ascending disjoint ranges: ascending)."""
    lengths = ends - starts
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    result: IntArray = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
    return result


def _neighbour_scores(positions: IntArray, owners: Int32Array, own: FloatArray) -> FloatArray:
    """The better ``own`` of each candidate's neighbours in its article (0 for a non-candidate)."""
    previous = np.zeros_like(own)
    following = np.zeros_like(own)
    adjacent = (positions[1:] == positions[:-1] + 1) & (owners[1:] == owners[:-1])
    previous[1:] = np.where(adjacent, own[:-1], 0.0)
    following[:-1] = np.where(adjacent, own[1:], 0.0)
    result: FloatArray = np.maximum(previous, following)
    return result


def _best(eligible: IntArray | None, positions: IntArray, fused: FloatArray, limit: int) -> IntArray:
    """The ``limit`` best of ``eligible`` (None: all) by descending ``fused``, ties by lower position."""
    scores = fused if eligible is None else fused[eligible]
    if len(scores) > limit > 0:
        # Everything tied with the limit-th best stays in, so the sort below settles ties exactly.
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= cut
        eligible = np.flatnonzero(keep) if eligible is None else eligible[keep]
        scores = scores[keep]
    elif eligible is None:
        eligible = np.arange(len(scores), dtype=np.int64)
    order = np.lexsort((positions[eligible], -scores))[:limit]
    result: IntArray = eligible[order]
    return result


def _matched_fields(weights: Fields[float], bm25: list[FloatArray]) -> FloatArray:
    """Per candidate, how many weighted fields it matched."""
    matched = np.zeros(len(bm25[0]), dtype=np.float64)
    for weight, values in zip(weights, bm25, strict=True):
        if weight:
            matched += values != 0.0
    return matched


def _workers(articles: int, minimum: int, *, spare: int = 0) -> int:
    """Worker processes for analysing ``articles``: none below ``minimum``, else one per usable core
    but ``spare`` (at least one)."""
    if articles < minimum:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, cores - spare)


def _compacted(index: FieldIndex) -> FieldIndex:
    """``index`` with its small segments merged once there are too many."""
    if len(index.segments) <= _MAX_SEGMENTS:
        return index
    return index.merged(1, len(index.segments) - 1)
