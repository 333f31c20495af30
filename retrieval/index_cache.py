"""A persisted BM25Index per corpus version: load it when the key matches, else build and save it.

One cache directory holds the index of one corpus: ``<cache_dir>/bm25-<digest of key>``. After a
successful save, entries of other keys (older corpus versions) are removed.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar, cast

from retrieval.bm25_index import BM25Index
from retrieval.errors import IndexFormatError

logger = logging.getLogger(__name__)

_ENTRY_PREFIX = "bm25-"


class Persistable(Protocol):
    """Anything that writes itself to a directory atomically."""

    def save(self, directory: Path) -> None: ...


IndexT = TypeVar("IndexT", bound=Persistable)


def _load_bm25(directory: Path) -> BM25Index:
    return BM25Index.load(directory, mmap=True)


def content_key(parts: Iterable[str]) -> str:
    """SHA-256 hex digest over ordered ``parts``; each part is length-prefixed so that
    ``["ab", "c"]`` and ``["a", "bc"]`` give different keys."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def cache_entry(cache_dir: Path, key: str) -> Path:
    """Directory where the index for ``key`` lives (the key may be any string)."""
    return Path(cache_dir) / f"{_ENTRY_PREFIX}{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"


def load_or_build(
    cache_dir: Path,
    key: str,
    build: Callable[[], IndexT],
    load: Callable[[Path], IndexT] | None = None,
) -> IndexT:
    """The cached index for ``key`` (memory-mapped), or ``build()``, saved atomically for next time.

    ``load`` reads an entry back (default: ``BM25Index.load``); it raises ``IndexFormatError``
    or ``OSError`` for an entry it cannot use.

    A corrupt or partial cache entry is logged and rebuilt; a failure to save is logged and
    the freshly built index is returned anyway: the cache only ever saves time.
    """
    entry = cache_entry(cache_dir, key)
    if entry.exists():
        try:
            index = (load or cast(Callable[[Path], IndexT], _load_bm25))(entry)
        except (IndexFormatError, OSError) as error:
            logger.warning("Index cache %s is unusable (%s); rebuilding", entry, error)
        else:
            logger.info("Loaded cached index %s", entry)
            return index
    index = build()
    store(cache_dir, key, index)
    return index


def store(cache_dir: Path, key: str, index: Persistable) -> None:
    """Save ``index`` as the cache entry for ``key`` and drop the others; a failure is only logged."""
    entry = cache_entry(cache_dir, key)
    try:
        index.save(entry)
    except OSError:
        logger.warning("Could not save the index cache to %s; continuing without it", entry, exc_info=True)
        return
    logger.info("Saved index cache %s", entry)
    _remove_other_entries(entry)


def _remove_other_entries(keep: Path) -> None:
    for stale in keep.parent.glob(f"{_ENTRY_PREFIX}*"):
        if stale != keep and stale.is_dir():
            logger.info("Removing stale index cache %s", stale)
            shutil.rmtree(stale, ignore_errors=True)
