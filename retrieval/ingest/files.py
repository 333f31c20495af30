"""Read the articles of local files for ``newsbot add``: the corpus file reader, plus HTML pages.

``.txt``, ``.md`` and ``.jsonl`` files are read by :func:`retrieval.corpus.read_article_file`, the
same reader as the corpus loader, with the same metadata precedence (a sidecar overrides front
matter). HTML files carry their own charset declaration and are decoded and extracted like
downloaded pages. Every article must be Arabic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from retrieval.corpus import ARTICLE_FILE_SUFFIXES, FileItem, read_article_file, read_file_bytes
from retrieval.errors import ItemError, UnsupportedFileError
from retrieval.ingest.extract import extract_article, require_arabic
from retrieval.ingest.fetch import decode_html

__all__ = ["HTML_SUFFIXES", "SUPPORTED_SUFFIXES", "read_articles"]

HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = ARTICLE_FILE_SUFFIXES | HTML_SUFFIXES


def read_articles(path: Path, *, min_arabic_ratio: float) -> Iterator[FileItem]:
    """The Arabic articles in ``path``: one for a document, one per line for ``.jsonl``.

    Like :func:`~retrieval.corpus.read_article_file`, never raises for bad content: an unusable
    file, line or non-Arabic article is an item with an error.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield FileItem(str(path), error=UnsupportedFileError(suffix, SUPPORTED_SUFFIXES))
        return
    if suffix in HTML_SUFFIXES:
        yield _read_html(path, min_arabic_ratio)  # extraction checks the language itself
        return
    for item in read_article_file(path):
        yield _arabic_only(item, min_arabic_ratio)


def _arabic_only(item: FileItem, min_arabic_ratio: float) -> FileItem:
    if item.article is None:
        return item
    try:
        require_arabic(item.article.text, min_ratio=min_arabic_ratio)
    except ItemError as error:
        return replace(item, article=None, error=error)
    return item


def _read_html(path: Path, min_arabic_ratio: float) -> FileItem:
    try:
        html = decode_html(read_file_bytes(path)).text
        extracted = extract_article(html, min_arabic_ratio=min_arabic_ratio)
    except ItemError as error:
        return FileItem(str(path), error=error)
    return FileItem(str(path), extracted.with_id(path.stem))
