"""Immutable records passed in and out of the retrieval library.

Offsets are character offsets into ``Article.text``; every quoted string is
``article.text[start:end]``, which is what makes quotes verbatim by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

# The longest quote a reader is shown (and the eval scorer accepts): a sentence longer than this
# is cut, so the cut is derived from here rather than set on its own.
MAX_QUOTE_CHARS: Final = 600


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its text and the metadata shown next to a quote."""

    id: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, located by character offsets into the article text."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim span of one article that supports a quote."""

    article: Article
    start: int
    end: int
    first_sentence: int
    last_sentence: int

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Quote:
    """A ranked answer passage: a verbatim span and the outlets that report the same fact.

    ``highlights`` are ``(start, end)`` offsets relative to ``text`` of the words that
    matched the question, so a renderer can emphasise them without re-analysing.
    ``also_in`` lists the same fact as worded by other articles (other outlets).
    """

    citation: Citation
    score: float
    highlights: tuple[tuple[int, int], ...] = ()
    also_in: tuple[Citation, ...] = ()

    @property
    def text(self) -> str:
        return self.citation.text

    @property
    def article(self) -> Article:
        return self.citation.article


@dataclass(frozen=True, slots=True)
class Answer:
    """The engine's reply to one question: quotes best first, or an abstention."""

    question: str
    quotes: tuple[Quote, ...] = ()
    abstain_reason: str | None = None
    more_available: bool = field(default=False)
    # The abstention model's probability that the corpus answers the question (None without it).
    confidence: float | None = None

    @property
    def answered(self) -> bool:
        return bool(self.quotes)
