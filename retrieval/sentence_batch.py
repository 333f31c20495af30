"""Articles to the arrays one batch of the sentence index is built from: segmentation and analysis.

Analysis is proportional to distinct work: each distinct surface word is analysed once (a corpus of
thirty million tokens holds about a million distinct words) and mapped to an id, every token then
costs one dict look-up done in C (``map``), and the per-field terms of all tokens are gathered by
numpy from per-word tables. No per-token Python object is kept. Big builds analyse chunks of
articles in forked worker processes (both cores), and the parent only merges word tables.
"""

from __future__ import annotations

import multiprocessing
from array import array
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from retrieval.analyzer import ArabicAnalyzer, Fields, FieldTerms
from retrieval.normalize import normalize_arabic
from retrieval.quantities import holds_number_or_month
from retrieval.records import Article
from retrieval.segment import segment_sentences
from retrieval.segments import TermIds

# Each chunk's distinct words are looked up in its worker's memo, so more chunks cost little
# analysis; a few per process balance the workers' finishing times.
_CHUNKS_PER_PROCESS = 4

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
UInt16Array = NDArray[np.uint16]


@dataclass(frozen=True, slots=True)
class AnalysedBatch:
    """Sentences of consecutive articles with their content terms, as flat arrays."""

    terms: Fields[Int32Array]  # term ids of every content token, sentence after sentence
    # Per content token, its ordinal among its sentence's words (stopwords included, words that
    # normalize away not: ``ArabicAnalyzer.tokens``), for the re-ranker's proximity.
    ordinals: UInt16Array
    sentence_lengths: Int32Array  # content tokens per sentence
    article_lengths: Int32Array  # content tokens per article (its sentences together)
    owner: Int32Array  # article number of each sentence
    start: Int32Array  # sentence offsets into its article's text
    end: Int32Array
    has_number: BoolArray  # the sentence holds a number or a month name
    first_sentence: Int64Array  # per article, its first sentence (batch-local); one extra at the end


@dataclass(frozen=True, slots=True)
class _Chunk:
    """One run of articles analysed on its own (possibly in another process): local surface ids."""

    surfaces: list[str]  # distinct surface words in order of first occurrence
    analyses: list[FieldTerms | None]  # per surface: its terms, None for a stopword
    token_surfaces: Int32Array  # every token's local surface id
    token_counts: Int32Array  # tokens per sentence
    owner: Int32Array  # chunk-local article number per sentence
    start: Int32Array
    end: Int32Array
    has_number: BoolArray
    sentence_counts: Int64Array  # per article


class _SurfaceIds(dict[str, int]):
    """Surface word -> local id; a new word is analysed once, when first met."""

    def __init__(self, analyzer: ArabicAnalyzer) -> None:
        super().__init__()
        self._analyzer = analyzer
        self.analyses: list[FieldTerms | None] = []

    def __missing__(self, surface: str) -> int:
        surface_id = len(self)
        self[surface] = surface_id
        self.analyses.append(self._analyzer.content_terms(surface))
        return surface_id


def _analyse_chunk(articles: Sequence[Article], analyzer: ArabicAnalyzer, max_chars: int) -> _Chunk:
    surfaces = _SurfaceIds(analyzer)
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
        analyses=surfaces.analyses,
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


# Articles a forked worker reads by range (fork shares them; nothing is pickled on the way in).
_FORKED_ARTICLES: Sequence[Article] = ()


# Stands in for a future whose chunk was taken.
_DONE: Future[_Chunk] = Future()

_WORKER_ANALYZER: list[ArabicAnalyzer] = []  # one per worker process, so its chunks share a memo


def _analyse_forked_range(bounds: tuple[int, int], max_chars: int) -> _Chunk:
    if not _WORKER_ANALYZER:
        _WORKER_ANALYZER.append(ArabicAnalyzer())
    return _analyse_chunk(_FORKED_ARTICLES[bounds[0] : bounds[1]], _WORKER_ANALYZER[0], max_chars)


