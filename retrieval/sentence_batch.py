"""Articles to the arrays one batch of the sentence index is built from: segmentation and analysis.

Analysis is proportional to distinct work: each distinct surface word of a batch is analysed once
(a corpus of thirty million tokens holds about a million distinct words) and mapped to an id, every
token then costs one dict look-up done in C (``map``), and the per-field terms of all tokens are
gathered by numpy from per-word tables. No per-token Python object is kept.

Big batches use forked worker processes (both cores) in two kinds of task: tokenizing a run of
articles, then analysing a share of the words no earlier run held. The parent only numbers words
and folds the analyses into the term tables, in order of first occurrence, so the term ids are
those of a one-process build.
"""

from __future__ import annotations

import multiprocessing
from array import array
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import repeat
from typing import Final, TypeVar

import numpy as np
from numpy.typing import NDArray

from retrieval.analyzer import ArabicAnalyzer, Fields, FieldTerms
from retrieval.answers_first import let_answers_run
from retrieval.normalize import normalize_arabic
from retrieval.quantities import holds_number_or_month
from retrieval.records import Article
from retrieval.segment import segment_sentences
from retrieval.segments import TermIds

# A few tokenizing tasks per process balance the workers' finishing times.
_CHUNKS_PER_PROCESS = 4
# New words per analysis task: small enough that the last tasks end together on every core,
# large enough that sending them costs little beside analysing them (~20 us a word).
_WORDS_PER_TASK = 10_000
# Pieces of the Python work done in the serving process, between which an add lets answers in
# flight run first (``let_answers_run``): a few milliseconds each.
_ARTICLES_PER_PIECE = 8
_WORDS_PER_PIECE = 1_000

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
UInt16Array = NDArray[np.uint16]
ScalarT = TypeVar("ScalarT", bound=np.generic)


@dataclass(frozen=True, slots=True)
class AnalysedBatch:
    """Sentences of consecutive articles with their content terms, as flat arrays."""

    terms: Fields[Int32Array]  # term ids of every content token, sentence after sentence
    sentence_lengths: Int32Array  # content tokens per sentence
    article_lengths: Int32Array  # content tokens per article (its sentences together)
    owner: Int32Array  # article number of each sentence
    start: Int32Array  # sentence offsets into its article's text
    end: Int32Array
    has_number: BoolArray  # the sentence holds a number or a month name
    first_sentence: Int64Array  # per article, its first sentence (batch-local); one extra at the end
    # Per content token, its ordinal among its sentence's words (stopwords included, words that
    # normalize away not: ``ArabicAnalyzer.tokens``), for the re-ranker's proximity.
    ordinals: UInt16Array


@dataclass(frozen=True, slots=True)
class _Chunk:
    """One run of articles segmented and tokenized on its own (possibly in another process).

    Words are local surface ids here; they are analysed later, once per batch.
    """

    surfaces: list[str]  # distinct surface words in order of first occurrence
    token_surfaces: Int32Array  # every token's local surface id
    token_counts: Int32Array  # tokens per sentence
    owner: Int32Array  # chunk-local article number per sentence
    start: Int32Array
    end: Int32Array
    has_number: BoolArray
    sentence_counts: Int64Array  # per article


class _SurfaceIds(dict[str, int]):
    """Surface word -> local id; a word first met takes the next one."""

    def __missing__(self, surface: str) -> int:
        surface_id = len(self)
        self[surface] = surface_id
        return surface_id


def _tokenize_chunk(articles: Sequence[Article], analyzer: ArabicAnalyzer, max_chars: int) -> _Chunk:
    surfaces = _SurfaceIds()
    lookup = surfaces.__getitem__
    words = analyzer.words
    token_surfaces = array("i")
    token_counts = array("i")
    owner = array("i")
    starts = array("i")
    ends = array("i")
    has_number = bytearray()
    sentence_counts = array("q")
    for number, article in enumerate(articles):
        if number % _ARTICLES_PER_PIECE == 0:
            let_answers_run()
        before_article = len(owner)
        for sentence in segment_sentences(article.text, article.id, max_chars=max_chars):
            before = len(token_surfaces)
            token_surfaces.extend(map(lookup, words(sentence.text)))
            token_counts.append(len(token_surfaces) - before)
            owner.append(number)
            starts.append(sentence.start)
            ends.append(sentence.end)
            has_number.append(holds_number_or_month(sentence.text))
        sentence_counts.append(len(owner) - before_article)
    return _Chunk(
        surfaces=list(surfaces),
        token_surfaces=_int32(token_surfaces),
        token_counts=_int32(token_counts),
        owner=_int32(owner),
        start=_int32(starts),
        end=_int32(ends),
        has_number=np.frombuffer(bytes(has_number), dtype=np.bool_).copy(),
        sentence_counts=np.array(sentence_counts, dtype=np.int64),
    )


