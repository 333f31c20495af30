"""Reading articles from files: the one reader behind the corpus loader and ``newsbot add``.

* A ``.txt``/``.md`` file is one article. Its metadata (``id``, ``title``, ``source``, ``url``,
  ``published``) comes from optional ``---`` front matter and from an optional ``<stem>.meta.json``
  sidecar beside it; **the sidecar overrides the front matter**, key by key (a ``null`` value gives
  nothing). The text after the front matter is kept byte-for-byte, since quotes are offsets into it.
* A ``.jsonl`` file holds one ``{"id", "title", "text", "source", "url", "published"}`` object a
  line; only ``"text"`` is required.
* What is not given: the id is the file's stem (``<stem>:<line>`` for a JSON line), the title the
  first line of the text.

Files must be UTF-8: a file in another encoding is refused rather than guessed, because a wrong
guess yields unreadable Arabic. One bad file or line never stops the rest: it becomes an item with
an :class:`~retrieval.errors.ItemError`, and :func:`load_corpus` reports it as a ``LoadProblem``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec

from retrieval.errors import (
    ArticleFileError,
    CorpusError,
    DecodeError,
    ItemError,
    NoArticleError,
    UnsupportedFileError,
)
from retrieval.front_matter import split_front_matter
from retrieval.records import Article

ARTICLE_FILE_SUFFIXES = frozenset({".txt", ".md", ".jsonl"})
SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = ("id", "title", "source", "url", "published")
MAX_TITLE_CHARS = 120

_P = ParamSpec("_P")


@dataclass(frozen=True, slots=True)
class FileItem:
    """One article read from a file, or why it could not be; ``location`` (``path`` or ``path:line``) names it."""

    location: str
    article: Article | None = None
    error: ItemError | None = None


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A file or line that was skipped, and why."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass(frozen=True, slots=True)
class CorpusLoad:
    """The articles that loaded and the problems met on the way."""

    articles: tuple[Article, ...]
    problems: tuple[LoadProblem, ...]


def load_corpus(path: Path) -> CorpusLoad:
    """Load every article under ``path`` (a directory, or one article file).

    Raises ``CorpusError`` only when ``path`` itself is unusable; the caller decides
    what an empty result means.
    """
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX)
        )
    elif path.is_file():
        if path.suffix.lower() not in ARTICLE_FILE_SUFFIXES:
            raise CorpusError(f"corpus must be a directory or a .jsonl, .md or .txt file: {path}")
        files = [path]
    else:
        raise CorpusError(f"corpus not found: {path}")
    out = _Collector()
    for file in files:
        for item in read_article_file(file):
            out.add(item)
    return CorpusLoad(articles=tuple(out.articles), problems=tuple(out.problems))


def read_article_file(path: Path) -> Iterator[FileItem]:
    """The articles in ``path``: one for a ``.txt``/``.md`` file, one per non-blank line of a ``.jsonl``.

    Never raises for bad content: a file that cannot be read is one item with an error, and so is
    each bad line of a ``.jsonl`` file, so the good lines still load.
    """
    location = str(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_FILE_SUFFIXES:
        yield FileItem(location, error=UnsupportedFileError(suffix, ARTICLE_FILE_SUFFIXES))
        return
    try:
        data = read_file_bytes(path)
    except ItemError as error:
        yield FileItem(location, error=error)
        return
    if suffix == ".jsonl":
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield _item(f"{path}:{number}", _jsonl_article, line, f"{path.stem}:{number}")
    else:
        yield _item(location, _text_article, data, path)


def read_file_bytes(path: Path) -> bytes:
    """The bytes of ``path``; raises :class:`ArticleFileError` naming the reason when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise ArticleFileError(f"cannot read the file: {error.strerror or error}") from error


def _item(location: str, read: Callable[_P, Article], *args: _P.args, **kwargs: _P.kwargs) -> FileItem:
    try:
        return FileItem(location, read(*args, **kwargs))
    except ItemError as error:
        return FileItem(location, error=error)


def _text_article(data: bytes, path: Path) -> Article:
    metadata, text = split_front_matter(_decode_utf8(data), METADATA_KEYS)
    metadata.update(_read_sidecar(path.with_name(path.stem + SIDECAR_SUFFIX)))
    return _article(metadata, text, default_id=path.stem)


def _jsonl_article(line: bytes, default_id: str) -> Article:
    try:
        record = json.loads(_decode_utf8(line))
    except json.JSONDecodeError as error:
        raise ArticleFileError(f"invalid JSON: {error.msg}") from error
    if not isinstance(record, dict):
        raise ArticleFileError("expected a JSON object")
    text = record.get("text") or ""
    if not isinstance(text, str):
        raise ArticleFileError('"text" must be a string')
    return _article(_metadata(record), text, default_id=default_id)


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"not UTF-8 (byte {error.start}); convert it first, e.g. iconv -f cp1256 -t utf-8"
        ) from error


def _read_sidecar(sidecar: Path) -> dict[str, str]:
    if not sidecar.is_file():
        return {}
    try:
        loaded: Any = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise ArticleFileError("expected a JSON object")
        return _metadata(loaded)
    except (OSError, ValueError, ArticleFileError) as error:
        raise ArticleFileError(f"unreadable metadata file {sidecar.name}: {error}") from error


def _metadata(record: dict[str, Any]) -> dict[str, str]:
    """The metadata keys of a JSON object that have a value; any other type than string or null is refused."""
    metadata: dict[str, str] = {}
    for key in METADATA_KEYS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ArticleFileError(f'"{key}" must be a string or null')
        if value:
            metadata[key] = value
    return metadata


def _article(metadata: dict[str, str], text: str, *, default_id: str) -> Article:
    if not text.strip():
        raise NoArticleError("no article text")
    return Article(
        id=metadata.get("id") or default_id,
        title=metadata.get("title") or _first_line(text),
        text=text,
        source=metadata.get("source"),
        url=metadata.get("url"),
        published=metadata.get("published"),
    )


def _first_line(text: str) -> str:
    """The title an article without one gets: its first non-blank line (a Markdown ``#`` heading's words)."""
    line = next(line for line in text.splitlines() if line.strip())
    return line.strip().lstrip("#").strip()[:MAX_TITLE_CHARS]


@dataclass
class _Collector:
    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def add(self, item: FileItem) -> None:
        if item.article is None:
            self.problems.append(LoadProblem(item.location, str(item.error)))
        elif item.article.id in self.ids:
            self.problems.append(
                LoadProblem(item.location, f"duplicate article id {item.article.id!r}; the first one is kept")
            )
        else:
            self.ids.add(item.article.id)
            self.articles.append(item.article)
