"""How answers and articles are printed: JSON records, a text block, and one line per batch question.

The terminal is the operator's: our own words are English; quotes, titles and outlets are Arabic as
the articles wrote them, and every article is cited by ``bot.source_line`` (dates as in the bot).
"""

from __future__ import annotations

from typing import Any

from bot.source_line import source_line
from retrieval import Answer, Article

NO_ANSWER_TEXT = "no answer: nothing in the articles answers this question"


def answer_to_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answered": answer.answered,
        "quotes": [
            {
                "text": quote.text,
                **article_to_json(quote.article),
                "score": round(quote.score, 6),
                "also_reported_by": [
                    {"text": other.text, **article_to_json(other.article)} for other in quote.also_in
                ],
            }
            for quote in answer.quotes
        ],
    }


def article_to_json(article: Article) -> dict[str, str | None]:
    return {
        "article_id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
    }


def terminal_source(article: Article) -> str:
    """The bot's source line plus the URL, which a terminal cannot hide behind the title."""
    return source_line(article, with_url=True)


def answer_block(answer: Answer) -> str:
    if not answer.answered:
        return NO_ANSWER_TEXT + "\n"
    lines = []
    for number, quote in enumerate(answer.quotes, start=1):
        lines.append(f"{number}. «{one_line(quote.text)}»")
        lines.append(f"   — {terminal_source(quote.article)}")
        for other in quote.also_in:
            lines.append(f"   — {terminal_source(other.article)}  (in their words: «{one_line(other.text)}»)")
        lines.append("")
    return "\n".join(lines)


def answer_line(answer: Answer) -> str:
    if not answer.answered:
        return f"{answer.question}\t{NO_ANSWER_TEXT}"
    best = answer.quotes[0]
    return f"{answer.question}\t«{one_line(best.text)}» — {terminal_source(best.article)}"


def one_line(text: str) -> str:
    return " ".join(text.split())
