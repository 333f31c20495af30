"""Document frequencies as if one article had never been indexed.

The leave-article-out evaluation of abstention asks a question of the full index as if the
question's own article were not there, without rebuilding it: the place rule, the question's word
weights and whether a word is known at all must then count only the other articles' sentences.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol


class IndexedSentences(Protocol):
    """What is read of an index (``SentenceIndex`` provides it)."""

    def document_frequency(self, field: int, term: str) -> int: ...

    def content_words(self, position: int) -> tuple[list[tuple[str, ...]], list[int]]: ...

    def sentences_of(self, article_number: int) -> range: ...


class LeftOut:
    """``index``'s document frequencies without the sentences of article ``article_number``
    (None: as indexed)."""

    def __init__(self, index: IndexedSentences, article_number: int | None) -> None:
        self._index = index
        # Per (field, term), how many of the article's sentences hold it.
        self._held: Counter[tuple[int, str]] = Counter()
        if article_number is not None:
            for position in index.sentences_of(article_number):
                words, _ = index.content_words(position)
                self._held.update({(field, term) for terms in words for field, term in enumerate(terms)})

    def held(self, field: int, term: str) -> int:
        """How many sentences of the left-out article hold ``term`` in field number ``field``."""
        return self._held.get((field, term), 0)

    def document_frequency(self, field: int, term: str) -> int:
        """How many live sentences outside the left-out article hold ``term`` in field number ``field``."""
        return self._index.document_frequency(field, term) - self.held(field, term)

    def holds(self, field: int, term: str) -> bool:
        """Whether some sentence outside the left-out article holds ``term`` in field number ``field``."""
        return self.document_frequency(field, term) > 0
