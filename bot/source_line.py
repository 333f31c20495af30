"""How an article is cited: outlet · date · title, in that order everywhere (bot, inline mode, terminal).

Plain text here; ``bot.render.source_line`` gives the same fields as Telegram HTML.
"""

from __future__ import annotations

import re

from retrieval import Article

SEPARATOR = " · "
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def publication_date(published: str | None) -> str | None:
    """The day of an ISO timestamp ("2024-11-27T10:00:00Z" → "2024-11-27"); other values as given."""
    if not published:
        return None
    match = _ISO_DATE.match(published)
    return match.group(0) if match else published


def source_fields(article: Article) -> tuple[str | None, str | None, str | None]:
    """(outlet, date, title), each None when unknown."""
    return article.source or None, publication_date(article.published), article.title or None


def source_line(article: Article, *, with_url: bool = False) -> str:
    """Outlet · date · title (· URL), skipping unknown fields."""
    fields = [*source_fields(article), article.url if with_url else None]
    return SEPARATOR.join(field for field in fields if field)
