"""Turn an HTML page into an article: main text, title, date and outlet (trafilatura), checked for Arabic."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from retrieval.ingest.errors import NoArticleError, NotArabicError
from retrieval.normalize import arabic_ratio

__all__ = ["ExtractedArticle", "extract_article", "require_arabic"]

logger = logging.getLogger(__name__)

MIN_ARABIC_RATIO = 0.5
"""Share of letters that must be Arabic: news pages quote Latin names, but an English page fails."""
MIN_ARTICLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What extraction found in one page; fields other than text and title may be unknown."""

    title: str
    text: str
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    """ISO date (YYYY-MM-DD) when the page states one."""


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
) -> ExtractedArticle:
    """Extract the main article of ``html``; raise an :class:`ExtractionError` subclass if there is none."""
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
    return ExtractedArticle(
        title=title,
        text=text,
        url=url,
        outlet=(getattr(document, "sitename", None) or "").strip() or _host(url),
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
