"""Alerts: /follow QUESTION, /following (the list, a button to stop each), /unfollow N.

Follows are per chat and live in the article database (``bot.follows``); ``bot.alerts`` delivers
them after each feed refresh or /add. With a fixed corpus nothing new arrives, so there is nothing
to follow.
"""

from __future__ import annotations

import html

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot import texts
from bot.alerts import Alerts
from bot.follows import MAX_FOLLOWS_PER_CHAT, Added, Follow
from bot.handlers.questions import clean_question, question_from_command
from bot.layout import isolate, rtl
from bot.numbers import arabic_number
from bot.sending import acknowledge
from bot.state import Context
from retrieval import has_arabic

UNFOLLOW_PREFIX = "unfollow"
UNFOLLOW_BUTTONS = rf"^{UNFOLLOW_PREFIX}:"
_BUTTONS_PER_ROW = 3


async def _alerts(message: Message, context: Context) -> Alerts | None:
    """The alerts service, or None after telling the user that a fixed corpus has nothing new."""
    alerts = context.bot_data.alerts
    if alerts is None:
        await message.reply_text(rtl(texts.FOLLOW_FIXED))
    return alerts


async def follow_command(update: Update, context: Context) -> None:
    """/follow QUESTION: send the best new quote answering it after each refresh or /add."""
    message = update.effective_message
    if message is None or (alerts := await _alerts(message, context)) is None:
        return
    question = clean_question(question_from_command(message))
    if not has_arabic(question):
        await message.reply_text(rtl(texts.FOLLOW_USAGE.format(example=html.escape(texts.EXAMPLE_QUESTION))))
        return
    user_id = message.from_user.id if message.from_user is not None else None
    added = await alerts.follow(message.chat_id, question, user_id=user_id)
    if added is Added.ADDED:
        reply = texts.FOLLOW_ADDED.format(question=f"<b>{html.escape(question)}</b>")
    else:
        reply = refusal(added)
    await message.reply_text(rtl(reply))


def refusal(added: Added) -> str:
    """Why a follow was not added (already followed, or the chat's limit reached): plain text."""
    if added is Added.ALREADY:
        return texts.FOLLOW_ALREADY
    return texts.FOLLOW_FULL.format(limit=arabic_number(MAX_FOLLOWS_PER_CHAT))


async def follow_button(
    query: CallbackQuery, message: Message, context: Context, question: str | None
) -> None:
    """«تابِع» under an answer: follow its question in this chat, as /follow would; the outcome as a notice."""
    alerts = context.bot_data.alerts
    if alerts is None:
        # A button from before the bot was restarted on a fixed corpus.
        await acknowledge(query, texts.FOLLOW_FIXED)
        return
    if question is None:
        await acknowledge(query, texts.EXPIRED_BUTTON)
        return
    added = await alerts.follow(message.chat_id, question, user_id=query.from_user.id)
    await acknowledge(query, texts.FOLLOW_BUTTON_ADDED if added is Added.ADDED else refusal(added))


def following_list(follows: tuple[Follow, ...]) -> tuple[str, InlineKeyboardMarkup | None]:
    """The chat's follows numbered from ١, with a «إيقاف N» button for each."""
    if not follows:
        return rtl(texts.FOLLOWING_NONE), None
    lines = [texts.FOLLOWING_HEADER]
    lines.extend(
        f"{arabic_number(number)}. {isolate(follow.question)}" for number, follow in enumerate(follows, 1)
    )
    buttons = [
        InlineKeyboardButton(
            texts.BUTTON_UNFOLLOW.format(number=arabic_number(number)),
            callback_data=f"{UNFOLLOW_PREFIX}:{follow.id}",
        )
        for number, follow in enumerate(follows, 1)
    ]
    rows = [buttons[i : i + _BUTTONS_PER_ROW] for i in range(0, len(buttons), _BUTTONS_PER_ROW)]
    return rtl("\n".join(lines)), InlineKeyboardMarkup(rows)


async def following_command(update: Update, context: Context) -> None:
    """/following: the questions this chat follows."""
    message = update.effective_message
    if message is None or (alerts := await _alerts(message, context)) is None:
        return
    text, markup = following_list(await alerts.following(message.chat_id))
    await message.reply_text(text, reply_markup=markup)


async def unfollow_command(update: Update, context: Context) -> None:
    """/unfollow N: stop the Nth follow of /following; without N, the list to choose from."""
    message = update.effective_message
    if message is None or (alerts := await _alerts(message, context)) is None:
        return
    follows = await alerts.following(message.chat_id)
    argument = (context.args or [""])[0]
    if not argument:
        text, markup = following_list(follows)
        await message.reply_text(
            rtl(texts.UNFOLLOW_USAGE) + "\n" + text if follows else text, reply_markup=markup
        )
        return
    number = int(argument) if argument.isdecimal() else 0  # isdecimal: Arabic-Indic digits too
    if not 1 <= number <= len(follows):
        await message.reply_text(rtl(texts.UNFOLLOW_MISSING))
        return
    removed = await alerts.unfollow(message.chat_id, follows[number - 1].id)
    await message.reply_text(rtl(_unfollowed(removed)))


async def unfollow_button(update: Update, context: Context) -> None:
    """«إيقاف N» under /following: stop that follow and say so."""
    query = update.callback_query
    if query is None:
        return
    message = query.message if isinstance(query.message, Message) else None
    alerts = context.bot_data.alerts
    _, _, raw_id = (query.data or "").partition(":")
    if message is None or alerts is None or not raw_id.isdigit():
        await acknowledge(query, texts.EXPIRED_BUTTON)
        return
    removed = await alerts.unfollow(message.chat_id, int(raw_id))
    await acknowledge(query)
    await message.reply_text(rtl(_unfollowed(removed)))


def _unfollowed(removed: Follow | None) -> str:
    if removed is None:
        return texts.UNFOLLOW_MISSING
    return texts.UNFOLLOW_DONE.format(question=isolate(removed.question))