def _analyse_in_processes(articles: Sequence[Article], processes: int, max_chars: int) -> Iterator[_Chunk]:
    """Chunks of ``articles`` analysed by ``processes`` forked workers, yielded in article order
    as they arrive (the caller folds each in and drops it, so few are held at once)."""
    global _FORKED_ARTICLES
    chunk_count = processes * _CHUNKS_PER_PROCESS
    size = -(-len(articles) // chunk_count)
    bounds = [(low, min(low + size, len(articles))) for low in range(0, len(articles), size)]
    _FORKED_ARTICLES = articles
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            futures = [pool.submit(_analyse_forked_range, bound, max_chars) for bound in bounds]
            for number in range(len(futures)):
                chunk = futures[number].result()
                futures[number] = _DONE  # the future would keep the chunk alive
                yield chunk
    finally:
        _FORKED_ARTICLES = ()


def analyse_articles(
    articles: Sequence[Article],
    analyzer: ArabicAnalyzer,
    terms: Fields[TermIds],
    *,
    max_chars: int,
    first_article: int = 0,
    processes: int = 1,
) -> AnalysedBatch:
    """Segment and analyse ``articles``, numbering them from ``first_article``.

    With ``processes > 1``, chunks are analysed by forked worker processes (segmentation and
    analysis are pure Python: threads would not help, and the caller's other threads keep the
    GIL meanwhile); term ids still follow the articles' order, so the result is the same.
    """
    if processes > 1 and len(articles) >= processes and _can_fork():
        chunks: Iterable[_Chunk] = _analyse_in_processes(articles, processes, max_chars)
        # The workers' analyses would otherwise die with them, and every question would analyse
        # the corpus words its candidate sentences hold afresh (stem, root) in this process.
        return _combine(chunks, terms, first_article, learn=analyzer)
    return _combine([_analyse_chunk(articles, analyzer, max_chars)], terms, first_article)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _combine(
    chunks: Iterable[_Chunk],
    terms: Fields[TermIds],
    first_article: int,
    *,
    learn: ArabicAnalyzer | None = None,
) -> AnalysedBatch:
    """One batch from chunks: local surface ids become global ones, then per-field term ids.

    Each chunk is folded in and dropped as it comes (its words and their analyses are Python
    objects: at a million sentences all chunks together would be gigabytes).
    """
    global_ids: dict[str, int] = {}
    field_ids: Fields[array[int]] = Fields(*(array("i") for _ in Fields._fields))
    is_word = bytearray()  # per global surface id: a word ``tokens`` yields (it does not normalize away)
    ordinal_parts = []
    token_parts = []
    token_counts_parts = []
    sentence_counts_parts = []
    owner_parts = []
    start_parts = []
    end_parts = []
    number_parts = []
    articles_before = first_article
    for chunk in chunks:
        # Words an earlier chunk brought are looked up in C; only the new ones take Python steps.
        surfaces = chunk.surfaces
        remap = np.fromiter(
            map(global_ids.get, surfaces, repeat(-1, len(surfaces))), dtype=np.int32, count=len(surfaces)
        )
        for local in np.flatnonzero(remap < 0).tolist():
            remap[local] = global_ids[surfaces[local]] = len(global_ids)
            analysis = chunk.analyses[local]
            if learn is not None and analysis is not None:
                learn.remember(surfaces[local], analysis)
            is_word.append(analysis is not None or bool(normalize_arabic(surfaces[local])))
            for ids, table, term in zip(
                field_ids, terms, analysis or (None,) * len(Fields._fields), strict=True
            ):
                ids.append(-1 if term is None else table[term])
        tokens = remap[chunk.token_surfaces]
        token_parts.append(tokens)
        ordinal_parts.append(_content_ordinals(tokens, chunk.token_counts, is_word, field_ids.stem))
        token_counts_parts.append(chunk.token_counts)
        sentence_counts_parts.append(chunk.sentence_counts)
        owner_parts.append(chunk.owner + np.int32(articles_before))
        start_parts.append(chunk.start)
        end_parts.append(chunk.end)
        number_parts.append(chunk.has_number)
        articles_before += len(chunk.sentence_counts)
        del chunk, remap, tokens
    del global_ids
    per_surface = Fields(*(np.array(ids, dtype=np.int32) for ids in field_ids))
    del field_ids
    surface_ids = np.concatenate(token_parts) if token_parts else np.zeros(0, np.int32)
    del token_parts
    is_content = (per_surface.stem >= 0)[surface_ids]
    content_surfaces = surface_ids[is_content]
    del surface_ids
    # Content tokens before each token, for the sentence bounds; int64 as the counts may be large.
    content_before = np.zeros(len(is_content) + 1, dtype=np.int64)
    np.cumsum(is_content, out=content_before[1:])
    del is_content
    token_counts = np.concatenate(token_counts_parts)
    sentence_bounds = content_before[np.concatenate([[0], np.cumsum(token_counts, dtype=np.int64)])]
    del content_before
    sentence_counts = np.concatenate(sentence_counts_parts)
    first = np.zeros(len(sentence_counts) + 1, dtype=np.int64)
    np.cumsum(sentence_counts, out=first[1:])
    return AnalysedBatch(
        terms=Fields(*(ids[content_surfaces] for ids in per_surface)),
        ordinals=np.concatenate(ordinal_parts) if ordinal_parts else np.zeros(0, np.uint16),
        sentence_lengths=np.diff(sentence_bounds).astype(np.int32),
        article_lengths=np.diff(sentence_bounds[first]).astype(np.int32),
        owner=np.concatenate(owner_parts),
        start=np.concatenate(start_parts),
        end=np.concatenate(end_parts),
        has_number=np.concatenate(number_parts),
        first_sentence=first,
    )


def _content_ordinals(
    tokens: Int32Array, token_counts: Int32Array, is_word: bytearray, stem_ids: array[int]
) -> UInt16Array:
    """Each content token's ordinal among the words of its sentence (one chunk's tokens)."""
    words = np.frombuffer(is_word, dtype=np.bool_)[tokens]
    content = np.frombuffer(stem_ids, dtype=np.int32)[tokens] >= 0
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
