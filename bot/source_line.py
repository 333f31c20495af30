"""How an article is cited: outlet · date · title, in that order everywhere (bot, inline mode, terminal).

Plain text here; ``bot.render.source_line`` gives the same fields as Telegram HTML. The date is
shown as an Arabic reader expects it (``bot.dates``).
"""

from __future__ import annotations

from bot.dates import display_date
from retrieval import Article

SEPARATOR = " · "


def source_fields(article: Article) -> tuple[str | None, str | None, str | None]:
    """(outlet, date, title), each None when unknown."""
    return article.source or None, display_date(article.published), article.title or None


def source_line(article: Article, *, with_url: bool = False) -> str:
    """Outlet · date · title (· URL), skipping unknown fields."""
    fields = [*source_fields(article), article.url if with_url else None]
    return SEPARATOR.join(field for field in fields if field)
