"""The long-lived objects handlers share, built once at start-up and kept in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import CallbackContext

from bot.keyboards import QuestionStore
from retrieval import AnswerEngine, Article

SERVICES_KEY = "services"


@dataclass(slots=True)
class Services:
    """The engine and what handlers derive from it; one instance per application."""

    engine: AnswerEngine
    top_k: int
    questions: QuestionStore = field(default_factory=QuestionStore)
    # Article position in engine.articles, for compact callback data.
    positions: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.positions = {article.id: index for index, article in enumerate(self.engine.articles)}

    def article_at(self, position: int) -> Article | None:
        articles = self.engine.articles
        return articles[position] if 0 <= position < len(articles) else None


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The application's services (put there by ``bot.app.build_application``)."""
    found = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
