"""Articles persisted beside the index: one UTF-8 blob plus offsets, read and decoded lazily.

A restart from the index cache then needs no corpus at all: ``StoredArticles`` is a sequence of
``Article`` that decodes an article only when it is read (a quoted sentence, a source line), so
neither the restart nor the serving process holds every article text as a Python string. The
blob's pages are read from disk when first touched and can be dropped by the kernel again.

Layout in a directory: ``articles.utf16`` (every field of every article in UTF-16-LE,
concatenated: first every article's id, then every publication date, then each article's title,
text, source and url), ``article_bounds.npy`` (int64, ``6 * n + 1`` byte offsets: the value in
slot ``s`` is ``blob[bounds[s]:bounds[s + 1]]``) and ``article_absent.npy`` (bool, ``n x 3``:
source, url, published are None rather than empty). UTF-16 because every question decodes some
thirty whole articles (a candidate's sentence is a slice of its article's text): Arabic text
decodes from UTF-16 about five times faster than from UTF-8 (~4 µs instead of ~19 µs an
article), for a blob ~10% larger. The blob is ``articles.utf8`` (UTF-8) instead in caches written
before, and for the rare articles UTF-16 cannot carry back unchanged (a string holding a high
and a low surrogate as two code points, which would decode as one character). Ids and dates come first and together because the engine
reads every id at start (and every date for a date range): interleaved with the texts, that read
touched nearly every page of the blob (~350 MB of resident memory at a million sentences).
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import overload

import numpy as np
import numpy.typing as npt

from retrieval.errors import IndexFormatError
from retrieval.records import Article

_BLOB = "articles.utf16"
_UTF8_BLOB = "articles.utf8"
_ENCODINGS = {_BLOB: "utf-16-le", _UTF8_BLOB: "utf-8"}
# Two code points UTF-16 would read back as one character.
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_BOUNDS = "article_bounds.npy"
_ABSENT = "article_absent.npy"
_FIELDS = 6  # id, title, text, source, url, published
# Decoded articles kept for re-reading: a question reads up to ~50 candidates, often the same articles.
_DECODED_LIMIT = 512


def save_articles(directory: Path, articles: Sequence[Article]) -> None:
    """Write ``articles`` into ``directory`` (which exists) in the layout ``StoredArticles`` reads."""
    bounds = np.zeros(_FIELDS * len(articles) + 1, dtype=np.int64)
    absent = np.zeros((len(articles), 3), dtype=np.bool_)
    days = published_dates(articles)
    absent[:, 2] = [day is None for day in days]

    def slots() -> Iterator[str]:
        yield from article_ids(articles)
        yield from (day or "" for day in days)
        for number, article in enumerate(articles):
            absent[number, :2] = (article.source is None, article.url is None)
            yield from (article.title, article.text, article.source or "", article.url or "")

    kept = _BLOB if _write_blob(directory / _BLOB, slots(), bounds) else _UTF8_BLOB
    if kept == _UTF8_BLOB:
        _write_blob(directory / _UTF8_BLOB, slots(), bounds)
    for name in _ENCODINGS:  # a blob left by an earlier save there would be read instead
        if name != kept and (directory / name).exists():
            (directory / name).unlink()
    np.save(directory / _BOUNDS, bounds, allow_pickle=False)
    np.save(directory / _ABSENT, absent, allow_pickle=False)


def _write_blob(path: Path, values: Iterator[str], bounds: npt.NDArray[np.int64]) -> bool:
    """Write ``values`` to ``path`` in its blob's encoding, their end offsets into ``bounds[1:]``;
    False (nothing kept) when one would not read back unchanged from UTF-16."""
    encoding = _ENCODINGS[path.name]
    position = 0
    with open(path, "wb") as blob:
        for slot, value in enumerate(values, start=1):
            if encoding != "utf-8" and _SURROGATE_PAIR.search(value) is not None:
                break
            data = value.encode(encoding, "surrogatepass")
            blob.write(data)
            position += len(data)
            bounds[slot] = position
        else:
            return True
    path.unlink()
    return False


class StoredArticles(Sequence[Article]):
    """The articles saved by ``save_articles``, read from the blob one at a time."""

    def __init__(self, directory: Path) -> None:
        try:
            self._bounds: npt.NDArray[np.int64] = np.load(directory / _BOUNDS, allow_pickle=False)
            self._absent: npt.NDArray[np.bool_] = np.load(directory / _ABSENT, allow_pickle=False)
            # Kept open for the sequence's life (closed with it); ``pread`` has no shared offset,
            # so threads and forked workers read it at once safely.
            name = _BLOB if (directory / _BLOB).exists() else _UTF8_BLOB
            self._encoding = _ENCODINGS[name]
            self._blob = os.open(directory / name, os.O_RDONLY)
            weakref.finalize(self, os.close, self._blob)
            size = os.fstat(self._blob).st_size
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable stored articles in {directory}: {error}") from error
        count = len(self._absent)
        if self._bounds.shape != (_FIELDS * count + 1,) or int(self._bounds[-1]) != size:
            raise IndexFormatError(f"stored articles in {directory} do not match their offsets")
        self._count = count
        self._body = 2 * count  # the first slot of the titles, texts, sources and urls
        self._decoded: dict[int, Article] = {}
        self._ids: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, number: int) -> Article: ...

    @overload
    def __getitem__(self, number: slice) -> Sequence[Article]: ...

    def __getitem__(self, number: int | slice) -> Article | Sequence[Article]:
        if isinstance(number, slice):
            return tuple(self[i] for i in range(*number.indices(self._count)))
        if number < 0:
            number += self._count
        if not 0 <= number < self._count:
            raise IndexError("article number out of range")
        article = self._decoded.get(number)
        if article is None:
            if len(self._decoded) >= _DECODED_LIMIT:
                self._decoded.clear()  # cheap bound; the next questions refill it
            title, text, source, url = self._slots(self._body + 4 * number, 4)
            absent = self._absent[number]
            article = Article(
                id=self._slot(number) if self._ids is None else self._ids[number],
                title=title,
                text=text,
                source=None if absent[0] else source,
                url=None if absent[1] else url,
                published=None if absent[2] else self._slot(self._count + number),
            )
            self._decoded[number] = article
        return article

    def __iter__(self) -> Iterator[Article]:
        for number in range(self._count):
            yield self[number]

    def _slot(self, slot: int) -> str:
        return self._slots(slot, 1)[0]

    def _slots(self, first: int, count: int) -> list[str]:
        """Slots ``first .. first + count - 1``, read at once (they are consecutive in the blob)."""
        bounds = self._bounds[first : first + count + 1].tolist()
        low = bounds[0]
        data = os.pread(self._blob, bounds[-1] - low, low) if bounds[-1] > low else b""
        encoding = self._encoding
        return [
            data[start - low : end - low].decode(encoding, "surrogatepass") for start, end in pairwise(bounds)
        ]

    @property
    def ids(self) -> tuple[str, ...]:
        """Every article's id, without decoding the texts."""
        if self._ids is None:
            self._ids = tuple(self._slots(0, self._count))
        return self._ids

    def published(self) -> list[str | None]:
        """Every article's publication date (None when undated), without decoding the texts."""
        absent = self._absent[:, 2].tolist()
        days = self._slots(self._count, self._count)
        return [None if absent[n] else days[n] for n in range(self._count)]


