"""Pure rendering: engine records in, Telegram HTML messages out.

Answers, quotes with their sources, context, listings and admin summaries, composed from
``bot.layout``'s blocks: every interpolated value is escaped, every line we compose stays
right-to-left, and every message fits ``MessageLimit.MAX_TEXT_LENGTH``, split only between blocks.
Quote text is kept verbatim, so a reader can find it in the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from bot import texts
from bot.dates import range_phrase
from bot.layout import MAX_MESSAGE, Block, escape, isolate, pack, quote_atoms, rtl, shorten
from bot.numbers import arabic_number, count
from bot.source_line import SEPARATOR, source_fields
from retrieval import (
    MAX_QUESTION_CHARS,
    Answer,
    Article,
    BadStatusError,
    Citation,
    DateRange,
    ItemError,
    Quote,
    Sentence,
)
from retrieval.ingest import Outcome, Status

# A headline is a line or two; a longer "title" is a page's first paragraph mistaken for one.
MAX_TITLE = 200
MAX_URL = 2048
# /sources lists this many articles before "and N more", so it stays a few messages long.
MAX_SOURCES_LISTED = 50
# Titles added and failures listed in an /add or /refresh summary; the counts cover the rest.
MAX_INGEST_LISTED = 20
# Small talk suggests this many headlines to ask about.
SUGGESTED_HEADLINES = 3


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    if len(url) > MAX_URL:
        return None  # a link that long is not one a reader would follow; the title stays
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 literal) from an article file
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _linked(shown: str, url: str | None) -> str:
    """``shown`` (HTML) as a link to ``url`` when it is a safe http(s) URL, else as it is."""
    safe = _safe_url(url)
    return f'<a href="{escape(safe)}">{shown}</a>' if safe else shown


def shown_fields(article: Article) -> tuple[str | None, str | None, str | None]:
    """``bot.source_line``'s (outlet, date, title) as Telegram shows them: the date in words with
    Arabic-Indic digits like every number the bot composes (titles and quotes stay as written)."""
    return source_fields(article)


def plain_source_line(article: Article) -> str:
    """Outlet · date · title as plain text (inline results' descriptions)."""
    return SEPARATOR.join(value for value in shown_fields(article) if value)


def source_line(article: Article) -> str:
    """Outlet · date · title (``bot.source_line``'s fields) as HTML, the title linked when the article has a URL."""
    outlet, date, title = shown_fields(article)
    # Every field is shortened: an outlet or date read from a file can be as long as an article.
    fields = [isolate(shorten(value, MAX_TITLE)) for value in (outlet, date) if value]
    if title:
        fields.append(_linked(isolate(shorten(title, MAX_TITLE)), article.url))
    return SEPARATOR.join(fields) if fields else texts.UNKNOWN_SOURCE


def quote_block(quote: Quote, *, number: int | None = None, limit: int = MAX_MESSAGE) -> Block:
    """A quote: blockquote(s) with the matched words in bold, its source, and other outlets citing it."""
    lines = quote_atoms(quote.text, quote.highlights, limit=limit)
    prefix = f"{arabic_number(number)}. " if number is not None else ""
    lines.append(rtl(f"{prefix}📰 {source_line(quote.article)}"))
    others = _other_citations(quote)
    if others:
        heading = (
            texts.ALSO_REPORTED_ONE
            if len(others) == 1
            else texts.ALSO_REPORTED.format(count=count(len(others) + 1, texts.OUTLETS))
        )
        lines.append(rtl(heading))
        lines.extend(rtl(f"• {source_line(citation.article)}") for citation in others)
    return Block(tuple(lines))


def _other_citations(quote: Quote) -> list[Citation]:
    """Citations from other articles, one per article, in the engine's order."""
    seen = {quote.article.id}
    others = []
    for citation in quote.also_in:
        if citation.article.id not in seen:
            seen.add(citation.article.id)
            others.append(citation)
    return others


def render_answer(
    answer: Answer,
    *,
    offset: int = 0,
    understood: str | None = None,
    followable: bool = False,
    limit: int = MAX_MESSAGE,
) -> list[str]:
    """The reply to a question: quotes best first, numbered from ``offset`` + 1, or the no-answer text.

    ``understood`` is the question as the bot read it (a follow-up completed with the previous
    topic); it opens the reply so a wrong guess is visible. ``followable``: new articles can
    arrive, so the no-answer text points to the «تابِع» button under it.
    """
    shown_as = (
        [rtl(texts.UNDERSTOOD_AS.format(question=isolate(shorten(understood, MAX_QUESTION_CHARS))))]
        if understood is not None
        else []
    )
    if not answer.answered:
        follow = [rtl(texts.NO_ANSWER_FOLLOW)] if followable and offset == 0 else []
        return ["\n".join([*shown_as, rtl(_no_answer(answer, offset=offset)), *follow])]
    period = [rtl(period_line(answer.published))] if answer.published is not None else []
    header = Block((*shown_as, rtl(texts.ANSWER_HEADER if offset == 0 else texts.MORE_HEADER), *period))
    blocks = [header]
    blocks.extend(
        quote_block(quote, number=offset + index, limit=limit)
        for index, quote in enumerate(answer.quotes, start=1)
    )
    return pack(blocks, limit=limit)


def period_line(published: DateRange) -> str:
    """«من أخبار يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤»: the period the search was restricted to (time words)."""
    template = texts.PERIOD_DAY if published.first == published.last else texts.PERIOD_RANGE
    return template.format(period=isolate(range_phrase(published)))


def _no_answer(answer: Answer, *, offset: int) -> str:
    if offset > 0:
        return texts.NO_MORE
    if answer.unknown_places:
        return texts.NO_ANSWER_PLACE.format(places=_names(answer.unknown_places))
    if answer.published is not None:
        # Nothing *then*: the reader should not conclude that the news never mentioned it.
        return texts.NO_ANSWER_IN_PERIOD.format(period=isolate(range_phrase(answer.published)))
    return texts.NO_ANSWER


def _names(names: Sequence[str]) -> str:
    """«أ» / «أ» و«ب» / «أ»، «ب» و«ج»: each name quoted and escaped, the last joined by «و»."""
    quoted = [f"«{escape(name)}»" for name in names]
    return quoted[0] if len(quoted) == 1 else "، ".join(quoted[:-1]) + " و" + quoted[-1]


def render_quote(quote: Quote, *, limit: int = MAX_MESSAGE) -> str:
    """One quote as a single message (inline results), cut to the first piece if it is huge."""
    return pack([quote_block(quote, limit=limit)], limit=limit)[0]


def render_small_talk(reply: str, articles: Sequence[Article], *, limit: int = MAX_MESSAGE) -> list[str]:
    """A reply to a greeting or thanks, with the newest headlines (verbatim) as things to ask about."""
    lines = [rtl(reply)]
    headlines = [article.title for article in sources_order(articles) if article.title.strip()]
    if headlines:
        lines.append(rtl(texts.ASK_ABOUT))
        lines.extend(
            rtl(f"• <code>{escape(shorten(' '.join(title.split()), MAX_TITLE))}</code>")
            for title in headlines[:SUGGESTED_HEADLINES]
        )
    return pack([Block(tuple(lines))], limit=limit)


def render_headline(article: Article) -> str:
    """One article as a single message (inline mode's newest headlines): its title and source."""
    outlet, date, title = shown_fields(article)
    shown = _linked(escape(shorten(title, MAX_TITLE)) if title else texts.UNKNOWN_SOURCE, article.url)
    meta = SEPARATOR.join(isolate(shorten(value, MAX_TITLE)) for value in (outlet, date) if value)
    return "\n".join([rtl(f"<b>{shown}</b>"), *([rtl(f"📰 {meta}")] if meta else [])])


def render_context(
    article: Article, sentences: Sequence[Sentence], *, first: int, last: int, limit: int = MAX_MESSAGE
) -> list[str]:
    """The sentences around a quote, verbatim from the article, the quoted ones in bold."""
    if not sentences:
        return [rtl(texts.EXPIRED_BUTTON)]
    start, end = sentences[0].start, sentences[-1].end
    text = article.text[start:end]
    quoted = [(s.start - start, s.end - start) for s in sentences if first <= s.index <= last]
    lines = [rtl(texts.CONTEXT_HEADER), *quote_atoms(text, quoted, limit=limit)]
    lines.append(rtl(f"📰 {source_line(article)}"))
    return pack([Block(tuple(lines))], limit=limit)


def sources_order(articles: Sequence[Article]) -> list[Article]:
    """Newest first: by ``published``, then the later-stored first; articles without a date last.

    ``articles`` is in stored order (seeds, then the store in insertion order), so among equal dates
    a higher position means fetched later.
    """
    ranked = sorted(
        enumerate(articles),
        key=lambda item: (bool(item[1].published), item[1].published or "", item[0]),
        reverse=True,
    )
    return [article for _, article in ranked]


def render_sources(articles: Sequence[Article], *, limit: int = MAX_MESSAGE) -> list[str]:
    """The articles the bot knows, newest first, each with outlet and date."""
    if not articles:
        return [rtl(texts.NO_SOURCES)]
    newest = sources_order(articles)
    lines = [rtl(texts.SOURCES_HEADER.format(count=arabic_number(len(articles))))]
    lines.extend(rtl(f"• {source_line(article)}") for article in newest[:MAX_SOURCES_LISTED])
    if len(newest) > MAX_SOURCES_LISTED:
        lines.append(
            rtl(texts.SOURCES_MORE.format(more=count(len(newest) - MAX_SOURCES_LISTED, texts.MORE_ARTICLES)))
        )
    return pack([Block(tuple(lines))], limit=limit)


def failure_reason(outcome: Outcome) -> str:
    """Why an item failed, in Arabic, from the class of its error (the library's own text is English)."""
    error = outcome.error
    if error is None:
        return texts.INGEST_REASONS[ItemError]
    reason = next(texts.INGEST_REASONS[kind] for kind in type(error).__mro__ if kind in texts.INGEST_REASONS)
    if isinstance(error, BadStatusError):
        reason = reason.format(status=arabic_number(error.status))
    return reason


def render_ingest(outcomes: Sequence[Outcome], *, limit: int = MAX_MESSAGE) -> list[str]:
    """An admin's /add or /refresh summary: counts, then the titles added and the reasons for failures."""
    added = [o for o in outcomes if o.status is Status.ADDED]
    failed = [o for o in outcomes if o.status is Status.FAILED]
    skipped = len(outcomes) - len(added) - len(failed)
    counts = texts.INGEST_SUMMARY.format(
        added=arabic_number(len(added)), skipped=arabic_number(skipped), failed=arabic_number(len(failed))
    )
    blocks = [Block((rtl(counts),))]
    if added:
        titles = [rtl(f"• {isolate(shorten(o.title or o.item, MAX_TITLE))}") for o in added]
        blocks.append(Block((rtl(texts.INGEST_ADDED_HEADER), *titles[:MAX_INGEST_LISTED])))
    if failed:
        reasons = [rtl(f"• {isolate(shorten(o.item, MAX_TITLE))}: {failure_reason(o)}") for o in failed]
        blocks.append(Block((rtl(texts.INGEST_FAILED_HEADER), *reasons[:MAX_INGEST_LISTED])))
    return pack(blocks, limit=limit)


def render_removal(outcomes: Sequence[Outcome], *, limit: int = MAX_MESSAGE) -> list[str]:
    """An admin's /remove summary: the titles removed, then the ids or URLs that named no stored article."""
    removed = [o for o in outcomes if o.status is Status.REMOVED]
    missing = [o for o in outcomes if o.status is not Status.REMOVED]
    blocks = []
    if removed:
        titles = [rtl(f"• {isolate(shorten(o.title or o.item, MAX_TITLE))}") for o in removed]
        blocks.append(Block((rtl(texts.REMOVED_HEADER), *titles[:MAX_INGEST_LISTED])))
    if missing:
        keys = [rtl(f"• {isolate(shorten(o.item, MAX_TITLE))}") for o in missing]
        blocks.append(Block((rtl(texts.REMOVE_NOT_FOUND_HEADER), *keys[:MAX_INGEST_LISTED])))
    return pack(blocks, limit=limit)
