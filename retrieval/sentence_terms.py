"""A forward index of every sentence's content words, kept so no sentence is analysed per question.

The re-ranker reads the words of some ninety sentences a question (the candidates, their
neighbours): their terms per field, in order, with each word's ordinal among all the sentence's
words (stopwords count, words that normalize away do not: what ``ArabicAnalyzer.tokens`` yields).
Analysing those sentences again cost most of an answer; the build already holds every content
token's term ids, so they are kept here as flat arrays, saved with the index and memory-mapped.

Sentence ``i``'s words are ``[bounds[i], bounds[i + 1])`` of every array, where ``bounds`` is the
index's ``term_bounds`` (shared with its skeleton forward index, which stays there). Positions
never move (a removed article's sentences stay numbered), so adds only append and removes and
segment merges leave these arrays alone.

Every candidate also reads its article's title (does it name the question's words?): titles are
analysed once when their articles are indexed and kept the same way (``TitleTerms``), their stems
and words numbered in tables of their own, so the search's term tables and statistics stay the
corpus text's.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from retrieval.analyzer import ArabicAnalyzer, Fields
from retrieval.errors import IndexFormatError
from retrieval.records import Article
from retrieval.segments import TermIds

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
UInt16Array = NDArray[np.uint16]

# The skeleton field's ids are the index's ``skeleton_terms``; these are the other fields'.
_NAMES: Final = ("stem_terms", "word_terms", "root_terms", "ordinals")
_TITLE_NAMES: Final = ("title_stems", "title_words", "title_bounds")
_TITLE_TABLES: Final = ("title_stem_terms.txt", "title_word_terms.txt")


@dataclass(frozen=True, slots=True)
class TitleTerms:
    """Per article (by number), its title's content words' stem and word ids in the title tables.

    Article ``a``'s words are ``[bounds[a], bounds[a + 1])`` of ``stems`` and ``words``. The tables
    only grow and are shared by every version, as the index's own are.
    """

    stems: Int32Array
    words: Int32Array
    bounds: Int64Array
    stem_table: TermIds
    word_table: TermIds

    @classmethod
    def empty(cls) -> TitleTerms:
        return cls(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(1, np.int64), TermIds(), TermIds())

    def extended(self, articles: Sequence[Article], analyzer: ArabicAnalyzer) -> TitleTerms:
        """These titles followed by those of ``articles`` (analysed here, as a question would)."""
        stems: list[int] = []
        words: list[int] = []
        lengths = np.zeros(len(articles), dtype=np.int64)
        for number, article in enumerate(articles):
            for _, terms in analyzer.content_words(article.title):
                stems.append(self.stem_table[terms.stem])
                words.append(self.word_table[terms.word])
                lengths[number] += 1
        return TitleTerms(
            np.concatenate([self.stems, np.array(stems, dtype=np.int32)]),
            np.concatenate([self.words, np.array(words, dtype=np.int32)]),
            np.concatenate([self.bounds, self.bounds[-1] + np.cumsum(lengths)]),
            self.stem_table,
            self.word_table,
        )

    def save(self, directory: Path) -> None:
        arrays: tuple[NDArray[np.integer], ...] = (self.stems, self.words, self.bounds)
        for name, values in zip(_TITLE_NAMES, arrays, strict=True):
            np.save(directory / f"{name}.npy", values, allow_pickle=False)
        for name, table in zip(_TITLE_TABLES, (self.stem_table, self.word_table), strict=True):
            (directory / name).write_text("\n".join(table), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, articles: int) -> TitleTerms:
        """What ``save`` wrote, for ``articles`` articles."""
        try:
            stems, words, bounds = (
                np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False))
                for name in _TITLE_NAMES
            )
            texts = [(directory / name).read_text(encoding="utf-8") for name in _TITLE_TABLES]
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable title terms in {directory}: {error}") from error
        if len(bounds) != articles + 1 or len(stems) != len(words) or int(bounds[-1]) != len(stems):
            raise IndexFormatError(f"title terms in {directory} do not match its articles")
        tables = []
        for text in texts:
            table = TermIds()
            if text:
                table.update((term, number) for number, term in enumerate(text.split("\n")))
            tables.append(table)
        return cls(stems, words, bounds, *tables)


@dataclass(frozen=True, slots=True)
class SentenceTerms:
    """Per content token, sentence after sentence: its stem, word and root term ids and its ordinal."""

    stem_terms: Int32Array
    word_terms: Int32Array
    root_terms: Int32Array
    ordinals: UInt16Array  # among the sentence's words (stopwords included); sentences are short
    titles: TitleTerms

    @classmethod
    def of(
        cls,
        terms: Fields[Int32Array],
        ordinals: UInt16Array,
        articles: Sequence[Article],
        analyzer: ArabicAnalyzer,
    ) -> SentenceTerms:
        """The words of a built batch, and the titles of its ``articles``."""
        return cls(
            terms.stem, terms.word, terms.root, ordinals, TitleTerms.empty().extended(articles, analyzer)
        )

    def extended(
        self,
        terms: Fields[Int32Array],
        ordinals: UInt16Array,
        articles: Sequence[Article],
        analyzer: ArabicAnalyzer,
    ) -> SentenceTerms:
        """These words followed by an added batch's, and these titles by its ``articles``'."""
        return SentenceTerms(
            np.concatenate([self.stem_terms, terms.stem]),
            np.concatenate([self.word_terms, terms.word]),
            np.concatenate([self.root_terms, terms.root]),
            np.concatenate([self.ordinals, ordinals]),
            self.titles.extended(articles, analyzer),
        )

    def save(self, directory: Path) -> None:
        for name in _NAMES:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)
        self.titles.save(directory)

    @classmethod
    def load(cls, directory: Path, tokens: int, articles: int) -> SentenceTerms:
        """The arrays ``save`` wrote (memory-mapped), each of ``tokens`` content tokens, and the
        titles of ``articles`` articles."""
        try:
            loaded = {
                name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _NAMES
            }
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable sentence terms in {directory}: {error}") from error
        if any(len(values) != tokens for values in loaded.values()):
            raise IndexFormatError(f"sentence terms in {directory} do not match its sentences")
        # Plain arrays over the maps: slicing a ``memmap`` costs a Python call per slice.
        plain = {name: np.asarray(values) for name, values in loaded.items()}
        return cls(**plain, titles=TitleTerms.load(directory, articles))


@dataclass(frozen=True, slots=True)
class GatheredWords:
    """The content words of a few sentences, concatenated: sentence ``k``'s are ``[starts[k], starts[k + 1])``."""

    terms: Fields[Int32Array]
    ordinals: UInt16Array
    starts: Int64Array


