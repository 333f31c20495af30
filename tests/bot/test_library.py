"""The library: which articles are served (a named corpus alone, or the seeds plus the store) and its engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.library import NewsLibrary, default_corpus_path, recency_preference
from config import Settings
from config.storage import StorageSettings
from retrieval import CorpusError, RecencyPreference
from retrieval.ingest import ArticleStore
from retrieval.records import NewArticle
from retrieval.search import SentenceIndex

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


def test_new_articles_grow_the_served_engine_and_a_restart_loads_the_saved_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = NewsLibrary(db=tmp_path / "store.sqlite3", index_cache=tmp_path / "index")
    served = library.build_engine()
    with ArticleStore.open(library.db) as store:
        saved = store.save(
            NewArticle(title="أشجار", text="زرعت البلدية مليون شجرة في الأحياء الجديدة هذا الربيع.")
        )
    assert saved.article is not None
    grown = library.with_new_articles(served, [saved.article.id])
    assert [a.id for a in grown.articles] == [*(a.id for a in served.articles), saved.article.id]
    assert grown.answer("كم شجرة زرعت البلدية؟").quotes[0].article.id == saved.article.id
    assert saved.article.id not in {a.id for a in served.articles}  # the served engine is unchanged

    library.remember(grown)

    def no_build(*args: object) -> None:
        raise AssertionError("rebuilt although the saved index matches the library")

    monkeypatch.setattr(SentenceIndex, "build", no_build)
    monkeypatch.setattr(ArticleStore, "records", no_build)  # a restart reads no stored text
    restarted = library.build_engine()
    assert [a.id for a in restarted.articles] == [a.id for a in grown.articles]
    assert restarted.answer("كم شجرة زرعت البلدية؟").quotes[0].article.id == saved.article.id


def test_a_restart_never_serves_a_cached_index_the_store_has_moved_past(tmp_path: Path) -> None:
    library = NewsLibrary(db=tmp_path / "store.sqlite3", index_cache=tmp_path / "index")
    question = "كم شجرة زرعت البلدية؟"
    with ArticleStore.open(library.db) as store:
        trees = store.save(NewArticle(title="أشجار", text="زرعت البلدية مليون شجرة في الأحياء هذا الربيع."))
    assert trees.article is not None
    library.build_engine()  # cached with the trees article
    with ArticleStore.open(library.db) as store:  # meanwhile, from a terminal: one more, then a removal
        store.save(NewArticle(title="جسر", text="افتتحت البلدية الجسر الجديد فوق النهر أمس."))
    assert "جسر" in {a.title for a in library.build_engine().articles}
    with ArticleStore.open(library.db) as store:
        assert store.remove(trees.article.id)
    restarted = library.build_engine()
    assert trees.article.id not in restarted.article_ids
    assert all(quote.article.id != trees.article.id for quote in restarted.answer(question).quotes)


def test_a_named_corpus_edited_after_caching_is_indexed_again(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text(
        '{"id": "x1", "title": "خبر", "text": "افتتح الوزير المحطة الجديدة."}\n', encoding="utf-8"
    )
    library = NewsLibrary(db=tmp_path / "db", corpus=corpus, index_cache=tmp_path / "index")
    assert library.build_engine().article_ids == ("x1",)
    corpus.write_text('{"id": "x2", "title": "خبر", "text": "زرعت البلدية مليون شجرة."}\n', encoding="utf-8")
    assert library.build_engine().article_ids == ("x2",)


def test_the_recency_preference_comes_from_the_settings_and_zero_turns_it_off() -> None:
    assert recency_preference(Settings(recency_weight=0.1, recency_half_life_days=3)) == RecencyPreference(
        weight=0.1, scale_days=3
    )
    assert recency_preference(Settings(recency_weight=0)) is None
