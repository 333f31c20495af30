"""Inline mode: ``@botname question`` in any chat offers the best quotes to send, a page at a time.

An empty query offers the newest headlines. Telegram asks for the next page with the
``next_offset`` of the previous answer; pages stop at ``InlineQueryLimit.RESULTS`` (50) results.
"""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import InlineQueryLimit

from bot import keyboards, render, texts
from bot.handlers import guard
from bot.handlers.questions import ask_engine, clean_question
from bot.source_line import SEPARATOR
from bot.state import Context
from retrieval import Article, Quote, has_arabic

INLINE_PAGE = 10
MAX_INLINE_RESULTS = int(InlineQueryLimit.RESULTS)
# Telegram sets no limit on a result's title or description, but clients show one or two lines:
# a longer title only makes the answer larger for the client to cut.
MAX_RESULT_TITLE = 100
MAX_RESULT_DESCRIPTION = 200
# Headlines change with every refresh; quotes for a question change only when articles are added.
HEADLINES_CACHE_SECONDS = 30
QUOTES_CACHE_SECONDS = 60


def inline_result(quote: Quote) -> InlineQueryResultArticle:
    """One quote offered in inline mode: the quote as title, the source as description."""
    citation = quote.citation
    title = " ".join(quote.text.split())
    source = render.plain_source_line(quote.article)
    return InlineQueryResultArticle(
        id=keyboards.question_key(f"{citation.article.id}:{citation.start}:{citation.end}"),
        title=title[:MAX_RESULT_TITLE],
        description=source[:MAX_RESULT_DESCRIPTION] or None,
        input_message_content=InputTextMessageContent(render.render_quote(quote)),
    )


def headline_result(article: Article) -> InlineQueryResultArticle:
    """One of the newest articles offered for an empty query: its headline, outlet and date."""
    outlet, date, title = render.shown_fields(article)
    return InlineQueryResultArticle(
        id=keyboards.question_key(f"headline:{article.id}"),
        title=" ".join((title or texts.UNKNOWN_SOURCE).split())[:MAX_RESULT_TITLE],
        description=SEPARATOR.join(value for value in (outlet, date) if value)[:MAX_RESULT_DESCRIPTION]
        or None,
        input_message_content=InputTextMessageContent(render.render_headline(article)),
    )


def page_offset(offset: str) -> int:
    """The first result of the page Telegram asks for (``next_offset`` we gave; "" or junk: the first)."""
    return int(offset) if offset.isdigit() else 0


def next_offset(offset: int, shown: int, *, more: bool) -> str | None:
    """The offset of the following page, or None (no more pages) at the end or at ``MAX_INLINE_RESULTS``.

    None, not "": with python-telegram-bot 22 an empty string reached the Bot API as "[]" (seen in
    the stand-in), which a client would send back as the next offset.
    """
    following = offset + shown
    return str(following) if more and shown and following < MAX_INLINE_RESULTS else None


async def inline_query(update: Update, context: Context) -> None:
    """@botname question in any chat: offer the best quotes to send (the newest headlines when empty)."""
    query = update.inline_query
    if query is None:
        return
    question = clean_question(query.query)
    offset = page_offset(query.offset)
    size = max(0, min(INLINE_PAGE, MAX_INLINE_RESULTS - offset))
    results: list[InlineQueryResultArticle] = []
    more = False
    if size and not question:
        newest = render.sources_order(context.bot_data.engine.articles)
        results = [headline_result(article) for article in newest[offset : offset + size]]
        more = len(newest) > offset + size
    elif size and has_arabic(question):
        # A search runs the engine, so it spends from the user's question bucket (headlines do not).
        if not await guard.within_inline_limit(query, context):
            return
        answer = await ask_engine(context.bot_data, question, offset=offset, top_k=size)
        results = [inline_result(quote) for quote in answer.quotes[:size]]
        more = answer.more_available
    nothing_found = not results and offset == 0 and bool(question)
    await query.answer(
        results,
        cache_time=QUOTES_CACHE_SECONDS if question else HEADLINES_CACHE_SECONDS,
        next_offset=next_offset(offset, len(results), more=more),
        button=InlineQueryResultsButton(texts.INLINE_NO_RESULTS, start_parameter="sources")
        if nothing_found
        else None,
    )