def gather(
    terms: SentenceTerms, skeleton_terms: Int32Array, bounds: Int64Array, positions: Int64Array
) -> GatheredWords:
    """The words of the sentences at ``positions`` (``bounds``: the index's ``term_bounds``)."""
    tokens, starts = _rows(bounds, positions)
    return GatheredWords(
        terms=Fields(
            terms.stem_terms[tokens],
            terms.word_terms[tokens],
            skeleton_terms[tokens],
            terms.root_terms[tokens],
        ),
        ordinals=terms.ordinals[tokens],
        starts=starts,
    )


def gather_titles(
    titles: TitleTerms, article_numbers: Int64Array
) -> tuple[Int32Array, Int32Array, Int64Array]:
    """The stems and words of the titles of ``article_numbers``, and where each title starts."""
    tokens, starts = _rows(titles.bounds, article_numbers)
    return titles.stems[tokens], titles.words[tokens], starts


def _rows(bounds: Int64Array, rows: Int64Array) -> tuple[Int64Array, Int64Array]:
    """The tokens of ``rows`` (row r's are ``[bounds[r], bounds[r + 1])``) in one index array, and
    where each row starts in it (one extra at the end)."""
    first = bounds[rows]
    counts = bounds[rows + 1] - first
    starts = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    # Token k of the result is token (k - starts[r]) of row r.
    tokens = np.arange(int(starts[-1]), dtype=np.int64) + np.repeat(first - starts[:-1], counts)
    return tokens, starts


class TermNames:
    """Term id -> term, per field: the inverse of the index's append-only ``TermIds`` tables."""

    def __init__(self, tables: Fields[TermIds]) -> None:
        self._tables = tables
        self._names: list[list[str]] = [[] for _ in tables]
        self._lock = threading.Lock()

    def of(self, field: int, ids: list[int]) -> list[str]:
        """The terms of ``ids`` in field number ``field``."""
        names = self._names[field]
        if ids and max(ids) >= len(names):
            names = self._grown(field)
        return [names[i] for i in ids]

    def _grown(self, field: int) -> list[str]:
        with self._lock:
            # A table only grows and lists its terms in id order; a copy is taken at once (in C,
            # holding the GIL), so a build adding terms meanwhile cannot disturb it.
            names = list(self._tables[field])
            self._names[field] = names
            return names
