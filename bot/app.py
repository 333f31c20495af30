"""The Telegram application: settings in, a polling bot out. All wiring, in reading order."""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any, TextIO

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import texts
from bot.access import AccessPolicy
from bot.alerts import Alerts
from bot.conversation import LastQuestions
from bot.handlers import admin, buttons, commands, errors, follows, guard, inline, news, questions
from bot.heap import keep_served
from bot.library import NewsLibrary, recency_preference
from bot.live import LiveNews, schedule_refresh
from bot.logs import configure_logging, quiet_library_logs
from bot.rate_limit import QuestionLimiter
from bot.state import BotData, NewsEngine, Today
from bot.transport import MessageRateLimiter, RetryingRequest
from config import Settings, SettingsError, load_settings
from retrieval import RetrievalError

logger = logging.getLogger(__name__)

NO_TOKEN_MESSAGE = (
    "newsbot: no Telegram bot token. Create a bot with @BotFather in Telegram (/newbot), then set "
    "NEWSBOT_TELEGRAM_TOKEN (or TELEGRAM_BOT_TOKEN) in the environment or in .env. "
    "`newsbot ask QUESTION` answers from the terminal without a token."
)
ALLOWED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Start-up (getMe, deleteWebhook) is not retried on top of the transport's own retries:
# an unreachable or misconfigured Bot API is reported within seconds.
BOOTSTRAP_RETRIES = 0
RATE_LIMIT_RETRIES = 5


def build_application(
    settings: Settings,
    engine: NewsEngine,
    *,
    request: BaseRequest | None = None,
    library: NewsLibrary | None = None,
    today: Today | None = None,
) -> Application[Any, Any, Any, Any, BotData, Any]:
    """The bot: HTTP and rate limiting, defaults, shared state, feed refresh, then handlers by priority.

    ``engine`` serves ``library`` (default: the one ``settings`` describe), which also grows it when
    news is added; ``request`` replaces the HTTP layer (tests pass an offline one); ``today`` gives
    today's date for time words and recency (default: the machine's local date).
    """
    if settings.telegram_token is None:
        raise SettingsError(NO_TOKEN_MESSAGE)
    library = library or NewsLibrary.from_settings(settings)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(file_url(settings.telegram_api_url))
        .context_types(ContextTypes(bot_data=BotData))
        .request(request or RetryingRequest(connection_pool_size=16))
        # getUpdates gets its own connections so a long poll never blocks a reply; two, so the last
        # poll at shutdown never waits for the connection of the cancelled long poll (a "Pool timeout"),
        # and no retries of ours: the updater retries polls, and a shutdown must not wait out delays.
        .get_updates_request(request or RetryingRequest(connection_pool_size=2, retry_delays=()))
        # Waits out 429 RetryAfter and keeps under Telegram's broadcast limits.
        .rate_limiter(MessageRateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .post_init(post_init)
        .build()
    )
    data: BotData = application.bot_data
    data.engine = engine
    data.top_k = settings.top_k
    data.access = AccessPolicy.from_settings(settings)
    data.last_questions = LastQuestions(settings.followup_minutes * 60)
    data.question_limits = QuestionLimiter(per_minute=settings.questions_per_minute)
    quiet_library_logs()
    if today is not None:
        data.today = today
    data.recency = recency_preference(settings)
    if library.grows:
        # Serving the seeds plus the store: new articles can join it while the bot runs.
        # A named corpus is fixed, so there is nothing to refresh.
        data.live = LiveNews(library, settings.storage.fetch_limits(), settings.storage.refresh_limits())
        # Followed questions sit beside the articles; alerts go out after each refresh or /add.
        data.alerts = Alerts(settings.storage.db, application)
        schedule_refresh(application, minutes=settings.storage.feeds_refresh_minutes)

    # Policies first, each in its own group so each sees every update it concerns; a policy that
    # refuses stops the rest. The allow-list (-2) before anything; then a button pressed again
    # within seconds (-1) is answered silently, so the press acts once.
    application.add_handler(TypeHandler(Update, guard.enforce_allow_list), group=-2)
    application.add_handler(CallbackQueryHandler(guard.drop_repeated_press), group=-1)

    # Commands act once, on new messages; a question (text, caption, /ask) is answered again when
    # edited, by editing its answer (``questions.deliver``).
    new = filters.UpdateType.MESSAGE
    new_or_edited = filters.UpdateType.MESSAGES
    written = filters.TEXT | filters.CAPTION
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("start", commands.start, filters=new))
    application.add_handler(CommandHandler("help", commands.help_command, filters=new))
    application.add_handler(CommandHandler("sources", commands.sources, filters=new))
    application.add_handler(CommandHandler("ask", questions.ask, filters=new_or_edited))
    application.add_handler(CommandHandler("latest", news.latest_command, filters=new))
    application.add_handler(CommandHandler("follow", follows.follow_command, filters=new))
    application.add_handler(CommandHandler("following", follows.following_command, filters=new))
    application.add_handler(CommandHandler("unfollow", follows.unfollow_command, filters=new))
    # Ingestion takes seconds to minutes: block=False lets later updates (questions) be handled meanwhile.
    application.add_handler(CommandHandler("add", admin.add_command, filters=new, block=False))
    application.add_handler(CommandHandler("refresh", admin.refresh_command, filters=new, block=False))
    application.add_handler(CommandHandler("remove", admin.remove_command, filters=new, block=False))
    application.add_handler(MessageHandler(new & private & filters.COMMAND, commands.unknown_command))
    # «آخر الأخبار»، «أخبار اليوم»… ask for a listing, not a quote: routed before any question handler.
    application.add_handler(
        MessageHandler(new & private & filters.TEXT & news.NEWS_REQUESTS, news.latest_text)
    )
    application.add_handler(
        MessageHandler(new_or_edited & private & written & ~filters.COMMAND, questions.private_text)
    )
    application.add_handler(
        MessageHandler(new_or_edited & groups & filters.REPLY & ~filters.COMMAND, questions.group_reply)
    )
    application.add_handler(
        MessageHandler(new & private & ~written & ~filters.StatusUpdate.ALL, questions.not_text)
    )
    application.add_handler(CallbackQueryHandler(news.page_button, pattern=news.PAGE_BUTTONS))
    application.add_handler(CallbackQueryHandler(follows.unfollow_button, pattern=follows.UNFOLLOW_BUTTONS))
    application.add_handler(CallbackQueryHandler(buttons.button))
    application.add_handler(InlineQueryHandler(inline.inline_query))
    application.add_error_handler(errors.on_error)
    return application


