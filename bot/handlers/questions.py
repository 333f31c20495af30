"""Questions: private text, /ask, replies to the bot in groups; the engine's answer sent as quotes."""

from __future__ import annotations

import asyncio
import html
import logging
import time

from telegram import InlineKeyboardMarkup, Message, Update

from bot import keyboards, render, texts
from bot.handlers import guard
from bot.question_rule import reads_as_question
from bot.sending import send_chunks, typing
from bot.state import BotData, Context
from retrieval import MAX_QUESTION_CHARS, Answer, has_arabic

logger = logging.getLogger(__name__)


def clean_question(text: str) -> str:
    """Collapse whitespace and cut input longer than the engine reads at a word boundary.

    A pasted article cannot make a query slow or a reply huge; the limit is the engine's own.
    """
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


async def ask_engine(data: BotData, question: str, *, offset: int = 0, top_k: int | None = None) -> Answer:
    """The engine's answer, computed off the event loop so polling and other chats keep moving."""
    return await asyncio.to_thread(data.answer, question, top_k=top_k, offset=offset)


def answer_markup(data: BotData, answer: Answer, *, offset: int) -> InlineKeyboardMarkup | None:
    """Context buttons for the quotes shown, and "more" if the engine has further quotes."""
    if not answer.answered:
        return None
    more = None
    if answer.more_available:
        more = keyboards.more_data(data.questions.remember(answer.question), offset + len(answer.quotes))
    quotes = [(data.position(quote.article.id), quote) for quote in answer.quotes]
    return keyboards.answer_keyboard(quotes, first_number=offset + 1, more=more)


async def answer_question(message: Message, context: Context, text: str) -> None:
    """Answer ``text`` as a question, replying to ``message``."""
    if not await guard.within_question_limit(message, context):
        return
    question = clean_question(text)
    if not has_arabic(question):
        await message.reply_text(render.rtl(texts.NOT_ARABIC))
        return
    data = context.bot_data
    started = time.perf_counter()
    async with typing(message):
        answer = await ask_engine(data, question)
    logger.info(
        "question answered=%s quotes=%d in %.1f ms (%s)",
        answer.answered,
        len(answer.quotes),
        (time.perf_counter() - started) * 1000,
        answer.abstain_reason or "ok",
    )
    chunks = render.render_answer(answer)
    await send_chunks(message, chunks, answer_markup(data, answer, offset=0), reply_to=message.message_id)


async def ask(update: Update, context: Context) -> None:
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


async def private_text(update: Update, context: Context) -> None:
    """In a private chat any text is a question."""
    message = update.effective_message
    if message is not None and message.text:
        await answer_question(message, context, message.text)


def replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


async def group_reply(update: Update, context: Context) -> None:
    """In a group, a reply to one of the bot's messages that reads as a question; other chatter is ignored."""
    message = update.effective_message
    if message is None or not replies_to_bot(message, context.bot.id):
        return
    # «شكرا 👍» or a sticker in reply is talk among people: answering it would post "not found" to all.
    if message.text and reads_as_question(message.text):
        await answer_question(message, context, message.text)


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes…: a short hint that only written questions work."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.rtl(texts.NOT_TEXT))
