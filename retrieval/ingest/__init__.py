"""Ingestion: keep the news current by storing articles from URLs, files and RSS/Atom feeds.

Framework-free like the rest of :mod:`retrieval`: callers pass the database path and an
``httpx.Client``; nothing here reads settings or the environment. Its errors are in the one tree of
:mod:`retrieval.errors` (``ItemError`` per item, ``StoreError`` for the database), exported by
:mod:`retrieval`.
"""

from retrieval.ingest.bounds import RefreshLimits
from retrieval.ingest.extract import extract_article
from retrieval.ingest.feeds import FeedEntry, ParsedFeed, parse_feed
from retrieval.ingest.fetch import FetchedDocument, FetchLimits, decode_html, fetch, make_client
from retrieval.ingest.pipeline import Ingestor, Outcome, Status, all_failed
from retrieval.ingest.sqlite import open_database
from retrieval.ingest.store import (
    ArticleStore,
    EntryFailure,
    FeedRecord,
    Removal,
    SaveResult,
    StoredArticle,
    content_hash,
)
from retrieval.ingest.urls import normalize_url
from retrieval.records import NewArticle

__all__ = [
    "ArticleStore",
    "EntryFailure",
    "FeedEntry",
    "FeedRecord",
    "FetchLimits",
    "FetchedDocument",
    "Ingestor",
    "NewArticle",
    "Outcome",
    "ParsedFeed",
    "RefreshLimits",
    "Removal",
    "SaveResult",
    "Status",
    "StoredArticle",
    "all_failed",
    "content_hash",
    "decode_html",
    "extract_article",
    "fetch",
    "make_client",
    "normalize_url",
    "open_database",
    "parse_feed",
]