def _int32(values: array[int]) -> Int32Array:
    return np.array(values, dtype=np.int32)


_NO_TERMS: Final = (None,) * len(Fields._fields)


def _term(analysis: FieldTerms | None, field: int) -> str | None:
    return None if analysis is None else analysis[field]


class _WordTables:
    """Per distinct word of a batch (in order of first occurrence), its term id in each field;
    -1 for a stopword. Folding words in that order grows the term tables as a one-process build
    that meets them token by token does."""

    def __init__(self, terms: Fields[TermIds], learn: ArabicAnalyzer | None) -> None:
        self._terms = terms
        # The analyzer that serves questions keeps what workers analysed: otherwise every
        # question would analyse the corpus words its candidate sentences hold afresh.
        self._learn = learn
        self._ids: Fields[list[Int32Array]] = Fields(*([] for _ in Fields._fields))
        self._is_word = bytearray()  # a word ``ArabicAnalyzer.tokens`` yields (it does not normalize away)

    def fold(
        self, surfaces: Sequence[str], analyses: Sequence[FieldTerms | None], known: Int32Array | None = None
    ) -> None:
        """Take the analyses of ``surfaces`` (new words, in order) into the term tables.

        ``known`` (one row per word, a column per field) holds the ids a forked worker found in
        these tables as they were at the fork, -1 elsewhere: only the rest is looked up here.
        """
        if not analyses:
            return
        learn = self._learn
        if learn is not None:
            for surface, analysis in zip(surfaces, analyses, strict=True):
                if analysis is not None:
                    learn.remember(surface, analysis)
            let_answers_run()
        # Field by field, in the words' order: each table numbers its unseen terms as it would
        # token by token (the tables are independent), with one batched look-up per field.
        if known is None:
            columns = zip(*(analysis or _NO_TERMS for analysis in analyses), strict=True)
            for ids, table, column in zip(self._ids, self._terms, columns, strict=True):
                ids.append(table.numbered(column))
                let_answers_run()
        else:
            # The tables only grew since the fork, keeping every id: a found id is final, and the
            # rest (new terms, stopwords) are numbered in the words' order as before.
            for field, (ids, table) in enumerate(zip(self._ids, self._terms, strict=True)):
                found = known[:, field].copy()
                missing = np.flatnonzero(found < 0)
                rest = [_term(analyses[at], field) for at in missing.tolist()]
                found[missing] = table.numbered(rest)
                ids.append(found)
                let_answers_run()
        self._is_word.extend(
            analysis is not None or bool(normalize_arabic(surface))
            for surface, analysis in zip(surfaces, analyses, strict=True)
        )

    @property
    def terms(self) -> Fields[TermIds]:
        return self._terms

    def arrays(self) -> Fields[Int32Array]:
        return Fields(*(np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32) for ids in self._ids))

    def is_word(self) -> BoolArray:
        return np.frombuffer(bytes(self._is_word), dtype=np.bool_)


# Articles a forked worker reads by range (fork shares them; nothing is pickled on the way in).
_FORKED_ARTICLES: Sequence[Article] = ()

# Stands in for a future whose chunk was taken.
_DONE: Future[_Chunk] = Future()

# The caller's analyzer, which a forked worker reads as it was at the fork: a batch added to a
# served index finds most of its words in the memo (or the saved known words) instead of analysing them.
_FORKED_ANALYZER: list[ArabicAnalyzer] = []
# The caller's term tables, which a forked worker reads as they were at the fork.
_FORKED_TABLES: list[Fields[TermIds]] = []


def _tokenize_forked_range(bounds: tuple[int, int], max_chars: int) -> _Chunk:
    return _tokenize_chunk(_FORKED_ARTICLES[bounds[0] : bounds[1]], _FORKED_ANALYZER[0], max_chars)


def _analyse_and_look_up(surfaces: list[str]) -> tuple[list[str | None], Int32Array]:
    """``_analyse_words``, and each word's term ids in the tables as they were at the fork (-1 where
    a table lacked the term, or for a stopword): the look-ups leave the parent, whose Python steps
    would hold the GIL while the served index answers questions."""
    packed = _analyse_words(surfaces)
    columns = zip(*(_NO_TERMS if terms is None else terms.split("\t") for terms in packed), strict=True)
    ids = np.full((len(packed), len(Fields._fields)), -1, dtype=np.int32)
    for field, (table, column) in enumerate(zip(_FORKED_TABLES[0], columns, strict=True)):
        let_answers_run()
        found = table.looked_up(column)
        ids[:, field] = [-1 if term_id is None else term_id for term_id in found]
    return packed, ids


