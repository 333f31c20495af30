"""The library: which articles are served (a named corpus alone, or the seeds plus the store) and its engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.library import NewsLibrary, default_corpus_path
from config import Settings
from config.storage import StorageSettings
from retrieval import CorpusError

SEEDS = sorted(path.stem for path in default_corpus_path().glob("*.txt"))


def test_a_named_corpus_is_served_alone(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text(
        '{"id": "x1", "title": "خبر", "text": "افتتح الوزير المحطة الجديدة."}\n', encoding="utf-8"
    )
    library = NewsLibrary.from_settings(Settings(corpus=corpus, storage=StorageSettings(db=tmp_path / "db")))
    assert not library.grows
    assert [article.id for article in library.build_engine().articles] == ["x1"]


def test_without_a_corpus_the_seeds_are_served_when_the_store_is_empty(tmp_path: Path) -> None:
    settings = Settings(
        storage=StorageSettings(db=tmp_path / "absent.sqlite3", index_cache=tmp_path / "index")
    )
    library = NewsLibrary.from_settings(settings)
    assert library.grows
    assert sorted(article.id for article in library.build_engine().articles) == SEEDS
    assert not (tmp_path / "absent.sqlite3").exists()  # reading never creates the store


def test_an_unusable_corpus_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no usable article"):
        NewsLibrary(db=tmp_path / "db", corpus=tmp_path).articles()
