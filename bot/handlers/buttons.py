"""The buttons under an answer: «المزيد» (the next quotes) and «السياق» (the sentences around a quote)."""

from __future__ import annotations

import asyncio

from telegram import Message, Update
from telegram.error import BadRequest

from bot import keyboards, render, texts
from bot.handlers.questions import answer_markup, ask_engine, clean_question, question_from_command
from bot.sending import send_chunks, typing
from bot.state import Context


async def button(update: Update, context: Context) -> None:
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


async def show_more(message: Message, context: Context, request: keyboards.MoreRequest) -> None:
    """Replace the answer under the button with the next quotes (further chunks follow up)."""
    data = context.bot_data
    question = data.questions.recall(request.key)
    replied = message.reply_to_message
    if question is None and replied is not None and replied.text:
        # After a restart the store is empty; the answer still replies to the question.
        candidate = clean_question(question_from_command(replied))
        question = candidate if keyboards.question_key(candidate) == request.key else None
    if question is None:
        await message.reply_text(render.rtl(texts.EXPIRED_BUTTON))
        return
    async with typing(message):
        answer = await ask_engine(data, question, offset=request.offset)
    chunks = render.render_answer(answer, offset=request.offset)
    markup = answer_markup(data, answer, offset=request.offset)
    try:
        await message.edit_text(chunks[0], reply_markup=markup if len(chunks) == 1 else None)
    except BadRequest as error:
        if "not modified" not in str(error):
            raise
        return  # a double press: the message already shows these quotes
    reply_to = replied.message_id if replied is not None else None
    await send_chunks(message, chunks[1:], markup, reply_to=reply_to)


async def show_context(message: Message, context: Context, request: keyboards.ContextRequest) -> None:
    """Send the sentences around a quote, replying to the answer that holds it."""
    data = context.bot_data
    article = data.article_at(request.position)
    if article is None or keyboards.article_check(article.id) != request.check:
        await message.reply_text(render.rtl(texts.EXPIRED_BUTTON))
        return
    sentences = await asyncio.to_thread(data.engine.context, article.id, request.first, request.last)
    chunks = render.render_context(article, sentences, first=request.first, last=request.last)
    await send_chunks(message, chunks, None, reply_to=message.message_id)
