"""The BM25 scorer behind every field: ``BM25Index``, rank-bm25's BM25Okapi scores, computed sparsely."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retrieval.bm25_index import BM25Index

FloatArray = npt.NDArray[np.float64]


class FieldScorer:
    """BM25 over one field of every document; unseen query terms score 0."""

    def __init__(self, index: BM25Index) -> None:
        self._index = index

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]], *, k1: float = 1.5, b: float = 0.75) -> FieldScorer:
        return cls(BM25Index.build(documents, k1=k1, b=b))

    @classmethod
    def load(cls, directory: Path) -> FieldScorer:
        return cls(BM25Index.load(directory, mmap=True))

    def save(self, directory: Path) -> None:
        self._index.save(directory)

    def scores(self, query: Sequence[str]) -> FloatArray:
        return self._index.scores(query)

    def document_frequency(self, term: str) -> int:
        return self._index.document_frequency(term)

    def idf(self, term: str) -> float | None:
        """The term's BM25 IDF, or None when no document holds it."""
        if self._index.document_frequency(term) == 0:
            return None
        return self._index.idf(term)
