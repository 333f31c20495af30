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
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from retrieval.analyzer import ArabicAnalyzer, Fields, FieldTerms
from retrieval.quantities import holds_number_or_month
from retrieval.records import Article
from retrieval.segment import segment_sentences
from retrieval.segments import TermIds

# Each chunk's distinct words are looked up in its worker's memo, so more chunks cost little
# analysis; a few per process balance the workers' finishing times.
_CHUNKS_PER_PROCESS = 2

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


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


_WORKER_ANALYZER: list[ArabicAnalyzer] = []  # one per worker process, so its chunks share a memo


def _analyse_forked_range(bounds: tuple[int, int], max_chars: int) -> _Chunk:
    if not _WORKER_ANALYZER:
        _WORKER_ANALYZER.append(ArabicAnalyzer())
    return _analyse_chunk(_FORKED_ARTICLES[bounds[0] : bounds[1]], _WORKER_ANALYZER[0], max_chars)


def _analyse_in_processes(articles: Sequence[Article], processes: int, max_chars: int) -> list[_Chunk]:
    """Chunks of ``articles`` analysed by ``processes`` forked workers, in article order."""
    global _FORKED_ARTICLES
    chunk_count = processes * _CHUNKS_PER_PROCESS
    size = -(-len(articles) // chunk_count)
    bounds = [(low, min(low + size, len(articles))) for low in range(0, len(articles), size)]
    _FORKED_ARTICLES = articles
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            return list(pool.map(_analyse_forked_range, bounds, [max_chars] * len(bounds)))
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
        chunks = _analyse_in_processes(articles, processes, max_chars)
    else:
        chunks = [_analyse_chunk(articles, analyzer, max_chars)]
    return _combine(chunks, terms, first_article)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _combine(chunks: list[_Chunk], terms: Fields[TermIds], first_article: int) -> AnalysedBatch:
    """One batch from chunks: local surface ids become global ones, then per-field term ids."""
    global_ids: dict[str, int] = {}
    field_ids: Fields[array[int]] = Fields(*(array("i") for _ in Fields._fields))
    token_parts = []
    for chunk in chunks:
        remap = np.empty(len(chunk.surfaces), dtype=np.int32)
        for local, (surface, analysis) in enumerate(zip(chunk.surfaces, chunk.analyses, strict=True)):
            known = global_ids.get(surface)
            if known is None:
                known = global_ids[surface] = len(global_ids)
                for ids, table, term in zip(
                    field_ids, terms, analysis or (None,) * len(Fields._fields), strict=True
                ):
                    ids.append(-1 if term is None else table[term])
            remap[local] = known
        token_parts.append(remap[chunk.token_surfaces])
    surface_ids = np.concatenate(token_parts) if token_parts else np.zeros(0, np.int32)
    per_surface = Fields(*(np.array(ids, dtype=np.int32) for ids in field_ids))
    is_content = (per_surface.stem >= 0)[surface_ids]
    content_before = np.zeros(len(surface_ids) + 1, dtype=np.int64)
    np.cumsum(is_content, out=content_before[1:])
    token_counts = np.concatenate([chunk.token_counts for chunk in chunks])
    sentence_bounds = content_before[np.concatenate([[0], np.cumsum(token_counts, dtype=np.int64)])]
    sentence_counts = np.concatenate([chunk.sentence_counts for chunk in chunks])
    first = np.zeros(len(sentence_counts) + 1, dtype=np.int64)
    np.cumsum(sentence_counts, out=first[1:])
    article_offsets = np.cumsum([0] + [len(chunk.sentence_counts) for chunk in chunks])
    content_surfaces = surface_ids[is_content]
    return AnalysedBatch(
        terms=Fields(*(ids[content_surfaces] for ids in per_surface)),
        sentence_lengths=np.diff(sentence_bounds).astype(np.int32),
        article_lengths=np.diff(sentence_bounds[first]).astype(np.int32),
        owner=np.concatenate(
            [
                chunk.owner + np.int32(first_article + offset)
                for chunk, offset in zip(chunks, article_offsets, strict=False)
            ]
        ),
        start=np.concatenate([chunk.start for chunk in chunks]),
        end=np.concatenate([chunk.end for chunk in chunks]),
        has_number=np.concatenate([chunk.has_number for chunk in chunks]),
        first_sentence=first,
    )
