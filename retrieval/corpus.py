"""Loading articles from disk: a directory of text files or a JSON Lines file.

A directory holds ``.txt``/``.md`` articles (optional ``---`` front matter with
``id``, ``title``, ``source``, ``url``, ``published``; or a ``<stem>.meta.json`` file
beside the article, which keeps the article text byte-for-byte) and ``.jsonl`` files.
A JSON Lines file holds one ``{"id", "title", "text"}`` object a line, plus optional
``"source"``, ``"url"``, ``"published"``.

One bad file or line never stops the load: it becomes a ``LoadProblem`` naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retrieval.errors import CorpusError
from retrieval.front_matter import split_front_matter
from retrieval.records import Article

_TEXT_SUFFIXES = frozenset({".txt", ".md"})
_META_SUFFIX = ".meta.json"
_METADATA_KEYS = ("id", "title", "source", "url", "published")


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
    """Load every article under ``path`` (a directory or a ``.jsonl`` file).

    Raises ``CorpusError`` only when ``path`` itself is unusable; the caller decides
    what an empty result means.
    """
    out = _Collector()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        for file in files:
            if file.name.endswith(_META_SUFFIX):
                continue
            if file.suffix == ".jsonl":
                _load_jsonl(file, out)
            elif file.suffix in _TEXT_SUFFIXES:
                _load_text_file(file, out)
            else:
                out.problems.append(
                    LoadProblem(str(file), "unsupported file type (expected .txt, .md or .jsonl)")
                )
    elif path.is_file():
        if path.suffix != ".jsonl":
            if path.suffix not in _TEXT_SUFFIXES:
                raise CorpusError(f"corpus must be a directory or a .jsonl file: {path}")
            _load_text_file(path, out)
        else:
            _load_jsonl(path, out)
    else:
        raise CorpusError(f"corpus not found: {path}")
    return CorpusLoad(articles=tuple(out.articles), problems=tuple(out.problems))


def _load_jsonl(path: Path, out: _Collector) -> None:
    try:
        raw_lines = path.read_bytes().splitlines()
    except OSError as error:
        out.problems.append(LoadProblem(str(path), f"cannot read: {error.strerror}"))
        return
    for number, raw in enumerate(raw_lines, start=1):
        location = f"{path}:{number}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            out.problems.append(LoadProblem(location, f"not valid UTF-8 (byte {error.start})"))
            continue
        except json.JSONDecodeError as error:
            out.problems.append(LoadProblem(location, f"bad JSON: {error.msg}"))
            continue
        article = _article_from_record(record, location, out.problems)
        if article is not None:
            out.add(article, location)


def _article_from_record(record: Any, location: str, problems: list[LoadProblem]) -> Article | None:
    if not isinstance(record, dict):
        problems.append(LoadProblem(location, "expected a JSON object"))
        return None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(LoadProblem(location, 'missing or empty "text"'))
        return None
    article_id = record.get("id")
    if not isinstance(article_id, str) or not article_id.strip():
        problems.append(LoadProblem(location, 'missing or empty "id"'))
        return None
    optional: dict[str, str | None] = {}
    for key in ("title", "source", "url", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(LoadProblem(location, f'"{key}" must be a string or null'))
            return None
        optional[key] = value or None
    return Article(
        id=article_id,
        title=optional["title"] or article_id,
        text=text,
        source=optional["source"],
        url=optional["url"],
        published=optional["published"],
    )


def _load_text_file(path: Path, out: _Collector) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        out.problems.append(LoadProblem(str(path), f"cannot read: {error.strerror}"))
        return
    except UnicodeDecodeError as error:
        out.problems.append(LoadProblem(str(path), f"not valid UTF-8 (byte {error.start})"))
        return
    text = text.removeprefix("\ufeff")
    metadata, text = split_front_matter(text, _METADATA_KEYS)
    sidecar = path.with_name(path.stem + _META_SUFFIX)
    if sidecar.is_file():
        try:
            loaded = json.loads(sidecar.read_text(encoding="utf-8"))
            if not isinstance(loaded, dict):
                raise ValueError("expected a JSON object")
        except (OSError, ValueError) as error:
            out.problems.append(LoadProblem(str(sidecar), f"metadata ignored: {error}"))
        else:
            metadata.update({k: str(v) for k, v in loaded.items() if k in _METADATA_KEYS and v is not None})
    if not text.strip():
        out.problems.append(LoadProblem(str(path), "no article text"))
        return
    article_id = metadata.get("id") or path.stem
    out.add(
        Article(
            id=article_id,
            title=metadata.get("title") or path.stem,
            text=text,
            source=metadata.get("source"),
            url=metadata.get("url"),
            published=metadata.get("published"),
        ),
        str(path),
    )


@dataclass
class _Collector:
    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def add(self, article: Article, location: str) -> None:
        if article.id in self.ids:
            self.problems.append(
                LoadProblem(location, f"duplicate article id {article.id!r}; the first one is kept")
            )
            return
        self.ids.add(article.id)
        self.articles.append(article)