def file_url(api_url: str) -> str:
    """The file download URL matching a Bot API URL (…/bot → …/file/bot)."""
    head, sep, tail = api_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else api_url


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the Arabic command menu and say that the bot is up."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in texts.COMMANDS])
    except TelegramError as error:
        # The menu is a convenience; answering questions does not depend on it.
        logger.warning("could not register the command menu: %s", error)
    data: BotData = application.bot_data
    logger.info(
        "polling as @%s with %d articles; stop with Ctrl+C or SIGTERM",
        application.bot.username,
        len(data.engine.articles),
    )


def polling_options(settings: Settings) -> dict[str, Any]:
    """Arguments of ``run_polling`` / ``Updater.start_polling``, shared with the tests."""
    return {
        "timeout": settings.poll_timeout,
        "allowed_updates": list(ALLOWED_UPDATES),
        # Questions sent while the bot was down are still answered.
        "drop_pending_updates": False,
        "bootstrap_retries": BOOTSTRAP_RETRIES,
    }


def run(settings: Settings, *, err: TextIO = sys.stderr) -> int:
    """Run the bot until SIGINT/SIGTERM; return the exit status (0 clean, 2 for a user error)."""
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    configure_logging(settings.log_level_number, secrets=(token,))
    if not token:
        print(NO_TOKEN_MESSAGE, file=err)
        return 2
    library = NewsLibrary.from_settings(settings)
    try:
        engine = library.build_engine()
    except RetrievalError as error:
        print(f"newsbot: corpus: {error}", file=err)
        return 2
    application = build_application(settings, engine, library=library)
    keep_served(collect_first=True)
    try:
        application.run_polling(**polling_options(settings), stop_signals=STOP_SIGNALS)
    except InvalidToken:
        print(
            "newsbot: Telegram rejected the token (NEWSBOT_TELEGRAM_TOKEN); check it with @BotFather",
            file=err,
        )
        return 2
    except NetworkError as error:
        reason = str(error).replace(token, "[token]")
        print(f"newsbot: cannot reach the Bot API at {settings.telegram_api_url}: {reason}", file=err)
        return 1
    return 0


def main() -> int:
    """Entry point of ``python -m bot``: settings from the environment (``newsbot run`` calls ``run``)."""
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    return run(settings)
