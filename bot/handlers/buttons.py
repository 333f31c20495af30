"""The buttons under an answer: «المزيد» / «السابق» (pages of quotes), «السياق» (the sentences around a
quote) and «تابِع» (alerts for the question, ``follows.follow_button``).

Paging rewrites every message of the answer in place (an answer may span several messages),
so the first page stays one «السابق» away and no stale quotes remain above the buttons.
"""

from __future__ import annotations

import asyncio

from telegram import Message, Update

from bot import keyboards, render, texts
from bot.conversation import SentAnswer
from bot.handlers import follows, guard
from bot.handlers.questions import answer_markup, ask_engine, clean_question, question_from_command
from bot.layout import rtl
from bot.sending import acknowledge, rewrite, send_chunks, typing
from bot.state import Context


async def button(update: Update, context: Context) -> None:
    """The "more" and "context" buttons under an answer."""
    query = update.callback_query
    if query is None:
        return
    request = keyboards.parse(query.data or "")
    message = query.message if isinstance(query.message, Message) else None
    if request is None or message is None:
        await acknowledge(query, texts.EXPIRED_BUTTON)
        return
    if isinstance(request, keyboards.MoreRequest):
        # A page of quotes runs the engine, so it spends from the presser's question bucket.
        if not await guard.within_press_limit(query, context):
            return
        await acknowledge(query)
        await show_more(message, context, request)
    elif isinstance(request, keyboards.FollowRequest):
        await follows.follow_button(query, message, context, recall_question(context, message, request.key))
    else:
        await acknowledge(query)
        await show_context(message, context, request)


def recall_question(context: Context, message: Message, key: str) -> str | None:
    """The question behind a button under ``message`` (an answer), or None when it is forgotten."""
    question = context.bot_data.questions.recall(key)
    replied = message.reply_to_message
    if question is None and replied is not None and replied.text:
        # After a restart the store is empty; the answer still replies to the question.
        candidate = clean_question(question_from_command(replied))
        question = candidate if keyboards.question_key(candidate) == key else None
    return question


async def show_more(message: Message, context: Context, request: keyboards.MoreRequest) -> None:
    """Show the page of quotes that starts at ``request.offset`` in the answer's own messages."""
    data = context.bot_data
    question = recall_question(context, message, request.key)
    replied = message.reply_to_message
    if question is None:
        await message.reply_text(rtl(texts.EXPIRED_BUTTON))
        return
    async with typing(message):
        answer = await ask_engine(data, question, offset=request.offset)
    shown = data.answers.for_message(message.chat_id, message.message_id)
    if shown is None or shown.question != question:
        # Not remembered (a restart): the message under the button is all of the answer we know.
        question_id = replied.message_id if replied is not None else message.message_id
        shown = SentAnswer(message.chat_id, question_id, question, message_ids=[message.message_id])
        shown.version = request.version
        data.answers.record(shown)
    understood = shown.understood if request.offset == 0 else None
    chunks = render.render_answer(answer, offset=request.offset, understood=understood)
    shown.version += 1
    markup = answer_markup(data, answer, offset=request.offset, version=shown.version)
    ids = await rewrite(
        message.get_bot(), message.chat_id, shown.message_ids, chunks, markup, reply_to=shown.question_id
    )
    shown.offset = request.offset
    data.answers.move(shown, ids)


async def show_context(message: Message, context: Context, request: keyboards.ContextRequest) -> None:
    """Send the sentences around a quote, replying to the answer that holds it."""
    data = context.bot_data
    article = data.article_at(request.position)
    if article is None or keyboards.article_check(article.id) != request.check:
        await message.reply_text(rtl(texts.EXPIRED_BUTTON))
        return
    sentences = await asyncio.to_thread(data.engine.context, article.id, request.first, request.last)
    chunks = render.render_context(article, sentences, first=request.first, last=request.last)
    await send_chunks(message, chunks, None, reply_to=message.message_id)
