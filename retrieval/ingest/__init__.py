"""Ingestion: keep the news current by storing articles from URLs, files and RSS/Atom feeds.

Framework-free like the rest of :mod:`retrieval`: callers pass the database path and an
``httpx.Client``; nothing here reads settings or the environment.
"""

from retrieval.ingest.errors import (
    DecodeError,
    ExtractionError,
    FeedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    IngestError,
    NoArticleError,
    NotArabicError,
    StoreError,
    TooLargeError,
    TooManyRedirectsError,
    UnreachableError,
    UnsupportedContentError,
    UnsupportedFileError,
)
from retrieval.ingest.extract import ExtractedArticle, extract_article
from retrieval.ingest.feeds import FeedEntry, ParsedFeed, parse_feed
from retrieval.ingest.fetch import FetchedDocument, FetchLimits, decode_html, fetch, make_client
from retrieval.ingest.pipeline import Ingestor, Outcome, Status, all_failed
from retrieval.ingest.store import (
    ArticleStore,
    FeedRecord,
    NewArticle,
    SaveResult,
    StoredArticle,
    content_hash,
)
from retrieval.ingest.urls import normalise_url

__all__ = [
    "ArticleStore",
    "DecodeError",
    "ExtractedArticle",
    "ExtractionError",
    "FeedEntry",
    "FeedError",
    "FeedRecord",
    "FetchError",
    "FetchLimits",
    "FetchTimeoutError",
    "FetchedDocument",
    "HTTPStatusError",
    "IngestError",
    "Ingestor",
    "NewArticle",
    "NoArticleError",
    "NotArabicError",
    "Outcome",
    "ParsedFeed",
    "SaveResult",
    "Status",
    "StoreError",
    "StoredArticle",
    "TooLargeError",
    "TooManyRedirectsError",
    "UnreachableError",
    "UnsupportedContentError",
    "UnsupportedFileError",
    "all_failed",
    "content_hash",
    "decode_html",
    "extract_article",
    "fetch",
    "make_client",
    "normalise_url",
    "parse_feed",
]