def _analyse_words(surfaces: list[str]) -> list[str | None]:
    """Each word's terms, tab-joined (None for a stopword): one string a word instead of a tuple of
    four, as the parent holds every word's analysis until it folds them (~200 MB less at 1M
    sentences). Terms are runs of letters, digits and marks: they hold no tab."""
    analyse = _FORKED_ANALYZER[0].content_terms_unkept
    packed: list[str | None] = []
    for low in range(0, len(surfaces), _WORDS_PER_PIECE):
        let_answers_run()
        piece = surfaces[low : low + _WORDS_PER_PIECE]
        packed += [None if terms is None else "\t".join(terms) for terms in map(analyse, piece)]
    return packed


def _unpacked(packed: list[str | None]) -> list[FieldTerms | None]:
    return [None if terms is None else Fields(*terms.split("\t")) for terms in packed]


def _renumbered(surfaces: list[str], batch_ids: dict[str, int]) -> tuple[Int32Array, list[str]]:
    """A chunk's local surface ids -> batch-wide ones, and the words no earlier chunk held (which
    take the next ids, in order). Known words are looked up in C; only new ones cost Python steps."""
    remap = np.fromiter(
        map(batch_ids.get, surfaces, repeat(-1, len(surfaces))), dtype=np.int32, count=len(surfaces)
    )
    fresh = np.flatnonzero(remap < 0)
    new = [surfaces[local] for local in fresh.tolist()]
    first = len(batch_ids)
    remap[fresh] = np.arange(first, first + len(new), dtype=np.int32)
    batch_ids.update(zip(new, range(first, first + len(new)), strict=True))
    return remap, new