class ArticleList(Sequence[Article]):
    """Consecutive runs of articles as one sequence (stored ones, then batches added since)."""

    def __init__(self, parts: Sequence[Sequence[Article]]) -> None:
        self._parts = tuple(part for part in parts if len(part))
        self._starts = np.cumsum([0] + [len(part) for part in self._parts])

    @classmethod
    def joined(cls, first: Sequence[Article], second: Sequence[Article]) -> Sequence[Article]:
        """``first`` then ``second``: a tuple when neither is stored, else without copying."""
        if not isinstance(first, (StoredArticles, ArticleList)):
            return (*first, *second)
        head = first._parts if isinstance(first, ArticleList) else (first,)
        return cls((*head, tuple(second)))

    def __len__(self) -> int:
        return int(self._starts[-1])

    @overload
    def __getitem__(self, number: int) -> Article: ...

    @overload
    def __getitem__(self, number: slice) -> Sequence[Article]: ...

    def __getitem__(self, number: int | slice) -> Article | Sequence[Article]:
        if isinstance(number, slice):
            return tuple(self[i] for i in range(*number.indices(len(self))))
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError("article number out of range")
        part = int(np.searchsorted(self._starts, number, side="right")) - 1
        return self._parts[part][number - int(self._starts[part])]

    def __iter__(self) -> Iterator[Article]:
        for part in self._parts:
            yield from part

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i for part in self._parts for i in article_ids(part))

    def published(self) -> list[str | None]:
        return [day for part in self._parts for day in published_dates(part)]


def article_ids(articles: Sequence[Article]) -> tuple[str, ...]:
    """The ids of ``articles`` in order, without decoding stored texts."""
    if isinstance(articles, (StoredArticles, ArticleList)):
        return articles.ids
    return tuple(article.id for article in articles)


def published_dates(articles: Sequence[Article]) -> list[str | None]:
    """The publication dates of ``articles`` in order, without decoding stored texts."""
    if isinstance(articles, (StoredArticles, ArticleList)):
        return articles.published()
    return [article.published for article in articles]
