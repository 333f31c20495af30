"""Hand-built retrieval records and a stub engine, for rendering and handler tests."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

from retrieval import Answer, Article, Citation, DateRange, Quote, RecencyPreference, Sentence


def article(
    article_id: str,
    text: str,
    *,
    title: str = "عنوان الخبر",
    source: str | None = "وكالة الأنباء",
    url: str | None = None,
    published: str | None = "2024-11-27",
) -> Article:
    return Article(id=article_id, title=title, text=text, source=source, url=url, published=published)


def quote(
    source: Article,
    passage: str,
    *,
    bold: tuple[str, ...] = (),
    also_in: tuple[Citation, ...] = (),
    sentence: int = 0,
) -> Quote:
    """A quote of ``passage`` (which must occur in ``source.text``) with ``bold`` words highlighted."""
    start = source.text.index(passage)
    highlights = tuple((passage.index(word), passage.index(word) + len(word)) for word in bold)
    citation = Citation(source, start, start + len(passage), sentence, sentence)
    return Quote(citation=citation, score=1.0, highlights=highlights, also_in=also_in)


def citation(source: Article, passage: str) -> Citation:
    start = source.text.index(passage)
    return Citation(source, start, start + len(passage), 0, 0)


@dataclass
class StubEngine:
    """Answers every question with the same quotes, paged by ``offset``; records the calls."""

    articles: tuple[Article, ...]
    quotes: tuple[Quote, ...] = ()
    calls: list[tuple[str, int, int]] = field(default_factory=list)
    days: list[date | None] = field(default_factory=list)  # ``today`` of each call
    preferences: list[RecencyPreference | None] = field(default_factory=list)  # ``recency`` of each call
    fail: bool = False
    # Which questions get quotes (all by default).
    answerable: Callable[[str], bool] = lambda question: True

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(article.id for article in self.articles)

    def answer(
        self,
        question: str,
        *,
        top_k: int = 3,
        offset: int = 0,
        today: date | None = None,
        published: DateRange | None = None,
        recency: RecencyPreference | None = None,
        article_ids: Collection[str] | None = None,
    ) -> Answer:
        self.calls.append((question, top_k, offset))
        self.days.append(today)
        self.preferences.append(recency)
        if self.fail:
            raise RuntimeError("engine exploded")
        page = self.quotes[offset : offset + top_k] if self.answerable(question) else ()
        return Answer(
            question=question,
            quotes=page,
            abstain_reason=None if page else "no_match",
            more_available=bool(page) and offset + top_k < len(self.quotes),
        )

    def article(self, article_id: str) -> Article:
        return next(a for a in self.articles if a.id == article_id)

    def context(
        self, article_id: str, first_sentence: int, last_sentence: int, *, window: int = 2
    ) -> tuple[Sentence, ...]:
        text = self.article(article_id).text
        sentences, start = [], 0
        for index, piece in enumerate(text.split(".")):
            if piece.strip():
                begin = start + (len(piece) - len(piece.lstrip()))
                sentences.append(
                    Sentence(
                        article_id, index, begin, start + len(piece) + 1, text[begin : start + len(piece) + 1]
                    )
                )
            start += len(piece) + 1
        return tuple(s for s in sentences if first_sentence - window <= s.index <= last_sentence + window)