def _in_workers(
    articles: Sequence[Article],
    analyzer: ArabicAnalyzer,
    workers: int,
    max_chars: int,
    tables: _WordTables,
) -> list[tuple[_Chunk, Int32Array]]:
    """Chunks of ``articles`` in order, each with its batch-wide surface ids; ``tables`` filled.

    Tokenizing tasks are queued first; as each chunk comes back, the words it brings are queued
    for analysis in pieces behind them, so both kinds of work keep every worker busy and a word
    many chunks hold is analysed once. Workers, like the caller, let the caller's answers in
    flight run first (``let_answers_run``).
    """
    global _FORKED_ARTICLES
    chunk_count = workers * _CHUNKS_PER_PROCESS
    size = -(-len(articles) // chunk_count)
    bounds = [(low, min(low + size, len(articles))) for low in range(0, len(articles), size)]
    _FORKED_ARTICLES = articles
    _FORKED_ANALYZER.append(analyzer)
    _FORKED_TABLES.append(tables.terms)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [pool.submit(_tokenize_forked_range, bound, max_chars) for bound in bounds]
            batch_ids: dict[str, int] = {}
            analyses: list[tuple[list[str], Future[tuple[list[str | None], Int32Array]]]] = []
            numbered: list[tuple[_Chunk, Int32Array]] = []
            for number in range(len(futures)):
                chunk = futures[number].result()
                futures[number] = _DONE  # the future would keep the chunk alive
                let_answers_run()
                remap, new = _renumbered(chunk.surfaces, batch_ids)
                for low in range(0, len(new), _WORDS_PER_TASK):
                    words = new[low : low + _WORDS_PER_TASK]
                    analyses.append((words, pool.submit(_analyse_and_look_up, words)))
                numbered.append((replace(chunk, surfaces=[]), remap))
            del batch_ids
            results = [(words, analysed.result()) for words, analysed in analyses]
    finally:
        _FORKED_ARTICLES = ()
        _FORKED_ANALYZER.clear()
        _FORKED_TABLES.clear()
    # Folded once the workers are gone: while a forked child lives, every page the parent
    # writes is copied first (refcounts included), which made folding five times slower.
    del analyses
    results.reverse()
    while results:  # each piece let go once folded
        words, (packed, known) = results.pop()
        for low in range(0, len(words), _WORDS_PER_PIECE):
            let_answers_run()
            high = low + _WORDS_PER_PIECE
            tables.fold(words[low:high], _unpacked(packed[low:high]), known[low:high])
    return numbered


def analyse_articles(
    articles: Sequence[Article],
    analyzer: ArabicAnalyzer,
    terms: Fields[TermIds],
    *,
    max_chars: int,
    first_article: int = 0,
    workers: int = 0,
) -> AnalysedBatch:
    """Segment and analyse ``articles``, numbering them from ``first_article``.

    With ``workers``, that many forked worker processes tokenize and analyse (segmentation and
    analysis are pure Python: threads would not help, and the caller's other threads keep the
    GIL meanwhile); term ids still follow the articles' order, so the result is the same.
    """
    if workers and len(articles) >= workers and _can_fork():
        tables = _WordTables(terms, learn=analyzer)
        numbered = _in_workers(articles, analyzer, workers, max_chars, tables)
    else:
        chunk = _tokenize_chunk(articles, analyzer, max_chars)
        tables = _WordTables(terms, learn=None)  # the analyzer's memo keeps the words itself
        for low in range(0, len(chunk.surfaces), _WORDS_PER_PIECE):
            let_answers_run()
            surfaces = chunk.surfaces[low : low + _WORDS_PER_PIECE]
            tables.fold(surfaces, [analyzer.content_terms(surface) for surface in surfaces])
        numbered = [(chunk, np.arange(len(chunk.surfaces), dtype=np.int32))]
    return _combine(numbered, tables.arrays(), tables.is_word(), first_article)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _combine(
    numbered: list[tuple[_Chunk, Int32Array]],
    per_surface: Fields[Int32Array],
    is_word: BoolArray,
    first_article: int,
) -> AnalysedBatch:
    """One batch from chunks (taken from ``numbered`` one at a time, so each is dropped once
    folded in): per-field term ids of the content tokens, and the sentences' arrays."""
    field_parts: Fields[list[Int32Array]] = Fields([], [], [], [])
    length_parts = []
    ordinal_parts = []
    sentence_counts_parts = []
    owner_parts = []
    start_parts = []
    end_parts = []
    number_parts = []
    articles_before = first_article
    numbered.reverse()  # popped from the end, in order
    while numbered:
        let_answers_run()
        chunk, remap = numbered.pop()
        surface_ids = remap[chunk.token_surfaces]
        is_content = per_surface.stem[surface_ids] >= 0
        content = surface_ids[is_content]
        for parts, ids in zip(field_parts, per_surface, strict=True):
            parts.append(ids[content])
        length_parts.append(_sentence_lengths(is_content, chunk.token_counts))
        ordinal_parts.append(_content_ordinals(is_word[surface_ids], is_content, chunk.token_counts))
        sentence_counts_parts.append(chunk.sentence_counts)
        owner_parts.append(chunk.owner + np.int32(articles_before))
        start_parts.append(chunk.start)
        end_parts.append(chunk.end)
        number_parts.append(chunk.has_number)
        articles_before += len(chunk.sentence_counts)
        del chunk, remap, surface_ids, is_content, content
    sentence_lengths = _joined(length_parts, np.int32)
    sentence_counts = _joined(sentence_counts_parts, np.int64)
    first = np.zeros(len(sentence_counts) + 1, dtype=np.int64)
    np.cumsum(sentence_counts, out=first[1:])
    content_before = np.zeros(len(sentence_lengths) + 1, dtype=np.int64)
    np.cumsum(sentence_lengths, out=content_before[1:])
    return AnalysedBatch(
        terms=Fields(*(_joined(parts, np.int32) for parts in field_parts)),
        sentence_lengths=sentence_lengths,
        article_lengths=np.diff(content_before[first]).astype(np.int32),
        owner=_joined(owner_parts, np.int32),
        start=_joined(start_parts, np.int32),
        end=_joined(end_parts, np.int32),
        has_number=_joined(number_parts, np.bool_),
        first_sentence=first,
        ordinals=_joined(ordinal_parts, np.uint16),
    )


def _sentence_lengths(is_content: BoolArray, token_counts: Int32Array) -> Int32Array:
    """Content tokens per sentence, given which tokens are content and the tokens per sentence."""
    content_before = np.zeros(len(is_content) + 1, dtype=np.int64)
    np.cumsum(is_content, out=content_before[1:])
    bounds = np.zeros(len(token_counts) + 1, dtype=np.int64)
    np.cumsum(token_counts, out=bounds[1:])
    return np.diff(content_before[bounds]).astype(np.int32)


def _content_ordinals(words: BoolArray, content: BoolArray, token_counts: Int32Array) -> UInt16Array:
    """Each content token's ordinal among the words of its sentence (one chunk's tokens: which
    are words, which are content words, and the tokens per sentence)."""
    before = np.cumsum(words, dtype=np.int64)
    before -= words  # words before each token in the chunk
    starts = np.zeros(len(token_counts) + 1, dtype=np.int64)
    np.cumsum(token_counts, out=starts[1:])
    at_start = np.append(before, 0)[starts[:-1]]  # a sentence without tokens repeats nothing
    before -= np.repeat(at_start, token_counts)
    ordinals = before[content]
    if len(ordinals) and int(ordinals.max()) > np.iinfo(np.uint16).max:
        raise ValueError("a sentence of more than 65,535 words: lower max_sentence_chars")
    return ordinals.astype(np.uint16)


def _joined(parts: list[NDArray[ScalarT]], dtype: type[ScalarT]) -> NDArray[ScalarT]:
    """``parts`` as one array; the list is emptied, so each part is freed once copied."""
    if not parts:
        return np.zeros(0, dtype=dtype)
    whole = np.concatenate(parts).astype(dtype, copy=False)
    parts.clear()
    return whole
