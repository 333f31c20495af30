"""The bot's typed shared state: ``BotData`` (``context.bot_data``) and the engine it serves.

Registered with ``ContextTypes(bot_data=BotData)``, so handlers read attributes instead of string
keys. Swapping the engine (after /add or a feed refresh) is one assignment: ``data.engine = new``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from telegram.ext import CallbackContext, ExtBot

from bot.access import AccessPolicy
from bot.conversation import AnswerLog, LastQuestions
from bot.keyboards import QuestionStore
from bot.once import OncePerWindow
from bot.rate_limit import QuestionLimiter
from retrieval import Answer, ArabicAnalyzer, Article, DateRange, RecencyPreference, Sentence

if TYPE_CHECKING:
    from bot.alerts import Alerts
    from bot.live import LiveNews

Today = Callable[[], date]
"""Today's date: the bot's one source of the day for time words and recency (tests pass a fixed day)."""


DEFAULT_FOLLOWUP_SECONDS = 600.0


class NewsEngine(Protocol):
    """What handlers need from an answer engine (``retrieval.AnswerEngine``; a fake in tests)."""

    @property
    def articles(self) -> Sequence[Article]: ...

    @property
    def article_ids(self) -> Sequence[str]:
        """The served articles' ids in order, without decoding any article text."""
        ...

    def article(self, article_id: str) -> Article: ...

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
    ) -> Answer: ...

    def context(
        self, article_id: str, first_sentence: int, last_sentence: int, *, window: int = 2
    ) -> tuple[Sentence, ...]: ...


# Long enough to swallow a double tap and a press repeated while the first is still working.
REPEATED_PRESS_SECONDS = 5.0
OUTSIDER_NOTICE_SECONDS = 3600.0
# A second poller makes every getUpdates fail; say so once a minute, not on every retry.
CONFLICT_REPORT_SECONDS = 60.0


@dataclass(eq=False)
class BotData:
    """Everything handlers share, one instance per application (python-telegram-bot makes it, no arguments)."""

    # Quotes per answer page (NEWSBOT_TOP_K); paging moves by this much.
    top_k: int = 3
    # Who may ask and who may administer (``bot.access``).
    access: AccessPolicy = field(default_factory=AccessPolicy)
    # The day time words («أمس») and recency are read against.
    today: Today = date.today
    # How much newer articles win near-ties; None: not at all.
    recency: RecencyPreference | None = None
    # The questions behind "more" buttons; they outlive an engine swap.
    questions: QuestionStore = field(default_factory=QuestionStore)
    # The conversation (``bot.conversation``): each chat's last question for follow-ups, and which
    # messages hold which answer (edits and paging rewrite them). In memory; a restart forgets both.
    last_questions: LastQuestions = field(default_factory=lambda: LastQuestions(DEFAULT_FOLLOWUP_SECONDS))
    answers: AnswerLog = field(default_factory=AnswerLog)
    # Reads follow-ups (content words) the way the engine reads questions.
    analyzer: ArabicAnalyzer = field(default_factory=ArabicAnalyzer, repr=False)
    # Present only when the bot serves the seeds plus the store (new articles can join).
    live: LiveNews | None = None
    # Follows and their delivery after new articles arrive; present when ``live`` is.
    alerts: Alerts | None = None
    # The clock of the policies below (seconds, monotonic); tests put a hand-moved one here.
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    # A 409 Conflict (another poller with our token) is logged once a minute.
    conflict_reports: OncePerWindow = field(default_factory=lambda: OncePerWindow(CONFLICT_REPORT_SECONDS))
    # Questions per user per minute (NEWSBOT_QUESTIONS_PER_MINUTE).
    question_limits: QuestionLimiter = field(default_factory=lambda: QuestionLimiter(per_minute=0))
    # The same button (chat, message, data) pressed again within a few seconds acts once.
    presses: OncePerWindow = field(default_factory=lambda: OncePerWindow(REPEATED_PRESS_SECONDS))
    # A chat outside the allow-list is told so once an hour, not at every message.
    outsider_notices: OncePerWindow = field(default_factory=lambda: OncePerWindow(OUTSIDER_NOTICE_SECONDS))
    # Behind the ``engine`` property: swapping it must also renumber the article positions.
    _engine: NewsEngine | None = field(default=None, repr=False)
    _positions: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def engine(self) -> NewsEngine:
        """The engine answers come from; replaced whole when articles are added."""
        if self._engine is None:
            raise RuntimeError("no engine yet: bot.app.build_application sets it")
        return self._engine

    @engine.setter
    def engine(self, engine: NewsEngine) -> None:
        self._engine = engine
        # Article positions give compact callback data; they belong to one engine's article list.
        self._positions = {article_id: index for index, article_id in enumerate(engine.article_ids)}

    def answer(self, question: str, *, offset: int = 0, top_k: int | None = None) -> Answer:
        """The engine's answer as of today: time words restrict it, newer articles win near-ties."""
        return self.engine.answer(
            question, top_k=top_k or self.top_k, offset=offset, today=self.today(), recency=self.recency
        )

    def position(self, article_id: str) -> int:
        """The article's position in ``engine.articles`` (for callback data)."""
        return self._positions[article_id]

    def article_at(self, position: int) -> Article | None:
        """The article at ``position`` in ``engine.articles``, or None (callback data from an older list)."""
        articles = self.engine.articles
        return articles[position] if 0 <= position < len(articles) else None


# The context every handler and job receives: ``context.bot_data`` is a ``BotData``.
Context: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
