"""Telegram handlers: update in, engine call, rendered HTML out. Wired in ``bot.app``."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from collections.abc import AsyncIterator, Sequence

from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, InlineQueryLimit
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import keyboards, render, texts
from bot.live import ADMIN_IDS_KEY, is_admin
from bot.services import Services, services
from retrieval import Answer, Quote, has_arabic

logger = logging.getLogger(__name__)

# Questions are short; anything longer is cut (at a word) before retrieval, so a pasted
# article cannot make a query slow or a reply huge.
MAX_QUESTION_CHARS = 300
INLINE_RESULTS = 5
# Telegram shows "typing…" for about five seconds; renew it while the engine works.
TYPING_RENEW_SECONDS = 4.0
# A second poller makes every getUpdates fail; say so once a minute, not on every retry.
CONFLICT_REPORT_SECONDS = 60.0


# --------------------------------------------------------------------------- helpers


def clean_question(text: str) -> str:
    """Collapse whitespace and cut very long input at a word boundary."""
    question = " ".join(text.split())
    if len(question) <= MAX_QUESTION_CHARS:
        return question
    cut = question.rfind(" ", 0, MAX_QUESTION_CHARS)
    return question[: cut if cut > MAX_QUESTION_CHARS // 2 else MAX_QUESTION_CHARS]


def question_from_command(message: Message) -> str:
    """The text after a leading /command (or /command@bot) in ``message``."""
    text = message.text or ""
    if text.startswith("/"):
        _, _, text = text.partition(" ")
    return text


async def send_typing(message: Message) -> None:
    """Show "typing…" in the chat of ``message``; a failure only costs the hint."""
    try:
        await message.get_bot().send_chat_action(message.chat_id, ChatAction.TYPING)
    except TelegramError as error:
        logger.debug("typing action failed: %s", error)


@contextlib.asynccontextmanager
async def typing(message: Message) -> AsyncIterator[None]:
    """Show "typing…" before the block runs and renew it until the block ends."""

    async def renew() -> None:
        while True:
            await asyncio.sleep(TYPING_RENEW_SECONDS)
            await send_typing(message)

    await send_typing(message)
    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def ask_engine(svc: Services, question: str, *, offset: int = 0, top_k: int | None = None) -> Answer:
    """The engine's answer, computed off the event loop so polling and other chats keep moving."""
    return await asyncio.to_thread(svc.engine.answer, question, top_k=top_k or svc.top_k, offset=offset)


def answer_markup(svc: Services, answer: Answer, *, offset: int) -> InlineKeyboardMarkup | None:
    """Context buttons for the quotes shown, and "more" if the engine has further quotes."""
    if not answer.answered:
        return None
    more = None
    if answer.more_available:
        more = keyboards.more_data(svc.questions.remember(answer.question), offset + len(answer.quotes))
    quotes = [(svc.positions[quote.article.id], quote) for quote in answer.quotes]
    return keyboards.answer_keyboard(quotes, first_number=offset + 1, more=more)


async def send_chunks(
    message: Message, chunks: Sequence[str], markup: InlineKeyboardMarkup | None, *, reply_to: int | None
) -> None:
    """Send ``chunks`` in order to the chat of ``message``, replying to ``reply_to``; buttons go last."""
    for index, chunk in enumerate(chunks):
        await message.get_bot().send_message(
            message.chat_id,
            chunk,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to is not None else None
            ),
            reply_markup=markup if index == len(chunks) - 1 else None,
        )


