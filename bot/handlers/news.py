"""What's new: /latest and «آخر الأخبار»، «أخبار اليوم»، «ما الجديد»، «ماذا حدث أمس؟», paged with buttons.

Such messages are routed here by ``NEWS_REQUESTS`` (in ``bot.app``, before the question handler);
one that also names a topic turns out to be a question and is answered as one.
"""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import filters

from bot import latest
from bot.handlers.questions import answer_question
from bot.latest import PAGE_SIZE, NewsRequest
from bot.sending import acknowledge
from bot.state import BotData, Context
from bot.transport import edit_changed_nothing
from retrieval import Article, DateRange


class _NewsRequestFilter(filters.MessageFilter):
    """Messages whose text asks for the news rather than asking a question."""

    def filter(self, message: Message) -> bool:
        return bool(message.text) and latest.is_news_request(message.text or "")


NEWS_REQUESTS = _NewsRequestFilter(name="NEWS_REQUESTS")
PAGE_BUTTONS = rf"^{latest.CALLBACK_PREFIX}:"  # callback data of «الأحدث» / «الأقدم»


def _lead(data: BotData, article: Article) -> str:
    """The article's first sentence, as indexed (so it is verbatim)."""
    sentences = data.engine.context(article.id, 0, 0, window=0)
    return sentences[0].text if sentences else ""


def _page(data: BotData, offset: int, published: DateRange | None) -> tuple[str, InlineKeyboardMarkup | None]:
    articles = latest.newest(data.engine.articles, published)
    shown = articles[offset : offset + PAGE_SIZE]
    items = [(article, _lead(data, article)) for article in shown]
    text = latest.render_page(items, offset=offset, total=len(articles), published=published)
    return text, latest.page_keyboard(offset=offset, total=len(articles), published=published)


async def send_latest(message: Message, context: Context, request: NewsRequest) -> None:
    """Reply with the first page of the newest articles (of the requested period)."""
    text, markup = await asyncio.to_thread(_page, context.bot_data, 0, request.published)
    await message.reply_text(text, reply_markup=markup)


async def latest_command(update: Update, context: Context) -> None:
    """/latest: the newest articles with headline, outlet, date and lead sentence."""
    if update.effective_message is not None:
        await send_latest(update.effective_message, context, NewsRequest())


async def latest_text(update: Update, context: Context) -> None:
    """«آخر الأخبار»، «أخبار اليوم»…: the newest articles, of that period when one is named."""
    message = update.effective_message
    if message is None or not message.text:
        return
    request = latest.news_request(message.text, today=context.bot_data.today())
    if request is None:  # the filter let it through, but it names a topic after all
        await answer_question(message, context, message.text)
        return
    await send_latest(message, context, request)


async def page_button(update: Update, context: Context) -> None:
    """«الأحدث» / «الأقدم» under a listing: show that page in the same message."""
    query = update.callback_query
    if query is None:
        return
    parsed = latest.parse_page_data(query.data or "")
    message = query.message if isinstance(query.message, Message) else None
    await acknowledge(query)
    if parsed is None or message is None:
        return
    offset, published = parsed
    text, markup = await asyncio.to_thread(_page, context.bot_data, offset, published)
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as error:
        if not edit_changed_nothing(error):
            raise
