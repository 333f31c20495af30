"""Inline mode: ``@botname question`` in any chat offers the best quotes to send."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import InlineQueryLimit

from bot import keyboards, render, texts
from bot.handlers.questions import ask_engine, clean_question
from bot.source_line import source_line
from bot.state import Context
from retrieval import Quote, has_arabic

INLINE_RESULTS = 5


def inline_result(quote: Quote) -> InlineQueryResultArticle:
    """One quote offered in inline mode: the quote as title, the source as description."""
    citation = quote.citation
    title = " ".join(quote.text.split())
    source = source_line(quote.article)
    return InlineQueryResultArticle(
        id=keyboards.question_key(f"{citation.article.id}:{citation.start}:{citation.end}"),
        title=title[:100],
        description=source[:200] or None,
        input_message_content=InputTextMessageContent(render.render_quote(quote)),
    )


async def inline_query(update: Update, context: Context) -> None:
    """@botname question in any chat: offer the best quotes to send."""
    query = update.inline_query
    if query is None:
        return
    question = clean_question(query.query)
    results: list[InlineQueryResultArticle] = []
    if has_arabic(question):
        answer = await ask_engine(context.bot_data, question, top_k=INLINE_RESULTS)
        results = [inline_result(quote) for quote in answer.quotes[: InlineQueryLimit.RESULTS]]
    await query.answer(
        results,
        cache_time=60,
        button=None
        if results or not question
        else InlineQueryResultsButton(texts.INLINE_NO_RESULTS, start_parameter="sources"),
    )
