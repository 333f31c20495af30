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
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from retrieval.analyzer import Fields
from retrieval.errors import IndexFormatError
from retrieval.segments import TermIds

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
UInt16Array = NDArray[np.uint16]

# The skeleton field's ids are the index's ``skeleton_terms``; these are the other fields'.
_NAMES: Final = ("stem_terms", "word_terms", "root_terms", "ordinals")


@dataclass(frozen=True, slots=True)
class SentenceTerms:
    """Per content token, sentence after sentence: its stem, word and root term ids and its ordinal."""

    stem_terms: Int32Array
    word_terms: Int32Array
    root_terms: Int32Array
    ordinals: UInt16Array  # among the sentence's words (stopwords included); sentences are short

    @classmethod
    def of(cls, terms: Fields[Int32Array], ordinals: UInt16Array) -> SentenceTerms:
        return cls(terms.stem, terms.word, terms.root, ordinals)

    def extended(self, terms: Fields[Int32Array], ordinals: UInt16Array) -> SentenceTerms:
        return SentenceTerms(
            np.concatenate([self.stem_terms, terms.stem]),
            np.concatenate([self.word_terms, terms.word]),
            np.concatenate([self.root_terms, terms.root]),
            np.concatenate([self.ordinals, ordinals]),
        )

    def save(self, directory: Path) -> None:
        for name in _NAMES:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, tokens: int) -> SentenceTerms:
        """The arrays ``save`` wrote (memory-mapped), each of ``tokens`` content tokens."""
        try:
            loaded = {
                name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _NAMES
            }
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable sentence terms in {directory}: {error}") from error
        if any(len(values) != tokens for values in loaded.values()):
            raise IndexFormatError(f"sentence terms in {directory} do not match its sentences")
        # Plain arrays over the maps: slicing a ``memmap`` costs a Python call per slice.
        return cls(**{name: np.asarray(values) for name, values in loaded.items()})


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
    first = bounds[positions]
    counts = bounds[positions + 1] - first
    starts = np.zeros(len(positions) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    # Token k of the result is token (k - starts[s]) of sentence s: one index array for every field.
    tokens = np.arange(int(starts[-1]), dtype=np.int64) + np.repeat(first - starts[:-1], counts)
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
