"""Why an item could not be ingested: a small error tree, so callers catch at the level they care about.

    IngestError                  every expected, per-item failure; ``str(error)`` is one line for the user
    ├── FetchError               the page or feed could not be downloaded
    │   ├── UnreachableError     DNS failure, refused connection, TLS failure
    │   ├── FetchTimeoutError    no answer, or not all of it, within the time limit
    │   ├── HTTPStatusError      the server answered 4xx/5xx (``status`` holds the code)
    │   ├── TooManyRedirectsError
    │   ├── UnsupportedContentError   wrong content type (not HTML, not a feed) or not http(s)
    │   └── TooLargeError        the body exceeds the size cap
    ├── DecodeError              bytes that are not text in the expected encoding
    ├── ExtractionError          the text holds no usable article
    │   ├── NoArticleError       nothing extractable (empty, boilerplate only, too short)
    │   └── NotArabicError       extractable, but not Arabic
    ├── FeedError                bytes that are not an RSS/Atom feed
    └── UnsupportedFileError     a file type ``newsbot add`` does not read

``StoreError`` (the database cannot be opened or is not ours) stands apart: it stops the whole batch.
Anything else is a bug and is not swallowed per item.
"""

from __future__ import annotations


class IngestError(Exception):
    """An expected failure of one item; the batch goes on."""


class FetchError(IngestError):
    """The resource could not be downloaded."""


class UnreachableError(FetchError):
    """The host could not be reached."""


class FetchTimeoutError(FetchError):
    """The server did not answer in time."""


class HTTPStatusError(FetchError):
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


class DecodeError(IngestError):
    """The bytes are not text in any encoding we accept."""


class ExtractionError(IngestError):
    """No usable article in the document."""


class NoArticleError(ExtractionError):
    """The document has no extractable article text."""


class NotArabicError(ExtractionError):
    """The article is not in Arabic."""


class FeedError(IngestError):
    """The document is not a usable RSS/Atom feed."""


class UnsupportedFileError(IngestError):
    """The file type is not one ``add`` reads."""


class StoreError(Exception):
    """The article database cannot be opened or is not ours. Not per item: stop the batch."""
