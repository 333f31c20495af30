"""Immutable records passed in and out of the retrieval library.

Offsets are character offsets into ``Article.text``; every quoted string is
``article.text[start:end]``, which is what makes quotes verbatim by construction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from retrieval.time_expressions import DateRange

# The longest quote a reader is shown (and the eval scorer accepts): a sentence longer than this
# is cut, so the cut is derived from here rather than set on its own.
MAX_QUOTE_CHARS: Final = 600


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its text and the metadata shown next to a quote.

    ``source`` is the outlet that published it; ``published`` an ISO date (YYYY-MM-DD) when known.
    """

    id: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article before it has an id (what extraction finds, what the store is given).

    Its fields are :class:`Article`'s without ``id``, so the two convert field by field by name.
    """

    title: str
    text: str
    source: str | None = None
    url: str | None = None
    published: str | None = None

    @classmethod
    def from_article(cls, article: Article) -> NewArticle:
        """``article`` without its id (the article store names articles itself)."""
        fields = asdict(article)
        del fields["id"]
        return cls(**fields)

    def with_id(self, article_id: str) -> Article:
        return Article(id=article_id, **asdict(self))


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
    """The engine's reply to one question: quotes best first, or an abstention.

    ``published`` is the date range the search was restricted to (time words, or the caller's).
    """

    question: str
    quotes: tuple[Quote, ...] = ()
    abstain_reason: str | None = None
    more_available: bool = field(default=False)
    published: DateRange | None = None
    # The abstention model's probability that the corpus answers the question (None without it).
    confidence: float | None = None
    # With abstain_reason "unknown_place": the places the question names that no article mentions.
    unknown_places: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        return bool(self.quotes)
