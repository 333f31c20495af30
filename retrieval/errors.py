"""Every error the retrieval library raises on purpose, in one tree, so callers catch at the level they care about.

    RetrievalError                   the root: ``str(error)`` is one line fit for the user
    ├── CorpusError                  the corpus path cannot be used at all (missing, not a directory or .jsonl)
    │   └── EmptyCorpusError         no article in it has text to index
    ├── IndexFormatError             a saved index is partial, corrupt, of another version or another corpus
    ├── ModelFormatError             a ranking model file is unreadable or does not fit the features computed
    ├── StoreError                   the article database cannot be opened or is not ours: stops a whole batch
    └── ItemError                    one item (a file, a line of one, a URL, a page, a feed) gives no article;
        │                            the rest of the batch goes on (a ``LoadProblem``, a failed ``Outcome``)
        ├── ArticleFileError         a file or line not in the article file format: unreadable, invalid JSON,
        │                            not an object, a field that is not a string, an unreadable sidecar
        ├── UnsupportedFileError     a file type that is not read
        ├── DecodeError              bytes that are not text in the expected encoding
        ├── BadURLError              not an absolute http(s) URL
        ├── FetchError               the page or feed could not be downloaded
        │   ├── UnreachableError     DNS failure, refused connection, TLS failure
        │   ├── BlockedAddressError  the host is (or resolves to) a loopback, private, link-local,
        │   │                        multicast or reserved address, and private fetching is off
        │   ├── FetchTimeoutError    no answer, or not all of it, within the time limit
        │   ├── BadStatusError       the server answered 4xx/5xx (``status`` holds the code)
        │   ├── TooManyRedirectsError
        │   ├── UnsupportedContentError   wrong content type (not HTML, not a feed) or not http(s)
        │   └── TooLargeError        the body exceeds the size cap
        ├── ExtractionError          the text holds no usable article
        │   ├── NoArticleError       no article text (empty, boilerplate only, too short)
        │   └── NotArabicError       an article, but not in Arabic
        └── FeedError                bytes that are not an RSS/Atom feed

Arguments that break a function's contract (``top_k=0``, ``k1=-1``) raise ``ValueError``, as in the
standard library: they are bugs in the caller, not conditions to handle. Anything else that escapes
is a bug too.
"""

from __future__ import annotations

from collections.abc import Collection


class RetrievalError(Exception):
    """Base class of every error raised by ``retrieval``."""


class CorpusError(RetrievalError):
    """The corpus path is missing or unusable."""


class EmptyCorpusError(CorpusError):
    """The corpus holds no article with indexable text."""


class IndexFormatError(RetrievalError):
    """A persisted index is missing, partial, of another format version or inconsistent."""


class ModelFormatError(RetrievalError):
    """A ranking model file is unreadable or does not fit the features this code computes."""


class StoreError(RetrievalError):
    """The article database cannot be opened or is not ours. Not per item: stop the batch."""


class ItemError(RetrievalError):
    """An expected failure of one item; the batch goes on."""


class ArticleFileError(ItemError):
    """A file, or a line of one, that cannot be read as an article."""


class UnsupportedFileError(ItemError):
    """The file type is not one the reader reads."""

    def __init__(self, suffix: str, supported: Collection[str]) -> None:
        *others, last = sorted(supported)
        expected = f"{', '.join(others)} or {last}" if others else last
        super().__init__(f"unsupported file type {suffix or '(none)'} (expected {expected})")


class DecodeError(ItemError):
    """The bytes are not text in any encoding we accept."""


class BadURLError(ItemError):
    """The text is not an absolute http(s) URL."""


class FetchError(ItemError):
    """The resource could not be downloaded."""


class UnreachableError(FetchError):
    """The host could not be reached."""


class BlockedAddressError(FetchError):
    """The URL leads to an address that is not public (internal services are never fetched)."""


class FetchTimeoutError(FetchError):
    """The server did not answer in time."""


class BadStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} from {url}")
        self.status = status


class TooManyRedirectsError(FetchError):
    """The redirect chain is longer than allowed."""


class UnsupportedContentError(FetchError):
    """The server sent something other than the kind of document asked for."""


class TooLargeError(FetchError):
    """The body is larger than the size cap."""


class ExtractionError(ItemError):
    """No usable article in the document."""


class NoArticleError(ExtractionError):
    """The document has no article text."""


class NotArabicError(ExtractionError):
    """The article is not in Arabic."""


class FeedError(ItemError):
    """The document is not a usable RSS/Atom feed."""