async def answer_question(message: Message, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Answer ``text`` as a question, replying to ``message``."""
    question = clean_question(text)
    if not has_arabic(question):
        await message.reply_text(render.rtl(texts.NOT_ARABIC))
        return
    svc = services(context)
    started = time.perf_counter()
    async with typing(message):
        answer = await ask_engine(svc, question)
    logger.info(
        "question answered=%s quotes=%d in %.1f ms (%s)",
        answer.answered,
        len(answer.quotes),
        (time.perf_counter() - started) * 1000,
        answer.abstain_reason or "ok",
    )
    chunks = render.render_answer(answer)
    await send_chunks(message, chunks, answer_markup(svc, answer, offset=0), reply_to=message.message_id)


# --------------------------------------------------------------------------- policy


async def enforce_allow_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from users and chats outside NEWSBOT_ALLOWED_IDS (when it is set)."""
    allowed = context.bot_data.get("allowed_ids")
    if not allowed:
        return
    ids = {entity.id for entity in (update.effective_user, update.effective_chat) if entity is not None}
    if ids.isdisjoint(allowed):
        logger.info("ignored an update from ids %s (not in the allow-list)", sorted(ids))
        raise ApplicationHandlerStop


# --------------------------------------------------------------------------- commands


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome: what the bot knows and an example question."""
    message = update.effective_message
    if message is None:
        return
    if context.args and context.args[0] == "sources":
        await sources(update, context)
        return
    count = render.arabic_number(len(services(context).engine.articles))
    await message.reply_text(
        render.rtl(texts.WELCOME.format(article_count=count, example=html.escape(texts.EXAMPLE_QUESTION)))
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How to use the bot in private chats, groups and inline mode."""
    if update.effective_message is None:
        return
    text = texts.HELP.format(username=html.escape(context.bot.username))
    user = update.effective_user
    if is_admin(user.id if user else None, context.bot_data.get(ADMIN_IDS_KEY, frozenset())):
        text += texts.ADMIN_HELP
    await update.effective_message.reply_text(render.rtl(text))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The articles the bot knows, with outlet and date."""
    message = update.effective_message
    if message is None:
        return
    chunks = render.render_sources(services(context).engine.articles)
    await send_chunks(message, chunks, None, reply_to=message.message_id)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION (also /ask@botname in groups)."""
    message = update.effective_message
    if message is None:
        return
    question = question_from_command(message)
    if not question.strip():
        await message.reply_text(
            render.rtl(texts.ASK_USAGE.format(example=html.escape(texts.EXAMPLE_QUESTION)))
        )
        return
    await answer_question(message, context, question)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have (private chats only: in groups it may be another bot's)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.rtl(texts.UNKNOWN_COMMAND))


# --------------------------------------------------------------------------- messages


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat any text is a question."""
    message = update.effective_message
    if message is not None and message.text:
        await answer_question(message, context, message.text)


def replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


async def group_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group, a reply to one of the bot's messages is a question; other chatter is ignored."""
    message = update.effective_message
    if message is None or not replies_to_bot(message, context.bot.id):
        return
    if message.text:
        await answer_question(message, context, message.text)
    else:
        await message.reply_text(render.rtl(texts.NOT_TEXT))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes…: a short hint that only written questions work."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.rtl(texts.NOT_TEXT))


# --------------------------------------------------------------------------- buttons


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "more" and "context" buttons under an answer."""
    query = update.callback_query
    if query is None:
        return
    request = keyboards.parse(query.data or "")
    message = query.message if isinstance(query.message, Message) else None
    if request is None or message is None:
        await query.answer(texts.EXPIRED_BUTTON)
        return
    await query.answer()
    if isinstance(request, keyboards.MoreRequest):
        await show_more(message, context, request)
    else:
        await show_context(message, context, request)


async def show_more(
    message: Message, context: ContextTypes.DEFAULT_TYPE, request: keyboards.MoreRequest
) -> None:
    """Replace the answer under the button with the next quotes (further chunks follow up)."""
    svc = services(context)
    question = svc.questions.recall(request.key)
    replied = message.reply_to_message
    if question is None and replied is not None and replied.text:
        # After a restart the store is empty; the answer still replies to the question.
        candidate = clean_question(question_from_command(replied))
        question = candidate if keyboards.question_key(candidate) == request.key else None
    if question is None:
        await message.reply_text(render.rtl(texts.EXPIRED_BUTTON))
        return
    async with typing(message):
        answer = await ask_engine(svc, question, offset=request.offset)
    chunks = render.render_answer(answer, offset=request.offset)
    markup = answer_markup(svc, answer, offset=request.offset)
    try:
        await message.edit_text(chunks[0], reply_markup=markup if len(chunks) == 1 else None)
    except BadRequest as error:
        if "not modified" not in str(error):
            raise
        return  # a double press: the message already shows these quotes
    reply_to = replied.message_id if replied is not None else None
    await send_chunks(message, chunks[1:], markup, reply_to=reply_to)


async def show_context(
    message: Message, context: ContextTypes.DEFAULT_TYPE, request: keyboards.ContextRequest
) -> None:
    """Send the sentences around a quote, replying to the answer that holds it."""
    svc = services(context)
    article = svc.article_at(request.position)
    if article is None or keyboards.article_check(article.id) != request.check:
        await message.reply_text(render.rtl(texts.EXPIRED_BUTTON))
        return
    sentences = await asyncio.to_thread(svc.engine.context, article.id, request.first, request.last)
    chunks = render.render_context(article, sentences, first=request.first, last=request.last)
    await send_chunks(message, chunks, None, reply_to=message.message_id)


# --------------------------------------------------------------------------- inline mode


def inline_result(quote: Quote) -> InlineQueryResultArticle:
    """One quote offered in inline mode: the quote as title, the source as description."""
    citation = quote.citation
    title = " ".join(quote.text.split())
    source = " · ".join(
        part for part in (quote.article.source, quote.article.published, quote.article.title) if part
    )
    return InlineQueryResultArticle(
        id=keyboards.question_key(f"{citation.article.id}:{citation.start}:{citation.end}"),
        title=title[:100],
        description=source[:200] or None,
        input_message_content=InputTextMessageContent(render.render_quote(quote)),
    )


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@botname question in any chat: offer the best quotes to send."""
    query = update.inline_query
    if query is None:
        return
    question = clean_question(query.query)
    results: list[InlineQueryResultArticle] = []
    if has_arabic(question):
        answer = await ask_engine(services(context), question, top_k=INLINE_RESULTS)
        results = [inline_result(quote) for quote in answer.quotes[: InlineQueryLimit.RESULTS]]
    await query.answer(
        results,
        cache_time=60,
        button=None
        if results or not question
        else InlineQueryResultsButton(texts.INLINE_NO_RESULTS, start_parameter="sources"),
    )


# --------------------------------------------------------------------------- errors


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every error (with its traceback) and tell the user, if there is one, that it failed."""
    error = context.error
    if isinstance(error, Conflict):
        now = time.monotonic()
        last = context.bot_data.get("conflict_reported_at")
        if last is None or now - last >= CONFLICT_REPORT_SECONDS:
            context.bot_data["conflict_reported_at"] = now
            logger.error(
                "409 Conflict: another bot instance is polling with this token; stop it (retrying meanwhile)"
            )
        return
    if update is None and isinstance(error, NetworkError):
        # Polling errors (timeouts, 5xx, dropped connections): python-telegram-bot retries them.
        logger.warning("polling failed, retrying: %s", error)
        return
    logger.error("error while handling an update", exc_info=error)
    if isinstance(error, InvalidToken | Forbidden) or not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, render.rtl(texts.ERROR))
    except TelegramError as send_error:
        logger.warning("could not tell the user about the error: %s", send_error)
