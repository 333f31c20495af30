"""Turn an HTML page into an article: main text, title, date and source outlet (trafilatura), checked for Arabic."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from retrieval.errors import NoArticleError, NotArabicError
from retrieval.normalize import arabic_ratio
from retrieval.records import NewArticle

__all__ = ["extract_article", "require_arabic"]

logger = logging.getLogger(__name__)

MIN_ARABIC_RATIO = 0.5
"""Share of letters that must be Arabic: news pages quote Latin names, but an English page fails."""
MIN_ARTICLE_CHARS = 200


def require_arabic(text: str, *, min_ratio: float = MIN_ARABIC_RATIO) -> None:
    """Raise :class:`NotArabicError` unless at least ``min_ratio`` of the letters are Arabic."""
    ratio = arabic_ratio(text)
    if ratio < min_ratio:
        raise NotArabicError(f"not an Arabic article ({ratio:.0%} Arabic letters)")


def extract_article(
    html: str,
    *,
    url: str | None = None,
    min_chars: int = MIN_ARTICLE_CHARS,
    min_arabic_ratio: float = MIN_ARABIC_RATIO,
) -> NewArticle:
    """The main article of ``html``: text, title, outlet (the site's name, else its host) and date when stated.

    Raises an :class:`~retrieval.errors.ExtractionError` subclass if there is none.
    """
    # Imported here: trafilatura is slow to import and only ingestion needs it.
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(text) < min_chars:
        raise NoArticleError("no article text found on the page")
    require_arabic(text, min_ratio=min_arabic_ratio)
    title = (getattr(document, "title", None) or "").strip()
    if not title:
        title = text.split("\n", 1)[0][:120]
    return NewArticle(
        title=title,
        text=text,
        source=(getattr(document, "sitename", None) or "").strip() or _host(url),
        url=url,
        published=_iso_date(getattr(document, "date", None)),
    )


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _iso_date(value: object) -> str | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    return value[:10]
