"""The BM25 scorer behind every field: rank-bm25's BM25Okapi, one instance per field."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

FloatArray = npt.NDArray[np.float64]


class FieldScorer:
    """BM25Okapi over one field of every document; unseen query terms score 0."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75) -> None:
        # Callers never pass an empty corpus: rank-bm25 divides by its size.
        self._bm25 = BM25Okapi([list(doc) for doc in documents], k1=k1, b=b)
        self.document_count = len(documents)

    def scores(self, query: Sequence[str]) -> FloatArray:
        result: FloatArray = np.asarray(self._bm25.get_scores(list(query)), dtype=np.float64)
        return result

    def idf(self, term: str) -> float | None:
        """The term's BM25 IDF, or None when no document holds it."""
        value = self._bm25.idf.get(term)
        return None if value is None else float(value)
