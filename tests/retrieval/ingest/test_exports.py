from __future__ import annotations

import retrieval.ingest


def test_public_names_are_pinned() -> None:
    # Changing the public surface is a decision: update this list on purpose.
    assert set(retrieval.ingest.__all__) == {
        "ArticleStore", "DecodeError", "ExtractedArticle", "ExtractionError", "FeedEntry", "FeedError",
        "FeedRecord", "FetchError", "FetchLimits", "FetchTimeoutError", "FetchedDocument", "HTTPStatusError",
        "IngestError", "Ingestor", "NewArticle", "NoArticleError", "NotArabicError", "Outcome", "ParsedFeed",
        "SaveResult", "Status", "StoreError", "StoredArticle", "TooLargeError", "TooManyRedirectsError",
        "UnreachableError", "UnsupportedContentError", "UnsupportedFileError", "all_failed",
        "content_hash", "decode_html", "extract_article", "fetch", "make_client", "normalise_url", "parse_feed",
    }  # fmt: skip
    for name in retrieval.ingest.__all__:
        assert hasattr(retrieval.ingest, name)


def test_importing_the_package_does_not_import_trafilatura() -> None:
    # trafilatura takes ~1 s to import; `newsbot ask` imports retrieval.ingest to read the store.
    import subprocess
    import sys

    code = "import sys, retrieval.ingest; print('trafilatura' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
