"""Questions: private text and captions, /ask, replies to the bot in groups; answers sent as quotes.

A question is read in the conversation: a greeting or thanks gets small talk, a follow-up
(«وماذا عن…», «لماذا زارها؟», a short reply to an answer) is completed with the previous
question's topic, and an edited question is answered again by editing the earlier answer.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time

from telegram import InlineKeyboardMarkup, Message, Update

from bot import keyboards, render, texts
from bot.conversation import SentAnswer
from bot.followups import expand_followup, leans_on_previous, read_message
from bot.handlers import guard
from bot.layout import rtl
from bot.question_rule import reads_as_question
from bot.sending import rewrite, send_chunks, typing
from bot.small_talk import SmallTalk, small_talk
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


def answer_markup(
    data: BotData, answer: Answer, *, offset: int, version: int = 0
) -> InlineKeyboardMarkup | None:
    """Context buttons for the quotes shown, "back" after the first page, "more" if there are further quotes,
    and "follow" when new articles can arrive (a fixed corpus has nothing to follow). A question
    nothing answers yet can be followed too: the news that answers it may arrive tomorrow.

    ``version``: how often this answer's messages were rewritten (``SentAnswer.version``).
    """
    if not answer.answered:
        if data.alerts is None or offset > 0:
            return None
        return keyboards.answer_keyboard(
            [],
            first_number=1,
            more=None,
            follow=keyboards.follow_data(data.questions.remember(answer.question)),
        )
    key = data.questions.remember(answer.question)
    following = offset + len(answer.quotes)
    more = keyboards.more_data(key, following, version) if answer.more_available else None
    back = keyboards.more_data(key, max(0, offset - data.top_k), version) if offset > 0 else None
    follow = keyboards.follow_data(key) if data.alerts is not None else None
    quotes = [(data.position(quote.article.id), quote) for quote in answer.quotes]
    return keyboards.answer_keyboard(quotes, first_number=offset + 1, more=more, back=back, follow=follow)


def message_text(message: Message) -> str:
    """What the user wrote: the text, or the caption of a photo or document."""
    return message.text or message.caption or ""


def replied_answer(data: BotData, message: Message) -> SentAnswer | None:
    """The bot's answer that ``message`` replies to, if the bot still remembers it."""
    replied = message.reply_to_message
    if replied is None:
        return None
    return data.answers.for_message(message.chat_id, replied.message_id)


def understand(data: BotData, message: Message, question: str) -> tuple[str, str | None]:
    """(what to ask the engine, the reading to show or None): a follow-up gets the previous topic."""
    replied = replied_answer(data, message)
    # A reply to small talk or a hint is not a reply to an answer; the chat's last question still counts.
    replied_question = replied.question if replied is not None and replied.question else None
    previous = replied_question or data.last_questions.recall(message.chat_id, before=message.message_id)
    if previous is None:
        return question, None
    reading = read_message(question, data.analyzer)
    if not leans_on_previous(reading, replies_to_answer=replied_question is not None):
        return question, None
    completed = expand_followup(previous, reading, data.analyzer)
    return completed, completed


async def answer_question(message: Message, context: Context, text: str) -> None:
    """Answer ``text`` as a question, replying to ``message`` (or editing the answer to its earlier version)."""
    data = context.bot_data
    question = clean_question(text)
    talk = small_talk(question)
    if talk is not None:
        reply = texts.GREETING_REPLY if talk is SmallTalk.GREETING else texts.THANKS_REPLY
        await deliver(message, context, render.render_small_talk(reply, data.engine.articles), None)
        return
    if not has_arabic(question):
        await deliver(message, context, [rtl(texts.NOT_ARABIC)], None)
        return
    # Only a question that reaches the engine spends a token: the replies above cost nothing.
    if not await guard.within_question_limit(message, context):
        return
    asked, understood = understand(data, message, question)
    started = time.perf_counter()
    async with typing(message):
        answer = await ask_engine(data, asked)
        if understood is not None and not answer.answered:
            # The completed reading found nothing: the words as written may still be a question.
            as_written = await ask_engine(data, question)
            if as_written.answered:
                asked, understood, answer = question, None, as_written
    logger.info(
        "question answered=%s quotes=%d followup=%s in %.1f ms (%s)",
        answer.answered,
        len(answer.quotes),
        understood is not None,
        (time.perf_counter() - started) * 1000,
        answer.abstain_reason or "ok",
    )
    data.last_questions.remember(message.chat_id, message.message_id, asked)
    chunks = render.render_answer(answer, understood=understood, followable=data.alerts is not None)
    earlier = data.answers.for_question(message.chat_id, message.message_id)
    sent = SentAnswer(message.chat_id, message.message_id, asked, understood)
    sent.version = earlier.version + 1 if earlier is not None else 0
    markup = answer_markup(data, answer, offset=0, version=sent.version)
    await deliver(message, context, chunks, markup, sent)


async def deliver(
    message: Message,
    context: Context,
    chunks: list[str],
    markup: InlineKeyboardMarkup | None,
    sent: SentAnswer | None = None,
) -> None:
    """Reply to ``message`` with ``chunks``; if it was answered before (it was edited), edit that answer."""
    data = context.bot_data
    sent = sent or SentAnswer(message.chat_id, message.message_id, "")
    earlier = data.answers.for_question(message.chat_id, message.message_id)
    if earlier is None:
        ids = await send_chunks(message, chunks, markup, reply_to=message.message_id)
    else:
        ids = await rewrite(
            message.get_bot(),
            message.chat_id,
            earlier.message_ids,
            chunks,
            markup,
            reply_to=message.message_id,
        )
    sent.message_ids = ids
    data.answers.record(sent)


async def ask(update: Update, context: Context) -> None:
    """/ask QUESTION (also /ask@botname in groups)."""
    message = update.effective_message
    if message is None:
        return
    question = question_from_command(message)
    if not question.strip():
        await message.reply_text(rtl(texts.ASK_USAGE.format(example=html.escape(texts.EXAMPLE_QUESTION))))
        return
    await answer_question(message, context, question)


async def private_text(update: Update, context: Context) -> None:
    """In a private chat any text, or the caption of a photo or document, is a question (edits too)."""
    message = update.effective_message
    if message is not None and message_text(message).strip():
        await answer_question(message, context, message_text(message))


def replies_to_bot(message: Message, bot_id: int) -> bool:
    """Whether ``message`` replies to one of the bot's own messages."""
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


async def group_reply(update: Update, context: Context) -> None:
    """In a group, a reply to one of the bot's messages that reads as a question; other chatter is ignored."""
    message = update.effective_message
    if message is None or not replies_to_bot(message, context.bot.id):
        return
    text = message_text(message)
    # «شكرا 👍» or a sticker in reply is talk among people: answering it would post "not found" to all.
    if text and reads_as_question(text):
        await answer_question(message, context, text)


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes…: a short hint that only written questions work."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(rtl(texts.NOT_TEXT))
