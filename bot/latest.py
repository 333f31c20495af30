"""What's new: recognising «آخر الأخبار»-style requests, choosing the articles, rendering a page.

Pure functions; ``bot.handlers.news`` sends what they return. A request may name a time
(«أخبار اليوم»، «ماذا حدث أمس؟»): the listing is then the articles published then. A request that
also names a topic («آخر أخبار بوتين») is not a listing but a question, answered as usual.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import render, texts
from bot.dates import range_phrase
from bot.layout import Block, isolate, pack, rtl, shorten
from bot.numbers import arabic_number
from retrieval import Article, DateRange, normalize_arabic, parse_time_expression, published_day

PAGE_SIZE = 5
CALLBACK_PREFIX = "news"
MAX_LEAD_CHARS = 400

# On normalized text (one alef, ه for ة, ي for ى) without punctuation. Each opening names a
# request for news; what may follow is only time words and courtesy.
_OPENING = re.compile(
    r"^(?:"
    r"(?:ما (?:هي )?)?(?:اخر|احدث|اهم|جديد) (?:ال)?اخبار"
    r"|(?:ال)?اخبار"
    r"|(?:ما|شو|ايش|وش) (?:هو )?(?:ال)?جديد"
    r"|(?:ماذا|ما الذي|ما اللذي) (?:حدث|جري|يحدث|يجري)"
    r")(?: (?P<rest>.*))?$"
)
_COURTESY = re.compile(r"(?:^| )(?:من فضلك|لو سمحت|رجاء|الان)(?= |$)")
_PUNCTUATION = re.compile(r"[؟?!.,،؛:«»\"']")
# Recognising a request does not depend on the day: any fixed day parses the same words.
_ANY_DAY = date(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class NewsRequest:
    """A request for the newest articles, restricted to ``published`` when it names a time."""

    published: DateRange | None = None


def news_request(text: str, *, today: date) -> NewsRequest | None:
    """The listing ``text`` asks for, or None when it is not a request for news (a question)."""
    normalized = " ".join(_PUNCTUATION.sub(" ", normalize_arabic(text)).split())
    match = _OPENING.match(normalized)
    if match is None:
        return None
    rest = _COURTESY.sub(" ", match["rest"] or "").strip()
    if not rest:
        return NewsRequest()
    found = parse_time_expression(rest, today=today)
    if found is None or _COURTESY.sub(" ", found.remainder).strip():
        return None
    return NewsRequest(found.published)


def is_news_request(text: str) -> bool:
    """True when ``text`` asks for the news (with or without a time), not a question about a topic."""
    return news_request(text, today=_ANY_DAY) is not None


def newest(articles: Sequence[Article], published: DateRange | None = None) -> list[Article]:
    """Newest first (``render.sources_order``), only those published in ``published`` when given."""
    ordered = render.sources_order(articles)
    if published is None:
        return ordered
    return [article for article in ordered if published_day(article.published) in published]


def page_data(offset: int, published: DateRange | None) -> str:
    """Callback data of a page button: ``news:<offset>[:<first day>:<last day>]`` (day ordinals)."""
    if published is None:
        return f"{CALLBACK_PREFIX}:{offset}"
    return f"{CALLBACK_PREFIX}:{offset}:{published.first.toordinal()}:{published.last.toordinal()}"


def parse_page_data(data: str) -> tuple[int, DateRange | None] | None:
    """The offset and range a page button carries, or None for data this module did not make."""
    kind, *fields = data.split(":")
    try:
        numbers = [int(field) for field in fields]
        if kind != CALLBACK_PREFIX or len(numbers) not in (1, 3) or numbers[0] < 0:
            return None
        if len(numbers) == 1:
            return numbers[0], None
        return numbers[0], DateRange(date.fromordinal(numbers[1]), date.fromordinal(numbers[2]))
    except (ValueError, OverflowError):
        return None


def item_block(article: Article, lead: str, *, number: int) -> Block:
    """One article: outlet · date · headline (linked), the citation order used everywhere, then its lead.

    The lead is the article's first sentence, verbatim (cut with «…» only when very long).
    """
    lines = [rtl(f"<b>{arabic_number(number)}.</b> 📰 {render.source_line(article)}")]
    lead = shorten(lead.strip(), MAX_LEAD_CHARS)
    if lead:
        lines.append(f"<blockquote>{html.escape(lead)}</blockquote>")
    return Block(tuple(lines))


def render_page(
    items: Sequence[tuple[Article, str]], *, offset: int, total: int, published: DateRange | None
) -> str:
    """A page of the listing: (article, lead sentence) pairs numbered from ``offset`` + 1."""
    if not items:
        if published is None:
            return rtl(texts.LATEST_NONE)
        return rtl(texts.LATEST_NONE_IN_RANGE.format(period=isolate(range_phrase(published))))
    numbers = {
        "first": arabic_number(offset + 1),
        "last": arabic_number(offset + len(items)),
        "total": arabic_number(total),
    }
    header = (
        texts.LATEST_HEADER.format(**numbers)
        if published is None
        else texts.LATEST_IN_RANGE_HEADER.format(period=isolate(range_phrase(published)), **numbers)
    )
    blocks = [Block((rtl(header),))]
    blocks.extend(
        item_block(article, lead, number=number)
        for number, (article, lead) in enumerate(items, start=offset + 1)
    )
    # A page is one message (it is edited in place); five items fit with room to spare.
    return pack(blocks)[0]


def page_keyboard(*, offset: int, total: int, published: DateRange | None) -> InlineKeyboardMarkup | None:
    """«الأحدث» back to the previous page and «الأقدم» on to the next, where they exist."""
    buttons = []
    if offset + PAGE_SIZE < total:
        buttons.append(
            InlineKeyboardButton(texts.BUTTON_OLDER, callback_data=page_data(offset + PAGE_SIZE, published))
        )
    if offset > 0:
        newer = max(0, offset - PAGE_SIZE)
        buttons.append(InlineKeyboardButton(texts.BUTTON_NEWER, callback_data=page_data(newer, published)))
    return InlineKeyboardMarkup([buttons]) if buttons else None
