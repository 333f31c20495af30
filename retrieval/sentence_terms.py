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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from retrieval.analyzer import ArabicAnalyzer, Fields
from retrieval.answers_first import let_answers_run
from retrieval.errors import IndexFormatError
from retrieval.records import Article
from retrieval.segments import StoredTermIds, TermIds
from retrieval.stored_arrays import RowReads, StoredInts

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
UInt16Array = NDArray[np.uint16]
# Built or grown: in memory; loaded: read from the saved file a few sentences at a time.
Int32Column = Int32Array | StoredInts
UInt16Column = UInt16Array | StoredInts

# The skeleton field's ids are the index's ``skeleton_terms``; these are the other fields'.
_NAMES: Final = ("stem_terms", "word_terms", "root_terms", "ordinals")
_TITLE_NAMES: Final = ("title_stems", "title_words", "title_bounds")
_TITLE_TABLES: Final = ("title_stem_terms.txt", "title_word_terms.txt")
# Titles analysed between two chances for answers in flight to run first (``let_answers_run``).
_TITLES_PER_PIECE = 64


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
            if number % _TITLES_PER_PIECE == 0:
                let_answers_run()
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
            tables = [StoredTermIds.read(directory / name) for name in _TITLE_TABLES]
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable title terms in {directory}: {error}") from error
        if len(bounds) != articles + 1 or len(stems) != len(words) or int(bounds[-1]) != len(stems):
            raise IndexFormatError(f"title terms in {directory} do not match its articles")
        return cls(stems, words, bounds, *tables)


@dataclass(frozen=True, slots=True)
class SentenceTerms:
    """Per content token, sentence after sentence: its stem, word and root term ids and its ordinal."""

    stem_terms: Int32Column
    word_terms: Int32Column
    root_terms: Int32Column
    ordinals: UInt16Column  # among the sentence's words (stopwords included); sentences are short
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
            appended(self.stem_terms, terms.stem),
            appended(self.word_terms, terms.word),
            appended(self.root_terms, terms.root),
            appended(self.ordinals, ordinals),
            self.titles.extended(articles, analyzer),
        )

    def save(self, directory: Path) -> None:
        for name in _NAMES:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)
        self.titles.save(directory)

    @classmethod
    def load(cls, directory: Path, tokens: int, articles: int) -> SentenceTerms:
        """The arrays ``save`` wrote (read a few sentences at a time, see ``StoredInts``), each of
        ``tokens`` content tokens, and the titles of ``articles`` articles."""
        loaded = {name: StoredInts(directory / f"{name}.npy") for name in _NAMES}
        if any(len(values) != tokens for values in loaded.values()):
            raise IndexFormatError(f"sentence terms in {directory} do not match its sentences")
        return cls(**loaded, titles=TitleTerms.load(directory, articles))


def appended(column: Int32Column | UInt16Column, values: NDArray[np.integer]) -> Any:  # column's type
    """``column`` followed by ``values``; a stored column keeps reading its saved part from disk."""
    let_answers_run()  # a batch added to a served index: answers in flight go first
    if isinstance(column, StoredInts):
        return column.extended(values)
    return np.concatenate([column, values])


@dataclass(frozen=True, slots=True)
class GatheredWords:
    """The content words of a few sentences, concatenated: sentence ``k``'s are ``[starts[k], starts[k + 1])``."""

    terms: Fields[Int32Array]
    ordinals: UInt16Array
    starts: Int64Array


@dataclass(frozen=True, slots=True)
class KnownWords:
    """The gathered words of some sentences by position: what the re-ranker read for a question,
    handed on to composition so it reads those sentences again neither from disk nor as strings."""

    rows: dict[int, int]  # position -> sentence number in ``gathered``
    gathered: GatheredWords

    def ids(self, position: int) -> tuple[tuple[list[int], ...], list[int]] | None:
        """The sentence's content words' term ids per field (``FIELDS`` order) and their ordinals,
        or None when it was not gathered."""
        span = self._span(position)
        if span is None:
            return None
        fields = tuple(column[span].tolist() for column in self.gathered.terms)
        return fields, self.gathered.ordinals[span].tolist()

    def skeletons(self, position: int) -> frozenset[int] | None:
        """The ids of the sentence's content words' skeleton terms, or None when it was not gathered."""
        span = self._span(position)
        return None if span is None else frozenset(self.gathered.terms.skeleton[span].tolist())

    def _span(self, position: int) -> slice | None:
        row = self.rows.get(position)
        if row is None:
            return None
        return slice(int(self.gathered.starts[row]), int(self.gathered.starts[row + 1]))


def sentence_ids(
    read: Callable[[Int64Array], GatheredWords], known: KnownWords | None, position: int
) -> tuple[tuple[list[int], ...], list[int]]:
    """The sentence's content words' term ids per field and their ordinals: from ``known`` when it
    was gathered there, else read (``read`` is an index's ``content_term_ids``)."""
    found = None if known is None else known.ids(position)
    if found is None:
        gathered = read(np.array([position], dtype=np.int64))
        found = tuple(column.tolist() for column in gathered.terms), gathered.ordinals.tolist()
    return found


def gather(
    terms: SentenceTerms, skeleton_terms: Int32Column, bounds: Int64Array, positions: Int64Array
) -> GatheredWords:
    """The words of the sentences at ``positions`` (``bounds``: the index's ``term_bounds``)."""
    first = bounds[positions]
    counts = bounds[positions + 1] - first
    starts = np.zeros(len(positions) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    tokens: list[Int64Array] = []  # computed once, for the first column held in memory
    reads: list[RowReads] = []  # likewise, for the first stored column

    def taken(column: Int32Column | UInt16Column) -> Any:  # the column's own dtype
        if isinstance(column, StoredInts):
            if not reads:
                reads.append(RowReads.of(first, counts))
            return column.read(reads[0])
        if not tokens:
            tokens.append(_tokens(first, counts, starts))
        return column[tokens[0]]

    return GatheredWords(
        terms=Fields(
            taken(terms.stem_terms),
            taken(terms.word_terms),
            taken(skeleton_terms),
            taken(terms.root_terms),
        ),
        ordinals=taken(terms.ordinals),
        starts=starts,
    )


def gather_titles(
    titles: TitleTerms, article_numbers: Int64Array
) -> tuple[Int32Array, Int32Array, Int64Array]:
    """The stems and words of the titles of ``article_numbers``, and where each title starts."""
    first = titles.bounds[article_numbers]
    counts = titles.bounds[article_numbers + 1] - first
    starts = np.zeros(len(article_numbers) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    tokens = _tokens(first, counts, starts)
    return titles.stems[tokens], titles.words[tokens], starts


def _tokens(first: Int64Array, counts: Int64Array, starts: Int64Array) -> Int64Array:
    """The elements of rows ``[first[r], first[r] + counts[r])`` in one index array (``starts``:
    where each row starts in it, one extra at the end)."""
    # Token k of the result is token (k - starts[r]) of row r.
    return np.arange(int(starts[-1]), dtype=np.int64) + np.repeat(first - starts[:-1], counts)


class TermNames:
    """Term id -> term, per field: the inverse of the index's append-only ``TermIds`` tables."""

    def __init__(self, tables: Fields[TermIds]) -> None:
        self._tables = tables
        self._names: list[list[str]] = [[] for _ in tables]
        self._lock = threading.Lock()

    def of(self, field: int, ids: list[int]) -> list[str]:
        """The terms of ``ids`` in field number ``field``."""
        named = self._tables[field].names(ids)
        if named is not None:
            return named
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
