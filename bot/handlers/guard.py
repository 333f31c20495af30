"""Policies that stop an update before any work: the allow-list, repeated button presses, the question limit.

``bot.app`` runs ``enforce_allow_list`` first (group -2), then ``drop_repeated_press`` (group -1)
for button presses. The question limit is asked just before the engine runs, wherever it runs for
a user: a question (``within_question_limit``), a page of quotes («المزيد»/«السابق»,
``within_press_limit``) and an inline query (``within_inline_limit``) spend from one bucket per
user; small talk and the "write in Arabic" hint cost nothing. Each says its refusal at most once
(per chat per hour, per dry spell), then stays silent: a refused user who keeps sending must not
make the bot send as much back. (A press and an inline query need an answer anyway: the press a
short notice, the inline query an empty list.)
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineQuery, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.layout import rtl
from bot.rate_limit import Admission
from bot.sending import acknowledge
from bot.state import Context

logger = logging.getLogger(__name__)

# An outsider's inline query gets no results; Telegram may cache that answer for this user only.
OUTSIDER_INLINE_CACHE_SECONDS = 300
# A rate-limited inline query's empty answer: cached briefly, for this user only, so it lifts soon.
LIMITED_INLINE_CACHE_SECONDS = 5


async def enforce_allow_list(update: Update, context: Context) -> None:
    """Stop updates from users and chats outside NEWSBOT_ALLOWED_IDS (when it is set), saying so politely."""
    if not context.bot_data.access.allows(update):
        await answer_outsider(update, context)
        raise ApplicationHandlerStop


async def answer_outsider(update: Update, context: Context) -> None:
    """An empty inline answer, a silent button answer, or one polite line per chat per hour."""
    data = context.bot_data
    ids = sorted(data.access.ids_of(update))
    message, chat = update.effective_message, update.effective_chat
    try:
        if update.inline_query is not None:
            # Answered at once, so the outsider's client does not wait for a timeout; personal, so
            # Telegram never serves this empty answer to an allowed user typing the same words.
            await update.inline_query.answer([], cache_time=OUTSIDER_INLINE_CACHE_SECONDS, is_personal=True)
        elif update.callback_query is not None:
            await update.callback_query.answer()
        elif message is not None and chat is not None and data.outsider_notices.first(chat.id, data.clock()):
            logger.info("told ids %s that the bot is not for them (allow-list)", ids)
            await message.reply_text(rtl(texts.NOT_ALLOWED))
            return
    except TelegramError as error:
        logger.info("could not answer ids %s outside the allow-list: %s", ids, error)
        return
    logger.debug("ignored an update from ids %s (not in the allow-list)", ids)


def press_key(query: CallbackQuery) -> tuple[object, ...]:
    """The button a press is on: its chat, message and data (the presser does not matter: in a group,
    two members pressing «السياق» at once want the context once)."""
    message = query.message
    if message is not None:
        return (message.chat.id, message.message_id, query.data)
    if query.inline_message_id is not None:
        return (query.inline_message_id, query.data)
    return (query.id,)


async def drop_repeated_press(update: Update, context: Context) -> None:
    """Answer a press of a button pressed moments ago silently, and stop it: the first press acts."""
    query = update.callback_query
    if query is None:
        return
    data = context.bot_data
    if data.presses.first(press_key(query), data.clock()):
        return
    logger.info("ignored a repeated press of %r", query.data)
    try:
        await query.answer()
    except TelegramError as error:
        logger.info("could not answer a repeated press: %s", error)
    raise ApplicationHandlerStop


def admission(user: User | None, context: Context) -> Admission:
    """Spend one of ``user``'s question tokens if there is one (no user, e.g. a channel post: no limit)."""
    if user is None:
        return Admission.ANSWER
    data = context.bot_data
    admitted = data.question_limits.admit(user.id, data.clock())
    if admitted is Admission.REFUSE_AND_SAY:
        logger.info("user %s reached %d questions a minute", user.id, data.question_limits.per_minute)
    return admitted


async def within_question_limit(message: Message, context: Context) -> bool:
    """True when the sender may ask now; the first refusal of a dry spell is said, the rest are silent."""
    admitted = admission(message.from_user, context)
    if admitted is Admission.REFUSE_AND_SAY:
        await message.reply_text(rtl(texts.RATE_LIMITED))
    return admitted is Admission.ANSWER


async def within_press_limit(query: CallbackQuery, context: Context) -> bool:
    """True when the presser may have another page of quotes; otherwise the press gets a short notice."""
    if admission(query.from_user, context) is Admission.ANSWER:
        return True
    # The press must be answered anyway (the spinner); a notice costs the chat no message.
    await acknowledge(query, texts.RATE_LIMITED_PRESS)
    return False


async def within_inline_limit(query: InlineQuery, context: Context) -> bool:
    """True when the user may search inline now; otherwise the query is answered with nothing, at once."""
    if admission(query.from_user, context) is Admission.ANSWER:
        return True
    try:
        await query.answer([], cache_time=LIMITED_INLINE_CACHE_SECONDS, is_personal=True)
    except TelegramError as error:
        logger.info("could not answer a rate-limited inline query: %s", error)
    return False
