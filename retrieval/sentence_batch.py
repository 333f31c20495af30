"""Articles to the arrays one batch of the sentence index is built from: segmentation and analysis.

Analysis is proportional to distinct work: each distinct surface word is analysed once (a corpus of
thirty million tokens holds about a million distinct words) and mapped to an id, every token then
costs one dict look-up done in C (``map``), and the per-field terms of all tokens are gathered by
numpy from per-word tables. No per-token Python object is kept.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from retrieval.analyzer import ArabicAnalyzer, Fields
from retrieval.records import Article
from retrieval.segment import segment_sentences
from retrieval.segments import TermIds

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_MONTHS = (
    "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين"
)
NUMBER_OR_MONTH = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]|" + "|".join(_MONTHS.split()))


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


class _SurfaceIds(dict[str, int]):
    """Surface word -> id; a new word is analysed once and its terms recorded per field (-1: none)."""

    def __init__(self, analyzer: ArabicAnalyzer, terms: Fields[TermIds]) -> None:
        super().__init__()
        self._analyzer = analyzer
        self._terms = terms
        self.field_ids: Fields[array[int]] = Fields(array("i"), array("i"), array("i"))

    def __missing__(self, surface: str) -> int:
        surface_id = len(self)
        self[surface] = surface_id
        found = self._analyzer.content_terms(surface)
        for ids, table, term in zip(self.field_ids, self._terms, found or (None, None, None), strict=True):
            ids.append(-1 if term is None else table[term])
        return surface_id


def analyse_articles(
    articles: Sequence[Article],
    analyzer: ArabicAnalyzer,
    terms: Fields[TermIds],
    *,
    max_chars: int,
    first_article: int = 0,
) -> AnalysedBatch:
    """Segment and analyse ``articles``, numbering them from ``first_article``."""
    surfaces = _SurfaceIds(analyzer, terms)
    lookup = surfaces.__getitem__
    token_surfaces = array("i")
    token_counts = array("i")
    owner = array("i")
    starts = array("i")
    ends = array("i")
    has_number = bytearray()
    first_sentence = array("q", [0])
    for number, article in enumerate(articles, start=first_article):
        for sentence in segment_sentences(article.text, article.id, max_chars=max_chars):
            before = len(token_surfaces)
            token_surfaces.extend(map(lookup, analyzer.words(sentence.text)))
            token_counts.append(len(token_surfaces) - before)
            owner.append(number)
            starts.append(sentence.start)
            ends.append(sentence.end)
            has_number.append(NUMBER_OR_MONTH.search(sentence.text) is not None)
        first_sentence.append(len(owner))
    surface_ids = np.frombuffer(token_surfaces, dtype=np.int32) if token_surfaces else np.zeros(0, np.int32)
    stems = np.frombuffer(surfaces.field_ids.stem, dtype=np.int32) if surfaces else np.zeros(0, np.int32)
    is_content = (stems >= 0)[surface_ids]
    content_before = np.zeros(len(surface_ids) + 1, dtype=np.int64)
    np.cumsum(is_content, out=content_before[1:])
    token_ends = np.cumsum(np.frombuffer(token_counts, dtype=np.int32), dtype=np.int64)
    sentence_bounds = np.concatenate([[0], content_before[token_ends]])
    sentence_lengths = np.diff(sentence_bounds).astype(np.int32)
    first = np.frombuffer(first_sentence, dtype=np.int64)
    content_surfaces = surface_ids[is_content]
    field_terms = Fields(
        *(
            np.frombuffer(ids, dtype=np.int32)[content_surfaces] if ids else np.zeros(0, np.int32)
            for ids in surfaces.field_ids
        )
    )
    return AnalysedBatch(
        terms=field_terms,
        sentence_lengths=sentence_lengths,
        article_lengths=np.diff(sentence_bounds[first]).astype(np.int32),
        owner=np.frombuffer(owner, dtype=np.int32).copy(),
        start=np.frombuffer(starts, dtype=np.int32).copy(),
        end=np.frombuffer(ends, dtype=np.int32).copy(),
        has_number=np.frombuffer(bytes(has_number), dtype=np.bool_).copy(),
        first_sentence=first.copy(),
    )
