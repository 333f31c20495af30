from __future__ import annotations

import retrieval.ingest


def test_public_names_are_pinned() -> None:
    # Changing the public surface is a decision: update this list on purpose.
    assert retrieval.ingest.__all__ == [
        "ArticleStore", "EntryFailure", "FeedEntry", "FeedRecord", "FetchLimits", "FetchedDocument", "Ingestor",
        "NewArticle", "Outcome", "ParsedFeed", "RefreshLimits", "Removal", "SaveResult", "Status", "StoredArticle", "all_failed", "content_hash",
        "decode_html", "extract_article", "fetch", "make_client", "normalize_url", "open_database", "parse_feed",
    ]  # fmt: skip


def test_every_public_name_says_what_it_is() -> None:
    # A dataclass without a docstring gets its signature as one: that does not say what it is.
    docs = {name: getattr(retrieval.ingest, name).__doc__ or "" for name in retrieval.ingest.__all__}
    undocumented = [name for name, doc in docs.items() if not doc.strip() or doc.startswith(f"{name}(")]
    assert undocumented == []


def test_importing_the_package_does_not_import_trafilatura() -> None:
    # trafilatura takes ~1 s to import; `newsbot ask` imports retrieval.ingest to read the store.
    import subprocess
    import sys

    code = "import sys, retrieval.ingest; print('trafilatura' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
