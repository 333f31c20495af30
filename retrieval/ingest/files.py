"""Read articles from local files: .txt/.md (front matter or a <stem>.meta.json sidecar), .html, .jsonl.

Text files must be UTF-8: a file in another encoding is refused rather than guessed, because a wrong
guess stores unreadable Arabic. HTML files carry their own charset declaration and are decoded like
downloaded pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.front_matter import split_front_matter
from retrieval.ingest.errors import DecodeError, IngestError, NoArticleError, UnsupportedFileError
from retrieval.ingest.extract import extract_article, require_arabic
from retrieval.ingest.fetch import decode_html
from retrieval.ingest.store import NewArticle

__all__ = ["SUPPORTED_SUFFIXES", "FileItem", "read_articles"]

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".jsonl"})
_META_KEYS = ("title", "source", "outlet", "url", "published")


@dataclass(frozen=True, slots=True)
class FileItem:
    """One article read from a file, or why it could not be read; ``location`` names it for the user."""

    location: str
    article: NewArticle | None = None
    error: IngestError | None = None


def read_articles(path: Path, *, min_arabic_ratio: float) -> Iterator[FileItem]:
    """Yield the articles in ``path``: one for a document, one per line for .jsonl.

    Raises :class:`IngestError` when the whole file is unusable (missing, wrong type, wrong encoding).
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileError(
            f"unsupported file type {suffix or '(none)'}: use .txt, .md, .html or .jsonl"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror or exc}") from exc
    if suffix in (".html", ".htm"):
        html = decode_html(data).text
        extracted = extract_article(html, min_arabic_ratio=min_arabic_ratio)
        yield FileItem(
            str(path),
            NewArticle(
                title=extracted.title,
                text=extracted.text,
                outlet=extracted.outlet,
                published=extracted.published,
            ),
        )
        return
    text = _decode_utf8(data)
    if suffix == ".jsonl":
        yield from _read_jsonl(text, path, min_arabic_ratio=min_arabic_ratio)
        return
    meta, body = split_front_matter(text, _META_KEYS)
    meta = {**_read_sidecar(path), **meta}
    yield FileItem(
        str(path), _to_article(meta, body, min_arabic_ratio=min_arabic_ratio, markdown=suffix == ".md")
    )


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not UTF-8 (byte {exc.start}); convert it first, e.g. iconv -f cp1256 -t utf-8"
        ) from exc


def _read_jsonl(text: str, path: Path, *, min_arabic_ratio: float) -> Iterator[FileItem]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        location = f"{path}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise IngestError("not a JSON object")
            meta = {key: record[key] for key in _META_KEYS if isinstance(record.get(key), str)}
            yield FileItem(
                location, _to_article(meta, str(record.get("text") or ""), min_arabic_ratio=min_arabic_ratio)
            )
        except json.JSONDecodeError as exc:
            yield FileItem(location, error=IngestError(f"invalid JSON: {exc.msg}"))
        except IngestError as exc:
            yield FileItem(location, error=exc)


def _to_article(
    meta: dict[str, str], body: str, *, min_arabic_ratio: float, markdown: bool = False
) -> NewArticle:
    body = body.strip()
    title = meta.get("title", "").strip()
    if not title and body:
        first, _, rest = body.partition("\n")
        if markdown and first.startswith("#"):
            title, body = first.lstrip("#").strip(), rest.strip()
        else:
            title = first.strip()[:120]
    if not body:
        raise NoArticleError("no article text")
    require_arabic(body, min_ratio=min_arabic_ratio)
    return NewArticle(
        title=title,
        text=body,
        url=meta.get("url") or None,
        outlet=meta.get("source") or meta.get("outlet") or None,
        published=meta.get("published") or None,
    )


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = path.with_name(f"{path.stem}.meta.json")
    if not sidecar.is_file():
        return {}
    try:
        data: Any = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"unreadable metadata file {sidecar.name}: {exc}") from exc
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if key in _META_KEYS and isinstance(value, str)}
