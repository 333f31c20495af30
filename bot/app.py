"""The Telegram application: settings in, a polling bot out. All wiring, in reading order."""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any, TextIO

from pydantic import ValidationError
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import admin, handlers, texts
from bot.corpus import load_articles
from bot.live import ADMIN_IDS_KEY, LiveNews, build_served_engine, schedule_refresh
from bot.logs import configure_logging
from bot.services import SERVICES_KEY, Services
from bot.transport import MessageRateLimiter, RetryingRequest
from config import Settings, SettingsError, describe_validation_error, load_settings
from config.storage import StorageSettings
from retrieval import AnswerEngine, RetrievalError, StoreError

logger = logging.getLogger(__name__)

NO_TOKEN_MESSAGE = (
    "newsbot: no Telegram bot token. Create a bot with @BotFather in Telegram (/newbot), then set "
    "NEWSBOT_TELEGRAM_TOKEN (or TELEGRAM_BOT_TOKEN) in the environment or in .env. "
    "`newsbot ask QUESTION` answers from the terminal without a token."
)
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Start-up (getMe, deleteWebhook) is not retried on top of the transport's own retries:
# an unreachable or misconfigured Bot API is reported within seconds.
BOOTSTRAP_RETRIES = 0
RATE_LIMIT_RETRIES = 5


def build_application(
    settings: Settings,
    engine: AnswerEngine,
    *,
    request: BaseRequest | None = None,
    storage: StorageSettings | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot: HTTP and rate limiting, defaults, shared services, feed refresh, then handlers by priority.

    ``request`` replaces the HTTP layer (tests pass an offline one); ``storage`` the store settings
    read from the environment.
    """
    storage = storage or StorageSettings()
    if settings.telegram_token is None:
        raise SettingsError(NO_TOKEN_MESSAGE)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(file_url(settings.telegram_api_url))
        .request(request or RetryingRequest(connection_pool_size=16))
        # getUpdates gets its own connection so a long poll never blocks a reply.
        .get_updates_request(request or RetryingRequest(connection_pool_size=1))
        # Waits out 429 RetryAfter and keeps under Telegram's broadcast limits.
        .rate_limiter(MessageRateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .post_init(post_init)
        .build()
    )
    application.bot_data[SERVICES_KEY] = Services(engine=engine, top_k=settings.top_k)
    application.bot_data["allowed_ids"] = settings.allowed_ids
    application.bot_data[ADMIN_IDS_KEY] = storage.admin_ids
    if settings.corpus is None:
        # Serving the seeds plus the store: new articles can join it while the bot runs.
        # A named corpus is fixed, so there is nothing to refresh.
        schedule_refresh(application, LiveNews(storage))

    # Group -1 runs first for every update: the allow-list stops the rest when it applies.
    application.add_handler(TypeHandler(Update, handlers.enforce_allow_list), group=-1)

    # Only new messages: an edited question must not be answered a second time.
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("start", handlers.start, filters=new))
    application.add_handler(CommandHandler("help", handlers.help_command, filters=new))
    application.add_handler(CommandHandler("sources", handlers.sources, filters=new))
    application.add_handler(CommandHandler("ask", handlers.ask, filters=new))
    # Ingestion takes seconds to minutes: block=False lets later updates (questions) be handled meanwhile.
    application.add_handler(CommandHandler("add", admin.add_command, filters=new, block=False))
    application.add_handler(CommandHandler("refresh", admin.refresh_command, filters=new, block=False))
    application.add_handler(MessageHandler(new & private & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(new & private & filters.TEXT, handlers.private_text))
    application.add_handler(
        MessageHandler(new & groups & filters.REPLY & ~filters.COMMAND, handlers.group_reply)
    )
    application.add_handler(
        MessageHandler(new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.not_text)
    )
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_error_handler(handlers.on_error)
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
    services: Services = application.bot_data[SERVICES_KEY]
    logger.info(
        "polling as @%s with %d articles; stop with Ctrl+C or SIGTERM",
        application.bot.username,
        len(services.engine.articles),
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


def build_engine(settings: Settings, storage: StorageSettings | None = None) -> AnswerEngine:
    """Index NEWSBOT_CORPUS alone when set, else the bundled seeds plus the article store (NEWSBOT_DB).

    The index is saved to NEWSBOT_INDEX_CACHE and loaded from there while the articles are unchanged.
    """
    storage = storage or StorageSettings()
    if settings.corpus is not None:
        engine = AnswerEngine.from_articles(load_articles(settings.corpus), cache_dir=storage.index_cache)
    else:
        engine = build_served_engine(storage)
    logger.info(
        "indexed %d articles from %s", len(engine.articles), settings.corpus or "the seeds and the store"
    )
    return engine


def run(settings: Settings, *, err: TextIO = sys.stderr) -> int:
    """Run the bot until SIGINT/SIGTERM; return the exit status (0 clean, 2 for a user error)."""
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    configure_logging(settings.log_level_number, secrets=(token,))
    if not token:
        print(NO_TOKEN_MESSAGE, file=err)
        return 2
    try:
        engine = build_engine(settings)
    except ValidationError as error:
        print(f"newsbot: {describe_validation_error(error)}", file=err)
        return 2
    except (RetrievalError, StoreError) as error:
        print(f"newsbot: corpus: {error}", file=err)
        return 2
    application = build_application(settings, engine)
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


def main(*, overrides: dict[str, Any] | None = None) -> int:
    """Entry point of ``python -m bot`` and ``newsbot run``: settings from the environment."""
    try:
        settings = load_settings(**(overrides or {}))
    except SettingsError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    return run(settings)
